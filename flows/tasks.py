"""Prefect tasks the flows share: index preparation, bulk writes, refresh, spool replay,
story placement.

Each task calls one `marsad.pipeline` function. Writes retry and spool inside the pipeline
(`pipeline.index_articles`), so an outage costs a few quiet retries and leaves the articles on
disk, not a traceback per batch; a task that still crashes reports its articles as failures.
"""

from __future__ import annotations

import time

from prefect import task
from prefect.cache_policies import NONE

from marsad import pipeline
from marsad.config import get_settings
from marsad.elastic.articles import IndexReport
from marsad.models import Article, Failure


@task(name="prepare-index", cache_policy=NONE, retries=2, retry_delay_seconds=5)
def prepare_index() -> str:
    return pipeline.prepare_index()


@task(name="index-articles", cache_policy=NONE)
def index_articles(articles: list[Article], refresh: bool, attempts: int = 3) -> IndexReport:
    """Bulk-write one batch; what the cluster cannot take now is spooled with the reason."""
    return pipeline.index_articles(articles, refresh, attempts=attempts)


@task(name="refresh-index", cache_policy=NONE, retries=2, retry_delay_seconds=5)
def refresh_index() -> None:
    """Make the run's articles searchable now (batches are written without waiting for it)."""
    pipeline.refresh_index()


@task(name="place-stories", cache_policy=NONE, retries=2, retry_delay_seconds=5)
def place_stories(batch_size: int = 500) -> str:
    """Place the articles that have no story yet (idempotent: a retry resumes); the summary."""
    from marsad.stories import place_articles

    return place_articles(batch_size).one_line()


def place_new_stories() -> None:
    """After a run: new articles join their stories, unless MARSAD_PLACE_STORIES is off. A
    failure here is logged; the run's articles are indexed either way."""
    from prefect import get_run_logger

    if not get_settings().place_stories:
        return
    state = place_stories(return_state=True)
    logger = get_run_logger()
    if state.is_completed():
        logger.info("stories: %s", state.result())
    else:
        logger.warning("stories: not placed (%s); `marsad stories --update` places them later",
                       state.message)  # fmt: skip


def final_state(summary, failed: bool, message: str | None):
    """What a run returns: its summary, in a Failed state (with why) when too many of its
    sources or files got nothing through, or a Completed one that says what broke. Prefect
    shows the message on the run, and an automation can notify on the Failed state."""
    from prefect.states import Completed, Failed

    if failed:
        return Failed(message=message, data=summary)
    if message:
        return Completed(message=message, data=summary)
    return summary


def summary_of(state):
    """A run's summary from its final state, Failed or not (call the flow with
    `return_state=True`: a Failed run's data is its summary, not an exception)."""
    return state.result(raise_on_failure=False)


@task(name="replay-spool", cache_policy=NONE)
def replay_spool() -> IndexReport:
    """Articles an earlier run could not write: written first, before this run's own."""
    return pipeline.replay(refresh=False)[1]


class Writer:
    """Writes a run's batches; after one batch found the cluster gone, the rest try once.

    `add` gathers articles until `write_batch` are waiting (settings), then writes them in one
    task: each task run costs about 0.2 s of Prefect bookkeeping, so writing every 200-file
    extraction batch cost 3x a raw bulk of the same documents. A slow run still writes at
    least every `write_wait` seconds, so analysts see its articles come in. `flush` writes the
    rest. Both return what the written articles became (with them).
    """

    def __init__(self, batch: int | None = None, wait: float | None = None) -> None:
        settings = get_settings()
        self.down = False
        self.batch = batch or settings.write_batch
        self.wait = settings.write_wait if wait is None else wait
        self.waiting: list[Article] = []
        self.last = time.monotonic()

    def add(self, articles: list[Article]) -> list[tuple[IndexReport, list[Article]]]:
        self.waiting += articles
        due = time.monotonic() - self.last >= self.wait
        return self.flush() if len(self.waiting) >= self.batch or due else []

    def flush(self) -> list[tuple[IndexReport, list[Article]]]:
        articles, self.waiting = self.waiting, []
        self.last = time.monotonic()
        return [(self.write(articles, refresh=False), articles)] if articles else []

    def write(self, articles: list[Article], refresh: bool) -> IndexReport:
        if not articles:
            return IndexReport()
        state = index_articles(articles, refresh, 1 if self.down else 3, return_state=True)
        if not state.is_completed():
            error = state.result(raise_on_failure=False)
            cause = error if isinstance(error, BaseException) else RuntimeError(str(error))
            return IndexReport(failed=[Failure.from_error(a.origin or a.id, cause, "index")
                                       for a in articles])  # fmt: skip
        report: IndexReport = state.result()
        self.down = bool(report.spooled)
        return report


def index_or_fail(articles: list[Article], refresh: bool) -> IndexReport:
    """One batch through a fresh `Writer` (for flows that write a batch at a time)."""
    return Writer().write(articles, refresh)
