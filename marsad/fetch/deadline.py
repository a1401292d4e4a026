"""One item's time in all: a `Fetcher.get` may not cost more than `item_deadline` seconds.

Per-attempt timeouts alone let a server that never answers cost every retry's timeout plus the
backoffs between them. The deadline covers the whole get (robots.txt, every attempt, backoff,
the Retry-After its own server asked for, every redirect hop). Time spent queued for a host
(its delay, a Crawl-delay, a pause another request caused) is not counted: that is politeness
shared by all items, and counting it would fail the tail of a long queue untried.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Deadline:
    """`async with Deadline(s) as d:` raises TimeoutError at the end once `s` seconds are used."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.attempts = 0  # requests sent under this deadline, for the reason
        self._timeout = asyncio.timeout(seconds)

    async def __aenter__(self) -> Deadline:
        await self._timeout.__aenter__()
        return self

    async def __aexit__(self, *exc) -> None:
        await self._timeout.__aexit__(*exc)  # raises TimeoutError when the time ran out

    def expired(self) -> bool:
        return self._timeout.expired()

    def left(self) -> float:
        """Seconds still available (infinite while paused)."""
        when = self._timeout.when()
        return math.inf if when is None else max(0.0, when - asyncio.get_running_loop().time())

    @asynccontextmanager
    async def paused(self) -> AsyncIterator[None]:
        """Stop the clock while waiting in a host's queue; it resumes with what was left."""
        if self._timeout.when() is None:  # already paused
            yield
            return
        left = self.left()
        self._timeout.reschedule(None)
        try:
            yield
        finally:
            if not self._timeout.expired():
                self._timeout.reschedule(asyncio.get_running_loop().time() + left)

    def reason(self) -> str:
        return f"gave up after {self.seconds:g} s ({self.attempts} attempts)"
