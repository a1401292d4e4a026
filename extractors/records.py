"""Structured records: a .json object or list of objects, or .jsonl with one object per line.

Exports from scrapers, Media Cloud, news APIs and Fundus name the same fields differently;
the aliases below cover the common spellings. A record may carry the page's raw `html`
instead of (or besides) its text: the HTML extractor then fills what the record leaves out.
Text lines become "\n\n"-separated paragraphs, as for .txt files. One bad record never sinks
the others: it becomes a "record N: reason" / "line N: reason".
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from marsad.extractors.boilerplate import paragraphs
from marsad.extractors.dates import parse_date
from marsad.extractors.decode import clean_title
from marsad.extractors.errors import ExtractionError
from marsad.extractors.fields import ArticleFields
from marsad.extractors.html_article import extract_html

TITLE = ("title", "headline")
TEXT = ("text", "body", "content", "maintext")
URL = ("url", "link")
DATE = ("published_at", "date", "publish_date", "pubDate")
SOURCE = ("source_id", "source")
SOURCE_NAME = ("media_name", "source_name", "source")
LANGUAGE = ("language", "lang")
AUTHORS = ("authors", "author")
KEY = ("id", "guid", "stories_id")
DESCRIPTION = ("description", "summary")

Parsed = tuple[list[ArticleFields], list[str]]


def extract_json(text: str) -> Parsed:
    """Records of a .json file (an object or a list of objects) and "record N: reason"s."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ExtractionError(f"invalid JSON: {err.msg} (line {err.lineno})") from err
    items = data if isinstance(data, list) else [data]
    if not items:
        raise ExtractionError("no records: the JSON list is empty")
    fields: list[ArticleFields] = []
    errors: list[str] = []
    for n, item in enumerate(items, 1):
        try:
            fields.append(_labelled(item, f"record {n}"))
        except ExtractionError as err:
            errors.append(f"record {n}: {err.reason}")
    return fields, errors


def extract_jsonl(text: str) -> Parsed:
    """Records of a .jsonl file and "line N: reason"s; a cut-off last line is named as such."""
    # records end at "\n" only: str.splitlines() would also cut at U+2028, U+0085 or a lone
    # "\r", which JSON strings may hold (Sky News Arabia's texts do)
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    last = max((n for n, line in enumerate(lines, 1) if line.strip()), default=0)
    cut_off = not text.endswith("\n")
    fields: list[ArticleFields] = []
    errors: list[str] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            fields.append(_labelled(json.loads(line), f"line {n}"))
        except json.JSONDecodeError as err:
            cut = n == last and cut_off
            reason = "truncated record at end of file" if cut else f"invalid JSON: {err.msg}"
            errors.append(f"line {n}: {reason}")
        except ExtractionError as err:
            errors.append(f"line {n}: {err.reason}")
    return fields, errors


def _labelled(record: Any, label: str) -> ArticleFields:
    found = record_fields(record)
    found.position = label.replace(" ", "-")
    return found


def record_fields(record: Any) -> ArticleFields:
    """Article fields of one decoded JSON record; ExtractionError names what is wrong."""
    if not isinstance(record, dict):
        raise ExtractionError(f"not a JSON object but {type(record).__name__}")
    url = _text(record, URL)
    html = record.get("html")
    base = extract_html(html, url=url) if isinstance(html, str) and html.strip() else None
    title = clean_title(_text(record, TITLE) or "") or (base.title if base else "")
    body = "\n\n".join(paragraphs(_text(record, TEXT) or "")) or (base.text if base else "")
    if not title:
        raise ExtractionError("missing title (" + "/".join(TITLE) + ")")
    if not body:
        raise ExtractionError("missing text (" + "/".join(TEXT) + ")")
    return ArticleFields(
        title=title,
        text=body,
        url=url or (base.url if base else None),
        published_at=_date(record) or (base.published_at if base else None),
        authors=_authors(record) or (base.authors if base else []),
        site_name=base.site_name if base else None,
        description=_text(record, DESCRIPTION) or (base.description if base else None),
        language=(_text(record, LANGUAGE) or "").lower() or None,
        source=_text(record, SOURCE),
        source_name=_text(record, SOURCE_NAME),
        key=_text(record, KEY),
    )


def _text(record: dict, names: tuple[str, ...]) -> str | None:
    """The first alias present with a non-empty value, as a string."""
    for name in names:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
    return None


def _date(record: dict) -> datetime | None:
    for name in DATE:
        value = record.get(name)
        if value in (None, ""):
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                return datetime.fromtimestamp(value, tz=UTC)  # Unix epoch seconds
            except (OverflowError, OSError, ValueError) as err:
                raise ExtractionError(f"unreadable {name} {value!r}") from err
        parsed = parse_date(str(value))
        if parsed is None:
            raise ExtractionError(f"unreadable {name} {str(value)[:40]!r}")
        return parsed
    return None


def _authors(record: dict) -> list[str]:
    """A list of names or of {"name": ...} objects, or one string with ';'-separated names."""
    for name in AUTHORS:
        value = record.get(name)
        if isinstance(value, str):
            value = value.split(";")
        if isinstance(value, list):
            names = [v.get("name") if isinstance(v, dict) else v for v in value]
            cleaned = [clean_title(n) for n in names if isinstance(n, str) and n.strip()]
            if cleaned:
                return cleaned
    return []
