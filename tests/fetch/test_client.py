"""The HTTP client against a real server: redirects, limits, timeouts, retries, robots.txt."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time

import pytest
from werkzeug import Response

from marsad.fetch.client import Fetcher, FetchError
from tests.fetch.conftest import get, test_options


def _url(site, path: str) -> str:
    return site.url("news.marsad.test", path)


def _sequence(*responses: Response):
    """A handler answering with each response in turn, then the last one forever."""
    queue = list(responses)
    lock = threading.Lock()

    def handler(_request):
        with lock:
            return queue.pop(0) if len(queue) > 1 else queue[0]

    return handler


def test_user_agent_is_sent(site):
    site.serve(_url(site, "/a"), "<p>ok</p>")
    page = get(_url(site, "/a"))
    assert page.status == 200 and page.body == b"<p>ok</p>"
    assert site.requests(_url(site, "/a"))[0].headers["User-Agent"] == "marsad-test/1.0 (+tests)"


def test_redirects_are_followed_to_the_final_url(site):
    site.route(_url(site, "/old"), lambda r: Response(status=301, headers={"Location": "/new"}))
    site.serve(_url(site, "/new"), "<p>new</p>")
    page = get(_url(site, "/old"))
    assert page.final_url == _url(site, "/new") and page.body == b"<p>new</p>"


def test_redirect_loop_is_reported(site):
    site.route(_url(site, "/a"), lambda r: Response(status=302, headers={"Location": "/b"}))
    site.route(_url(site, "/b"), lambda r: Response(status=302, headers={"Location": "/a"}))
    with pytest.raises(FetchError, match="redirect loop: .*/a → .*/b → .*/a"):
        get(_url(site, "/a"))


def test_redirect_limit(site):
    for n in range(10):
        location = {"Location": f"/r{n + 1}"}
        site.route(_url(site, f"/r{n}"), lambda r, h=location: Response(status=302, headers=h))
    with pytest.raises(FetchError, match="more than 3 redirects"):
        get(_url(site, "/r0"), test_options(max_redirects=3))
    assert [h.path for h in site.hits if h.path != "/robots.txt"] == ["/r0", "/r1", "/r2", "/r3"]


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://127.0.0.2:{port}/inside", "127.0.0.2 a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "a cloud metadata address"),
        ("file:///etc/passwd", "scheme 'file' is not http or https"),
    ],
)
def test_redirects_to_forbidden_places_are_refused(site, target, reason):
    location = target.format(port=site.port)
    site.route(_url(site, "/go"), lambda r: Response(status=302, headers={"Location": location}))
    with pytest.raises(FetchError, match=reason) as caught:
        get(_url(site, "/go"))
    assert not caught.value.retryable


def test_declared_oversized_body_is_refused(site):
    site.serve(_url(site, "/big"), b"x" * 300_000)
    with pytest.raises(FetchError, match="over the 100000-byte limit"):
        get(_url(site, "/big"), test_options(max_bytes=100_000))


def test_streamed_oversized_body_is_cut_off(site):
    def endless(_request):
        return Response((b"x" * 10_000 for _ in range(1000)), content_type="text/html")

    site.route(_url(site, "/stream"), endless)
    with pytest.raises(FetchError, match="over the 50000-byte limit"):
        get(_url(site, "/stream"), test_options(max_bytes=50_000))


def test_server_too_slow_is_a_read_timeout(site):
    def slow(_request):
        time.sleep(1.5)
        return Response("<p>late</p>")

    site.route(_url(site, "/slow"), slow)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"read timeout: no data for 0.3 s \(1 attempts\)"):
        get(_url(site, "/slow"), test_options(read_timeout=0.3, retries=0))
    assert time.monotonic() - started < 1.4


def test_trickling_server_hits_the_total_timeout(site):
    def trickle(_request):
        def body():
            for _ in range(20):
                time.sleep(0.2)
                yield b"x"

        return Response(body(), content_type="text/html")

    site.route(_url(site, "/trickle"), trickle)
    with pytest.raises(FetchError, match="no complete response within 0.8 s"):
        get(_url(site, "/trickle"), test_options(total_timeout=0.8, retries=0))


def test_429_retry_after_is_honoured(site):
    site.route(_url(site, "/busy"), _sequence(
        Response("slow down", 429, {"Retry-After": "1"}), Response("<p>ok</p>"),
    ))  # fmt: skip
    page = get(_url(site, "/busy"))
    assert page.status == 200
    first, second = site.requests(_url(site, "/busy"))
    assert second.at - first.at >= 0.95


def test_retry_after_over_the_limit_fails_with_the_reason(site):
    site.route(_url(site, "/later"), lambda r: Response("", 503, {"Retry-After": "3600"}))
    with pytest.raises(FetchError, match="HTTP 503 Service Unavailable with Retry-After 3600 s"):
        get(_url(site, "/later"), test_options(max_retry_after=60))
    assert len(site.requests(_url(site, "/later"))) == 1


def test_5xx_is_retried_with_backoff_then_succeeds(site):
    site.route(_url(site, "/flaky"), _sequence(
        Response("", 502), Response("", 500), Response("<p>ok</p>"),
    ))  # fmt: skip
    assert get(_url(site, "/flaky"), test_options(retries=2, backoff=0.2)).status == 200
    hits = site.requests(_url(site, "/flaky"))
    assert len(hits) == 3
    # backoff 0.2·2^n, of which at least half is waited: ≥ 0.1 s, then ≥ 0.2 s
    assert hits[1].at - hits[0].at >= 0.1 and hits[2].at - hits[1].at >= 0.2


def test_5xx_that_persists_is_a_failure_with_its_status(site):
    site.route(_url(site, "/down"), lambda r: Response("", 500))
    with pytest.raises(FetchError, match="HTTP 500 Internal Server Error after 3 attempts"):
        get(_url(site, "/down"))


def test_404_names_the_status(site):
    with pytest.raises(FetchError, match="HTTP 404 Not Found"):
        get(_url(site, "/missing"))


def test_robots_disallow_keeps_the_path_unfetched(site):
    site.serve(_url(site, "/robots.txt"), "User-agent: *\nDisallow: /private/\n", "text/plain")
    site.serve(_url(site, "/private/a"), "<p>secret</p>")
    site.serve(_url(site, "/public/a"), "<p>open</p>")
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        get(_url(site, "/private/a"))
    assert site.requests(_url(site, "/private/a")) == []
    assert get(_url(site, "/public/a")).status == 200


def test_robots_group_for_our_product_token(site):
    robots = "User-agent: marsad-test\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
    site.serve(_url(site, "/robots.txt"), robots, "text/plain")
    with pytest.raises(FetchError, match="disallowed by robots.txt"):
        get(_url(site, "/anything"))


def test_robots_unreachable_means_stay_away(site):
    site.route(_url(site, "/robots.txt"), lambda r: Response("", 503))
    site.serve(_url(site, "/a"), "<p>x</p>")
    with pytest.raises(FetchError, match=r"robots.txt unreachable \(HTTP 503"):
        get(_url(site, "/a"), test_options(retries=0))
    assert site.requests(_url(site, "/a")) == []


def test_crawl_delay_spaces_requests(site):
    site.serve(_url(site, "/robots.txt"), "User-agent: *\nCrawl-delay: 1\n", "text/plain")
    for n in range(3):
        site.serve(_url(site, f"/p{n}"), "<p>x</p>")

    async def run():
        async with Fetcher(test_options(host_concurrency=4)) as fetcher:
            await asyncio.gather(*(fetcher.get(_url(site, f"/p{n}")) for n in range(3)))

    asyncio.run(run())
    times = sorted(h.at for h in site.hits if h.path.startswith("/p"))
    assert len(times) == 3
    assert all(b - a >= 0.95 for a, b in itertools.pairwise(times))


def _timed_handler(log: list, lock: threading.Lock):
    def handler(_request):
        started = time.monotonic()
        time.sleep(0.2)
        with lock:
            log.append((started, time.monotonic()))
        return Response("<p>x</p>")

    return handler


def _get_all(urls: list[str], options) -> None:
    async def run():
        async with Fetcher(options) as fetcher:
            await asyncio.gather(*(fetcher.get(u) for u in urls))

    asyncio.run(run())


def _most_in_flight(log: list[tuple[float, float]]) -> int:
    events = sorted([(a, 1) for a, _ in log] + [(b, -1) for _, b in log])
    return max(itertools.accumulate(step for _, step in events))


def test_concurrency_cap_without_delay(site):
    log, lock = [], threading.Lock()
    urls = [_url(site, f"/c{n}") for n in range(6)]
    for url in urls:
        site.route(url, _timed_handler(log, lock))
    _get_all(urls, test_options(host_concurrency=2, host_delay=0.0))
    assert _most_in_flight(log) == 2


def test_host_delay_is_kept_as_the_server_sees_it(site):
    """With a delay, each request starts ≥ delay after the previous response ended."""
    log, lock = [], threading.Lock()
    urls = [_url(site, f"/d{n}") for n in range(4)]
    for url in urls:
        site.route(url, _timed_handler(log, lock))
    _get_all(urls, test_options(host_concurrency=2, host_delay=0.3))
    log.sort()
    assert _most_in_flight(log) == 1
    assert all(nxt[0] - prev[1] >= 0.29 for prev, nxt in itertools.pairwise(log))
