"""The shipped automation: a run that ends Failed is POSTed to a webhook (a real HTTP server on
127.0.0.1) by Prefect's own automations service."""

from __future__ import annotations

import json
import time

import pytest
from prefect import flow
from prefect.automations import Automation
from prefect.client.orchestration import get_client
from prefect.states import Failed
from pytest_httpserver import HTTPServer

from marsad.prefect_server import FAILED_RUNS_AUTOMATION, notify_failed_runs


@pytest.mark.usefixtures("prefect_api")
def test_a_failed_run_is_posted_to_the_webhook():
    with HTTPServer(host="127.0.0.1", port=0) as receiver:
        receiver.expect_request("/hook", method="POST").respond_with_data("ok")
        url = receiver.url_for("/hook")
        notify_failed_runs(url)
        notify_failed_runs(url)  # again: replaced, not doubled
        automation = Automation.read(name=FAILED_RUNS_AUTOMATION)
        assert automation.trigger.expect == {"prefect.flow-run.Failed"}
        with get_client(sync_client=True) as client:
            assert len(client.read_automations_by_name(FAILED_RUNS_AUTOMATION)) == 1

        @flow(name="marsad-test-failing")
        def failing():
            return Failed(message="2 of 2 sources failed (a: HTTP 503; b: HTTP 503)")

        failing(return_state=True)
        deadline = time.monotonic() + 60
        while not receiver.log and time.monotonic() < deadline:
            time.sleep(0.5)
        assert receiver.log, "no notification within 60 s"
        (request, _response), *_ = receiver.log
        text = json.loads(request.get_data())["text"]
        assert "marsad run failed: marsad-test-failing" in text
        assert "2 of 2 sources failed" in text
