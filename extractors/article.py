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

from marsad.extractors.decode import decode_text
from marsad.extractors.errors import ExtractionError
from marsad.extractors.fields import ArticleFields
from marsad.extractors.html_article import extract_html
from marsad.extractors.language import detect_language
from marsad.extractors.normalize import normalize_arabic
from marsad.extractors.records import extract_json, extract_jsonl
from marsad.extractors.text_article import extract_text
from marsad.extractors.urls import host_of
from marsad.models import Article, Failure, Outlet, article_id

DEFAULT_SOURCE = "files"
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
    article = Article(
        id=article_id(url=url, source=source, key=key),
        url=url,
        title=fields.title,
        text=fields.text,
        language=fields.language or detect_language(fields.text),
        published_at=fields.published_at,
        source=source,
        source_name=(outlet.name if outlet and outlet.name else fields.source_name),
        source_country=outlet.country if outlet else None,
        source_affiliation=outlet.affiliation if outlet else None,
        authors=fields.authors,
        site_name=fields.site_name,
        description=fields.description,
        origin=origin,
        title_normalized=normalize_arabic(fields.title),
        text_normalized=normalize_arabic(fields.text),
    )
    return article.model_copy(update={"content_hash": article.fingerprint()})


def extract_file(
    data: bytes, name: str, *, source: str | None = None, max_bytes: int
) -> tuple[list[Article], list[Failure]]:
    """Articles found in one file, and a Failure (origin `name`) for everything that was not."""
    try:
        found, problems = _extract(data, name, max_bytes)
        articles = [_file_article(f, name, source) for f in found]
    except ExtractionError as err:
        return [], [Failure(origin=name, reason=err.reason)]
    except Exception as err:  # never raise: an unexpected bug still becomes a visible Failure
        reason = " ".join(f"unexpected {type(err).__name__}: {err}".split())
        return [], [Failure(origin=name, reason=reason)]
    return articles, [Failure(origin=name, reason=problem) for problem in problems]


def _extract(data: bytes, name: str, max_bytes: int) -> tuple[list[ArticleFields], list[str]]:
    if len(data) > max_bytes:
        raise ExtractionError(f"{len(data)} bytes is over the {max_bytes}-byte limit")
    path = PurePosixPath(name.lower())
    if path.suffix == ".gz":
        data = _gunzip(data, max_bytes)
        path = path.with_suffix("") if path.with_suffix("").suffix else path.with_suffix(".html")
    kind = KINDS.get(path.suffix)
    if kind is None:
        what = f"'{path.suffix}'" if path.suffix else "(no file extension)"
        raise ExtractionError(f"unsupported file type {what}")
    text, _encoding = decode_text(data)
    if kind == "json":
        return extract_json(text)
    if kind == "jsonl":
        return extract_jsonl(text)
    return [extract_text(text) if kind == "text" else extract_html(text)], []


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


def _file_article(fields: ArticleFields, name: str, source: str | None) -> Article:
    host = host_of(fields.url) if fields.url else None
    source_id = host or fields.source or source or DEFAULT_SOURCE
    key = fields.key or (f"{name}#{fields.position}" if fields.position else name)
    return build_article(fields, origin=name, source=source_id, url=fields.url, key=key)
