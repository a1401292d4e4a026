"""The ingest flow on a Dask LocalCluster (processes) gives what the thread runner gives."""

from __future__ import annotations

import pytest
from prefect.task_runners import ThreadPoolTaskRunner
from prefect_dask import DaskTaskRunner

from marsad.config import Settings
from marsad.elastic.articles import search_articles
from marsad.flows.ingest_files import ingest_files
from marsad.flows.runners import in_flight, task_runner

from ..conftest import SEED

COPIES = 4


def _folder(tmp_path):
    for i in range(COPIES):
        (tmp_path / f"copy-{i}.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    return tmp_path


def _counts(summary):
    reasons = {f.origin.rsplit("/", 1)[-1]: f.reason for f in summary.failed}
    return summary.files, summary.extracted, summary.created, sorted(reasons)


@pytest.mark.parametrize("runner", ["thread", "dask"])
def test_both_runners_ingest_the_same(prefect_api, article_index, tmp_path, runner):
    dask = DaskTaskRunner(
        cluster_kwargs={"n_workers": 2, "processes": True, "threads_per_worker": 1}
    )
    flow = ingest_files.with_options(
        task_runner=dask if runner == "dask" else ThreadPoolTaskRunner()
    )
    summary = flow([str(_folder(tmp_path))], source="seeds", batch_size=1)
    assert _counts(summary) == (COPIES + 1, COPIES, COPIES, ["empty.txt"])
    assert summary.failed[0].origin.endswith("empty.txt") and "empty" in summary.failed[0].reason
    assert search_articles(article_index, "ستارلينك")[0] == COPIES


def test_settings_choose_the_runner():
    assert isinstance(task_runner(Settings(task_runner="thread")), ThreadPoolTaskRunner)
    local = task_runner(Settings(task_runner="dask", dask_workers=3))
    assert isinstance(local, DaskTaskRunner)
    assert local.cluster_kwargs == {"n_workers": 3, "processes": True, "threads_per_worker": 1}
    remote = task_runner(Settings(task_runner="dask", dask_address="tcp://scheduler:8786"))
    assert isinstance(remote, DaskTaskRunner) and remote.address == "tcp://scheduler:8786"
    assert in_flight(Settings(dask_workers=3)) == 6
