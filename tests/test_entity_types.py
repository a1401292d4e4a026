"""One table of entity types: everything that names the types agrees with marsad.entity_types."""

from __future__ import annotations

from typing import get_args

from marsad.elastic.articles import ENTITY_FACETS, load_template
from marsad.entity_types import CODES, ENTITY_KINDS, FACETS, ID_FACET, LABELS, LATIN_FACET
from marsad.evaluation import TYPES
from marsad.extractors.entities import bio, document, gazetteer, lexicon
from marsad.kibana import SAVED_OBJECTS
from marsad.models import Entity


def test_the_model_accepts_exactly_the_table_s_codes():
    annotation = Entity.model_fields["type"].annotation
    assert get_args(annotation) == CODES


def test_recognisers_and_evaluation_use_the_table():
    assert lexicon.LABELS == CODES == document.KINDS == gazetteer.TYPES == TYPES
    assert set(bio.TYPE_NAMES.values()) == set(CODES)


def test_the_index_template_has_a_keyword_facet_per_type():
    properties = load_template()["template"]["mappings"]["properties"]
    assert ENTITY_FACETS == FACETS
    for kind in ENTITY_KINDS:
        assert properties[kind.facet] == {"type": "keyword"}, kind.facet
    facets_in_template = {name for name in properties if name.startswith("entity_")}
    assert facets_in_template == {*FACETS.values(), ID_FACET, LATIN_FACET}
    assert properties[ID_FACET] == properties[LATIN_FACET] == {"type": "keyword"}


def test_kibana_charts_split_by_every_facet_with_its_label():
    shipped = SAVED_OBJECTS.read_text("utf-8")
    for kind in ENTITY_KINDS:
        assert kind.facet in shipped and kind.label_ar in shipped


def test_reports_have_a_label_per_type():
    assert list(LABELS) == list(CODES) and all(LABELS.values())
