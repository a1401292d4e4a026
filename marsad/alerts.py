"""Alerts: what is new for each subscription, and spikes, delivered once to webhooks and e-mail.

A subscription names a topic, an entity or a saved query, and its destinations (a webhook URL
or `mailto:` address). Each run:
1. finds the articles first seen since the lookback that match and were never sent for it;
   they are recorded as sent and queued in the outbox in one transaction, so an article is
   queued once, across restarts too;
2. for topics and entities, compares today's count with the baseline: the mean and standard
   deviation of the previous `spike_days` days; a spike is today >= max(spike_min,
   mean + 3 sd, 2 x mean), sent once per day;
3. delivers the outbox: a webhook gets a JSON POST {"text": …, "alert", "articles"} (Slack and
   Mattermost read "text"), an address gets a plain-text e-mail over SMTP. A destination that
   fails keeps its message, with the reason, and is tried again after a backoff that doubles.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from marsad.config import Settings
from marsad.console import one_line
from marsad.elastic.articles import ArticleIndex

ARTICLES_PER_MESSAGE = 50


@dataclass(frozen=True)
class Subscription:
    id: str
    to: tuple[str, ...]
    topic: str | None = None
    entity: str | None = None
    query: str | None = None
    spike: bool = True

    @property
    def watched(self) -> tuple[str | None, str | None, str | None]:
        return self.topic, self.entity, self.query

    @property
    def subject(self) -> str:
        return (f"topic {self.topic}" if self.topic else f"entity {self.entity}" if self.entity
                else f"query «{self.query}»")  # fmt: skip

    def kql(self) -> str:
        """The same selection as a Kibana query (its saved search)."""
        if self.topic:
            return f'topics : "{self.topic}"'
        if self.entity:
            return f'entity_ids : "{self.entity}" or entity_people : "{self.entity}"'
        return str(self.query)


def load_subscriptions(path: Path) -> list[Subscription]:
    """The subscriptions of an alerts file; a bad entry is an error naming it."""
    raw = yaml.safe_load(path.read_text("utf-8")) or {}
    found = []
    for n, item in enumerate(raw.get("alerts") or []):
        where = f"{path}: alert {item.get('id', n)}"
        kinds = [k for k in ("topic", "entity", "query") if item.get(k)]
        if len(kinds) != 1:
            raise ValueError(f"{where}: name exactly one of topic, entity or query")
        to = item.get("to") or []
        to = [to] if isinstance(to, str) else to
        if not to or not all(str(d).startswith(("http://", "https://", "mailto:")) for d in to):
            raise ValueError(f"{where}: 'to' needs webhook URLs or mailto: addresses")
        found.append(Subscription(
            id=str(item.get("id", n)), to=tuple(map(str, to)), topic=item.get("topic"),
            entity=item.get("entity"), query=item.get("query"),
            spike=bool(item.get("spike", True)),
        ))  # fmt: skip
    ids = [s.id for s in found]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path}: duplicate alert ids")
    return found


def saved_searches(subscriptions: list[Subscription]) -> list[dict]:
    """A Kibana saved search per alert: the articles it watches, newest first."""
    from marsad.kibana.build import LIST_COLUMNS, saved_search

    return [saved_search(f"marsad-alert-{s.id}", f"Alert: {s.id} ({s.subject})", s.kql(),
                         LIST_COLUMNS) for s in subscriptions]  # fmt: skip


class AlertStore:
    """What was sent and what waits to be delivered (SQLite, beside the fetch state)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30)
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS sent (alert TEXT, article TEXT, at REAL,
                                             PRIMARY KEY (alert, article));
            CREATE TABLE IF NOT EXISTS spikes (alert TEXT, day TEXT, PRIMARY KEY (alert, day));
            CREATE TABLE IF NOT EXISTS outbox (id INTEGER PRIMARY KEY, alert TEXT,
                destination TEXT, message TEXT, attempts INTEGER DEFAULT 0,
                next_try REAL DEFAULT 0, last_error TEXT);
        """)

    def unsent(self, alert: str, ids: list[str]) -> list[str]:
        sent = {r[0] for r in self.db.execute(
            f"SELECT article FROM sent WHERE alert = ? AND article IN ({','.join('?' * len(ids))})",
            [alert, *ids])} if ids else set()  # fmt: skip
        return [i for i in ids if i not in sent]

    def queue(self, alert: str, destinations: tuple[str, ...], message: dict,
              articles: Sequence[str] = (), spike_day: str | None = None) -> bool:  # fmt: skip
        """Record the articles (or the day's spike) as sent and queue the message, at once;
        False when a spike of that day was already queued."""
        with self.db:
            if spike_day is not None:
                cur = self.db.execute("INSERT OR IGNORE INTO spikes VALUES (?, ?)",
                                      (alert, spike_day))  # fmt: skip
                if cur.rowcount == 0:
                    return False
            self.db.executemany("INSERT OR IGNORE INTO sent VALUES (?, ?, ?)",
                                [(alert, a, time.time()) for a in articles])  # fmt: skip
            self.db.executemany(
                "INSERT INTO outbox (alert, destination, message) VALUES (?, ?, ?)",
                [(alert, d, json.dumps(message, ensure_ascii=False)) for d in destinations],
            )
        return True

    def due(self) -> list[tuple[int, str, str, dict, int]]:
        rows = self.db.execute("SELECT id, alert, destination, message, attempts FROM outbox "
                               "WHERE next_try <= ? ORDER BY id", (time.time(),))  # fmt: skip
        return [(i, a, d, json.loads(m), n) for i, a, d, m, n in rows]

    def delivered(self, row_id: int) -> None:
        with self.db:
            self.db.execute("DELETE FROM outbox WHERE id = ?", (row_id,))

    def failed(self, row_id: int, attempts: int, error: str, wait: float) -> None:
        with self.db:
            self.db.execute(
                "UPDATE outbox SET attempts = ?, last_error = ?, next_try = ? WHERE id = ?",
                (attempts, error, time.time() + wait, row_id),
            )

    def pending(self) -> list[tuple[str, str, int, str | None]]:
        """(alert, destination, attempts, last error) of every message still waiting."""
        return list(self.db.execute("SELECT alert, destination, attempts, last_error "
                                    "FROM outbox ORDER BY id"))  # fmt: skip


@dataclass
class AlertSummary:
    new: dict[str, int] = field(default_factory=dict)  # per alert: articles queued
    spikes: list[str] = field(default_factory=list)  # "alert: today n vs mean m"
    delivered: int = 0
    errors: list[str] = field(default_factory=list)  # "alert → destination: reason"
    pending: int = 0

    def one_line(self) -> str:
        return (f"{sum(self.new.values())} new articles for {len(self.new)} alerts, "
                f"{len(self.spikes)} spikes; {self.delivered} messages delivered, "
                f"{self.pending} waiting ({len(self.errors)} delivery errors)")  # fmt: skip


def run_alerts(subscriptions: list[Subscription], index: ArticleIndex, store: AlertStore,
               settings: Settings, now: datetime | None = None) -> AlertSummary:  # fmt: skip
    """One pass: queue what is new and the spikes, then deliver what is due."""
    from marsad.elastic.alerts import daily_counts, new_articles

    now = now or datetime.now(UTC)
    summary = AlertSummary()
    since = now - timedelta(days=settings.alerts_lookback_days)
    for sub in subscriptions:
        found = new_articles(index, sub.watched, since)
        fresh = store.unsent(sub.id, [a["id"] for a in found])
        articles = [a for a in found if a["id"] in set(fresh)][:ARTICLES_PER_MESSAGE]
        if articles:
            store.queue(sub.id, sub.to, _message(sub, articles), [a["id"] for a in articles])
            summary.new[sub.id] = len(articles)
        if sub.spike and not sub.query:
            counts = daily_counts(index, sub.watched, now, settings.spike_days)
            spike = spike_of(counts, settings.spike_min)
            if spike and store.queue(sub.id, sub.to, _spike_message(sub, *spike),
                                     spike_day=now.date().isoformat()):  # fmt: skip
                summary.spikes.append(f"{sub.id}: today {spike[0]} vs mean {spike[1]:.1f}")
    deliver(store, settings, summary)
    summary.pending = len(store.pending())
    return summary


def spike_of(counts: list[int], minimum: int) -> tuple[int, float, float] | None:
    """(today, mean, sd) when the last day is far above the days before it, else None."""
    if len(counts) < 4:
        return None
    *before, today = counts
    mean = sum(before) / len(before)
    sd = (sum((c - mean) ** 2 for c in before) / len(before)) ** 0.5
    if today >= max(minimum, mean + 3 * sd, 2 * mean):
        return today, mean, sd
    return None


def deliver(store: AlertStore, settings: Settings, summary: AlertSummary) -> None:
    for row_id, alert, destination, message, attempts in store.due():
        try:
            if destination.startswith("mailto:"):
                _mail(destination.removeprefix("mailto:"), message, settings)
            else:
                _post(destination, message, settings)
        except Exception as exc:
            reason = one_line(f"{type(exc).__name__}: {exc}", 300)
            wait = min(settings.alerts_backoff * 2**attempts, settings.alerts_max_backoff)
            store.failed(row_id, attempts + 1, reason, wait)
            summary.errors.append(f"{alert} → {destination}: {reason}")
        else:
            store.delivered(row_id)
            summary.delivered += 1


def _post(url: str, message: dict, settings: Settings) -> None:
    import httpx

    response = httpx.post(url, json=message, timeout=settings.webhook_timeout)
    if response.status_code >= 300:
        raise RuntimeError(f"HTTP {response.status_code} {response.reason_phrase}")


def _mail(address: str, message: dict, settings: Settings) -> None:
    import smtplib
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"], mail["To"] = settings.smtp_sender, address
    mail["Subject"] = message["subject"]
    mail.set_content(message["text"])
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                      timeout=settings.smtp_timeout) as smtp:  # fmt: skip
        smtp.send_message(mail)


def _message(sub: Subscription, articles: list[dict]) -> dict:
    subject = f"marsad: {len(articles)} new articles on {sub.subject}"
    lines = [subject, ""]
    for a in articles:
        lines.append(f"- {a['title']} ({a['outlet']}, {a['at'][:16]}) {a.get('url') or ''}")
    return {"text": "\n".join(lines), "subject": subject, "alert": sub.id, "kind": "new",
            "articles": articles}  # fmt: skip


def _spike_message(sub: Subscription, today: int, mean: float, sd: float) -> dict:
    subject = f"marsad: spike on {sub.subject}: {today} articles today"
    text = (f"{subject} (the previous days: mean {mean:.1f}, sd {sd:.1f}; a spike is at least "
            f"mean + 3 sd and twice the mean)")  # fmt: skip
    return {"text": text, "subject": subject, "alert": sub.id, "kind": "spike",
            "today": today, "mean": round(mean, 2), "sd": round(sd, 2)}  # fmt: skip
