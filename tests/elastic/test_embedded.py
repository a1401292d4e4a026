"""The embedded node as users drive it: status, reuse, and clear reasons when tools are missing."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marsad.config import Settings
from marsad.elastic.embedded import (
    CLUSTER_NAME,
    MAIN_CLASS,
    EmbeddedError,
    EmbeddedNode,
    process_args,
)
from marsad.elastic.java import MissingTool, find_java_home, find_maven, java_major


def test_the_running_node_is_elasticsearch_9_and_healthy(es, settings):
    if not settings.embedded:
        pytest.skip("MARSAD_ES_URL points at an external cluster")
    node = EmbeddedNode(settings)
    started_here = node.pidfile.is_file()  # else a node of another checkout answers the port
    expected = int(node.pidfile.read_text()) if started_here else None
    status = node.status()
    assert status.pid == expected  # the pid file's process is recognised as this node
    if started_here:
        assert node.not_this_node(status.pid) is None and node.stale is None
    assert status.running and status.version.startswith("9.")
    assert status.health in {"green", "yellow"} and status.detail == CLUSTER_NAME
    versions = {n["version"] for n in es.nodes.info()["nodes"].values()}
    assert versions == {settings.es_version}


def test_start_reuses_a_running_node(es, settings):
    if not settings.embedded:
        pytest.skip("MARSAD_ES_URL points at an external cluster")
    node = EmbeddedNode(settings)
    before = node.status().pid
    assert node.start().pid == before


def test_the_node_listens_on_loopback_only(es):
    addresses = {
        n["http"]["publish_address"] for n in es.nodes.info(metric="http")["nodes"].values()
    }
    assert all(a.startswith("127.0.0.1:") for a in addresses)


def test_java_21_or_newer_is_chosen():
    assert java_major(find_java_home()) >= 21


def test_missing_maven_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(MissingTool, match="Maven \\(mvn\\) not found") as info:
        find_maven()
    assert "\n" not in str(info.value)


def test_an_old_java_is_refused_with_one_clear_line(tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "java").touch()
    (tmp_path / "release").write_text('JAVA_VERSION="17.0.15"\n')
    with pytest.raises(MissingTool, match="Java runtime 21\\+") as info:
        find_java_home(search=[tmp_path])
    assert "\n" not in str(info.value)


def test_a_trimmed_runtime_without_jdk_jlink_is_skipped(tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "java").touch()
    (tmp_path / "release").write_text('JAVA_VERSION="25.0.2"\nMODULES="java.base jdk.zipfs"\n')
    with pytest.raises(MissingTool, match="jdk.jlink"):
        find_java_home(search=[tmp_path])


# -- the pid file: only this node's own Elasticsearch is ever signalled ----------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def scratch(tmp_path) -> EmbeddedNode:
    """A node on its own state dir and cache, never started: the test node is never touched."""
    settings = Settings(
        state_dir=tmp_path / "state", cache_dir=tmp_path / "cache", es_port=_free_port()
    )
    node = EmbeddedNode(settings)
    node.pidfile.parent.mkdir(parents=True)
    return node


@pytest.fixture
def spawn():
    """Start throwaway processes; whatever is still alive at the end is killed."""
    started: list[subprocess.Popen] = []

    def start(*args: str) -> subprocess.Popen:
        proc = subprocess.Popen(args)
        started.append(proc)
        deadline = time.monotonic() + 10  # /proc shows no command line until exec has finished
        while process_args(proc.pid) is None and time.monotonic() < deadline:
            time.sleep(0.02)
        return proc

    yield start
    for proc in started:
        proc.kill()
        proc.wait()


def _fake_elasticsearch(spawn, tmp: Path, home: Path) -> subprocess.Popen:
    """A process whose command line reads like the server JVM (main class and path options)."""
    return spawn(sys.executable, "-c", "import time; time.sleep(60)",
                 f"-Des.path.home={home}", f"-Djava.io.tmpdir={tmp}",
                 "-m", f"org.elasticsearch.server/{MAIN_CLASS}")  # fmt: skip


def _own_paths(node: EmbeddedNode) -> tuple[Path, Path]:
    return node.state / "tmp", node.cache / "nodes" / "9.5.4-0123" / "elasticsearch-9.5.4"


def test_stop_leaves_an_unrelated_process_alone(scratch, spawn, capsys):
    sleeper = spawn("sleep", "30")
    scratch.pidfile.write_text(f"{sleeper.pid}\n")
    assert scratch.stop() is False
    time.sleep(0.2)
    assert sleeper.poll() is None, "an unrelated process was signalled"
    assert not scratch.pidfile.exists()
    err = capsys.readouterr().err
    assert "stale pid file" in err and f"pid {sleeper.pid}" in err
    assert "is not Elasticsearch (sleep 30)" in err and "signalled nothing" in err
    assert scratch.stale and "\n" not in scratch.stale


def test_a_dead_pid_is_a_stale_pid_file(scratch, capsys):
    gone = subprocess.Popen(["true"])
    gone.wait()
    scratch.pidfile.write_text(str(gone.pid))
    assert scratch.stop() is False
    assert not scratch.pidfile.exists()
    assert f"names pid {gone.pid}, which is not running" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["-1", "0", "1", "", "12ab", "9999999999999999999999"])
def test_a_pid_file_without_a_usable_pid_is_stale(scratch, text):
    scratch.pidfile.write_text(text)
    assert scratch.status().pid is None  # status never signals; the file goes
    assert not scratch.pidfile.exists() and scratch.stale


def test_the_elasticsearch_of_another_state_dir_is_not_ours(scratch, spawn, tmp_path, capsys):
    _tmp, home = _own_paths(scratch)
    other = _fake_elasticsearch(spawn, tmp_path / "elsewhere" / "tmp", home)
    scratch.pidfile.write_text(str(other.pid))
    assert scratch.stop() is False
    time.sleep(0.2)
    assert other.poll() is None
    assert "is an Elasticsearch of another state dir" in capsys.readouterr().err


def test_an_elasticsearch_marsad_did_not_unpack_is_not_ours(scratch, spawn, tmp_path, capsys):
    tmp, _home = _own_paths(scratch)
    other = _fake_elasticsearch(spawn, tmp, tmp_path / "opt" / "elasticsearch")
    scratch.pidfile.write_text(str(other.pid))
    assert scratch.stop() is False
    assert other.poll() is None
    assert "is an Elasticsearch marsad did not unpack" in capsys.readouterr().err


def test_stop_terminates_its_own_node(scratch, spawn):
    ours = _fake_elasticsearch(spawn, *_own_paths(scratch))
    scratch.pidfile.write_text(str(ours.pid))
    assert scratch.status().pid == ours.pid
    assert scratch.stop(timeout=20) is True
    assert ours.wait(timeout=10) == -signal.SIGTERM
    assert not scratch.pidfile.exists() and scratch.stale is None


def test_start_waits_for_its_own_running_node_instead_of_starting_another(
    scratch, spawn, monkeypatch
):
    ours = _fake_elasticsearch(spawn, *_own_paths(scratch))
    scratch.pidfile.write_text(str(ours.pid))
    monkeypatch.setattr(scratch, "prepare", lambda: pytest.fail("a second node was started"))
    with pytest.raises(EmbeddedError, match="not healthy after 1s"):
        scratch.start(timeout=1)
    assert ours.poll() is None and scratch.pidfile.exists()


def test_start_drops_a_stale_pid_file_and_starts(scratch, spawn, monkeypatch):
    sleeper = spawn("sleep", "30")
    scratch.pidfile.write_text(str(sleeper.pid))

    class Starting(Exception):
        pass

    def prepare():
        raise Starting

    monkeypatch.setattr(scratch, "prepare", prepare)
    with pytest.raises(Starting):
        scratch.start(timeout=1)
    assert sleeper.poll() is None and not scratch.pidfile.exists()
