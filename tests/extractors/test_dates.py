from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from marsad.extractors.dates import page_date, parse_date

FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-02-18T16:40:06Z", datetime(2018, 2, 18, 16, 40, 6, tzinfo=UTC)),
        ("2020-06-03T03:01+0400", datetime(2020, 6, 3, 3, 1, tzinfo=timezone(timedelta(hours=4)))),
        ("2016-03-03 05:00:00", datetime(2016, 3, 3, 5, 0)),  # Media Cloud publish_date
        ("2013-08-03", datetime(2013, 8, 3)),
        ("Sun, 18 Feb 2018 16:40:06 +0000", datetime(2018, 2, 18, 16, 40, 6, tzinfo=UTC)),
        ("03/08/2013", datetime(2013, 8, 3)),  # day first
        ("2019/02/09", datetime(2019, 2, 9)),
        ("٢٠١٣-٠٨-٠٣", datetime(2013, 8, 3)),  # Arabic-Indic digits
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["", "yesterday", "2013-13-45", "الأربعاء"])
def test_unparseable_dates(value):
    assert parse_date(value) is None


def _page(name: str) -> str:
    return (FIXTURES / "pages" / name).read_text(encoding="utf-8")


def test_url_path_date_beats_the_copyright_year():
    # No date markup; htmldate's extensive search would answer 2013-01-01 from "© 2013".
    url = "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"
    assert page_date(_page("cnn_arabic_2013.html"), url) == datetime(2013, 8, 3)


def test_body_markup_beats_a_sidebar_date():
    # Assabah: <span property="dc:date" content="2019-02-08T00:00:00+01:00"> in the article
    # footer; the sidebar lists "جريدة الصباح بتاريخ 2019/02/09", the header the crawl day.
    found = page_date(_page("assabah_2019.html"), None)
    assert found == datetime(2019, 2, 8, tzinfo=timezone(timedelta(hours=1)))


def test_local_offset_is_kept():
    # Sada El Balad: JSON-LD 2020-12-25T01:59:50+02:00 (Cairo) = meta 2020-12-24T23:59:50Z.
    found = page_date(_page("elbalad_2020.html"), None)
    assert found.isoformat() == "2020-12-25T01:59:50+02:00"


def test_copyright_year_is_not_a_publication_date():
    # Without the URL, CNN Arabic's page has nothing but "© 2013 Cable News Network".
    assert page_date(_page("cnn_arabic_2013.html"), None) is None


def test_no_date_anywhere():
    page = "<html><body><article><p>نص بلا تاريخ</p></article></body></html>"
    assert page_date(page, None) is None


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("3 أغسطس 2013", (2013, 8, 3)),
        ("الأحد 3 أغسطس 2013", (2013, 8, 3)),
        ("3 آب 2013", (2013, 8, 3)),  # Levantine month name
        ("24 نيسان / أبريل 2020", (2020, 4, 24)),  # both names, as Jordanian outlets write
        ("Aug 3, 2013", (2013, 8, 3)),
    ],
)
def test_dates_written_with_month_names(written, day):
    parsed = parse_date(written)
    assert parsed is not None and (parsed.year, parsed.month, parsed.day) == day


@pytest.mark.parametrize("relative", ["منذ ساعتين", "أمس", "yesterday", "2013", "3 أغسطس"])
def test_relative_or_partial_dates_are_not_dates(relative):
    assert parse_date(relative) is None
