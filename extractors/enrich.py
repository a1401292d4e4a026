"""Entities and topics of an article. Pure: the recognisers and topics come in as arguments.

Loading them (from the settings' paths or the shipped files, once per process) is the
pipeline's job (`marsad.pipeline.enrich`); here an article goes in and comes out enriched.
"""

from __future__ import annotations

from collections.abc import Sequence

from marsad.extractors.entities.gazetteer import TextIndex
from marsad.extractors.entities.pipeline import Recognizers, find_entities
from marsad.extractors.topics import Topic, score_topics
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
    """Topics scored on the title and text, within each topic's dates (used again by
    `marsad retag`): the tagged ones, the mere mentions, and every score with its evidence.

    `index` is the article text's index if the caller has it already.
    """
    published = article.published_at.date() if article.published_at else None
    hits = score_topics(article.title, article.text, topics, published, index)
    return article.model_copy(
        update={
            "topics": sorted(h.topic for h in hits if h.tagged),
            "topic_mentions": sorted(h.topic for h in hits if not h.tagged),
            "topic_hits": hits,
            "topic_terms": {h.topic: h.terms for h in hits if h.tagged},
        }
    )
