"""Arabic named entities: CRF + gazetteer (+ camel-tools when installed), merged and linked.

Entry point: `pipeline.find_entities(text, pipeline.default_recognizers())`; the extraction
pipeline calls it through `extractors.enrich.enrich_article`.
"""
