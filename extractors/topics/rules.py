"""Topic rules from the analysts' YAML file (extractors/data/topics.yaml documents the format).

A topic is a set of signals, each a name (an entity by its canonical name, or a plain term)
that counts only with its context words in the same sentence or paragraph; exclusions;
the dates it applies to; how much the headline and the lead weigh; and the score from
which an article is tagged. Entities are expanded here to every alias the gazetteer knows,
so the rules never list spellings (بوتين, بوتن, Putin); clitic forms (لبوتين) are the
matcher's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml

from marsad.extractors.entities.gazetteer import Entry, Gazetteer, load_gazetteer
from marsad.extractors.entities.keys import key

Window = Literal["sentence", "paragraph"]
Where = Literal["anywhere", "headline", "lead"]
Scope = Literal["headline", "article", "paragraph", "sentence"]
WINDOWS = ("sentence", "paragraph")
WHERE = ("anywhere", "headline", "lead")
SCOPES = ("headline", "article", "paragraph", "sentence")
OLD_KEYS = {"terms_ar", "terms_en", "required", "excluded", "entities_all", "entities_any"}
DEFAULTS = {"threshold": 3.0, "lead": 2, "weights": {"headline": 3.0, "lead": 2.0, "body": 1.0}}


@dataclass(frozen=True)
class Signal:
    """Any of `names` together with one word of every `context` group, in one window."""

    names: tuple[str, ...]
    context: tuple[tuple[str, ...], ...] = ()
    window: Window = "sentence"
    weight: float = 1.0
    label: str = ""
    where: Where = "anywhere"  # headline: fires only there; lead: the headline or the lead


@dataclass(frozen=True)
class Exclusion:
    """Any of `names` in `scope` stops the topic (headline, article) or silences the
    windows that contain it (paragraph, sentence)."""

    names: tuple[str, ...]
    scope: Scope = "sentence"


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    signals: tuple[Signal, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    threshold: float = 3.0
    lead: int = 2  # how many of the text's first sentences weigh as the lead
    headline_weight: float = 3.0
    lead_weight: float = 2.0
    body_weight: float = 1.0
    start: date | None = None  # articles published before it are not about the topic
    end: date | None = None
    phrases: frozenset[str] = field(default=frozenset(), compare=False)  # every term, once

    def applies_on(self, published: date | None) -> bool:
        """Undated articles are judged on their text alone."""
        if published is None:
            return True
        return (self.start is None or published >= self.start) and (
            self.end is None or published <= self.end
        )


def load_topics(path: Path | None = None, gazetteer: Gazetteer | None = None) -> list[Topic]:
    """Topics from `path` (or the shipped topics.yaml), entities expanded by `gazetteer`
    (or the shipped one). A rule naming an entity the gazetteer lacks is an error."""
    return list(_load(str(path) if path else None, gazetteer or load_gazetteer()))


@lru_cache(maxsize=4)
def _load(path: str | None, gazetteer: Gazetteer) -> tuple[Topic, ...]:
    if path is None:
        text = (resources.files("marsad.extractors") / "data" / "topics.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    raw = yaml.safe_load(text) or {}
    defaults = {**DEFAULTS, **(raw.get("defaults") or {})}
    names = _names(gazetteer)
    where = path or "topics.yaml"
    typed = _typed(gazetteer)
    topics = tuple(_topic(t, defaults, names, typed, where) for t in raw.get("topics") or [])
    ids = [t.id for t in topics]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{where}: duplicate topic ids")
    return topics


def _names(gazetteer: Gazetteer) -> dict[str, Entry]:
    """Gazetteer entries by the key of their canonical name, QID and every alias."""
    found: dict[str, Entry] = {}
    for entry in gazetteer.entries:
        for name in (*entry.aliases, entry.wikidata or ""):
            found.setdefault(key(name.replace("[", "").replace("]", "")), entry)
    for entry in gazetteer.entries:
        found[key(entry.canonical)] = entry
    found.pop("", None)
    return found


def _typed(gazetteer: Gazetteer) -> dict[str, tuple[str, ...]]:
    """Per entity type, the aliases of every gazetteer entry of that type ("@PER" in `with`)."""
    found: dict[str, list[str]] = {}
    for entry in gazetteer.entries:
        found.setdefault(entry.type, []).extend(_aliases(entry))
    return {kind: tuple(dict.fromkeys(aliases)) for kind, aliases in found.items()}


def _aliases(entry: Entry) -> tuple[str, ...]:
    """Every way the text may name the entry: its aliases, bracketed context kept as words.
    Not the surnames the recogniser links after a full name: alone, وين or لاي are
    other words; a rule that wants a surname lists it as a term."""
    spelled = [a.replace("[", "").replace("]", "") for a in entry.aliases]
    return tuple(dict.fromkeys([entry.canonical, *spelled]))


def _topic(
    raw: dict,
    defaults: dict,
    names: dict[str, Entry],
    typed: dict[str, tuple[str, ...]],
    where: str,
) -> Topic:
    topic_id = str(raw["id"])
    here = f"{where}: topic {topic_id}"
    old = sorted(OLD_KEYS & set(raw))
    if old:
        raise ValueError(f"{here}: {', '.join(old)} belong to the old format; write signals "
                         "(see the shipped extractors/data/topics.yaml)")  # fmt: skip

    def expand(item: dict) -> tuple[str, ...]:
        terms = list(_strs(item.get("terms", [])))
        for name in _strs(item.get("entities", [])):
            entry = names.get(key(name))
            if entry is None:
                raise ValueError(f"{here}: entity {name!r} is not in the gazetteer")
            terms += _aliases(entry)
        return tuple(dict.fromkeys(terms))

    signals = []
    for item in raw.get("signals") or []:
        window = item.get("window", "sentence")
        if window not in WINDOWS:
            raise ValueError(f"{here}: window must be one of {', '.join(WINDOWS)}")
        if item.get("where", "anywhere") not in WHERE:
            raise ValueError(f"{here}: where must be one of {', '.join(WHERE)}")
        context = item.get("with") or []
        groups = [context] if context and not isinstance(context[0], list) else context
        own = expand(item)
        context_words = tuple(_context(_strs(g), typed, own, here) for g in groups)
        signals.append(Signal(names=own, context=context_words,
                              window=window, weight=float(item.get("weight", 1.0)),
                              label=str(item.get("name", "")),
                              where=item.get("where", "anywhere")))  # fmt: skip
    exclusions = []
    for item in [*(raw.get("exclude") or []), *(defaults.get("exclude") or [])]:
        scope = item.get("in", "sentence")
        if scope not in SCOPES:
            raise ValueError(f"{here}: exclude 'in' must be one of {', '.join(SCOPES)}")
        exclusions.append(Exclusion(names=expand(item), scope=scope))
    if not signals:
        raise ValueError(f"{here}: no signals")
    weights = {**defaults["weights"], **(raw.get("weights") or {})}
    phrases = {t for s in signals for t in (*s.names, *(w for g in s.context for w in g))}
    phrases |= {t for e in exclusions for t in e.names}
    return Topic(
        id=topic_id,
        title=str(raw.get("title", topic_id)),
        signals=tuple(signals),
        exclusions=tuple(exclusions),
        threshold=float(raw.get("threshold", defaults["threshold"])),
        lead=int(raw.get("lead", defaults["lead"])),
        headline_weight=float(weights["headline"]),
        lead_weight=float(weights["lead"]),
        body_weight=float(weights["body"]),
        start=_date(raw.get("from"), here),
        end=_date(raw.get("until"), here),
        phrases=frozenset(phrases),
    )


def _context(
    group: tuple[str, ...], typed: dict[str, tuple[str, ...]], own: tuple[str, ...], here: str
) -> tuple[str, ...]:
    """Context words; "@PER" (or another type) stands for every gazetteer name of that type
    but the signal's own names: "Putin with another leader"."""
    words: list[str] = []
    for word in group:
        if word.startswith("@"):
            if word[1:] not in typed:
                raise ValueError(f"{here}: no gazetteer entities of type {word[1:]!r}")
            words += [alias for alias in typed[word[1:]] if alias not in own]
        else:
            words.append(word)
    return tuple(dict.fromkeys(words))


def _date(value: object, here: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{here}: {value!r} is not a date (YYYY-MM-DD)") from None


def _strs(items: list) -> tuple[str, ...]:
    """YAML reads 2024 as a number; every term is text."""
    return tuple(str(item) for item in items)
