"""One way to get an Elasticsearch client: the configured cluster, or the embedded node."""

from __future__ import annotations

from typing import TYPE_CHECKING

from marsad.config import Settings
from marsad.elastic.embedded import EmbeddedNode

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch


def connect(settings: Settings, *, start_embedded: bool = True) -> Elasticsearch:
    """Client for MARSAD_ES_URL (with user/password or API key), else the embedded node."""
    from elasticsearch import Elasticsearch  # on first use: commands that need no cluster skip it

    if settings.embedded:
        node = EmbeddedNode(settings)
        if start_embedded:
            node.start()
        return Elasticsearch(node.url, request_timeout=60)
    auth: dict = {}
    if settings.es_api_key:
        auth["api_key"] = settings.es_api_key
    elif settings.es_username:
        auth["basic_auth"] = (settings.es_username, settings.es_password or "")
    return Elasticsearch(
        settings.es_url,
        ca_certs=settings.es_ca_certs,  # type: ignore[arg-type]  # None is NodeConfig's default
        verify_certs=settings.es_verify_certs,
        request_timeout=60,
        **auth,
    )
