"""What fetching remembers between runs, in one SQLite file under the state directory.

Per feed: its conditional-GET validators and last status. Per item (canonical URL): its source,
status (pending, indexed, failed, refused, dropped), the last reason, attempts, when it may be
tried next, the article id and a hash of its text. Items are recorded as pending in the same
transaction that stores the feed's new validators, so a run killed at any point loses nothing:
the next run answers the feed with a 304 and still finds the pending items. An item is marked
indexed only after Elasticsearch accepted it, and re-indexing the same id is a no-op, so
nothing is doubled.

No item may block the others. A failed item waits `backoff`·2^(attempts−1) before its next try
and is parked (dropped, with its reason) after `max_attempts`; a refused one (malformed, unsafe,
disallowed) is never tried again. An attempt is counted when it starts (`claim`), so even an
item that kills the run it is fetched in uses up its attempts and is parked in the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from marsad.extractors.feeds import FeedItem

SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
  url TEXT PRIMARY KEY, source TEXT NOT NULL, etag TEXT, last_modified TEXT,
  status TEXT, error TEXT, checked_at TEXT, items INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS items (
  url TEXT PRIMARY KEY, source TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
  reason TEXT, attempts INTEGER NOT NULL DEFAULT 0, article_id TEXT, text_hash TEXT,
  title TEXT, published_at TEXT, summary TEXT, first_seen TEXT, last_attempt TEXT,
  changed_at TEXT, next_attempt TEXT, in_flight INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS items_by_source ON items (source, status);
CREATE TABLE IF NOT EXISTS runs (
  source TEXT PRIMARY KEY, finished_at TEXT, feed_status TEXT, new INTEGER, indexed INTEGER,
  skipped INTEGER, failed INTEGER);
"""
RETRIED = ("pending", "failed")
ADDED_COLUMNS = {"next_attempt": "TEXT", "in_flight": "INTEGER NOT NULL DEFAULT 0"}
MAX_BACKOFF = 24 * 3600.0  # however often it failed, an item is retried at least daily
STOPPED = "the run stopped while this item was being fetched"


@dataclass(frozen=True)
class WorkItem:
    """An article URL to fetch, with what its feed said about it (fallbacks for the page)."""

    url: str
    source: str
    title: str | None = None
    published_at: datetime | None = None
    summary: str | None = None
    status: str = "pending"
    attempts: int = 0


class StateStore:
    """Opened per operation: cheap with SQLite, and safe across Prefect task threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(SCHEMA)
            _add_columns(db)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        try:
            with db:  # one transaction: committed on success, rolled back on error
                yield db
        finally:
            db.close()

    # -- feeds --

    def validators(self, url: str) -> dict[str, str]:
        """Conditional-GET headers for a feed fetched before (empty the first time)."""
        with self._db() as db:
            row = db.execute("SELECT etag, last_modified FROM feeds WHERE url=?", (url,)).fetchone()
        headers = {}
        if row and row["etag"]:
            headers["If-None-Match"] = row["etag"]
        if row and row["last_modified"]:
            headers["If-Modified-Since"] = row["last_modified"]
        return headers

    def record_feed(
        self, url: str, source: str, status: str, *, etag: str | None = None,
        last_modified: str | None = None, error: str | None = None,
        items: list[FeedItem] | None = None,
    ) -> int:  # fmt: skip
        """Store the feed's outcome and its items atomically; return how many items are new."""
        now = _now()
        with self._db() as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO items (url, source, title, published_at, summary,"
                " first_seen) VALUES (?, ?, ?, ?, ?, ?)",
                [(i.url, source, i.title, _iso(i.published_at), i.summary, now)
                 for i in items or []],
            )  # fmt: skip
            new = db.total_changes - before
            keep = status == "304" or error is not None  # keep validators when nothing came
            db.execute(
                "INSERT INTO feeds (url, source, etag, last_modified, status, error, checked_at,"
                " items) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET"
                " source=excluded.source, status=excluded.status, error=excluded.error,"
                " checked_at=excluded.checked_at"
                + ("" if keep else ", etag=excluded.etag, last_modified=excluded.last_modified,"
                   " items=excluded.items"),
                (url, source, etag, last_modified, status, error, now, len(items or [])),
            )  # fmt: skip
        return new

    # -- items --

    def work(
        self, sources: list[str], *, refresh: bool, max_attempts: int, per_source: int,
        now: datetime | None = None,
    ) -> list[WorkItem]:  # fmt: skip
        """Items to fetch now, newest first per source: pending ones and failed ones whose
        backoff is over, plus indexed ones when refreshing; at most `per_source` each (the rest
        stay queued). Items out of attempts are parked first, so they are never picked."""
        statuses = (*RETRIED, "indexed") if refresh else RETRIED
        marks = ",".join("?" * len(statuses))
        out: list[WorkItem] = []
        with self._db() as db:
            _park_exhausted(db, max_attempts)
            for source in sources:
                rows = db.execute(
                    f"SELECT * FROM items WHERE source=? AND status IN ({marks})"
                    " AND attempts < ? AND (next_attempt IS NULL OR next_attempt <= ?)"
                    " ORDER BY published_at DESC, first_seen LIMIT ?",
                    (source, *statuses, max_attempts, _stamp(now), per_source),
                ).fetchall()
                out += [_work_item(row) for row in rows]
        return out

    def claim(self, urls: list[str]) -> None:
        """Count an attempt as it starts: a run that dies on an item has still used one."""
        with self._db() as db:
            db.executemany(
                "UPDATE items SET attempts=attempts+1, in_flight=1, last_attempt=? WHERE url=?",
                [(_now(), url) for url in urls],
            )

    def add_urls(self, source: str, urls: list[str]) -> int:
        """Single article URLs asked for on the command line join the queue like feed items."""
        items = [FeedItem(url=u) for u in urls]
        now = _now()
        with self._db() as db:
            before = db.total_changes
            db.executemany(
                "INSERT INTO items (url, source, first_seen) VALUES (?, ?, ?) ON CONFLICT(url)"
                " DO UPDATE SET status='pending', attempts=0, next_attempt=NULL, in_flight=0"
                " WHERE status != 'indexed'",
                [(i.url, source, now) for i in items],
            )
            return db.total_changes - before

    def mark_indexed(self, url: str, article_id: str, text_hash: str) -> bool:
        """Record success; True when a previously indexed text has changed (refresh mode)."""
        now = _now()
        with self._db() as db:
            row = db.execute("SELECT text_hash FROM items WHERE url=?", (url,)).fetchone()
            changed = bool(row and row["text_hash"] and row["text_hash"] != text_hash)
            db.execute(
                "UPDATE items SET status='indexed', reason=NULL, article_id=?, text_hash=?,"
                " attempts=attempts+1-in_flight, in_flight=0, next_attempt=NULL, last_attempt=?,"
                " changed_at=CASE WHEN ? THEN ? ELSE changed_at END WHERE url=?",
                (article_id, text_hash, now, changed, now, url),
            )
        return changed

    def mark_known(self, url: str, article_id: str) -> None:
        """Already in the index (found by id): indexed, without downloading it again."""
        with self._db() as db:
            db.execute(
                "UPDATE items SET status='indexed', reason=NULL, article_id=? WHERE url=?",
                (article_id, url),
            )

    def mark_failed(
        self, url: str, reason: str, *, max_attempts: int, refused=False, backoff: float = 0.0,
        now: datetime | None = None,
    ) -> str:  # fmt: skip
        """Record a failure; return the new status: refused (never retried), failed (retried
        once its backoff is over) or dropped (parked: out of attempts)."""
        with self._db() as db:
            row = db.execute("SELECT attempts, in_flight FROM items WHERE url=?", (url,)).fetchone()
            attempts = (row["attempts"] + 1 - row["in_flight"]) if row else 1
            status = "refused" if refused else "failed" if attempts < max_attempts else "dropped"
            retry = _stamp(now, item_backoff(attempts, backoff)) if status == "failed" else None
            db.execute(
                "UPDATE items SET status=?, reason=?, attempts=?, in_flight=0, next_attempt=?,"
                " last_attempt=? WHERE url=?",
                (status, reason, attempts, retry, _now(), url),
            )
        return status

    def items(self, source: str | None = None) -> list[sqlite3.Row]:
        with self._db() as db:
            if source is None:
                return db.execute("SELECT * FROM items ORDER BY source, url").fetchall()
            return db.execute(
                "SELECT * FROM items WHERE source=? ORDER BY url", (source,)
            ).fetchall()

    # -- runs, for `marsad sources` --

    def save_run(self, source: str, feed_status: str, counts: tuple[int, int, int, int]) -> None:
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                (source, _now(), feed_status, *counts),
            )

    def overview(self) -> dict[str, dict]:
        """Per source: the last run and how many items are in each status."""
        with self._db() as db:
            runs = {r["source"]: dict(r) for r in db.execute("SELECT * FROM runs")}
            for row in db.execute("SELECT source, status, COUNT(*) n FROM items GROUP BY 1, 2"):
                runs.setdefault(row["source"], {"source": row["source"]})[row["status"]] = row["n"]
        return runs


def item_backoff(attempts: int, base: float) -> float:
    """Seconds before the next try after `attempts` failed ones: base, 2·base, 4·base … capped."""
    return min(MAX_BACKOFF, base * 2 ** max(0, attempts - 1))


def _add_columns(db: sqlite3.Connection) -> None:
    """State files written before a column existed get it (CREATE TABLE IF NOT EXISTS won't)."""
    have = {row["name"] for row in db.execute("PRAGMA table_info(items)")}
    for name, kind in ADDED_COLUMNS.items():
        if name not in have:
            db.execute(f"ALTER TABLE items ADD COLUMN {name} {kind}")


def _park_exhausted(db: sqlite3.Connection, max_attempts: int) -> None:
    """Pending or failed items with no attempts left (runs that died on them, or a lowered
    `max_attempts`) are dropped with their reason, so `marsad sources` shows them parked."""
    db.execute(
        "UPDATE items SET status='dropped', in_flight=0, next_attempt=NULL,"
        " reason=CASE WHEN status='pending' OR reason IS NULL THEN ? ELSE reason END"
        " WHERE status IN (?, ?) AND attempts >= ?",
        (STOPPED, *RETRIED, max_attempts),
    )


def _work_item(row: sqlite3.Row) -> WorkItem:
    published = datetime.fromisoformat(row["published_at"]) if row["published_at"] else None
    return WorkItem(
        url=row["url"], source=row["source"], title=row["title"], published_at=published,
        summary=row["summary"], status=row["status"], attempts=row["attempts"],
    )  # fmt: skip


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _stamp(now: datetime | None, later: float = 0.0) -> str:
    """A UTC time to the microsecond, in one format, so stored times compare as text."""
    moment = (now or datetime.now(UTC)).astimezone(UTC) + timedelta(seconds=later)
    return moment.isoformat(timespec="microseconds")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
