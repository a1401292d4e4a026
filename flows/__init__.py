"""Prefect flows and tasks: orchestration only; the work is in extractors/ and marsad/."""

import os

# Without PREFECT_API_URL, Prefect starts a temporary local API; on a busy 2-core machine it
# can take longer than Prefect's default 20 s, which would fail the run before it starts.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
# No internet here or in most newsrooms' ingest hosts: don't let the API try to phone home.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
