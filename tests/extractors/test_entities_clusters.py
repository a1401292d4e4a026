"""Word clusters from the unlabelled ANT corpus, as CRF features."""

from __future__ import annotations

from marsad.extractors.entities.clusters import cluster_features, default_clusters
from marsad.extractors.normalize import normalize_arabic


def test_the_shipped_clusters_cover_the_news_vocabulary():
    clusters = default_clusters()
    assert len(clusters) > 50_000
    assert all(0 <= coarse < 256 and 0 <= fine < 1024 for coarse, fine in clusters.values())


def test_names_used_alike_share_a_coarse_cluster_more_than_chance():
    """Capitals sit with capitals: word2vec puts words written in the same contexts together."""
    clusters = default_clusters()
    capitals = [normalize_arabic(w) for w in ("موسكو", "طهران", "دمشق", "باريس", "لندن", "بغداد")]
    coarse = [clusters[w][0] for w in capitals if w in clusters]
    assert len(coarse) == len(capitals)
    assert max(coarse.count(c) for c in coarse) >= 3  # chance: about 1 in 256


def test_a_word_with_clitics_takes_the_clusters_of_a_reading_the_corpus_knows():
    assert "وبموسكو" not in default_clusters()
    assert cluster_features(normalize_arabic("وبموسكو")) != ["cc=none"]  # بموسكو or موسكو
    assert cluster_features("كلمةلاتوجد") == ["cc=none"]
