"""Builds tests/fixtures/feeds/ from the real fixtures; run `python -m tests.fetch.build_fixtures`.

No real Arabic RSS/Atom feed or news sitemap was available, so these are made from real items:
the ANT corpus documents (URL, title, RSS publication time, author and abstract exactly as the
corpus recorded them from the outlets' feeds) and the real article pages in tests/fixtures/pages
(their own canonical URL; title and date from their .expected.json ground truth).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from pathlib import Path

from tests.fetch.web import ANT, FEEDS, PAGES, read_ant

FEED_HOST = "http://feeds.marsad.test"  # .test is reserved: these never leave the test server
_CANONICAL = re.compile(r'<link[^>]*rel="?canonical"?[^>]*href="?([^"\s>]+)', re.I)
_OG_URL = re.compile(r'<meta[^>]*property="og:url"[^>]*content="([^"]+)"', re.I)
_ORDER = re.compile(r'<link[^>]*href="?([^"\s>]+)"?[^>]*rel="?canonical"?', re.I)


def _when(doc: dict[str, str]) -> datetime:
    value = doc["TIME"]
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return parsedate_to_datetime(value)


def _rss(title: str, link: str, items: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{link}</link><language>ar</language>\n"
        + "\n".join(items) + "\n</channel></rss>\n"
    )  # fmt: skip


def _rss_item(url: str, title: str, when: datetime | str, summary="", author="") -> str:
    """An RSS item; `when` as the corpus recorded the pubDate when it is already RFC 822."""
    extra = f"<author>{escape(author)}</author>" if author else ""
    date = when if isinstance(when, str) else format_datetime(when)
    return (
        f"<item><title>{escape(title)}</title><link>{escape(url)}</link>"
        f"<guid>{escape(url)}</guid><pubDate>{date}</pubDate>"
        f"<description>{escape(summary)}</description>{extra}</item>"
    )


def ant_rss(docs: list[dict]) -> str:
    items = [_rss_item(d["URL"], d["TITLE"], d["TIME"], d.get("ABSTRACT", ""), d.get("AUTHOR", ""))
             for d in docs]  # fmt: skip
    return _rss("ANT corpus items (five outlets, 2018)", FEED_HOST + "/", items)


def jawhara_atom(docs: list[dict]) -> str:
    entries = "\n".join(
        f'<entry><title>{escape(d["TITLE"])}</title><link href="{escape(d["URL"])}"/>'
        f"<id>{escape(d['URL'])}</id><updated>{_when(d).isoformat()}</updated>"
        f"<published>{_when(d).isoformat()}</published></entry>"
        for d in docs
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Jawhara FM (ANT corpus items)</title><id>{FEED_HOST}/jawhara_atom.xml</id>"
        f"<updated>2017-01-22T12:00:00+01:00</updated>\n{entries}\n</feed>\n"
    )


def news_sitemap(docs: list[dict]) -> str:
    urls = "\n".join(
        f"<url><loc>{escape(d['URL'])}</loc><news:news><news:publication><news:name>"
        f"{escape(d.get('SRC', ''))}</news:name><news:language>ar</news:language>"
        f"</news:publication><news:publication_date>{_when(d).isoformat()}"
        f"</news:publication_date><news:title>{escape(d['TITLE'])}</news:title>"
        f"</news:news></url>"
        for d in docs
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        f"{urls}\n</urlset>\n"
    )


def plain_sitemap(docs: list[dict]) -> str:
    urls = "\n".join(
        f"<url><loc>{escape(d['URL'])}</loc><lastmod>{_when(d).date()}</lastmod></url>"
        for d in docs
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n'
    )


def sitemap_index(names: list[str]) -> str:
    entries = "\n".join(f"<sitemap><loc>{FEED_HOST}/{n}</loc></sitemap>" for n in names)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}\n'
        "</sitemapindex>\n"
    )


def canonical_of(raw: str) -> str:
    """The page's own URL: its canonical link, else og:url."""
    found = _CANONICAL.search(raw) or _ORDER.search(raw) or _OG_URL.search(raw)
    return found.group(1)


def page_items() -> list[str]:
    items = []
    for page in sorted(PAGES.glob("*.html")):
        raw = page.read_text("utf-8", errors="replace")
        expected = json.loads(page.with_suffix(".expected.json").read_text("utf-8"))
        when = datetime.fromisoformat(expected["date"] + "T00:00:00+00:00")
        items.append(_rss_item(canonical_of(raw), expected["title"], when))
    return items


def main() -> None:
    FEEDS.mkdir(exist_ok=True)
    multi = [read_ant(p) for p in sorted(ANT.glob("*.txt")) if not p.name.startswith("JA-")]
    jawhara = [read_ant(p) for p in sorted(ANT.glob("JA-*.txt"))]
    files = {
        "ant_rss.xml": ant_rss(multi),
        "jawhara_atom.xml": jawhara_atom(jawhara),
        "ant_news_sitemap.xml": news_sitemap(multi),
        "jawhara_sitemap.xml": plain_sitemap(jawhara),
        "sitemap_index.xml": sitemap_index(["ant_news_sitemap.xml", "jawhara_sitemap.xml"]),
        "pages_rss.xml": _rss(
            "Real article pages (tests/fixtures/pages)", FEED_HOST + "/", page_items()
        ),
    }
    for name, text in files.items():
        (FEEDS / name).write_text(text, "utf-8")
        print(f"wrote {Path('tests/fixtures/feeds') / name}")


if __name__ == "__main__":
    main()
