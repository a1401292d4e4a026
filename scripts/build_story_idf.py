"""Build extractors/data/story_idf.json.gz from the ANT 2018 corpus (../shared; cite Chouigui,
Ben Khiroun, Elayeb, AJSE 46(8), 2021, DOI 10.1007/s13369-020-05258-z):

- each word's inverse document frequency over the title and lead that story vectors read
  (words in fewer than 3 articles are left out: a story vector gives them the largest weight);
- the hashes of the word 4-grams found in 10 or more articles (boilerplate and set phrases,
  which near-copy signatures leave out); no text. Usage:

    .venv/bin/python scripts/build_story_idf.py
"""

from __future__ import annotations

import gzip
import json
import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ANT = ROOT.parent / "shared" / "corpora" / "ant-multisource-2018"
OUT = ROOT / "extractors" / "data" / "story_idf.json.gz"
MIN_DF = 3
COMMON_SHINGLE = 10  # articles


def main() -> None:
    from marsad.extractors.stories import LEAD_CHARS, shingle_key, shingles, words

    df: Counter[str] = Counter()
    grams: Counter[str] = Counter()
    seen: set[str] = set()
    for path in sorted(ANT.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as lines:
            for r in map(json.loads, lines):
                if r["url"] in seen:
                    continue
                seen.add(r["url"])
                df.update(set(words(r["title"] + " " + (r.get("text") or "")[:LEAD_CHARS])))
                grams.update(shingles(r["title"] + "\n" + (r.get("text") or ""), common=True))
    n = len(seen)
    idf = {w: round(math.log(n / c), 3) for w, c in sorted(df.items()) if c >= MIN_DF}
    common = sorted(shingle_key(g) for g, c in grams.items() if c >= COMMON_SHINGLE)
    payload = {"source": "ANT multisource 2018 (Chouigui et al., AJSE 46(8), 2021)",
               "articles": n, "min_df": MIN_DF, "idf": idf, "common_shingles": common}  # fmt: skip
    OUT.write_bytes(gzip.compress(json.dumps(payload, ensure_ascii=False).encode(), mtime=0))
    where = OUT.relative_to(ROOT)
    print(f"{len(idf)} words, {len(common)} 4-grams, {n} articles → {where}", file=sys.stderr)


if __name__ == "__main__":
    main()
