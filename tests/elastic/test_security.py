"""marsad's least-privilege roles as data, the setup's calls, and its one-line refusals.

The embedded node has no security module (it is the integ-test-zip), so no role is created
end to end here: the role bodies are checked as data, the calls against a recording stand-in,
and the real node shows that the setup says "security is not enabled" instead of a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from marsad.config import Settings
from marsad.elastic.embedded import EmbeddedNode
from marsad.elastic.security import (
    KIBANA_SYSTEM_USER,
    NOT_ENABLED,
    SecurityError,
    analyst_role,
    check_password,
    configure,
    role_bodies,
    role_names,
    setup_security,
    writer_role,
)

PREFIXES = ["marsad", "newsroom-2", "marsad-test-abc123"]
GOOD_PASSWORD = "Wq8-zLm3Rt6vNp2x"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_writer_role_is_limited_to_its_own_indices_and_template(prefix):
    role = writer_role(prefix)
    assert set(role) == {"cluster", "indices", "metadata"}  # no run_as, no applications
    assert role["cluster"] == ["manage_index_templates", "monitor"]
    assert role["indices"] == [
        {
            "names": [f"{prefix}-articles*"],
            "privileges": ["create_index", "index", "read", "write", "view_index_metadata",
                           "manage"],
        }
    ]  # fmt: skip


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_analyst_role_only_reads_and_uses_kibana_read_only(prefix):
    role = analyst_role(prefix)
    assert role["cluster"] == [] and "run_as" not in role
    assert role["indices"] == [
        {"names": [f"{prefix}-articles*"], "privileges": ["read", "view_index_metadata"]}
    ]
    assert role["applications"] == [
        {"application": "kibana-.kibana", "privileges": ["space_read"],
         "resources": ["space:default"]}
    ]  # fmt: skip


@pytest.mark.parametrize("prefix", PREFIXES)
def test_no_role_grants_all_or_names_a_wildcard_pattern(prefix):
    for name, role in role_bodies(prefix).items():
        assert name.startswith(f"{prefix}_")
        privileges = _strings(role["cluster"]) + _strings(
            [entry["privileges"] for entry in role["indices"] + role.get("applications", [])]
        )
        assert not [p for p in privileges if p == "all" or p.endswith("_all") or "*" in p], name
        for entry in role["indices"]:
            for pattern in entry["names"]:
                assert pattern == f"{prefix}-articles*", (name, pattern)
                assert "*" not in pattern.removesuffix("*")
        for app in role.get("applications", []):
            assert app["application"] != "*" and "*" not in _strings(app["resources"])
        assert not {"manage_security", "manage", "all"} & set(role["cluster"])


@pytest.mark.parametrize("prefix", ["", "*", "marsad*", "a,b", "Marsad", "-x", "a/b", "a b"])
def test_a_prefix_that_could_widen_the_pattern_is_refused(prefix):
    with pytest.raises(SecurityError, match="not a plain index name prefix"):
        writer_role(prefix)


class Recorder:
    """Stands in for `Elasticsearch` with security on: records what the setup calls."""

    def __init__(self, *, manage_security: bool = True):
        self.calls: list[tuple[str, dict]] = []
        self.manage_security = manage_security
        self.security = self

    def __getattr__(self, name: str):
        answers = {
            "authenticate": {"username": "elastic"},
            "has_privileges": {"has_all_requested": self.manage_security},
            "create_api_key": {"id": "key-id", "name": "k", "api_key": "s", "encoded": "ZW5j"},
        }

        def call(**kwargs):
            self.calls.append((name, kwargs))
            return answers.get(name, {})

        return call


def test_the_setup_puts_the_roles_user_key_and_kibana_password():
    es = Recorder()
    result = setup_security(
        es, "marsad", user="marsad", user_password=GOOD_PASSWORD, api_key="marsad-pipeline",
        kibana_system_password=GOOD_PASSWORD[::-1],
    )  # fmt: skip
    writer, analyst = role_names("marsad")
    calls = {name: kwargs for name, kwargs in es.calls if name != "put_role"}
    roles = {kw["name"]: kw for name, kw in es.calls if name == "put_role"}
    assert roles == {writer: {"name": writer, **writer_role("marsad")},
                     analyst: {"name": analyst, **analyst_role("marsad")}}  # fmt: skip
    assert calls["put_user"]["username"] == "marsad"
    assert calls["put_user"]["roles"] == [writer]  # the writer role only, never superuser
    assert calls["create_api_key"]["role_descriptors"] == {writer: writer_role("marsad")}
    assert calls["change_password"] == {
        "username": KIBANA_SYSTEM_USER, "password": GOOD_PASSWORD[::-1],
    }  # fmt: skip
    assert (result.api_key, result.api_key_id) == ("ZW5j", "key-id")
    assert any(line.endswith("MARSAD_ES_API_KEY=ZW5j") for line in result.lines())


def test_an_admin_without_manage_security_is_told_in_one_line():
    es = Recorder(manage_security=False)
    with pytest.raises(SecurityError, match="lacks the manage_security") as info:
        setup_security(es, "marsad")
    assert "\n" not in str(info.value)
    assert [name for name, _ in es.calls] == ["authenticate", "has_privileges"]


@pytest.mark.parametrize(
    ("password", "reason"),
    [(None, "no password"), ("change-me-marsad", "sample value"), ("short-pw", "shorter")],
)
def test_weak_passwords_are_refused_before_any_call(password, reason):
    es = Recorder()
    with pytest.raises(SecurityError, match=reason):
        setup_security(es, "marsad", user="marsad", user_password=password)
    assert es.calls == []
    assert check_password("x", GOOD_PASSWORD) == GOOD_PASSWORD


def test_the_embedded_node_reports_security_is_not_enabled(es, settings):
    if not settings.embedded:
        pytest.skip("MARSAD_ES_URL points at an external cluster")
    with pytest.raises(SecurityError) as info:
        setup_security(es, settings.index_prefix, api_key="never-created")
    message = str(info.value)
    assert message.startswith(NOT_ENABLED) and "\n" not in message


def test_the_command_says_so_in_one_line_without_a_traceback(es, settings):
    if not settings.embedded:
        pytest.skip("MARSAD_ES_URL points at an external cluster")
    env = {**os.environ, "MARSAD_ES_URL": EmbeddedNode(settings).url,
           "ES_USER_PASSWORD": GOOD_PASSWORD}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "marsad.elastic.security", "--user", "marsad", "--api-key", "k"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"marsad: {NOT_ENABLED}"), result.stderr
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_configure_on_the_embedded_settings_refuses_without_connecting(tmp_path):
    settings = Settings(state_dir=tmp_path, es_url=None)
    with pytest.raises(SecurityError, match=NOT_ENABLED):
        configure(settings, user="marsad", environ={"ES_USER_PASSWORD": GOOD_PASSWORD})


def test_show_prints_the_role_bodies_without_connecting():
    env = {**os.environ, "MARSAD_ES_URL": "http://127.0.0.1:9", "MARSAD_INDEX_PREFIX": "demo"}
    result = subprocess.run([sys.executable, "-m", "marsad.elastic.security", "--show"],
                            env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == role_bodies("demo")
