"""Entities and topics for an article: the one call the extraction pipeline makes.

`enrich_article` runs after the basic enrichment (language, matching keys, content hash).
Recognisers, gazetteer and topics are loaded once per process, from the paths in settings
(MARSAD_GAZETTEER_FILE, MARSAD_TOPICS_FILE, MARSAD_CAMEL_NER*) or the shipped files.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from marsad.config import get_settings
from marsad.extractors.entities.gazetteer import TextIndex
from marsad.extractors.entities.pipeline import Recognizers, default_recognizers, find_entities
from marsad.extractors.topics import load_topics, match_topics
from marsad.models import Article, Entity


def enrich_article(article: Article) -> Article:
    """The article with its entities (from the text), topics and per-topic matched terms.

    The text is tokenised and indexed once, for both the entities and the topics.
    """
    index = TextIndex.of(article.text)
    with_entities = article.model_copy(update={"entities": entities_of(article.text, index)})
    return tag_topics(with_entities, get_settings().topics_file, index)


def entities_of(text: str, index: TextIndex | None = None) -> list[Entity]:
    """Entities of a text with the configured recognisers (`index`: the text's, if known)."""
    settings = get_settings()
    rec = recognizers(settings.gazetteer_file, settings.camel_ner_model, settings.camel_ner)
    return find_entities(text, rec, index)


def tag_topics(
    article: Article, topics_file: Path | None = None, index: TextIndex | None = None
) -> Article:
    """Topics from title, text and the article's entities (used again by `marsad retag`).

    `index` is the article text's index if the caller has it already.
    """
    topics = load_topics(topics_file)
    matched = match_topics(article.title, article.text, topics, article.entities, index)
    return article.model_copy(update={"topics": sorted(matched), "topic_terms": matched})


@lru_cache(maxsize=2)
def recognizers(gazetteer: Path | None, camel_model: Path | None, use_camel: bool) -> Recognizers:
    return default_recognizers(gazetteer, camel_model, use_camel)
