"""The embedded node as users drive it: status, reuse, and clear reasons when tools are missing."""

from __future__ import annotations

import pytest

from marsad.elastic.embedded import CLUSTER_NAME, EmbeddedNode
from marsad.elastic.java import MissingTool, find_java_home, find_maven, java_major


def test_the_running_node_is_elasticsearch_9_and_healthy(es, settings):
    if not settings.embedded:
        pytest.skip("MARSAD_ES_URL points at an external cluster")
    status = EmbeddedNode(settings).status()
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
