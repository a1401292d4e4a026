"""Analysts' topics: which articles are about them, with a score and the sentences that show it.

An article is tagged with a topic when the topic is its subject or a substantial part of it
(the headline, or at least a paragraph), not when it merely uses the topic's words: rules
(`rules.py`, from an analyst-edited YAML) find signals in windows of the article
(`windows.py`: the headline, then each sentence and paragraph of the text), and the score
weighs where they are (`score.py`). Below the threshold a topic is kept as a mention.
"""

from marsad.extractors.topics.rules import Topic, load_topics
from marsad.extractors.topics.score import score_topics

__all__ = ["Topic", "load_topics", "score_topics"]
