"""Extraction and ingest throughput on ≥1,000 documents, beside bare trafilatura.

The corpus is the seed and the real fixture pages/texts repeated with distinct ids (a copy
number in the file name, and `?copy=N` in the canonical URL where a page has one). Each phase
runs in its own process so its peak memory is its own. Usage:

    .venv/bin/python benchmarks/ingest_bench.py [--docs 1000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import describe, peak_rss_mib

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = [
    *sorted((ROOT / "seeds").glob("*.txt")),
    *sorted((ROOT / "tests/fixtures/pages").glob("*.html")),
    *sorted((ROOT / "tests/fixtures/pages").glob("*.html.gz")),
    *sorted((ROOT / "tests/fixtures/ant").glob("*.txt")),
]
MAX_BYTES = 20 * 1024 * 1024


def build_corpus(folder: Path, docs: int, templates: list[Path] = TEMPLATES) -> list[Path]:
    """Write `docs` files, each a distinct article, cycling over the templates."""
    import gzip

    from marsad.extractors.article import extract_file

    bases = []
    for path in templates:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data, name = gzip.decompress(data), path.name[:-3]
        else:
            name = path.name
        articles, _ = extract_file(data, name, max_bytes=MAX_BYTES)
        bases.append((name, data, articles[0].url if articles else None))
    bases = [b for b in bases if b[2] is None or _url_in_page(b[2], b[1])]  # copies must differ
    files = []
    for i in range(docs):
        name, data, url = bases[i % len(bases)]
        if url:
            written = _url_in_page(url, data)
            data = data.replace(written.encode(), f"{written}?copy={i}".encode())
        target = folder / f"{i:05d}-{name}"
        target.write_bytes(data)
        files.append(target)
    return files


def _url_in_page(url: str, data: bytes) -> str | None:
    """The URL as the page writes it (percent-encoded or not), if it does."""
    from urllib.parse import unquote

    return next((u for u in (url, unquote(url)) if u.encode() in data), None)


def phase_extract(files: list[Path], html_only: bool) -> dict:
    """Extraction and enrichment of each file, as an ingest does them (no index)."""
    from marsad.extractors.article import extract_file
    from marsad.pipeline import enrich

    chosen = [f for f in files if f.suffix == ".html"] if html_only else files
    payloads = [(f.name, f.read_bytes()) for f in chosen]
    start = time.perf_counter()
    ok = 0
    for name, data in payloads:
        articles, _ = extract_file(data, name, max_bytes=MAX_BYTES)
        ok += bool([enrich(a) for a in articles])
    return _figures(len(payloads), ok, time.perf_counter() - start)


def phase_baseline(files: list[Path]) -> dict:
    import trafilatura

    payloads = [f.read_bytes() for f in files if f.suffix == ".html"]
    start = time.perf_counter()
    ok = sum(bool(trafilatura.extract(d)) for d in payloads)
    return _figures(len(payloads), ok, time.perf_counter() - start)


def phase_ingest(folder: Path) -> dict:
    import os

    os.environ["MARSAD_INDEX_PREFIX"] = "marsad-bench"
    from marsad.config import get_settings
    from marsad.elastic.articles import ArticleIndex
    from marsad.elastic.client import connect
    from marsad.flows.ingest_files import ingest_files

    index = ArticleIndex(connect(get_settings()), "marsad-bench")
    index.drop()
    ingest_files([], refresh=False)  # warm up the Prefect API outside the timing
    start = time.perf_counter()
    summary = ingest_files([str(folder)], refresh=False)
    elapsed = time.perf_counter() - start
    index.refresh()
    figures = _figures(summary.files, summary.indexed, elapsed)
    figures["in_index"] = index.count()
    figures["failed"] = len(summary.failed)
    index.drop()
    return figures


def _figures(docs: int, ok: int, seconds: float) -> dict:
    return {
        "docs": docs, "ok": ok, "seconds": round(seconds, 2),
        "docs_per_s": round(docs / seconds, 1), "peak_rss_mib": round(peak_rss_mib(), 1),
    }  # fmt: skip


def run_phase(name: str, folder: Path) -> dict:
    cmd = [sys.executable, __file__, "--phase", name, "--folder", str(folder)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--phase", choices=["extract", "extract-html", "baseline", "ingest"])
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    if args.phase:
        files = sorted(args.folder.iterdir())
        result = {
            "extract": lambda: phase_extract(files, html_only=False),
            "extract-html": lambda: phase_extract(files, html_only=True),
            "baseline": lambda: phase_baseline(files),
            "ingest": lambda: phase_ingest(args.folder),
        }[args.phase]()
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        folder = Path(tmp)
        build_corpus(folder, args.docs)
        rows = {}
        for phase in ("extract", "extract-html", "baseline", "ingest"):
            print(f"running {phase} …", file=sys.stderr, flush=True)
            rows[phase] = run_phase(phase, folder)
    print(f"machine: {describe()}")
    print(f"{'phase':<40} {'docs':>6} {'ok':>6} {'seconds':>8} {'docs/s':>8} {'peak MiB':>9}")
    labels = {
        "extract": "marsad extract (all files)",
        "extract-html": "marsad extract (HTML pages only)",
        "baseline": "bare trafilatura.extract (same HTML)",
        "ingest": "marsad ingest flow → Elasticsearch",
    }
    for phase, r in rows.items():
        print(f"{labels[phase]:<40} {r['docs']:>6} {r['ok']:>6} {r['seconds']:>8} "
              f"{r['docs_per_s']:>8} {r['peak_rss_mib']:>9}")  # fmt: skip
    ingest = rows["ingest"]
    print(f"ingest: {ingest['in_index']} documents in the index, {ingest['failed']} failed")


if __name__ == "__main__":
    main()
