"""What outside word lists say about one word: name lists, Wikipedia names, inflections.

ANERcorp's train split names few of the people, clubs and places a new article mentions. These
features carry evidence from outside it (extractors/data/ner_wordlists.json.gz, built by
scripts/build_wordlists.py, sources in extractors/data/NOTICE.md):

- popular first names and surnames, CLDR places and currencies, Arabic Wikipedia's names of
  places, clubs, people and competitions (ArWikiCats), the given names and surnames of
  Wikidata's people: each directly or after proclitics (وبوخارست، والقرضاوي);
- the word classes of Ayaspell's dictionary (noun of a given inflection class, verb,
  particle, stop word) of every clitic reading, or that it has none: names are rarely there;
- how productive the word is in general Arabic (wordfreq): a common noun also appears with the
  article and with suffixes (ات، ون، ها), a verb with the other person prefixes (يذكر، تذكر،
  نذكر); a name rarely does. A poor man's part of speech, with no tagger to run;
- nationality adjectives (الفرنسي، الرومانية), which sit next to names (لاعب الوسط الفرنسي).
"""

from __future__ import annotations

from marsad.extractors.entities.clitics import ARTICLE, core, splits
from marsad.extractors.entities.wordlists import WordLists

CONTEXT_KEPT = (
    *("fn=", "ln=", "cfn=", "cln=", "zf=", "pl=", "cpl="),
    *("wp=", "cwp=", "wo=", "cwo=", "wn=", "cwn=", "we=", "cwe=", "gen", "mprod=", "mvb="),
)
_INFLECTIONS = ("ه", "ات", "ون", "ين", "ها", "هم", "ان", "ي")
_PERSON_PREFIXES = "يتنا"
_NISBA = ("يين", "يون", "يه", "ي")


def wordclass_features(norm: str, lists: WordLists) -> list[str]:
    """All outside evidence about a normalised word."""
    feats = _list_features(norm, lists)
    feats += _dictionary_features(norm, lists.stems)
    feats += _inflection_features(norm, lists.zipf)
    if is_nationality(norm, lists):
        feats.append("gen")
    return feats


def _list_features(norm: str, lists: WordLists) -> list[str]:
    """Rank or part-of-name bucket per list, directly or after proclitics; Zipf bucket."""
    feats = [f"zf={lists.zipf.get(norm, 0)}"]
    tables = (
        *(("fn", lists.first), ("ln", lists.last), ("pl", lists.place), ("cu", lists.currency)),
        *(("wp", lists.wplace), ("wo", lists.worg), ("wn", lists.wperson)),
        ("we", lists.wevent),
        *(("ug", lists.given), ("us", lists.surname), ("uu", lists.nameword)),
    )
    readings = splits(norm)[1:]
    for name, table in tables:
        direct = table.get(norm, 9)
        if direct < 9:
            feats.append(f"{name}={direct}")
        found = min((table.get(rest, 9) for _p, rest in readings), default=9)
        if found < direct:  # "واحمد" is a rare name itself, و + احمد a popular one
            feats.append(f"c{name}={found}")
    return feats


def _dictionary_features(norm: str, stems: dict[str, tuple[str, ...]]) -> list[str]:
    """Ayaspell's tags of the word itself (hs=) and of its clitic readings (chs=)."""
    feats = [
        ("chs=" if prefix else "hs=") + tag
        for prefix, rest in splits(norm)
        for tag in stems.get(rest, ())
    ]
    return feats or ["hs=none"]


def _inflection_features(norm: str, zipf: dict[str, int]) -> list[str]:
    """Zipf of the bare and the definite form, how many inflected forms exist, verb-likeness."""
    known = [rest for _p, rest in splits(norm) if rest in zipf]
    base = max(known, key=lambda r: (zipf[r], len(r))) if known else core(norm)
    bare = base[2:] if base.startswith(ARTICLE) and len(base) > 3 else base
    feats = [f"mal={zipf.get(ARTICLE + bare, 0)}", f"mbare={zipf.get(bare, 0)}"]
    feats.append(f"mprod={min(sum(bare + s in zipf for s in _INFLECTIONS), 4)}")
    if bare + "ي" in zipf and bare + "يه" in zipf:
        feats.append("mnis")
    if len(bare) >= 4 and bare[0] in _PERSON_PREFIXES:
        verb = sum(p + bare[1:] in zipf for p in _PERSON_PREFIXES if p != bare[0])
        feats.append(f"mvb={verb}")
    return feats


def is_nationality(norm: str, lists: WordLists) -> bool:
    """A listed nationality adjective, or a listed place + ي (الروماني ← رومانيا)."""
    for _p, rest in splits(norm):
        if rest in lists.nation:
            return True
        bare = rest[2:] if rest.startswith(ARTICLE) else rest
        ending = next((e for e in _NISBA if bare.endswith(e)), None)
        stem = bare[: -len(ending)] if ending else ""
        if len(stem) >= 2 and any(
            k in lists.place for k in (stem, stem + "ا", stem + "يا", ARTICLE + stem)
        ):
            return True
    return False
