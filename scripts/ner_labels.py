"""Label tool for the ANT entity sample: show an article, check a label file, build offsets.

Labellers write one JSON file per article (kept outside the repository: it quotes the text):
    {"id": "...", "entities": [{"text": "وزارة الدفاع الأوكرانية", "type": "ORG",
                                "skip": [2]}], "notes": ["why a hard call went that way"]}
Each distinct surface form is listed once; every occurrence of it in the article counts, at
word boundaries, with any of the proclitics و ف ب ل ك attached before it; `skip` lists
0-based occurrences that are not this entity (الجزيرة the island). An occurrence inside a
longer labelled entity belongs to the longer one. `build` writes offsets only (no text) to
tests/fixtures/ner_ant/labels.jsonl. Usage:

    .venv/bin/python scripts/ner_labels.py show ID
    .venv/bin/python scripts/ner_labels.py check FILE.json
    .venv/bin/python scripts/ner_labels.py build DIR
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant-multisource-2018"
SAMPLE = ROOT / "tests" / "fixtures" / "ner_ant" / "sample.jsonl"
LABELS = ROOT / "tests" / "fixtures" / "ner_ant" / "labels.jsonl"
TYPES = {"PER", "ORG", "LOC"}
CLITICS = "وفبلك"


@cache
def _texts(file: str) -> dict[str, str]:
    with gzip.open(CORPUS / file, "rt", encoding="utf-8", newline="\n") as lines:
        return {r["id"]: r["text"] for r in map(json.loads, lines)}


def sample() -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, SAMPLE.read_text("utf-8").splitlines())}


def text_of(article_id: str) -> str:
    return _texts(sample()[article_id]["file"])[article_id]


def occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    """Spans of `surface` at word boundaries, proclitics allowed before it."""
    pattern = re.compile(rf"(?<![\w])[{CLITICS}]{{0,2}}({re.escape(surface)})(?![\w])")
    return [m.span(1) for m in pattern.finditer(text)]


def spans(text: str, entities: list[dict]) -> tuple[list[tuple[int, int, str]], list[str]]:
    """Gold spans (longest first wins overlaps) and problems found."""
    problems, found = [], []
    for entity in entities:
        if entity.get("type") not in TYPES:
            problems.append(f"{entity.get('text')}: type {entity.get('type')} not in {TYPES}")
            continue
        places = occurrences(text, entity["text"])
        if not places:
            problems.append(f"{entity['text']}: not found in the text")
        skip = set(entity.get("skip", []))
        found += [(s, e, entity["type"]) for n, (s, e) in enumerate(places) if n not in skip]
    kept: list[tuple[int, int, str]] = []
    for s, e, t in sorted(found, key=lambda x: (x[0] - x[1], x[0])):  # longest first
        if all(e <= ks or s >= ke for ks, ke, _ in kept):
            kept.append((s, e, t))
    return sorted(kept), problems


def main() -> None:
    command, arg = sys.argv[1], sys.argv[2]
    if command == "show":
        for n, paragraph in enumerate(text_of(arg).split("\n")):
            print(f"[{n}] {paragraph}")
    elif command == "check":
        label = json.loads(Path(arg).read_text("utf-8"))
        text = text_of(label["id"])
        for entity in label["entities"]:
            for n, (s, e) in enumerate(occurrences(text, entity["text"])):
                mark = "SKIP" if n in entity.get("skip", []) else entity["type"]
                print(f"{mark:4} #{n} …{text[max(s - 30, 0) : s]}[{text[s:e]}]{text[e : e + 30]}…")
        gold, problems = spans(text, label["entities"])
        print(f"{len(gold)} gold spans; problems: {problems or 'none'}")
    elif command == "build":
        rows = []
        for article_id, meta in sample().items():
            path = Path(arg) / f"{article_id}.json"
            if not path.exists():
                continue
            label = json.loads(path.read_text("utf-8"))
            gold, problems = spans(text_of(article_id), label["entities"])
            for problem in problems:
                print(f"{article_id}: {problem}", file=sys.stderr)
            rows.append({"id": article_id, "split": meta["split"],
                         "entities": [[s, e, t] for s, e, t in gold]})  # fmt: skip
        LABELS.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
        print(f"{len(rows)} articles → {LABELS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
