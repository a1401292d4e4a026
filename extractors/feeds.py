"""Feeds and sitemaps, from bytes to the list of article links they announce. No I/O.

RSS and Atom go through feedparser, which copes with the broken XML, odd date formats and
encodings real feeds have. It is only ever handed a file object: given a string that looks like
a URL it downloads it, and given a string or bytes naming a file it reads that file, outside
every safety check (a feed whose whole body is `/etc/passwd` or a URL must stay a bad feed).
Sitemaps (plain, news, and sitemap indexes) are parsed with lxml with entity expansion and
network access off, since their content is untrusted.

Links are made canonical; a link that is no fetchable URL is kept as written, so it becomes one
refused item with its reason at fetch time instead of vanishing or stopping the run.
"""

from __future__ import annotations

import calendar
import gzip
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from urllib.parse import urljoin

import feedparser
from lxml import etree

from marsad.extractors.dates import parse_date
from marsad.extractors.errors import ExtractionError
from marsad.extractors.urls import canonical_url


@dataclass(frozen=True)
class FeedItem:
    """One announced article: its canonical URL and what the feed says about it."""

    url: str
    title: str | None = None
    published_at: datetime | None = None
    summary: str | None = None


@dataclass
class Sitemap:
    """A sitemap's article links, or, for a sitemap index, the sitemaps it points to."""

    items: list[FeedItem] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


def parse_feed(data: bytes, base_url: str) -> list[FeedItem]:
    """Items of an RSS or Atom feed, newest first; ExtractionError if it is not a feed."""
    parsed = feedparser.parse(BytesIO(data))  # relative links are resolved by `_item_url`
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        problem = parsed.get("bozo_exception") or "no RSS or Atom items"
        raise ExtractionError(f"not a readable feed: {problem}")
    return _newest_first(_unique(_feed_item(e, base_url) for e in parsed.entries))


def _feed_item(entry: dict, base_url: str) -> FeedItem | None:
    url = _item_url(entry.get("link"), base_url)
    if url is None:
        return None
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    return FeedItem(
        url=url,
        title=_text(entry.get("title")),
        published_at=_utc(when),
        summary=_text(entry.get("summary")),
    )


def _item_url(link: str | None, base_url: str) -> str | None:
    """The canonical URL; a link that is none is kept as written (absolute when it can be
    made so), for the fetcher to refuse with its reason. No link at all is no item."""
    raw = "".join((link or "").split())  # feeds wrap long links over lines
    if not raw:
        return None
    try:
        return canonical_url(raw, base_url) or urljoin(base_url, raw)
    except ValueError:  # urllib's own parse errors, e.g. an unclosed "[" in the host
        return raw


def _utc(when) -> datetime | None:
    """feedparser's parsed date as UTC; a date no clock can hold (year 99999) is none."""
    try:
        return datetime.fromtimestamp(calendar.timegm(when), UTC) if when else None
    except (OverflowError, OSError, ValueError, TypeError):
        return None


def parse_sitemap(data: bytes, base_url: str, *, max_bytes: int) -> Sitemap:
    """A `urlset` (with Google News tags when present) or a `sitemapindex`; gzip accepted."""
    root = _xml_root(_gunzip(data, max_bytes) if data[:2] == b"\x1f\x8b" else data)
    kind = etree.QName(root).localname
    if kind == "sitemapindex":
        locs = (_item_url(_child_text(s, "loc"), base_url) for s in _children(root))
        return Sitemap(sitemaps=list(dict.fromkeys(u for u in locs if u)))
    if kind != "urlset":
        raise ExtractionError(f"not a sitemap: root element is <{kind}>")
    return Sitemap(
        items=_newest_first(_unique(_sitemap_item(u, base_url) for u in _children(root)))
    )


def _sitemap_item(node: etree._Element, base_url: str) -> FeedItem | None:
    url = _item_url(_child_text(node, "loc"), base_url)
    if url is None:
        return None
    news = next((c for c in node if etree.QName(c).localname == "news"), None)
    title = _child_text(news, "title") if news is not None else None
    date = _child_text(news, "publication_date") if news is not None else None
    when = date or _child_text(node, "lastmod")
    return FeedItem(url=url, title=title, published_at=_aware(parse_date(when) if when else None))


def _xml_root(data: bytes) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, recover=False, huge_tree=False
    )
    try:
        root = etree.parse(BytesIO(data.strip()), parser).getroot()
    except etree.XMLSyntaxError as err:
        raise ExtractionError(f"not well-formed sitemap XML: {err}") from err
    if root is None:
        raise ExtractionError("empty sitemap")
    return root


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """Sitemaps may be served as .xml.gz; the output obeys the same byte limit (no gzip bombs)."""
    try:
        with gzip.GzipFile(fileobj=BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as err:
        raise ExtractionError(f"not valid gzip data ({err})") from err
    if len(out) > max_bytes:
        raise ExtractionError(f"decompressed sitemap is over the {max_bytes}-byte limit")
    return out


def _children(root: etree._Element) -> list[etree._Element]:
    return [c for c in root if isinstance(c.tag, str)]


def _child_text(node: etree._Element | None, name: str) -> str | None:
    for child in _children(node) if node is not None else []:
        if etree.QName(child).localname == name:
            return _text(child.text)
    return None


def _text(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None


def _unique(items) -> list[FeedItem]:
    """The first mention of each canonical URL wins (feeds repeat items across sections)."""
    seen: dict[str, FeedItem] = {}
    for item in items:
        if item is not None and item.url not in seen:
            seen[item.url] = item
    return list(seen.values())


def _aware(moment: datetime | None) -> datetime | None:
    """Sitemaps may give a bare day; it is taken as UTC so items can be ordered."""
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def _newest_first(items: list[FeedItem]) -> list[FeedItem]:
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(items, key=lambda i: i.published_at or oldest, reverse=True)
