"""All configuration in one place: `MARSAD_*` environment variables over a TOML file.

The file is `marsad.toml` in the working directory, or the path in `MARSAD_CONFIG`.
Environment variables win over the file, so CI and containers can override anything.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def _config_file() -> Path:
    return Path(os.environ.get("MARSAD_CONFIG", "marsad.toml"))


class Settings(BaseSettings):
    """Every knob marsad has. Field `x` is set by env `MARSAD_X` or key `x` in the file."""

    model_config = SettingsConfigDict(env_prefix="MARSAD_", extra="ignore")

    # -- Elasticsearch: leave es_url unset to use the embedded local node --
    es_url: str | None = Field(None, description="cluster URL; unset = embedded node")
    es_username: str | None = None
    es_password: str | None = None
    es_api_key: str | None = None
    es_ca_certs: str | None = None
    es_verify_certs: bool = True
    index_prefix: str = Field("marsad", description="prefix of index, alias and template")

    # -- embedded node (development and tests) --
    es_version: str = Field("9.5.4", description="Elasticsearch 9.x integ-test-zip version")
    es_port: int = 9200
    es_heap: str = "1g"
    es_user: str = Field("marsad-es", description="unprivileged user the node runs as under root")
    state_dir: Path = Field(Path(".marsad"), description="project-local data, logs, config")
    cache_dir: Path | None = Field(None, description="downloads cache; default outside the repo")
    java_home: Path | None = Field(None, description="Java 21+; default: Temurin 25, a JDK")

    # -- input limits --
    max_file_bytes: int = Field(20 * 1024 * 1024, description="files above this are refused")
    max_text_chars: int = Field(
        200_000, description="an article's text above this fails (bounds the work per item)"
    )
    follow_links: bool = Field(False, description="follow symlinks out of an input folder")
    item_cpu_seconds: float | None = Field(
        30.0, description="CPU seconds one file may take in a worker before it fails"
    )
    workers: int | None = Field(
        None, description="worker processes for extraction and enrichment; unset = cores"
    )
    spool_dir: Path | None = Field(None, description="unwritten articles; unset = state_dir/spool")
    write_batch: int = Field(
        2000, ge=1, description="articles per bulk-write task of an ingest (fewer, larger writes)"
    )
    fail_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="a run ends Failed when more than this share of its sources (fetch) or "
        "files (ingest) got nothing through; all of them always fails it",
    )
    write_wait: float = Field(
        10.0, ge=0, description="seconds an ingest holds articles before writing them anyway"
    )

    # -- enrichment: entities and topics (extractors/entities, extractors/topics.py) --
    topics_file: Path | None = Field(None, description="topics YAML; unset = shipped one")
    gazetteer_file: Path | None = Field(None, description="gazetteer YAML; unset = shipped one")
    camel_ner: bool = Field(True, description="use camel-tools' CAMeLBERT NER when installed")
    camel_ner_model: Path | None = Field(None, description="unset = camel-tools' ner-arabert")

    # -- stories across outlets (marsad/stories.py) --
    place_stories: bool = Field(
        True, description="place new articles in stories at the end of every ingest and fetch"
    )

    # -- alerts (marsad/alerts.py) --
    alerts_file: Path | None = Field(None, description="subscriptions YAML; unset = no alerts")
    alerts_state_file: Path | None = Field(None, description="unset = <state_dir>/alerts.sqlite")
    alerts_lookback_days: int = Field(7, ge=1, description="how far back a first run looks")
    alerts_backoff: float = Field(
        60.0, ge=0, description="seconds before a failed delivery is tried again; doubles"
    )
    alerts_max_backoff: float = Field(3600.0, ge=0, description="cap on that wait")
    alerts_interval: int = Field(600, ge=60, description="seconds between scheduled alert runs")
    spike_days: int = Field(14, ge=3, description="days of the baseline a spike is measured on")
    spike_min: int = Field(5, ge=1, description="a day needs at least this many articles to spike")
    smtp_host: str = Field("127.0.0.1", description="mail relay for e-mail alerts")
    smtp_port: int = Field(25, description="its port")
    smtp_sender: str = Field("marsad@localhost", description="From: of alert e-mails")
    smtp_timeout: float = Field(20.0, gt=0, description="seconds for one delivery")
    webhook_timeout: float = Field(20.0, gt=0, description="seconds for one webhook POST")

    # -- task runner of the ingest flow (flows/runners.py) --
    task_runner: Literal["thread", "dask"] = Field(
        "thread", description="thread = one process; dask = extraction batches on Dask workers"
    )
    dask_address: str | None = Field(
        None, description="scheduler, e.g. tcp://scheduler:8786; unset = LocalCluster per run"
    )
    dask_workers: int | None = Field(
        None, description="LocalCluster processes; in-flight batches = 2x this; unset = cores"
    )

    # -- web fetching (marsad.fetch) --
    sources_file: Path | None = Field(None, description="source registry; unset = shipped one")
    fetch_state_file: Path | None = Field(None, description="unset = <state_dir>/fetch.sqlite")
    user_agent: str = Field(
        "marsad/0.1 (Arabic news observatory)", description="add a contact URL in production"
    )
    fetch_connect_timeout: float = Field(10.0, description="seconds to connect (DNS included)")
    fetch_read_timeout: float = Field(30.0, description="seconds of silence while reading")
    fetch_total_timeout: float = Field(120.0, description="seconds for a whole response")
    fetch_item_deadline: float = Field(
        120.0, gt=0, description="seconds one item may take in all: retries, redirects, robots"
    )
    fetch_max_bytes: int = Field(10 * 1024 * 1024, description="larger responses are refused")
    fetch_max_redirects: int = 5
    fetch_host_delay: float = Field(1.0, description="minimum seconds between requests to a host")
    fetch_host_concurrency: int = Field(2, description="parallel requests per host")
    fetch_concurrency: int = Field(32, description="parallel requests in all")
    fetch_retries: int = Field(3, description="in-run retries on 5xx, 429 and network errors")
    fetch_backoff: float = Field(1.0, description="first backoff in seconds; doubles, jittered")
    fetch_max_retry_after: float = Field(120.0, description="longer Retry-After = fail for now")
    fetch_max_crawl_delay: float = Field(30.0, description="cap on a robots.txt Crawl-delay")
    fetch_max_attempts: int = Field(5, description="runs an item is tried before it is dropped")
    fetch_item_backoff: float = Field(
        900.0, ge=0, description="seconds before a failed item is retried; doubles per attempt"
    )
    fetch_max_items_per_source: int = Field(500, description="per run; the rest wait, listed")
    fetch_max_sitemaps: int = Field(20, description="child sitemaps read from a sitemap index")
    fetch_allow_networks: list[str] = Field(
        default_factory=list, description="private networks fetching may reach, e.g. 127.0.0.1/32"
    )
    fetch_resolve: dict[str, str] = Field(
        default_factory=dict, description="host → IP overrides, like curl --resolve (tests)"
    )

    # -- the local Prefect server (`marsad prefect start`) --
    prefect_port: int = Field(4200, description="port of the local Prefect server on 127.0.0.1")

    # -- schedules and the inbox (flows/serve.py, flows/watch_inbox.py) --
    schedules: dict[str, str] = Field(
        default_factory=lambda: {"default": "0 * * * *"},
        description="cron per source group (the registry's `group`); JSON in the env var",
    )
    schedule_timezone: str = Field("UTC", description="IANA zone the crons are read in")
    serve_limit: int = Field(4, description="flow runs one `marsad serve` process runs at once")
    inbox_dir: Path = Field(Path("inbox"), description="watched folder; done/ and failed/ inside")
    inbox_settle: float = Field(5.0, description="seconds a file must stay unchanged to be read")
    inbox_concurrency: int = Field(2, description="inbox flow runs at once; the rest queue")

    # -- Kibana (`marsad kibana setup`) --
    kibana_url: str = "http://localhost:5601"
    kibana_username: str | None = None
    kibana_password: str | None = None
    kibana_verify_certs: bool = True

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_config_file())
        return (init_settings, env_settings, toml)

    @property
    def embedded(self) -> bool:
        return not self.es_url

    @property
    def alias(self) -> str:
        """The stable name analysts and Kibana use; it points at the current versioned index."""
        return f"{self.index_prefix}-articles"

    @property
    def spool_path(self) -> Path:
        return self.spool_dir or self.state_dir / "spool"

    @property
    def fetch_state_path(self) -> Path:
        return self.fetch_state_file or self.state_dir / "fetch.sqlite"

    @property
    def alerts_state_path(self) -> Path:
        return self.alerts_state_file or self.state_dir / "alerts.sqlite"


@lru_cache
def get_settings() -> Settings:
    return Settings()
