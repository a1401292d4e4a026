"""The file edge of the pipeline: find the files a user named and read them safely."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from marsad.models import Failure


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[Failure]]:
    """Expand folders (recursively, hidden files skipped) into a sorted, de-duplicated list.

    A path that does not exist is reported, not silently skipped. Every file found is listed,
    whatever its ending: one the extractors cannot read is reported with its reason.
    """
    files: dict[Path, None] = {}
    missing: list[Failure] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path).parts
                if child.is_file() and not any(p.startswith(".") for p in rel):
                    files[child] = None
        elif path.is_file():
            files[path] = None
        else:
            missing.append(Failure(origin=str(path), reason="no such file or folder", stage="load"))
    return list(files), missing


def read_file(path: Path, max_bytes: int) -> bytes:
    """Read a file, refusing oversized ones before loading them into memory."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(f"{size} bytes is over the {max_bytes}-byte limit")
    return path.read_bytes()
