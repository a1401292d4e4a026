"""Build extractors/data/ner_ayaspell.json.gz: word classes of Ayaspell's Arabic dictionary.

    apt-get download hunspell-ar && dpkg-deb -x hunspell-ar_*.deb hunspell-ar
    .venv/bin/python scripts/build_ayaspell.py hunspell-ar/usr/share/hunspell/ar.dic

Ayaspell 3.2 (Mohamed Kebdani, GPL 2.0 / LGPL 2.1 / MPL 1.1; marsad takes it under MPL 1.1)
lists the stems of common Arabic words in four parts: stop words, particles ("tools"),
nouns and adjectives (its "names.dic": أسماء in the grammarians' sense), and verbs. Each noun
carries an affix-class number that says how it inflects; place names share a few classes
(فرنسا، لندن، بغداد: 60), adjectives and given names that are also adjectives others (كبير،
سعيد: 166). A word the dictionary lacks is more likely a name or a foreign word. The CRF
gets these classes as features: a part-of-speech hint from a curated lexicon, with no
analyser to run (extractors/entities/wordclass.py).

Output: normalised stem → sorted tags: "s" stop word, "t" particle, "v" verb, "nN" noun of
affix class N ("n0": no class).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.extractors.normalize import normalize_arabic  # noqa: E402

OUT = ROOT / "extractors" / "data" / "ner_ayaspell.json.gz"
PARTS = {"stopwords.dic": "s", "tools.dic": "t", "names.dic": "n", "verb.huns.dic": "v"}


def word_classes(lines: list[str]) -> dict[str, list[str]]:
    """Normalised stem → its tags, from the lines of Ayaspell's ar.dic."""
    found: dict[str, set[str]] = {}
    part = None
    for line in lines:
        entry = line.split("\t")[0].strip()
        if entry in PARTS:
            part = PARTS[entry]
            continue
        if not entry or part is None or entry.startswith(("#", "::")) or entry.isdigit():
            continue
        stem, _, flags = entry.partition("/")
        norm = normalize_arabic(stem)
        if norm:
            found.setdefault(norm, set()).add(f"n{flags or 0}" if part == "n" else part)
    return {stem: sorted(tags) for stem, tags in sorted(found.items())}


def main() -> None:
    lines = Path(sys.argv[1]).read_text("utf-8").splitlines()
    table = word_classes(lines)
    with gzip.open(OUT, "wt", encoding="utf-8") as fh:
        json.dump(table, fh, ensure_ascii=False, separators=(",", ":"))
    print(f"{len(table)} stems → {OUT}")


if __name__ == "__main__":
    main()
