"""Extraction quality on real Arabic pages: marsad against bare trafilatura, side by side.

The pages and their ground truth are the copied fixtures in tests/fixtures/pages/ (see the
README there): body text truth for CNN Arabic (newspaper4k) and LBCI (Fundus), must/must-not
snippets for every page (Assabah's from trafilatura's own evaluation data), titles and
publication days. The baseline is what a user of trafilatura gets without marsad:
`trafilatura.extract(html)` with default settings and `trafilatura.extract_metadata(html)`.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import trafilatura
from rich.console import Console
from rich.table import Table

from marsad.extractors.article import extract_file
from marsad.extractors.decode import decode_text
from marsad.extractors.normalize import normalize_arabic
from marsad.extractors.scoring import check_snippets, token_scores

PAGES = Path(__file__).resolve().parent / "data" / "pages"  # links to tests/fixtures/pages
MAX_BYTES = 20 * 1024 * 1024

# (label, page file in tests/fixtures/pages/); truths sit beside each page (README there)
PAGE_FILES: list[tuple[str, str]] = [
    ("CNN Arabic 2013", "cnn_arabic_2013.html"),
    ("LBCI 2026", "lbci_2026.html.gz"),
    ("Assabah 2019", "assabah_2019.html"),
    ("Sputnik Arabic 2020", "sputnik_arabic_2020.html"),
    ("Akhbar El Yom 2020", "akhbarelyom_2020.html"),
    ("Almadenah News 2020", "almadenahnews_2020.html"),
    ("Youm7 2020", "youm7_2020.html"),
    ("Alyaum 2020", "alyaum_2020.html"),
    ("Beirut Observer 2020", "beirutobserver_2020.html"),
    ("Sada El Balad 2020", "elbalad_2020.html"),
    ("Al Bayan 2020", "albayan_2020.html"),
]


def quality_report(pages: Path = PAGES) -> list[dict[str, Any]]:
    """One row per page: body P/R/F1, snippets, title and date, for marsad and the baseline."""
    if not pages.is_dir():
        raise FileNotFoundError(f"quality fixtures not found at {pages}")
    return [_row(label, pages / name) for label, name in PAGE_FILES]


def _row(label: str, page: Path) -> dict[str, Any]:
    stem = page.name.removesuffix(".gz").removesuffix(".html")
    expected = json.loads((page.parent / f"{stem}.expected.json").read_text(encoding="utf-8"))
    truth = _body_truth(page.parent, stem)
    data = page.read_bytes()
    html, _encoding = decode_text(gzip.decompress(data) if page.suffix == ".gz" else data)
    articles, failures = extract_file(data, page.name, max_bytes=MAX_BYTES)
    ours = articles[0] if articles else None
    our_date = ours.published_at if ours else None
    base_meta = trafilatura.extract_metadata(html)
    # A date that is only marsad's own reading of the page (Assabah) is shown, not scored.
    scored = expected.get("date_is_ground_truth", True) and expected["date"] is not None
    row: dict[str, Any] = {
        "page": label,
        "file": page.name,
        "expected_date": expected["date"],
        "date_is_ground_truth": scored,
        "marsad_error": failures[0].reason if failures else None,
        "marsad_date": our_date.date().isoformat() if our_date else None,
        "baseline_date": base_meta.date,
    }
    row |= _side("marsad", ours.text if ours else "", ours.title if ours else "", expected, truth)
    base_text = trafilatura.extract(html) or ""
    row |= _side("baseline", base_text, base_meta.title or "", expected, truth)
    for side in ("marsad", "baseline"):
        row[f"{side}_date_ok"] = row[f"{side}_date"] == expected["date"] if scored else None
    return row


def _side(side: str, text: str, title: str, expected: dict, truth: str | None) -> dict[str, Any]:
    scores = token_scores(text, truth) if truth is not None else None
    snippets = check_snippets(text, expected["must_contain"], expected["must_not_contain"])
    total = len(expected["must_contain"]) + len(expected["must_not_contain"])
    passed = total - len(snippets.missing) - len(snippets.unwanted)
    return {
        f"{side}_precision": scores.precision if scores else None,
        f"{side}_recall": scores.recall if scores else None,
        f"{side}_f1": scores.f1 if scores else None,
        f"{side}_snippets": (passed, total),
        f"{side}_title_ok": _same(title, expected["title"]),
    }


def _body_truth(pages: Path, stem: str) -> str | None:
    """Full-text ground truth, where the third party published one."""
    txt = pages / f"{stem}.truth.txt"
    if txt.exists():
        return txt.read_text(encoding="utf-8")
    fundus = pages / f"{stem}.fundus.json"
    if fundus.exists():
        body = json.loads(fundus.read_text(encoding="utf-8"))["V1"]["body"]
        return "\n\n".join(p for section in body["sections"] for p in section["paragraphs"])
    return None


def _same(title: str, expected: str) -> bool:
    return normalize_arabic(title) == normalize_arabic(expected)


def print_quality_report(console: Console) -> None:
    """The report as a rich table: marsad | bare trafilatura for each measure."""
    table = Table(title="Extraction quality: marsad | bare trafilatura")
    for column in ("page", "body F1 (P/R)", "snippets", "title ok", "date", "expected date"):
        table.add_column(column)
    for row in quality_report():
        table.add_row(
            row["page"],
            f"{_scores(row, 'marsad')} | {_scores(row, 'baseline')}",
            f"{_ratio(row['marsad_snippets'])} | {_ratio(row['baseline_snippets'])}",
            f"{_yes(row['marsad_title_ok'])} | {_yes(row['baseline_title_ok'])}",
            f"{_date(row, 'marsad')} | {_date(row, 'baseline')}",
            _expected(row),
        )
    console.print(table)


def _scores(row: dict, side: str) -> str:
    if row[f"{side}_f1"] is None:
        return "-"
    return f"{row[f'{side}_f1']:.3f} ({row[f'{side}_precision']:.2f}/{row[f'{side}_recall']:.2f})"


def _ratio(pair: tuple[int, int]) -> str:
    return f"{pair[0]}/{pair[1]}"


def _yes(flag: bool | None) -> str:
    return "-" if flag is None else ("yes" if flag else "NO")


def _expected(row: dict) -> str:
    date = row["expected_date"] or "-"
    return date if row["date_is_ground_truth"] else f"({date}, not scored)"


def _date(row: dict, side: str) -> str:
    value, ok = row[f"{side}_date"], row[f"{side}_date_ok"]
    return f"{value or '-'}{' ✗' if ok is False else ''}"
