"""Bytes to text: BOMs, strict UTF-8, then Arabic/Latin legacy encodings; invisible controls.

Arabic news still arrives in windows-1256 and ISO-8859-6, often with no charset declared, so
guessing is unavoidable; charset-normalizer does it, limited to encodings that plausibly carry
Arabic or Latin news so that a wrong exotic guess cannot produce confident mojibake.
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
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")
# Bidi embeddings/overrides/isolates, LRM/RLM, Arabic letter mark, zero-width space, BOM.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b\ufeff]")
# ZWNJ/ZWJ shape letters (Persian needs ZWNJ inside words); anywhere else they are litter.
_STRAY_JOINERS = re.compile(r"(?<!\w)[\u200c\u200d]+|[\u200c\u200d]+(?!\w)")
_JOINER_RUN = re.compile(r"([\u200c\u200d])[\u200c\u200d]+")


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode `data` and return (text, encoding name); raise ExtractionError if it is not text."""
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
