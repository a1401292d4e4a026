"""The one exception extractors raise; callers turn it into a `Failure`."""

from __future__ import annotations


class ExtractionError(Exception):
    """An input that cannot become an article. The message is a one-line reason for analysts."""

    def __init__(self, reason: str) -> None:
        # One line, always: reasons end up in logs and tables, one per failed item.
        self.reason = " ".join(str(reason).split()) or "unknown extraction problem"
        super().__init__(self.reason)


def unexpected(err: BaseException) -> str:
    """The one-line reason for an error no extractor expected (a bug, reported, not raised)."""
    return " ".join(f"unexpected {type(err).__name__}: {err}".split())
