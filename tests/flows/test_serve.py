"""The deployments `marsad serve` registers, as a real Prefect API stores and enforces them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from prefect import get_client
from prefect.client.schemas.objects import ConcurrencyLimitStrategy
from prefect.states import Pending

from marsad.config import Settings
from marsad.flows.serve import ServeError, build_deployments, source_groups
from marsad.sources import load_sources

REGISTRY = """
sources:
  - {id: wire-a, name: A, homepage: "https://a.example/", country: QA, group: wires}
  - {id: daily-b, name: B, homepage: "https://b.example/", country: EG}
  - {id: wire-c, name: C, homepage: "https://c.example/", country: LB, group: wires}
"""
CRONS = {"wires": "*/20 * * * *", "default": "5 6 * * *"}


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    path = tmp_path_factory.mktemp("registry") / "sources.yaml"
    path.write_text(REGISTRY, "utf-8")
    return load_sources(path)


def _settings(**extra) -> Settings:
    return Settings(**({"schedules": CRONS, "schedule_timezone": "Asia/Beirut",
                        "inbox_concurrency": 3} | extra))  # fmt: skip


def test_sources_are_grouped_by_their_group_field(registry):
    assert source_groups(registry) == {"wires": ["wire-a", "wire-c"], "default": ["daily-b"]}


def test_a_group_without_a_cron_is_an_error_naming_it(registry):
    with pytest.raises(ServeError, match=r"group 'wires' \(wire-a, wire-c\) has no cron"):
        build_deployments(_settings(schedules={"default": "0 * * * *"}), registry)
    with pytest.raises(ServeError, match=r"group 'wires': bad cron 'every hour'"):
        build_deployments(_settings(schedules=CRONS | {"wires": "every hour"}), registry)
    with pytest.raises(ServeError, match=r"unknown group night \(known: wires, default\)"):
        build_deployments(_settings(), registry, groups=["night"])


def test_groups_and_the_inbox_can_be_served_apart(registry):
    names = [d.name for d in build_deployments(_settings(), registry, groups=["wires"])]
    assert names == ["wires", "inbox"]
    assert [d.name for d in build_deployments(_settings(), registry, inbox=False)] == [
        "wires", "default",
    ]  # fmt: skip
    assert [d.name for d in build_deployments(_settings(), registry, fetch=False)] == ["inbox"]


@pytest.fixture(scope="module")
def registered(prefect_api, registry) -> dict:
    """The deployments applied to the test API, read back by name."""
    for deployment in build_deployments(_settings(), registry):
        deployment.apply()
    names = ["fetch-sources/wires", "fetch-sources/default", "ingest-inbox-file/inbox"]
    with get_client(sync_client=True) as client:
        return {name: client.read_deployment_by_name(name) for name in names}


def test_each_group_is_registered_on_its_cron_in_the_timezone(registered):
    for group, ids in {"wires": ["wire-a", "wire-c"], "default": ["daily-b"]}.items():
        deployment = registered[f"fetch-sources/{group}"]
        (schedule,) = deployment.schedules
        assert (schedule.schedule.cron, schedule.schedule.timezone) == (CRONS[group], "Asia/Beirut")
        assert schedule.active
        assert deployment.parameters == {"sources": ids}
        assert deployment.entrypoint == "marsad.flows.fetch_sources.fetch_sources"


def test_a_schedule_never_overlaps_itself(registered):
    deployment = registered["fetch-sources/wires"]
    assert deployment.global_concurrency_limit.limit == 1
    assert deployment.concurrency_options.collision_strategy == ConcurrencyLimitStrategy.CANCEL_NEW


def test_the_inbox_queues_files_beyond_its_limit(registered):
    deployment = registered["ingest-inbox-file/inbox"]
    assert deployment.schedules == []
    assert deployment.global_concurrency_limit.limit == 3
    assert deployment.concurrency_options.collision_strategy == ConcurrencyLimitStrategy.ENQUEUE
    assert deployment.entrypoint == "marsad.flows.watch_inbox.ingest_inbox_file"


def test_the_server_cancels_a_second_run_while_the_first_holds_the_slot(registered):
    deployment = registered["fetch-sources/default"]
    with get_client(sync_client=True) as client:
        first, second = (client.create_flow_run_from_deployment(deployment.id) for _ in "12")
        assert client.set_flow_run_state(first.id, Pending()).state.type.value == "PENDING"
        refused = client.set_flow_run_state(second.id, Pending())
        assert client.read_flow_run(second.id).state.type.value == "CANCELLED", refused.details


def test_serve_refuses_to_start_without_a_prefect_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(tmp_path), "MARSAD_CONFIG": str(tmp_path / "none.toml")}
    done = subprocess.run([sys.executable, "-m", "marsad.cli", "serve"], env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 2
    assert "PREFECT_API_URL is not set" in " ".join(done.stderr.split())
