import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from marsad.extractors.errors import ExtractionError
from marsad.extractors.records import extract_json, extract_jsonl, record_fields

FIXTURES = Path(__file__).parents[1] / "fixtures"
JSONL = (FIXTURES / "records" / "ant_items.jsonl").read_text(encoding="utf-8")
JSON = (FIXTURES / "records" / "ant_items.json").read_text(encoding="utf-8")


def test_jsonl_aliases():
    found, errors = extract_jsonl(JSONL)
    assert errors == []
    cnn, arabiya, bbc = found
    assert cnn.title == "إعلامية بحرينية: لا نحتاج قطر ونحن أكثر أمنا بالقطيعة"
    assert cnn.url == "https://arabic.cnn.com/social-media/2018/02/18/awsan-alshaer-tweets-qatar"
    assert cnn.published_at == datetime(2018, 2, 18, 16, 40, 6, tzinfo=UTC)  # RFC 822 pubDate
    assert (cnn.key, cnn.source, cnn.language) == ("CN-middleEast-1-20180218", "cnn-arabic", "ar")
    assert cnn.text.count("\n\n") == 3  # four lines, four paragraphs
    assert arabiya.title == "انفجار صاروخ قرب قطاع غزة دون إصابات"  # "headline"
    assert arabiya.text.startswith('أفاد مراسل "العربية" بانفجار صاروخ')  # "body"
    assert arabiya.url.startswith("http://www.alarabiya.net/")  # "link"
    assert arabiya.published_at == datetime(
        2018, 2, 19, 0, 16, 11, tzinfo=timezone(timedelta(hours=4))
    )
    assert (arabiya.source_name, arabiya.authors, arabiya.key) == (
        "Al Arabiya",
        ["العربية.نت"],
        "AL-internationalNews-1-20180219",
    )
    assert bbc.published_at == datetime(2018, 2, 18)  # "date": "18/02/2018"
    assert (bbc.source, bbc.authors, bbc.url, bbc.key) == ("bbc-arabic", ["BBC"], None, None)
    assert bbc.position == "line-3"


def test_json_list_keeps_good_records_and_names_the_bad_one():
    found, errors = extract_json(JSON)
    assert [f.key for f in found] == ["SK-economy-1-20180218"]
    assert found[0].text.startswith("وقعت شركة بترول أبوظبي الوطنية")  # "maintext"
    assert found[0].published_at == datetime(2018, 2, 18)
    assert errors == ["record 2: missing text (text/body/content/maintext)"]


def test_truncated_last_line():
    cut = JSONL[: len(JSONL) - 200]  # a download that stopped inside the third record
    found, errors = extract_jsonl(cut)
    assert [f.key for f in found] == ["CN-middleEast-1-20180218", "AL-internationalNews-1-20180219"]
    assert errors == ["line 3: truncated record at end of file"]


def test_bad_line_in_the_middle():
    lines = JSONL.splitlines(keepends=True)
    found, errors = extract_jsonl(lines[0] + "{not json}\n" + "\n" + lines[1])
    assert len(found) == 2
    assert errors == ["line 2: invalid JSON: Expecting property name enclosed in double quotes"]


def test_errors_come_in_line_order():
    text = '{"title": "بلا نص"}\n[1, 2]\n' + JSONL
    found, errors = extract_jsonl(text)
    assert len(found) == 3
    assert errors == [
        "line 1: missing text (text/body/content/maintext)",
        "line 2: not a JSON object but list",
    ]


def test_single_object_file():
    record = json.loads(JSONL.splitlines()[0])
    found, errors = extract_json(json.dumps(record))
    assert (len(found), errors) == (1, [])


def test_invalid_json_file():
    with pytest.raises(ExtractionError, match=r"^invalid JSON: Expecting value \(line 1\)$"):
        extract_json(JSON[:-40].replace("[", "[,", 1))


def test_empty_list():
    with pytest.raises(ExtractionError, match="no records"):
        extract_json("[]")


def test_unreadable_date_is_named():
    with pytest.raises(ExtractionError, match="^unreadable pubDate 'قبل ساعتين'$"):
        record_fields({"title": "عنوان", "text": "نص", "pubDate": "قبل ساعتين"})


def test_epoch_seconds():
    fields = record_fields({"title": "عنوان", "text": "نص", "published_at": 1519000000})
    assert fields.published_at == datetime(2018, 2, 19, 0, 26, 40, tzinfo=UTC)


def test_epoch_out_of_range():
    with pytest.raises(ExtractionError, match=r"^unreadable date 1e\+20$"):
        record_fields({"title": "عنوان", "text": "نص", "date": 1e20})


def test_html_field_runs_the_html_extractor():
    page = (FIXTURES / "pages" / "cnn_arabic_2013.html").read_text(encoding="utf-8")
    fields = record_fields({"html": page, "source": "cnn-arabic"})
    assert fields.title == "معارضون يسيطرون على مخازن للصواريخ بريف دمشق"
    assert fields.text.startswith("دمشق، سوريا (CNN) -- أكدت جهات سورية معارضة")
    assert fields.published_at == datetime(2013, 8, 3)
    assert fields.url == "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"


def test_record_fields_win_over_the_html():
    page = (FIXTURES / "pages" / "cnn_arabic_2013.html").read_text(encoding="utf-8")
    fields = record_fields({"html": page, "title": "عنوان من الخلاصة", "date": "2013-08-04"})
    assert fields.title == "عنوان من الخلاصة"
    assert fields.published_at == datetime(2013, 8, 4)
    assert "أكدت جهات سورية معارضة" in fields.text


def test_authors_as_objects():
    record = {"title": "t", "text": "x", "authors": [{"name": "هبة موسى"}, {"name": ""}]}
    assert record_fields(record).authors == ["هبة موسى"]


def test_jsonl_records_end_at_newlines_only():
    texts = ["فقرة أولى\u2028فقرة ثانية", "سطر\u0085آخر", "نص\rمع رجوع"]
    data = "\n".join(json.dumps({"title": f"t{i}", "text": t}, ensure_ascii=False)
                     for i, t in enumerate(texts)) + "\r\n"  # fmt: skip
    fields, errors = extract_jsonl(data)
    assert errors == [] and [f.title for f in fields] == ["t0", "t1", "t2"]
    assert "فقرة ثانية" in fields[0].text and "مع رجوع" in fields[2].text
