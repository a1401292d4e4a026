"""The per-item deadline: one `Fetcher.get` costs at most `item_deadline` of its own time, over
every retry, redirect and robots.txt, while politeness (delays, Crawl-delay, Retry-After) holds."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest
from werkzeug import Response

from marsad.fetch.client import Fetcher, FetchError
from tests.fetch.conftest import get, test_options


def _silent(raw_server, path: str = "/never") -> tuple[str, object]:
    """A server that accepts connections and never answers, under a name that resolves to it."""
    server = raw_server()
    return server.url(path, host="slow.marsad.test"), server


def _options(**overrides):
    resolve = {"slow.marsad.test": "127.0.0.1", "news.marsad.test": "127.0.0.1"}
    return test_options(resolve=resolve, **overrides)


def test_a_server_that_never_answers_fails_within_the_deadline(raw_server):
    """Per-attempt timeouts (5 s) are longer than the item's deadline: the deadline decides."""
    url, server = _silent(raw_server)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"gave up after 0\.8 s \(1 attempts\)") as caught:
        get(url, _options(read_timeout=5, total_timeout=5, item_deadline=0.8))
    assert 0.75 <= time.monotonic() - started < 1.5
    assert caught.value.retryable  # a failure, retried in a later run after its backoff
    assert len(server.accepted) == 1  # robots.txt, the one request it got to make
    assert _hung_up_within(server, 1.2)  # the connection was dropped, not left open


def _hung_up_within(server, seconds: float) -> bool:
    """The server saw each connection closed by the client within `seconds` of accepting it."""
    until = time.monotonic() + seconds + 1
    while len(server.hung_up) < len(server.accepted) and time.monotonic() < until:
        time.sleep(0.05)
    pairs = zip(server.accepted, server.hung_up, strict=False)
    return len(server.hung_up) == len(server.accepted) and all(b - a < seconds for a, b in pairs)


def test_the_deadline_covers_all_retries_together(raw_server):
    """Eleven attempts of 0.3 s would take 3.3 s and more; the item gives up at 1.2 s."""
    url, server = _silent(raw_server)
    options = _options(read_timeout=0.3, retries=10, backoff=0.05, item_deadline=1.2)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"gave up after 1\.2 s \((\d+) attempts\)") as caught:
        get(url, options, robots=False)
    assert 1.15 <= time.monotonic() - started < 1.8
    attempts = int(caught.value.reason.split("(")[1].split()[0])
    assert 2 <= attempts < 11
    # every attempt but the last reached the server; the last may have been begun as the
    # deadline struck, before the server's accept thread took the connection
    deadline = time.monotonic() + 0.5
    while len(server.accepted) < attempts and time.monotonic() < deadline:
        time.sleep(0.02)
    assert attempts - 1 <= len(server.accepted) <= attempts


def _fetch_all(site, prefix: str, count: int, **options) -> list:
    """Serve `count` pages on one host and fetch them all at once with one Fetcher."""
    urls = [site.url("news.marsad.test", f"{prefix}{n}") for n in range(count)]
    for url in urls:
        site.serve(url, "<p>x</p>")

    async def run():
        async with Fetcher(_options(**options)) as fetcher:
            return await asyncio.gather(*(fetcher.get(u) for u in urls))

    return asyncio.run(run())


def test_time_queued_for_politeness_is_not_the_items_time(site):
    """Four items on a host with a 0.4 s delay wait up to 1.2 s in line, over their 0.5 s
    deadline; all are fetched, and each request still starts 0.4 s after the last ended."""
    pages = _fetch_all(site, "/q", 4, host_delay=0.4, item_deadline=0.5)
    assert [page.status for page in pages] == [200] * 4
    starts = sorted(h.at for h in site.hits)  # robots.txt, then the four pages
    assert len(starts) == 5
    assert all(b - a >= 0.39 for a, b in itertools.pairwise(starts))


def test_crawl_delay_still_holds_under_a_short_deadline(site):
    site.serve(site.url("news.marsad.test", "/robots.txt"), "User-agent: *\nCrawl-delay: 1\n")
    pages = _fetch_all(site, "/c", 3, host_concurrency=4, item_deadline=0.6)
    assert [page.status for page in pages] == [200] * 3
    times = sorted(h.at for h in site.hits if h.path.startswith("/c"))
    assert all(b - a >= 0.95 for a, b in itertools.pairwise(times))


def test_retry_after_past_the_deadline_fails_at_once(site):
    url = site.url("news.marsad.test", "/busy")
    site.route(url, lambda r: Response("slow down", 429, {"Retry-After": "5"}))
    started = time.monotonic()
    with pytest.raises(FetchError, match="Retry-After 5 s, past the item's 2 s deadline"):
        get(url, _options(item_deadline=2))
    assert time.monotonic() - started < 1.0 and len(site.requests(url)) == 1


def test_retry_after_within_the_deadline_is_waited_and_counted(site):
    """The item's own Retry-After is its time: 1 s asked, 1.5 s deadline, it still succeeds."""
    url = site.url("news.marsad.test", "/once")
    answers = [Response("slow down", 429, {"Retry-After": "1"}), Response("<p>ok</p>")]
    site.route(url, lambda r: answers.pop(0) if len(answers) > 1 else answers[0])
    assert get(url, _options(item_deadline=1.5)).status == 200
    first, second = site.requests(url)
    assert second.at - first.at >= 0.95
