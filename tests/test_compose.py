"""docker-compose.yml checked as data, since no Docker engine runs here.

The file is interpolated with .env.example the way `docker compose` does it, parsed, and every
cross-reference is followed: variables, volumes, health checks behind `depends_on`, the marsad
commands and settings the services use, the Dockerfile's inputs.
"""

from __future__ import annotations

import re
import subprocess
import tomllib

import pytest
import typer
import yaml

from marsad.cli import app
from marsad.config import Settings
from marsad.elastic import security
from marsad.sources import load_sources

from .conftest import ROOT

COMPOSE = ROOT / "docker-compose.yml"
VAR = re.compile(r"(?<!\$)\$\{(\w+)(?:(:?[-?])([^}]*))?\}")
ONE_SHOT = {"check-secrets", "security-setup", "kibana-setup"}
MARSAD = {"kibana-setup", "marsad-serve", "marsad-watch"}  # run a `marsad` command
RUNNING = {"marsad-serve", "marsad-watch"}  # long-running marsad services
CHECK = "check-secrets"
SECRETS = {"ELASTIC_PASSWORD", "MARSAD_PASSWORD", "KIBANA_PASSWORD", "KIBANA_ENCRYPTION_KEY",
           "POSTGRES_PASSWORD"}  # fmt: skip
REAL = {  # what a careful operator puts in .env
    "ELASTIC_PASSWORD": "Zq3vLr8-tW2nKp5x",
    "MARSAD_PASSWORD": "m4Rs-ad7Hq2LxV9e",
    "KIBANA_PASSWORD": "k1B-anaU8sQ3pZr6",
    "KIBANA_ENCRYPTION_KEY": "0f6c1e8a9b2d4c7e5f3a1b9d8c6e4f2a7b5c3d1e",
    "POSTGRES_PASSWORD": "pG7-stYw4Ne2Qk9u",
}


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
    for name in SECRETS:
        with pytest.raises(ValueError, match=name):
            interpolate(COMPOSE.read_text(), env_example() | {name: ""})


def test_the_full_stack_is_there(services):
    assert {"elasticsearch", "kibana", "postgres", "prefect-server", *MARSAD} <= set(services)
    assert services["elasticsearch"]["image"].startswith("elasticsearch:9.")
    assert services["kibana"]["image"].startswith("kibana:9.")


def test_elasticsearch_runs_with_security_on(services):
    env = dict(item.split("=", 1) for item in services["elasticsearch"]["environment"])
    assert env["xpack.security.enabled"] == "true"
    assert env["ELASTIC_PASSWORD"] == env_example()["ELASTIC_PASSWORD"]
    for name in MARSAD:
        assert services[name]["environment"]["MARSAD_ES_URL"] == "http://elasticsearch:9200"


def test_marsad_services_log_in_as_the_limited_user_never_the_superuser(services):
    setup = services["security-setup"]
    words = setup["command"]
    user = words[words.index("--user") + 1]
    superuser = env_example()["ELASTIC_PASSWORD"]
    for name in RUNNING:
        env = services[name]["environment"]
        assert (env["MARSAD_ES_USERNAME"], env["MARSAD_ES_PASSWORD"]) == (
            user, env_example()["MARSAD_PASSWORD"],
        ), name  # fmt: skip
        assert superuser not in str(services[name]), name
        assert services[name]["depends_on"]["security-setup"]["condition"] == (
            "service_completed_successfully"
        )


def test_security_setup_creates_that_user_and_kibanas_password(services):
    setup = services["security-setup"]
    assert setup["image"] == "marsad:local"
    words = setup["command"]
    assert words[:3] == ["python", "-m", "marsad.elastic.security"]
    options = {opt for action in security.parser()._actions for opt in action.option_strings}
    assert {w for w in words if w.startswith("--")} <= options
    assert "--kibana-system" in words
    env = setup["environment"]
    # it acts as the superuser, and sets the passwords the other services log in with
    assert (env["MARSAD_ES_USERNAME"], env["MARSAD_ES_PASSWORD"]) == (
        "elastic", env_example()["ELASTIC_PASSWORD"],
    )  # fmt: skip
    marsad = services["marsad-serve"]["environment"]
    assert env[security.USER_PASSWORD_ENV] == marsad["MARSAD_ES_PASSWORD"]
    kibana = dict(item.split("=", 1) for item in services["kibana"]["environment"])
    assert kibana["ELASTICSEARCH_USERNAME"] == security.KIBANA_SYSTEM_USER
    assert env[security.KIBANA_PASSWORD_ENV] == kibana["ELASTICSEARCH_PASSWORD"]
    assert services["kibana"]["depends_on"]["security-setup"]["condition"] == (
        "service_completed_successfully"
    )
    for key in env:
        if key.startswith("MARSAD_") and key != "MARSAD_CONFIG":
            assert key.removeprefix("MARSAD_").lower() in Settings.model_fields, key


def test_every_service_waits_for_the_secrets_check(services):
    assert services[CHECK]["restart"] == "no" and "depends_on" not in services[CHECK]
    for name, service in services.items():
        if name != CHECK:
            rule = service.get("depends_on", {}).get(CHECK)
            assert rule == {"condition": "service_completed_successfully"}, name


def test_the_secrets_check_sees_every_secret(services):
    samples = {k for k, v in env_example().items() if v.startswith("change-me")}
    assert samples == SECRETS
    assert set(services[CHECK]["environment"]) == SECRETS
    script = (ROOT / _check_script(services)).read_text()
    listed = re.search(r'^SECRETS="([^"]*)"', script, flags=re.M)
    assert listed and set(listed.group(1).split()) == SECRETS


def _check_script(services) -> str:
    """The host file of the script the check service runs."""
    service = services[CHECK]
    inside = service["entrypoint"][-1]
    host = next(v.split(":")[0] for v in service["volumes"] if v.split(":")[1] == inside)
    assert service["entrypoint"][0] == "sh"
    return host


def _run_check(services, values: dict[str, str]) -> subprocess.CompletedProcess:
    """The check service's own script, run by sh here with its compose-interpolated environment."""
    service = yaml.safe_load(interpolate(COMPOSE.read_text(), values))["services"][CHECK]
    env = {"PATH": "/usr/bin:/bin", **{k: str(v) for k, v in service["environment"].items()}}
    return subprocess.run(["sh", str(ROOT / _check_script(services))], env=env,
                          capture_output=True, text=True, timeout=30)  # fmt: skip


def test_the_secrets_check_refuses_the_sample_env(services):
    result = _run_check(services, env_example())
    assert result.returncode == 1
    for name in SECRETS:
        assert f"{name} still has the sample value" in result.stderr, result.stderr


def test_the_secrets_check_passes_real_looking_secrets(services):
    result = _run_check(services, env_example() | REAL)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"MARSAD_PASSWORD": "change-me-please-1234"}, "MARSAD_PASSWORD still has the sample"),
        ({"POSTGRES_PASSWORD": "short-pw"}, "POSTGRES_PASSWORD is shorter than 12"),
        ({"KIBANA_ENCRYPTION_KEY": "x" * 31}, "KIBANA_ENCRYPTION_KEY is shorter than 32"),
        ({"MARSAD_PASSWORD": REAL["ELASTIC_PASSWORD"]}, "MARSAD_PASSWORD is the same as ELASTIC"),
        ({"KIBANA_PASSWORD": REAL["ELASTIC_PASSWORD"]}, "KIBANA_PASSWORD is the same as ELASTIC"),
    ],
)
def test_the_secrets_check_refuses_one_bad_secret(services, change, reason):
    result = _run_check(services, env_example() | REAL | change)
    assert result.returncode == 1 and reason in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_the_secrets_check_refuses_an_empty_secret(services):
    """Compose itself stops on an empty one (`${VAR:?}`); the script refuses it too."""
    service = services[CHECK]
    env = {"PATH": "/usr/bin:/bin", **REAL, "KIBANA_PASSWORD": ""}
    result = subprocess.run(["sh", str(ROOT / _check_script(services))], env=env,
                            capture_output=True, text=True, timeout=30)  # fmt: skip
    assert result.returncode == 1 and "KIBANA_PASSWORD is empty" in result.stderr
    assert service["environment"]["KIBANA_PASSWORD"] == env_example()["KIBANA_PASSWORD"]


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
