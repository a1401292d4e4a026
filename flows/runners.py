"""The task runner the ingest flow's extraction batches run on, chosen by settings.

- `thread` (default): Prefect's thread pool in the flow's own process.
- `dask`: prefect-dask; `dask_address` set = an existing Dask scheduler (workers on other
  machines), unset = a LocalCluster of `dask_workers` processes (default: cores) per flow run.
"""

from __future__ import annotations

import os

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from marsad.config import Settings


def workers(settings: Settings) -> int:
    return settings.dask_workers or os.cpu_count() or 1


def in_flight(settings: Settings) -> int:
    """Batches submitted but not yet indexed: enough to keep workers busy, bounded in memory."""
    return 2 * workers(settings)


def task_runner(settings: Settings) -> TaskRunner:
    if settings.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        cluster = {"n_workers": workers(settings), "processes": True, "threads_per_worker": 1}
        return DaskTaskRunner(cluster_kwargs=cluster)
    return ThreadPoolTaskRunner()
