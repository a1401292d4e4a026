"""The source registry: which outlets marsad follows, and how analysts label them.

A YAML file (the shipped `marsad/sources.yaml`, or `sources_file` in the settings) lists each
outlet once with its feeds and sitemaps, country and affiliation. Every fetched article carries
its source's id, name, country and affiliation, so Kibana can split coverage by them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from marsad.models import Outlet

Affiliation = Literal["state-affiliated", "public-service", "independent", "private", "unknown"]
SHIPPED = "sources.yaml"


class Source(BaseModel):
    """One outlet. `id` is what articles and the command line use (`marsad fetch rt-arabic`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    homepage: str
    feeds: list[str] = Field(default_factory=list)
    sitemaps: list[str] = Field(default_factory=list)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 of the owner")
    language: str = "ar"
    affiliation: Affiliation = "unknown"
    group: str = Field("default", pattern=r"^[a-z0-9][a-z0-9_-]*$", description="schedule group")
    notes: str | None = None

    def outlet(self) -> Outlet:
        """What every article of this source carries about it."""
        return Outlet(id=self.id, name=self.name, country=self.country,
                      affiliation=self.affiliation)  # fmt: skip

    @field_validator("homepage", "feeds", "sitemaps")
    @classmethod
    def _web_urls(cls, value):
        for url in [value] if isinstance(value, str) else value:
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
                raise ValueError(f"not an http(s) URL: {url!r}")
        return value


class RegistryError(ValueError):
    """A registry file that cannot be used; the message names the file and the problem."""


def load_sources(path: Path | None = None) -> dict[str, Source]:
    """Sources by id, in file order."""
    origin = str(path) if path else f"marsad/{SHIPPED}"
    try:
        text = path.read_text("utf-8") if path else _shipped()
        entries = (yaml.safe_load(text) or {}).get("sources") or []
        sources = [Source.model_validate(entry) for entry in entries]
    except (OSError, yaml.YAMLError, AttributeError) as exc:
        raise RegistryError(f"{origin}: {' '.join(str(exc).split())}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise RegistryError(f"{origin}: {where}: {first['msg']}") from exc
    by_id: dict[str, Source] = {}
    for source in sources:
        if source.id in by_id:
            raise RegistryError(f"{origin}: source id '{source.id}' appears twice")
        by_id[source.id] = source
    return by_id


def _shipped() -> str:
    return resources.files("marsad").joinpath(SHIPPED).read_text("utf-8")


def select(sources: dict[str, Source], ids: list[str] | None) -> list[Source]:
    """The chosen sources (all when `ids` is empty); an unknown id is an error naming it."""
    if not ids:
        return list(sources.values())
    unknown = [i for i in ids if i not in sources]
    if unknown:
        raise RegistryError(f"unknown source {', '.join(unknown)} (known: {', '.join(sources)})")
    return [sources[i] for i in dict.fromkeys(ids)]


def source_for_url(sources: dict[str, Source], url: str) -> Source | None:
    """The source whose homepage is on the same site as `url` (for single article URLs)."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    for source in sources.values():
        if (urlsplit(source.homepage).hostname or "").removeprefix("www.") == host:
            return source
    return None
