"""Publication dates: parsing date strings, and finding the publication date of an HTML page.

For pages, bare trafilatura/htmldate fall back to the copyright year ("© 2013" → 2013-01-01)
when a page has no date markup, and take the first date in the text, which can be a sidebar.
`page_date` therefore asks, in order:
1. publication markup in the body (schema.org `itemprop=datePublished`, RDFa `dc:date`), when
   all such elements agree on the day; htmldate only reads these from <meta>;
2. htmldate without its free-text search (URL, <meta>, JSON-LD, <time>, <abbr>), original date;
   of 1 and 2 the more precise one wins when they fall on the same day, else 1 wins;
3. a /YYYY/section/M/D/ URL path (CNN Arabic), which htmldate's URL pattern does not accept;
4. htmldate's extensive free-text search, unless all it found is a copyright year.
"""

from __future__ import annotations

import re
from datetime import datetime, time
from email.utils import parsedate_to_datetime

from htmldate import find_date
from htmldate.utils import load_html
from lxml.html import HtmlElement

from marsad.extractors.normalize import normalize_arabic

_PLAIN_FORMATS = ("%Y/%m/%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d %H:%M", "%Y%m%d")
_MARKUP_XPATH = (
    "//body//*[@itemprop='datePublished' or @property='dc:date' or @property='dcterms:created'"
    " or @property='dcterms:issued' or @property='datePublished']"
)
_URL_PATH_DATE = re.compile(r"/((?:19|20)\d\d)/(?:[^/?#]+/)?(\d{1,2})/(\d{1,2})/")
_HTMLDATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
# htmldate's settings for step 2 (metadata, original date, no free-text search); callers that
# run trafilatura pass these to it and hand its date to page_date as `meta`.
DATE_SEARCH: dict[str, object] = {
    "extensive_search": False,
    "original_date": True,
    "outputformat": _HTMLDATE_FORMAT,
}
_UNSET = datetime.min


def parse_date(value: str) -> datetime | None:
    """Parse ISO 8601, RFC 822 (RSS pubDate) or a plain numeric date; None if it is none of them.

    Day-first is assumed for "03/08/2013": that is how Arabic (and most non-US) outlets write it.
    """
    raw, value = value, normalize_arabic(value)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _PLAIN_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return _date_in_words(raw)


# Levantine/Iraqi month names beside the Egyptian/Gulf ones dateparser knows ("نيسان / أبريل").
_LEVANTINE = {
    "كانون الثاني": "يناير", "شباط": "فبراير", "آذار": "مارس", "نيسان": "أبريل", "أيار": "مايو",
    "حزيران": "يونيو", "تموز": "يوليو", "آب": "أغسطس", "أيلول": "سبتمبر", "تشرين الأول": "أكتوبر",
    "تشرين الثاني": "نوفمبر", "كانون الأول": "ديسمبر",
}  # fmt: skip
_LEVANTINE_WORD = re.compile("|".join(sorted(map(re.escape, _LEVANTINE), key=len, reverse=True)))
_SAME_MONTH_TWICE = re.compile(r"(\w+)\s*/\s*\1")
_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")


def _date_in_words(value: str) -> datetime | None:
    """A date written with a month name («3 أغسطس 2013», «24 نيسان / أبريل 2020», "Aug 3, 2013").

    dateparser reads Arabic and English month names. Only an absolute date counts: the text must
    write a year, so relative phrases («منذ ساعتين», "yesterday") never become a date.
    """
    if not _YEAR.search(value) or len(value) > 80:
        return None
    import dateparser  # imported on first use: it takes a moment to load

    text = _LEVANTINE_WORD.sub(lambda m: _LEVANTINE[m.group()], value)
    text = _SAME_MONTH_TWICE.sub(r"\1", text)
    return dateparser.parse(text, languages=["ar", "en"], settings={
        "REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False,
    })  # fmt: skip


def page_date(
    html: str, url: str | None, tree: HtmlElement | None = None, meta: datetime | None = _UNSET
) -> datetime | None:
    """The publication date of an HTML page (see the module docstring for the order).

    `tree` is the page already parsed and `meta` what htmldate found with DATE_SEARCH for `url`,
    if the caller has them (one parse and one htmldate pass less per page).
    """
    tree = tree if tree is not None else parse_html(html)
    if tree is None:
        return None
    markup = _markup_date(tree)
    if meta is _UNSET:
        meta = _htmldate(tree, url, extensive=False)
    if markup and meta and markup.date() == meta.date():
        return meta if _has_time(meta) and not _has_time(markup) else markup
    return markup or meta or _url_path_date(url) or _not_copyright(_htmldate(tree, url), html)


def _markup_date(tree: HtmlElement) -> datetime | None:
    """The one publication day the body's markup states; None if absent or ambiguous."""
    found: list[datetime] = []
    for element in tree.xpath(_MARKUP_XPATH):
        value = element.get("content") or element.get("datetime")
        parsed = parse_date(value) if value else None
        if parsed:
            found.append(parsed)
    days = {parsed.date() for parsed in found}
    return max(found, key=_has_time) if len(days) == 1 else None


def _htmldate(tree: HtmlElement, url: str | None, *, extensive: bool = True) -> datetime | None:
    """htmldate on the parsed page (it works on a copy: cheaper than parsing the text again)."""
    found = find_date(
        tree,
        extensive_search=extensive,
        original_date=True,
        outputformat=_HTMLDATE_FORMAT,
        url=url,
    )
    return parse_date(found) if found else None


def parse_html(html: str) -> HtmlElement | None:
    """The page's tree as htmldate parses it, comments kept.

    The one parse of a page: trafilatura gets this tree too (its own parser drops comments,
    which changes what htmldate finds on some pages: Sada El Balad's day by two hours' offset).
    """
    return load_html(_not_a_url(html))


def _not_a_url(html: str) -> str:
    """htmldate downloads any input string that starts with "http" and has no space, with its
    own client, past every check of the guarded fetcher. A page whose whole body is a URL must
    stay a page: a leading newline changes nothing for the parser and stops the download."""
    return "\n" + html if html.startswith("http") else html


def _not_copyright(found: datetime | None, html: str) -> datetime | None:
    """Drop htmldate's last resort, "© 2013" read as 2013-01-01: a made-up day misleads."""
    if found is None or (found.month, found.day) != (1, 1) or _has_time(found):
        return found
    copyright_year = re.compile(rf"(?:©|&copy;|copyright)[\s\d–-]*{found.year}", re.IGNORECASE)
    return None if copyright_year.search(html) else found


def _url_path_date(url: str | None) -> datetime | None:
    match = _URL_PATH_DATE.search(url or "")
    if not match:
        return None
    try:
        year, month, day = (int(part) for part in match.groups())
        return datetime(year, month, day)
    except ValueError:
        return None


def _has_time(moment: datetime) -> bool:
    """htmldate reports a date without a time as naive midnight."""
    return moment.tzinfo is not None or moment.time() != time(0, 0)
