"""Tables for `marsad fetch` and `marsad sources` (rendering only)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from marsad.console import one_line
from marsad.fetch.report import FetchSummary
from marsad.sources import Source

FAILED = ("failed", "refused", "dropped")


def fetch_table(summary: FetchSummary) -> Table:
    """One row per source: feed status, new items, indexed, skipped, failed."""
    table = Table(title="fetch")
    table.add_column("source")
    table.add_column("feeds")
    for column in ("new items", "indexed", "changed", "skipped", "failed"):
        table.add_column(column, justify="right")
    for r in summary.sources.values():
        cells = (r.new, r.indexed, r.changed, r.skipped, len(r.failed))
        table.add_row(Text(one_line(r.source)), Text(one_line(r.feed_status)), *map(str, cells))
    return table


def sources_table(sources: dict[str, Source], overview: dict[str, dict]) -> Table:
    """The registry beside each source's last fetch and its items by status."""
    table = Table(title="sources (failed = failed, refused or dropped items)")
    for column in ("id", "country", "affiliation", "last fetch (UTC)", "feeds"):
        table.add_column(column)
    for column in ("indexed", "pending", "failed"):
        table.add_column(column, justify="right")
    for source in sources.values():
        state = overview.get(source.id, {})
        last = (state.get("finished_at") or "never").replace("T", " ")[:16]
        failed = sum(state.get(s, 0) for s in FAILED)
        counts = (state.get("indexed", 0), state.get("pending", 0), failed)
        texts = (
            source.id,
            source.country,
            source.affiliation,
            last,
            state.get("feed_status") or "-",
        )
        table.add_row(*(Text(one_line(t)) for t in texts), *map(str, counts))
    return table
