"""What the terminal shows: user text printed exactly as it is, one line per failure.

File names, reasons, titles and highlights come from outside. They are never read as rich
markup (a file named `m4_[/red]x.txt` is a name, not a style), control characters and line
breaks inside them are shown escaped (a name with a newline stays on its failure's line),
bidi overrides cannot reorder the line, and long reasons are shortened for reading;
`--format json` output carries them in full.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:  # `marsad --help` should not wait for pydantic
    from marsad.models import Failure

REASON_CHARS = 240
# C0/C1 controls, line and paragraph separators, bidi embeddings/overrides/isolates, marks
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def one_line(text: str, limit: int | None = None) -> str:
    """`text` on one line: unsafe characters shown as escapes, cut to `limit` characters."""
    safe = _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    if limit is not None and len(safe) > limit:
        return safe[: limit - 1] + "…"
    return safe


def failure_text(failure: Failure) -> Text:
    """`failed <origin>: <reason>` as plain text, the reason shortened for reading."""
    line = Text("failed ", style="yellow")
    line.append(f"{one_line(failure.origin)}: {one_line(failure.reason, REASON_CHARS)}")
    return line


def print_failures(console: Console, failures: Iterable[Failure]) -> None:
    for failure in failures:
        console.print(failure_text(failure), soft_wrap=True, highlight=False)


def failure_record(failure: Failure) -> dict[str, str]:
    """A failure for machines: the origin and the whole reason, exactly as they are."""
    return {"origin": failure.origin, "reason": failure.reason, "stage": failure.stage}


def write_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")


def marked(text: str, marks: tuple[str, str], style: str = "bold yellow") -> Text:
    """Highlighted text (between the two marks) as styled Text, whatever else it contains."""
    out, on = Text(), False
    for piece in re.split(f"({re.escape(marks[0])}|{re.escape(marks[1])})", text):
        if piece in marks:
            on = piece == marks[0]
        elif piece:
            out.append(one_line(piece), style=style if on else None)
    return out
