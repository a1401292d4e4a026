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


# A second stratum where the first finds few positives: the 2024 race is a small part of the
# Trump and Biden items (most are Gaza policy or 2018 news). Items that name a candidate and
# an election word, drawn after the first stratum (its rows are unchanged).
TARGETED = {
    "us-election-2024": (["ترامب", "ترمب", "بايدن", "هاريس"],
                         ["الانتخابات", "انتخابات", "المرشح", "مرشح", "حملة", "استطلاع",
                          "المناظرة", "مناظرة", "الناخبين", "التصويت", "الجمهوري",
                          "الديمقراطي"]),
    # the 2022- war is covered only by the 2023-25 items: Ukraine words, Al Jazeera only
    "ukraine-war": (["أوكرانيا", "اوكرانيا", "الأوكراني", "الأوكرانية", "كييف", "زيلينسكي"],
                    ["aljazeera"]),
}  # fmt: skip
TARGETED_COUNT = 100
# A fourth stratum, drawn last (earlier rows unchanged): articles whose headline names the
# topic, where its positives are dense. The first three found only 45 kremlin-contacts and
# 15 ukraine-war positives, too few to measure recall on meetings, calls, sanctions or Crimea.
HEADLINE = {
    "kremlin-contacts": ["بوتين", "بوتن", "الكرملين", "لافروف", "بيسكوف", "موسكو"],
    "ukraine-war": ["أوكرانيا", "اوكرانيا", "الأوكراني", "الأوكرانية", "كييف", "القرم",
                    "دونباس", "زيلينسكي", "بوروشينكو"],
}  # fmt: skip
HEADLINE_COUNT = 160
RACE_NAMES = ["ترامب", "ترمب", "بايدن", "هاريس", "فانس", "والز"]
RACE_WORDS = ["الانتخابات", "انتخابات", "المرشح", "مرشح", "حملة", "استطلاع", "المناظرة",
              "مناظرة", "الناخبين", "التصويت", "السباق", "الرئاسية"]  # fmt: skip


def articles() -> list[dict]:
    """Every article of both corpora: corpus, id, title, text, date."""
    from marsad.extractors.normalize import normalize_arabic

    found = []
    for path in sorted((SHARED / "ant-multisource-2018").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as lines:
            for r in map(json.loads, lines):
                found.append({"corpus": "ant", "file": path.name, "id": r["id"],
                              "date": r["published_at"][:10],
                              "key": normalize_arabic(r["title"] + " " + r["text"]),
                              "title": normalize_arabic(r["title"])})  # fmt: skip
    with gzip.open(SHARED / "aljazeera-2024-2025-excerpts" / "items.jsonl.gz", "rt",
                   encoding="utf-8") as lines:  # fmt: skip
        for r in map(json.loads, lines):
            text = f"{r['title']} {r.get('description') or ''}"
            found.append({"corpus": "aljazeera", "file": "items.jsonl.gz", "id": r["id"],
                          "date": (r.get("published_at") or "")[:10],
                          "key": normalize_arabic(text),
                          "title": normalize_arabic(r["title"])})  # fmt: skip
    return found


def row(topic: str, article: dict, n: int, stratum: str) -> dict:
    """A later stratum's sample row: the n-th drawn alternates dev and test."""
    split = "dev" if n % 2 == 0 else "test"
    return {"topic": topic, "corpus": article["corpus"], "file": article["file"],
            "id": article["id"], "date": article["date"], "split": split, "candidate": True,
            "stratum": stratum}  # fmt: skip


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
    taken = {(r["corpus"], r["id"]) for r in rows}
    for topic, (names, words) in TARGETED.items():
        names_k = [normalize_arabic(w) for w in names]
        words_k = [normalize_arabic(w) for w in words]
        pool = [a for a in everything if n_hit(a, names_k)
                and (a["corpus"] in words or n_hit(a, words_k))
                and (a["corpus"], a["id"]) not in taken]  # fmt: skip
        drawn = rng.sample(pool, min(TARGETED_COUNT, len(pool)))
        rows += [row(topic, a, n, "targeted") for n, a in enumerate(drawn)]
        print(f"{topic}: {len(pool)} targeted candidates", file=sys.stderr)
    # the race itself is in only a few 2023-25 items: every one that names a 2024 candidate
    # and the race, up to the vote (all of them, no draw)
    taken = {(r["corpus"], r["id"]) for r in rows}
    race = [normalize_arabic(w) for w in RACE_WORDS]
    names = [normalize_arabic(w) for w in RACE_NAMES]
    for a in everything:
        late = a["corpus"] == "aljazeera" and a["date"][:7] <= "2024-11"
        if late and n_hit(a, names) and n_hit(a, race) and (a["corpus"], a["id"]) not in taken:
            n = sum(r.get("stratum") == "race" for r in rows)
            rows.append(row("us-election-2024", a, n, "race"))
    taken = {(r["corpus"], r["id"]) for r in rows}
    for topic, words in HEADLINE.items():
        keys = [normalize_arabic(w) for w in words]
        pool = [a for a in everything if any(k in a["title"] for k in keys)
                and (a["corpus"], a["id"]) not in taken]  # fmt: skip
        drawn = rng.sample(pool, min(HEADLINE_COUNT, len(pool)))
        rows += [row(topic, a, n, "headline") for n, a in enumerate(drawn)]
        print(f"{topic}: {len(pool)} headline candidates", file=sys.stderr)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"{len(rows)} judgments to make → {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
