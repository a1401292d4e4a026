"""The file edge of the pipeline: find the files a user named and read them safely.

A folder walk never leaves the folder it was given: a symbolic link that points outside it is
reported, not read, unless the caller allows it (`follow_links`), so a link to /etc/passwd
dropped into an inbox cannot be indexed. Every file has one identity however its folder was
spelt on the command line (`idem`, `./idem`, `/tmp/…/idem`): its resolved absolute path.
File names that are not valid UTF-8 are kept, shown with their odd bytes escaped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from marsad.models import Failure


def display(path: Path | str) -> str:
    """A path as text that can always be printed, hashed and stored (bad bytes escaped)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def identity(path: Path) -> str:
    """What ids of a file's articles are keyed on: its resolved path, whatever the spelling."""
    return display(path.resolve())


def discover(
    paths: Iterable[str | Path], *, follow_links: bool = False
) -> tuple[list[Path], list[Failure]]:
    """Expand folders (recursively, hidden files skipped) into a sorted, de-duplicated list.

    A path that does not exist is reported, not silently skipped. Every file found is listed,
    whatever its ending: one the extractors cannot read is reported with its reason.
    """
    files: dict[Path, Path] = {}  # resolved → as found
    failures: list[Failure] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            root = path.resolve()
            for child in _walk(path):
                target = child.resolve()
                if not follow_links and not target.is_relative_to(root):
                    failures.append(Failure(origin=display(child), stage="load",
                                            reason=f"a link to {display(target)}, outside "
                                            f"{display(path)}: not followed"))  # fmt: skip
                elif target.is_file() and (target not in files or files[target].is_symlink()):
                    files[target] = child  # the file itself, rather than a link to it
        elif path.is_file():
            files.setdefault(path.resolve(), path)
        else:
            failures.append(Failure(origin=display(path), reason="no such file or folder",
                                    stage="load"))  # fmt: skip
    return list(files.values()), failures


def _walk(folder: Path) -> list[Path]:
    """Files under `folder`, sorted, hidden names skipped, linked folders not descended."""
    found = []
    for parent, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(parent) / n for n in sorted(names) if not n.startswith(".")]
        found += [Path(parent) / d for d in dirs if (Path(parent) / d).is_symlink()]
    return sorted(found)


def read_file(path: Path, max_bytes: int) -> bytes:
    """Read a file, refusing oversized ones before loading them into memory."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(f"{size} bytes is over the {max_bytes}-byte limit")
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)  # a file that grew since stat() is refused too
    if len(data) > max_bytes:
        raise ValueError(f"more than {max_bytes} bytes: over the limit")
    return data
