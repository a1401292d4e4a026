"""The local Prefect server: started once, used by `marsad ingest`, stopped only if it is ours."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx

from .conftest import ROOT, SEED

PORT = 4277


def _marsad(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marsad.cli", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=600)  # fmt: skip


def test_ingest_uses_the_running_local_server(tmp_path, es, settings):
    url = settings.es_url or f"http://127.0.0.1:{settings.es_port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    prefix = f"{settings.index_prefix}-local"
    env |= {"MARSAD_STATE_DIR": str(tmp_path / "state"), "MARSAD_PREFECT_PORT": str(PORT),
            "MARSAD_ES_URL": url, "MARSAD_INDEX_PREFIX": prefix}  # fmt: skip
    try:
        started = _marsad("prefect", "start", env=env)
        assert started.returncode == 0, started.stderr
        assert _marsad("prefect", "status", env=env).returncode == 0
        began = time.monotonic()
        proc = _marsad("ingest", "--format", "json", str(SEED), env=env)
        took = time.monotonic() - began
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout.strip().splitlines()[-1])["extracted"] == 1
        assert "temporary server" not in proc.stderr  # no server of its own
        runs = httpx.post(f"http://127.0.0.1:{PORT}/api/flow_runs/filter", json={}, timeout=10)
        assert [r["name"] for r in runs.json()], "the run is recorded in the local server"
        print(f"ingest of one file with the local server running: {took:.1f} s")
    finally:
        stopped = _marsad("prefect", "stop", env=env)
        es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
    assert stopped.stdout.strip() == "stopped"
    assert _marsad("prefect", "status", env=env).returncode == 3


def test_stop_never_signals_a_process_that_is_not_the_server(tmp_path):
    env = {**os.environ, "MARSAD_STATE_DIR": str(tmp_path / "state"),
           "MARSAD_PREFECT_PORT": str(PORT)}  # fmt: skip
    other = subprocess.Popen(["sleep", "30"])
    try:
        (tmp_path / "state" / "prefect").mkdir(parents=True)
        (tmp_path / "state" / "prefect" / "server.pid").write_text(str(other.pid))
        assert _marsad("prefect", "stop", env=env).stdout.strip() == "not running"
        assert other.poll() is None  # still alive
    finally:
        other.kill()
        other.wait()
