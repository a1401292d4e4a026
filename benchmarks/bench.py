"""`make bench`: every measure of the performance table, each as a ratio to its baseline.

Each baseline is measured in the same run as the figure it divides, alternating A/B (A, B,
A, B … on halves or rounds), so load from other work on the machine hits both sides alike; the
load average is printed beside every measure. Absolute figures are printed too. Measures:

- startup: `marsad --help` and `marsad extract` of one small file, beside `python -c pass`;
- ingest start: `marsad ingest` of one small file with the local Prefect server, beside the
  same command on a temporary server (the old way);
- pages: per-article cost (extract + entities + topics) ÷ bare `trafilatura.extract`, on the
  real HTML pages of ../shared/fixtures (MANIFEST kind "html"), warm, best of N per side;
- ingest: `ingest-files` flow on N HTML pages (real fixture pages in numbered copies) ÷ the
  two-core ceiling (2 × bare trafilatura's single-core rate on the same pages); peak memory of
  the flow's process and of its largest worker, at N and at N/10;
- indexing: the flow's writes (Writer, batch by batch, refresh at the end) ÷ raw
  `helpers.bulk` of the same documents into an empty index;
- fetch and corpus: benchmarks/fetch_bench.py and benchmarks/corpus_ingest.py.

    .venv/bin/python benchmarks/bench.py [--docs 10000] [--only pages,indexing,...]

Needs the embedded Elasticsearch and the local Prefect server; both are started if not running.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import describe

ROOT = Path(__file__).resolve().parents[1]
MARSAD = str(ROOT / ".venv" / "bin" / "marsad")
SHARED = ROOT.parent / "shared" / "fixtures"
SEED = ROOT / "seeds" / "000_26f213205dacc3d1.txt"
MEASURES = ("startup", "ingest-start", "pages", "ingest", "indexing", "fetch", "corpus")


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (1 min) {five:.2f} (5 min)"


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def row(measure: str, figure: str, baseline: str, ratio: float, target: str) -> None:
    print(f"| {measure} | {figure} | {baseline} | **{ratio:.2f}** | {target} | {load()} |",
          flush=True)  # fmt: skip


def wall(cmd: list[str], env: dict | None = None) -> float:
    began = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, check=False)
    return time.perf_counter() - began


# -- startup ------------------------------------------------------------------------------------


def startup(rounds: int = 7) -> None:
    sides: dict[str, list[float]] = {"python": [], "help": [], "extract": []}
    for _ in range(rounds):  # A/B/C alternated, medians compared
        sides["python"].append(wall([sys.executable, "-c", "pass"]))
        sides["help"].append(wall([MARSAD, "--help"]))
        sides["extract"].append(wall([MARSAD, "extract", str(SEED)]))
    base, hlp, ext = (statistics.median(sides[k]) for k in ("python", "help", "extract"))
    row("`marsad --help`", f"{hlp:.2f} s", f"python -c pass {base:.2f} s", hlp / base, "≤ 0.3 s")
    row("`marsad extract` one small file", f"{ext:.2f} s", f"python -c pass {base:.2f} s",
        ext / base, "≤ 1.2 s")  # fmt: skip


def flow_start(cmd: list[str], env: dict) -> tuple[float, float]:
    """(seconds until Prefect logs "Beginning flow run", whole command's seconds)."""
    import re

    began = time.time()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    ended = time.time()
    found = re.search(r"(\d\d):(\d\d):(\d\d\.\d+) \| INFO .*Beginning flow run", proc.stderr)
    if not found:
        return float("nan"), ended - began
    hours, minutes, seconds = int(found[1]), int(found[2]), float(found[3])
    midnight = time.mktime((*time.localtime(began)[:3], 0, 0, 0, 0, 0, -1))
    return midnight + hours * 3600 + minutes * 60 + seconds - began, ended - began


def ingest_start(rounds: int = 3) -> None:
    """Time until the flow begins (from Prefect's own log line), and the whole command."""
    local = os.environ.copy()
    local.pop("PREFECT_API_URL", None)
    temporary = {**local, "MARSAD_PREFECT_PORT": "4999"}  # no local server there: temporary one
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.txt"
        one.write_bytes(SEED.read_bytes())
        local["MARSAD_INDEX_PREFIX"] = temporary["MARSAD_INDEX_PREFIX"] = "marsad-bench-start"
        a, b = [], []
        for _ in range(rounds):
            a.append(flow_start([MARSAD, "ingest", str(one)], local))
            b.append(flow_start([MARSAD, "ingest", str(one)], temporary))
    fast, slow = (statistics.median(s for s, _ in side) for side in (a, b))
    whole_a, whole_b = (statistics.median(w for _, w in side) for side in (a, b))
    row("`marsad ingest` of one file: time before the flow starts (local Prefect server)",
        f"{fast:.1f} s", f"temporary server {slow:.1f} s", fast / slow, "≤ 2 s")  # fmt: skip
    row("… the whole command", f"{whole_a:.1f} s", f"temporary server {whole_b:.1f} s",
        whole_a / whole_b, "")  # fmt: skip


# -- pages ------------------------------------------------------------------------------------


def manifest_pages() -> list[tuple[str, str]]:
    import csv
    import gzip

    from marsad.extractors.decode import decode_text

    pages = []
    with open(SHARED / "MANIFEST.tsv", encoding="utf-8") as manifest:
        for entry in csv.DictReader(manifest, delimiter="\t"):
            if entry["kind"] != "html":
                continue
            data = (SHARED / entry["local_path"]).read_bytes()
            data = gzip.decompress(data) if entry["local_path"].endswith(".gz") else data
            pages.append((entry["outlet"].split(" (")[0], decode_text(data, sniff_meta=True)[0]))
    return pages


def pages(repeat: int = 9) -> None:
    import trafilatura

    from marsad.extractors.web_page import page_article
    from marsad.pipeline import enrich

    found = manifest_pages()
    ratios = []
    say(f"pages: {len(found)} pages, best of {repeat} per side, alternated")
    for name, html in found:
        url = "https://news.example/2020/article"

        def ours(html: str = html, url: str = url) -> object:
            return enrich(page_article(html, url, None))

        def bare(html: str = html) -> object:
            return trafilatura.extract(html)

        ours(), bare()  # warm: models loaded, per-word caches hold the page's words
        a, b = [], []
        for _ in range(repeat):
            a.append(_timed(ours))
            b.append(_timed(bare))
        ratios.append((min(a) / min(b), name, min(a), min(b)))
    for ratio, name, a, b in ratios:
        print(f"  {name[:40]:<40} marsad {a * 1000:7.1f} ms  trafilatura {b * 1000:7.1f} ms  "
              f"{ratio:.2f}×")  # fmt: skip
    values = [r[0] for r in ratios]
    worst = max(ratios)
    row(f"per-article cost ÷ bare trafilatura.extract, {len(values)} real pages (median)",
        f"{statistics.median(values):.2f}×", "1×", statistics.median(values),
        "median ≤ 1.3×")  # fmt: skip
    row("… the worst page", f"{worst[0]:.2f}× ({worst[1]})", "1×", worst[0], "max ≤ 2×")


def _timed(run: Callable[[], object]) -> float:
    began = time.perf_counter()
    run()
    return time.perf_counter() - began


# -- ingest -------------------------------------------------------------------------------------


def html_corpus(folder: Path, docs: int) -> None:
    """`docs` distinct pages: the real fixture pages in numbered copies (distinct URLs)."""
    from benchmarks.ingest_bench import TEMPLATES, build_corpus

    build_corpus(folder, docs, [t for t in TEMPLATES if ".html" in t.name])


def phase_baseline(folder: Path) -> dict:
    import trafilatura

    payloads = [p.read_bytes() for p in sorted(folder.iterdir())]
    began = time.perf_counter()
    for data in payloads:
        trafilatura.extract(data)
    return {"docs": len(payloads), "seconds": time.perf_counter() - began}


def phase_ingest(folder: Path, prefix: str) -> dict:
    os.environ["MARSAD_INDEX_PREFIX"] = prefix
    from marsad import workers
    from marsad.config import get_settings
    from marsad.flows.ingest_files import ingest_files
    from marsad.prefect_server import use_local_server

    use_local_server(get_settings())
    ingest_files([], refresh=False)  # the flow machinery warm, outside the timing
    began = time.perf_counter()
    summary = ingest_files([str(folder)], refresh=True)
    seconds = time.perf_counter() - began
    workers.shutdown()  # reaped, the workers' peak memory is in RUSAGE_CHILDREN
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"docs": summary.files, "indexed": summary.indexed, "failed": len(summary.failed),
            "seconds": seconds, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            / 1024, "worker_rss_mib": children}  # fmt: skip


def run_phase(name: str, *args: str) -> dict:
    cmd = [sys.executable, __file__, "--phase", name, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ingest(docs: int) -> None:
    from marsad.config import get_settings
    from marsad.elastic.client import connect

    es = connect(get_settings())
    for prefix in ("marsad-bench-ingest", "marsad-bench-small"):  # nothing left from a last run
        es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        halves = [Path(tmp) / "a", Path(tmp) / "b", Path(tmp) / "small"]
        for half in halves:
            half.mkdir()
        say(f"ingest: writing {docs} pages …")
        (Path(tmp) / "all").mkdir()
        html_corpus(Path(tmp) / "all", docs)
        for n, page in enumerate(sorted((Path(tmp) / "all").iterdir())):
            page.rename(halves[n % 2] / page.name)
        html_corpus(halves[2], max(docs // 10, 1))
        base = {"docs": 0, "seconds": 0.0}
        ours = {"docs": 0, "indexed": 0, "failed": 0, "seconds": 0.0, "rss_mib": 0.0,
                "worker_rss_mib": 0.0}  # fmt: skip
        for half in halves[:2]:  # A/B alternated: baseline half, ingest half, …
            say(f"ingest: bare trafilatura on {half.name} …")
            b = run_phase("baseline", str(half))
            say(f"ingest: the flow on {half.name} …")
            a = run_phase("ingest", str(half), "marsad-bench-ingest")
            for key in base:
                base[key] += b[key]
            for key in ("docs", "indexed", "failed", "seconds"):
                ours[key] += a[key]
            ours["rss_mib"] = max(ours["rss_mib"], a["rss_mib"])
            ours["worker_rss_mib"] = max(ours["worker_rss_mib"], a["worker_rss_mib"])
        say("ingest: the flow on a tenth of the pages (memory) …")
        small = run_phase("ingest", str(halves[2]), "marsad-bench-small")
    in_index = es.count(index="marsad-bench-ingest-articles")["count"]
    for prefix in ("marsad-bench-ingest", "marsad-bench-small"):
        es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
    ceiling = 2 * base["docs"] / base["seconds"]
    rate = ours["docs"] / ours["seconds"]
    row(f"ingest of {ours['docs']} pages ÷ two-core ceiling", f"{rate:.1f} docs/s",
        f"2 × {base['docs'] / base['seconds']:.1f} docs/s", rate / ceiling, "≥ 0.80")  # fmt: skip
    print(f"  indexed {ours['indexed']} (in the index {in_index}), failed {ours['failed']}; "
          f"peak RSS: flow {ours['rss_mib']:.0f} MiB, largest worker "
          f"{ours['worker_rss_mib']:.0f} MiB")  # fmt: skip
    big, little = ours["worker_rss_mib"], small["worker_rss_mib"]
    row(f"peak worker RSS at {ours['docs'] // 2} ÷ at {small['docs']} pages",
        f"{big:.0f} MiB", f"{little:.0f} MiB", big / little, "≤ 1.2")  # fmt: skip
    row(f"peak flow-process RSS at {ours['docs'] // 2} ÷ at {small['docs']} pages",
        f"{ours['rss_mib']:.0f} MiB", f"{small['rss_mib']:.0f} MiB",
        ours["rss_mib"] / small["rss_mib"], "≤ 1.2")  # fmt: skip


# -- indexing -----------------------------------------------------------------------------------


def indexing(docs: int, batch: int = 200) -> None:
    """The same articles (ANT records, not enriched: indexing is what is timed) both ways."""
    from elasticsearch.helpers import bulk

    from marsad.config import get_settings
    from marsad.elastic.articles import ArticleIndex, to_document
    from marsad.elastic.client import connect
    from marsad.prefect_server import use_local_server

    use_local_server(get_settings())
    articles = _ant_articles(docs)
    es = connect(get_settings())
    flow_s, raw_s = [], []
    halves = [articles[0::2], articles[1::2]]
    for n, half in enumerate(halves):
        say(f"indexing: round {n + 1}, flow then raw bulk, {len(half)} documents each …")
        flow_s.append(_flow_writes(half, batch, f"marsad-bench-flow{n}"))
        index = ArticleIndex(es, f"marsad-bench-raw{n}")
        index.drop()
        index.ensure()
        now = datetime.now(UTC)
        actions = ({"_index": index.alias, "_id": a.id, "_source": to_document(a, now)}
                   for a in half)  # fmt: skip
        began = time.perf_counter()
        bulk(es, actions, chunk_size=500)
        index.refresh()
        raw_s.append(time.perf_counter() - began)
        assert index.count() == len({a.id for a in half}), "raw bulk lost documents"
        index.drop()
    flow, raw = sum(flow_s), sum(raw_s)
    row(f"indexing in the flow ÷ raw helpers.bulk, {len(articles)} documents",
        f"{flow:.1f} s", f"{raw:.1f} s", flow / raw, "≤ 1.2")  # fmt: skip


def _flow_writes(articles: list, batch: int, prefix: str) -> float:
    from prefect import flow

    from marsad.config import get_settings
    from marsad.elastic.articles import ArticleIndex
    from marsad.elastic.client import connect
    from marsad.flows.tasks import Writer, prepare_index, refresh_index

    os.environ["MARSAD_INDEX_PREFIX"] = prefix
    get_settings.cache_clear()
    index = ArticleIndex(connect(get_settings()), prefix)
    index.drop()

    @flow(name="bench-indexing")
    def write_all() -> int:
        prepare_index()
        writer, written = Writer(), 0
        for start in range(0, len(articles), batch):  # as the ingest flow hands them over
            for report, _ in writer.add(articles[start : start + batch]):
                written += len(report.created) + len(report.updated)
        for report, _ in writer.flush():
            written += len(report.created) + len(report.updated)
        refresh_index()
        return written

    began = time.perf_counter()
    written = write_all()
    seconds = time.perf_counter() - began
    assert written == index.count(), f"flow wrote {written}, index holds {index.count()}"
    index.drop()
    return seconds


def _ant_articles(docs: int) -> list:
    """The first `docs` distinct ANT articles (cited in benchmarks/corpus_ingest.py)."""
    import gzip

    from marsad.extractors.article import extract_file

    corpus = ROOT.parent / "shared" / "corpora" / "ant-multisource-2018"
    unique: dict = {}
    for path in sorted(corpus.glob("*.jsonl.gz")):
        found, _failed = extract_file(gzip.decompress(path.read_bytes()), path.name[:-3],
                                      max_bytes=1 << 31)  # fmt: skip
        unique.update((a.id, a) for a in found)
        if len(unique) >= docs:
            break
    return list(unique.values())[:docs]


# -- the rest -------------------------------------------------------------------------------------


def delegate(script: str, *args: str) -> None:
    say(f"running benchmarks/{script} …")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], check=False)


def services() -> None:
    """The embedded Elasticsearch and the local Prefect server, started if not running."""
    for command in (["es", "start"], ["prefect", "start"]):
        subprocess.run([MARSAD, *command], cwd=ROOT, check=False, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--only", default=",".join(MEASURES))
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "baseline":
        print(json.dumps(phase_baseline(Path(args.rest[0]))))
        return
    if args.phase == "ingest":
        print(json.dumps(phase_ingest(Path(args.rest[0]), args.rest[1])))
        return
    chosen = args.only.split(",")
    services()
    print(f"machine: {describe()}; {time.strftime('%Y-%m-%d %H:%M %Z')}; {load()}")
    print("| measure | marsad | baseline | ratio | target | machine load |")
    print("|---|---|---|---|---|---|")
    steps: dict[str, Callable[[], None]] = {
        "startup": startup,
        "ingest-start": ingest_start,
        "pages": pages,
        "ingest": lambda: ingest(args.docs),
        "indexing": lambda: indexing(args.docs),
        "fetch": lambda: delegate("fetch_bench.py"),
        "corpus": lambda: delegate("corpus_ingest.py"),
    }
    for name in MEASURES:
        if name in chosen:
            steps[name]()


if __name__ == "__main__":
    main()
