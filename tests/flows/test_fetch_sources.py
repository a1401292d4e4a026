"""The fetch flow end to end: a real HTTP server on 127.0.0.1 serving feeds and pages built from
the fixtures → Prefect flow → real Elasticsearch. Nothing is mocked."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from prefect.settings import PREFECT_API_URL
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Response

from marsad.cli import app
from marsad.config import get_settings
from marsad.extractors.urls import canonical_url
from marsad.fetch.state import StateStore
from marsad.flows.fetch_sources import fetch_sources
from tests.fetch.web import (
    ANT,
    CANARY_ANSWER,
    PAGES,
    RawServer,
    Site,
    conditional,
    read_ant,
    serve_fixture_web,
    url_first_page,
)

ROOT = Path(__file__).resolve().parents[2]
YOUM7 = "https://www.youm7.com/story/2020/8/24/وزير-الرى-يشهد-توقيع-عقد-دراسة-تحديد-السحب-الآمن-للخزانات/4943459"


@pytest.fixture
def site():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield Site(server)
    server.clear()
    server.stop()


@pytest.fixture
def raw_server():
    """Bare TCP servers on 127.0.0.1 (canaries, silent or hostile servers), closed after."""
    started: list[RawServer] = []

    def start(answer=None) -> RawServer:
        started.append(RawServer(answer))
        return started[-1]

    yield start
    for one in started:
        one.close()


@pytest.fixture
def web(site, tmp_path, monkeypatch, prefect_api, article_index):
    """Settings pointing the flow at the local web: its registry, state file, resolve map."""
    resolve = serve_fixture_web(site)

    def configure(sources: list[dict], **env: str) -> Path:
        registry = tmp_path / "sources.yaml"
        registry.write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True), "utf-8")
        values = {
            "MARSAD_SOURCES_FILE": str(registry),
            "MARSAD_FETCH_STATE_FILE": str(tmp_path / "fetch.sqlite"),
            "MARSAD_FETCH_ALLOW_NETWORKS": '["127.0.0.1/32"]',
            "MARSAD_FETCH_RESOLVE": json.dumps(resolve),
            "MARSAD_FETCH_HOST_DELAY": "0",
            "MARSAD_FETCH_RETRIES": "1",
            "MARSAD_FETCH_BACKOFF": "0.05",
            "MARSAD_FETCH_READ_TIMEOUT": "3",
            "MARSAD_FETCH_ITEM_BACKOFF": "0",  # tests that need the backoff set it
            **env,
        }
        for key, value in values.items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        return tmp_path / "fetch.sqlite"

    yield configure
    monkeypatch.undo()
    get_settings.cache_clear()


def _source(site: Site, sid: str, feeds=(), sitemaps=(), **extra) -> dict:
    return {
        "id": sid, "name": f"{sid} (test)", "homepage": site.url("feeds.marsad.test", "/"),
        "country": "TN", "affiliation": "unknown",
        "feeds": [site.url("feeds.marsad.test", f"/{f}") for f in feeds],
        "sitemaps": [site.url("feeds.marsad.test", f"/{s}") for s in sitemaps], **extra,
    }  # fmt: skip


def _rss(*links: str) -> str:
    items = "".join(
        f"<item><title>t{n}</title><link>{u}</link></item>" for n, u in enumerate(links)
    )
    return f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>'


def fetched(*args, **kwargs):
    """The run's summary, also when the run ended Failed (every source it fetched broke)."""
    from marsad.flows.tasks import summary_of

    return summary_of(fetch_sources(*args, return_state=True, **kwargs))


def _docs(index) -> list[dict]:
    index.refresh()
    hits = index.es.search(index=index.alias, size=100, query={"match_all": {}})["hits"]["hits"]
    return [h["_source"] for h in hits]


def test_fetch_fills_the_index_with_the_fixture_articles(site, web, article_index):
    web([_source(site, "pages", feeds=["pages_rss.xml"]),
         _source(site, "ant", feeds=["ant_rss.xml", "jawhara_atom.xml"])])  # fmt: skip
    summary = fetch_sources()
    pages, ant = summary.sources["pages"], summary.sources["ant"]
    assert (pages.feed_status, pages.new, pages.failed) == ("200", 10, [])
    assert (ant.feed_status, ant.new, ant.failed) == ("200 ×2", 14, [])
    assert (pages.indexed, ant.indexed) == (10, 14)
    docs = _docs(article_index)
    assert len(docs) == 24
    assert {d["source"] for d in docs} == {"pages", "ant"}
    assert all(d["source_name"] and d["source_country"] == "TN" for d in docs)
    youm7 = next(d for d in docs if "youm7" in d["url"])
    assert youm7["url"].startswith("https://www.youm7.com/story/2020/8/24/")  # its canonical
    alarabiya = read_ant(ANT / "AL-internationalNews-1-20180219.txt")
    found = next(d for d in docs if d["title"] == alarabiya["TITLE"])
    assert found["published_at"].startswith("2018-02-18T20:16:11")  # the feed's pubDate, UTC

    pages_before = len([h for h in site.hits if h.host != "feeds.marsad.test"])
    again = fetch_sources()
    assert again.sources["pages"].feed_status == "304"
    assert again.total("new") == again.total("indexed") == 0 and again.failed == []
    assert len([h for h in site.hits if h.host != "feeds.marsad.test"]) == pages_before


def test_same_article_under_two_urls_is_indexed_once(site, web, article_index):
    body = (PAGES / "youm7_2020.html").read_bytes()
    local = site.localize(YOUM7.encode()).decode()
    site.serve(local.replace("/story/", "/amp/story/"), body)  # AMP copy, canonical → /story/
    links = [local + "?utm_source=rss&utm_medium=feed", local + "#comments",
             local.replace("/story/", "/amp/story/")]  # fmt: skip
    items = "".join(f"<item><title>t</title><link>{u}</link></item>" for u in links)
    feed = f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
    site.route(site.url("feeds.marsad.test", "/dupes.xml"), conditional(feed))
    web([_source(site, "youm7", feeds=["dupes.xml"])])
    summary = fetch_sources(["youm7"])
    report = summary.sources["youm7"]
    assert report.new == 2  # the utm and #fragment links are one canonical URL already
    assert (report.indexed, report.skipped, report.failed) == (1, 1, [])
    assert article_index.count() == 1


def test_unsafe_items_are_refused_and_failures_are_retried_next_run(site, web, article_index):
    doc = read_ant(ANT / "BB-middleEast-1-20180218.txt")
    flaky = site.url("news.marsad.test", "/flaky")
    calls = []

    def sometimes(_request):
        calls.append(1)
        if len(calls) <= 2:  # the whole first run (1 retry) fails, the next run works
            return Response("", 500)
        return Response((PAGES / "albayan_2020.html").read_bytes(), content_type="text/html")

    site.route(flaky, sometimes)
    links = ["http://169.254.169.254/latest/meta-data/iam/security-credentials/",
             "http://10.0.0.1/admin", "file:///etc/passwd", flaky,
             site.localize(doc["URL"].encode()).decode()]  # fmt: skip
    items = "".join(
        f"<item><title>t{n}</title><link>{u}</link></item>" for n, u in enumerate(links)
    )
    feed = f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
    site.route(site.url("feeds.marsad.test", "/mixed.xml"), conditional(feed))
    state = web([_source(site, "mixed", feeds=["mixed.xml"])],
                MARSAD_FETCH_RESOLVE=json.dumps({"news.marsad.test": "127.0.0.1",
                                                 "www.bbc.co.uk": "127.0.0.1",
                                                 "feeds.marsad.test": "127.0.0.1"}))  # fmt: skip
    first = fetch_sources(["mixed"]).sources["mixed"]
    reasons = {f.origin: f.reason for f in first.failed}
    assert first.new == 5 and first.indexed == 1  # file:// is queued, to be refused by name
    assert "a cloud metadata address" in reasons[links[0]]
    assert "10.0.0.1 a private address" in reasons[links[1]]
    [scheme] = [r for o, r in reasons.items() if o.startswith("file:")]  # feedparser: file://etc
    assert scheme == "refused: scheme 'file' is not http or https"
    assert reasons[flaky] == "HTTP 500 Internal Server Error after 2 attempts"
    rows = {r["url"]: r["status"] for r in StateStore(state).items("mixed")}
    assert sorted(rows.values()) == ["failed", "indexed", "refused", "refused", "refused"]

    second = fetch_sources(["mixed"]).sources["mixed"]
    assert (second.feed_status, second.indexed, second.failed) == ("304", 1, [])
    assert article_index.count() == 2
    assert site.requests(links[0]) == []


def test_windows_1256_page_is_indexed_as_arabic(site, web, article_index):
    raw = (ROOT / "tests/fixtures/encodings/windows-1256_no_charset.html").read_bytes()
    page = site.url("news.marsad.test", "/gaza.html")
    site.serve(page, raw, content_type="text/html")  # no charset anywhere
    feed = _rss(page)
    site.route(site.url("feeds.marsad.test", "/cp.xml"), conditional(feed))
    web([_source(site, "cp", feeds=["cp.xml"])])
    assert fetch_sources(["cp"]).sources["cp"].indexed == 1
    [doc] = _docs(article_index)
    assert "كتائب الشهيد عز الدين القسام" in doc["text"]


def test_refresh_records_changed_texts(site, web, article_index):
    page = site.url("news.marsad.test", "/live.html")
    versions = [(PAGES / "alyaum_2020.html").read_bytes()]
    site.route(page, lambda r: Response(versions[-1], content_type="text/html"))
    feed = _rss(page)
    site.route(site.url("feeds.marsad.test", "/live.xml"), conditional(feed))
    state = web([_source(site, "live", feeds=["live.xml"])])
    assert fetch_sources(["live"]).sources["live"].indexed == 1
    assert fetch_sources(["live"]).sources["live"].skipped == 0  # known: not even queued
    versions.append(versions[0].replace("طهران".encode(), "العاصمة الإيرانية".encode()))
    refreshed = fetch_sources(["live"], refresh=True).sources["live"]
    assert (refreshed.indexed, refreshed.changed) == (1, 1)
    unchanged = fetch_sources(["live"], refresh=True).sources["live"]
    assert (unchanged.indexed, unchanged.changed, unchanged.skipped) == (0, 0, 1)
    assert StateStore(state).items("live")[0]["changed_at"]


def test_cli_fetch_and_sources(site, web, article_index):
    web([_source(site, "ant", sitemaps=["sitemap_index.xml"])])
    result = CliRunner().invoke(app, ["fetch", "ant"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "ant" in result.output and "14" in result.output
    assert article_index.count() == 14
    listing = CliRunner().invoke(app, ["sources"], catch_exceptions=False)
    assert listing.exit_code == 0 and "200 ×3" in listing.output
    unknown = CliRunner().invoke(app, ["fetch", "nope"])
    assert unknown.exit_code == 2 and "unknown source nope" in unknown.output


def test_interrupted_run_resumes_without_duplicates_or_gaps(site, web, article_index, tmp_path):
    """A real `marsad fetch` process is killed (SIGKILL) in its third batch, then run again."""
    release, served, lock = threading.Event(), [], threading.Lock()
    docs = [read_ant(p) for p in sorted(ANT.glob("*.txt")) if not p.name.startswith("JA-")]
    urls = [site.localize(d["URL"].encode()).decode() for d in docs]
    for url in urls:
        site.route(url, _fifth_hangs(site.routes[_key(url)], served, lock, release))
    state = web([_source(site, "ant", feeds=["ant_rss.xml"])],
                MARSAD_FETCH_HOST_CONCURRENCY="1", MARSAD_FETCH_CONCURRENCY="1")  # fmt: skip
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/marsad"), "fetch", "ant", "--batch-size", "2"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while len(served) < 5 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert len(served) == 5, proc.stdout.read().decode()[-3000:] if proc.poll() else "slow"
        # the third batch downloads while the second is extracted and indexed: let that finish
        while _indexed_count(state) < 4 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        release.set()
        if proc.poll() is None:
            proc.kill()
    article_index.refresh()
    assert article_index.count() == 4  # two batches of two were indexed before the kill
    indexed = {r["url"] for r in StateStore(state).items("ant") if r["status"] == "indexed"}
    assert len(indexed) == 4 and len(StateStore(state).items("ant")) == 10

    summary = fetch_sources(["ant"])
    assert summary.sources["ant"].feed_status == "304"  # the feed says nothing new...
    assert summary.sources["ant"].indexed == 6  # ...yet the pending items were not lost
    article_index.refresh()
    assert article_index.count() == 10
    assert {d["url"] for d in _docs(article_index)} == {canonical_url(u) for u in urls}
    assert all(r["status"] == "indexed" for r in StateStore(state).items("ant"))
    for url in indexed:  # what was indexed before the kill was not downloaded again
        assert len(site.requests(url)) == 1


def _indexed_count(state) -> int:
    return sum(r["status"] == "indexed" for r in StateStore(state).items("ant"))


def _fifth_hangs(handler, served, lock, release):
    def wrapped(request):
        with lock:
            served.append(request.path)
            fifth = len(served) == 5
        if fifth:
            release.wait(60)
        return handler(request)

    return wrapped


def _key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.hostname, unquote(parts.path)


# one of each kind of malformed link; the letter at the end names it in the failures
BAD_LINKS = [
    "http://0177.0.0.1/a", "http://0x7f.1/b", "http://2130706433/c", "http://127.1/d",
    "http://news.marsad.test:99999/e", "http://news.marsad.test:abc/f", "http://xn--a.test/g",
    "http://" + "a" * 64 + ".test/h", "http://:80/i", "http://[::1/j", "ftp://news.marsad.test/k",
    "http://exa&lt;mple.test/l", "http://a\u200b.test/m", "http://0x7f000001:80/n",
]  # fmt: skip
LOCAL = {"news.marsad.test": "127.0.0.1", "feeds.marsad.test": "127.0.0.1",
         "redir.marsad.test": "127.0.0.1", "slow.marsad.test": "127.0.0.1"}  # fmt: skip


def _hostile(head: bytes) -> bytes:
    """No robots.txt; every page a 302 to a Location with a space and a bad port, sent raw."""
    if head.startswith(b"GET /robots.txt "):
        return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    location = b"http://news.marsad.test:99999/x y"
    return b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n" % location


def test_malformed_links_fail_alone_and_are_never_retried(site, web, article_index, raw_server):
    canary, redirector = raw_server(CANARY_ANSWER), raw_server(_hostile)
    names = ("BB-middleEast-1-20180218.txt", "AL-internationalNews-1-20180219.txt")
    good = [site.localize(read_ant(ANT / n)["URL"].encode()).decode() for n in names]
    bait = site.url("news.marsad.test", "/bait")
    site.serve(bait, url_first_page(canary.url("/from-page")))
    moved = redirector.url("/moved", host="redir.marsad.test")
    links = [*BAD_LINKS, moved, *good, bait]
    items = "".join(f"<item><title>t{n}</title><link>{u}</link><description>"
                    f"{canary.url('/from-summary')}</description></item>"
                    for n, u in enumerate(links))  # fmt: skip
    feed = f'<rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
    site.route(site.url("feeds.marsad.test", "/bad.xml"), conditional(feed))
    hosts = LOCAL | {"www.bbc.co.uk": "127.0.0.1", "www.alarabiya.net": "127.0.0.1"}
    state = web([_source(site, "bad", feeds=["bad.xml"])], MARSAD_FETCH_RESOLVE=json.dumps(hosts))

    refused = len(BAD_LINKS) + 1  # and the redirect to a malformed Location
    first = fetch_sources(["bad"]).sources["bad"]  # does not raise
    assert (first.new, first.indexed) == (len(links), 3)  # the two ANT pages and the bait page
    reasons = {f.origin: f.reason for f in first.failed}
    assert len(reasons) == refused and all(r.startswith("refused: ") for r in reasons.values())
    for link in BAD_LINKS:  # each named by its URL, with a reason of one line
        [origin] = [o for o in reasons if o.endswith(link[-2:])]
        assert "\n" not in reasons[origin]
    assert "in the redirect to http://news.marsad.test:99999/x y" in reasons[moved]
    assert "'0177.0.0.1' is not a dotted-quad" in reasons[next(o for o in reasons if "0177" in o)]
    rows = StateStore(state).items("bad")
    assert sorted(r["status"] for r in rows) == ["indexed"] * 3 + ["refused"] * refused
    assert canary.accepted == []  # no library fetched the URLs in the summaries or the page

    second = fetch_sources(["bad"]).sources["bad"]
    assert (second.feed_status, second.indexed, second.failed) == ("304", 0, [])
    rows = StateStore(state).items("bad")
    assert [r["attempts"] for r in rows if r["status"] == "refused"] == [1] * refused
    assert len(redirector.accepted) == 2 and canary.accepted == []  # robots.txt and /moved, once
    listing = CliRunner().invoke(app, ["sources"], catch_exceptions=False)
    assert listing.exit_code == 0 and str(refused) in listing.output


def test_a_server_that_never_answers_costs_one_deadline(site, web, article_index, raw_server):
    silent = raw_server()
    article = silent.url("/article", host="slow.marsad.test")
    site.route(site.url("feeds.marsad.test", "/slow.xml"), conditional(_rss(article)))
    source = _source(site, "slow", feeds=["slow.xml"])
    source["feeds"].append(silent.url("/feed.xml", host="slow.marsad.test"))
    state = web([source], MARSAD_FETCH_RESOLVE=json.dumps(LOCAL), MARSAD_FETCH_ITEM_DEADLINE="1",
                MARSAD_FETCH_READ_TIMEOUT="30", MARSAD_FETCH_RETRIES="3")  # fmt: skip

    report = fetched(["slow"]).sources["slow"]
    reasons = {f.origin: f.reason for f in report.failed}
    assert reasons == {source["feeds"][1]: "gave up after 1 s (1 attempts)",
                       article: "gave up after 1 s (1 attempts)"}  # fmt: skip
    [row] = StateStore(state).items("slow")
    assert row["status"] == "failed" and row["reason"] == "gave up after 1 s (1 attempts)"
    deadline = time.monotonic() + 5  # each connection (robots.txt, twice) dropped at 1 s
    while len(silent.hung_up) < len(silent.accepted) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(silent.accepted) == len(silent.hung_up) == 2
    spans = [end - start for start, end in zip(silent.accepted, silent.hung_up, strict=True)]
    assert all(span < 1.5 for span in spans)


def test_a_failing_item_backs_off_then_is_parked(site, web, article_index):
    broken = site.url("news.marsad.test", "/broken")
    site.route(broken, lambda r: Response("", 500))
    fine = site.localize(read_ant(ANT / "BB-middleEast-1-20180218.txt")["URL"].encode()).decode()
    site.route(site.url("feeds.marsad.test", "/poison.xml"), conditional(_rss(broken, fine)))
    hosts = LOCAL | {"www.bbc.co.uk": "127.0.0.1"}
    state = web([_source(site, "poison", feeds=["poison.xml"])], MARSAD_FETCH_MAX_ATTEMPTS="2",
                MARSAD_FETCH_ITEM_BACKOFF="8", MARSAD_FETCH_RETRIES="0",
                MARSAD_FETCH_RESOLVE=json.dumps(hosts))  # fmt: skip
    store = StateStore(state)

    first = fetched(["poison"]).sources["poison"]
    assert first.indexed == 1  # the poisoned item blocks nobody
    assert [f.reason for f in first.failed] == ["HTTP 500 Internal Server Error after 1 attempts"]
    row = next(r for r in store.items("poison") if r["url"] == broken)
    retry_at = datetime.fromisoformat(row["next_attempt"])
    assert (row["status"], row["attempts"]) == ("failed", 1)

    assert datetime.now(UTC) < retry_at, "the first run took longer than the backoff"
    early = fetched(["poison"]).sources["poison"]
    assert early.failed == [] and len(site.requests(broken)) == 1  # not before its backoff

    time.sleep(max(0.0, (retry_at - datetime.now(UTC)).total_seconds()) + 0.2)
    due = fetched(["poison"]).sources["poison"]
    assert [f.reason for f in due.failed] == [
        "HTTP 500 Internal Server Error after 1 attempts (dropped after 2 attempts)"
    ]
    assert len(site.requests(broken)) == 2
    row = next(r for r in store.items("poison") if r["url"] == broken)
    assert (row["status"], row["attempts"], row["next_attempt"]) == ("dropped", 2, None)
    assert row["reason"] == "HTTP 500 Internal Server Error after 1 attempts"

    time.sleep(0.5)
    parked = fetched(["poison"]).sources["poison"]
    assert parked.failed == [] and len(site.requests(broken)) == 2  # parked: never again
    assert store.overview()["poison"]["dropped"] == 1


def test_batches_spread_over_hosts_and_keep_each_host_s_order():
    from marsad.fetch.state import WorkItem
    from marsad.flows.fetch_sources import interleave_hosts

    queue = [WorkItem(url=f"https://{host}.test/{n}", source=host)
             for host in ("a", "b", "c") for n in range(3 if host != "c" else 1)]  # fmt: skip
    order = [item.url for item in interleave_hosts(queue)]
    assert order == ["https://a.test/0", "https://b.test/0", "https://c.test/0",
                     "https://a.test/1", "https://b.test/1", "https://a.test/2",
                     "https://b.test/2"]  # fmt: skip
    assert interleave_hosts([]) == []


def test_a_run_where_sources_fail_says_so_and_fails_past_the_share(site, web, article_index):
    """One dead feed of two: Completed, with the broken source in the state message. Both
    dead: Failed, with the summary still the run's data (the CLI prints it, exit code 1)."""
    site.route(site.url("feeds.marsad.test", "/dead.xml"), lambda _r: Response("", 503))
    web([_source(site, "pages", feeds=["pages_rss.xml"]),
         _source(site, "dead", feeds=["dead.xml"])])  # fmt: skip
    state = fetch_sources(return_state=True)
    assert state.is_completed()
    assert state.message.startswith("1 of 2 sources failed (dead: ")
    assert state.result().sources["pages"].indexed == 10

    web([_source(site, "dead", feeds=["dead.xml"]),
         _source(site, "dead2", feeds=["dead.xml"])])  # fmt: skip
    state = fetch_sources(return_state=True)
    assert state.is_failed()
    assert state.message.startswith("2 of 2 sources failed (dead: ")
    summary = state.result(raise_on_failure=False)
    assert {r.source for r in summary.broken()} == {"dead", "dead2"}
    result = CliRunner().invoke(app, ["fetch", "--format", "json"])
    assert result.exit_code == 1
    assert "run Failed: 2 of 2 sources failed" in result.stderr
