"""Alerts end to end: a real SMTP server (aiosmtpd) and a real HTTP receiver on 127.0.0.1,
the real index; each article sent once across runs and restarts, a destination that is down
keeps its messages, spikes fire once a day."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Response

from marsad.alerts import AlertStore, load_subscriptions, run_alerts, spike_of
from marsad.cli import app
from marsad.config import get_settings
from marsad.elastic.articles import write_articles
from marsad.models import Article, article_id

NOW = datetime.now(UTC)


class Mailbox:
    def __init__(self) -> None:
        self.mails: list = []

    async def handle_DATA(self, server, session, envelope):
        self.mails.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mailbox():
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.port = port  # type: ignore[attr-defined]
    yield box
    controller.stop()


@pytest.fixture
def hook():
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    server.down = False  # type: ignore[attr-defined]
    server.posts = []  # type: ignore[attr-defined]

    def answer(request):
        if server.down:  # type: ignore[attr-defined]
            return Response("down", 503)
        server.posts.append(json.loads(request.get_data()))  # type: ignore[attr-defined]
        return Response("ok")

    server.expect_request("/hook", method="POST").respond_with_handler(answer)
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def alerts(tmp_path: Path, mailbox, hook, monkeypatch, article_index):
    path = tmp_path / "alerts.yaml"
    path.write_text(f"""
alerts:
  - id: kremlin
    topic: kremlin-contacts
    to: ["{hook.url_for('/hook')}", "mailto:analyst@example.org"]
""", "utf-8")  # fmt: skip
    for key, value in {"MARSAD_ALERTS_FILE": str(path),
                       "MARSAD_ALERTS_STATE_FILE": str(tmp_path / "alerts.sqlite"),
                       "MARSAD_SMTP_PORT": str(mailbox.port), "MARSAD_ALERTS_BACKOFF": "0",
                       "MARSAD_SPIKE_MIN": "5"}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    yield path
    monkeypatch.undo()
    get_settings.cache_clear()


def articles(*days_ago: float, topic: str = "kremlin-contacts", key: str = "a") -> list[Article]:
    return [Article(id=article_id(url=None, source="t", key=f"{key}{n}"), title=f"لقاء {key}{n}",
                    text="نص", source="t", published_at=NOW - timedelta(days=d),
                    topics=[topic]) for n, d in enumerate(days_ago)]  # fmt: skip


def run(index):
    settings = get_settings()
    store = AlertStore(settings.alerts_state_path)  # a new store each time: a restart
    return run_alerts(load_subscriptions(settings.alerts_file), index, store, settings)


def test_new_articles_are_sent_once_to_each_destination(alerts, article_index, hook, mailbox):
    write_articles(article_index, articles(0.1, 0.2) + articles(0, topic="taiwan", key="t"),
                   refresh=True)  # fmt: skip
    first = run(article_index)
    assert (first.new, first.delivered, first.errors) == ({"kremlin": 2}, 2, [])
    (post,) = hook.posts
    assert post["text"].startswith("marsad: 2 new articles on topic kremlin-contacts")
    assert sorted(a["title"] for a in post["articles"]) == ["لقاء a0", "لقاء a1"]
    (mail,) = mailbox.mails
    assert mail["To"] == "analyst@example.org" and "2 new articles" in mail["Subject"]

    assert run(article_index).new == {}  # nothing new: nothing sent, after a "restart" too
    write_articles(article_index, articles(0, key="b"), refresh=True)
    assert run(article_index).new == {"kremlin": 1}
    assert [len(p["articles"]) for p in hook.posts] == [2, 1] and len(mailbox.mails) == 2


def test_a_destination_that_is_down_keeps_its_alert_until_it_answers(
    alerts, article_index, hook, mailbox
):
    write_articles(article_index, articles(0.1), refresh=True)
    hook.down = True
    first = run(article_index)
    assert first.delivered == 1 and len(mailbox.mails) == 1  # the mail went
    (error,) = first.errors
    assert error.startswith("kremlin → http://127.0.0.1:") and "HTTP 503" in error
    pending = AlertStore(get_settings().alerts_state_path).pending()
    assert [(a, n, e) for a, _d, n, e in pending] == [("kremlin", 1, error.split(": ", 1)[1])]

    hook.down = False
    second = run(article_index)
    assert (second.new, second.delivered, second.pending) == ({}, 1, 0)
    assert len(hook.posts) == 1 and len(mailbox.mails) == 1  # once each, never twice


def test_a_spike_is_sent_once_a_day(alerts, article_index, hook):
    baseline = [float(d) + 0.5 for d in range(1, 15)]  # one a day for two weeks
    write_articles(article_index, articles(*baseline, key="old") +
                   articles(*[0.01] * 8, key="now"), refresh=True)  # fmt: skip
    first = run(article_index)
    assert first.spikes and first.spikes[0].startswith("kremlin: today 8 vs mean")
    assert [p["kind"] for p in hook.posts] == ["new", "spike"]
    assert run(article_index).spikes == []  # the same day: not again
    assert spike_of([1] * 14 + [2], 5) is None and spike_of([0] * 14 + [5], 5) == (5, 0.0, 0.0)


@pytest.mark.usefixtures("prefect_api")
def test_the_scheduled_flow_and_the_cli(alerts, article_index, hook):
    """`marsad alerts run` runs the send-alerts flow: a failed delivery fails the run (so the
    failed-run automation tells someone) and the message waits in the outbox."""
    write_articles(article_index, articles(0.1), refresh=True)
    hook.down = True
    failed = CliRunner().invoke(app, ["alerts", "run"])
    assert failed.exit_code == 1, failed.output
    assert "1 new articles for 1 alerts" in failed.stdout and "HTTP 503" in failed.stderr
    pending = CliRunner().invoke(app, ["alerts", "pending", "--format", "csv"])
    assert pending.stdout.startswith("alert,destination,attempts,last_error\nkremlin,http")
    hook.down = False
    assert run(article_index).delivered == 1 and len(hook.posts) == 1


def test_each_alert_gets_a_kibana_saved_search(alerts):
    result = CliRunner().invoke(app, ["kibana", "export"])
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    (search,) = [o for o in objects if o["id"] == "marsad-alert-kremlin"]
    source = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
    assert source["query"]["query"] == 'topics : "kremlin-contacts"'
