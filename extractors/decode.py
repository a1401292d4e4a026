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
from collections import Counter

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
    kind = sniff_binary(data)
    if kind:
        raise ExtractionError(f"{kind}, not text")
    if _looks_binary(data[:_SAMPLE]):
        wide = _bomless_utf16_32(data)
        if wide:
            return wide
        raise ExtractionError("binary content, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=_LEGACY).best()
    if best is None:
        raise ExtractionError("not valid UTF-8 and no Arabic/Latin encoding fits")
    return str(best), best.encoding


# Magic numbers of formats people save or rename by mistake; sniffed before the name is trusted.
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office/EPUB document)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 audio file"),
)


def sniff_binary(data: bytes) -> str | None:
    """What a known binary format's magic bytes say the data is; None for anything else."""
    head = data[:16]
    for magic, kind in _MAGIC:
        if head.startswith(magic) and not (magic == b"MZ" and not _looks_binary(data[:_SAMPLE])):
            return kind
    if head[4:8] == b"ftyp":
        return "an MP4/QuickTime media file"
    return None


def _bomless_utf16_32(data: bytes) -> tuple[str, str] | None:
    """UTF-16 or UTF-32 text saved without a byte order mark, told by its code units' high bytes.

    Such text reads as binary (NULs, or Arabic's 0x06 high bytes as control characters), but
    the high bytes of its code units take very few values: 0x00 for ASCII, 0x06 for Arabic.
    Bytes of real binary data, or of UTF-8, are spread far wider. The decoded text must then
    be almost all printable.
    """
    sample = data[: _SAMPLE - _SAMPLE % 4]
    if len(sample) < 8:
        return None
    for encoding, unit, highs in (
        ("utf-32-le", 4, (1, 2, 3)), ("utf-32-be", 4, (0, 1, 2)),
        ("utf-16-le", 2, (1,)), ("utf-16-be", 2, (0,)),
    ):  # fmt: skip
        if len(data) % unit:
            continue
        high = b"".join(sample[z::unit] for z in highs)
        top = sum(n for _byte, n in Counter(high).most_common(3))
        if top < 0.9 * len(high):
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        head = text[:2000]
        if sum(ch.isprintable() or ch in "\n\r\t" for ch in head) >= 0.95 * len(head):
            return text, encoding
    return None


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


# C0/C1 control characters other than tab and newlines, and Unicode non-characters.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text as analysts read it: no NULs or other control characters, no bidi overrides."""
    return strip_invisible(_CONTROLS.sub("", text))


def clean_title(text: str) -> str:
    """A title for display: invisible controls removed, whitespace collapsed to single spaces."""
    return " ".join(clean_text(text).split())
