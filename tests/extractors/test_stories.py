"""Story features and placing: shingles without boilerplate, containment, windows, clustering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from marsad.extractors import stories as st
from tests.conftest import SEED

TEXT = SEED.read_text("utf-8")
T0 = datetime(2018, 7, 16, 10, tzinfo=UTC)


def member(article_id: str, title: str, text: str, when: datetime) -> st.Member:
    sig, size = st.signature(title + "\n" + text)
    vector = st.story_vector(title, text)
    return st.Member(article_id, when, article_id, None, tuple(sig), size, vector)


def test_signatures_are_the_same_in_every_run():
    assert st.signature(TEXT) == st.signature(TEXT)
    sig, size = st.signature(TEXT)
    assert len(sig) == st.PERMUTATIONS and size == len(st.shingles(TEXT))
    assert len(st.bands(sig)) == st.BANDS


def test_a_cut_of_a_story_is_contained_in_it():
    paragraphs = TEXT.split("\n")
    cut = "\n".join(paragraphs[: len(paragraphs) // 2])
    (a, size_a), (b, size_b) = st.signature(TEXT), st.signature(cut)
    assert st.overlap(a, b) < 0.8  # Jaccard sees two sizes
    assert st.containment(a, size_a, b, size_b) >= 0.8  # containment sees the cut


def test_an_outlets_boilerplate_is_not_evidence_of_copying():
    app = "إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق بي بي سي عربي على هاتفكم"
    assert not st.shingles(app)  # BBC Arabic's app line: every 4-gram is common in the corpus
    assert st.shingles(app, common=True)
    assert st.shingles("جملة نادرة جدا لم يكتبها أحد من قبل هنا")


def test_a_near_copy_joins_its_original_and_points_at_the_earliest():
    first = member("a", "عنوان", TEXT, T0)
    second = st.Member("b", T0 + timedelta(hours=1), "a", "a", first.signature, first.size,
                       first.vector)  # fmt: skip
    copy = member("c", "عنوان", TEXT, T0 + timedelta(hours=2))
    where = st.place(copy, [second, first], [])
    assert (where.duplicate_of, where.story_id) == ("a", "a")
    late = member("d", "عنوان", TEXT, T0 + st.COPY_WINDOW + timedelta(hours=1))
    assert st.place(late, [first], []).duplicate_of is None  # too long after: not a copy


def test_a_story_joins_a_similar_article_nearby_in_time_only():
    text = "التقى ترامب بوتين في هلسنكي في قمة تناولت العلاقات والملف السوري والانتخابات."
    first = member("a", "قمة هلسنكي بين ترامب وبوتين", "عقدت في هلسنكي قمة بين ترامب وبوتين.", T0)
    soon = member("b", "ترامب وبوتين في قمة هلسنكي", text, T0 + timedelta(hours=5))
    where = st.place(soon, [], [first])
    assert (where.story_id, where.duplicate_of) == ("a", None) and where.similarity
    later = member("c", "ترامب وبوتين في قمة هلسنكي", text, T0 + timedelta(days=3))
    assert st.place(later, [], [first]).story_id == "c"  # a new story after the window
    other = member("d", "أمطار غزيرة في الرياض", "هطلت أمطار غزيرة على الرياض.", T0)
    assert st.place(other, [], [first]).story_id == "d"


def test_clustering_places_in_time_order_whatever_the_input_order():
    a = member("a", "قمة هلسنكي بين ترامب وبوتين", TEXT, T0)
    b = member("b", "قمة هلسنكي بين ترامب وبوتين", TEXT, T0 + timedelta(hours=1))
    c = member("c", "أمطار غزيرة في الرياض", "هطلت أمطار غزيرة على الرياض.", T0)
    placed = st.cluster([b, c, a])
    assert placed["b"].duplicate_of == "a" and placed["b"].story_id == "a"
    assert placed["a"].story_id == "a" and placed["c"].story_id == "c"


def test_the_story_index_forgets_old_members():
    index = st.StoryIndex()
    old = member("a", "قمة هلسنكي", TEXT, T0)
    index.add(old)
    assert index.copies(old.signature) == [old]
    index.forget_before(T0 + timedelta(days=1))
    assert index.copies(old.signature) == [] and not index.by_term
