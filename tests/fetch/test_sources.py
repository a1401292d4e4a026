"""The shipped registry, and that a broken registry fails with the file and the reason."""

from __future__ import annotations

import pytest

from marsad.sources import RegistryError, load_sources, select, source_for_url


def test_shipped_registry_has_a_dozen_arabic_outlets():
    sources = load_sources()
    assert len(sources) >= 12
    assert {"rt-arabic", "sputnik-arabic", "aljazeera", "alarabiya", "skynews-arabia",
            "bbc-arabic", "almayadeen", "asharq-alawsat", "youm7"} <= set(sources)  # fmt: skip
    for source in sources.values():
        assert source.language == "ar" and (source.feeds or source.sitemaps)
        assert source.affiliation in {"state-affiliated", "public-service", "independent",
                                      "private", "unknown"}  # fmt: skip


def test_select_and_unknown_ids():
    sources = load_sources()
    assert [s.id for s in select(sources, ["youm7", "rt-arabic"])] == ["youm7", "rt-arabic"]
    assert len(select(sources, None)) == len(sources)
    with pytest.raises(RegistryError, match="unknown source nope"):
        select(sources, ["nope"])


def test_single_urls_find_their_source():
    sources = load_sources()
    assert source_for_url(sources, "https://youm7.com/story/1").id == "youm7"
    assert source_for_url(sources, "https://unknown.test/") is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("sources:\n  - {id: x, name: X, homepage: 'ftp://x', country: EG}", "not an http"),
        ("sources:\n  - {id: Bad Id, name: X, homepage: 'https://x', country: EG}", "id"),
        ("sources:\n  - {id: x, name: X, homepage: 'https://x', country: EG, affiliation: evil}",
         "affiliation"),
        ("sources:\n  - {id: x, name: X, homepage: 'https://x', country: EG}\n"
         "  - {id: x, name: Y, homepage: 'https://y', country: EG}", "appears twice"),
        ("sources: [", "sources.yaml"),
    ],
)  # fmt: skip
def test_broken_registries_name_the_file_and_problem(tmp_path, text, reason):
    path = tmp_path / "sources.yaml"
    path.write_text(text, "utf-8")
    with pytest.raises(RegistryError, match=reason) as caught:
        load_sources(path)
    assert str(path) in str(caught.value)
