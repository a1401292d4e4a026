"""Bytes to text: BOMs, declared charsets, strict UTF-8, then Arabic/Latin legacy encodings.

Arabic news still arrives in windows-1256 and ISO-8859-6, often with no charset declared, so
guessing is unavoidable; charset-normalizer does it, limited to encodings that plausibly carry
Arabic or Latin news so that a wrong exotic guess cannot produce confident mojibake.

The one decoder for files and web pages. A web response's clues come first: the HTTP header,
then the page's own <meta>; a declaration the bytes do not decode under is skipped. One
exception: a header naming a Latin default (ISO-8859-1, windows-1252, ASCII) is ignored, because
it is usually the web server's default rather than the author's choice, Latin-1 decodes any
bytes, and believing it turns Arabic into mojibake; the meta or detection decides.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from marsad.extractors.errors import ExtractionError

# Longest BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Candidates for text that is not UTF-8: Arabic first, then Latin (English/French pages).
_LEGACY = ["cp1256", "iso8859_6", "cp1252", "latin_1"]
_SAMPLE = 8192
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_LATIN_DEFAULTS = frozenset({"latin-1", "iso8859-1", "cp1252", "ascii"})
_META_WINDOW = 4096
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")
# Bidi embeddings/overrides/isolates, LRM/RLM, Arabic letter mark, zero-width space, BOM.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b\ufeff]")
# ZWNJ/ZWJ shape letters (Persian needs ZWNJ inside words); anywhere else they are litter.
_STRAY_JOINERS = re.compile(r"(?<!\w)[\u200c\u200d]+|[\u200c\u200d]+(?!\w)")
_JOINER_RUN = re.compile(r"([\u200c\u200d])[\u200c\u200d]+")


def decode_text(
    data: bytes, *, content_type: str | None = None, sniff_meta: bool = False
) -> tuple[str, str]:
    """Decode `data` and return (text, encoding name); raise ExtractionError if it is not text.

    `content_type` is an HTTP Content-Type header; `sniff_meta` also reads an HTML <meta>
    charset. Files pass neither: their bytes are the only evidence.
    """
    if not data.startswith(tuple(bom for bom, _ in _BOMS)):
        for codec in _declared(content_type, data[:_META_WINDOW] if sniff_meta else b""):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                continue  # a wrong declaration: fall through to the next clue
    return _detect(data)


def _declared(content_type: str | None, head: bytes) -> list[str]:
    """Charsets the response declares, header first; a Latin default header is not believed."""
    header = _codec(_match(_HEADER_CHARSET, content_type or ""))
    meta = _codec(_match(_META_CHARSET, head)) if head else None
    if header in _LATIN_DEFAULTS:
        header = None
    return [codec for codec in (header, meta) if codec]


def _match(pattern: re.Pattern, text: str | bytes) -> str | None:
    found = pattern.search(text)  # a str pattern for str, a bytes pattern for bytes
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


def _detect(data: bytes) -> tuple[str, str]:
    if not data.strip():
        raise ExtractionError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_bom(data, encoding), encoding
    if _looks_binary(data[:_SAMPLE]):
        raise ExtractionError("binary content, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=_LEGACY).best()
    if best is None:
        raise ExtractionError("not valid UTF-8 and no Arabic/Latin encoding fits")
    return str(best), best.encoding


def _decode_bom(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise ExtractionError(f"invalid {encoding} text after its byte order mark") from err
    return text.removeprefix("\ufeff")


def _looks_binary(sample: bytes) -> bool:
    """NUL bytes, or more than 10% control bytes: no news text looks like that."""
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return controls > len(sample) // 10


def strip_invisible(text: str) -> str:
    """Remove bidi controls and stray zero-width joiners; keep ZWNJ/ZWJ between letters."""
    text = _INVISIBLE.sub("", text)
    text = _JOINER_RUN.sub(r"\1", text)
    return _STRAY_JOINERS.sub("", text)


def clean_title(text: str) -> str:
    """A title for display: invisible controls removed, whitespace collapsed to single spaces."""
    return " ".join(strip_invisible(text).split())
