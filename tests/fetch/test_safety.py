"""SSRF safety: which addresses are refused, and that the refusal holds on real connections."""

from __future__ import annotations

from ipaddress import ip_address

import pytest

from marsad.fetch.client import FetchError
from marsad.fetch.options import networks
from marsad.fetch.safety import refusal
from marsad.fetch.urlcheck import url_problem
from tests.fetch.conftest import get, test_options


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("100.100.100.200", "metadata"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "not a publicly routable"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
    ],
)
def test_non_public_addresses_are_refused(address, kind):
    assert kind in (refusal(ip_address(address), ()) or "")


@pytest.mark.parametrize("address", ["8.8.8.8", "2a00:1450:4001::1", "185.199.108.153"])
def test_public_addresses_pass(address):
    assert refusal(ip_address(address), ()) is None


def test_configured_networks_are_allowed_and_nothing_more():
    allowed = networks(["127.0.0.1/32"])
    assert refusal(ip_address("127.0.0.1"), allowed) is None
    assert refusal(ip_address("127.0.0.2"), allowed) == "a loopback address"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://a.test/", "gopher://a.test/"])
def test_only_http_and_https(url):
    assert "is not http or https" in (url_problem(url) or "")


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::1]/",
        "http://2130706433/",  # 127.0.0.1 as a decimal number
        "http://localhost/",
    ],
)
def test_private_targets_are_refused_before_any_connection(url):
    with pytest.raises(FetchError, match="refused") as caught:
        get(url, test_options(allow_networks=(), retries=0))
    assert not caught.value.retryable


def test_the_test_server_itself_is_refused_unless_allowed(site):
    site.serve(site.url("127.0.0.1", "/a"), "<p>x</p>")
    with pytest.raises(FetchError, match="127.0.0.1 a loopback address"):
        get(site.url("127.0.0.1", "/a"), test_options(allow_networks=()))
    assert site.hits == []  # refused before connecting: not even robots.txt was asked for
    assert get(site.url("127.0.0.1", "/a")).status == 200


def test_a_resolved_name_is_checked_too(site):
    """A host name resolving to a refused address (here via the resolve hook) is refused."""
    options = test_options(resolve={"inside.test": "127.0.0.2"})
    with pytest.raises(FetchError, match=r"inside.test resolves to 127.0.0.2, a loopback"):
        get(f"http://inside.test:{site.port}/", options)
