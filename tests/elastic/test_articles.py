"""The articles index on a real node: the production template, Arabic analysis, writes, search."""

from __future__ import annotations

import json

from marsad.elastic.articles import TEMPLATE_FILE, load_template, search_articles, write_articles
from marsad.models import Article, article_id

from ..conftest import ROOT


def _article(title: str, text: str, key: str = "a") -> Article:
    return Article(id=article_id(url=None, source="t", key=key), title=title, text=text, source="t")


def _tokens(index, text: str, analyzer: str = "marsad_arabic") -> list[str]:
    result = index.es.indices.analyze(index=index.alias, analyzer=analyzer, text=text)
    return [t["token"] for t in result["tokens"]]


def test_the_template_on_the_node_is_the_production_file(article_index):
    shipped = json.loads((ROOT / "marsad" / "elastic" / TEMPLATE_FILE).read_text("utf-8"))
    stored = article_index.es.indices.get_index_template(name=article_index.alias)
    template = stored["index_templates"][0]["index_template"]
    assert template["index_patterns"] == [f"{article_index.alias}-v*"]
    assert template["template"]["mappings"] == shipped["template"]["mappings"]
    analysis = template["template"]["settings"]["index"]["analysis"]
    assert analysis == json.loads(json.dumps(shipped["template"]["settings"]["analysis"]))
    assert load_template()["template"] == shipped["template"]


def test_alias_points_at_a_versioned_index(article_index):
    aliases = article_index.es.indices.get_alias(name=article_index.alias)
    assert list(aliases) == [f"{article_index.alias}-v1"]


def test_arabic_analysis_folds_hamza_digits_and_stems(article_index):
    assert _tokens(article_index, "إيلون ماسك") == _tokens(article_index, "ايلون ماسك")
    assert _tokens(article_index, "٢٠٢٤", "marsad_arabic_exact") == ["2024"]
    assert _tokens(article_index, "في") == []  # Arabic stop word
    stemmed = _tokens(article_index, "والمحادثات")
    assert stemmed and stemmed != _tokens(article_index, "والمحادثات", "marsad_arabic_exact")


def test_rewriting_the_same_article_is_unchanged_and_an_edit_updates(article_index):
    first = write_articles(article_index, [_article("عنوان", "نص أول")], refresh=True)
    again = write_articles(article_index, [_article("عنوان", "نص أول")], refresh=True)
    edited = write_articles(article_index, [_article("عنوان", "نص معدل")], refresh=True)
    assert (len(first.created), len(again.unchanged), len(edited.updated)) == (1, 1, 1)
    assert article_index.count() == 1


def test_search_highlights_arabic_snippets(article_index):
    write_articles(
        article_index,
        [_article("خبر", "أعلنت شركة سبيس إكس عن توسيع خدمة ستارلينك في المنطقة")],
        refresh=True,
    )
    total, hits = search_articles(article_index, "ستارلينك")
    assert total == 1
    assert "«ستارلينك»" in hits[0].snippets[0]


def test_one_batch_of_new_unchanged_and_edited_articles(article_index):
    """New ones are created in one pass; only the held ids are compared, and an unchanged one
    is not written again (its version stays)."""
    write_articles(
        article_index, [_article("أ", "نص", "1"), _article("ب", "نص", "2")], refresh=True
    )
    before = article_index.es.get(index=article_index.alias, id=_article("أ", "نص", "1").id)
    batch = [_article("أ", "نص", "1"), _article("ب", "نص آخر", "2"), _article("ج", "نص", "3")]
    report = write_articles(article_index, batch + batch[2:], refresh=True)
    ids = [a.id for a in batch]
    assert (report.unchanged, report.updated, report.created) == ([ids[0]], [ids[1]], [ids[2]])
    after = article_index.es.get(index=article_index.alias, id=ids[0])
    assert after["_version"] == before["_version"]
    assert article_index.count() == 3


def test_every_article_is_on_the_time_axis_and_keeps_when_it_was_first_seen(article_index):
    undated = _article("عنوان", "نص أول", "undated")
    dated = _article("عنوان", "نص", "dated").model_copy(
        update={"published_at": "2018-07-16T10:00:00+00:00"}
    )
    write_articles(article_index, [undated, dated], refresh=True)
    first = article_index.es.get(index=article_index.alias, id=undated.id)["_source"]
    assert first["event_at"] == first["first_seen_at"] == first["ingested_at"]
    got = article_index.es.get(index=article_index.alias, id=dated.id)["_source"]
    assert got["event_at"] == got["published_at"] == "2018-07-16T10:00:00+00:00"
    edited = undated.model_copy(update={"text": "نص معدل"})
    assert write_articles(article_index, [edited], refresh=True).updated == [undated.id]
    again = article_index.es.get(index=article_index.alias, id=undated.id)["_source"]
    assert again["ingested_at"] != first["ingested_at"]  # rewritten now
    assert again["first_seen_at"] == again["event_at"] == first["first_seen_at"]
