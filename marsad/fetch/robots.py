"""robots.txt: Protego's parser (Google-style wildcards, Crawl-delay), cached per origin."""

from __future__ import annotations

from urllib.parse import urlsplit

from protego import Protego

MAX_ROBOTS_CHARS = 512_000  # RFC 9309 asks parsers to read at least 500 KiB


class RobotsRules:
    """The parsed rules of one origin."""

    def __init__(self, parser: Protego) -> None:
        self._parser = parser

    @classmethod
    def parse(cls, text: str) -> RobotsRules:
        return cls(Protego.parse(text[:MAX_ROBOTS_CHARS]))

    def allows(self, url: str, user_agent: str) -> bool:
        return bool(self._parser.can_fetch(url, product_token(user_agent)))

    def crawl_delay(self, user_agent: str) -> float | None:
        delay = self._parser.crawl_delay(product_token(user_agent))
        return float(delay) if delay else None


def product_token(user_agent: str) -> str:
    """ "marsad/0.1 (…)" → "marsad": robots.txt groups name the product, not the version."""
    return user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}/robots.txt"


def robots_reason(rules: RobotsRules | str, url: str, user_agent: str) -> str | None:
    """Why robots.txt keeps us from `url`, or None when it may be fetched."""
    if isinstance(rules, str):
        return rules
    return None if rules.allows(url, user_agent) else "disallowed by robots.txt"
