"""The `marsad` command: extract, ingest, search, and manage the embedded Elasticsearch."""

from __future__ import annotations

import json
import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from marsad.console import failure_record, marked, one_line, print_failures, write_json

if TYPE_CHECKING:
    from marsad.config import Settings
    from marsad.models import Failure


def get_settings() -> Settings:
    """The settings, imported on first use: `marsad --help` does not load pydantic."""
    from marsad.config import get_settings as settings

    return settings()


logging.getLogger("elastic_transport").setLevel(logging.ERROR)  # one line of ours, not retries'


class Format(StrEnum):
    table = "table"
    json = "json"


FORMAT = typer.Option(Format.table, "--format", help="table for people, json for machines")


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


TABLE_FORMAT = typer.Option(
    TableFormat.table, "--format", help="table for people; json or csv for machines"
)


def write_csv(rows: list[dict]) -> None:
    """Rows as CSV on stdout (lists joined with "; "), a header from the first row's keys."""
    import csv

    if not rows:
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "; ".join(map(str, v)) if isinstance(v, list) else v
                         for k, v in row.items()})  # fmt: skip


app = typer.Typer(help="marsad (مرصد): Arabic news into Elasticsearch for analysts.")
es_app = typer.Typer(
    help="The embedded local Elasticsearch node (used when MARSAD_ES_URL is unset)."
)
app.add_typer(es_app, name="es")
# piped or redirected output is not wrapped to a terminal's width: one record, one line
out = Console() if sys.stdout.isatty() else Console(soft_wrap=True, width=10_000)
err = Console(stderr=True)
SEEDS = Path(__file__).resolve().parent / "data" / "seeds"  # links to seeds/, shipped


def _fail(message: str) -> NoReturn:
    err.print(Text(f"marsad: {one_line(message)}", style="red"), highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _print_failures(failures: list[Failure], fmt: Format = Format.table) -> None:
    if fmt is Format.json:  # one JSON object a line on stderr, the reason in full
        for failure in failures:
            sys.stderr.write(json.dumps(failure_record(failure), ensure_ascii=False) + "\n")
    else:
        print_failures(err, failures)


def _check_cluster() -> None:
    """Stop before the run with one clear line when the cluster cannot be used."""
    from marsad.elastic.embedded import EmbeddedError
    from marsad.pipeline import cluster_problem

    try:
        problem = cluster_problem()
    except (EmbeddedError, RuntimeError) as exc:
        _fail(str(exc))
    if problem:
        _fail(problem)


@app.command()
def extract(
    paths: list[Path],
    source: str | None = typer.Option(None, help="source id for files without a URL"),
    enrich: bool = typer.Option(True, help="entities and topics (--no-enrich loads no model)"),
    fmt: Format = FORMAT,
) -> None:
    """Print each article as one JSON line, without touching Elasticsearch."""
    from marsad.files import discover
    from marsad.pipeline import extract_path

    max_bytes = get_settings().max_file_bytes
    files, failures = discover(paths, follow_links=get_settings().follow_links)
    for path in files:
        articles, failed = extract_path(path, source=source, max_bytes=max_bytes, enriched=enrich)
        failures += failed
        for article in articles:
            sys.stdout.write(json.dumps(article.model_dump(mode="json"), ensure_ascii=False) + "\n")
    _print_failures(failures, fmt)
    raise typer.Exit(1 if failures else 0)


@app.command()
def ingest(
    paths: list[Path],
    source: str | None = typer.Option(None, help="source id for files without a URL"),
    batch_size: int = typer.Option(200, min=1),
    fmt: TableFormat = TABLE_FORMAT,
) -> None:
    """Run the ingest flow and end with counts: indexed, unchanged, failed (with reasons)."""
    summary = _run_ingest([str(p) for p in paths], source, batch_size, fmt)
    raise typer.Exit(1 if summary.failed or summary.spooled else 0)


def _local_prefect() -> None:
    """Use the local Prefect server (`marsad prefect start`) when it runs: no temporary one."""
    from marsad.prefect_server import use_local_server

    use_local_server(get_settings())


def _run_ingest(paths: list[str], source: str | None, batch_size: int = 200, fmt: str = "table"):
    _local_prefect()
    from marsad.flows.ingest_files import configured_ingest_files

    _check_cluster()  # one clear line, and the embedded node started before the progress bar
    from marsad.flows.tasks import summary_of

    ingest_files = configured_ingest_files()  # threads or Dask, per settings
    state = ingest_files(
        paths, source=source, batch_size=batch_size, show_progress=True, return_state=True
    )
    summary = summary_of(state)
    if state.message:  # a Failed run, or one whose files partly failed: Prefect's verdict
        err.print(Text(f"run {state.name}: {one_line(state.message)}", style="yellow"),
                  soft_wrap=True)  # fmt: skip
    record = summary.model_dump(mode="json", include={
        "files", "extracted", "created", "updated", "unchanged", "replayed"})  # fmt: skip
    if fmt == "json":
        write_json(record | {"indexed": summary.indexed,
                             "failed": [failure_record(f) for f in summary.failed],
                             "spooled": [failure_record(f) for f in summary.spooled]})  # fmt: skip
        return summary
    if fmt == "csv":  # the counts; each failure with its reason goes to stderr as usual
        write_csv([record | {"indexed": summary.indexed, "failed": len(summary.failed),
                             "spooled": len(summary.spooled)}])  # fmt: skip
        _print_failures(summary.failed)
        return summary
    table = Table(title="ingest")
    columns = ("files", "articles", "indexed (new)", "updated", "unchanged", "failed", "spooled")
    for column in columns:
        table.add_column(column, justify="right")
    table.add_row(*map(str, (summary.files, summary.extracted, summary.created,
                             summary.updated, summary.unchanged, len(summary.failed),
                             len(summary.spooled))))  # fmt: skip
    out.print(table)
    _print_failures(summary.failed)
    if summary.spooled:
        err.print(Text(one_line(f"{len(summary.spooled)} articles not written yet: "
                                f"{summary.spooled[0].reason}; kept in "
                                f"{get_settings().spool_path} for the next run or "
                                "`marsad replay`"), style="red"), soft_wrap=True)  # fmt: skip
    return summary


@app.command()
def fetch(
    sources: Annotated[list[str] | None, typer.Argument(help="source ids (default: all)")] = None,
    url: Annotated[list[str] | None, typer.Option("--url", help="also fetch this URL")] = None,
    refresh: bool = typer.Option(False, help="re-fetch indexed items; record changed texts"),
    batch_size: int = typer.Option(100, min=1),
    fmt: TableFormat = TABLE_FORMAT,
) -> None:
    """Poll sources' feeds and sitemaps, fetch new articles, index them; table per source."""
    from marsad.fetch.console import fetch_table
    from marsad.flows.fetch_sources import fetch_sources
    from marsad.sources import RegistryError, load_sources, select

    try:
        select(load_sources(get_settings().sources_file), sources or ([] if url else None))
    except RegistryError as exc:
        _fail(str(exc))
    _check_cluster()  # one clear line, and the embedded node started before the progress bar
    _local_prefect()
    from marsad.flows.tasks import summary_of

    state = fetch_sources(sources or None, url or None, refresh, batch_size, show_progress=True,
                          return_state=True)  # fmt: skip
    summary = summary_of(state)
    if state.message:  # a Failed run, or one whose sources partly failed: Prefect's verdict
        err.print(Text(f"run {state.name}: {one_line(state.message)}", style="yellow"),
                  soft_wrap=True)  # fmt: skip
    rows = [{"source": r.source, "feeds": r.feeds, "new": r.new, "indexed": r.indexed,
             "changed": r.changed, "skipped": r.skipped,
             "failed": [failure_record(f) for f in r.failed]}
            for r in summary.sources.values()]  # fmt: skip
    if fmt is TableFormat.json:
        write_json({"sources": rows})
    elif fmt is TableFormat.csv:
        write_csv([r | {"failed": len(r["failed"]),
                        "reasons": [f["reason"] for f in r["failed"]]} for r in rows])  # fmt: skip
        _print_failures(summary.failed)
    else:
        out.print(fetch_table(summary))
        _print_failures(summary.failed)
    raise typer.Exit(1 if summary.failed else 0)


@app.command("sources")
def sources_command(fmt: TableFormat = TABLE_FORMAT) -> None:
    """List the registry's sources with their last fetch state and items by status."""
    from marsad.fetch.console import sources_table
    from marsad.fetch.state import StateStore
    from marsad.sources import RegistryError, load_sources

    settings = get_settings()
    try:
        registry = load_sources(settings.sources_file)
    except RegistryError as exc:
        _fail(str(exc))
    overview = StateStore(settings.fetch_state_path).overview()
    if fmt is TableFormat.json:
        write_json({"sources": [source.model_dump(mode="json") | {"state": overview.get(i, {})}
                                for i, source in registry.items()]})  # fmt: skip
        return
    if fmt is TableFormat.csv:
        statuses = sorted({k for o in overview.values() for k in o if k != "source"})
        write_csv([{"id": i, "name": src.name, "country": src.country,
                    "affiliation": src.affiliation,
                    **{k: overview.get(i, {}).get(k, "") for k in statuses}}
                   for i, src in registry.items()])  # fmt: skip
        return
    out.print(sources_table(registry, overview))


@app.command()
def search(
    query: str, size: int = typer.Option(10, min=1, max=100), fmt: TableFormat = TABLE_FORMAT
) -> None:
    """Ranked hits with highlighted Arabic snippets."""
    from elasticsearch import ApiError, TransportError

    from marsad.elastic.articles import search_articles
    from marsad.pipeline import article_index

    _check_cluster()
    try:
        total, hits = search_articles(article_index(), query, size=size, mark=MARKS)
    except (ApiError, TransportError) as exc:
        _fail(f"search failed: {exc}")
    if fmt is TableFormat.csv:
        write_csv([{"rank": n, "title": _unmarked(h.title), "source": h.source,
                    "published_at": h.published_at or "", "score": round(h.score, 3),
                    "url": h.url or h.origin or h.id} for n, h in enumerate(hits, 1)])  # fmt: skip
        return
    if fmt is TableFormat.json:
        write_json({"query": query, "total": total, "hits": [
            {**vars(h), "title": _unmarked(h.title), "snippets": [_unmarked(x) for x in h.snippets]}
            for h in hits]})  # fmt: skip
        return
    out.print(Text.assemble(f"{total} articles match ", (one_line(query), "bold")))
    for rank, hit in enumerate(hits, 1):
        when = (hit.published_at or "undated")[:10]
        line = Text(f"\n{rank}. ").append(marked(hit.title, MARKS))
        line.append(f"  ({one_line(hit.source)}, {when}, score {hit.score:.2f})", style="dim")
        out.print(line)
        out.print(Text(f"   {one_line(hit.url or hit.origin or hit.id)}", style="dim"))
        for snippet in hit.snippets:
            out.print(Text("   … ").append(marked(" ".join(snippet.split()), MARKS)).append(" …"))


@app.command()
def stories(
    topic: Annotated[str | None, typer.Option(help="only articles tagged with this topic")] = None,
    entity: Annotated[
        str | None, typer.Option(help="only articles naming it: canonical name or entity id")
    ] = None,
    since: Annotated[str | None, typer.Option(help="from this date (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, typer.Option(help="up to this date (YYYY-MM-DD)")] = None,
    min_articles: Annotated[int, typer.Option(min=1, help="smallest story listed")] = 2,
    limit: Annotated[int, typer.Option(min=1, max=500, help="how many stories")] = 20,
    update: Annotated[bool, typer.Option(help="first place articles not yet in a story")] = False,
    fmt: TableFormat = TABLE_FORMAT,
) -> None:
    """Stories across outlets, largest first: who ran it first, who followed and how fast."""
    from marsad.elastic.stories import list_stories
    from marsad.pipeline import article_index

    _check_cluster()
    if update:
        _local_prefect()
        from marsad.flows.stories import place_stories_flow

        err.print(Text(one_line(place_stories_flow()), style="dim"))
    rows = list_stories(article_index(), topic=topic, entity=entity, since=since, until=until,
                        min_articles=min_articles, size=limit)  # fmt: skip
    records = [vars(r) for r in rows]
    if fmt is TableFormat.json:
        write_json({"stories": records})
        return
    if fmt is TableFormat.csv:
        write_csv([r | {"followers": [f"{f['outlet']} +{f['delay_hours']}h"
                                      for f in r["followers"]]} for r in records])  # fmt: skip
        return
    table = Table(title=f"{len(rows)} stories")
    for column in ("first seen", "articles", "outlets", "first outlet", "then (+hours)", "title"):
        table.add_column(column)
    for r in rows:
        then = ", ".join(f"{f['outlet']} +{f['delay_hours']:g}" for f in r.followers)
        cells = (r.first_at[:16], str(r.articles), str(r.outlets), r.first_outlet, then, r.title)
        table.add_row(*(Text(one_line(c)) for c in cells))
    out.print(table)


class Interval(StrEnum):
    day = "day"
    week = "week"


class Dimension(StrEnum):
    outlet = "outlet"
    affiliation = "affiliation"
    country = "country"


@app.command()
def coverage(
    topic: Annotated[str | None, typer.Option(help="a topic id")] = None,
    entity: Annotated[str | None, typer.Option(help="canonical name or entity id")] = None,
    story: Annotated[str | None, typer.Option(help="a story id (see `marsad stories`)")] = None,
    since: Annotated[str | None, typer.Option(help="from this date (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, typer.Option(help="up to this date (YYYY-MM-DD)")] = None,
    interval: Interval = Interval.day,
    by: Dimension = Dimension.outlet,
    png: Annotated[Path | None, typer.Option(help="write the chart here as PNG")] = None,
    html: Annotated[
        Path | None, typer.Option(help="write chart and tables as one HTML page")
    ] = None,
    fmt: TableFormat = TABLE_FORMAT,
) -> None:
    """How much each outlet (affiliation, country) published on a topic, entity or story, per
    day or week; the first outlet and the top entities. Counts are Elasticsearch aggregations."""
    from marsad.coverage import rows, summary, write_html, write_png
    from marsad.elastic.coverage import coverage as count
    from marsad.pipeline import article_index

    _check_cluster()
    try:
        cov = count(article_index(), topic=topic, entity=entity, story=story, since=since,
                    until=until, interval=interval.value)  # fmt: skip
    except ValueError as exc:
        _fail(str(exc))
    for path, write in ((png, write_png), (html, write_html)):
        if path is not None:
            write(cov, path, by.value)
            err.print(Text(f"wrote {one_line(str(path))}", style="dim"))
    if fmt is TableFormat.json:
        write_json(summary(cov))
        return
    if fmt is TableFormat.csv:
        write_csv(rows(cov, by.value))
        return
    names = sorted(cov.counts.get(by.value, {}).items(), key=lambda kv: -sum(kv[1].values()))
    shown = names[:6]
    table = Table(title=f"{one_line(cov.subject)}: {cov.total} articles per {interval.value}")
    for column in (interval.value, *(n for n, _c in shown), "all"):
        table.add_column(Text(one_line(column)), justify="right")
    for period in cov.periods:
        counts = [c.get(period, 0) for _n, c in shown]
        total = sum(c.get(period, 0) for _n, c in names)
        table.add_row(period, *map(str, counts), str(total))
    out.print(table)
    if cov.first:
        first = f"first: {cov.first['outlet']} at {cov.first['at']} — {cov.first['title']}"
        out.print(Text(one_line(first)))
    for kind, top in cov.top_entities.items():
        if top:
            out.print(Text(one_line(f"{kind}: " + ", ".join(f"{n} ({c})" for n, c in top[:5]))))


MARKS = ("\x02", "\x03")  # cannot occur in extracted text (control characters are removed)


def _unmarked(text: str) -> str:
    return text.replace(MARKS[0], "«").replace(MARKS[1], "»")


@app.command()
def demo() -> None:
    """The main job on the embedded default: ingest seeds/, show what landed, search once."""
    from marsad.elastic.articles import ArticleIndex, latest_articles
    from marsad.elastic.client import connect

    summary = _run_ingest([str(SEEDS)], source="seeds")
    out.print(Text(f"\n{one_line(summary.one_line())}\n", style="bold"))
    settings = get_settings()
    index = ArticleIndex(connect(settings), settings.index_prefix)
    table = Table(title=f"in {index.alias} (latest first)")
    for column in ("id", "source", "language", "published", "title"):
        table.add_column(column)
    for doc in latest_articles(index, size=10):
        cells = (doc["id"], doc["source"], doc.get("language") or "",
                 (doc.get("published_at") or "")[:10], doc["title"])  # fmt: skip
        table.add_row(*(Text(one_line(str(cell))) for cell in cells))
    out.print(table)
    search("ستارلينك", size=3, fmt=TableFormat.table)


@app.command()
def quality(fmt: Format = FORMAT) -> None:
    """Score extraction on the real pages with ground truth, beside bare trafilatura."""
    from marsad.quality import print_quality_report, quality_report

    if fmt is Format.json:
        write_json(quality_report())
    else:
        print_quality_report(out)


@app.command("evaluate-ner")
def evaluate_ner_command(
    file: Path,
    recognizer: str = typer.Option("crf", help="crf | offline (crf+gazetteer) | camel | all"),
    fmt: Format = FORMAT,
) -> None:
    """Entity P/R/F1 per type and micro on a `token TAG` file (e.g. ANERcorp's test split)."""
    from marsad.evaluation import evaluate_ner_file, print_report

    try:
        report = evaluate_ner_file(file, recognizer)
    except (OSError, ValueError, RuntimeError) as exc:
        _fail(str(exc))
    if fmt is Format.json:
        write_json(report.as_dict())
    else:
        print_report(out, report, f"{file} ({recognizer})")


NER_LABELS = Path("tests/fixtures/ner_ant/labels.jsonl")
ANT_CORPUS = Path("../shared/corpora/ant-multisource-2018")
CORPORA = Path("../shared/corpora")
STORY_LABELS = Path("tests/fixtures/story_pairs/labels.jsonl")


@app.command("evaluate-entities")
def evaluate_entities_command(
    split: Annotated[str, typer.Option(help="dev | test | all")] = "dev",
    labels: Annotated[Path, typer.Option(help="labelled offsets")] = NER_LABELS,
    corpus: Annotated[Path, typer.Option(help="the ANT corpus folder")] = ANT_CORPUS,
    show: Annotated[bool, typer.Option(help="print each miss and false name (dev)")] = False,
    fmt: Format = FORMAT,
) -> None:
    """PER/ORG/LOC P/R/F1 on the labelled real ANT 2018 articles (tests/fixtures/ner_ant)."""
    from rich.markup import escape

    from marsad.evaluation import evaluate_entities, print_report

    mistakes: list[str] | None = [] if show and split == "dev" else None
    try:
        report = evaluate_entities(labels, corpus, split, mistakes)
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    for line in mistakes or []:
        err.print(escape(line))
    if fmt is Format.json:
        write_json(report.as_dict())
    else:
        print_report(out, report, f"{labels} ({split})")


@app.command("evaluate-topics")
def evaluate_topics_command(
    file: Path,
    topics: Annotated[Path | None, typer.Option(help="topics YAML; default configured")] = None,
    split: Annotated[str, typer.Option(help="judgments: dev | test | all")] = "dev",
    corpora: Annotated[Path, typer.Option(help="judgments: the corpora folder")] = CORPORA,
    show: Annotated[bool, typer.Option(help="judgments: print each error (dev)")] = False,
    fmt: Format = FORMAT,
) -> None:
    """Topic P/R/F1 on labelled articles: a JSONL of {"title", "text", "topics": [...]}, or
    judged (topic, article) pairs whose texts are read from the corpora
    (tests/fixtures/topic_labels/labels.jsonl)."""
    from rich.markup import escape

    from marsad.evaluation import evaluate_topic_judgments, evaluate_topics, print_report

    path = topics or get_settings().topics_file
    first = next(iter(file.read_text("utf-8").splitlines()), "{}") if file.is_file() else "{}"
    if "relevant" in json.loads(first):
        mistakes: list[str] | None = [] if show and split == "dev" else None
        try:
            report = evaluate_topic_judgments(file, corpora, split, path, mistakes)
        except (OSError, ValueError) as exc:
            _fail(str(exc))
        for line in mistakes or []:
            err.print(escape(line), soft_wrap=True)
    else:
        report = evaluate_topics(file, path)
    if fmt is Format.json:
        write_json(report.as_dict())
    else:
        print_report(out, report, f"{file} (topics)")


@app.command("evaluate-stories")
def evaluate_stories_command(
    labels: Annotated[Path, typer.Argument()] = STORY_LABELS,
    split: Annotated[str, typer.Option(help="dev | test | all")] = "dev",
    corpus: Annotated[Path, typer.Option(help="the ANT corpus folder")] = CORPORA
    / "ant-multisource-2018",
    fmt: Format = FORMAT,
) -> None:
    """Near-copy and same-story P/R/F1 on judged pairs of ANT articles (the whole corpus is
    placed in stories first, as the index would place it: about a minute)."""
    from marsad.evaluation import evaluate_story_pairs, print_report

    try:
        report = evaluate_story_pairs(labels, corpus, split)
    except (OSError, ValueError) as exc:
        _fail(str(exc))
    if fmt is Format.json:
        write_json(report.as_dict())
    else:
        print_report(out, report, f"{labels} ({split})")


@app.command()
def retag(
    topics: Annotated[Path | None, typer.Option(help="topics YAML; default configured")] = None,
    entities: Annotated[bool, typer.Option(help="recompute entities too (gazetteer edit)")] = False,
    fmt: Format = FORMAT,
) -> None:
    """Re-score the indexed articles in place after the topics file changed (no re-fetch);
    report the tags added and removed per topic."""
    _check_cluster()
    _local_prefect()
    from marsad.flows.retag import retag as retag_flow

    summary = retag_flow(str(topics) if topics else None, entities=entities)
    if fmt is Format.json:
        write_json({"scanned": summary.scanned, "updated": summary.updated,
                    "failed": summary.failed, "topics": summary.by_topic()})  # fmt: skip
    else:
        out.print(Text(one_line(summary.one_line())))
        if summary.by_topic():
            table = Table(title="tags per topic")
            for column in ("topic", "added", "removed"):
                table.add_column(column, justify="left" if column == "topic" else "right")
            for row in summary.by_topic():
                table.add_row(Text(one_line(row["topic"])), str(row["added"]), str(row["removed"]))
            out.print(table)
        for line in summary.failed:
            err.print(Text(f"failed {one_line(line)}", style="yellow"), soft_wrap=True)
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def replay(fmt: Format = FORMAT) -> None:
    """Write the articles earlier runs kept in the spool (cluster down or refusing writes)."""
    from marsad.pipeline import replay as replay_spool
    from marsad.pipeline import spooled_count

    _check_cluster()
    batches, report = replay_spool()
    left = spooled_count()
    counts = {
        "batches": batches,
        "created": len(report.created),
        "updated": len(report.updated),
        "unchanged": len(report.unchanged),
        "failed": len(report.failed),
        "left": left,
    }
    if fmt is Format.json:
        write_json(counts | {"failures": [failure_record(f) for f in report.failed]})
    else:
        out.print(Text(", ".join(f"{n} {name}" for name, n in counts.items())))
        _print_failures(report.failed)
    raise typer.Exit(1 if left or report.failed else 0)


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
    from marsad.elastic.embedded import EmbeddedError, EmbeddedNode

    try:
        stopped = EmbeddedNode(get_settings()).stop()
    except EmbeddedError as exc:
        _fail(str(exc))
    out.print("stopped" if stopped else "not running")


@es_app.command("setup-user")
def es_setup_user(
    user: str | None = typer.Option(None, help="create this native user with the writer role"),
    api_key: str | None = typer.Option(None, help="create an API key of this name instead"),
    expiration: str | None = typer.Option(None, help="API key lifetime, e.g. 90d"),
    kibana_system: bool = typer.Option(False, help="also set kibana_system's password"),
    wait: float = typer.Option(0, help="seconds to wait for the cluster"),
) -> None:
    """Least privilege on a secured cluster: marsad's and analysts' roles, a user or API key.

    Run with admin credentials (MARSAD_ES_USERNAME/PASSWORD of a superuser); then give marsad
    the limited user or MARSAD_ES_API_KEY. See docs/operations.md.
    """
    from marsad.elastic.security import SecurityError, configure

    try:
        result = configure(
            get_settings(), user=user, api_key=api_key, api_key_expiration=expiration,
            kibana_system=kibana_system, wait=wait,
        )  # fmt: skip
    except SecurityError as exc:
        _fail(str(exc))
    for line in result.lines():
        out.print(Text(line))


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


prefect_app = typer.Typer(help="A local Prefect server, started once and reused by commands.")
app.add_typer(prefect_app, name="prefect")


@prefect_app.command("start")
def prefect_start() -> None:
    """Start the local Prefect server (or reuse it); commands then skip a temporary server."""
    from marsad.prefect_server import LocalPrefect, PrefectServerError

    try:
        status = LocalPrefect(get_settings()).start()
    except PrefectServerError as exc:
        _fail(str(exc))
    out.print(Text(f"Prefect server at {status.url} (pid {status.pid})"))


@prefect_app.command("stop")
def prefect_stop() -> None:
    """Stop the local Prefect server."""
    from marsad.prefect_server import LocalPrefect

    out.print("stopped" if LocalPrefect(get_settings()).stop() else "not running")


@prefect_app.command("status")
def prefect_status() -> None:
    """Say whether the local Prefect server runs."""
    from marsad.prefect_server import LocalPrefect

    status = LocalPrefect(get_settings()).status()
    out.print(Text(f"{'running' if status.running else 'not running'}: {status.url}"))
    raise typer.Exit(0 if status.running else 3)


@prefect_app.command("notify-failures")
def prefect_notify_failures(
    webhook: Annotated[str, typer.Argument(help="URL that gets a JSON POST per failed run")],
) -> None:
    """Ship the automation that notifies a webhook (Slack, Mattermost …) when a run fails."""
    _local_prefect()
    from marsad.prefect_server import FAILED_RUNS_AUTOMATION, notify_failed_runs

    automation_id = notify_failed_runs(webhook)
    out.print(Text(f"automation «{FAILED_RUNS_AUTOMATION}» ({automation_id}) → "
                   f"{one_line(webhook)}"))  # fmt: skip


alerts_app = typer.Typer(help="Alerts: new articles and spikes, to webhooks and e-mail.")
app.add_typer(alerts_app, name="alerts")


@alerts_app.command("run")
def alerts_run(fmt: Format = FORMAT) -> None:
    """One pass now (what the scheduled `send-alerts` flow does): queue, then deliver."""
    if get_settings().alerts_file is None:
        _fail("no alerts file: set MARSAD_ALERTS_FILE (see the README's *Alerts*)")
    _check_cluster()
    _local_prefect()
    from marsad.flows.alerts import send_alerts
    from marsad.flows.tasks import summary_of

    summary = summary_of(send_alerts(return_state=True))
    if fmt is Format.json:
        write_json(vars(summary))
    else:
        out.print(Text(one_line(summary.one_line())))
        for line in summary.errors:
            err.print(Text(f"failed {one_line(line)}", style="yellow"), soft_wrap=True)
    raise typer.Exit(1 if summary.errors else 0)


@alerts_app.command("pending")
def alerts_pending(fmt: TableFormat = TABLE_FORMAT) -> None:
    """Messages waiting for their destination, with the last error."""
    from marsad.alerts import AlertStore

    rows = [{"alert": a, "destination": d, "attempts": n, "last_error": e or ""}
            for a, d, n, e in AlertStore(get_settings().alerts_state_path).pending()]  # fmt: skip
    if fmt is TableFormat.json:
        write_json({"pending": rows})
    elif fmt is TableFormat.csv:
        write_csv(rows)
    else:
        table = Table(title=f"{len(rows)} messages waiting")
        for column in ("alert", "destination", "attempts", "last_error"):
            table.add_column(column)
        for row in rows:
            table.add_row(*(Text(one_line(str(v))) for v in row.values()))
        out.print(table)


kibana_app = typer.Typer(help="Kibana: the dashboard, data view and saved searches.")
app.add_typer(kibana_app, name="kibana")


def _prefect_api() -> str:
    """`serve` and `watch` must share one Prefect server; an unset URL would mean none."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        _fail("PREFECT_API_URL is not set: run `prefect server start` (or the docker-compose "
              "stack) and export PREFECT_API_URL=http://127.0.0.1:4200/api")  # fmt: skip
    return url


@app.command()
def serve(
    groups: Annotated[list[str] | None, typer.Argument(help="source groups (default: all)")] = None,
    fetch: bool = typer.Option(True, help="serve the scheduled fetch deployments"),
    inbox: bool = typer.Option(True, help="serve the inbox deployment the watcher starts"),
    limit: int | None = typer.Option(None, min=1, help="flow runs at once (default: serve_limit)"),
) -> None:
    """Register the scheduled fetch deployments (one per source group) and the inbox one; run."""
    api = _prefect_api()
    from marsad.flows.serve import ServeError, build_deployments, serve_deployments
    from marsad.sources import RegistryError, load_sources

    settings = get_settings()
    try:
        registry = load_sources(settings.sources_file)
        deployments = build_deployments(settings, registry, groups, fetch, inbox)
        out.print(f"serving {', '.join(d.name for d in deployments)} against {api}")
        serve_deployments(deployments, limit or settings.serve_limit)
    except (RegistryError, ServeError) as exc:
        _fail(str(exc))


@app.command()
def watch(
    inbox: Annotated[Path | None, typer.Option(help="folder to watch (default: inbox_dir)")] = None,
    settle: Annotated[float | None, typer.Option(min=0, help="default: inbox_settle")] = None,
    health_file: Annotated[Path | None, typer.Option(help="touched every pass")] = None,
) -> None:
    """Watch the inbox; start the inbox flow through Prefect for each file once it has settled."""
    import logging
    import signal
    import threading

    _prefect_api()
    from marsad.flows.watch_inbox import InboxWatcher

    settings = get_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    settle = settings.inbox_settle if settle is None else settle
    InboxWatcher(inbox or settings.inbox_dir, settle, health_file).run(stop)


def _alert_searches() -> list[dict]:
    """A saved search per configured alert (none without an alerts file)."""
    path = get_settings().alerts_file
    if path is None:
        return []
    from marsad.alerts import load_subscriptions, saved_searches

    try:
        return saved_searches(load_subscriptions(path))
    except (OSError, ValueError) as exc:
        _fail(str(exc))


@kibana_app.command("setup")
def kibana_setup(
    file: Annotated[Path | None, typer.Option(help="default: the shipped saved objects")] = None,
) -> None:
    """Import the data view, saved searches and dashboard into Kibana (idempotent)."""
    from marsad.kibana import SAVED_OBJECTS, KibanaError, setup

    settings = get_settings()
    try:
        count = setup(settings, file or SAVED_OBJECTS, _alert_searches())
    except (KibanaError, OSError) as exc:
        _fail(str(exc))
    out.print(f"imported {count} saved objects into {settings.kibana_url} "
              f"(data view on {settings.alias})")  # fmt: skip


@kibana_app.command("export")
def kibana_export(
    out_file: Annotated[Path | None, typer.Option("--out", help="default: standard output")] = None,
) -> None:
    """Write the saved objects as NDJSON for this index prefix (Stack Management → Import)."""
    from marsad.kibana import SAVED_OBJECTS, KibanaError, export

    try:
        body = export(get_settings(), SAVED_OBJECTS, _alert_searches())
    except (KibanaError, OSError) as exc:
        _fail(str(exc))
    if out_file is None:
        sys.stdout.buffer.write(body)
    else:
        out_file.write_bytes(body)
        count = len(body.splitlines())
        err.print(Text(f"wrote {one_line(str(out_file))} ({count} saved objects)"))


if __name__ == "__main__":
    app()
