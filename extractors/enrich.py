"""Entities and topics of an article. Pure: the recognisers and topics come in as arguments.

Loading them (from the settings' paths or the shipped files, once per process) is the
pipeline's job (`marsad.pipeline.enrich`); here an article goes in and comes out enriched.
"""

from __future__ import annotations

from collections.abc import Sequence

from marsad.extractors.entities.gazetteer import TextIndex
from marsad.extractors.entities.pipeline import Recognizers, find_entities
from marsad.extractors.topics import Topic, match_topics
from marsad.models import Article


def enrich_article(article: Article, recognizers: Recognizers, topics: Sequence[Topic]) -> Article:
    """The article with its entities (from the text), topics and per-topic matched terms.

    The text is tokenised and indexed once, for both the entities and the topics.
    """
    index = TextIndex.of(article.text)
    entities = find_entities(article.text, recognizers, index)
    return tag_topics(article.model_copy(update={"entities": entities}), topics, index)


def tag_topics(
    article: Article, topics: Sequence[Topic], index: TextIndex | None = None
) -> Article:
    """Topics from title, text and the article's entities (used again by `marsad retag`).

    `index` is the article text's index if the caller has it already.
    """
    matched = match_topics(article.title, article.text, list(topics), article.entities, index)
    return article.model_copy(update={"topics": sorted(matched), "topic_terms": matched})
