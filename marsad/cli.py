"""The `marsad` command: extract, ingest, search, and manage the embedded Elasticsearch."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from marsad.config import get_settings
from marsad.models import Failure

app = typer.Typer(help="marsad (مرصد): Arabic news into Elasticsearch for analysts.")
es_app = typer.Typer(
    help="The embedded local Elasticsearch node (used when MARSAD_ES_URL is unset)."
)
app.add_typer(es_app, name="es")
out = Console()
err = Console(stderr=True)
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _fail(message: str) -> None:
    err.print(f"[red]marsad: {message}[/red]", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _print_failures(failures: list[Failure]) -> None:
    for failure in failures:
        err.print(f"[yellow]failed[/yellow] {failure.line()}", highlight=False, soft_wrap=True)


@app.command()
def extract(
    paths: list[Path],
    source: str | None = typer.Option(None, help="source id for files without a URL"),
) -> None:
    """Print each article as one JSON line, without touching Elasticsearch."""
    from extractors.article import extract_file
    from marsad.files import discover, read_file

    max_bytes = get_settings().max_file_bytes
    files, failures = discover(paths)
    for path in files:
        try:
            data = read_file(path, max_bytes)
        except (OSError, ValueError) as exc:
            failures.append(Failure(origin=str(path), reason=str(exc), stage="load"))
            continue
        articles, failed = extract_file(data, str(path), source=source, max_bytes=max_bytes)
        failures += failed
        for article in articles:
            sys.stdout.write(json.dumps(article.model_dump(mode="json"), ensure_ascii=False) + "\n")
    _print_failures(failures)
    raise typer.Exit(1 if failures else 0)


@app.command()
def ingest(
    paths: list[Path],
    source: str | None = typer.Option(None, help="source id for files without a URL"),
    batch_size: int = typer.Option(200, min=1),
) -> None:
    """Run the ingest flow and end with counts: indexed, unchanged, failed (with reasons)."""
    summary = _run_ingest([str(p) for p in paths], source, batch_size)
    raise typer.Exit(1 if summary.failed else 0)


def _run_ingest(paths: list[str], source: str | None, batch_size: int = 200):
    from flows.ingest_files import ingest_files
    from marsad.elastic.client import connect
    from marsad.elastic.embedded import EmbeddedError

    try:
        connect(get_settings())  # start the embedded node before the flow's progress bar
    except (EmbeddedError, RuntimeError) as exc:
        _fail(str(exc))
    summary = ingest_files(paths, source=source, batch_size=batch_size, show_progress=True)
    table = Table(title="ingest")
    for column in ("files", "articles", "indexed (new)", "updated", "unchanged", "failed"):
        table.add_column(column, justify="right")
    table.add_row(*map(str, (summary.files, summary.extracted, summary.created,
                             summary.updated, summary.unchanged, len(summary.failed))))  # fmt: skip
    out.print(table)
    _print_failures(summary.failed)
    return summary


@app.command()
def search(query: str, size: int = typer.Option(10, min=1, max=100)) -> None:
    """Ranked hits with highlighted Arabic snippets."""
    from marsad.elastic.articles import ArticleIndex, search_articles
    from marsad.elastic.client import connect

    settings = get_settings()
    index = ArticleIndex(connect(settings), settings.index_prefix)
    total, hits = search_articles(index, query, size=size, mark=("[bold yellow]", "[/bold yellow]"))
    out.print(f"{total} articles match [bold]{query}[/bold]")
    for rank, hit in enumerate(hits, 1):
        when = (hit.published_at or "undated")[:10]
        out.print(
            f"\n{rank}. {hit.title}  [dim]({hit.source}, {when}, score {hit.score:.2f})[/dim]"
        )
        out.print(f"   [dim]{hit.url or hit.origin}[/dim]", highlight=False)
        for snippet in hit.snippets:
            out.print(f"   … {snippet} …")


@app.command()
def demo() -> None:
    """The main job on the embedded default: ingest seeds/, show what landed, search once."""
    summary = _run_ingest([str(SEEDS)], source="seeds")
    out.print(f"\n[bold]{summary.one_line()}[/bold]\n")
    search("ستارلينك", size=3)


@app.command()
def quality() -> None:
    """Score extraction on the real pages with ground truth, beside bare trafilatura."""
    from marsad.quality import print_quality_report

    print_quality_report(out)


@es_app.command("start")
def es_start() -> None:
    """Fetch (first time), start, and wait for a healthy local node; reuse a running one."""
    from marsad.elastic.embedded import EmbeddedError, EmbeddedNode

    try:
        status = EmbeddedNode(get_settings()).start()
    except (EmbeddedError, RuntimeError) as exc:
        _fail(str(exc))
    out.print(
        f"Elasticsearch {status.version} is {status.health} at {status.url} (pid {status.pid})"
    )


@es_app.command("stop")
def es_stop() -> None:
    """Stop the local node."""
    from marsad.elastic.embedded import EmbeddedNode

    stopped = EmbeddedNode(get_settings()).stop()
    out.print("stopped" if stopped else "not running")


@es_app.command("status")
def es_status() -> None:
    """Say whether the local node runs, its version and health."""
    from marsad.elastic.embedded import EmbeddedNode

    status = EmbeddedNode(get_settings()).status()
    if not status.running:
        out.print(f"not running ({status.url})")
        raise typer.Exit(3)
    out.print(f"running: Elasticsearch {status.version}, {status.health}, {status.url}, "
              f"pid {status.pid}")  # fmt: skip


if __name__ == "__main__":
    app()
