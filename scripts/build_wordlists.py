"""Build extractors/data/ner_wordlists.json.gz: names, Wikipedia names and word frequency.

    .venv/bin/python scripts/build_wordlists.py NAMES_DATASET_DIR WORDFREQ_DIR ARWIKICATS_DIR \
        NAME_ROMANIZER_DIR

The four folders are the unpacked PyPI wheels of `names-dataset` 3.3.1 (MIT, Philippe Remy),
`wordfreq` 3.1.1 (Apache-2.0 code; data CC BY-SA 4.0, Robyn Speer), `ArWikiCats` 0.2.3 (MIT,
Ibrahim Qasim) and `arabic-name-romanizer` 0.2.0 (MIT, UNICEF; its name index is Wikidata, CC0,
plus the DziriNames benchmark, MIT), e.g. from `pip download --no-deps names-dataset==3.3.1
wordfreq==3.1.1 arwikicats==0.2.3 arabic-name-romanizer==0.2.0` and `unzip`. They are
build-time inputs only: marsad ships the derived lists, not the packages.

- first / last: Arabic-script names ranked in at least one Arab country, keyed by
  normalize_arabic, with their best rank bucket (1: top 1000, 2: top 5000, 3: ranked).
- zipf: every Arabic word with a Zipf frequency of at least MIN_ZIPF, as an integer bucket.
- place: the words of CLDR's Arabic names of countries, regions and time-zone cities (from
  Babel's locale data, Unicode licence): 1 = a whole one-word name, 2 = part of a longer one.
- currency: the first word of CLDR's Arabic currency names (دولار، يورو، درهم).
- wplace / worg / wperson / wevent: the words of ArWikiCats' Arabic Wikipedia names of places,
  clubs and federations, people, and leagues and championships: 1 = a whole one-word name,
  2 = part of a longer one (common words such as مدينة or نادي only as whole names).
- nation: every form of ArWikiCats' nationality adjectives (فرنسي، الفرنسية، فرنسيون).
- given / surname / nameword: the single words of the Arabic labels of people in Wikidata
  (arabic-name-romanizer's name index) by the role they play there (given name, surname, or
  unknown), with a bucket of how many people carry them (1: five or more, 2: two to four,
  3: one). Wikidata's people include Arabic surnames with the article (القرضاوي، البدري) and
  foreign names as Arabic writes them (راوول، ناكامورا), which names-dataset lacks.

The development split chose these files; adding ArWikiCats' other tables (universities and
other organisations, more regions) scored lower there, so they are left out.
"""

from __future__ import annotations

import gzip
import json
import pickle
import re
import sqlite3
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import msgpack
from babel import localedata

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.extractors.normalize import normalize_arabic  # noqa: E402

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
    return name_words(name.split("،")[0] for name in names)


def currencies() -> dict[str, int]:
    """First words of Arabic currency names (the word a text uses: دولار, not دولار أمريكي)."""
    names = localedata.load("ar")["currency_names"].values()
    words = (normalize_arabic(name).split()[0] for name in names if name.strip())
    return {w: 1 for w in words if ARABIC_WORD.match(w)}


def wiki_words(folder: Path, files: list[str], zipf_of: dict[str, int]) -> dict[str, int]:
    """Words of ArWikiCats' Arabic Wikipedia names: 1 a whole one-word name, 2 part of a longer
    one (only if not a common word: "مدينة" or "نادي" say nothing about a name)."""
    tables = (json.loads((folder / "ArWikiCats" / "jsons" / f).read_text("utf-8")) for f in files)
    names = (_PAREN.sub("", value) for table in tables for value in _strings(table))
    return name_words(names, lambda word: zipf_of.get(word, 0) < COMMON_ZIPF)


def name_words(names: Iterable[str], telling=lambda word: True) -> dict[str, int]:
    """Normalised Arabic words of names: 1 = a whole one-word name, 2 = part of a longer one
    (only words `telling` accepts)."""
    found: dict[str, int] = {}
    for name in names:
        words = [w for w in normalize_arabic(name).split() if ARABIC_WORD.match(w)]
        for word in words:
            if len(words) == 1:
                found[word] = 1
            elif telling(word):
                found.setdefault(word, 2)
    return found


ROLES = {"given": "given", "surname": "surname", "unknown": "nameword"}


def name_units(folder: Path) -> dict[str, dict[str, int]]:
    """Single-word names of Wikidata's people by role → a bucket of how many carry them."""
    path = folder / "arabic_name_romanizer" / "resources" / "names.sqlite3"
    people: dict[str, defaultdict[str, int]] = {role: defaultdict(int) for role in ROLES.values()}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        for name, role, count in db.execute("SELECT arabic_key, role, count FROM units"):
            norm = normalize_arabic(name)
            if ARABIC_WORD.match(norm) and role in ROLES:
                people[ROLES[role]][norm] += count
    return {role: {w: _people_bucket(n) for w, n in c.items()} for role, c in people.items()}


def _people_bucket(count: int) -> int:
    return 1 if count >= 5 else 2 if count >= 2 else 3


def nationalities(folder: Path) -> dict[str, int]:
    """Every form of every nationality adjective (فرنسي، الفرنسية، فرنسيون)."""
    path = folder / "ArWikiCats" / "jsons" / "nationalities" / "nationalities_data.json"
    table = json.loads(path.read_text("utf-8"))
    forms = (v for entry in table.values() for k, v in entry.items() if k not in ("en", "ar"))
    return {f: 1 for f in map(normalize_arabic, forms) if ARABIC_WORD.match(f)}


def _strings(table) -> list[str]:
    if isinstance(table, dict):
        return [s for v in table.values() for s in _strings(v)]
    return [table] if isinstance(table, str) else []


_PAREN = re.compile(r"\([^)]*\)")
COMMON_ZIPF = 4
WIKI_PLACES = ["cities/cities_full.json", "geography/popopo.json",
               "geography/P17_2_final_ll.json", "geography/regions.json"]  # fmt: skip
WIKI_ORGS = ["sports/Clubs_key.json", "sports/inter_federations.json"]
WIKI_EVENTS = ["sports/clubs_teams_leagues.json", "sports/inter_federations.json"]
WIKI_PEOPLE = ["people/peoples.json"]


def main() -> None:
    names_dir, wordfreq_dir, wiki_dir, romanizer_dir = (Path(a) for a in sys.argv[1:5])
    zipf_of = zipf(wordfreq_dir / "wordfreq" / "data" / "large_ar.msgpack.gz")
    data = {
        "first": names(names_dir / "names_dataset" / "v3" / "first_names.pkl.gz"),
        "last": names(names_dir / "names_dataset" / "v3" / "last_names.pkl.gz"),
        "zipf": zipf_of,
        "place": places(),
        "currency": currencies(),
        "wplace": wiki_words(wiki_dir, WIKI_PLACES, zipf_of),
        "worg": wiki_words(wiki_dir, WIKI_ORGS, zipf_of),
        "wperson": wiki_words(wiki_dir, WIKI_PEOPLE, zipf_of),
        "wevent": wiki_words(wiki_dir, WIKI_EVENTS, zipf_of),
        "nation": nationalities(wiki_dir),
        **name_units(romanizer_dir),
    }
    with gzip.open(OUT, "wt", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    print(", ".join(f"{k}: {len(v)}" for k, v in data.items()), f"→ {OUT}")


if __name__ == "__main__":
    main()
