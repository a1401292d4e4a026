import codecs
import gzip
from pathlib import Path

import pytest

from marsad.extractors.decode import clean_title, decode_text, strip_invisible
from marsad.extractors.errors import ExtractionError

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED = FIXTURES / "seed" / "000_26f213205dacc3d1.txt"
# Words from the chardet snippet (a Qassam Brigades statement), as they must decode.
SNIPPET_WORDS = ["كتائب الشهيد عز الدين القسام", "بيت لاهيا شمال قطاع غزة"]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("windows-1256_no_charset.html", "cp1256"), ("iso-8859-6_no_charset.html", "iso8859_6")],
)
def test_undeclared_arabic_legacy_encodings_are_detected(name, encoding):
    text, found = decode_text((FIXTURES / "encodings" / name).read_bytes())
    assert found == encoding
    for word in SNIPPET_WORDS:
        assert word in text


def test_utf8_is_taken_as_is():
    text, encoding = decode_text(SEED.read_bytes())
    assert encoding == "utf-8"
    assert text == SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks_are_honoured_and_removed(codec):
    original = SEED.read_text(encoding="utf-8")
    text, encoding = decode_text(original.encode(codec))
    assert text == original
    assert encoding == codec


def test_utf16_big_endian_bom():
    original = "محادثات سرية"
    text, _ = decode_text(codecs.BOM_UTF16_BE + original.encode("utf-16-be"))
    assert text == original


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n"])
def test_empty(data):
    with pytest.raises(ExtractionError, match="^empty file$"):
        decode_text(data)


def test_binary_is_refused():
    gzipped = (FIXTURES / "pages" / "lbci_2026.html.gz").read_bytes()
    with pytest.raises(ExtractionError, match="^gzip-compressed data, not text$"):
        decode_text(gzipped)


def test_control_character_soup_is_binary_even_without_nul():
    with pytest.raises(ExtractionError, match="^binary content, not text$"):
        decode_text(bytes(range(1, 32)) * 20)


def test_text_that_fits_no_arabic_or_latin_encoding():
    # Bytes 0x81 0x8d 0x8f 0x90 0x9d are undefined in windows-1252 and ISO-8859-6 and decode
    # to a jumble of Persian/Urdu letters and ZWNJ in windows-1256.
    data = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 3
    with pytest.raises(ExtractionError) as err:
        decode_text(data)
    assert err.value.reason == "not valid UTF-8 and no Arabic/Latin encoding fits"


def test_latin_legacy_page_still_decodes():
    text, encoding = decode_text("Réforme des retraites: le gouvernement recule".encode("cp1252"))
    assert text == "Réforme des retraites: le gouvernement recule"
    assert encoding in {"cp1252", "latin_1"}


def test_gzip_decompressed_page_is_utf8():
    raw = gzip.decompress((FIXTURES / "pages" / "lbci_2026.html.gz").read_bytes())
    text, encoding = decode_text(raw)
    assert encoding == "utf-8"
    assert "لغز لون شعر دونالد ترامب" in text


# A real Media Cloud title (random-stories.csv), with its U+202E/U+202C pairs.
MEDIA_CLOUD_TITLE = "في\u202e \u202cطبعته التاسعة بالطارف\u202e \u202c"


def test_clean_title_removes_bidi_controls_and_collapses_spaces():
    assert clean_title(MEDIA_CLOUD_TITLE) == "في طبعته التاسعة بالطارف"


def test_strip_invisible_removes_marks_and_isolates():
    text = "\u200fماسك\u200e \u2067بوتين\u2069 \ufeff\u061cموسكو\u200b"
    assert strip_invisible(text) == "ماسك بوتين موسكو"


def test_zwnj_between_letters_is_kept_stray_joiners_are_not():
    # Persian "می‌خواهم" needs its ZWNJ; joiners next to spaces or at the ends are litter.
    assert strip_invisible("می\u200cخواهم") == "می\u200cخواهم"
    assert strip_invisible("\u200dخبر \u200c\u200cعاجل\u200d") == "خبر عاجل"
    assert strip_invisible("می\u200c\u200cخواهم") == "می\u200cخواهم"
