import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from marsad.extractors.errors import ExtractionError
from marsad.extractors.text_article import extract_text

FIXTURES = Path(__file__).parents[1] / "fixtures"
SEED = FIXTURES / "seed" / "000_26f213205dacc3d1.txt"
EXPECTED = json.loads((FIXTURES / "seed" / "000_26f213205dacc3d1.expected.json").read_text())


@pytest.fixture(scope="module")
def seed():
    return extract_text(SEED.read_text(encoding="utf-8"))


def test_seed_headline(seed):
    assert seed.title == "محادثات سرية بين إيلون ماسك وبوتين.. هل تفتح باب العلاقات مع موسكو؟"
    assert seed.title == EXPECTED["title"]


def test_seed_advertisement_is_dropped(seed):
    assert "ADVERTISEMENT" not in seed.text
    assert "ADVERTISEMENT" in SEED.read_text(encoding="utf-8")  # it was there to drop


def test_seed_subheadings_are_their_own_paragraphs(seed):
    paragraphs = seed.text.split("\n\n")
    assert len(paragraphs) == EXPECTED["paragraphs"]
    for subheading in EXPECTED["subheadings"]:
        assert subheading in paragraphs
    assert paragraphs[0].startswith("كشفت صحيفة وول ستريت جورنال")
    assert seed.title not in seed.text


def test_seed_body_snippets(seed):
    for snippet in EXPECTED["must_contain"]:
        assert snippet in seed.text


def test_headline_without_body():
    with pytest.raises(ExtractionError, match="^no article text after the headline$"):
        extract_text("محادثات سرية بين إيلون ماسك وبوتين\n\nADVERTISEMENT\n")


def test_only_boilerplate():
    with pytest.raises(ExtractionError, match="only blank or boilerplate"):
        extract_text("ADVERTISEMENT\n\nإعلان\n")


def test_bidi_controls_leave_the_headline():
    fields = extract_text("\u202bماسك وبوتين\u202c\nنص الخبر")
    assert fields.title == "ماسك وبوتين"


def test_ant_document_uses_its_url_title_and_time():
    fields = extract_text((FIXTURES / "ant" / "CN-middleEast-1-20180218.txt").read_text())
    assert fields.title == "إعلامية بحرينية: لا نحتاج قطر ونحن أكثر أمنا بالقطيعة"
    assert fields.url == "https://arabic.cnn.com/social-media/2018/02/18/awsan-alshaer-tweets-qatar"
    assert fields.published_at == datetime(2018, 2, 18, 16, 40, 6, tzinfo=UTC)
    assert fields.source_name == "CNN"
    assert fields.key == "CN-middleEast-1-20180218"
    assert fields.description.startswith("قال الإعلامية البحرينية، سوسن الشاعر")
    paragraphs = fields.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("دبي، الإمارات العربية المتحدة (CNN)")
    assert "<TEXT>" not in fields.text and "<DOC>" not in fields.text


def test_ant_v1_iso_time_and_url_with_trailing_space():
    fields = extract_text((FIXTURES / "ant" / "JA-sport-1-20170121.txt").read_text())
    assert fields.title == "كرة السلة : النجم الساحلي يفوز على شبيبة القيروان"
    assert fields.published_at == datetime(2017, 1, 21, 20, 46, tzinfo=timezone(timedelta(hours=1)))
    assert fields.url.startswith("http://www.jawharafm.net/ar/article/")
    assert fields.description is None  # the ABSTRACT is empty


def test_ant_without_text():
    text = (FIXTURES / "ant" / "JA-sport-1-20170121.txt").read_text()
    start, end = text.index("<TEXT>") + len("<TEXT>"), text.index("</TEXT>")
    with pytest.raises(ExtractionError, match="no article text in <TEXT>"):
        extract_text(text[:start] + "\n" + text[end:])


def test_ant_with_two_documents_is_refused():
    text = (FIXTURES / "ant" / "JA-sport-1-20170121.txt").read_text()
    with pytest.raises(ExtractionError, match="2 ANT <DOC> records in one file"):
        extract_text(text + text)
