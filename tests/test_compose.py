"""docker-compose.yml checked as data, since no Docker engine runs here.

The file is interpolated with .env.example the way `docker compose` does it, parsed, and every
cross-reference is followed: variables, volumes, health checks behind `depends_on`, the marsad
commands and settings the services use, the Dockerfile's inputs.
"""

from __future__ import annotations

import re
import tomllib

import pytest
import typer
import yaml

from marsad.cli import app
from marsad.config import Settings
from marsad.sources import load_sources

from .conftest import ROOT

COMPOSE = ROOT / "docker-compose.yml"
VAR = re.compile(r"(?<!\$)\$\{(\w+)(?:(:?[-?])([^}]*))?\}")
ONE_SHOT = {"kibana-password", "kibana-setup"}
MARSAD = {"kibana-setup", "marsad-serve", "marsad-watch"}


def env_example() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines()
             if line.strip() and not line.startswith("#"))  # fmt: skip
    return {key.strip(): value.strip() for key, value in pairs}


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}`, `${VAR:?error}`; `$$` stays a literal `$`."""

    def value(match: re.Match) -> str:
        name, op, arg = match.groups()
        if env.get(name):
            return env[name]
        if op and op.endswith("?"):
            raise ValueError(f"{name}: {arg}")
        return arg if op else ""

    return VAR.sub(value, text).replace("$$", "$")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(interpolate(COMPOSE.read_text(), env_example()))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def test_every_variable_is_in_env_example():
    names = {m.group(1) for m in VAR.finditer(COMPOSE.read_text())}
    assert names <= set(env_example()), names - set(env_example())


def test_passwords_are_required_not_defaulted():
    with pytest.raises(ValueError, match="ELASTIC_PASSWORD"):
        interpolate(COMPOSE.read_text(), env_example() | {"ELASTIC_PASSWORD": ""})
    with pytest.raises(ValueError, match="POSTGRES_PASSWORD"):
        interpolate(COMPOSE.read_text(), env_example() | {"POSTGRES_PASSWORD": ""})


def test_the_full_stack_is_there(services):
    assert {"elasticsearch", "kibana", "postgres", "prefect-server", *MARSAD} <= set(services)
    assert services["elasticsearch"]["image"].startswith("elasticsearch:9.")
    assert services["kibana"]["image"].startswith("kibana:9.")


def test_elasticsearch_runs_with_security_on(services):
    env = dict(item.split("=", 1) for item in services["elasticsearch"]["environment"])
    assert env["xpack.security.enabled"] == "true"
    assert env["ELASTIC_PASSWORD"] == env_example()["ELASTIC_PASSWORD"]
    marsad = services["marsad-serve"]["environment"]
    assert marsad["MARSAD_ES_URL"] == "http://elasticsearch:9200"
    assert (marsad["MARSAD_ES_USERNAME"], marsad["MARSAD_ES_PASSWORD"]) == (
        "elastic", env["ELASTIC_PASSWORD"],
    )  # fmt: skip


def test_prefect_server_is_backed_by_postgres(services):
    url = services["prefect-server"]["environment"]["PREFECT_SERVER_DATABASE_CONNECTION_URL"]
    password = services["postgres"]["environment"]["POSTGRES_PASSWORD"]
    assert url == f"postgresql+asyncpg://prefect:{password}@postgres:5432/prefect"
    assert services["prefect-server"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in MARSAD:
        assert services[name]["environment"]["PREFECT_API_URL"] == "http://prefect-server:4200/api"


def test_long_running_services_have_health_checks(services):
    for name, service in services.items():
        if name in ONE_SHOT:
            assert service["restart"] == "no", name
        else:
            assert service["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL"), name
            assert service["restart"] == "unless-stopped", name


def test_depends_on_waits_for_something_that_can_report_it(services):
    for name, service in services.items():
        for target, rule in service.get("depends_on", {}).items():
            assert target in services, f"{name} depends on unknown {target}"
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[target], f"{name} → {target}"
            else:
                assert rule["condition"] == "service_completed_successfully"
                assert target in ONE_SHOT, f"{name} → {target}"


def test_named_volumes_are_declared_and_used(compose, services):
    used = set()
    for service in services.values():
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if not source.startswith((".", "/")):
                used.add(source)
            else:
                assert (ROOT / source).exists(), source
    assert used == set(compose["volumes"])


def test_the_inbox_is_shared_by_the_watcher_and_the_flows(services):
    for name in ("marsad-serve", "marsad-watch"):
        service = services[name]
        assert "inbox:/inbox" in service["volumes"], name
        assert service["environment"]["MARSAD_INBOX_DIR"] == "/inbox"


def test_ports_are_bound_to_localhost(services):
    for name, service in services.items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), f"{name}: {port}"


def _click_command(words: list[str]):
    command = typer.main.get_command(app)
    for word in words:
        if word.startswith("-"):
            break
        command = command.commands[word]
    return command


def test_marsad_services_run_real_commands_and_settings(services):
    fields = set(Settings.model_fields)
    for name in MARSAD:
        service = services[name]
        assert service["build"] == "." and service["image"] == "marsad:local"
        words = service["command"]
        assert words[0] == "marsad"
        command = _click_command(words[1:])
        options = {opt for param in command.params for opt in param.opts}
        assert {w for w in words if w.startswith("--")} <= options, name
        for key in service["environment"]:
            if key.startswith("MARSAD_") and key != "MARSAD_CONFIG":
                assert key.removeprefix("MARSAD_").lower() in fields, f"{name}: {key}"


def test_the_mounted_settings_schedule_every_source_group(services):
    mount = next(v for v in services["marsad-serve"]["volumes"] if "/etc/marsad" in v)
    config = tomllib.loads((ROOT / mount.split(":")[0]).read_text())
    settings = Settings(**config)
    groups = {source.group for source in load_sources().values()}
    assert groups <= set(settings.schedules)


def test_the_dockerfile_copies_what_exists():
    dockerfile = (ROOT / "Dockerfile").read_text()
    sources = re.findall(r"^COPY (.+) \S+$", dockerfile, flags=re.M)
    for line in sources:
        for source in line.split():
            assert (ROOT / source).exists(), source
    assert "--override constraints/light-camel.txt" in dockerfile
