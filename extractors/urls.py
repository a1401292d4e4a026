"""Canonical article URLs: one article reached through two links must get one id.

courlan does the heavy lifting (lower-cased host, default port dropped, path percent-encoded,
query sorted, tracking parameters such as utm_*, fbclid, gclid removed). On top of it: relative
links resolved against the page or feed they came from, dot segments removed, the fragment
dropped (it never names a different article) and percent escapes upper-cased, so a feed that
writes Arabic paths raw and one that writes them percent-encoded agree.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan import normalize_url

SCHEMES = frozenset({"http", "https"})
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def canonical_url(url: str, base: str | None = None) -> str | None:
    """The canonical form of `url` (resolved against `base`), or None if it is no web URL."""
    raw = "".join((url or "").split())  # feeds wrap long links over lines
    if not raw:
        return None
    try:  # urlsplit raises on a broken IPv6 host ("http://[::1/") or a bad port
        absolute = urljoin(base, raw) if base else raw
        parts = urlsplit(absolute)
        if parts.scheme.lower() not in SCHEMES or not parts.hostname:
            return None
    except ValueError:
        return None
    path = urljoin("/", parts.path) if parts.path else ""  # removes ./ and ../ segments
    try:
        normal = normalize_url(urlunsplit((parts.scheme, parts.netloc, path, parts.query, "")))
    except ValueError:
        return None
    return _ESCAPE.sub(lambda m: m.group(0).upper(), normal)


def host_of(url: str) -> str:
    """Lower-case host name without a leading "www.", the unit of "same site"."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # a broken IPv6 host: no host to speak of
        return ""
    return host.removeprefix("www.")


def same_site(a: str, b: str) -> bool:
    return bool(host_of(a)) and host_of(a) == host_of(b)
