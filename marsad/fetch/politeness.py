"""Per-host politeness: a concurrency cap, a minimum delay between requests, pauses.

`HostMemory` is plain data (next allowed start time per host, the robots.txt rules), so it
outlives one event loop: each Prefect task runs its own loop, and a host hit at the end of one
batch is still spaced from the first request of the next. `HostGates` holds the asyncio parts
(semaphores, locks) for one loop.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from marsad.fetch.robots import RobotsRules


class HostMemory:
    """What a run knows about each host: when it may be contacted next, its delay, robots."""

    def __init__(self) -> None:
        self.next_start: dict[str, float] = {}
        self.delay: dict[str, float] = {}
        # origin → Protego rules, or a refusal reason
        self.robots: dict[str, RobotsRules | str] = {}

    def pause(self, host: str, seconds: float) -> None:
        """Nobody contacts `host` for `seconds` (Retry-After applies to the host, not a URL)."""
        until = time.monotonic() + seconds
        self.next_start[host] = max(self.next_start.get(host, 0.0), until)


class HostGates:
    """Admission to a host. With no delay, at most `concurrency` requests at once. With a delay
    (configured, or robots.txt's Crawl-delay), one request at a time, each starting `delay`
    seconds after the previous response ended: measured from the end, the spacing holds as
    the server sees it even when our side stalls between admitting a request and sending it.
    """

    def __init__(self, memory: HostMemory, concurrency: int, default_delay: float) -> None:
        self.memory = memory
        self._default = default_delay
        self._slots: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(concurrency)
        )
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        async with self._slots[host]:
            delay = self.memory.delay.get(host, self._default)
            if delay <= 0:
                await self._wait(host)  # a Retry-After pause still applies
                yield
                return
            async with self._locks[host]:
                await self._wait(host)
                try:
                    yield
                finally:
                    self.memory.pause(host, delay)

    async def _wait(self, host: str) -> None:
        while (wait := self.memory.next_start.get(host, 0.0) - time.monotonic()) > 0:
            await asyncio.sleep(wait)


def backoff_seconds(attempt: int, base: float, cap: float = 60.0) -> float:
    """Exponential backoff with jitter: base·2^attempt, of which a random half is waited."""
    ceiling = min(cap, base * 2**attempt)
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
