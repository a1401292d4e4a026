"""The `marsad` command as a user runs it: a real process, real node, real Prefect API."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT, SEED

CONTRACT = {"id", "url", "title", "text", "language", "published_at", "source", "entities",
            "topics"}  # fmt: skip


def marsad(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "marsad.cli", *args],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=600,
    )  # fmt: skip


def test_extract_prints_the_contract_as_json_lines():
    proc = marsad("extract", str(SEED))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    article = json.loads(lines[0])
    assert set(article) >= CONTRACT
    assert article["title"].startswith("محادثات سرية بين إيلون ماسك وبوتين")
    assert article["language"] == "ar" and "ADVERTISEMENT" not in article["text"]


def test_extract_reports_a_bad_file_in_one_line_and_keeps_the_good_one(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    proc = marsad("extract", str(SEED), str(bad))
    assert proc.returncode == 1
    assert len(proc.stdout.strip().splitlines()) == 1
    assert proc.stderr.strip().splitlines() == [f"failed {bad}: empty file"]


def test_ingest_then_search_from_the_command_line(es, article_index, prefect_api):
    from prefect.settings import PREFECT_API_URL

    ingest = marsad("ingest", str(SEED), env={"PREFECT_API_URL": PREFECT_API_URL.value()})
    assert ingest.returncode == 0, ingest.stderr
    article_index.refresh()
    assert article_index.count() == 1
    found = marsad("search", "ايلون ماسك")
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith("1 articles match")
    assert "محادثات سرية" in found.stdout and "ماسك" in found.stdout
    # piped: every hit's title and URL line whole, never wrapped at 80 columns
    title = "محادثات سرية بين إيلون ماسك وبوتين.. هل تفتح باب العلاقات مع موسكو؟"
    assert any(line.startswith("1. ") and title in line for line in found.stdout.splitlines())
    rows = marsad("search", "ايلون ماسك", "--format", "csv").stdout.splitlines()
    assert rows[0] == "rank,title,source,published_at,score,url" and len(rows) == 2
    sources = marsad("sources", "--format", "csv").stdout.splitlines()
    assert sources[0].startswith("id,name,country,affiliation")


def test_es_status_names_version_and_health(es, settings):
    proc = marsad("es", "status")
    assert proc.returncode == 0
    assert f"Elasticsearch {settings.es_version}" in proc.stdout


def test_extract_without_enrichment_loads_no_model():
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from marsad.cli import app\n"
        f"result = CliRunner().invoke(app, ['extract', '--no-enrich', {str(SEED)!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "sys.stdout.write(result.output)\n"
        "models = ('pycrfsuite', 'marsad.extractors.entities.crf')\n"
        "loaded = [m for m in models if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    article = json.loads(proc.stdout.strip().splitlines()[-1])
    assert article["title"].startswith("محادثات سرية") and article["entities"] == []
