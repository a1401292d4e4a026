"""The state store on a real SQLite file: validators, item lifecycle, nothing lost."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from marsad.extractors.feeds import FeedItem
from marsad.fetch.state import STOPPED, StateStore, item_backoff


def _items(*urls):
    return [FeedItem(url=u, title=u, published_at=datetime(2018, 2, 18, tzinfo=UTC)) for u in urls]


def test_validators_are_kept_across_304_and_failures(tmp_path):
    store = StateStore(tmp_path / "s.sqlite")
    assert store.validators("http://f.test/rss") == {}
    store.record_feed(
        "http://f.test/rss",
        "s",
        "200",
        etag='"v1"',
        last_modified="Mon, 19 Feb 2018 00:16:11 GMT",
        items=_items("http://a.test/1"),
    )
    store.record_feed("http://f.test/rss", "s", "304")
    store.record_feed("http://f.test/rss", "s", "failed", error="HTTP 500")
    assert StateStore(tmp_path / "s.sqlite").validators("http://f.test/rss") == {
        "If-None-Match": '"v1"', "If-Modified-Since": "Mon, 19 Feb 2018 00:16:11 GMT",
    }  # fmt: skip


def test_item_lifecycle(tmp_path):
    store = StateStore(tmp_path / "s.sqlite")
    assert store.record_feed("http://f.test/rss", "s", "200", items=_items("u1", "u2")) == 2
    assert store.record_feed("http://f.test/rss", "s", "200", items=_items("u2", "u3")) == 1
    work = store.work(["s"], refresh=False, max_attempts=3, per_source=10)
    assert sorted(w.url for w in work) == ["u1", "u2", "u3"]
    assert store.mark_indexed("u1", "id1", "h1") is False
    assert store.mark_failed("u2", "HTTP 500 after 3 attempts", max_attempts=2) == "failed"
    assert (
        store.mark_failed("u3", "refused: a private address", max_attempts=2, refused=True)
        == "refused"
    )
    assert [w.url for w in store.work(["s"], refresh=False, max_attempts=2, per_source=10)] == [
        "u2"
    ]
    assert store.mark_failed("u2", "HTTP 500 after 3 attempts", max_attempts=2) == "dropped"
    assert store.work(["s"], refresh=False, max_attempts=2, per_source=10) == []
    assert [w.url for w in store.work(["s"], refresh=True, max_attempts=5, per_source=10)] == ["u1"]
    assert store.mark_indexed("u1", "id1", "h2") is True  # refresh: the text changed
    rows = {r["url"]: r for r in store.items("s")}
    assert rows["u2"]["reason"] == "HTTP 500 after 3 attempts" and rows["u2"]["attempts"] == 2


def test_per_source_limit_leaves_the_rest_queued(tmp_path):
    store = StateStore(tmp_path / "s.sqlite")
    store.record_feed("f", "s", "200", items=_items(*(f"u{n}" for n in range(5))))
    assert len(store.work(["s"], refresh=False, max_attempts=3, per_source=2)) == 2
    assert store.overview()["s"]["pending"] == 5


def _queued(store, now, max_attempts=3):
    return [w.url for w in store.work(["s"], refresh=False, max_attempts=max_attempts,
                                      per_source=10, now=now)]  # fmt: skip


def test_failed_items_wait_a_growing_backoff_then_are_parked(tmp_path):
    store = StateStore(tmp_path / "s.sqlite")
    store.record_feed("f", "s", "200", items=_items("u1"))
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    waits = []
    for attempt in (1, 2):
        store.claim(["u1"])
        status = store.mark_failed("u1", "HTTP 500", max_attempts=3, backoff=60, now=t0)
        assert status == "failed"
        row = store.items("s")[0]
        assert row["attempts"] == attempt
        waits.append(datetime.fromisoformat(row["next_attempt"]) - t0)
        assert _queued(store, t0 + waits[-1] - timedelta(seconds=1)) == []  # not before
        assert _queued(store, t0 + waits[-1]) == ["u1"]  # once the backoff is over
    assert waits == [timedelta(seconds=60), timedelta(seconds=120)]  # doubles per attempt
    store.claim(["u1"])
    assert store.mark_failed("u1", "HTTP 500", max_attempts=3, backoff=60, now=t0) == "dropped"
    assert _queued(store, t0 + timedelta(days=30)) == []  # parked for good
    row = store.items("s")[0]
    assert (row["status"], row["reason"], row["attempts"]) == ("dropped", "HTTP 500", 3)
    assert store.overview()["s"]["dropped"] == 1


def test_backoff_is_capped():
    assert item_backoff(1, 900) == 900 and item_backoff(3, 900) == 3600
    assert item_backoff(30, 900) == 24 * 3600


def test_refused_items_are_never_retried(tmp_path):
    store = StateStore(tmp_path / "s.sqlite")
    store.record_feed("f", "s", "200", items=_items("http://0177.0.0.1/"))
    store.claim(["http://0177.0.0.1/"])
    reason = "refused: malformed URL ('0177.0.0.1' is not a dotted-quad IPv4 address)"
    status = store.mark_failed("http://0177.0.0.1/", reason, max_attempts=5, refused=True)
    assert status == "refused"
    assert _queued(store, datetime(2099, 1, 1, tzinfo=UTC)) == []
    assert store.items("s")[0]["reason"] == reason


def test_an_item_that_kills_its_runs_is_parked(tmp_path):
    """Claimed but never marked (the run died on it): each run still used one attempt."""
    store = StateStore(tmp_path / "s.sqlite")
    store.record_feed("f", "s", "200", items=_items("poison", "fine"))
    now = datetime.now(UTC)
    for _ in range(3):
        assert "poison" in _queued(store, now)
        store.claim(["poison"])  # ... and the process is killed before any mark
    assert _queued(store, now) == ["fine"]
    row = next(r for r in store.items("s") if r["url"] == "poison")
    assert (row["status"], row["reason"]) == ("dropped", STOPPED)


def test_an_attempt_is_counted_once_whether_claimed_or_not(tmp_path):
    store = StateStore(tmp_path / "s.sqlite")
    store.record_feed("f", "s", "200", items=_items("a", "b"))
    store.claim(["a"])
    store.mark_failed("a", "x", max_attempts=5)
    store.mark_failed("b", "x", max_attempts=5)
    store.claim(["a"])
    store.mark_indexed("a", "id", "h")
    assert {r["url"]: r["attempts"] for r in store.items("s")} == {"a": 2, "b": 1}


def test_state_files_from_before_the_backoff_are_upgraded(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE items (url TEXT PRIMARY KEY, source TEXT NOT NULL, status TEXT NOT NULL"
            " DEFAULT 'pending', reason TEXT, attempts INTEGER NOT NULL DEFAULT 0, article_id"
            " TEXT, text_hash TEXT, title TEXT, published_at TEXT, summary TEXT, first_seen TEXT,"
            " last_attempt TEXT, changed_at TEXT);"
            "INSERT INTO items (url, source, status, attempts) VALUES ('u', 's', 'failed', 1);"
        )
    db.close()
    store = StateStore(path)
    assert _queued(store, datetime.now(UTC)) == ["u"]
    assert store.mark_failed("u", "again", max_attempts=2, backoff=10) == "dropped"
