"""camel-tools' CAMeLBERT path: found automatically when torch, transformers and a model exist.

The plumbing test builds a tiny, randomly initialised BERT token classifier in camel-tools'
format and runs it through marsad; it needs torch and transformers, which the default install
leaves out (several GB of CUDA wheels), so it is skipped where they are missing.
"""

import importlib.util
from pathlib import Path

import pytest

from marsad.extractors.entities.camel import default_model_dir, load_camel, unavailable_reason
from marsad.extractors.entities.pipeline import Recognizers, find_mentions

HAS_TORCH = all(importlib.util.find_spec(m) for m in ("torch", "transformers"))
LABELS = ["B-LOC", "B-ORG", "B-PERS", "B-MISC", "I-LOC", "I-ORG", "I-PERS", "I-MISC", "O"]


def test_missing_pieces_are_named_and_disable_the_path(tmp_path: Path):
    reason = unavailable_reason(tmp_path)
    assert reason is not None
    assert ("not installed" in reason) if not HAS_TORCH else (str(tmp_path) in reason)
    assert load_camel(tmp_path) is None


def test_default_model_dir_follows_camel_tools_data_variable(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("CAMELTOOLS_DATA", str(tmp_path))
    assert default_model_dir() == tmp_path / "data" / "ner" / "arabert"


@pytest.mark.skipif(not HAS_TORCH, reason="torch and transformers are not installed "
                    "(pip install camel-tools torch transformers to run this)")  # fmt: skip
def test_tiny_random_bert_runs_through_the_camel_recognizer(tmp_path: Path):
    from transformers import BertConfig, BertForTokenClassification

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "قال", "بوتين", "في", "موسكو", "."]
    (tmp_path / "vocab.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    config = BertConfig(vocab_size=len(words), hidden_size=16, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=32, num_labels=len(LABELS),
                        id2label=dict(enumerate(LABELS)),
                        label2id={label: i for i, label in enumerate(LABELS)})  # fmt: skip
    BertForTokenClassification(config).save_pretrained(tmp_path)
    camel = load_camel(tmp_path)
    assert camel is not None
    text = "قال بوتين في موسكو ."
    tags = camel.tag([text.split()])[0]
    assert len(tags) == 5 and all(t == "O" or t[2:] in {"PER", "ORG", "LOC", "MISC"} for t in tags)
    mentions = find_mentions(text, Recognizers(camel=camel))
    assert all(m.recognizer in {"camel", "propagated", "surname"} for m in mentions)
    assert all(text[m.start : m.end].strip() for m in mentions)
