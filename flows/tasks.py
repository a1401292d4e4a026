"""Prefect tasks the flows share: index preparation, bulk writes with retries, refresh.

Each task calls one `marsad.pipeline` function; retries and the "cluster stayed down" report
live here, once, for the file, inbox and fetch flows alike.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NONE
from prefect.tasks import exponential_backoff

from marsad import pipeline
from marsad.elastic.articles import IndexReport
from marsad.models import Article, Failure


@task(name="prepare-index", cache_policy=NONE, retries=2, retry_delay_seconds=5)
def prepare_index() -> str:
    return pipeline.prepare_index()


@task(
    name="index-articles",
    cache_policy=NONE,
    retries=3,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),
    retry_jitter_factor=0.5,
)
def index_articles(articles: list[Article], refresh: bool) -> IndexReport:
    """Bulk-write one batch; retried when the cluster is briefly unreachable."""
    return pipeline.index_articles(articles, refresh)


@task(name="refresh-index", cache_policy=NONE, retries=2, retry_delay_seconds=5)
def refresh_index() -> None:
    """Make the run's articles searchable now (batches are written without waiting for it)."""
    pipeline.refresh_index()


def index_or_fail(articles: list[Article], refresh: bool) -> IndexReport:
    """If the cluster stays unreachable after retries, every article is reported, not lost."""
    if not articles:
        return IndexReport()
    state = index_articles(articles, refresh, return_state=True)
    if state.is_completed():
        return state.result()
    error = state.result(raise_on_failure=False)
    cause = error if isinstance(error, BaseException) else RuntimeError(str(error))
    return IndexReport(failed=[Failure.from_error(a.origin or a.id, cause, "index")
                               for a in articles])  # fmt: skip
