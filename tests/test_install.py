"""Installed as a wheel, outside the checkout, the commands find everything they need.

`uv pip install <checkout>` (not editable) into a fresh venv, then `marsad quality`,
`marsad kibana export` and `marsad demo` run from an empty folder elsewhere: the plugin sources,
Kibana objects, seed article, quality pages, models and word lists all ship in the package.
The demo writes to the test node under its own index prefix.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


def _run(cmd: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with marsad installed from the checkout as a built wheel."""
    home = tmp_path_factory.mktemp("install")
    venv = home / "venv"
    uv = [sys.executable, "-m", "uv"]
    made = _run([*uv, "venv", "-q", "--python", sys.executable, venv], cwd=home)
    assert made.returncode == 0, made.stderr
    override = ROOT / "constraints" / "light-camel.txt"
    done = _run([*uv, "pip", "install", "-q", "--python", venv / "bin" / "python",
                 "--override", override, ROOT], cwd=home)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return venv


@pytest.fixture
def elsewhere(tmp_path, installed, es, settings) -> tuple[Path, dict]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MARSAD_CONFIG")}
    url = settings.es_url or f"http://127.0.0.1:{settings.es_port}"
    prefix = f"{settings.index_prefix}-installed"
    env.update(MARSAD_ES_URL=url, MARSAD_INDEX_PREFIX=prefix, VIRTUAL_ENV=str(installed))
    yield tmp_path, env
    es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
    es.options(ignore_status=404).indices.delete_index_template(name=f"{prefix}-*")


def test_the_package_is_the_installed_copy(installed, elsewhere):
    folder, env = elsewhere
    where = _run([installed / "bin" / "python", "-c", "import marsad; print(marsad.__file__)"],
                 cwd=folder, env=env)  # fmt: skip
    assert str(installed) in where.stdout and str(ROOT) not in where.stdout


def test_quality_runs_from_the_installed_package(installed, elsewhere):
    folder, env = elsewhere
    proc = _run([installed / "bin" / "marsad", "quality"], cwd=folder, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "CNN Arabic" in proc.stdout and "Al Bayan" in proc.stdout


def test_kibana_export_runs_from_the_installed_package(installed, elsewhere):
    folder, env = elsewhere
    proc = _run([installed / "bin" / "marsad", "kibana", "export"], cwd=folder, env=env)
    assert proc.returncode == 0, proc.stderr
    objects = [json.loads(line) for line in proc.stdout.splitlines()]
    view = next(o for o in objects if o["type"] == "index-pattern")
    assert view["attributes"]["title"] == f"{env['MARSAD_INDEX_PREFIX']}-articles"
    assert {o["type"] for o in objects} >= {"search", "dashboard", "lens"}


def test_demo_runs_from_the_installed_package(installed, elsewhere):
    folder, env = elsewhere
    proc = _run([installed / "bin" / "marsad", "demo"], cwd=folder, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "1 files, 1 articles: 1 indexed" in proc.stdout
    assert "محادثات سرية بين إيلون ماسك وبوتين" in proc.stdout  # the seed, found by its search
    assert not (folder / ".marsad").exists()  # the configured cluster, no embedded node
