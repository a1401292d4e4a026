"""Canonical URLs: the same article under two links must become one URL (and one id)."""

from __future__ import annotations

import pytest

from marsad.extractors.urls import canonical_url, host_of, same_site

ANT_URL = (
    "http://www.alarabiya.net/ar/arab-and-world/2018/02/19/"
    "انفجار-صاروخ-قرب-قطاع-غزة-دون-إصابات.html"
)


def test_raw_and_percent_encoded_arabic_paths_agree():
    encoded = "http://www.alarabiya.net/ar/arab-and-world/2018/02/19/" + (
        "%d8%a7%d9%86%d9%81%d8%ac%d8%a7%d8%b1-%d8%b5%d8%a7%d8%b1%d9%88%d8%ae-%d9%82%d8%b1%d8%a8-"
        "%d9%82%d8%b7%d8%a7%d8%b9-%d8%ba%d8%b2%d8%a9-%d8%af%d9%88%d9%86-"
        "%d8%a5%d8%b5%d8%a7%d8%a8%d8%a7%d8%aa.html"
    )
    assert canonical_url(ANT_URL) == canonical_url(encoded)
    assert "%D8%A7" in canonical_url(ANT_URL)


@pytest.mark.parametrize(
    "variant",
    [
        ANT_URL + "?utm_source=rss&utm_medium=feed&utm_campaign=x",
        ANT_URL + "?fbclid=IwAR0abc",
        ANT_URL + "#comments",
        "HTTP://WWW.ALARABIYA.NET:80" + ANT_URL.removeprefix("http://www.alarabiya.net"),
        "http://www.alarabiya.net/ar/./arab-and-world/x/../2018/02/19/" + ANT_URL.rsplit("/", 1)[1],
        "  " + ANT_URL + "\n",
    ],
)
def test_tracking_case_port_fragment_and_dots_do_not_make_a_new_url(variant):
    assert canonical_url(variant) == canonical_url(ANT_URL)


def test_meaningful_query_parameters_stay_and_are_sorted():
    url = canonical_url("https://www.youm7.com/story?b=2&NewsID=4943459&utm_source=x")
    assert url == "https://www.youm7.com/story?NewsID=4943459&b=2"


def test_relative_links_resolve_against_the_feed():
    got = canonical_url("/story/2020/8/24/x/4943459", "https://www.youm7.com/rss/feed.xml")
    assert got == "https://www.youm7.com/story/2020/8/24/x/4943459"


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/a", "mailto:desk@example.org", "", "/x"]
)
def test_non_web_urls_have_no_canonical_form(url):
    assert canonical_url(url) is None


def test_same_site_ignores_www_and_scheme_but_not_the_host():
    assert same_site("https://www.youm7.com/a", "http://youm7.com:8080/b")
    assert not same_site("https://www.youm7.com/a", "https://www.youm7.com.evil.test/a")
    assert host_of("https://www.bbc.com/arabic") == "bbc.com"
