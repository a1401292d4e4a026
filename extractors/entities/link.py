"""After the recognisers: strip proclitics, give every mention its canonical name, and find
the article's further mentions of names it already found.

- A statistical span "وبوتين" becomes "بوتين" when the rest is a known name (gazetteer,
  lexicon, or another mention in the article), or when clitics precede ال (بالكرملين).
- A person's surname alone (ماسك) gets the canonical of the full name (إيلون ماسك).
- Other occurrences of a found name that no recogniser marked are added ("propagated"), and
  a surname alone after the full name is added ("surname").
"""

from __future__ import annotations

from collections.abc import Callable

from marsad.extractors.entities.clitics import ARTICLE, splits
from marsad.extractors.entities.gazetteer import Entry, Gazetteer, TextIndex
from marsad.extractors.entities.keys import display, key, letters_span
from marsad.extractors.entities.mention import Mention

MIN_ARTICLE_STEM = 5  # "الصين"; shorter ال-readings (التر of والتر) are left alone


def trim(
    mention: Mention,
    text: str,
    known: Callable[[str], bool],
    listed: Callable[[str], bool] = lambda _phrase: False,
) -> Mention:
    """The mention without leading proclitics that are not part of the name.

    A word that is itself a `listed` name (the gazetteer's بكين) keeps all its letters."""
    surface = text[mention.start : mention.end]
    first, _, tail = surface.partition(" ")
    word = key(first)
    if listed(f"{word} {key(tail)}".strip()):
        return mention  # the whole word is a name (بكين): no clitic is cut off it
    for prefix, rest in splits(word)[1:]:
        if prefix.endswith(ARTICLE):
            continue  # the name keeps its article: السورية is not سورية
        phrase = f"{rest} {key(tail)}".strip()
        article = rest.startswith(ARTICLE) and len(rest) >= MIN_ARTICLE_STEM
        if article or known(phrase):
            skip = letters_span(first, len(prefix))
            trimmed = mention._replace(start=mention.start + skip)
            if key(first[skip:]) != rest:  # ل + ال written لل: «لأمم», the name is الأمم
                name = f"{ARTICLE}{first[skip + 1 :]} {tail}".strip()
                trimmed = trimmed._replace(canonical=display(name))
            return trimmed
    return mention


def canonicalize(mentions: list[Mention], text: str) -> list[Mention]:
    """Fill missing canonicals; single-word persons take a full name's canonical (and its
    identity: ظريف after جواد ظريف is the same person)."""
    full_names: dict[str, Mention] = {}
    for m in mentions:
        words = key(text[m.start : m.end]).split()
        if m.type == "PER" and len(words) > 1:
            canonical = m.canonical or display(text[m.start : m.end])
            full_names.setdefault(words[-1], m._replace(canonical=canonical))
    result = []
    for m in mentions:
        surface = key(text[m.start : m.end])
        named = m._replace(canonical=m.canonical or display(text[m.start : m.end]))
        full = full_names.get(surface) if m.type == "PER" and " " not in surface else None
        if full is not None and m.entity_id in (None, full.entity_id):
            named = named._replace(canonical=full.canonical, entity_id=full.entity_id,
                                   latin=full.latin)  # fmt: skip
        result.append(named)
    return result


def further_mentions(
    mentions: list[Mention],
    text: str,
    is_no_name_alone: Callable[[str], bool],
    index: TextIndex | None = None,
    is_no_surname: Callable[[str], bool] | None = None,
) -> list[Mention]:
    """Uncovered occurrences of found names, and surnames after a full name.

    A one-word name that `is_no_name_alone` is not looked for again, nor a surname that
    `is_no_surname` (default: the same test) is. `index` is the text's index if the caller
    has it already.
    """
    is_no_surname = is_no_surname or is_no_name_alone
    entries = {}
    for m in mentions:
        surface = text[m.start : m.end]
        if surface in entries or (" " not in surface.strip() and is_no_name_alone(key(surface))):
            continue  # the first mention of a surface names its entry
        canonical = m.canonical or display(surface)
        surnames = tuple(s for s in _surnames(m, surface) if not is_no_surname(key(s)))
        entries[surface] = Entry(canonical, m.type, m.entity_id, (surface,), surnames, m.latin)
    if not entries:
        return []
    local = Gazetteer(list(entries.values()), name="propagated", surname_name="surname")
    taken = {i for m in mentions for i in range(m.start, m.end)}
    found = local.find(text, index)
    return [f for f in found if taken.isdisjoint(range(f.start, f.end))]


def _surnames(m: Mention, surface: str) -> tuple[str, ...]:
    words = surface.split()
    return (words[-1],) if m.type == "PER" and len(words) > 1 and len(words[-1]) > 2 else ()
