"""Writes saved_objects.ndjson beside it: data view, saved searches, Lens charts, dashboard.

Run `.venv/bin/python -m marsad.kibana.build` after changing the topics file or a chart; the
test suite fails while the shipped file and this script disagree, and checks that every field
named here exists in marsad/elastic/articles_template.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from marsad.entity_types import ENTITY_KINDS, LATIN_FACET

OUT = Path(__file__).with_name("saved_objects.ndjson")
DATA_VIEW = "marsad-articles"  # id; `marsad kibana setup` points its title at the alias
ALIAS = "marsad-articles"  # alias of the default index prefix
TIME_FIELD = "event_at"  # the publication date, else when marsad first saw the article
CORE = {"coreMigrationVersion": "8.8.0", "managed": False}
INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"

# Analysts' topics: one saved search each, from the shipped topics file (ids and titles).
TOPICS_FILE = Path(__file__).resolve().parents[1] / "extractors" / "data" / "topics.yaml"
ENTITY_FACETS = {kind.facet: f"{kind.label} — {kind.label_ar}" for kind in ENTITY_KINDS}
COVERAGE = {"topics": "topic", "source_name": "source", "source_affiliation": "affiliation"}
LIST_COLUMNS = ["title", "source_name", "source_affiliation", "topics", "story_id", "url"]
COPY_COLUMNS = ["title", "source", "duplicate_of", "copy_overlap", "story_id", "url"]
TOPIC_COLUMNS = ["title", "source_name", "source_affiliation", "topic_evidence", "url"]
MENTION_COLUMNS = ["title", "source_name", "topic_mentions", "topic_hits.note", "url"]


def topics() -> dict[str, str]:
    entries = yaml.safe_load(TOPICS_FILE.read_text("utf-8"))["topics"]
    return {t["id"]: t.get("title") or t["id"] for t in entries}


def data_view() -> dict:
    attributes = {"title": ALIAS, "name": "marsad articles", "timeFieldName": TIME_FIELD}
    return {
        "id": DATA_VIEW,
        "type": "index-pattern",
        "typeMigrationVersion": "8.0.0",
        "attributes": attributes,
        "references": [],
        **CORE,
    }


def saved_search(obj_id: str, title: str, kql: str, columns: list[str] = LIST_COLUMNS) -> dict:
    source = {"query": {"query": kql, "language": "kuery"}, "filter": [], "indexRefName": INDEX_REF}
    attributes = {
        "title": title,
        "description": f"Articles matching {kql}" if kql else "Newest articles first",
        "columns": columns,
        "sort": [[TIME_FIELD, "desc"]],
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(source, ensure_ascii=False)},
    }
    ref = {"name": INDEX_REF, "type": "index-pattern", "id": DATA_VIEW}
    return {
        "id": obj_id,
        "type": "search",
        "typeMigrationVersion": "8.0.0",
        "attributes": attributes,
        "references": [ref],
        **CORE,
    }


def _count() -> dict:
    return {
        "label": "Articles",
        "dataType": "number",
        "operationType": "count",
        "sourceField": "___records___",
        "isBucketed": False,
        "scale": "ratio",
        "params": {"emptyAsNull": True},
    }


def _dates() -> dict:
    return {
        "label": "Published",
        "dataType": "date",
        "operationType": "date_histogram",
        "sourceField": TIME_FIELD,
        "isBucketed": True,
        "scale": "interval",
        "params": {"interval": "auto", "includeEmptyRows": True, "dropPartials": False},
    }


def _terms(field: str, size: int, label: str) -> dict:
    return {
        "label": label,
        "dataType": "string",
        "operationType": "terms",
        "sourceField": field,
        "isBucketed": True,
        "scale": "ordinal",
        "params": {
            "size": size,
            "orderBy": {"type": "column", "columnId": "count"},
            "orderDirection": "desc",
            "otherBucket": True,
            "missingBucket": False,
        },
    }


def lens(obj_id: str, title: str, kind: str, columns: dict, visualization: dict) -> dict:
    layer = {"columns": columns, "columnOrder": list(columns), "incompleteColumns": {}}
    state = {
        "datasourceStates": {"formBased": {"layers": {"layer": layer}}},
        "visualization": visualization,
        "query": {"query": "", "language": "kuery"},
        "filters": [],
        "internalReferences": [],
        "adHocDataViews": {},
    }
    ref = {"type": "index-pattern", "id": DATA_VIEW, "name": "indexpattern-datasource-layer-layer"}
    return {
        "id": obj_id,
        "type": "lens",
        "typeMigrationVersion": "8.9.0",
        "attributes": {
            "title": title,
            "description": "",
            "visualizationType": kind,
            "state": state,
        },
        "references": [ref],
        **CORE,
    }


def _xy(series: str, split: bool) -> dict:
    layer = {
        "layerId": "layer",
        "layerType": "data",
        "seriesType": series,
        "accessors": ["count"],
        "xAccessor": "x",
    } | ({"splitAccessor": "split"} if split else {})
    return {
        "preferredSeriesType": series,
        "layers": [layer],
        "legend": {"isVisible": split, "position": "right"},
        "valueLabels": "hide",
    }


def coverage(field: str, label: str) -> dict:
    columns = {"x": _dates(), "split": _terms(field, 10, label.capitalize()), "count": _count()}
    title = f"Coverage over time by {label}"
    return lens(f"marsad-coverage-by-{label}", title, "lnsXY", columns, _xy("bar_stacked", True))


def top_entities(field: str, label: str) -> dict:
    columns = {"x": _terms(field, 15, label.split(" — ")[0].capitalize()), "count": _count()}
    obj_id = f"marsad-top-{field.replace('_', '-')}"
    vis = _xy("bar_horizontal", False)
    return lens(obj_id, f"Top {label}", "lnsXY", columns, vis)


def article_count() -> dict:
    vis = {"layerId": "layer", "layerType": "data", "metricAccessor": "count"}
    return lens("marsad-article-count", "Articles", "lnsMetric", {"count": _count()}, vis)


# (object, x, y, w, h) on Kibana's 48-column grid
def layout(charts: list[dict], latest: dict) -> list[tuple[dict, int, int, int, int]]:
    count, by_topic, by_source, by_affiliation, *entities = charts
    panels = [
        (count, 0, 0, 8, 8),
        (by_topic, 8, 0, 40, 12),
        (by_source, 0, 12, 24, 12),
        (by_affiliation, 24, 12, 24, 12),
    ]
    per_type, identities = entities[: len(ENTITY_FACETS)], entities[len(ENTITY_FACETS) :]
    panels += [(obj, 12 * i, 24, 12, 14) for i, obj in enumerate(per_type)]
    panels += [(obj, 0, 38 + 14 * i, 48, 14) for i, obj in enumerate(identities)]
    return [*panels, (latest, 0, 38 + 14 * len(identities), 48, 18)]


def dashboard(panels: list[tuple[dict, int, int, int, int]]) -> dict:
    entries, refs = [], []
    for n, (obj, x, y, w, h) in enumerate(panels, 1):
        index = f"p{n}"
        entries.append(
            {
                "type": obj["type"],
                "panelIndex": index,
                "panelRefName": f"panel_{index}",
                "gridData": {"x": x, "y": y, "w": w, "h": h, "i": index},
                "embeddableConfig": {},
            }
        )
        refs.append({"name": f"{index}:panel_{index}", "type": obj["type"], "id": obj["id"]})
    search_source = {"query": {"query": "", "language": "kuery"}, "filter": []}
    attributes = {
        "title": "marsad — مرصد: Arabic news coverage",
        "description": "Coverage over time by topic, source and affiliation; top entities; "
        "the latest articles.",
        "panelsJSON": json.dumps(entries),
        "optionsJSON": json.dumps(
            {"useMargins": True, "syncColors": True, "hidePanelTitles": False}
        ),
        "timeRestore": True,
        "timeFrom": "now-7d",
        "timeTo": "now",
        "refreshInterval": {"pause": False, "value": 300000},
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(search_source)},
    }
    return {
        "id": "marsad-overview",
        "type": "dashboard",
        "typeMigrationVersion": "8.9.0",
        "attributes": attributes,
        "references": refs,
        **CORE,
    }


def build() -> list[dict]:
    # a topic's list shows why each article is tagged: its score and evidence sentences;
    # the mentions (its words, below the threshold) are a search of their own
    searches = [
        saved_search(f"marsad-topic-{t}", f"Topic: {title}", f'topics : "{t}"', TOPIC_COLUMNS)
        for t, title in topics().items()
    ]
    searches += [
        saved_search(
            f"marsad-topic-mentions-{t}",
            f"Mentions: {title}",
            f'topic_mentions : "{t}"',
            MENTION_COLUMNS,
        )
        for t, title in topics().items()
    ]
    # who copied whom: every near-copy with the earliest article it repeats (filter a story_id
    # to follow one story across outlets)
    searches.append(saved_search("marsad-near-copies", "Near-copies — نسخ متطابقة",
                                 "duplicate_of : *", COPY_COLUMNS))  # fmt: skip
    latest = saved_search("marsad-latest-articles", "Latest articles — آخر المقالات", "")
    charts = [article_count(), *(coverage(f, label) for f, label in COVERAGE.items())]
    charts += [top_entities(f, label) for f, label in ENTITY_FACETS.items()]
    # one bar per entity across spellings and scripts (entity_ids behind it)
    charts.append(top_entities(LATIN_FACET, "entities (Latin names) — الكيانات"))
    return [data_view(), *searches, latest, *charts, dashboard(layout(charts, latest))]


def render(objects: list[dict]) -> str:
    return "".join(json.dumps(o, ensure_ascii=False, sort_keys=True) + "\n" for o in objects)


if __name__ == "__main__":
    OUT.write_text(render(build()), "utf-8")
    print(f"wrote {OUT} ({len(build())} objects)")
