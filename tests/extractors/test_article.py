import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from marsad.extractors.article import build_article, extract_file
from marsad.extractors.fields import ArticleFields
from marsad.extractors.normalize import normalize_arabic
from marsad.models import Outlet, article_id

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED = FIXTURES / "seed" / "000_26f213205dacc3d1.txt"
LBCI = FIXTURES / "pages" / "lbci_2026.html.gz"
LIMIT = 20 * 1024 * 1024


def _one_failure(data: bytes, name: str, limit: int = LIMIT) -> str:
    articles, failures = extract_file(data, name, max_bytes=limit)
    assert articles == []
    assert len(failures) == 1
    failure = failures[0]
    assert failure.origin == name
    assert "\n" not in failure.reason
    assert failure.line() == f"{name}: {failure.reason}"
    return failure.reason


def test_seed_article():
    [article], failures = extract_file(SEED.read_bytes(), SEED.name, max_bytes=LIMIT)
    assert failures == []
    assert article.title == "محادثات سرية بين إيلون ماسك وبوتين.. هل تفتح باب العلاقات مع موسكو؟"
    assert "ADVERTISEMENT" not in article.text
    assert article.language == "ar"
    assert article.source == "files"
    assert article.origin == SEED.name
    assert article.id == article_id(url=None, source="files", key=SEED.name)
    assert article.title_normalized == normalize_arabic(article.title)
    assert "ايلون" in article.title_normalized
    assert article.text_normalized == normalize_arabic(article.text)
    assert article.content_hash == article.fingerprint()


def test_source_argument_is_used_without_a_url():
    [article], _ = extract_file(SEED.read_bytes(), SEED.name, source="sample-feed", max_bytes=LIMIT)
    assert article.source == "sample-feed"
    assert article.id == article_id(url=None, source="sample-feed", key=SEED.name)


def test_ids_are_stable_across_ingestions():
    first, _ = extract_file(LBCI.read_bytes(), LBCI.name, max_bytes=LIMIT)
    again, _ = extract_file(LBCI.read_bytes(), "renamed.html.gz", max_bytes=LIMIT)
    assert first[0].id == again[0].id  # the URL identifies a web article, not the file name


def test_gzip_html_page():
    [article], failures = extract_file(LBCI.read_bytes(), LBCI.name, max_bytes=LIMIT)
    assert failures == []
    assert article.source == "lbcgroup.tv"  # host without "www."
    assert article.url == "https://www.lbcgroup.tv/news/lifestyle/898682/lbci-lebanon-articles/ar"
    assert article.id == article_id(url=article.url, source="lbcgroup.tv", key=LBCI.name)
    assert article.published_at == datetime(2026, 1, 8, 11, 42, 50, tzinfo=UTC)
    assert article.site_name == "LBCI Lebanon"
    assert article.language == "ar"


@pytest.mark.parametrize("name", ["windows-1256_no_charset.html", "iso-8859-6_no_charset.html"])
def test_legacy_encoded_html(name):
    [article], failures = extract_file(
        (FIXTURES / "encodings" / name).read_bytes(), name, max_bytes=LIMIT
    )
    assert failures == []
    assert "كتائب الشهيد عز الدين القسام" in article.text
    assert article.language == "ar"


def test_ant_text_file_takes_its_source_from_the_url():
    path = FIXTURES / "ant" / "SK-economy-1-20180218.txt"
    [article], _ = extract_file(path.read_bytes(), path.name, max_bytes=LIMIT)
    assert article.source == "skynewsarabia.com"
    assert article.source_name == "skynews"
    assert article.url == "https://www.skynewsarabia.com/web/article/1022914"


def test_jsonl_records_and_their_ids():
    path = FIXTURES / "records" / "ant_items.jsonl"
    articles, failures = extract_file(path.read_bytes(), path.name, max_bytes=LIMIT)
    assert failures == []
    assert [a.source for a in articles] == ["arabic.cnn.com", "alarabiya.net", "bbc-arabic"]
    bbc = articles[2]  # no URL, no id: the file name and line number identify it
    assert bbc.id == article_id(url=None, source="bbc-arabic", key="ant_items.jsonl#line-3")
    assert all(a.language == "ar" and a.content_hash for a in articles)


def test_one_bad_record_is_a_failure_the_others_come_out():
    path = FIXTURES / "records" / "ant_items.json"
    articles, failures = extract_file(path.read_bytes(), path.name, max_bytes=LIMIT)
    assert [a.title for a in articles] == ['أدنوك تبرم اتفاقية امتياز جديدة مع "سيبسا" الإسبانية']
    assert [f.line() for f in failures] == [
        "ant_items.json: record 2: missing text (text/body/content/maintext)"
    ]


def test_truncated_jsonl_last_line():
    data = (FIXTURES / "records" / "ant_items.jsonl").read_bytes()
    articles, failures = extract_file(data[:-200], "feed.jsonl", max_bytes=LIMIT)
    assert len(articles) == 2
    assert [f.line() for f in failures] == ["feed.jsonl: line 3: truncated record at end of file"]


def test_empty_file():
    assert _one_failure(b"", "empty.txt") == "empty file"


def test_content_is_sniffed_before_the_name_is_trusted():
    [article], _ = extract_file(LBCI.read_bytes(), "page.html", max_bytes=LIMIT)  # gzip inside
    assert article.url.startswith("https://www.lbcgroup.tv/")
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    assert _one_failure(pdf, "report.txt") == "a PDF document, not text"
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    assert _one_failure(png, "photo.html") == "a PNG image, not text"


def test_binary_file():
    assert _one_failure(bytes(range(1, 32)) * 20, "page.html") == "binary content, not text"


def test_truncated_gzip():
    data = LBCI.read_bytes()
    reason = _one_failure(data[: len(data) // 2], LBCI.name)
    assert reason == "truncated gzip: the compressed data ends early"


def test_not_gzip():
    assert _one_failure(SEED.read_bytes(), "seed.txt.gz").startswith("not valid gzip data")


def test_oversized():
    data = SEED.read_bytes()
    assert (
        _one_failure(data, SEED.name, limit=1000)
        == f"{len(data)} bytes is over the 1000-byte limit"
    )


def test_gzip_bomb_is_measured_after_decompression():
    data = gzip.compress(b"<html><body>" + b" " * 5000 + b"</body></html>")
    assert len(data) < 1000
    reason = _one_failure(data, "bomb.html.gz", limit=1000)
    assert reason == "decompressed size is over the 1000-byte limit"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("report.pdf", "unsupported file type '.pdf'"),
        ("README", "unsupported file type (no file extension)"),
    ],
)
def test_unsupported_file_type(name, reason):
    assert _one_failure(b"%PDF-1.4", name) == reason


def test_html_without_article():
    reason = _one_failure(b"<html><body><nav>x</nav></body></html>", "nav.htm")
    assert reason == "main text too short (1 letter), not an article page"


def test_html_without_title():
    body = "<p>" + "نص الخبر كاملا بلا عنوان في الصفحة. " * 10 + "</p>"
    reason = _one_failure(f"<html><body><article>{body}</article></body></html>".encode(), "a.html")
    assert reason == "no title found in the HTML page"


def test_extension_is_case_insensitive():
    [article], _ = extract_file(SEED.read_bytes(), "SEED.TXT", max_bytes=LIMIT)
    assert article.title.startswith("محادثات سرية")


def test_the_builder_keeps_a_stated_language():
    fields = ArticleFields(title="Élections", text="نص عربي طويل بما يكفي لاكتشاف اللغة")
    build = {"origin": "o", "source": "s", "url": None, "key": "k"}
    assert build_article(fields, **build).language == "ar"
    fields.language = "fr"
    assert build_article(fields, **build).language == "fr"


def test_the_builder_labels_an_article_with_its_outlet():
    fields = ArticleFields(title="عنوان", text="نص الخبر", source_name="from the record")
    outlet = Outlet(id="rt-arabic", name="RT Arabic", country="RU", affiliation="state-affiliated")
    article = build_article(
        fields, origin="o", source="rt-arabic", url=None, key="k", outlet=outlet
    )
    assert (article.source_name, article.source_country, article.source_affiliation) == (
        "RT Arabic", "RU", "state-affiliated",
    )  # fmt: skip
    bare = build_article(fields, origin="o", source="s", url=None, key="k")
    assert bare.source_name == "from the record" and bare.source_country is None


def test_extraction_alone_loads_no_model():
    [article], _ = extract_file(SEED.read_bytes(), SEED.name, max_bytes=LIMIT)
    assert article.entities == [] and article.topics == []  # enrichment is its own step
