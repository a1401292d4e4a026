"""Lines and paragraphs that are page furniture, not article text.

Two small, deliberately conservative lists:
- BOILERPLATE_LINES: whole lines dropped when the line, stripped of spaces and trailing
  punctuation, equals an entry (case-insensitive, compared as Arabic matching keys, so
  "اقرأ أيضاً:" matches "اقرأ أيضا"). Ad markers, share/subscribe/read-more widgets.
- _POLICY_PATTERNS: short paragraphs that are a site's comment-policy or opinion disclaimer
  (e.g. CNN Arabic's "الآراء الواردة أدناه لا تعبر عن رأي موقع CNN بالعربية"), which
  trafilatura keeps because they sit inside the article container.
"""

from __future__ import annotations

import re

from marsad.extractors.normalize import normalize_arabic

BOILERPLATE_LINES = (
    "advertisement",
    "ad",
    "sponsored",
    "إعلان",
    "إعلانات",
    "share",
    "share this",
    "share this article",
    "شارك",
    "شارك الخبر",
    "شارك المقال",
    "مشاركة",
    "subscribe",
    "اشترك",
    "اشترك الآن",
    "اشترك في النشرة",
    "read more",
    "continue reading",
    "اقرأ أيضا",
    "اقرأ المزيد",
    "اقرأ أكثر",
    "المزيد",
    "follow us",
    "تابعونا",
)
_TRAILING = " \t:：.…-–—|»«>"
_KEYS = frozenset(normalize_arabic(line).casefold() for line in BOILERPLATE_LINES)

# Matched against normalize_arabic(paragraph): no hamza on alef, ه for ة, ي for ى.
_POLICY_PATTERNS = (
    re.compile(r"الاراء الوارده .{0,60}(لا تعبر|تعبر عن)"),
    re.compile(r"لا تعبر (بالضروره )?عن (راي|وجهه نظر) (الموقع|موقع|الصحيفه|الشبكه|القناه)"),
    re.compile(r"(التعليقات|مشاركاتك).{0,200}(ارشادات|سياسه الخصوصيه|شروط استخدام)"),
)
_POLICY_MAX_CHARS = 600  # a real paragraph that merely quotes these words is usually longer


def is_boilerplate_line(line: str, key: str | None = None) -> bool:
    """True for an ad marker or share/subscribe/read-more line (exact match, see module doc).

    `key` is normalize_arabic(line), if the caller has computed it already.
    """
    key = normalize_arabic(line) if key is None else key
    return key.strip(_TRAILING).casefold() in _KEYS


def is_policy_paragraph(paragraph: str, key: str | None = None) -> bool:
    """True for a short comment-policy / "views are not ours" disclaimer paragraph.

    `key` is normalize_arabic(paragraph), if the caller has computed it already.
    """
    if len(paragraph) > _POLICY_MAX_CHARS:
        return False
    key = normalize_arabic(paragraph) if key is None else key
    return any(pattern.search(key) for pattern in _POLICY_PATTERNS)


def paragraphs(text: str) -> list[str]:
    """Non-empty lines of plain text, stripped, without boilerplate lines: one paragraph each."""
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not is_boilerplate_line(line)]
