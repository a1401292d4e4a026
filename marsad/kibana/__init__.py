"""`marsad kibana setup`: import the shipped saved objects through Kibana's saved-objects API.

Every object has a fixed id and the import overwrites, so running it again updates the objects
in place instead of duplicating them. The data view's title is pointed at this installation's
alias (`<prefix>-articles`), so a non-default index prefix still gets working dashboards.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from marsad.config import Settings

SAVED_OBJECTS = Path(__file__).resolve().with_name("saved_objects.ndjson")
IMPORT_PATH = "/api/saved_objects/_import"


class KibanaError(RuntimeError):
    """Kibana refused or could not be reached; the message names the URL and the reason."""


def load_objects(path: Path = SAVED_OBJECTS) -> list[dict]:
    """The saved objects of an NDJSON export (its trailing export summary line left out)."""
    objects = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise KibanaError(f"{path}:{number}: not JSON: {exc.msg}") from exc
        if "exportedCount" not in obj:
            objects.append(obj)
    return objects


def for_alias(objects: list[dict], alias: str) -> list[dict]:
    """Copies of the objects whose data views read `alias`."""
    result = []
    for obj in objects:
        if obj["type"] == "index-pattern":
            obj = obj | {"attributes": obj["attributes"] | {"title": alias}}
        result.append(obj)
    return result


def to_ndjson(objects: list[dict]) -> bytes:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects).encode("utf-8")


def export(
    settings: Settings, path: Path = SAVED_OBJECTS, extra: list[dict] | None = None
) -> bytes:
    """The saved objects as NDJSON, pointed at this installation's alias (for a manual import);
    `extra` adds this installation's own (a saved search per alert)."""
    return to_ndjson(for_alias(load_objects(path) + (extra or []), settings.alias))


def setup(settings: Settings, path: Path = SAVED_OBJECTS, extra: list[dict] | None = None) -> int:
    """Import (create or overwrite) every saved object; the number imported."""
    body = export(settings, path, extra)
    url = settings.kibana_url.rstrip("/") + IMPORT_PATH
    auth = (settings.kibana_username or "", settings.kibana_password or "")
    try:
        response = httpx.post(
            url,
            params={"overwrite": "true"},
            headers={"kbn-xsrf": "marsad"},
            files={"file": (path.name, body, "application/ndjson")},
            auth=auth if settings.kibana_username else None,
            verify=settings.kibana_verify_certs,
            timeout=60,
        )
    except httpx.HTTPError as exc:
        raise KibanaError(f"{url}: cannot reach Kibana: {exc}") from exc
    return _imported(url, response)


def _imported(url: str, response: httpx.Response) -> int:
    try:
        result = response.json()
    except ValueError:
        result = {}
    if response.status_code != 200:
        reason = result.get("message") or response.text[:200] or response.reason_phrase
        raise KibanaError(f"{url}: HTTP {response.status_code}: {' '.join(reason.split())}")
    errors = result.get("errors") or []
    if not result.get("success") or errors:
        problems = ", ".join(f"{e.get('type')}/{e.get('id')}: {e.get('error', {}).get('type')}"
                             for e in errors)  # fmt: skip
        raise KibanaError(f"{url}: import failed: {problems or result}")
    return int(result.get("successCount", 0))
