"""Draw the seeded sample of real articles judged for topic relevance (ids only).

For each topic, `--candidates` articles that contain one of its search words (in the title or
text: likely positives and the hard negatives that share their words) and `--random` articles
that contain none, drawn with a fixed seed from the ANT 2018 corpus and the Al Jazeera 2023-25
excerpts (both read from ../shared; cite ANT as Chouigui, Ben Khiroun, Elayeb, AJSE 46(8),
2021, DOI 10.1007/s13369-020-05258-z). The search words only find candidates; they are not the
tagger's rules. Each topic's draw alternates dev and test. Writes
tests/fixtures/topic_labels/sample.jsonl. Usage:

    .venv/bin/python scripts/sample_topic_articles.py [--candidates 160] [--random 40]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "corpora"
OUT = ROOT / "tests" / "fixtures" / "topic_labels" / "sample.jsonl"
SEARCH = {
    "starlink": ["ستارلينك", "ستار لينك", "سبيس إكس", "سبيس اكس", "سبيس أكس", "إيلون ماسك",
                 "ايلون ماسك", "الإنترنت الفضائي", "الانترنت الفضائي", "إنترنت فضائي"],
    "kremlin-contacts": ["بوتين", "بوتن", "الكرملين", "لافروف", "بيسكوف"],
    "us-election-2024": ["ترامب", "ترمب", "بايدن", "هاريس", "الانتخابات الأمريكية",
                         "الانتخابات الأميركية", "الانتخابات الرئاسية الأمريكية",
                         "الانتخابات الرئاسية الأميركية"],
    "ukraine-war": ["أوكرانيا", "اوكرانيا", "الأوكراني", "الأوكرانية", "كييف", "القرم",
                    "دونباس", "زيلينسكي"],
    "taiwan": ["تايوان", "تايبيه"],
}  # fmt: skip


def articles() -> list[dict]:
    """Every article of both corpora: corpus, id, title, text, date."""
    from marsad.extractors.normalize import normalize_arabic

    found = []
    for path in sorted((SHARED / "ant-multisource-2018").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as lines:
            for r in map(json.loads, lines):
                found.append({"corpus": "ant", "file": path.name, "id": r["id"],
                              "date": r["published_at"][:10],
                              "key": normalize_arabic(r["title"] + " " + r["text"])})  # fmt: skip
    with gzip.open(SHARED / "aljazeera-2024-2025-excerpts" / "items.jsonl.gz", "rt",
                   encoding="utf-8") as lines:  # fmt: skip
        for r in map(json.loads, lines):
            text = f"{r['title']} {r.get('description') or ''}"
            found.append({"corpus": "aljazeera", "file": "items.jsonl.gz", "id": r["id"],
                          "date": (r.get("published_at") or "")[:10],
                          "key": normalize_arabic(text)})  # fmt: skip
    return found


def n_hit(article: dict, keys: list[str]) -> bool:
    return any(k in article["key"] for k in keys)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=160)
    parser.add_argument("--random", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    from marsad.extractors.normalize import normalize_arabic

    rng = random.Random(args.seed)
    everything = articles()
    rows = []
    for topic, words in SEARCH.items():
        keys = [normalize_arabic(w) for w in words]
        hit = [any(k in a["key"] for k in keys) for a in everything]
        hits = [a for a, h in zip(everything, hit, strict=True) if h]
        misses = [a for a, h in zip(everything, hit, strict=True) if not h]
        drawn = rng.sample(hits, min(args.candidates, len(hits)))
        drawn += rng.sample(misses, args.random)
        rng.shuffle(drawn)
        for n, a in enumerate(drawn):
            rows.append({"topic": topic, "corpus": a["corpus"], "file": a["file"], "id": a["id"],
                         "date": a["date"], "split": "dev" if n % 2 == 0 else "test",
                         "candidate": n_hit(a, keys)})  # fmt: skip
        print(f"{topic}: {len(hits)} candidates in the corpora, {len(drawn)} drawn",
              file=sys.stderr)  # fmt: skip
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"{len(rows)} judgments to make → {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
