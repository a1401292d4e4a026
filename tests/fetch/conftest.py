"""A real threaded HTTP server on 127.0.0.1 per test, and fetch options that may reach it."""

from __future__ import annotations

import asyncio

import pytest
from pytest_httpserver import HTTPServer

from marsad.fetch.client import Fetcher, Page
from marsad.fetch.options import FetchOptions, networks
from tests.fetch.web import RawServer, Site

LOCAL = networks(["127.0.0.1/32"])  # only the test server's address, nothing else


@pytest.fixture
def server():
    httpd = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    httpd.start()
    yield httpd
    httpd.clear()
    if httpd.is_running():
        httpd.stop()


@pytest.fixture
def site(server) -> Site:
    return Site(server)


@pytest.fixture
def raw_server():
    """Bare TCP servers on 127.0.0.1 (canaries, or servers that never answer), closed after."""
    started: list[RawServer] = []

    def start(answer: bytes | None = None) -> RawServer:
        started.append(RawServer(answer))
        return started[-1]

    yield start
    for one in started:
        one.close()


def test_options(**overrides) -> FetchOptions:
    """Fast but real: tiny delays and timeouts, 127.0.0.1 explicitly allowed."""
    values = dict(
        user_agent="marsad-test/1.0 (+tests)", connect_timeout=2.0, read_timeout=2.0,
        total_timeout=10.0, host_delay=0.0, retries=2, backoff=0.05, allow_networks=LOCAL,
        resolve={"news.marsad.test": "127.0.0.1", "feeds.marsad.test": "127.0.0.1"},
    )  # fmt: skip
    values.update(overrides)
    return FetchOptions(**values)


test_options.__test__ = False  # a helper, not a test


def get(url: str, options: FetchOptions | None = None, **kwargs) -> Page:
    """One Fetcher.get in its own event loop."""

    async def run() -> Page:
        async with Fetcher(options or test_options()) as fetcher:
            return await fetcher.get(url, **kwargs)

    return asyncio.run(run())
