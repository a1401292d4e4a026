"""Draw the seeded sample of article pairs judged as near-copies and as the same story (ids only).

Candidates are pairs of ANT 2018 articles (../shared; cite Chouigui, Ben Khiroun, Elayeb,
AJSE 46(8), 2021, DOI 10.1007/s13369-020-05258-z) published within 3 days of each other,
ranked by the cosine of their TF-IDF vectors (title and the first 1,500 characters, words
normalised). The sampler is deliberately not marsad's own method (MinHash shingles, story
terms), so the judged pairs do not favour it. Strata by cosine band, drawn with a fixed seed:
near-identical, high, middle and low (related words, mostly other events: the hard
negatives). Records that repeat one
URL (the corpus lists 1,182 articles under two categories) are one article and never paired.
The split is by the week of the earlier article (even ISO week dev, odd test), so one event's
pairs stay on one side. Writes tests/fixtures/story_pairs/sample.jsonl. Usage:

    .venv/bin/python scripts/sample_story_pairs.py
"""

from __future__ import annotations

import json
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ANT = ROOT.parent / "shared" / "corpora" / "ant-multisource-2018"
OUT = ROOT / "tests" / "fixtures" / "story_pairs" / "sample.jsonl"
WINDOW = timedelta(days=3)
BANDS = [("identical", 0.85, 1.01, 50), ("high", 0.6, 0.85, 90), ("middle", 0.4, 0.6, 110),
         ("low", 0.25, 0.4, 90)]  # fmt: skip
SEED = 2026


def articles() -> list[dict]:
    """One record per URL (the first), with its date and text key."""
    from marsad.evaluation import distinct_records
    from marsad.extractors.normalize import normalize_arabic

    found = [{"file": r["file"], "id": r["id"], "source": r["source"],
              "when": datetime.fromisoformat(r["published_at"]),
              "key": normalize_arabic(r["title"] + "\n" + r["text"][:1500])}
             for r in distinct_records(ANT)]  # fmt: skip
    found.sort(key=lambda a: a["when"])
    return found


def candidate_pairs(found: list[dict]) -> list[tuple[float, int, int]]:
    """(cosine, i, j) for every pair within WINDOW with cosine >= the lowest band's floor."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(min_df=2, max_df=0.3, sublinear_tf=True).fit_transform(
        a["key"] for a in found
    )
    floor = min(b[1] for b in BANDS)
    pairs, start = [], 0
    for i, a in enumerate(found):
        while found[start]["when"] < a["when"] - WINDOW:
            start += 1
        if i == start:
            continue
        sims = (vectors[start:i] @ vectors[i].T).toarray().ravel()
        pairs += [(float(s), start + k, i) for k, s in enumerate(sims) if s >= floor]
        if i % 5000 == 0:
            print(f"{i}/{len(found)} articles, {len(pairs)} candidate pairs", file=sys.stderr)
    return pairs


def main() -> None:
    rng = random.Random(SEED)
    found = articles()
    pairs = candidate_pairs(found)
    rows = []
    for name, low, high, count in BANDS:
        band = [p for p in pairs if low <= p[0] < high]
        print(f"{name}: {len(band)} pairs in [{low}, {high})", file=sys.stderr)
        for cosine, i, j in rng.sample(band, min(count, len(band))):
            a, b = found[i], found[j]
            week = a["when"].isocalendar().week
            rows.append({"a": {"file": a["file"], "id": a["id"]},
                         "b": {"file": b["file"], "id": b["id"]},
                         "stratum": name, "cosine": round(cosine, 3),
                         "split": "dev" if week % 2 == 0 else "test"})  # fmt: skip
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"{len(rows)} pairs to judge → {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
