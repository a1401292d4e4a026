"""Least privilege on a secured cluster: marsad's own roles, user and API key.

marsad never needs the `elastic` superuser to run. An administrator runs this once (and again
after changing the index prefix); it creates through the security API:

- role `<prefix>_writer`, for the pipeline (`marsad ingest|fetch|retag|serve|watch|search`):
  create, write, read and manage (alias, refresh) the indices `<prefix>-articles*` only, plus
  the cluster privileges `manage_index_templates` (to put the `<prefix>-articles` template) and
  `monitor` (cluster health). Nothing else: no other index, no security, no `all`.
- role `<prefix>_analyst`, for the people who log into Kibana: read the `<prefix>-articles*`
  indices, and Kibana's read-only privileges in the default space.
- optionally a native user with the writer role (what docker-compose's marsad services use),
  an API key limited to the writer role (the value for `MARSAD_ES_API_KEY`), and the password of
  the built-in `kibana_system` user, the one the Kibana server itself connects with.

`python -m marsad.elastic.security --help` runs it with the admin credentials of the
`MARSAD_ES_*` settings. The embedded node has no security module; on it this reports one line.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from elasticsearch import ApiError, Elasticsearch, TransportError

from marsad.config import Settings, get_settings

WRITER_INDEX_PRIVILEGES = ("create_index", "index", "read", "write", "view_index_metadata",
                           "manage")  # fmt: skip  # manage: alias changes, refresh, rollover
WRITER_CLUSTER_PRIVILEGES = ("manage_index_templates", "monitor")
ANALYST_INDEX_PRIVILEGES = ("read", "view_index_metadata")
KIBANA_APPLICATION = "kibana-.kibana"  # the default Kibana instance's application name
KIBANA_READ_DEFAULT_SPACE = {"application": KIBANA_APPLICATION, "privileges": ["space_read"],
                             "resources": ["space:default"]}  # fmt: skip
KIBANA_SYSTEM_USER = "kibana_system"
USER_PASSWORD_ENV = "ES_USER_PASSWORD"  # password of --user, when not typed at a prompt
KIBANA_PASSWORD_ENV = "KIBANA_SYSTEM_PASSWORD"  # password for kibana_system (--kibana-system)
MIN_PASSWORD = 12
NOT_ENABLED = "security is not enabled on this cluster"
# What an index name may hold (lowercase, none of \ / * ? " < > | , # : or spaces).
PREFIX = re.compile(r"[a-z0-9][a-z0-9_.+-]*")

T = TypeVar("T")


class SecurityError(RuntimeError):
    """The security setup could not be done; one-line reason."""


def _check_prefix(prefix: str) -> str:
    if not PREFIX.fullmatch(prefix) or prefix in {".", ".."}:
        raise SecurityError(f"index prefix {prefix!r} is not a plain index name prefix")
    return prefix


def articles_pattern(prefix: str) -> str:
    """The only index pattern marsad's roles name: the alias and its versioned indices."""
    return f"{_check_prefix(prefix)}-articles*"


def role_names(prefix: str) -> tuple[str, str]:
    """(writer, analyst) role names for one index prefix."""
    return f"{_check_prefix(prefix)}_writer", f"{prefix}_analyst"


def writer_role(prefix: str) -> dict[str, Any]:
    """The pipeline's role: its articles indices and template, nothing else."""
    return {
        "cluster": list(WRITER_CLUSTER_PRIVILEGES),
        "indices": [
            {"names": [articles_pattern(prefix)], "privileges": list(WRITER_INDEX_PRIVILEGES)}
        ],
        "metadata": {"managed_by": "marsad", "index_prefix": prefix, "purpose": "pipeline"},
    }


def analyst_role(prefix: str) -> dict[str, Any]:
    """Kibana users' role: read the articles indices, Kibana read-only in the default space."""
    return {
        "cluster": [],
        "indices": [
            {"names": [articles_pattern(prefix)], "privileges": list(ANALYST_INDEX_PRIVILEGES)}
        ],
        "applications": [dict(KIBANA_READ_DEFAULT_SPACE)],
        "metadata": {"managed_by": "marsad", "index_prefix": prefix, "purpose": "analysts"},
    }


@dataclass
class SecuritySetup:
    """What was created or updated; `api_key` is the value for MARSAD_ES_API_KEY."""

    prefix: str
    roles: list[str] = field(default_factory=list)
    user: str | None = None
    api_key: str | None = None
    api_key_id: str | None = None
    kibana_system: bool = False

    def lines(self) -> list[str]:
        writer, analyst = role_names(self.prefix)
        pattern = articles_pattern(self.prefix)
        out = [
            f"role {writer}: write, read and manage {pattern}; index templates; cluster monitor",
            f"role {analyst}: read {pattern}; Kibana read-only in the default space",
        ]
        if self.user:
            out.append(f"user {self.user}: role {writer} (MARSAD_ES_USERNAME/MARSAD_ES_PASSWORD)")
        if self.api_key:
            out.append(f"API key {self.api_key_id} (role {writer}): "
                       f"MARSAD_ES_API_KEY={self.api_key}")  # fmt: skip
        if self.kibana_system:
            out.append(f"user {KIBANA_SYSTEM_USER}: password set (Kibana's own connection)")
        return out


def _one_line(text: str, limit: int = 300) -> str:
    return " ".join(text.split())[:limit]


def _api_reason(exc: ApiError) -> str:
    body = exc.body if isinstance(exc.body, dict | str) else None
    text = _one_line(f"{exc.message} {json.dumps(body) if isinstance(body, dict) else body or ''}")
    lowered = text.lower()
    if "no handler found" in lowered and "_security" in lowered:  # no security module at all
        return f"{NOT_ENABLED} (it has no security API; the embedded node never has one)"
    if "security must be explicitly enabled" in lowered or "security is not enabled" in lowered:
        return f"{NOT_ENABLED} (set xpack.security.enabled: true on the cluster)"
    if exc.meta.status == 401:
        return ("Elasticsearch refused the credentials (401): set MARSAD_ES_USERNAME and "
                "MARSAD_ES_PASSWORD to an administrator such as elastic")  # fmt: skip
    if exc.meta.status == 403:
        return f"not permitted (403): {text}"
    return f"Elasticsearch answered {exc.meta.status}: {text}"


def _call(what: str, fn: Callable[[], T]) -> T:
    """One security API call; any failure becomes a one-line SecurityError."""
    try:
        return fn()
    except (ApiError, TransportError) as exc:
        raise SecurityError(f"{what}: {_reason(exc)}") from None


def _transient(exc: Exception) -> bool:
    if isinstance(exc, ApiError):
        return exc.meta.status in (429, 502, 503, 504)
    return isinstance(exc, TransportError)  # connection refused, timeout


def _reason(exc: Exception) -> str:
    if isinstance(exc, ApiError):
        return _api_reason(exc)
    return f"cannot reach Elasticsearch: {_one_line(str(exc))}"


def _check_admin(es: Elasticsearch, wait: float) -> str:
    """The admin's user name, once the cluster answers and security and privileges are there."""
    deadline = time.monotonic() + wait
    while True:
        try:
            me = es.security.authenticate()
            break
        except (ApiError, TransportError) as exc:
            if _transient(exc) and time.monotonic() < deadline:
                time.sleep(3)
                continue
            reason = _reason(exc)
            if reason.startswith(NOT_ENABLED):
                raise SecurityError(reason) from None
            raise SecurityError(f"checking the credentials: {reason}") from None
    name = me.get("username", "?")
    granted = _call(
        "checking privileges", lambda: es.security.has_privileges(cluster=["manage_security"])
    )
    if not granted.get("has_all_requested"):
        raise SecurityError(
            f"user {name} lacks the manage_security cluster privilege: run this with an "
            "administrator's credentials (e.g. elastic) in MARSAD_ES_USERNAME/MARSAD_ES_PASSWORD"
        )
    return name


def check_password(name: str, password: str | None) -> str:
    """A password fit to set: present, not a sample `change-me…` value, 12+ characters."""
    if not password:
        raise SecurityError(f"no password for {name}")
    if password.startswith("change-me"):
        raise SecurityError(f"the password for {name} is the sample value: choose a real one")
    if len(password) < MIN_PASSWORD:
        raise SecurityError(f"the password for {name} is shorter than {MIN_PASSWORD} characters")
    return password


def setup_security(
    es: Elasticsearch,
    prefix: str,
    *,
    user: str | None = None,
    user_password: str | None = None,
    api_key: str | None = None,
    api_key_expiration: str | None = None,
    kibana_system_password: str | None = None,
    wait: float = 0,
) -> SecuritySetup:
    """Put both roles; then the user, the API key and kibana_system's password when asked.

    `es` must authenticate as a user with `manage_security` (e.g. elastic). `api_key` names a
    new API key limited to the writer role; its encoded value is in the result. `wait` seconds
    are spent retrying while the cluster is still coming up. Idempotent, except that each call
    with `api_key` creates one more key (invalidate old ones in Kibana or with the API).
    """
    if user:
        check_password(user, user_password)
    if kibana_system_password is not None:
        check_password(KIBANA_SYSTEM_USER, kibana_system_password)
    _check_admin(es, wait)
    result = SecuritySetup(prefix)
    for name, body in role_bodies(prefix).items():
        _call(f"creating role {name}", partial(es.security.put_role, name=name, **body))
        result.roles.append(name)
    if user:
        _call(
            f"creating user {user}",
            lambda: es.security.put_user(
                username=user, password=user_password, roles=[role_names(prefix)[0]],
                full_name="marsad pipeline", metadata={"managed_by": "marsad"},
            ),
        )  # fmt: skip
        result.user = user
    if api_key:
        created = _call(
            f"creating API key {api_key}",
            lambda: es.security.create_api_key(
                name=api_key, role_descriptors={role_names(prefix)[0]: writer_role(prefix)},
                expiration=api_key_expiration,
                metadata={"managed_by": "marsad", "index_prefix": prefix},
            ),
        )  # fmt: skip
        result.api_key, result.api_key_id = created["encoded"], created["id"]
    if kibana_system_password is not None:
        _call(
            f"setting the {KIBANA_SYSTEM_USER} password",
            lambda: es.security.change_password(
                username=KIBANA_SYSTEM_USER, password=kibana_system_password
            ),
        )
        result.kibana_system = True
    return result


def _password(env_name: str, who: str, environ: Mapping[str, str]) -> str:
    """From the environment, else typed at a prompt when there is a terminal."""
    value = environ.get(env_name)
    if value:
        return value
    if sys.stdin.isatty():
        return getpass.getpass(f"password for {who}: ")
    raise SecurityError(f"no password for {who}: set {env_name}")


def configure(
    settings: Settings,
    *,
    user: str | None = None,
    api_key: str | None = None,
    api_key_expiration: str | None = None,
    kibana_system: bool = False,
    wait: float = 0,
    environ: Mapping[str, str] = os.environ,
) -> SecuritySetup:
    """`setup_security` on the configured cluster, as its administrator (the MARSAD_ES_* login).

    Passwords come from ES_USER_PASSWORD (for `user`) and KIBANA_SYSTEM_PASSWORD, or a prompt.
    """
    from marsad.elastic.client import connect

    if settings.embedded:
        raise SecurityError(
            f"{NOT_ENABLED}: the embedded node (MARSAD_ES_URL unset) runs without security; "
            "point MARSAD_ES_URL at a secured cluster"
        )
    user_password = _password(USER_PASSWORD_ENV, user, environ) if user else None
    kibana_password = (
        _password(KIBANA_PASSWORD_ENV, KIBANA_SYSTEM_USER, environ) if kibana_system else None
    )
    return setup_security(
        connect(settings, start_embedded=False), settings.index_prefix,
        user=user, user_password=user_password, api_key=api_key,
        api_key_expiration=api_key_expiration, kibana_system_password=kibana_password, wait=wait,
    )  # fmt: skip


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m marsad.elastic.security",
        description="Create marsad's least-privilege roles (<prefix>_writer, <prefix>_analyst) "
        "on a secured cluster, as the administrator given by MARSAD_ES_URL, "
        "MARSAD_ES_USERNAME and MARSAD_ES_PASSWORD.",
    )
    parser.add_argument("--user", metavar="NAME",
                        help=f"create or update this native user with the writer role "
                             f"(password: ${USER_PASSWORD_ENV} or a prompt)")  # fmt: skip
    parser.add_argument("--api-key", metavar="NAME",
                        help="create an API key limited to the writer role; prints the "
                             "MARSAD_ES_API_KEY value")  # fmt: skip
    parser.add_argument("--expiration", metavar="DURATION",
                        help="the API key's lifetime, e.g. 90d (default: none)")  # fmt: skip
    parser.add_argument("--kibana-system", action="store_true",
                        help=f"set the kibana_system user's password (${KIBANA_PASSWORD_ENV} "
                             "or a prompt)")  # fmt: skip
    parser.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                        help="keep retrying while the cluster is starting")  # fmt: skip
    parser.add_argument("--show", action="store_true",
                        help="print both role bodies as JSON and exit (no connection)")  # fmt: skip
    return parser


def role_bodies(prefix: str) -> dict[str, dict[str, Any]]:
    """Both roles by name, as `PUT _security/role/<name>` takes them."""
    writer, analyst = role_names(prefix)
    return {writer: writer_role(prefix), analyst: analyst_role(prefix)}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.show:
            print(json.dumps(role_bodies(get_settings().index_prefix), indent=2))
            return 0
        result = configure(
            get_settings(), user=args.user, api_key=args.api_key,
            api_key_expiration=args.expiration, kibana_system=args.kibana_system, wait=args.wait,
        )  # fmt: skip
    except SecurityError as exc:
        print(f"marsad: {exc}", file=sys.stderr)
        return 1
    for line in result.lines():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
