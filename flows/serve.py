"""The deployments `marsad serve` registers and serves against a Prefect server.

- `fetch-sources/<group>`: one per source group of the registry, on that group's cron in the
  configured timezone, with the group's source ids as parameters. Deployment concurrency 1 with
  CANCEL_NEW: a run still going when the next is due makes the new one cancelled, so two runs
  of one schedule never overlap, and a backlog after an outage collapses into one run instead
  of a pile of late runs.
- `ingest-inbox-file/inbox`: started by the watcher, one run per file; at most
  `inbox_concurrency` at once, the rest ENQUEUEd (a file is never dropped for being late).

The process itself runs at most `serve_limit` flow runs at once (Prefect's runner limit).
"""

from __future__ import annotations

from prefect import serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.types.entrypoint import EntrypointType

from marsad.config import Settings
from marsad.flows.fetch_sources import fetch_sources
from marsad.flows.watch_inbox import ingest_inbox_file
from marsad.sources import Source

NO_OVERLAP = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW)


class ServeError(ValueError):
    """Deployments that cannot be built; the message names the group or setting."""


def source_groups(registry: dict[str, Source]) -> dict[str, list[str]]:
    """Source ids by group, in registry order."""
    groups: dict[str, list[str]] = {}
    for source in registry.values():
        groups.setdefault(source.group, []).append(source.id)
    return groups


def fetch_deployments(
    settings: Settings, registry: dict[str, Source], only: list[str] | None = None
) -> list[RunnerDeployment]:
    """One scheduled fetch deployment per group (or per chosen group)."""
    groups = source_groups(registry)
    unknown = sorted(set(only or []) - set(groups))
    if unknown:
        raise ServeError(f"unknown group {', '.join(unknown)} (known: {', '.join(groups)})")
    return [_fetch_deployment(settings, group, ids) for group, ids in groups.items()
            if not only or group in only]  # fmt: skip


def _fetch_deployment(settings: Settings, group: str, ids: list[str]) -> RunnerDeployment:
    cron = settings.schedules.get(group)
    if not cron:
        raise ServeError(f"group '{group}' ({', '.join(ids)}) has no cron in the schedules setting")
    try:
        schedule = Cron(cron, timezone=settings.schedule_timezone)
    except ValueError as exc:
        raise ServeError(f"group '{group}': bad cron {cron!r}: {exc}") from exc
    return fetch_sources.to_deployment(  # type: ignore[return-value]  # sync call
        name=group,
        schedule=schedule,
        parameters={"sources": ids},
        concurrency_limit=NO_OVERLAP,
        tags=["marsad", "fetch", f"group:{group}"],
        description=f"Poll and fetch the '{group}' sources: {', '.join(ids)}.",
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def inbox_deployment(settings: Settings) -> RunnerDeployment:
    """The deployment the watcher starts, once per file."""
    return ingest_inbox_file.to_deployment(  # type: ignore[return-value]  # sync call
        name="inbox",
        concurrency_limit=ConcurrencyLimitConfig(
            limit=settings.inbox_concurrency, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE
        ),
        tags=["marsad", "inbox"],
        description=f"Ingest one file of the inbox ({settings.inbox_dir}); the watcher starts it.",
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def alerts_deployment(settings: Settings) -> RunnerDeployment:
    """Alerts every `alerts_interval` seconds (only when an alerts file is set)."""
    from datetime import timedelta

    from marsad.flows.alerts import send_alerts

    return send_alerts.to_deployment(  # type: ignore[return-value]  # sync call
        name="alerts",
        interval=timedelta(seconds=settings.alerts_interval),
        tags=["marsad", "alerts"],
        description=f"Alerts of {settings.alerts_file}: new articles and spikes, sent once.",
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def build_deployments(
    settings: Settings,
    registry: dict[str, Source],
    groups: list[str] | None = None,
    fetch: bool = True,
    inbox: bool = True,
) -> list[RunnerDeployment]:
    deployments = fetch_deployments(settings, registry, groups) if fetch else []
    if settings.alerts_file is not None:
        deployments.append(alerts_deployment(settings))
    return deployments + ([inbox_deployment(settings)] if inbox else [])


def serve_deployments(deployments: list[RunnerDeployment], limit: int) -> None:
    """Register the deployments and run their flow runs here until interrupted."""
    if not deployments:
        raise ServeError("nothing to serve: no group chosen and the inbox left out")
    serve(*deployments, limit=limit)
