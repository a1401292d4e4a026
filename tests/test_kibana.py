"""Kibana saved objects against the index template, and `marsad kibana setup` against a real
HTTP server on 127.0.0.1 that checks the import request the way Kibana's API receives it.

Kibana itself cannot run here; the server below stores what it is sent by (type, id), as
Kibana's import with `overwrite=true` does, so running setup twice must leave the same objects.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys

import pytest
from werkzeug import Request, Response

from marsad.config import Settings
from marsad.elastic.articles import load_template
from marsad.kibana import SAVED_OBJECTS, KibanaError, for_alias, load_objects, setup

KQL_FIELD = re.compile(r"([A-Za-z_][\w.]*)\s*:")


def _builder():
    from marsad.kibana import build

    return build


def template_fields() -> dict[str, str]:
    """Every field path of the template's mapping (sub-fields too) with its type."""
    fields: dict[str, str] = {}

    def walk(properties: dict, prefix: str) -> None:
        for name, spec in properties.items():
            path = prefix + name
            fields[path] = spec.get("type", "object")
            walk(spec.get("properties", {}), path + ".")
            walk(spec.get("fields", {}), path + ".")

    walk(load_template()["template"]["mappings"]["properties"], "")
    return fields


def referenced_fields(obj: dict) -> list[tuple[str, str]]:
    """(field, how it is used) for every field a saved object names."""
    attrs, found = obj["attributes"], []
    if obj["type"] == "index-pattern":
        found.append((attrs["timeFieldName"], "date_histogram"))
    if obj["type"] == "search":
        found += [(c, "column") for c in attrs["columns"]]
        found += [(field, "sort") for field, _ in attrs["sort"]]
        source = json.loads(attrs["kibanaSavedObjectMeta"]["searchSourceJSON"])
        found += [(f, "query") for f in KQL_FIELD.findall(source["query"]["query"])]
    if obj["type"] == "lens":
        state = attrs["state"]
        found += [(f, "query") for f in KQL_FIELD.findall(state["query"]["query"])]
        for layer in state["datasourceStates"]["formBased"]["layers"].values():
            for column in layer["columns"].values():
                if column["sourceField"] != "___records___":
                    found.append((column["sourceField"], column["operationType"]))
    return found


NEEDS = {"terms": {"keyword"}, "date_histogram": {"date"}, "sort": {"date", "keyword"}}


def field_problems(objects: list[dict]) -> list[str]:
    fields, problems = template_fields(), []
    for obj in objects:
        for field, use in referenced_fields(obj):
            if field not in fields:
                problems.append(f"{obj['id']}: {field} is not in the template")
            elif use in NEEDS and fields[field] not in NEEDS[use]:
                problems.append(f"{obj['id']}: {use} on {field} ({fields[field]})")
    return problems


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    return load_objects()


def test_the_shipped_file_is_what_the_builder_writes():
    builder = _builder()
    assert SAVED_OBJECTS.read_text("utf-8") == builder.render(builder.build()), (
        "marsad/kibana/saved_objects.ndjson is stale: run .venv/bin/python -m marsad.kibana.build"
    )


def test_every_field_referenced_exists_in_the_template(objects):
    assert len(referenced_fields(objects[0])) == 1
    assert sum(len(referenced_fields(o)) for o in objects) > 30
    assert field_problems(objects) == []


def test_a_field_missing_from_the_template_is_caught(objects):
    broken = json.loads(json.dumps(objects))
    lens = next(o for o in broken if o["type"] == "lens" and "by-source" in o["id"])
    column = lens["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]["layer"]
    column["columns"]["split"]["sourceField"] = "source_owner"
    search = next(o for o in broken if o["type"] == "search")
    search["attributes"]["columns"].append("title.raw")
    problems = field_problems(broken)
    assert any("source_owner" in p for p in problems)
    assert any("title.raw" in p for p in problems)
    lens["attributes"]["state"]["datasourceStates"]["formBased"]["layers"]["layer"]["columns"][
        "split"
    ]["sourceField"] = "text"
    assert any("terms on text (text)" in p for p in field_problems(broken))


def test_ids_are_unique_and_every_reference_resolves(objects):
    keys = [(o["type"], o["id"]) for o in objects]
    assert len(keys) == len(set(keys))
    for obj in objects:
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in keys, f"{obj['id']} → {ref}"


def test_the_data_view_reads_the_alias_by_event_time(objects):
    """event_at: the publication date, else when the article was first seen (never missing)."""
    (view,) = [o for o in objects if o["type"] == "index-pattern"]
    assert view["attributes"]["title"] == "marsad-articles"
    assert view["attributes"]["timeFieldName"] == "event_at"


def test_one_saved_search_per_topic_plus_the_latest_articles(objects):
    topics = _builder().topics()
    assert {"starlink", "kremlin-contacts", "taiwan"} <= set(topics)
    queries = {}
    for obj in objects:
        if obj["type"] == "search":
            source = json.loads(obj["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
            queries[obj["id"]] = source["query"]["query"]
            assert obj["attributes"]["sort"] == [["event_at", "desc"]]
    assert {f"marsad-topic-{t}": f'topics : "{t}"' for t in topics}.items() <= queries.items()
    assert queries["marsad-latest-articles"] == ""
    assert queries["marsad-near-copies"] == "duplicate_of : *"  # who copied whom


def test_the_dashboard_shows_coverage_entities_and_latest_articles(objects):
    (board,) = [o for o in objects if o["type"] == "dashboard"]
    panels = json.loads(board["attributes"]["panelsJSON"])
    refs = {r["name"]: r for r in board["references"]}
    shown = {refs[f"{p['panelIndex']}:{p['panelRefName']}"]["id"] for p in panels}
    lens = {o["id"]: o for o in objects if o["type"] == "lens"}
    split_by = set()
    for obj_id in shown & set(lens):
        columns = lens[obj_id]["attributes"]["state"]["datasourceStates"]["formBased"]
        split_by |= {c["sourceField"] for c in columns["layers"]["layer"]["columns"].values()}
    assert {"topics", "source_name", "source_affiliation", "event_at"} <= split_by
    assert {"entity_people", "entity_organizations", "entity_places", "entity_misc"} <= split_by
    assert "marsad-latest-articles" in shown
    for panel in panels:
        grid = panel["gridData"]
        assert grid["x"] + grid["w"] <= 48 and grid["i"] == panel["panelIndex"]


def test_for_alias_points_only_the_data_view_at_another_prefix(objects):
    moved = for_alias(objects, "newsroom-articles")
    assert [o["attributes"]["title"] for o in moved if o["type"] == "index-pattern"] == [
        "newsroom-articles"
    ]
    assert [o for o in moved if o["type"] != "index-pattern"] == [
        o for o in objects if o["type"] != "index-pattern"
    ]
    assert objects[0]["attributes"]["title"] == "marsad-articles", "the input is not changed"


class FakeKibanaStore:
    """What a Kibana space holds: saved objects by (type, id)."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], dict] = {}
        self.imports = 0

    def handle(self, request: Request) -> Response:
        problems = _request_problems(request)
        if problems:
            return Response(json.dumps({"statusCode": 400, "message": problems}), 400)
        self.imports += 1
        lines = request.files["file"].read().decode("utf-8").splitlines()
        for obj in map(json.loads, lines):
            self.objects[(obj["type"], obj["id"])] = obj
        body = {"success": True, "successCount": len(lines), "errors": []}
        return Response(json.dumps(body), 200, content_type="application/json")


def _request_problems(request: Request) -> str:
    if request.args.get("overwrite") != "true":
        return "overwrite=true missing"
    if not request.headers.get("kbn-xsrf"):
        return "Request must contain a kbn-xsrf header."
    expected = "Basic " + base64.b64encode(b"elastic:secret").decode()
    if request.headers.get("Authorization") != expected:
        return "bad credentials"
    if "file" not in request.files or not request.files["file"].filename.endswith(".ndjson"):
        return "expected a multipart 'file' with an .ndjson name"
    return ""


@pytest.fixture
def kibana(httpserver):
    store = FakeKibanaStore()
    httpserver.expect_request("/api/saved_objects/_import", method="POST").respond_with_handler(
        store.handle
    )
    return store


def _settings(httpserver, **extra) -> Settings:
    base = {"kibana_url": httpserver.url_for("/"), "kibana_username": "elastic",
            "kibana_password": "secret", "index_prefix": "newsroom"}  # fmt: skip
    return Settings(**(base | extra))


def test_setup_imports_everything_and_is_idempotent(httpserver, kibana, objects):
    settings = _settings(httpserver)
    assert setup(settings) == len(objects)
    first = dict(kibana.objects)
    assert setup(settings) == len(objects)
    assert kibana.imports == 2 and kibana.objects == first and len(first) == len(objects)
    assert first[("index-pattern", "marsad-articles")]["attributes"]["title"] == (
        "newsroom-articles"
    )


def test_setup_names_the_url_and_reason_when_kibana_refuses(httpserver, kibana):
    with pytest.raises(KibanaError, match=r"_import: HTTP 400: bad credentials"):
        setup(_settings(httpserver, kibana_password="wrong"))


def test_setup_reports_objects_kibana_could_not_import(httpserver):
    body = {"success": False, "successCount": 15,
            "errors": [{"type": "lens", "id": "marsad-top-entity-misc",
                        "error": {"type": "missing_references"}}]}  # fmt: skip
    httpserver.expect_request("/api/saved_objects/_import").respond_with_json(body)
    with pytest.raises(KibanaError, match="lens/marsad-top-entity-misc: missing_references"):
        setup(_settings(httpserver))


def test_setup_says_when_kibana_cannot_be_reached():
    settings = Settings(kibana_url="http://127.0.0.1:9", kibana_username=None)
    with pytest.raises(KibanaError, match=r"http://127.0.0.1:9/api/saved_objects/_import: cannot"):
        setup(settings)


def test_the_command_imports_through_the_settings(httpserver, kibana, objects, tmp_path):
    env = os.environ | {"MARSAD_KIBANA_URL": httpserver.url_for("/"),
                        "MARSAD_KIBANA_USERNAME": "elastic", "MARSAD_KIBANA_PASSWORD": "secret",
                        "MARSAD_CONFIG": str(tmp_path / "none.toml")}  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "marsad.cli", "kibana", "setup"], env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"imported {len(objects)} saved objects" in done.stdout
    view = kibana.objects[("index-pattern", "marsad-articles")]
    assert view["attributes"]["title"] == f"{os.environ['MARSAD_INDEX_PREFIX']}-articles"
