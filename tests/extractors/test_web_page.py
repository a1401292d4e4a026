"""Fetched bytes → Article: charset order, canonical URL rules, source fields."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from marsad.extractors.decode import decode_text
from marsad.extractors.errors import ExtractionError
from marsad.extractors.web_page import extract_page, page_article
from marsad.sources import load_sources
from tests.fetch.web import ANT, FIXTURES, PAGES, ant_page, read_ant

CP1256 = (FIXTURES / "encodings" / "windows-1256_no_charset.html").read_bytes()
ARABIC = "أعلنت كتائب الشهيد عز الدين القسام"
YOUM7 = (PAGES / "youm7_2020.html").read_text("utf-8")


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=windows-1256",  # the header says so
        "text/html",  # nothing declared: detection
        "text/html; charset=ISO-8859-1",  # a server's Latin default is not believed
        "text/html; charset=utf-8",  # a wrong declaration that does not decode is skipped
    ],
)
def test_windows_1256_comes_out_as_arabic(content_type):
    text, encoding = decode_text(CP1256, content_type=content_type, sniff_meta=True)
    assert ARABIC in text and encoding == "cp1256"


def test_meta_charset_is_used_when_the_header_has_none():
    page = YOUM7.replace('charset="utf-8"', 'charset="windows-1256"', 1)
    data = page.encode("cp1256", errors="xmlcharrefreplace")
    text, encoding = decode_text(data, content_type="text/html", sniff_meta=True)
    assert encoding == "cp1256" and "وزير الرى" in text


def test_header_charset_wins_over_meta():
    data = '<meta charset="windows-1256"><p>كلمة</p>'.encode()
    assert decode_text(data, content_type="text/html; charset=utf-8", sniff_meta=True) == (
        data.decode(),
        "utf-8",
    )


def test_article_carries_its_source_and_the_same_site_canonical_url():
    source = load_sources()["youm7"]
    fetched = "http://www.youm7.com:8080/amp/story/4943459?utm_source=rss"
    article = page_article(YOUM7, fetched, source.outlet())
    assert article.url.startswith("https://www.youm7.com/story/2020/8/24/")
    assert article.origin == fetched
    assert (article.source, article.source_name, article.source_country) == (
        "youm7", source.name, "EG",
    )  # fmt: skip
    assert article.source_affiliation == "unknown" and article.language == "ar"
    assert article.content_hash


def test_a_canonical_link_to_another_site_is_ignored():
    page = YOUM7.replace("https://www.youm7.com/story", "https://victim.example/story")
    article = page_article(page, "http://www.youm7.com/amp/1", None)
    assert article.url == "http://www.youm7.com/amp/1"
    assert article.source == "youm7.com"


def test_a_canonical_link_to_the_front_page_is_ignored():
    page = YOUM7.replace(
        "https://www.youm7.com/story/2020/8/24/وزير-الرى-يشهد-توقيع-عقد-دراسة-تحديد-السحب-الآمن-للخزانات/4943459",
        "https://www.youm7.com/",
    )
    article = page_article(page, "https://www.youm7.com/story/1", None)
    assert article.url == "https://www.youm7.com/story/1"


def test_feed_date_and_summary_fill_the_gaps():
    doc = read_ant(ANT / "AL-internationalNews-1-20180219.txt")
    when = datetime(2018, 2, 18, 20, 16, 11, tzinfo=UTC)
    article = page_article(ant_page(doc), doc["URL"], None, published_at=when, summary="موجز")
    assert article.title == doc["TITLE"] and article.published_at == when
    assert article.description == "موجز" and "صفارات الإنذار" in article.text


def test_page_without_article_is_an_extraction_error():
    with pytest.raises(ExtractionError):
        page_article("<html><body></body></html>", "https://a.test/x", None)


def test_a_response_that_is_not_html_is_an_extraction_error():
    with pytest.raises(ExtractionError, match="not an HTML page"):
        extract_page(b"%PDF-1.4", "application/pdf", "https://a.test/x.pdf", None)


def test_a_response_is_decoded_with_its_header_charset():
    body = YOUM7.replace('charset="utf-8"', "", 1).encode("cp1256", errors="xmlcharrefreplace")
    article = extract_page(
        body, "text/html; charset=windows-1256", "https://www.youm7.com/s/1", None
    )
    assert "وزير الرى" in article.title


def test_a_page_over_the_text_limit_is_refused_with_its_length():
    body = YOUM7.encode()
    url = "https://www.youm7.com/story/2020/8/24/x/4946373"
    article = extract_page(body, "text/html", url, None)
    with pytest.raises(ExtractionError, match=r"^text of \d+ characters is over the 100 limit$"):
        extract_page(body, "text/html", url, None, max_chars=100)
    assert len(article.text) > 100
