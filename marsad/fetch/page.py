"""A fetched page to an Article. Pure: bytes, headers and URLs in, Article out.

Charset order is the HTTP header, then the page's own <meta>, then detection (windows-1256 is
common for Arabic); a declaration the bytes do not decode under is skipped. One exception: a
header naming a Latin default (ISO-8859-1, windows-1252, ASCII) is ignored, because it is
usually the web server's default rather than the author's choice, Latin-1 decodes any bytes, and
believing it turns Arabic into mojibake; the meta or detection (which knows Latin too) decides.
"""

from __future__ import annotations

import codecs
import re
from datetime import datetime, time
from urllib.parse import urlsplit

from marsad.extractors.article import enrich_basic
from marsad.extractors.decode import decode_text
from marsad.extractors.enrich import enrich_article
from marsad.extractors.errors import ExtractionError
from marsad.extractors.html_article import extract_html
from marsad.extractors.urls import canonical_url, host_of, same_site
from marsad.models import Article, article_id
from marsad.sources import Source

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_LATIN_DEFAULTS = frozenset({"latin-1", "iso8859-1", "cp1252", "ascii"})
_META_WINDOW = 4096


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(text, encoding) of an HTML response; ExtractionError if it is not text."""
    if body.startswith(_BOMS):
        return decode_text(body)
    header = _codec(_match(_HEADER_CHARSET, content_type or ""))
    meta = _codec(_match(_META_CHARSET, body[:_META_WINDOW]))
    if header in _LATIN_DEFAULTS:
        header = None
    for codec in (header, meta):
        if codec:
            try:
                return body.decode(codec), codec
            except UnicodeDecodeError:
                continue  # a wrong declaration: fall through to the next clue
    return decode_text(body)


def _match(pattern: re.Pattern, text: str | bytes) -> str | None:
    found = pattern.search(text)
    if not found:
        return None
    value = found.group(1)
    return value.decode("ascii", "replace") if isinstance(value, bytes) else value


def _codec(label: str | None) -> str | None:
    """Python's name for a declared charset; None for unknown labels."""
    try:
        return codecs.lookup(label).name if label else None
    except LookupError:
        return None


def page_article(
    html: str,
    url: str,
    source: Source | None,
    *,
    title: str | None = None,
    published_at: datetime | None = None,
    summary: str | None = None,
) -> Article:
    """The article on a page fetched from `url` (final URL, after redirects).

    The feed's date and summary fill gaps the page leaves (a feed's exact time beats a bare
    day found in the URL). The page's own canonical
    link is the article's URL only on the same site (a page cannot claim another outlet's
    URL and overwrite its article) and when it is not the site's front page (a common bug).
    """
    fields = extract_html(html, url=url)
    article_url = _article_url(fields.url, url)
    source_id = source.id if source else host_of(url)
    article = Article(
        id=article_id(url=article_url, source=source_id, key=article_url),
        url=article_url,
        title=fields.title or title or "",
        text=fields.text,
        published_at=_published(fields.published_at, published_at),
        source=source_id,
        source_name=source.name if source else None,
        source_country=source.country if source else None,
        source_affiliation=source.affiliation if source else None,
        authors=fields.authors,
        site_name=fields.site_name,
        description=fields.description or summary,
        origin=url,
    )
    if not article.title:
        raise ExtractionError("no title on the page or in the feed")
    return enrich_article(enrich_basic(article))


def _published(on_page: datetime | None, in_feed: datetime | None) -> datetime | None:
    """The page's date, unless it is a bare day (e.g. from the URL) and the feed has a time."""
    bare_day = on_page is not None and on_page.tzinfo is None and on_page.time() == time()
    return in_feed if in_feed and (on_page is None or bare_day) else on_page


def _article_url(claimed: str | None, fetched: str) -> str:
    own = canonical_url(fetched) or fetched
    claim = canonical_url(claimed or "", fetched)
    if claim and same_site(claim, fetched) and urlsplit(claim).path not in ("", "/"):
        return claim
    return own
