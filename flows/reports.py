"""Run reports as Prefect artifacts: a table per file or source, and the run's top topics/entities.

An operator opens a flow run in the Prefect UI and sees what happened without reading logs:
counts per file (ingest) or per source (fetch), every failure with its reason, and what the
articles the run wrote were about. The counters live on the run summaries; this module only
counts and renders.
"""

from __future__ import annotations

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from marsad.entity_types import LABELS as ENTITY_LABELS
from marsad.fetch.report import FetchSummary
from marsad.models import Failure
from marsad.report import FileCounts, IngestSummary, RunTally

MAX_ROWS = 200  # a table artifact is for reading; the rest is summed up in one line


def _reasons(failures: list[Failure]) -> str:
    return "; ".join(dict.fromkeys(f.reason for f in failures))


def file_rows(summary: IngestSummary) -> list[dict]:
    """One row per file; files with failures first, so a capped table still shows them."""
    failed: dict[str, list[Failure]] = {}
    for failure in summary.failed:
        failed.setdefault(failure.origin, []).append(failure)
    rows = []
    for origin in dict.fromkeys([*failed, *summary.per_file]):
        counts = summary.per_file.get(origin, FileCounts())
        rows.append({"file": origin, "articles": counts.articles, "new": counts.created,
                     "updated": counts.updated, "unchanged": counts.unchanged,
                     "failed": len(failed.get(origin, [])),
                     "reasons": _reasons(failed.get(origin, []))})  # fmt: skip
    return rows


def source_rows(summary: FetchSummary) -> list[dict]:
    """One row per source, failures first."""
    rows = [{"source": r.source, "feeds": r.feed_status, "new items": r.new, "indexed": r.indexed,
             "changed": r.changed, "unchanged": r.skipped, "failed": len(r.failed),
             "reasons": _reasons(r.failed)} for r in summary.sources.values()]  # fmt: skip
    return rows


def tally_markdown(title: str, one_line: str, tally: RunTally, more: int = 0) -> str:
    """The run in one line, then top topics and entities by type as small tables."""
    lines = [f"# {title}", "", one_line, ""]
    if more:
        lines += [f"The table lists {MAX_ROWS} rows; {more} more are not shown.", ""]
    lines += [f"## Top topics ({tally.articles} articles written)", ""]
    lines += _md_table(("topic", "articles"), tally.top_topics()) or ["(no topic)"]
    for kind, label in ENTITY_LABELS.items():
        lines += ["", f"## Top {label} ({kind})", ""]
        lines += _md_table(("name", "articles"), tally.top_entities(kind)) or ["(none)"]
    return "\n".join(lines) + "\n"


def _md_table(header: tuple[str, str], rows: list[tuple[str, int]]) -> list[str]:
    if not rows:
        return []
    cells = [f"| {a} | {b} |" for a, b in rows]
    return [f"| {header[0]} | {header[1]} |", "|---|---:|", *cells]


def _publish(key: str, title: str, one_line: str, rows: list[dict], tally: RunTally) -> None:
    more = max(0, len(rows) - MAX_ROWS)
    if rows:
        create_table_artifact(rows[:MAX_ROWS], key=f"{key}-table", description=one_line)
    create_markdown_artifact(tally_markdown(title, one_line, tally, more), key=key,
                             description=one_line)  # fmt: skip


def publish_ingest_report(summary: IngestSummary) -> None:
    """Artifacts of a file-ingest run: a row per file, top topics and entities."""
    rows = sorted(file_rows(summary), key=lambda r: (r["failed"] == 0, r["file"]))
    _publish("marsad-ingest", "File ingest", summary.one_line(), rows, summary.tally)


def publish_fetch_report(summary: FetchSummary, tally: RunTally | None = None) -> None:
    """Artifacts of a fetch run: a row per source, top topics and entities, and the coverage
    of the run's main topics over the last two weeks (chart and table)."""
    rows = sorted(source_rows(summary), key=lambda r: (r["failed"] == 0, r["source"]))
    _publish("marsad-fetch", "Fetch", summary.one_line(), rows, tally or RunTally())
    for topic, _n in (tally or RunTally()).top_topics(COVERAGE_TOPICS):
        publish_coverage(topic)


COVERAGE_TOPICS = 3  # the run's most written topics get a coverage artifact each
COVERAGE_DAYS = 14


def publish_coverage(topic: str, days: int = COVERAGE_DAYS) -> None:
    """A topic's coverage per day by outlet: a markdown artifact with the chart (PNG, inline)
    and the counts, and a table artifact of the same counts. A failure here is logged only:
    the run's own report is already published."""
    import base64
    import tempfile
    from datetime import UTC, datetime, timedelta
    from pathlib import Path

    from prefect import get_run_logger

    from marsad.coverage import rows, write_png
    from marsad.elastic.coverage import coverage
    from marsad.pipeline import article_index

    since = (datetime.now(UTC) - timedelta(days=days)).date().isoformat()
    try:
        cov = coverage(article_index(), topic=topic, since=since)
        with tempfile.TemporaryDirectory() as tmp:
            chart = base64.b64encode(write_png(cov, Path(tmp) / "chart.png").read_bytes())
    except Exception as exc:
        get_run_logger().warning(f"coverage of {topic}: not published ({exc})")
        return
    key = f"marsad-coverage-{topic}"
    table = rows(cov, "outlet")
    if table:
        create_table_artifact(table[:MAX_ROWS], key=f"{key}-table",
                              description=f"{cov.subject}: articles per day by outlet")  # fmt: skip
    first = f"First: {cov.first['outlet']} at {cov.first['at']}." if cov.first else ""
    text = (f"# Coverage of {topic}, last {days} days\n\n{cov.total} articles. {first}\n\n"
            f"![coverage of {topic}](data:image/png;base64,{chart.decode()})\n")  # fmt: skip
    create_markdown_artifact(text, key=key, description=f"{cov.subject}: {cov.total} articles")
