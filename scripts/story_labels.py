"""Label tool for the story pairs: show pairs to judge, check and merge the judgments.

Labellers write one JSON line per pair to their own file (outside the repository):
    {"n": 12, "a": "<id>", "b": "<id>", "near_copy": false, "same_story": true,
     "note": "one line on why, for every hard call"}
`merge` checks every sampled pair is judged once and writes
tests/fixtures/story_pairs/labels.jsonl (ids, judgments and notes; no article text). Usage:

    .venv/bin/python scripts/story_labels.py show [--start 0] [--count 10]
    .venv/bin/python scripts/story_labels.py merge FILE...
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "corpora" / "ant-multisource-2018"
SAMPLE = ROOT / "tests" / "fixtures" / "story_pairs" / "sample.jsonl"
LABELS = ROOT / "tests" / "fixtures" / "story_pairs" / "labels.jsonl"
SHOWN_CHARS = 1800


@cache
def records(file: str) -> dict[str, dict]:
    with gzip.open(ANT / file, "rt", encoding="utf-8", newline="\n") as fh:
        return {r["id"]: r for r in map(json.loads, fh)}


def sample() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()]


def show(start: int, count: int) -> None:
    rows = sample()
    for n, row in enumerate(rows[start : start + count], start):
        print(f"##### PAIR n={n} a={row['a']['id']} b={row['b']['id']}")
        for side in ("a", "b"):
            r = records(row[side]["file"])[row[side]["id"]]
            text = r["text"] if len(r["text"]) <= SHOWN_CHARS else r["text"][:SHOWN_CHARS] + " […]"
            print(f"--- {side.upper()}: {r['source']} {r['published_at']} {r['url']}")
            print(f"TITLE: {r['title']}\n{text}\n")
    print(f"({len(rows)} pairs)", file=sys.stderr)


def merge(files: list[Path]) -> None:
    rows = sample()
    judged: dict[int, dict] = {}
    for path in files:
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                j = json.loads(line)
                judged[int(j["n"])] = j
    out, missing = [], 0
    for n, row in enumerate(rows):
        j = judged.get(n)
        if j is None or (j["a"], j["b"]) != (row["a"]["id"], row["b"]["id"]):
            missing += 1
            print(f"pair {n}: not judged (or ids differ)", file=sys.stderr)
            continue
        near, same = bool(j["near_copy"]), bool(j["same_story"])
        if near and not same:
            print(f"pair {n}: a near-copy is the same story; set same_story", file=sys.stderr)
            same = True
        out.append(row | {"near_copy": near, "same_story": same, "note": j.get("note", "")})
    LABELS.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), "utf-8")
    print(f"{len(out)} judgments ({missing} missing) → {LABELS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["show", "merge"])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, default=10)
    a = parser.parse_args()
    if a.command == "show":
        show(a.start, a.count)
    else:
        merge([Path(p) for p in a.files])


if __name__ == "__main__":
    main()
