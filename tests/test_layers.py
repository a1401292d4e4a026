"""The package's layers import only downward, and no group of modules imports itself in a circle.

An article's way reads top to bottom: model and config → pure extractors → edges (files, inbox,
fetching, the index, Kibana) → the pipeline that composes them → analysis → Prefect flows → the
command line. This test reads every module's imports (lazy ones inside functions too) and fails
on an arrow that points up, on a module no layer claims, and on any circle.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import marsad

PACKAGE = Path(marsad.__file__).parent
# Lowest first. A module may import its own layer and the ones below it.
LAYERS: list[tuple[str, ...]] = [
    ("marsad", "marsad.entity_types", "marsad.models", "marsad.config"),
    ("marsad.extractors",),
    ("marsad.files", "marsad.inbox", "marsad.sources", "marsad.fetch", "marsad.elastic",
     "marsad.kibana", "marsad.progress", "marsad.report", "marsad.console", "marsad.spool",
     "marsad.prefect_server"),
    ("marsad.pipeline", "marsad.workers"),
    ("marsad.quality", "marsad.evaluation", "marsad.stories", "marsad.coverage",
     "marsad.alerts"),
    ("marsad.flows",),
    ("marsad.cli", "marsad.__main__"),
]  # fmt: skip
PURE_MAY_IMPORT = ("marsad.extractors", "marsad.models", "marsad.entity_types")
NO_IO_LIBRARIES = ("prefect", "elasticsearch", "httpx", "watchfiles", "typer", "rich", "marsad")
FLOWS_MAY_NOT = ("elasticsearch", "marsad.elastic.client", "marsad.elastic.embedded")


def _modules() -> dict[str, Path]:
    found = {}
    for folder, _dirs, files in os.walk(PACKAGE, followlinks=True):  # extractors/, flows/ links
        for name in files:
            if name.endswith(".py"):
                rel = (Path(folder) / name).relative_to(PACKAGE.parent).with_suffix("")
                parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
                found[".".join(parts)] = Path(folder) / name
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, at any depth of the file (module names, not symbols)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names
                         if f"{node.module}.{a.name}" in MODULES)  # fmt: skip
    return names


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _layer(module: str) -> int | None:
    ranks = [(len(p), rank) for rank, layer in enumerate(LAYERS) for p in layer
             if _within(module, (p,))]  # fmt: skip
    return max(ranks)[1] if ranks else None


def _graph() -> dict[str, set[str]]:
    return {m: {i for i in _imports(p) if i in MODULES and i != m} for m, p in MODULES.items()}


def test_every_module_has_a_layer():
    assert [m for m in MODULES if _layer(m) is None] == []


def test_no_import_runs_up_the_layers():
    upward = [f"{m} (layer {_layer(m)}) → {t} (layer {_layer(t)})"
              for m, targets in _graph().items() for t in sorted(targets)
              if (_layer(t) or 0) > (_layer(m) or 0)]  # fmt: skip
    assert upward == []


def test_extractors_are_pure():
    impure = [f"{m} → {name}" for m, path in MODULES.items() if _within(m, ("marsad.extractors",))
              for name in sorted(_imports(path))
              if _within(name, NO_IO_LIBRARIES) and not _within(name, PURE_MAY_IMPORT)]  # fmt: skip
    assert impure == []


def test_flows_make_no_elasticsearch_calls_of_their_own():
    direct = [f"{m} → {name}" for m, path in MODULES.items() if _within(m, ("marsad.flows",))
              for name in sorted(_imports(path)) if _within(name, FLOWS_MAY_NOT)]  # fmt: skip
    assert direct == []


def test_no_circles():
    graph, circles = _graph(), []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert circles == []


def test_the_checker_sees_an_upward_arrow_and_a_circle(tmp_path):
    """The rules above can fail: a made-up extractor importing the pipeline is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from marsad.pipeline import enrich\nimport marsad.flows.tasks\n", "utf-8")
    imported = _imports(bad)
    assert {"marsad.pipeline", "marsad.flows.tasks"} <= imported
    assert _layer("marsad.pipeline") > _layer("marsad.extractors.article")
    assert _layer("marsad.flows.tasks") > _layer("marsad.pipeline")
