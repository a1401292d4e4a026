"""The inbox end to end: `marsad serve` and `marsad watch` as real processes against the test
Prefect API and Elasticsearch; plus the pure parts (settling, naming, keys) on their own."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

import pytest
from prefect import get_client
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    DeploymentFilter,
    DeploymentFilterName,
    FlowRunFilter,
    FlowRunFilterParentFlowRunId,
)
from prefect.settings import PREFECT_API_URL

from marsad.elastic.articles import ArticleIndex, search_articles
from marsad.inbox import (
    Seen,
    Settler,
    destination,
    file_away,
    is_candidate,
    run_key,
    scan,
    source_for,
    verdict,
)
from marsad.models import Failure
from marsad.report import FileCounts, IngestSummary

from ..conftest import SEED

P = PurePosixPath


# -- pure parts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "expected"),
    [("a.html", True), ("rt-arabic/a.json", True), ("done/a.html", False),
     ("failed/a.html", False), (".a.html", False), ("src/.cache/a.txt", False),
     ("a.html.part", False), ("a.txt.tmp", False), ("a.html~", False),
     ("a.html.reason", False), ("sub/done/a.html", True)],
)  # fmt: skip
def test_which_files_are_candidates(rel, expected):
    assert is_candidate(P(rel)) is expected


def test_a_sub_folder_names_the_source():
    assert (source_for(P("rt-arabic/x.html")), source_for(P("x.html"))) == ("rt-arabic", None)


def test_a_file_is_ready_only_after_staying_unchanged_for_the_settle_time():
    settler, rel = Settler(settle=2.0), P("a.txt")
    settler.observe(rel, Seen(10, 1, 1), now=100.0)
    settler.observe(rel, Seen(10, 1, 1), now=101.5)  # unchanged: the clock keeps running
    assert settler.ready(now=101.9) == []
    settler.observe(rel, Seen(20, 2, 2), now=101.9)  # still being written: clock restarts
    assert settler.ready(now=103.0) == []
    assert settler.ready(now=103.9) == [(rel, Seen(20, 2, 2))]
    assert settler.tracked() == [], "a ready file leaves the tracker"
    settler.observe(rel, Seen(20, 2, 2), now=104.0)
    settler.observe(rel, None, now=104.5)  # gone before it settled
    assert settler.ready(now=200.0) == []


def test_the_run_key_is_stable_until_the_file_is_replaced_or_moved_back(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("x")
    key = run_key(P("a.txt"), Seen.of(path))
    assert run_key(P("a.txt"), Seen.of(path)) == key
    assert run_key(P("b/a.txt"), Seen.of(path)) != key
    time.sleep(0.01)
    path.rename(tmp_path / "moved")
    (tmp_path / "moved").rename(path)
    assert run_key(P("a.txt"), Seen.of(path)) != key, "a rename changes ctime"


def test_destinations_never_overwrite(tmp_path):
    assert destination(tmp_path, P("src/a.html.gz"), ok=True) == tmp_path / "done/src/a.html.gz"
    (tmp_path / "failed").mkdir()
    (tmp_path / "failed/a.html.gz").write_text("")
    (tmp_path / "failed/a~1.html.gz.reason").write_text("")
    assert destination(tmp_path, P("a.html.gz"), ok=False) == tmp_path / "failed/a~2.html.gz"


def test_filing_away_moves_the_file_and_writes_its_reasons(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src/a.txt").write_text("x")
    target = file_away(tmp_path, P("src/a.txt"), ok=False, reasons=["extract: empty file"])
    assert target == tmp_path / "failed/src/a.txt" and target.read_text() == "x"
    assert (tmp_path / "failed/src/a.txt.reason").read_text() == "extract: empty file\n"
    assert not (tmp_path / "src/a.txt").exists()
    assert scan(tmp_path) == {}, "done/ and failed/ are not scanned"


def test_the_verdict_needs_one_article_in_the_index():
    summary = IngestSummary(per_file={"f": FileCounts(articles=2, unchanged=1)},
                            failed=[Failure(origin="f", reason="line 3: bad JSON")])  # fmt: skip
    assert verdict(summary, "f") == (True, ["extract: line 3: bad JSON"])
    assert verdict(IngestSummary(), "f") == (False, ["no article found in the file"])


# -- end to end ------------------------------------------------------------------------------

GOOD = SEED.read_text("utf-8")
LATE_PARAGRAPH = "فقرة أخيرة كتبت بعد توقف قصير عن المرصد الجديد."


def _env(inbox: Path, settle: float) -> dict[str, str]:
    return os.environ | {
        "PREFECT_API_URL": PREFECT_API_URL.value(),
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
        "MARSAD_INBOX_DIR": str(inbox),
        "MARSAD_INBOX_SETTLE": str(settle),
        "MARSAD_INBOX_CONCURRENCY": "2",
    }


def _start(*args: str, env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "marsad.cli", *args], env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)  # fmt: skip


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait(check, timeout: float, what: str, logs: list[Path]):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(1)
    tails = "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in logs)
    pytest.fail(f"timed out waiting for {what}\n{tails}")


def _inbox_runs() -> list:
    with get_client(sync_client=True) as client:
        return client.read_flow_runs(
            deployment_filter=DeploymentFilter(name=DeploymentFilterName(any_=["inbox"]))
        )


def _artifacts(run_id) -> dict:
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
        )
    return {a.key: a.data for a in found}


def _child_run(run_id):
    with get_client(sync_client=True) as client:
        (child,) = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[run_id])
            )
        )
    return child


@pytest.fixture(scope="module")
def stack(prefect_api, es, settings, tmp_path_factory):
    """`marsad serve --no-fetch` running; the inbox deployment registered."""
    ArticleIndex(es, settings.index_prefix).ensure()
    root = tmp_path_factory.mktemp("inbox-stack")
    inbox, logs = root / "inbox", root
    env = _env(inbox, settle=3.0)
    serve = _start("serve", "--no-fetch", env=env, log=logs / "serve.log")

    def registered():
        with get_client(sync_client=True) as client:
            try:
                return client.read_deployment_by_name("ingest-inbox-file/inbox")
            except Exception:
                return None

    _wait(registered, 240, "the inbox deployment", [logs / "serve.log"])
    yield inbox, env, logs
    _stop(serve)


def _write_slowly(path: Path) -> None:
    """A writer that pauses mid-file: the watcher must not read the first half alone."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(GOOD)
        handle.flush()
        time.sleep(1.0)
        handle.write("\n" + LATE_PARAGRAPH + "\n")


def test_dropped_files_are_ingested_filed_and_reported(stack, es, settings):
    inbox, env, logs = stack
    watcher = _start("watch", env=env, log=logs / "watch-1.log")
    all_logs = [logs / "serve.log", logs / "watch-1.log"]
    try:
        _write_slowly(inbox / "inbox-test" / "seed.txt")
        (inbox / "broken.html.gz").write_bytes(gzip.compress(GOOD.encode() * 3)[:200])
        (inbox / "late.txt.part").write_text(GOOD, "utf-8")  # write-then-rename
        time.sleep(4)
        (inbox / "late.txt.part").rename(inbox / "inbox-test" / "late.txt")
        done = inbox / "done" / "inbox-test"
        _wait(lambda: (done / "seed.txt").exists() and (done / "late.txt").exists(), 300,
              "done/", all_logs)  # fmt: skip
        _wait(lambda: (inbox / "failed/broken.html.gz").exists(), 120, "failed/", all_logs)
    finally:
        _stop(watcher)

    reason = (inbox / "failed/broken.html.gz.reason").read_text("utf-8")
    assert reason.startswith(("extract: ", "load: ")) and "gz" in reason.lower(), reason
    assert not (done / "seed.txt.reason").exists()
    assert sorted(p.name for p in inbox.iterdir()) == ["done", "failed", "inbox-test"]
    assert list((inbox / "inbox-test").iterdir()) == []

    index = ArticleIndex(es, settings.index_prefix)
    index.refresh()
    total, hits = search_articles(index, "المرصد الجديد")
    assert total == 1 and hits[0].source == "inbox-test", "the whole file, not its first half"

    runs = {r.parameters["name"]: r for r in _inbox_runs()}
    assert set(runs) == {"inbox-test/seed.txt", "inbox-test/late.txt", "broken.html.gz"}
    seed_run = runs["inbox-test/seed.txt"]
    assert seed_run.state.is_completed()
    assert (
        "`inbox-test/seed.txt` → `done/inbox-test/seed.txt`"
        in _artifacts(seed_run.id)["marsad-inbox"]
    )
    table = json.loads(_artifacts(_child_run(seed_run.id).id)["marsad-ingest-table"])
    assert [(r["file"], r["new"], r["failed"]) for r in table] == [
        (str(inbox / "inbox-test/seed.txt"), 1, 0)
    ]
    broken = json.loads(_artifacts(_child_run(runs["broken.html.gz"].id).id)["marsad-ingest-table"])
    assert broken[0]["failed"] == 1 and broken[0]["reasons"]


def test_a_restarted_watcher_neither_loses_nor_repeats_files(stack):
    inbox, env, logs = stack
    before = {r.parameters["name"] for r in _inbox_runs()}
    (inbox / "inbox-test").mkdir(exist_ok=True)
    (inbox / "inbox-test" / "while-down.txt").write_text(GOOD.replace("ستارلينك", "ستار"), "utf-8")
    watcher = _start("watch", env=env, log=logs / "watch-2.log")
    try:
        _wait(lambda: (inbox / "done/inbox-test/while-down.txt").exists(), 300,
              "the file dropped while the watcher was down",
              [logs / "serve.log", logs / "watch-2.log"])  # fmt: skip
        time.sleep(5)  # a repeat would show up as a second run here
    finally:
        _stop(watcher)
    names = [r.parameters["name"] for r in _inbox_runs()]
    assert sorted(names) == sorted([*before, "inbox-test/while-down.txt"]), "one run per file"


def test_submitting_the_same_file_twice_returns_the_same_run(stack, tmp_path):
    from marsad.flows.watch_inbox import InboxWatcher

    inbox = tmp_path / "inbox"
    (inbox / "parked").mkdir(parents=True)
    path = inbox / "parked" / "same.txt"
    path.write_text("x", "utf-8")
    watcher = InboxWatcher(inbox, settle=0)
    first = watcher.submit(P("parked/same.txt"), Seen.of(path))
    second = InboxWatcher(inbox, settle=0).submit(P("parked/same.txt"), Seen.of(path))
    assert first is not None and first == second
