import pytest
from rich.console import Console

from marsad.quality import print_quality_report, quality_report


@pytest.fixture(scope="module")
def rows():
    return {row["file"]: row for row in quality_report()}


@pytest.mark.parametrize("page", ["cnn_arabic_2013.html", "lbci_2026.html.gz"])
def test_marsad_body_f1_is_at_least_the_baseline(rows, page):
    row = rows[page]
    assert row["marsad_error"] is None
    assert row["marsad_f1"] >= row["baseline_f1"]


def test_cnn_arabic_beats_the_baseline(rows):
    row = rows["cnn_arabic_2013.html"]
    # The numbers for bare trafilatura, reproduced: F1 0.914, P 0.84, R 1.00.
    assert row["baseline_f1"] == pytest.approx(0.914, abs=0.001)
    assert row["baseline_precision"] == pytest.approx(0.84, abs=0.01)
    assert row["baseline_recall"] == 1.0
    assert row["marsad_f1"] > 0.99
    assert row["marsad_recall"] == 1.0


def test_cnn_arabic_date(rows):
    row = rows["cnn_arabic_2013.html"]
    assert row["baseline_date"] == "2013-01-01"  # the copyright-year fallback
    assert row["marsad_date"] == "2013-08-03"
    assert row["marsad_date_ok"] is True


def test_no_page_does_worse_than_the_baseline(rows):
    assert len(rows) == 11
    for row in rows.values():
        assert row["marsad_error"] is None, row["page"]
        assert row["marsad_snippets"][0] >= row["baseline_snippets"][0], row["page"]
        assert row["marsad_title_ok"] >= row["baseline_title_ok"], row["page"]
        if row["date_is_ground_truth"]:
            assert row["marsad_date_ok"] >= row["baseline_date_ok"], row["page"]


def test_assabah_snippets(rows):
    row = rows["assabah_2019.html"]
    assert row["marsad_snippets"] == (6, 6)
    assert row["marsad_f1"] is None  # only snippets are known for this page
    assert row["date_is_ground_truth"] is False


def test_printed_table():
    console = Console(record=True, width=220)
    print_quality_report(console)
    out = console.export_text()
    assert "CNN Arabic 2013" in out
    assert "1.000 (1.00/1.00) | 0.914 (0.84/1.00)" in out
    assert "2013-08-03 | 2013-01-01 ✗" in out
