"""The state store on a real SQLite file: validators, item lifecycle, nothing lost."""

from __future__ import annotations

from datetime import UTC, datetime

from marsad.extractors.feeds import FeedItem
from marsad.fetch.state import StateStore


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
