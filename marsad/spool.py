"""Articles that could not be written, kept on disk with the reason until they are.

When the cluster is down or keeps rejecting writes, a batch's articles go here instead of being
lost: one JSON Lines file per batch, written to a temporary name and renamed, so a crash never
leaves half a file. The next run, or `marsad replay`, writes them and removes the file. Writes
are idempotent (ids are stable), so an article that did reach the index before the outage is
simply "unchanged" when it is replayed, never a duplicate.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from marsad.models import Article

SUFFIX = ".jsonl"


class Spool:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def put(self, articles: list[Article], reason: str) -> Path | None:
        """Keep `articles` with `reason`; the file written (None when there is nothing)."""
        if not articles:
            return None
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}{SUFFIX}"
        partial = path.with_suffix(".part")
        with partial.open("w", encoding="utf-8") as handle:
            for article in articles:
                record = {"reason": reason, "article": article.model_dump(mode="json")}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        partial.rename(path)
        return path

    def files(self) -> list[Path]:
        return sorted(self.folder.glob(f"*{SUFFIX}")) if self.folder.is_dir() else []

    def count(self) -> int:
        """Articles waiting in the spool."""
        return sum(1 for path in self.files() for line in path.open("rb") if line.strip())

    def batches(self) -> Iterator[tuple[Path, list[Article]]]:
        """Each spooled batch, oldest first; `done(path)` once it is written."""
        for path in self.files():
            lines = path.read_text("utf-8").splitlines()
            yield path, [Article.model_validate(json.loads(x)["article"]) for x in lines if x]

    @staticmethod
    def done(path: Path) -> None:
        path.unlink(missing_ok=True)
