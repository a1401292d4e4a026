"""SSRF safety: fetched URLs come from untrusted feeds, so where they lead is checked.

Only well-formed http and https URLs are fetched (see `urlcheck`). Every TCP connection,
including each redirect hop and the robots.txt request, goes through `GuardedBackend`, which
resolves the host itself, refuses the connection if any resolved address is not publicly
routable (loopback, private, link-local, multicast, reserved, shared, cloud metadata) unless a
configured network allows it, and then connects to the address it checked — so a DNS answer
that changes between check and connect (rebinding) cannot slip through. Proxies from the
environment are never used (they would bypass the check).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable
from ipaddress import IPv4Address, IPv6Address, ip_address
from typing import cast

import httpcore
import httpx

from marsad.fetch.options import FetchOptions, Network

METADATA = frozenset(map(ip_address, ["169.254.169.254", "fd00:ec2::254", "100.100.100.200"]))


class UnsafeURL(Exception):
    """A URL marsad refuses to fetch; the message is the one-line reason."""


def refusal(address: IPv4Address | IPv6Address, allowed: Iterable[Network]) -> str | None:
    """Why `address` may not be contacted, or None if it may."""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(address in net for net in allowed):
        return None
    if address in METADATA:
        return "a cloud metadata address"
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return f"a {kind.replace('_', '-')} address"
    return None if address.is_global else "not a publicly routable address"


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network layer with resolution, address checks and host overrides."""

    def __init__(self, options: FetchOptions) -> None:
        self._options = options
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = await self.resolve(host, port, timeout)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:  # next address, as a browser would
                error = exc
        raise error or httpcore.ConnectError(f"no address for {host}")

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise UnsafeURL("refused: unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)

    async def resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        """Checked IP addresses for `host`; UnsafeURL if any of them is off limits."""
        override = self._options.resolve.get(host.lower())
        addresses = [override] if override else await _lookup(host, port, timeout)
        for text in addresses:
            reason = refusal(ip_address(text), self._options.allow_networks)
            if reason:
                shown = host if text == host else f"{host} resolves to {text},"
                raise UnsafeURL(f"refused: {shown} {reason} (see fetch_allow_networks)")
        return addresses


async def _lookup(host: str, port: int, timeout: float | None) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError as exc:
        raise httpcore.ConnectTimeout(f"DNS lookup of {host} timed out") from exc
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"DNS lookup of {host} failed: {exc.strerror}") from exc
    # IPv4/IPv6 sockaddrs (all SOCK_STREAM name lookups give) start with the address string
    return list(dict.fromkeys(cast(str, info[4][0]).split("%")[0] for info in infos))


def guarded_transport(options: FetchOptions) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose every connection goes through `GuardedBackend`."""
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    # httpx has no public hook for the network backend; its pool is replaced with an
    # equivalent one that has ours (covered by the private-address tests).
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=options.concurrency,
        max_keepalive_connections=options.concurrency,
        keepalive_expiry=5.0,
        network_backend=GuardedBackend(options),
    )
    return transport
