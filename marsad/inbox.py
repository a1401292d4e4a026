"""The inbox folder: which files are ready, what a run is keyed on, and where a file goes after.

Half-written files are never read: a file is ready only once its size and modification time
have stayed the same for the settle time, and names writers use while writing (`.part`,
`.tmp`, hidden files…) are never candidates, so write-then-rename is picked up on the rename.
After its run a file moves to `done/` or `failed/` inside the inbox, with a `.reason` file
beside it when something in it failed. A file in a sub-folder belongs to the source of that
name (`inbox/rt-arabic/page.html` → source `rt-arabic`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from marsad.report import IngestSummary

DONE, FAILED = "done", "failed"
REASON_SUFFIX = ".reason"
WRITING_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download", ".swp", "~")


def is_candidate(rel: PurePosixPath) -> bool:
    """A path (relative to the inbox) that may be an input, once it has settled."""
    if not rel.parts or rel.parts[0] in (DONE, FAILED):
        return False
    if any(part.startswith(".") for part in rel.parts):
        return False
    return not rel.name.endswith((*WRITING_SUFFIXES, REASON_SUFFIX))


def source_for(rel: PurePosixPath) -> str | None:
    """The sub-folder a file sits in names its source; a top-level file has none."""
    return rel.parts[0] if len(rel.parts) > 1 else None


@dataclass(frozen=True)
class Seen:
    """What a file looked like at one observation."""

    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, path: Path) -> Seen:
        st = path.stat()
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@dataclass
class Settler:
    """Tracks candidate files until each has stayed unchanged for `settle` seconds."""

    settle: float
    _since: dict[PurePosixPath, tuple[Seen, float]] = field(default_factory=dict)

    def observe(self, rel: PurePosixPath, seen: Seen | None, now: float) -> None:
        """Record a file's current state; a change (or a first sight) restarts its clock."""
        if seen is None:
            self._since.pop(rel, None)
        elif self._since.get(rel, (None, 0.0))[0] != seen:
            self._since[rel] = (seen, now)

    def ready(self, now: float) -> list[tuple[PurePosixPath, Seen]]:
        """Files unchanged for the settle time; they leave the tracker."""
        done = [(rel, seen) for rel, (seen, t) in self._since.items() if now - t >= self.settle]
        for rel, _ in done:
            del self._since[rel]
        return sorted(done)

    def tracked(self) -> list[PurePosixPath]:
        return list(self._since)


def run_key(rel: PurePosixPath, seen: Seen) -> str:
    """Idempotency key of the flow run for this file as it is now.

    Stable across watcher restarts (same path, size and times), new when the file is replaced
    or moved back from failed/ (a rename changes ctime), so a retry is a new run.
    """
    basis = f"{rel}\x1f{seen.size}\x1f{seen.mtime_ns}\x1f{seen.ctime_ns}"
    return "marsad-inbox-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def destination(inbox: Path, rel: PurePosixPath, ok: bool) -> Path:
    """`done/<rel>` or `failed/<rel>`; an existing name gets `~1`, `~2`… before its suffixes."""
    target = inbox / (DONE if ok else FAILED) / rel
    stem, suffixes = _split(target.name)
    n = 0
    while target.exists() or _reason_path(target).exists():
        n += 1
        target = target.with_name(f"{stem}~{n}{suffixes}")
    return target


def _split(name: str) -> tuple[str, str]:
    stem, dot, rest = name.partition(".")
    return (stem, dot + rest) if stem else (name, "")


def _reason_path(target: Path) -> Path:
    return target.with_name(target.name + REASON_SUFFIX)


def file_away(inbox: Path, rel: PurePosixPath, ok: bool, reasons: list[str]) -> Path:
    """Move a processed file out of the inbox; write its reasons beside it if there are any.

    The reason file is written first, so a crash in between leaves the file in the inbox
    (to be retried), never a file in failed/ without its reason.
    """
    target = destination(inbox, rel, ok)
    target.parent.mkdir(parents=True, exist_ok=True)
    if reasons:
        _reason_path(target).write_text("\n".join(reasons) + "\n", "utf-8")
    try:
        os.replace(inbox / rel, target)
    except OSError:  # another file system (a mounted done/): copy, then remove
        shutil.move(inbox / rel, target)
    return target


def verdict(summary: IngestSummary, origin: str) -> tuple[bool, list[str]]:
    """Done when at least one article of the file is in the index; its failures are reasons."""
    kept = summary.per_file[origin].kept if origin in summary.per_file else 0
    reasons = [f"{f.stage}: {f.reason}" for f in summary.failed]
    if not kept and not reasons:
        reasons = ["no article found in the file"]
    return kept > 0, reasons


def scan(inbox: Path) -> dict[PurePosixPath, Seen]:
    """Every candidate file in the inbox now, with its state (done/ and failed/ skipped)."""
    found: dict[PurePosixPath, Seen] = {}
    for root, dirs, files in os.walk(inbox):
        rel_root = PurePosixPath(Path(root).relative_to(inbox).as_posix())
        top = not rel_root.parts
        dirs[:] = [d for d in dirs if not d.startswith(".") and not (top and d in (DONE, FAILED))]
        for name in files:
            rel = rel_root / name
            if is_candidate(rel):
                try:
                    found[rel] = Seen.of(inbox / rel)
                except FileNotFoundError:
                    continue
    return found
