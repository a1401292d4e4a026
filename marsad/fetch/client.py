"""The one HTTP client: safe (see `safety`), polite (see `politeness`), bounded, honest errors.

`Fetcher.get` follows redirects itself, so every hop is checked for form (`urlcheck`), robots.txt
and address, counted against the limit and looped back on; it retries 5xx, 429 and network
errors with backoff, honours Retry-After, reads at most `max_bytes`, and gives up when the
item's `deadline` is used. Anything else, even an exception nobody expected, is a `FetchError`
naming the URL and the reason in one line: one bad link must never stop a run.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from contextlib import AsyncExitStack
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from marsad.fetch.deadline import Deadline
from marsad.fetch.options import FetchOptions
from marsad.fetch.politeness import HostGates, HostMemory, backoff_seconds, retry_after_seconds
from marsad.fetch.robots import RobotsRules, robots_reason, robots_url
from marsad.fetch.safety import UnsafeURL, guarded_transport
from marsad.fetch.urlcheck import malformed, url_problem

REDIRECTS = frozenset({301, 302, 303, 307, 308})
HELD_LOCATION = "x-marsad-location"  # a redirect's Location, kept out of httpx's reach


@dataclass
class Page:
    """A fetched response: the URL asked for, where it ended up, status, headers and body."""

    url: str
    final_url: str
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchError(Exception):
    """A URL that could not be fetched; `retryable` says whether trying later may help."""

    def __init__(self, url: str, reason: str, *, status: int | None = None, retryable=True):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status, self.retryable = url, reason, status, retryable


class _TooLarge(Exception):
    pass


class Fetcher:
    """Use as `async with Fetcher(options, memory) as f: page = await f.get(url)`."""

    def __init__(self, options: FetchOptions, memory: HostMemory | None = None) -> None:
        self.options = options
        self.memory = memory or HostMemory()
        self._gates = HostGates(self.memory, options.host_concurrency, options.host_delay)
        self._all = asyncio.Semaphore(options.concurrency)
        self._robots_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Fetcher:
        o = self.options
        self._client = httpx.AsyncClient(
            transport=guarded_transport(o),
            timeout=httpx.Timeout(o.read_timeout, connect=o.connect_timeout, pool=None),
            headers={"User-Agent": o.user_agent},
            follow_redirects=False,
            trust_env=False,
            event_hooks={"response": [_hold_location]},
        )
        return self

    async def __aexit__(self, *exc) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def get(self, url: str, headers: dict[str, str] | None = None, *, robots=True) -> Page:
        """GET `url`, following redirects, within the item deadline; a 2xx or 304 Page, else
        FetchError, whatever went wrong (the callers keep one failure per item, never a crash)."""
        deadline = Deadline(self.options.item_deadline)
        try:
            async with deadline:
                return await self._get(url, headers or {}, robots, deadline)
        except FetchError:
            raise
        except TimeoutError as exc:
            reason = deadline.reason() if deadline.expired() else unexpected(exc)
            raise FetchError(url, reason) from None
        except httpx.InvalidURL as exc:  # what `url_problem` missed is still malformed
            raise FetchError(url, malformed(one_line(str(exc))), retryable=False) from None
        except httpx.HTTPError as exc:  # not a network error, e.g. an undecodable gzip body
            raise FetchError(url, one_line(f"{type(exc).__name__}: {exc}")) from None
        except Exception as exc:
            raise FetchError(url, unexpected(exc)) from exc

    async def _get(
        self, url: str, headers: dict[str, str], robots: bool, deadline: Deadline
    ) -> Page:
        hops, current = [url], url
        for _ in range(self.options.max_redirects + 1):
            await self._admit(current, robots, deadline)
            status, head, body = await self._request(current, headers, deadline)
            location = head.get(HELD_LOCATION) if status in REDIRECTS else None
            if location is None:
                return self._page(url, current, status, head, body)
            current = _redirect_target(url, current, location)
            if current in hops:
                raise FetchError(url, "redirect loop: " + " → ".join([*hops, current]))
            hops.append(current)
        raise FetchError(url, f"more than {self.options.max_redirects} redirects (to {current})")

    def _page(self, url, final, status, head, body) -> Page:
        if 200 <= status < 300 or status == 304:
            return Page(url, final, status, head, body)
        phrase = httpx.codes.get_reason_phrase(status)
        reason = f"HTTP {status} {phrase}".strip() + (f" at {final}" if final != url else "")
        raise FetchError(url, reason, status=status)

    async def _admit(self, url: str, robots: bool, deadline: Deadline) -> None:
        """Malformed URLs and robots.txt's Disallow are refused for good; an unreachable
        robots.txt only for this run (it is a failure, retried in a later run)."""
        problem = url_problem(url)
        if problem:
            raise FetchError(url, problem, retryable=False)
        if robots:
            rules = await self._robots(url, deadline)
            reason = robots_reason(rules, url, self.options.user_agent)
            if reason:
                raise FetchError(url, reason, retryable=isinstance(rules, str))

    async def _robots(self, url: str, deadline: Deadline) -> RobotsRules | str:
        origin = robots_url(url)
        async with self._robots_locks[origin]:
            if origin not in self.memory.robots:
                self.memory.robots[origin] = await self._load_robots(origin, deadline)
        return self.memory.robots[origin]

    async def _load_robots(self, location: str, deadline: Deadline) -> RobotsRules | str:
        """RFC 9309: 4xx means no rules; 5xx or unreachable means stay away for this run.
        It is fetched on the deadline of the item that needed it first."""
        try:
            page = await self._get(location, {}, False, deadline)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return RobotsRules.parse("")
            if exc.reason.startswith("refused"):
                raise
            return f"robots.txt unreachable ({exc.reason}), so nothing is fetched from this host"
        rules = RobotsRules.parse(page.body.decode("utf-8", "replace"))
        delay = rules.crawl_delay(self.options.user_agent)
        if delay:
            host = _host(location)
            wanted = min(delay, self.options.max_crawl_delay)
            self.memory.delay[host] = max(self.options.host_delay, wanted)
        return rules

    async def _request(
        self, url: str, headers: dict[str, str], deadline: Deadline
    ) -> tuple[int, httpx.Headers, bytes]:
        host, o = _host(url), self.options
        for attempt in range(o.retries + 1):
            try:
                status, head, body = await self._attempt(url, host, headers, deadline)
            except (httpx.TransportError, TimeoutError) as exc:
                if attempt == o.retries:
                    reason = f"{self._describe(exc)} ({attempt + 1} attempts)"
                    raise FetchError(url, reason) from None
                await asyncio.sleep(backoff_seconds(attempt, o.backoff))
                continue
            if status != 429 and status < 500:
                return status, head, body
            await self._wait_to_retry(url, host, status, head, attempt, deadline)
        raise AssertionError("unreachable")

    async def _attempt(self, url: str, host: str, headers: dict[str, str], deadline: Deadline):
        """One request, once the host's gate admits it (the wait is not the item's time)."""
        try:
            async with AsyncExitStack() as admitted:
                async with deadline.paused():
                    await admitted.enter_async_context(self._gates.slot(host))
                    await admitted.enter_async_context(self._all)
                deadline.attempts += 1
                return await self._send(url, headers)
        except UnsafeURL as exc:
            raise FetchError(url, str(exc), retryable=False) from None
        except _TooLarge:
            limit = self.options.max_bytes
            raise FetchError(url, f"response is over the {limit}-byte limit") from None

    async def _wait_to_retry(self, url, host, status, head, attempt, deadline) -> None:
        """429/5xx: wait as asked (Retry-After holds the whole host) or back off; or give up
        now if the wait is over the limit or past what is left of the item's deadline."""
        o = self.options
        phrase = f"HTTP {status} {httpx.codes.get_reason_phrase(status)}".strip()
        wait = retry_after_seconds(head.get("retry-after"))
        if wait is not None and wait > min(o.max_retry_after, deadline.left()):
            limit = (f"over the {o.max_retry_after:g} s limit" if wait > o.max_retry_after
                     else f"past the item's {deadline.seconds:g} s deadline")  # fmt: skip
            raise FetchError(url, f"{phrase} with Retry-After {wait:.0f} s, {limit}", status=status)
        if attempt == o.retries:
            raise FetchError(url, f"{phrase} after {attempt + 1} attempts", status=status)
        if wait is None:
            await asyncio.sleep(backoff_seconds(attempt, o.backoff))
        else:  # the host waits for everyone; this item's own wait counts against its deadline
            self.memory.pause(host, wait)
            await asyncio.sleep(wait)

    async def _send(self, url: str, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        """One GET, body capped at max_bytes and the whole exchange at total_timeout."""
        assert self._client is not None, "use Fetcher as an async context manager"
        async with asyncio.timeout(self.options.total_timeout):
            async with self._client.stream("GET", url, headers=headers) as response:
                status, head = response.status_code, response.headers
                if status in REDIRECTS or status == 304 or status >= 400:
                    return status, head, b""
                declared = head.get("content-length", "")
                if declared.isdigit() and int(declared) > self.options.max_bytes:
                    raise _TooLarge
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > self.options.max_bytes:
                        raise _TooLarge
                return status, head, bytes(body)

    def _describe(self, exc: Exception) -> str:
        o = self.options
        if isinstance(exc, httpx.ConnectTimeout):
            return f"connect timeout after {o.connect_timeout:g} s"
        if isinstance(exc, httpx.ReadTimeout):
            return f"read timeout: no data for {o.read_timeout:g} s"
        if isinstance(exc, TimeoutError):
            return f"no complete response within {o.total_timeout:g} s"
        detail = " ".join(str(exc).split()) or type(exc).__name__
        return f"{type(exc).__name__}: {detail}"


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


async def _hold_location(response: httpx.Response) -> None:
    """httpx parses every Location itself (to offer `next_request`, even when not following)
    and raises on a malformed one before we see it; moved aside, `_redirect_target` judges it."""
    if "location" in response.headers:
        response.headers[HELD_LOCATION] = response.headers.pop("location")


def _redirect_target(url: str, current: str, location: str) -> str:
    """Where a redirect leads; a Location that is no fetchable URL refuses the item for good."""
    try:
        target = urldefrag(urljoin(current, location.strip())).url
    except ValueError:
        target = location.strip()
    problem = url_problem(target)
    if problem:
        raise FetchError(url, f"{problem}, in the redirect to {one_line(target)}", retryable=False)
    return target


def one_line(text: str, limit: int = 300) -> str:
    """A reason fit for one log line and one table cell: no control characters, bounded."""
    text = " ".join(text.split())
    shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def unexpected(exc: BaseException) -> str:
    """The reason for an exception nobody foresaw: still one line, still this item's."""
    return one_line(f"unexpected {type(exc).__name__}: {exc}")
