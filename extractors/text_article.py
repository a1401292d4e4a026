"""Plain-text articles (.txt): a headline line then paragraphs, or an ANT corpus document.

Plain layout (the seed article): the first non-empty line is the headline, every further
non-empty line is a paragraph (subheadings included, as their own paragraphs). News text files
are not hard-wrapped, so lines are not re-flowed. Boilerplate lines are dropped first
(see extractors.boilerplate), so an "ADVERTISEMENT" line can never become the headline.

ANT layout (antcorpus.github.io): TREC-style tags <DOC><DOCNO><URL><SRC><TITLE><TIME><AUTHOR>
<ABSTRACT><TEXT>, one document per file. It is not well-formed XML (raw "&" in URLs),
so the tags are read with a regular expression rather than an XML parser.
"""

from __future__ import annotations

import re
from datetime import datetime

from marsad.extractors.boilerplate import paragraphs
from marsad.extractors.dates import parse_date
from marsad.extractors.decode import clean_title
from marsad.extractors.errors import ExtractionError
from marsad.extractors.fields import ArticleFields

_ANT_START = re.compile(r"^\s*<DOC>")
_ANT_TAG = re.compile(r"<(DOCNO|URL|SRC|TITLE|TIME|AUTHOR|ABSTRACT|TEXT)>(.*?)</\1>", re.DOTALL)


def extract_text(text: str) -> ArticleFields:
    """Article fields of a .txt file in either layout; ExtractionError if there is no article."""
    if _ANT_START.match(text):
        return _ant_document(text)
    lines = paragraphs(text)
    if not lines:
        raise ExtractionError("no text lines (only blank or boilerplate lines)")
    title, body = clean_title(lines[0]), lines[1:]
    if not body:
        raise ExtractionError("no article text after the headline")
    return ArticleFields(title=title, text="\n\n".join(body))


def _ant_document(text: str) -> ArticleFields:
    if text.count("<DOC>") > 1:
        raise ExtractionError(f"{text.count('<DOC>')} ANT <DOC> records in one file, expected 1")
    tags = {name: value.strip() for name, value in _ANT_TAG.findall(text)}
    title = clean_title(tags.get("TITLE", ""))
    if not title:
        raise ExtractionError("ANT document has no <TITLE>")
    body = paragraphs(tags.get("TEXT", ""))
    if not body:
        raise ExtractionError("ANT document has no article text in <TEXT>")
    return ArticleFields(
        title=title,
        text="\n\n".join(body),
        url=tags.get("URL") or None,
        published_at=_ant_time(tags.get("TIME", "")),
        authors=[tags["AUTHOR"]] if tags.get("AUTHOR") else [],
        description=" ".join(tags.get("ABSTRACT", "").split()) or None,
        source_name=tags.get("SRC") or None,
        key=tags.get("DOCNO") or None,
    )


def _ant_time(value: str) -> datetime | None:
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise ExtractionError(f"unreadable ANT <TIME> {value[:40]!r}")
    return parsed
