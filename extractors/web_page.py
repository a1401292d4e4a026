"""A fetched web page to an Article. Pure: the response's bytes, headers and URLs in.

The feed's title, date and summary fill gaps the page leaves (a feed's exact time beats a bare
day found in the URL). The page's own canonical link is the article's URL only on the same
site (a page cannot claim another outlet's URL and overwrite its article) and when it is not
the site's front page (a common bug).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from urllib.parse import urlsplit

from marsad.extractors.article import build_article
from marsad.extractors.decode import decode_text
from marsad.extractors.errors import ExtractionError
from marsad.extractors.html_article import extract_html
from marsad.extractors.urls import canonical_url, host_of, same_site
from marsad.models import Article, Outlet

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")


def extract_page(
    body: bytes,
    content_type: str,
    url: str,
    outlet: Outlet | None,
    *,
    title: str | None = None,
    published_at: datetime | None = None,
    summary: str | None = None,
    max_chars: int | None = None,
) -> Article:
    """The article of an HTTP response fetched from `url` (final URL, after redirects)."""
    media = content_type.split(";")[0].strip().lower()
    if media not in HTML_TYPES:
        raise ExtractionError(f"not an HTML page ({media})")
    html, _encoding = decode_text(body, content_type=content_type, sniff_meta=True)
    return page_article(
        html, url, outlet, title=title, published_at=published_at, summary=summary,
        max_chars=max_chars,
    )  # fmt: skip


def page_article(
    html: str,
    url: str,
    outlet: Outlet | None,
    *,
    title: str | None = None,
    published_at: datetime | None = None,
    summary: str | None = None,
    max_chars: int | None = None,
) -> Article:
    """The article on a decoded page; ExtractionError if neither page nor feed has a title."""
    fields = extract_html(html, url=url)
    if max_chars is not None and len(fields.text) > max_chars:
        raise ExtractionError(
            f"text of {len(fields.text)} characters is over the {max_chars} limit"
        )
    article_url = _article_url(fields.url, url)
    fields = replace(
        fields,
        title=fields.title or title or "",
        published_at=_published(fields.published_at, published_at),
        description=fields.description or summary,
        source_name=None,  # the outlet's registry name, or none
    )
    if not fields.title:
        raise ExtractionError("no title on the page or in the feed")
    source = outlet.id if outlet else host_of(url)
    return build_article(
        fields, origin=url, source=source, url=article_url, key=article_url, outlet=outlet
    )


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
