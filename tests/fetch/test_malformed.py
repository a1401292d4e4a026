"""Malformed URLs, from feeds or redirects: each is refused with its reason, never a crash, and
never a connection (a canary on 127.0.0.1, which the test options allow, would see it)."""

from __future__ import annotations

import asyncio
import gzip

import pytest
from werkzeug import Response

from marsad.fetch.client import Fetcher, FetchError
from marsad.fetch.download import download
from marsad.fetch.state import WorkItem
from marsad.fetch.urlcheck import url_problem
from tests.fetch.conftest import get, test_options
from tests.fetch.web import CANARY_ANSWER

# (URL, what the reason names); {port} is a canary's, so an attempt would be seen
MALFORMED = [
    ("http://0177.0.0.1:{port}/", "'0177.0.0.1' is not a dotted-quad IPv4 address"),
    ("http://0x7f.1:{port}/", "'0x7f.1' is not a dotted-quad"),
    ("http://2130706433:{port}/", "'2130706433' is not a dotted-quad"),
    ("http://127.1:{port}/", "'127.1' is not a dotted-quad"),
    ("http://127.0.0.1:99999/", "port '99999' is not a number from 1 to 65535"),
    ("http://127.0.0.1:abc/", "port 'abc' is not a number"),
    ("http://127.0.0.1:0/", "port '0' is not a number"),
    ("http://news.marsad.test:{port}/a b", "space or control character"),
    ("http://news marsad.test:{port}/", "space or control character"),
    ("http://news.marsad.test:{port}/\x00", "space or control character"),
    ("http://exa<mple.test/", "invalid character in host label 'exa<mple'"),
    ("http://xn--a.test/", "invalid international host label 'xn--a'"),
    ("http://a\u200b.test/", "invalid international host label"),
    ("http://" + "a" * 64 + ".test/", "longer than 63 characters"),
    ("http://" + ".".join(["a" * 60] * 5) + "/", "longer than 253 characters"),
    ("http://a..test/", "empty label"),
    ("http://:{port}/", "no host"),
    ("http:///path", "no host"),
    ("http://[::1/", "Invalid IPv6 URL"),
    ("http://[fe80::1%25eth0]/", "zone identifiers"),
    ("ftp://news.marsad.test/f", "scheme 'ftp' is not http or https"),
    ("javascript:alert(1)", "scheme 'javascript' is not http or https"),
    ("news.marsad.test/no-scheme", "scheme '(none)'"),
]


@pytest.mark.parametrize(("url", "named"), MALFORMED)
def test_malformed_urls_are_named_in_one_line(url, named):
    reason = url_problem(url.format(port=8080))
    assert reason and reason.startswith("refused: ") and named in reason
    assert "\n" not in reason and "\x00" not in reason


@pytest.mark.parametrize(
    "url",
    [
        "http://news.marsad.test:8080/a?b=c#d", "https://www.youm7.com/story/2020/8/24/وزير/4943459",
        "http://موقع.عربي/", "http://127.0.0.1/", "http://[::1]:80/", "http://a_b.example.com./",
        "HTTP://NEWS.MARSAD.TEST/", "http://a.test:/",
    ],
)  # fmt: skip
def test_well_formed_urls_pass(url):
    assert url_problem(url) is None


@pytest.mark.parametrize(("url", "named"), MALFORMED)
def test_the_fetcher_refuses_them_without_connecting(raw_server, url, named):
    canary = raw_server(CANARY_ANSWER)
    with pytest.raises(FetchError) as caught:
        get(url.format(port=canary.port))
    assert named in caught.value.reason and not caught.value.retryable
    assert canary.accepted == []


def _redirect(location: str) -> bytes:
    """A raw 302: web frameworks would repair the Location, a hostile server does not."""
    head = f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n"
    return (head + "Connection: close\r\n\r\n").encode()


# as a Location, "http:///path" and "news.marsad.test/…" are relative (resolved on the same host)
RELATIVE = ("http:///path", "news.marsad.test/no-scheme")
ABSOLUTE = [m for m in MALFORMED if "\x00" not in m[0] and m[0] not in RELATIVE]


@pytest.mark.parametrize(("location", "named"), ABSOLUTE)
def test_redirects_to_malformed_urls_are_refused(raw_server, location, named):
    """httpx itself would raise on most of these Locations; each must be one refusal."""
    canary = raw_server(CANARY_ANSWER)
    redirector = raw_server(_redirect(location.format(port=canary.port)))
    with pytest.raises(FetchError, match="in the redirect to") as caught:
        get(redirector.url("/go"), robots=False)
    assert named in caught.value.reason and not caught.value.retryable
    assert len(redirector.accepted) == 1 and canary.accepted == []


def test_undecodable_body_is_a_failure_not_an_exception(site):
    """httpx raises DecodingError (no transport error) for broken gzip: still one failure."""
    page = site.url("news.marsad.test", "/broken-gzip")
    garbage = gzip.compress(b"<p>x</p>")[:12] + b"not deflate at all"
    site.route(page, lambda r: Response(garbage, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(FetchError, match="DecodingError") as caught:
        get(page)
    assert caught.value.retryable


def test_one_batch_with_bad_links_still_downloads_the_good_ones(site):
    good = site.url("news.marsad.test", "/good")
    site.serve(good, "<p>fine</p>")
    urls = [good, "http://0177.0.0.1/", "http://a.test:99999/", "http://[::1/", "mailto:x@y.z"]
    items = [WorkItem(url=u, source="s") for u in urls]

    async def run():
        async with Fetcher(test_options()) as fetcher:
            return await download(fetcher, items)

    results = {r.item.url: r for r in asyncio.run(run())}
    assert results[good].page is not None and results[good].page.body == b"<p>fine</p>"
    for url in urls[1:]:
        assert results[url].page is None and results[url].refused
        assert results[url].error and results[url].error.startswith("refused: ")
