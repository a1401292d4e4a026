"""The fetch knobs as one immutable value, so the network code never reads global settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Network, IPv6Network, ip_network

from marsad.config import Settings

Network = IPv4Network | IPv6Network


@dataclass(frozen=True)
class FetchOptions:
    user_agent: str = "marsad/0.1 (Arabic news observatory)"
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0
    item_deadline: float = 120.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    host_delay: float = 1.0
    host_concurrency: int = 2
    concurrency: int = 32
    retries: int = 3
    backoff: float = 1.0
    max_retry_after: float = 120.0
    max_crawl_delay: float = 30.0
    allow_networks: tuple[Network, ...] = ()
    resolve: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, s: Settings) -> FetchOptions:
        return cls(
            user_agent=s.user_agent,
            connect_timeout=s.fetch_connect_timeout,
            read_timeout=s.fetch_read_timeout,
            total_timeout=s.fetch_total_timeout,
            item_deadline=s.fetch_item_deadline,
            max_bytes=s.fetch_max_bytes,
            max_redirects=s.fetch_max_redirects,
            host_delay=s.fetch_host_delay,
            host_concurrency=s.fetch_host_concurrency,
            concurrency=s.fetch_concurrency,
            retries=s.fetch_retries,
            backoff=s.fetch_backoff,
            max_retry_after=s.fetch_max_retry_after,
            max_crawl_delay=s.fetch_max_crawl_delay,
            allow_networks=networks(s.fetch_allow_networks),
            resolve={k.lower(): v for k, v in s.fetch_resolve.items()},
        )


def networks(specs: list[str] | tuple[str, ...]) -> tuple[Network, ...]:
    """Parse CIDR strings ("127.0.0.1/32", "10.0.0.0/8"); a bad one is a configuration error."""
    return tuple(ip_network(spec, strict=False) for spec in specs)
