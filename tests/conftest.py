"""Real parts only: the embedded Elasticsearch node and a real Prefect API (test harness).

Tests write to their own index prefix, so a developer's demo index is never touched.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("MARSAD_INDEX_PREFIX", f"marsad-test-{uuid.uuid4().hex[:6]}")

from marsad.config import get_settings

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_26f213205dacc3d1.txt"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def settings():
    get_settings.cache_clear()
    return get_settings()


@pytest.fixture(scope="session")
def es(settings):
    """A live cluster: the embedded node (started here if needed) or MARSAD_ES_URL."""
    from marsad.elastic.client import connect
    from marsad.elastic.embedded import EmbeddedNode

    node = EmbeddedNode(settings) if settings.embedded else None
    was_running = bool(node and node.status().running)
    client = connect(settings)
    yield client
    client.indices.delete(index=f"{settings.index_prefix}-*", ignore_unavailable=True)
    client.options(ignore_status=404).indices.delete_index_template(
        name=f"{settings.index_prefix}-*"
    )
    if node and not was_running:
        node.stop()


@pytest.fixture(scope="session")
def prefect_api():
    """A real, temporary Prefect API server for the flows under test."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def article_index(es, settings):
    """A fresh, empty articles index (template, versioned index, alias) for one test."""
    from marsad.elastic.articles import ArticleIndex

    index = ArticleIndex(es, settings.index_prefix)
    index.drop()
    index.ensure()
    yield index
    index.drop()
