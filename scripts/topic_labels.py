"""Label tool for the topic sample: show the articles to judge, check and merge judgments.

Labellers write one JSON line per judgment to their own file (outside the repository):
    {"topic": "ukraine-war", "corpus": "ant", "id": "...", "relevant": true,
     "note": "one line on why, for every hard call"}
`merge` checks every sampled (topic, corpus, id) is judged once and writes
tests/fixtures/topic_labels/labels.jsonl (ids, judgments and notes; no article text). Usage:

    .venv/bin/python scripts/topic_labels.py show TOPIC [--start 0] [--count 20]
        [--stratum headline]
    .venv/bin/python scripts/topic_labels.py merge FILE...
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpora"
SAMPLE = ROOT / "tests" / "fixtures" / "topic_labels" / "sample.jsonl"
LABELS = ROOT / "tests" / "fixtures" / "topic_labels" / "labels.jsonl"
FOLDER = {"ant": "ant-multisource-2018", "aljazeera": "aljazeera-2024-2025-excerpts"}
SHOWN_CHARS = 2500


@cache
def records(corpus: str, file: str) -> dict[str, dict]:
    with gzip.open(SHARED / FOLDER[corpus] / file, "rt", encoding="utf-8", newline="\n") as fh:
        return {r["id"]: r for r in map(json.loads, fh)}


def sample() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()]


def article(row: dict) -> tuple[str, str]:
    """(title, text) of a sampled article, read from ../shared."""
    record = records(row["corpus"], row["file"])[row["id"]]
    return record["title"], record.get("text") or record.get("description") or ""


def show(topic: str, start: int, count: int, stratum: str | None = None) -> None:
    rows = [r for r in sample() if r["topic"] == topic]
    if stratum:
        rows = [r for r in rows if r.get("stratum") == stratum]
    for n, row in enumerate(rows[start : start + count], start):
        title, text = article(row)
        cut = text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + " […]"
        print(f"=== #{n} corpus={row['corpus']} id={row['id']} date={row['date']}")
        print(f"TITLE: {title}\n{cut}\n")
    print(f"({len(rows)} articles for {topic})", file=sys.stderr)


def merge(files: list[Path]) -> None:
    wanted = {(r["topic"], r["corpus"], r["id"]): r for r in sample()}
    judged: dict[tuple[str, str, str], dict] = {}
    for path in files:
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                j = json.loads(line)
                judged[(j["topic"], j["corpus"], j["id"])] = j
    missing = sorted(set(wanted) - set(judged))
    extra = sorted(set(judged) - set(wanted))
    for k in missing[:20]:
        print(f"not judged: {k}", file=sys.stderr)
    for k in extra[:20]:
        print(f"not in the sample: {k}", file=sys.stderr)
    rows = []
    for k, row in wanted.items():
        if k in judged:
            j = judged[k]
            rows.append({"topic": k[0], "corpus": k[1], "id": k[2], "file": row["file"],
                         "date": row["date"], "split": row["split"],
                         "relevant": bool(j["relevant"]), "note": j.get("note", "")})  # fmt: skip
    LABELS.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"{len(rows)} judgments ({len(missing)} missing) → {LABELS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["show", "merge"])
    parser.add_argument("args", nargs="+")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--stratum", help="only this stratum's rows (e.g. headline)")
    a = parser.parse_args()
    if a.command == "show":
        show(a.args[0], a.start, a.count, a.stratum)
    else:
        merge([Path(p) for p in a.args])


if __name__ == "__main__":
    main()
