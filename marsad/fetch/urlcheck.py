"""Is a URL one the fetcher will even try? Feeds, sitemaps and redirects hand us anything.

A URL that httpx, the IDNA codec or the resolver would choke on (or read differently from us)
is refused before any connection, with a one-line reason, so it becomes one refused item and
never an exception that stops a run. Numeric hosts must be plain dotted quads: the resolver
reads `0177.0.0.1`, `0x7f.1` and `2130706433` as 127.0.0.1, an address in disguise.
"""

from __future__ import annotations

import re
from ipaddress import IPv4Address, ip_address
from urllib.parse import SplitResult, urlsplit

import httpx
import idna

SCHEMES = frozenset({"http", "https"})
_LABEL = re.compile(r"[a-z0-9_-]+")  # ASCII host labels; "_" occurs in real subdomains
_NUMERIC = re.compile(r"[0-9]+|0x[0-9a-f]*")
_UNPRINTABLE = re.compile(r"[\x00-\x20\x7f]")


def url_problem(url: str) -> str | None:
    """Why `url` is refused ("refused: …", one line), or None when it may be fetched."""
    if not isinstance(url, str) or _UNPRINTABLE.search(url):
        return "refused: malformed URL (space or control character in it)"
    try:
        parts = urlsplit(url)
    except ValueError as err:
        return malformed(str(err))
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        return f"refused: scheme '{scheme or '(none)'}' is not http or https"
    problem = _port_problem(parts) or _host_problem(parts) or _httpx_problem(url)
    return malformed(problem) if problem else None


def _port_problem(parts: SplitResult) -> str | None:
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        shown = parts.netloc.rpartition(":")[2]
        return f"port '{shown}' is not a number from 1 to 65535"
    return None


def _host_problem(parts: SplitResult) -> str | None:
    host = parts.hostname or ""
    if not host:
        return "no host"
    if parts.netloc.rpartition("@")[2].startswith("["):
        return _ipv6_problem(host)
    name = host.removesuffix(".")
    labels = name.split(".")
    if _NUMERIC.fullmatch(labels[-1]):
        return _ipv4_problem(name)
    if len(name) > 253:
        return "host name longer than 253 characters"
    return next(filter(None, map(_label_problem, labels)), None)


def _ipv4_problem(host: str) -> str | None:
    try:
        if str(IPv4Address(host)) == host:
            return None
    except ValueError:
        pass
    return f"'{host}' is not a dotted-quad IPv4 address; octal, hex and integer forms are refused"


def _ipv6_problem(host: str) -> str | None:
    if "%" in host:
        return "IPv6 zone identifiers are refused"
    try:
        ip_address(host)
    except ValueError:
        return f"'{host}' is not an IPv6 address"
    return None


def _label_problem(label: str) -> str | None:
    if not label:
        return "empty label in the host name"
    if len(label) > 63:
        return f"host label '{label[:20]}…' is longer than 63 characters"
    if label.isascii() and not label.startswith("xn--"):
        return None if _LABEL.fullmatch(label) else f"invalid character in host label '{label}'"
    try:
        idna.decode(idna.encode(label))  # strict IDNA 2008, as httpx encodes hosts
    except (idna.IDNAError, UnicodeError) as err:
        return f"invalid international host label '{label}': {err}"
    return None


def _httpx_problem(url: str) -> str | None:
    """The last word is the client's: what it cannot build a request for is malformed too."""
    try:
        httpx.Request("GET", url)
    except (httpx.InvalidURL, UnicodeError, ValueError) as err:
        return " ".join(str(err).split()) or type(err).__name__
    return None


def malformed(detail: str) -> str:
    """The one wording of a malformed URL's refusal."""
    return f"refused: malformed URL ({detail})"
