"""A local Prefect server managed like the embedded Elasticsearch: started once, reused.

Without `PREFECT_API_URL`, every `marsad ingest` or `fetch` made Prefect start a temporary
server of its own, 12-19 s before the flow could begin. `marsad prefect start` runs one server
on 127.0.0.1 in the background (its database and log under `<state_dir>/prefect/`); while it
answers, commands use it instead. A pid file is trusted only when it names this server.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from marsad.config import Settings


class PrefectServerError(RuntimeError):
    """The local Prefect server could not be started; the message says why, in one line."""


@dataclass
class ServerStatus:
    running: bool
    url: str
    pid: int | None = None


class LocalPrefect:
    def __init__(self, settings: Settings) -> None:
        self.port = settings.prefect_port
        self.home = (settings.state_dir / "prefect").resolve()
        self.pidfile = self.home / "server.pid"
        self.log = self.home / "server.log"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def healthy(self) -> bool:
        try:
            return (
                httpx.get(f"{self.api_url}/health", timeout=2, trust_env=False).status_code == 200
            )
        except httpx.HTTPError:
            return False

    def _own_pid(self) -> int | None:
        """The pid in the pid file, if it is this server's process (else the file is stale)."""
        try:
            pid = int(self.pidfile.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            return None
        words = [part.decode("utf-8", "replace") for part in cmdline]
        ours = "prefect" in " ".join(words) and "server" in words and str(self.port) in words
        return pid if ours else None

    def status(self) -> ServerStatus:
        pid = self._own_pid()
        return ServerStatus(running=pid is not None and self.healthy(), url=self.api_url, pid=pid)

    def start(self, timeout: float = 180) -> ServerStatus:
        """Start the server unless it runs already; wait until it answers."""
        current = self.status()
        if current.running:
            return current
        if self.healthy():
            raise PrefectServerError(f"port {self.port} answers but is not marsad's own server")
        self.home.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PREFECT_HOME": str(self.home),
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_API_URL": ""}  # fmt: skip
        with self.log.open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "prefect", "server", "start",
                 "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
            )  # fmt: skip
        self.pidfile.write_text(str(process.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise PrefectServerError(f"the Prefect server exited ({process.returncode}); "
                                         f"see {self.log}")  # fmt: skip
            if self.healthy():
                return ServerStatus(True, self.api_url, process.pid)
            time.sleep(0.5)
        raise PrefectServerError(f"the Prefect server did not answer in {timeout:.0f} s; "
                                 f"see {self.log}")  # fmt: skip

    def stop(self, timeout: float = 30) -> bool:
        """Stop this server (only if the pid file names it); False when it was not running."""
        pid = self._own_pid()
        if pid is None:
            self.pidfile.unlink(missing_ok=True)
            return False
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.2)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)
        self.pidfile.unlink(missing_ok=True)
        return True


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def use_local_server(settings: Settings) -> str | None:
    """Point this process's Prefect at the local server when it runs and nothing else is set."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    server = LocalPrefect(settings)
    if server._own_pid() is None or not server.healthy():
        return None
    os.environ["PREFECT_API_URL"] = server.api_url
    return server.api_url


FAILED_RUNS_AUTOMATION = "marsad: notify on failed runs"
FAILED_RUNS_BLOCK = "marsad-failed-runs"


def notify_failed_runs(webhook_url: str) -> str:
    """Create (or replace) the Prefect automation that POSTs to `webhook_url` whenever a flow
    run ends Failed; its id. The body is JSON {"text": …}, which Slack and Mattermost accept.
    Prefect's own server sends it (its automations service), so it works for every flow:
    scheduled fetches, inbox ingests and runs started from the command line alike."""
    from typing import cast

    from prefect.automations import Automation
    from prefect.blocks.notifications import CustomWebhookNotificationBlock
    from prefect.events.actions import SendNotification
    from prefect.events.schemas.automations import EventTrigger, Posture

    block = CustomWebhookNotificationBlock(
        name=FAILED_RUNS_BLOCK,
        url=webhook_url,
        json_data={"text": "{{subject}}\n{{body}}"},
        allow_private_urls=True,  # an on-premises chat server is the usual destination
    )
    block_id = block.save(FAILED_RUNS_BLOCK, overwrite=True)
    with contextlib.suppress(ValueError):  # ValueError: none yet
        cast(Automation, Automation.read(name=FAILED_RUNS_AUTOMATION)).delete()
    automation = Automation(
        name=FAILED_RUNS_AUTOMATION,
        description="marsad: a run whose sources or files failed past MARSAD_FAIL_SHARE",
        trigger=EventTrigger(
            match={"prefect.resource.id": "prefect.flow-run.*"},
            expect={"prefect.flow-run.Failed"},
            posture=Posture.Reactive,
            threshold=1,
        ),
        actions=[SendNotification(
            block_document_id=block_id,
            subject="marsad run failed: {{ flow.name }} / {{ flow_run.name }}",
            body="{{ flow_run.state.message }}",
        )],
    )  # fmt: skip
    return str(cast(Automation, automation.create()).id)  # sync here: no running event loop
