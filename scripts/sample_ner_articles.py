"""Draw the seeded sample of ANT 2018 articles labelled for entity scoring (ids only).

Eight articles per outlet, from the news categories (not sport), 120-450 words long, drawn with
a fixed seed; the first half of each outlet's draw is the dev split, the second half the test
split (never tuned on). Writes tests/fixtures/ner_ant/sample.jsonl. The texts stay in
../shared/corpora/ant-multisource-2018/ (cite: Chouigui, Ben Khiroun, Elayeb, AJSE 46(8), 2021,
DOI 10.1007/s13369-020-05258-z). Usage:

    .venv/bin/python scripts/sample_ner_articles.py [--per-outlet 8] [--seed 2026]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant-multisource-2018"
OUT = ROOT / "tests" / "fixtures" / "ner_ant" / "sample.jsonl"
CATEGORIES = {"middleEast", "internationalNews", "economy", "technology", "culture"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-outlet", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rows = []
    for path in sorted(CORPUS.glob("*.jsonl.gz")):
        seen, pool = set(), []
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as lines:
            for line in lines:
                record = json.loads(line)
                words = len(record["text"].split())
                fits = record["category"] in CATEGORIES and 120 <= words <= 450
                if fits and record["url"] not in seen:
                    seen.add(record["url"])
                    pool.append(record)
        drawn = rng.sample(pool, args.per_outlet)
        for n, record in enumerate(drawn):
            split = "dev" if n < args.per_outlet // 2 else "test"
            rows.append({"id": record["id"], "file": path.name, "category": record["category"],
                         "url": record["url"], "split": split})  # fmt: skip
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"{len(rows)} articles → {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
