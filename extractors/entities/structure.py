"""Organisations recognised by their structure: a head word and the name that qualifies it.

Most organisations in the news are a head word plus a name: وزارة الدفاع الأوكرانية, جهاز
الأمن الفيدرالي الروسي, الجيش الأوكراني, الجمعية الوطنية للبنادق, حركة حماس, صحيفة واشنطن بوست.
The CRF, trained on ANERcorp's 2003 news, misses most of them; this recogniser reads the form:

- a head in construct state (وزارة, هيئة, جهاز …, clitics allowed: لوزارة) followed by definite
  words (الدفاع), nationality adjectives (الأوكرانية) and لل-phrases (للاجئين);
- a definite head (الجيش, القوات, الجمعية …) followed by a nationality adjective or a
  لل-phrase (الجيش الأوكراني; not «الجيش» alone, not «القوات الحكومية»);
- a head that takes a proper name (حركة, حزب, صحيفة, قناة, وكالة, شركة …) followed by up to
  three name words: words that are not everyday Arabic (حماس, واشنطن بوست, رويترز).

Generic heads (مجلس, لجنة, مكتب …) need more than one qualifier or a nationality, so «لجنة
التحقيق» or «مجلس الوزراء» alone stay out. A place inside the name stays inside (one ORG).
Qualifiers stop at punctuation, quotation marks, time words (اليوم, الماضي) and relatives
(التي). Pure: the word tests come in as arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from marsad.extractors.entities.clitics import ARTICLE, splits
from marsad.extractors.entities.gazetteer import TextIndex
from marsad.extractors.entities.keys import letters_span
from marsad.extractors.entities.mention import Mention

NAME = "structure"
MAX_QUALIFIERS = 5
MAX_NAME_WORDS = 3
PLAIN_RUN = 2
# Matching keys (normalize_arabic: ة → ه, أ → ا, ى → ي).
# Heads whose one definite qualifier already names a body (وزارة العدل, وكالة الفضاء).
NAMED_BY_ONE = frozenset(
    "وزاره هيئه جهاز وكاله منظمه مفوضيه صندوق بنك مصرف اتحاد جامعه حزب حركه جبهه "
    "كتائب تنظيم جماعه صحيفه جريده قناه شبكه اذاعه مجله شركه مجموعه تحالف ائتلاف "
    "منتخب نادي ديوان حرس جمعيه وحدات".split()
)
# Heads that need a nationality, a لل-phrase or two qualifiers (مجلس الأمن القومي).
GENERIC = frozenset(
    "مجلس لجنه مكتب مركز اداره دائره مديريه  سلطه محكمه مؤسسه معهد شرطه بعثه خفر".split()
)
# Armies and forces: only with their country (الجيش الأوكراني, قوات الأمن الإسرائيلية).
ARMED = frozenset("جيش قوات قوه".split())
# Heads followed by a proper name (حركة حماس, صحيفة واشنطن بوست, شركة أبل).
TAKES_A_NAME = frozenset(
    "حزب حركه جماعه تنظيم كتائب جبهه صحيفه جريده قناه شبكه وكاله شركه مجموعه مجله "
    "اذاعه منظمه جامعه نادي ميليشيا مليشيا".split()
)
HEADS = NAMED_BY_ONE | GENERIC | ARMED | TAKES_A_NAME
# Definite words that end a name rather than qualify it.
STOP = frozenset(
    "اليوم الامس الماضي المقبل الحالي السابق الجديد الجديده الذي التي الذين اللذين "
    "اللتين الان الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت الاخير الاخيره "
    "الاول الاولي الثاني الثانيه العام الخاص اللذان الي التابع التابعه الرسمي الرسميه "
    "الحاكم الحاكمه المحظور المحظوره والذي والتي".split()
)
LL = "لل"


@dataclass(frozen=True)
class WordTests:
    """What the recogniser asks about a word's matching key (from the word lists)."""

    is_nationality: Callable[[str], bool]  # الأوكرانية, الروسي
    is_place: Callable[[str], bool]  # أوكرانيا, روسيا
    is_common: Callable[[str], bool]  # a dictionary or frequent word: not a name word
    is_currency: Callable[[str], bool] = lambda _word: False  # اليورو, الدولار


def find_organisations(index: TextIndex, tests: WordTests, text: str) -> list[Mention]:
    """ORG mentions for every head word followed by a name (see the module docstring)."""
    found: list[Mention] = []
    free = 0
    heads = index.starts(HEADS | {ARTICLE + h for h in HEADS})
    for i in heads:
        if i < free:
            continue
        hit = _organisation_at(index, i, tests, text)
        if hit is not None:
            mention, last = hit
            found.append(mention)
            free = last
    return found


def _organisation_at(
    index: TextIndex, i: int, tests: WordTests, text: str
) -> tuple[Mention, int] | None:
    word = index.keys[i]
    reading = next(((p, r) for p, r in splits(word) if _head_of(r)), None)
    if reading is None:
        return None
    prefix, rest = reading  # the longest reading: بالجيش → ب + الجيش (the name keeps ال)
    definite = rest.startswith(ARTICLE)
    head = _head_of(rest)
    assert head is not None
    qualifiers, national, last = _qualifiers(index, i + 1, tests, text)
    names = 0
    if not qualifiers and not definite and head in TAKES_A_NAME:
        names, last = _name_words(index, i + 1, tests, text)
        if not names:
            return None
    elif not _accepted(head, definite, qualifiers, national):
        return None
    token = index.kept[i]
    start = token.start + letters_span(token.text, len(prefix))  # للاتحاد → لاتحاد
    mention = Mention(start, index.kept[last - 1].end, "ORG", NAME)
    return mention, last


def _head_of(reading: str) -> str | None:
    bare = reading[len(ARTICLE) :] if reading.startswith(ARTICLE) else reading
    return bare if bare in HEADS else None


def _qualifiers(
    index: TextIndex, j: int, tests: WordTests, text: str
) -> tuple[list[str], bool, int]:
    """The definite / nationality / لل words after a head: (their keys, any national, end).

    After a nationality only another one follows (وكالة الأنباء السعودية | الرسمية); at most
    PLAIN_RUN plain definite words follow each other (حزب العمال الكردستاني | المحظور)."""
    taken: list[str] = []
    national, plain = False, 0
    while j < len(index.kept) and len(taken) < MAX_QUALIFIERS:
        word = index.keys[j]
        if not _joined(index, j, text) or word in STOP:
            break
        if tests.is_nationality(word) or tests.is_place(word):
            national, plain = True, 0
        elif national:
            break
        elif word.startswith((LL, "وال")) and len(word) > 4 and taken and word[3:] not in STOP:
            plain = 0  # للاجئين, والتنمية: part of the name after a first qualifier
        elif word.startswith(ARTICLE) and len(word) > 3 and plain < PLAIN_RUN:
            plain += 1
        else:
            break
        taken.append(word)
        j += 1
    return taken, national, j


def _accepted(head: str, definite: bool, qualifiers: list[str], national: bool) -> bool:
    if not qualifiers:
        return False
    with_ll = any(q.startswith(LL) for q in qualifiers)
    if head in ARMED:
        return national
    if definite:  # الجمعية الوطنية للبنادق, الاتحاد الأوروبي; not «الحركة الاحتجاجية»
        return national or with_ll
    if head in GENERIC:
        return national or with_ll or len(qualifiers) >= 2
    return True


def _name_words(index: TextIndex, j: int, tests: WordTests, text: str) -> tuple[int, int]:
    """Proper-name words after a head like حركة or صحيفة: (how many, end)."""
    count = 0
    while j < len(index.kept) and count < MAX_NAME_WORDS:
        word = index.keys[j]
        if not _joined(index, j, text) or word in STOP or tests.is_common(word):
            break
        if word.startswith(ARTICLE) and not count:
            break  # a definite word is a qualifier, handled above
        count += 1
        j += 1
    return count, j


def _joined(index: TextIndex, j: int, text: str) -> bool:
    """Is token j a word that continues the name: letters, and no quotation mark, bracket or
    punctuation between it and the token before (صحيفة «التايمز»: the name is only quoted)."""
    token = index.kept[j]
    if not any(ch.isalpha() for ch in token.text):
        return False
    gap = text[index.kept[j - 1].end : token.start] if j else ""
    return not gap.strip(" \t#")  # a hashtag (حركة #حماس) does not cut the name


# -- places named by a cue word ---------------------------------------------------------------
# After these (indefinite, clitics allowed: بمحافظة) the next name is a place, without the cue:
# «محافظة حجة» → حجة; «محافظات حجة وعمران والمحويت» → three places.
PLACE_CUES = frozenset(
    "محافظه محافظات مديريه مدينه مدن قريه قري بلده بلدات ولايه ولايات اقليم منطقه "
    "مناطق مخيم حي ناحيه قضاء العاصمه عاصمه".split()
)
# These belong to the name (قطاع غزة, مطار صنعاء الدولي, جبل لبنان, دولة قطر).
PLACE_HEADS = frozenset("قطاع مطار ميناء جزيره هضبه جبل نهر بحر خليج مضيق حقل دوله".split())
PLACE_WORDS = PLACE_CUES | PLACE_HEADS
PLACE_TAIL = frozenset(("الدولي",))
# What follows a cue without naming a place: adjectives, quantifiers, directions.
CUE_WORDS = frozenset(
    "امنه كبيره صغيره جديده قريبه بعيده اخري واحده ما متفرقه كبري عديده مختلفه محتله "
    "محاصره منكوبه نائيه قديمه حديثه حره منزوعه مغلقه واسعه شاسعه خاصه عازله شمال جنوب "
    "شرق غرب وسط شمالي جنوبي شرقي غربي اخر اخري مجاوره مجاور تابعه تابع يقطنها فيها "
    "بها التي الذي كامله باكملها".split()
)


def find_places(index: TextIndex, tests: WordTests, text: str) -> list[Mention]:
    """LOC mentions after a place cue (the name alone) or with a place head (the whole)."""
    found: list[Mention] = []
    free = 0
    for i in index.starts(PLACE_WORDS):
        if i < free or i + 1 >= len(index.kept):
            continue
        word = index.keys[i]
        # the cue in construct state, clitics allowed (بمحافظة); «المدينة» is no cue
        reading = next(
            ((p, r) for p, r in splits(word) if r in PLACE_WORDS and ARTICLE not in p), None
        )
        if reading is None:
            continue
        prefix, cue = reading
        j = i + 1
        names: list[tuple[int, int]] = []
        while j < len(index.kept) and _joined(index, j, text) and len(names) < 4:
            name = index.keys[j]
            bare = name[1:] if names and name.startswith("و") else name
            if names and bare == name:
                break  # more places only as a list: «حجة وعمران والمحويت»
            first = not names and cue in PLACE_CUES
            if not (_place_word(bare, tests) if first else _name_word(bare, tests)):
                break
            names.append((j, len(name) - len(bare)))
            j += 1
        if not names:
            continue
        if cue in PLACE_HEADS:
            end = names[0][0] + 1
            while end < len(index.kept) and index.keys[end] in PLACE_TAIL:
                end += 1
            token = index.kept[i]
            start = token.start + letters_span(token.text, len(prefix))
            found.append(Mention(start, index.kept[end - 1].end, "LOC", NAME))
            free = end
            continue
        for k, skip in names:
            token = index.kept[k]
            found.append(Mention(token.start + skip, token.end, "LOC", NAME))
        free = names[-1][0] + 1
    return found


def _never_a_place(word: str, tests: WordTests) -> bool:
    """Too short, a stop word, a nationality, or a currency (منطقة اليورو is no place)."""
    return len(word) < 2 or word in STOP or tests.is_nationality(word) or tests.is_currency(word)


def _name_word(word: str, tests: WordTests) -> bool:
    """A word that names a place on its own: listed, or no common Arabic word."""
    if _never_a_place(word, tests):
        return False
    return tests.is_place(word) or not tests.is_common(word)


def _place_word(word: str, tests: WordTests) -> bool:
    """A word that can be a place's name after a cue: a listed place, or any word that is not
    an adjective or quantifier of the cue (حجة and صعدة are everyday words too; after
    «محافظة» they are names; «منطقة عسكرية» is no place name)."""
    if _never_a_place(word, tests) or word in CUE_WORDS:
        return False
    return tests.is_place(word) or not word.endswith("يه")  # nisba: عسكرية, حدودية
