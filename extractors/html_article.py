"""HTML page → article fields, with trafilatura for main text and metadata.

Measured on the fixtures (see marsad/quality.py): trafilatura's default balance is best
(favor_recall pulls in more furniture, favor_precision changes nothing here). Reader comments
stay out because only `doc.text` is used (bare_extraction keeps them in `doc.comments`);
include_comments=False was measured to lose Sputnik's lead paragraph. Paragraphs that come from
popups are dropped afterwards (Sputnik's 23-line comment-rules dialog otherwise becomes body
text); pruning the popups before extraction instead was measured to make trafilatura pick a
container without Sputnik's lead. Comment-policy disclaimers are dropped (CNN Arabic), and
dates come from `extractors.dates.page_date`.
"""

from __future__ import annotations

import re
from typing import cast

from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.settings import Document

from marsad.extractors.boilerplate import is_boilerplate_line, is_policy_paragraph
from marsad.extractors.dates import DATE_SEARCH, page_date, parse_date, parse_html
from marsad.extractors.decode import clean_title
from marsad.extractors.errors import ExtractionError
from marsad.extractors.fields import ArticleFields
from marsad.extractors.normalize import normalize_arabic

# Below this, what trafilatura found is a menu or a caption, not an article (a one-line
# news flash still has a few dozen letters).
MIN_LETTERS = 30
_OPENED = re.compile(r"<(html|body)\b", re.IGNORECASE)
_CLOSED = re.compile(r"</(html|body)\s*>", re.IGNORECASE)
_URL_START = re.compile(r"\b(?:https?|www)\b", re.IGNORECASE)
# Popups never hold the article: ARIA dialogs, and div/section/aside with a "modal*" class
# (element-restricted so Bootstrap's <body class="modal-open"> does not count).
_POPUPS = (
    "//*[@role='dialog' or @aria-modal='true']"
    " | //*[self::div or self::section or self::aside]"
    "[contains(concat(' ', normalize-space(@class)), ' modal')]"
)
_TITLE_SEPARATORS = re.compile(r"(\s+[-|–—:]{1,2}\s+)")


def extract_html(html: str, *, url: str | None = None) -> ArticleFields:
    """Main text and metadata of an article page; ExtractionError if there is no article."""
    _check_complete(html)
    tree = _parse(html)
    # Parsed once: trafilatura works on a copy of the tree (cheaper than parsing again), and its
    # htmldate pass uses page_date's settings, so its date is page_date's metadata date.
    doc = cast(
        Document | None,  # a Document: the dict return is only for the deprecated as_dict=True
        bare_extraction(tree, url=url, with_metadata=True, date_extraction_params=DATE_SEARCH),
    )
    if doc is None or not (doc.text or "").strip():
        raise ExtractionError("no main text found in the HTML page")
    text = _body(doc.text or "", clean_title(doc.title or ""), popups=_popup_text(tree))
    site_name = _site_name(doc.sitename)
    authors = _authors(doc.author)
    canonical = doc.url or url
    return ArticleFields(
        title=_title(doc.title or "", brands=[site_name or "", *authors]),
        text=text,
        url=canonical,
        published_at=page_date(html, canonical, tree, meta=parse_date(doc.date or "")),
        authors=authors,
        site_name=site_name,
        description=doc.description or None,
    )


def _check_complete(html: str) -> None:
    """A page that opens <html>/<body> but never closes them was cut off in transfer."""
    if _OPENED.search(html) and not _CLOSED.search(html):
        raise ExtractionError("HTML page is truncated (no closing </body> or </html> tag)")


def _parse(html: str) -> HtmlElement:
    tree = parse_html(html)
    if tree is None:
        raise ExtractionError("not parseable as HTML")
    return tree


def _title(raw: str, brands: list[str]) -> str:
    """The headline without a leading/trailing site-name segment ("X - اليوم السابع")."""
    title = clean_title(raw)
    if not title:
        raise ExtractionError("no title found in the HTML page")
    keys = {normalize_arabic(brand).casefold() for brand in brands if brand}
    pieces = _TITLE_SEPARATORS.split(title)  # [part, separator, part, ...]
    if len(pieces) >= 3:
        if normalize_arabic(pieces[-1]).casefold() in keys:
            pieces = pieces[:-2]
        elif normalize_arabic(pieces[0]).casefold() in keys:
            pieces = pieces[2:]
    return "".join(pieces)


def _popup_text(tree: HtmlElement) -> str:
    """Matching key of everything inside popups, to recognise paragraphs that came from one."""
    return normalize_arabic(" ".join(el.text_content() for el in tree.xpath(_POPUPS)))


def _body(text: str, title: str, popups: str) -> str:
    """Paragraphs joined by blank lines, without furniture, popups or a repeated headline."""
    # each paragraph is normalised once, for all three checks and the headline comparison
    keyed = [(p.strip(), normalize_arabic(p)) for p in text.splitlines() if p.strip()]
    kept = [(p, key) for p, key in keyed if not _furniture(p, key, popups)]
    if kept and kept[0][1] == normalize_arabic(title):
        kept = kept[1:]
    if not kept:
        raise ExtractionError("no main text found in the HTML page")
    body = "\n\n".join(p for p, _key in kept)
    letters = sum(ch.isalpha() for ch in body)
    if letters < MIN_LETTERS:
        count = f"{letters} letter{'' if letters == 1 else 's'}"
        raise ExtractionError(f"main text too short ({count}), not an article page")
    return body


def _furniture(paragraph: str, key: str, popups: str) -> bool:
    """`key` is the paragraph's normalize_arabic matching key."""
    if is_boilerplate_line(paragraph, key) or is_policy_paragraph(paragraph, key):
        return True
    return bool(popups) and key in popups


def _site_name(raw: str | None) -> str | None:
    """Site names that are really URLs (akhbarelyom.com's og:site_name) are no names."""
    name = clean_title(raw or "")
    return name if name and not name.lower().startswith(("http:", "https:", "www.")) else None


def _authors(raw: str | None) -> list[str]:
    """trafilatura's "A; B" string, cut where it starts spelling out a logo URL (Sputnik)."""
    authors: list[str] = []
    for part in _URL_START.split(raw or "", maxsplit=1)[0].split(";"):
        name = clean_title(part)
        if len(name) > 1 and name not in authors:
            authors.append(name)
    return authors
