"""The inbox: a watcher that starts one Prefect flow run per settled file, and that flow.

The watcher never ingests anything itself. For each file that has settled it calls
`run_deployment` on the `ingest-inbox-file/inbox` deployment (served by `marsad serve`) with an
idempotency key derived from the file's path, size and times: restarting the watcher re-submits
what is still in the inbox and gets the same runs back, so nothing is lost or repeated. The flow
ingests the file with the file-ingest flow, then moves it to done/ or failed/ (with reasons).
A run that ends without moving its file (crashed, failed after its retries) is noticed by the
watcher, which files it under failed/ with the run's final state as the reason.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path, PurePosixPath
from uuid import UUID

from prefect import flow, get_client, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from watchfiles import watch

from marsad.config import get_settings
from marsad.flows.ingest_files import configured_ingest_files
from marsad.flows.tasks import summary_of
from marsad.inbox import Seen, Settler, file_away, run_key, scan, source_for, verdict

INBOX_FLOW = "ingest-inbox-file"
INBOX_DEPLOYMENT = f"{INBOX_FLOW}/inbox"
CHECK_EVERY = 5.0  # seconds between looks at the state of submitted runs
log = logging.getLogger("marsad.watch")


@task(name="file-away", cache_policy=NONE, retries=2, retry_delay_seconds=2)
def file_away_task(inbox: Path, rel: PurePosixPath, ok: bool, reasons: list[str]) -> Path:
    return file_away(inbox, rel, ok, reasons)


@flow(name=INBOX_FLOW, log_prints=True, retries=2, retry_delay_seconds=60)
def ingest_inbox_file(name: str) -> str:
    """Ingest one inbox file (path relative to the inbox), then move it to done/ or failed/."""
    inbox, rel = get_settings().inbox_dir.resolve(), PurePosixPath(name)
    if rel.is_absolute() or ".." in rel.parts:
        raise ValueError(f"{name}: not a path inside the inbox {inbox}")
    path = inbox / rel
    if not path.is_file():
        get_run_logger().warning(f"{path}: no longer in the inbox, nothing to do")
        return "gone"
    summary = summary_of(configured_ingest_files()([str(path)], source=source_for(rel),
                                                   return_state=True))  # fmt: skip
    ok, reasons = verdict(summary, str(path))
    target = file_away_task(inbox, rel, ok, reasons)
    moved = target.relative_to(inbox).as_posix()
    notes = "".join(f"\n- {reason}" for reason in reasons)
    create_markdown_artifact(f"`{name}` → `{moved}`\n\n{summary.one_line()}\n{notes}\n",
                             key="marsad-inbox", description=f"{name} → {moved}")  # fmt: skip
    return moved


class InboxWatcher:
    """Watches the inbox and submits each settled file once to the inbox deployment."""

    def __init__(self, inbox: Path, settle: float, health_file: Path | None = None) -> None:
        self.inbox = inbox.resolve()
        self.settler = Settler(settle)
        self.health_file = health_file
        self.submitted: dict[PurePosixPath, tuple[str, UUID]] = {}
        self._checked = 0.0

    def run(self, stop: threading.Event) -> None:
        """Scan what is already there, then react to changes until `stop` is set."""
        self.inbox.mkdir(parents=True, exist_ok=True)
        log.info("watching %s (settle %.1fs)", self.inbox, self.settler.settle)
        self.tick()
        for _ in watch(self.inbox, watch_filter=None, stop_event=stop, rust_timeout=1000,
                       yield_on_timeout=True, raise_interrupt=False):  # fmt: skip
            self.tick()

    def tick(self) -> None:
        now = time.monotonic()
        found = scan(self.inbox)
        for rel in self.settler.tracked():
            if rel not in found:
                self.settler.observe(rel, None, now)
        for rel, seen in found.items():
            if self.submitted.get(rel, ("",))[0] != run_key(rel, seen):
                self.settler.observe(rel, seen, now)
        for rel, seen in self.settler.ready(now):
            self.submit(rel, seen)
        if now - self._checked >= CHECK_EVERY:
            self._checked = now
            self.check_runs()
        if self.health_file:
            self.health_file.touch()

    def submit(self, rel: PurePosixPath, seen: Seen) -> UUID | None:
        """One flow run per file version; a second call returns the same run (idempotency key)."""
        key = run_key(rel, seen)
        try:
            run: FlowRun = run_deployment(  # type: ignore[assignment]  # sync call: a FlowRun
                INBOX_DEPLOYMENT, parameters={"name": rel.as_posix()}, timeout=0,
                idempotency_key=key, as_subflow=False, tags=["inbox"],
                flow_run_name=f"inbox {rel.as_posix()}"[:120],
            )  # fmt: skip
        except Exception as exc:  # the API or the deployment is missing: try again later
            log.error("%s: not submitted, will retry: %s", self.inbox / rel, _one_line(exc))
            return None
        self.submitted[rel] = (key, run.id)
        log.info("%s: flow run %s (%s)", rel, run.name, run.id)
        return run.id

    def check_runs(self) -> None:
        """Forget runs whose file is gone; file away those whose run ended without moving it."""
        if not self.submitted:
            return
        with get_client(sync_client=True) as client:
            for rel, (key, run_id) in list(self.submitted.items()):
                try:
                    state = client.read_flow_run(run_id).state
                except Exception as exc:
                    log.error("%s: cannot read flow run %s: %s", rel, run_id, _one_line(exc))
                    continue
                self._settle_run(rel, key, run_id, state)

    def _settle_run(self, rel: PurePosixPath, key: str, run_id: UUID, state) -> None:
        final = bool(state and state.is_final())
        try:
            current = run_key(rel, Seen.of(self.inbox / rel))
        except FileNotFoundError:
            current = None
        if current != key:  # filed away by its run, or replaced by a newer version
            del self.submitted[rel]
        elif final:
            del self.submitted[rel]
            reason = f"flow run {run_id} ended {state.name} without filing it: {state.message}"
            target = file_away(self.inbox, rel, ok=False, reasons=[_one_line(reason)])
            log.warning("%s: %s; moved to %s", rel, reason, target)


def _one_line(value: object) -> str:
    text = " ".join(str(value).split())
    return text[:500]
