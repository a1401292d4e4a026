"""What two articles share: near-copy signatures and story vectors. Pure: text in, numbers out.

- **Near-copies** (the same wire story republished, lightly edited): MinHash (datasketch) over
  the article's normalised word 4-gram shingles estimates their Jaccard overlap; the signature
  is cut into LSH bands, and two articles that share a band are candidates (with 32 bands of 4,
  pairs above about 0.5 overlap almost always share one, pairs below 0.2 almost never).
- **Stories** (one event, written independently): a TF-IDF vector of the title and lead, the
  IDF learnt from the ANT 2018 corpus (extractors/data/story_idf.json.gz, built by
  scripts/build_story_idf.py); cosine similarity between them, less a little per day
  apart. The title counts three times: it names the event.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources

from marsad.extractors.normalize import normalize_arabic

SHINGLE = 4  # words per shingle
PERMUTATIONS = 128
BANDS = 32  # × 4 rows = PERMUTATIONS
SEED = 1  # the same permutations in every process and run
LEAD_CHARS = 1500  # the part of the text a story vector reads
TERMS = 40  # the strongest terms kept per article
TITLE_WEIGHT = 3  # a title word counts as often as this: the title names the event
_WORD = re.compile(r"[^\W\d_]{2,}|\d+")

# function words and reporting verbs: every article has them, no story is told by them
STOP = frozenset(
    normalize_arabic(w)
    for w in """
في من على إلى الى عن مع أن ان إن هذا هذه ذلك التي الذي الذين كان كانت قد لم لن ما لا
و أو ثم بعد قبل خلال عند حتى بين كما وقال قال قالت وقالت أكد أضاف وأضاف وأكد أشار وأشار
اليوم أمس الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت مساء صباح يوم عام العام
كل أي غير إلى وفق حسب نحو منذ لدى أمام بعض جميع وقد ولم كما هو هي هم وهو وهي عليه إليه
فيه منه عنه له لها لهم به بها أنه أنها إنه إنها الى التى""".split()
)


def words(text: str) -> list[str]:
    """The text's words as matching keys (diacritics, hamza and ta marbuta folded)."""
    return _WORD.findall(normalize_arabic(text).casefold())


def shingles(text: str, common: bool = False) -> set[str]:
    """Word 4-grams (the whole text if shorter): what a copy keeps and a rewrite loses.

    Without `common`, the 4-grams that many articles share are left out: an outlet's
    boilerplate (a dateline, "download the app" lines) and set phrases (الرئيس الأمريكي دونالد
    ترامب) are not evidence of copying.
    """
    found = words(text)
    if len(found) <= SHINGLE:
        grams = {" ".join(found)} if found else set()
    else:
        grams = {" ".join(found[i : i + SHINGLE]) for i in range(len(found) - SHINGLE + 1)}
    if common:
        return grams
    frequent = _common_shingles()
    return {g for g in grams if shingle_key(g) not in frequent}


def shingle_key(shingle: str) -> str:
    return hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).hexdigest()


def signature(text: str) -> tuple[list[int], int]:
    """The MinHash signature of the text's shingles (PERMUTATIONS numbers below 2**32), and
    how many shingles it has."""
    from datasketch import MinHash

    found = shingles(text)
    minhash = MinHash(num_perm=PERMUTATIONS, seed=SEED)
    minhash.update_batch([s.encode("utf-8") for s in found])
    return [int(v) for v in minhash.hashvalues], len(found)


def bands(sig: list[int]) -> list[str]:
    """The signature's LSH band keys: articles sharing one are near-copy candidates."""
    rows = len(sig) // BANDS
    keys = []
    for b in range(BANDS):
        chunk = ",".join(map(str, sig[b * rows : (b + 1) * rows]))
        keys.append(f"{b}:{hashlib.blake2b(chunk.encode(), digest_size=8).hexdigest()}")
    return keys


def overlap(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard overlap of two signatures' shingle sets."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def containment(a: Sequence[int], size_a: int, b: Sequence[int], size_b: int) -> float:
    """Estimated share of the smaller article's shingles found in the other: a cut of a
    longer story, or a story under a new lead, is a copy though their Jaccard overlap is low.
    From the Jaccard estimate J: |A∩B| = J(|A|+|B|)/(1+J)."""
    j = overlap(a, b)
    if not size_a or not size_b:
        return 0.0
    return min(1.0, j * (size_a + size_b) / (1 + j) / min(size_a, size_b))


def story_vector(title: str, text: str) -> dict[str, float]:
    """The TERMS strongest TF-IDF terms of title (counted TITLE_WEIGHT times) and lead,
    L2-normalised."""
    idf, unseen = _idf()
    title_words = Counter(w for w in words(title) if w not in STOP)
    counts = Counter({w: n * TITLE_WEIGHT for w, n in title_words.items()})
    counts.update(w for w in words(text[:LEAD_CHARS]) if w not in STOP)
    weights = {w: (1 + math.log(n)) * idf.get(w, unseen) for w, n in counts.items()}
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:TERMS]
    norm = math.sqrt(sum(v * v for _w, v in top)) or 1.0
    return {w: round(v / norm, 4) for w, v in top}


def similarity(
    a: dict[str, float], when_a: datetime, b: dict[str, float], when_b: datetime
) -> float:
    """Story similarity: the vectors' cosine less DAILY_DECAY per day apart (a story told
    again days later is usually a new development)."""
    days = abs((when_a - when_b).total_seconds()) / 86400
    return cosine(a, b) - DAILY_DECAY * days


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(v * large.get(w, 0.0) for w, v in small.items())


@lru_cache(maxsize=1)
def _table() -> dict:
    path = resources.files("marsad.extractors") / "data" / "story_idf.json.gz"
    return json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    """The shipped IDF table and the weight of a word it never saw (its largest)."""
    idf = _table()["idf"]
    return idf, max(idf.values(), default=1.0)


@lru_cache(maxsize=1)
def _common_shingles() -> frozenset[str]:
    return frozenset(_table().get("common_shingles", ()))


# -- placing an article: its earliest near-copy and its story ----------------------------------

COPY_OVERLAP = 0.3  # estimated shingle containment from which two articles are near-copies
COPY_SIMILARITY = 0.5  # ... if their story vectors agree too (not an update reusing old text)
COPY_WINDOW = timedelta(days=7)  # a copy further apart is a new article reusing old text
STORY_SIMILARITY = 0.28  # story similarity from which two articles tell one story
DAILY_DECAY = 0.2  # story similarity lost per day between two articles
STORY_WINDOW = timedelta(days=2)  # a story goes on while articles keep joining within it
CANDIDATES = 30  # story candidates compared per article (the most shared terms first)


@dataclass(frozen=True)
class Member:
    """An article as the story index keeps it."""

    id: str
    when: datetime
    story_id: str
    duplicate_of: str | None
    signature: tuple[int, ...]
    size: int  # shingles
    vector: dict[str, float]


@dataclass(frozen=True)
class Placement:
    duplicate_of: str | None  # the earliest near-copy's id (the copy chain's root)
    story_id: str  # the first article's id
    overlap: float | None = None  # containment in or of that near-copy
    similarity: float | None = None  # with the article it joined the story through


def place(article: Member, copies: Iterable[Member], neighbours: Iterable[Member]) -> Placement:
    """Where an article goes, given candidate near-copies and story neighbours found before.

    A near-copy joins its original's story (the copy chain's root is its `duplicate_of`);
    otherwise the article joins the story of the most similar article within STORY_WINDOW
    before it, or starts a story of its own.
    """
    article_id, when, vector = article.id, article.when, article.vector
    found = [
        (containment(article.signature, article.size, m.signature, m.size), m)
        for m in {**{m.id: m for m in copies}, **{m.id: m for m in neighbours}}.values()
        if m.id != article_id and abs(m.when - when) <= COPY_WINDOW
    ]
    found = [
        (o, m)
        for o, m in found
        if o >= COPY_OVERLAP and cosine(vector, m.vector) >= COPY_SIMILARITY
    ]
    if found:
        o, first = min(found, key=lambda om: (om[1].when, om[1].id))
        return Placement(first.duplicate_of or first.id, first.story_id, overlap=round(o, 3))
    best: tuple[float, Member] | None = None
    for m in neighbours:
        if m.id == article_id or not (when - STORY_WINDOW <= m.when <= when + STORY_WINDOW):
            continue
        s = similarity(vector, when, m.vector, m.when)
        if s >= STORY_SIMILARITY and (best is None or s > best[0]):
            best = (s, m)
    if best is None:
        return Placement(None, article_id)
    return Placement(None, best[1].story_id, similarity=round(best[0], 3))


@dataclass
class StoryIndex:
    """Recent members by LSH band and by story term, to find an article's candidates fast.

    Members older than STORY_WINDOW behind the newest are forgotten by `forget_before`.
    """

    by_band: dict[str, list[Member]] = field(default_factory=dict)
    by_term: dict[str, list[Member]] = field(default_factory=dict)

    def add(self, member: Member) -> None:
        for band in bands(list(member.signature)):
            self.by_band.setdefault(band, []).append(member)
        for term in member.vector:
            self.by_term.setdefault(term, []).append(member)

    def copies(self, sig: tuple[int, ...]) -> list[Member]:
        found: dict[str, Member] = {}
        for band in bands(list(sig)):
            for m in self.by_band.get(band, ()):
                found[m.id] = m
        return list(found.values())

    def neighbours(self, vector: dict[str, float], when: datetime) -> list[Member]:
        shared: Counter[str] = Counter()
        members: dict[str, Member] = {}
        for term in vector:
            for m in self.by_term.get(term, ()):
                if when - STORY_WINDOW <= m.when <= when + STORY_WINDOW:
                    shared[m.id] += 1
                    members[m.id] = m
        return [members[i] for i, _n in shared.most_common(CANDIDATES)]

    def forget_before(self, when: datetime) -> None:
        for table in (self.by_band, self.by_term):
            for key in list(table):
                kept = [m for m in table[key] if m.when >= when]
                if kept:
                    table[key] = kept
                else:
                    del table[key]


def cluster(members: Iterable[Member]) -> dict[str, Placement]:
    """Place articles in time order with nothing placed before them (a whole corpus at once;
    the evaluation's way, and the same decisions the index-backed placing makes)."""
    index, placed = StoryIndex(), {}
    for n, member in enumerate(sorted(members, key=lambda m: (m.when, m.id))):
        where = place(member, index.copies(member.signature),
                      index.neighbours(member.vector, member.when))  # fmt: skip
        placed[member.id] = where
        index.add(Member(member.id, member.when, where.story_id, where.duplicate_of,
                         member.signature, member.size, member.vector))  # fmt: skip
        if n % 1000 == 999:
            index.forget_before(member.when - 2 * max(STORY_WINDOW, COPY_WINDOW))
    return placed
