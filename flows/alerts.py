"""Prefect flow: send each subscription what is new since its last alert, and spikes.

Scheduled by `marsad serve` every `alerts_interval` seconds when an alerts file is set. The
sent articles and the outbox are in SQLite (`alerts_state_file`), so a restart neither loses
a queued alert nor sends an article twice; a destination that is down keeps its messages until
it answers again.
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.states import Completed, Failed

from marsad.alerts import AlertStore, AlertSummary, load_subscriptions, run_alerts
from marsad.config import get_settings


@task(name="run-alerts", cache_policy=NONE)
def alerts_pass() -> AlertSummary:
    from marsad.pipeline import article_index

    settings = get_settings()
    if settings.alerts_file is None:
        return AlertSummary()
    subscriptions = load_subscriptions(settings.alerts_file)
    store = AlertStore(settings.alerts_state_path)
    return run_alerts(subscriptions, article_index(), store, settings)


@flow(name="send-alerts", log_prints=True)
def send_alerts():
    """One pass; ends Failed with the delivery errors in its message when a destination failed
    (its messages wait for the next run), so the failed-run automation tells an operator."""
    summary = alerts_pass()
    logger = get_run_logger()
    logger.info(summary.one_line())
    lines = [f"# Alerts\n\n{summary.one_line()}\n"]
    lines += [f"- spike: {s}" for s in summary.spikes]
    lines += [f"- delivery failed: {e}" for e in summary.errors]
    create_markdown_artifact("\n".join(lines) + "\n", key="marsad-alerts",
                             description=summary.one_line())  # fmt: skip
    if summary.errors:
        for error in summary.errors:
            logger.warning(error)
        return Failed(message="; ".join(summary.errors)[:1000], data=summary)
    return Completed(message=summary.one_line(), data=summary)
