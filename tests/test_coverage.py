"""Coverage of an entity over days by outlet, from real articles: counts, CSV, the PNG chart,
and the HTML page rendered in headless Chromium (Debian's package) and checked on screen.

Articles: every ANT multisource record of 14–18 July 2018 whose title names Putin (the
Helsinki summit was on the 16th), read from ../shared (cite Chouigui, Ben Khiroun, Elayeb,
AJSE 46(8), 2021).
"""

from __future__ import annotations

import gzip
import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from marsad.cli import app
from marsad.flows.ingest_files import ingest_files

ANT = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "ant-multisource-2018"
CHROMIUM = "/usr/bin/chromium"


def helsinki() -> list[dict]:
    found, seen = [], set()
    for path in sorted(ANT.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for r in map(json.loads, lines):
                day = r["published_at"][:10]
                named = "بوتين" in r["title"] or "بوتن" in r["title"]
                if named and "2018-07-14" <= day <= "2018-07-18" and r["url"] not in seen:
                    seen.add(r["url"])
                    item = {"url": r["url"], "title": r["title"], "maintext": r["text"]}
                    found.append(item | {"publish_date": r["published_at"]})
    return found


@pytest.mark.usefixtures("prefect_api")
def test_coverage_of_putin_around_helsinki(article_index, tmp_path):
    records = helsinki()
    assert len(records) >= 10
    (tmp_path / "helsinki.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8"
    )
    ingest_files([str(tmp_path / "helsinki.jsonl")])
    runner = CliRunner()
    window = ["--since", "2018-07-14", "--until", "2018-07-18T23:59:59Z"]
    result = runner.invoke(app, ["coverage", "--entity", "Q7747", *window, "--format", "json"])
    assert result.exit_code == 0, result.output
    cov = json.loads(result.stdout)
    assert cov["periods"] == [f"2018-07-{d}" for d in range(14, 19)]
    by_outlet = {name: sum(days.values()) for name, days in cov["counts"]["outlet"].items()}
    assert sum(by_outlet.values()) == cov["total"] == len(records)  # every title names him
    hosts = Counter(r["url"].split("/")[2] for r in records)
    assert sorted(by_outlet.values()) == sorted(hosts.values())
    first = min(records, key=lambda r: r["publish_date"])
    assert cov["first"]["title"] == first["title"]
    people = {e["name"] for e in cov["top_entities"]["PER"]}
    assert "فلاديمير بوتين" in people and "دونالد ترامب" in people

    csv = runner.invoke(app, ["coverage", "--entity", "Q7747", "--format", "csv",
                              "--by", "affiliation", "--interval", "week"])  # fmt: skip
    assert csv.stdout.splitlines()[0] == "period,affiliation,articles"

    png, page = tmp_path / "helsinki.png", tmp_path / "helsinki.html"
    shown = runner.invoke(app, ["coverage", "--entity", "Q7747", *window, "--png", str(png),
                                "--html", str(page)])  # fmt: skip
    assert shown.exit_code == 0 and "first:" in shown.stdout
    assert Image.open(png).size == (1100, 528)
    text = page.read_text("utf-8")
    assert "<svg" in text and "<script" not in text  # self-contained: nothing to load
    assert not any(f'{attr}="http' in text for attr in ("src", "href", "xlink:href"))
    shot = tmp_path / "shot.png"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'chromium'}", "--hide-scrollbars",
         "--window-size=1200,1000", f"--screenshot={shot}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 1000)
    colours = Counter(image.getdata())
    white = colours[(255, 255, 255)] / (1200 * 1000)
    assert 0.5 < white < 0.98  # a page with something drawn on it, not blank, not a dark error
    lines = sum(n for (r, g, b), n in colours.items() if max(r, g, b) - min(r, g, b) > 80)
    assert lines > 500  # the coloured series lines of the chart are on screen
