"""Files and fields to Articles: the one Article builder, and a file's bytes to its articles.

Dispatch is by file name, since the loader already knows it: .txt, .html/.htm, .json, .jsonl,
and any of these gzip-compressed (.gz; a bare "x.gz" is taken to be HTML, as in Fundus' test
pages). Every problem is a `Failure` whose origin is the file name: extract_file never raises.
Extraction only: entities and topics are a separate step (`marsad.pipeline.enrich`).
"""

from __future__ import annotations

import gzip
import zlib
from io import BytesIO
from pathlib import PurePosixPath

from marsad.extractors.decode import clean_text, clean_title, decode_text
from marsad.extractors.errors import ExtractionError, unexpected
from marsad.extractors.fields import ArticleFields
from marsad.extractors.html_article import extract_html
from marsad.extractors.language import detect_language
from marsad.extractors.normalize import normalize_arabic
from marsad.extractors.records import extract_json, extract_jsonl
from marsad.extractors.text_article import extract_text
from marsad.extractors.urls import host_of
from marsad.models import Article, Failure, Outlet, article_id

DEFAULT_SOURCE = "files"
_GZIP_MAGIC = b"\x1f\x8b"
KINDS = {".txt": "text", ".html": "html", ".htm": "html", ".json": "json", ".jsonl": "jsonl"}


def build_article(
    fields: ArticleFields,
    *,
    origin: str,
    source: str,
    url: str | None,
    key: str,
    outlet: Outlet | None = None,
) -> Article:
    """The one place an Article is made, from a file or a web page.

    Its id (URL, else `key` scoped by source), its outlet's labels, the language (unless the
    input stated it), the normalised matching keys and the content hash.
    """
    text = clean_text(fields.text).strip()
    if not text:
        raise ExtractionError("no article text once control characters are removed")
    title = clean_title(fields.title) or _first_line(text)
    article = Article(
        id=article_id(url=url, source=source, key=key),
        url=url,
        title=title,
        text=text,
        language=fields.language or detect_language(text),
        published_at=fields.published_at,
        source=source,
        source_name=(outlet.name if outlet and outlet.name else fields.source_name),
        source_country=outlet.country if outlet else None,
        source_affiliation=outlet.affiliation if outlet else None,
        authors=fields.authors,
        site_name=fields.site_name,
        description=fields.description,
        origin=origin,
        title_normalized=normalize_arabic(title),
        text_normalized=normalize_arabic(text),
    )
    return article.model_copy(update={"content_hash": article.fingerprint()})


def _first_line(text: str, limit: int = 200) -> str:
    """A title for an article whose own is empty (or only invisible marks): its first line."""
    line = clean_title(text.split("\n", 1)[0])
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "…"


def extract_file(
    data: bytes,
    name: str,
    *,
    source: str | None = None,
    max_bytes: int,
    max_chars: int | None = None,
    key: str | None = None,
) -> tuple[list[Article], list[Failure]]:
    """Articles found in one file, and a Failure (origin `name`) for everything that was not.

    `max_chars` bounds each article's text (and a text file before it is parsed), so one
    oversized item costs little; `key` identifies the file for ids (default: `name`).
    """
    try:
        found, problems = _extract(data, name, max_bytes, max_chars)
        articles = []
        for fields in found:
            _check_length(fields.text, max_chars)
            articles.append(_file_article(fields, name, key or name, source))
    except ExtractionError as err:
        return [], [Failure(origin=name, reason=err.reason)]
    except Exception as err:  # never raise: an unexpected bug still becomes a visible Failure
        return [], [Failure(origin=name, reason=unexpected(err))]
    return articles, [Failure(origin=name, reason=problem) for problem in problems]


def _extract(
    data: bytes, name: str, max_bytes: int, max_chars: int | None
) -> tuple[list[ArticleFields], list[str]]:
    if len(data) > max_bytes:
        raise ExtractionError(f"{len(data)} bytes is over the {max_bytes}-byte limit")
    path = PurePosixPath(name.lower())
    if path.suffix != ".gz" and data.startswith(_GZIP_MAGIC):
        path = path.with_name(path.name + ".gz")  # the content says gzip, whatever the name
    if path.suffix == ".gz":
        data = _gunzip(data, max_bytes)
        path = path.with_suffix("") if path.with_suffix("").suffix else path.with_suffix(".html")
    kind = KINDS.get(path.suffix)
    if kind is None:
        what = f"'{path.suffix}'" if path.suffix else "(no file extension)"
        raise ExtractionError(f"unsupported file type {what}")
    text, _encoding = decode_text(data)
    if kind == "text":
        _check_length(text, max_chars)
    if kind == "json":
        return extract_json(text)
    if kind == "jsonl":
        return extract_jsonl(text)
    return [extract_text(text) if kind == "text" else extract_html(text)], []


def _check_length(text: str, max_chars: int | None) -> None:
    if max_chars is not None and len(text) > max_chars:
        raise ExtractionError(f"text of {len(text)} characters is over the {max_chars} limit")


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress, refusing gzip bombs: the output obeys the same byte limit as the input."""
    try:
        with gzip.GzipFile(fileobj=BytesIO(data)) as stream:
            out = stream.read(max_bytes + 1)
    except EOFError as err:
        raise ExtractionError("truncated gzip: the compressed data ends early") from err
    except (OSError, zlib.error) as err:
        raise ExtractionError(f"not valid gzip data ({err})") from err
    if len(out) > max_bytes:
        raise ExtractionError(f"decompressed size is over the {max_bytes}-byte limit")
    return out


def _file_article(fields: ArticleFields, name: str, file_key: str, source: str | None) -> Article:
    host = host_of(fields.url) if fields.url else None
    source_id = host or fields.source or source or DEFAULT_SOURCE
    key = fields.key or (f"{file_key}#{fields.position}" if fields.position else file_key)
    return build_article(fields, origin=name, source=source_id, url=fields.url, key=key)
