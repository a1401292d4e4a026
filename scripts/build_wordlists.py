"""Build extractors/data/ner_wordlists.json.gz: Arabic first names, surnames and word frequency.

    .venv/bin/python scripts/build_wordlists.py NAMES_DATASET_DIR WORDFREQ_DIR

The two folders are the unpacked PyPI wheels of `names-dataset` 3.3.1 (MIT, Philippe Remy) and
`wordfreq` 3.1.1 (Apache-2.0 code; data CC BY-SA 4.0, Robyn Speer), e.g. from
`pip download --no-deps names-dataset==3.3.1 wordfreq==3.1.1` and `unzip`. They are build-time
inputs only: marsad ships the derived lists, not the packages.

- first / last: Arabic-script names ranked in at least one Arab country, keyed by
  normalize_arabic, with their best rank bucket (1: top 1000, 2: top 5000, 3: ranked).
- zipf: every Arabic word with a Zipf frequency of at least MIN_ZIPF, as an integer bucket.
- place: the words of CLDR's Arabic names of countries, regions and time-zone cities (from
  Babel's locale data, Unicode licence): 1 = a whole one-word name, 2 = part of a longer one.
- currency: the first word of CLDR's Arabic currency names (دولار، يورو، درهم).
"""

from __future__ import annotations

import gzip
import json
import pickle
import re
import sys
from pathlib import Path

import msgpack
from babel import localedata

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.normalize import normalize_arabic  # noqa: E402

OUT = ROOT / "extractors" / "data" / "ner_wordlists.json.gz"
ARAB_COUNTRIES = {
    *("AE", "BH", "DJ", "DZ", "EG", "IQ", "JO", "KM", "KW", "LB", "LY"),
    *("MA", "MR", "OM", "PS", "QA", "SA", "SD", "SO", "SY", "TN", "YE"),
}
ARABIC_WORD = re.compile(r"^[\u0621-\u064A]+$")
MIN_ZIPF = 2.0


def rank_bucket(rank: int) -> int:
    return 1 if rank <= 1000 else 2 if rank <= 5000 else 3


def names(path: Path) -> dict[str, int]:
    """Normalised Arabic-script names → best rank bucket in any Arab country."""
    with gzip.open(path, "rb") as fh:
        table = pickle.load(fh)  # the package's own data file, trusted build input
    found: dict[str, int] = {}
    for name, info in table.items():
        ranks = [r for country, r in info.get("rank", {}).items() if country in ARAB_COUNTRIES]
        if ranks and ARABIC_WORD.match(name):
            bucket = rank_bucket(min(ranks))
            norm = normalize_arabic(name)
            found[norm] = min(bucket, found.get(norm, bucket))
    return found


def zipf(path: Path) -> dict[str, int]:
    """Normalised Arabic words → floor of their Zipf frequency (wordfreq's cB buckets)."""
    with gzip.open(path, "rb") as fh:
        buckets = msgpack.load(fh, raw=False)[1:]  # header, then words per centibel
    found: dict[str, int] = {}
    for centibels, words in enumerate(buckets):
        value = 9 - centibels / 100
        if value < MIN_ZIPF:
            break
        for word in words:
            norm = normalize_arabic(word)
            if ARABIC_WORD.match(norm) and norm not in found:
                found[norm] = int(value)
    return found


def places() -> dict[str, int]:
    """Words of Arabic country, region and city names: 1 whole name, 2 part of a longer name."""
    data = localedata.load("ar")
    names = [*data["territories"].values()]
    names += [dict(zone).get("city", "") for zone in data["time_zones"].values()]
    found: dict[str, int] = {}
    for name in names:
        words = [w for w in normalize_arabic(name.split("،")[0]).split() if ARABIC_WORD.match(w)]
        for word in words:
            found[word] = min(found.get(word, 2), 1 if len(words) == 1 else 2)
    return found


def currencies() -> dict[str, int]:
    """First words of Arabic currency names (the word a text uses: دولار, not دولار أمريكي)."""
    names = localedata.load("ar")["currency_names"].values()
    words = (normalize_arabic(name).split()[0] for name in names if name.strip())
    return {w: 1 for w in words if ARABIC_WORD.match(w)}


def main() -> None:
    names_dir, wordfreq_dir = (Path(a) for a in sys.argv[1:3])
    data = {
        "first": names(names_dir / "names_dataset" / "v3" / "first_names.pkl.gz"),
        "last": names(names_dir / "names_dataset" / "v3" / "last_names.pkl.gz"),
        "zipf": zipf(wordfreq_dir / "wordfreq" / "data" / "large_ar.msgpack.gz"),
        "place": places(),
        "currency": currencies(),
    }
    with gzip.open(OUT, "wt", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    print(", ".join(f"{k}: {len(v)}" for k, v in data.items()), f"→ {OUT}")


if __name__ == "__main__":
    main()
