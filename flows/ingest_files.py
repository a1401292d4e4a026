"""Prefect flow: files → extract → enrich → index, batch by batch.

Extraction batches run concurrently on the task runner (`configured_ingest_files`: threads, or
Dask processes), at most `in_flight` at once; each is indexed from the flow as it comes back.

Orchestration only: reading, extracting, enriching and indexing are `marsad.pipeline`.
One broken file becomes a reported failure; the batch goes on.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.futures import PrefectFuture

from marsad import workers
from marsad.config import Settings, get_settings
from marsad.files import discover
from marsad.flows.reports import file_rows, publish_ingest_report
from marsad.flows.runners import in_flight, task_runner
from marsad.flows.tasks import (
    Writer,
    final_state,
    place_new_stories,
    prepare_index,
    refresh_index,
    replay_spool,
)
from marsad.models import Article, Failure
from marsad.progress import progress_bar
from marsad.report import IngestSummary, run_verdict


@task(name="extract-files", cache_policy=NONE)
def extract_files(paths: list[Path], source: str | None) -> tuple[list[Article], list[Failure]]:
    """Read, extract and enrich a batch of files in a worker process (all cores busy); each
    problem is a failure naming its file."""
    return workers.extract_files(paths, source)  # in-process when already in a Dask worker


@flow(name="ingest-files", log_prints=True)
def ingest_files(
    paths: list[str],
    source: str | None = None,
    batch_size: int = 200,
    refresh: bool = True,
    show_progress: bool = False,
) -> IngestSummary:
    """Ingest files and folders (.txt, .html, .html.gz, .json, .jsonl) into the articles index."""
    logger = get_run_logger()
    files, missing = discover(paths, follow_links=get_settings().follow_links)
    summary = IngestSummary(files=len(files), failed=list(missing))
    prepare_index()
    summary.add_replay(replay_spool())
    writer = Writer()
    batches = [files[start : start + batch_size] for start in range(0, len(files), batch_size)]
    window = in_flight(get_settings())
    pending: deque[tuple[int, PrefectFuture]] = deque()
    with progress_bar("ingesting", total=len(files), enabled=show_progress) as advance:

        def collect() -> None:  # the oldest batch: wait for its extraction, then index it
            size, future = pending.popleft()
            articles, failures = future.result()
            summary.failed += failures
            summary.extracted += len(articles)
            for report, written in writer.add(articles):  # one write per WRITE_BATCH articles
                summary.add_index_report(report, written)
            advance(size)

        for batch in batches:  # extraction runs on the task runner, at most `window` at once
            if len(pending) >= window:
                collect()
            pending.append((len(batch), extract_files.submit(batch, source)))
        while pending:
            collect()
        for report, written in writer.flush():
            summary.add_index_report(report, written)
    if refresh and (summary.indexed or summary.replayed) and not writer.down:
        refresh_index()  # once per run, not per batch: searchable when the run ends
        place_new_stories()
    logger.info(summary.one_line())
    publish_ingest_report(summary)
    rows = file_rows(summary)
    broken = [r for r in rows if r["failed"] and not (r["new"] or r["updated"] or r["unchanged"])]
    failed, message = run_verdict(
        [r["file"] for r in broken], [r["reasons"] for r in broken],
        len(rows), get_settings().fail_share, "files",
    )  # fmt: skip
    return final_state(summary, failed, message)


def configured_ingest_files(settings: Settings | None = None):
    """The file-ingest flow on the task runner the settings choose (`task_runner`, `dask_*`)."""
    runner: Any = task_runner(settings or get_settings())  # Prefect types runners invariantly
    return ingest_files.with_options(task_runner=runner)
