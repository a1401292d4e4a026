"""A real node killed in the middle of an ingest: nothing lost, nothing doubled, one clear line.

A second embedded node (own port and state folder) takes the writes; once some batches are
in, it gets SIGKILL. The run must end with a short report and the unwritten articles in the
spool; after the node is back, `marsad replay` writes them, and the index then holds every
input article exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from .conftest import ROOT, SEED

DOCS = 400
PORT = 9288


def _marsad(*args: str, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marsad.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=timeout)  # fmt: skip


@pytest.fixture
def own_node(tmp_path):
    """Environment for a separate embedded node, started, and stopped after the test."""
    # MARSAD_WRITE_BATCH: written ten at a time, so the kill comes in the middle of the run
    env = {**os.environ, "MARSAD_STATE_DIR": str(tmp_path / "state"),
           "MARSAD_ES_PORT": str(PORT), "MARSAD_INDEX_PREFIX": "outage",
           "MARSAD_WRITE_BATCH": "10"}  # fmt: skip
    env.pop("MARSAD_ES_URL", None)
    started = _marsad("es", "start", env=env)
    assert started.returncode == 0, started.stderr
    yield env, tmp_path / "state" / "elasticsearch" / "node.pid"
    _marsad("es", "stop", env=env)


def _corpus(folder: Path) -> None:
    lines = SEED.read_text("utf-8").splitlines()
    folder.mkdir()
    for n in range(DOCS):
        (folder / f"{n:04d}.txt").write_text(f"{lines[0]} {n}\n" + "\n".join(lines[1:]), "utf-8")


def test_a_node_killed_mid_ingest_loses_and_doubles_nothing(tmp_path, own_node):
    env, pidfile = own_node
    _corpus(tmp_path / "corpus")
    es = Elasticsearch(f"http://127.0.0.1:{PORT}", request_timeout=10)
    client_env = {**env, "MARSAD_ES_URL": f"http://127.0.0.1:{PORT}"}  # no self-restart
    run = subprocess.Popen(
        [sys.executable, "-m", "marsad.cli", "ingest", "--format", "json", "--batch-size", "10",
         str(tmp_path / "corpus")], cwd=ROOT, env=client_env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    written = 0
    while time.monotonic() < deadline and written < 30:
        time.sleep(0.5)
        try:
            written = es.count(index="outage-articles")["count"]
        except Exception:
            written = 0
    assert written >= 30, "the ingest never got going"
    os.kill(int(pidfile.read_text()), signal.SIGKILL)
    stdout, stderr = run.communicate(timeout=600)
    assert run.returncode == 1
    noisy = [line for line in stderr.splitlines() if "WARNING" in line or "ERROR" in line]
    assert "Traceback" not in stderr and len(noisy) < 5, noisy  # Prefect's INFO lines aside
    summary = json.loads(stdout.strip().splitlines()[-1])
    assert summary["extracted"] == DOCS
    assert summary["spooled"], "the unwritten articles must be kept"
    assert summary["indexed"] + summary["unchanged"] + len(summary["spooled"]) == DOCS
    assert all("unreachable" in s["reason"] for s in summary["spooled"])

    restarted = _marsad("es", "start", env=env)
    assert restarted.returncode == 0, restarted.stderr
    replayed = _marsad("replay", "--format", "json", env=client_env)
    assert replayed.returncode == 0, replayed.stderr
    counts = json.loads(replayed.stdout.strip().splitlines()[-1])
    assert counts["left"] == 0 and counts["failed"] == 0
    es.indices.refresh(index="outage-articles")
    assert es.count(index="outage-articles")["count"] == DOCS  # every article, once
    titles = {h["_source"]["title"] for h in es.search(
        index="outage-articles", size=DOCS, source_includes=["title"])["hits"]["hits"]}  # fmt: skip
    assert len(titles) == DOCS
