"""camel-tools' CAMeLBERT NER, used automatically when it is installed.

It needs torch and transformers, which marsad's default install leaves out (they pull GBs of
CUDA wheels), plus camel-tools' NER model data. To enable it:

    pip install camel-tools torch transformers   # in marsad's environment
    camel_data -i ner-arabert                    # model into ~/.camel_tools (or $CAMELTOOLS_DATA)

or point MARSAD_CAMEL_NER_MODEL at any fine-tuned BERT token-classification directory in the
same format. When torch, transformers or the model are missing, `load_camel` returns None and
the offline recognisers work alone.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import cast

from marsad.extractors.entities.bio import fold_tag, spans
from marsad.extractors.entities.mention import Mention
from marsad.extractors.entities.tokens import Token
from marsad.models import EntityType

NAME = "camel"
MODEL_FILES = ("config.json", "vocab.txt")


def default_model_dir() -> Path:
    """Where `camel_data -i ner-arabert` puts the model (camel-tools 1.6 layout)."""
    data = os.environ.get("CAMELTOOLS_DATA") or Path.home() / ".camel_tools"
    return Path(data).expanduser() / "data" / "ner" / "arabert"


def unavailable_reason(model_dir: Path | None = None) -> str | None:
    """Why the camel recogniser cannot run here, or None when it can."""
    missing = [m for m in ("torch", "transformers") if importlib.util.find_spec(m) is None]
    if missing:
        return f"{' and '.join(missing)} not installed (pip install camel-tools torch transformers)"
    model_dir = model_dir or default_model_dir()
    if not all((model_dir / f).exists() for f in MODEL_FILES):
        return f"no NER model in {model_dir} (camel_data -i ner-arabert)"
    return None


class CamelRecognizer:
    """Wraps camel_tools.ner.NERecognizer; tags tokenised sentences, returns Mentions."""

    def __init__(self, model_dir: Path) -> None:
        from camel_tools.ner import NERecognizer

        self.recognizer = NERecognizer(str(model_dir), use_gpu=False)

    def tag(self, sentences: list[list[str]]) -> list[list[str]]:
        """Folded BIO tags (PERS → PER) per sentence."""
        return [[fold_tag(t) for t in tags] for tags in self.recognizer.predict(sentences)]

    def find(self, sentences: list[list[Token]]) -> list[Mention]:
        tagged = self.tag([[t.text for t in s] for s in sentences if s])
        found = []
        for sentence, tags in zip([s for s in sentences if s], tagged, strict=True):
            for a, b, kind in spans(tags):  # fold_tag leaves only the four entity types
                start, end = sentence[a].start, sentence[b - 1].end
                found.append(Mention(start, end, cast(EntityType, kind), NAME))
        return found


def load_camel(model_dir: Path | None = None) -> CamelRecognizer | None:
    """The camel recogniser if torch, transformers and a model are present, else None."""
    return _load(str(model_dir or default_model_dir()))


@lru_cache(maxsize=2)
def _load(model_dir: str) -> CamelRecognizer | None:
    if unavailable_reason(Path(model_dir)) is not None:
        return None
    return CamelRecognizer(Path(model_dir))
