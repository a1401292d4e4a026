"""Web fetch throughput: pages fetched, extracted and indexed per second, and politeness kept.

A separate process serves 20 hosts on distinct loopback addresses (127.0.0.2 … 127.0.0.21,
named host01.bench.test … and resolved through `fetch_resolve`), each with a robots.txt, an RSS
feed and its share of 1,000 article pages (the real fixture pages and ANT items, cycled). The
`fetch-sources` flow then polls all 20 sources into a scratch index, first with no per-host
delay (the throughput figure), then with a realistic one; the server's own request log shows
the per-host spacing and parallelism actually seen. Each phase runs in its own process so its
peak memory is its own. Only 127.0.0.0/8 is contacted. Usage:

    .venv/bin/python benchmarks/fetch_bench.py [--pages 1000] [--hosts 20] [--delay 1.0]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import describe, peak_rss_mib

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "marsad-bench-fetch"


def host_name(n: int) -> str:
    return f"host{n + 1:02d}.bench.test"


# -- the web: one process, one threaded server per host --


def templates() -> list[bytes]:
    from tests.fetch.web import ANT, PAGES, ant_page, read_ant

    pages = [p.read_bytes() for p in sorted(PAGES.glob("*.html"))]
    return pages + [ant_page(read_ant(p)).encode() for p in sorted(ANT.glob("*.txt"))]


def serve(pages: int, hosts: int, ready: Path) -> None:
    from pytest_httpserver import HTTPServer
    from werkzeug import Response

    bodies, log, lock = templates(), [], threading.Lock()
    servers, ports = [], {}
    for h in range(hosts):
        server = HTTPServer(host=f"127.0.0.{h + 2}", port=0, threaded=True)
        server.start()
        servers.append(server)
        ports[host_name(h)] = server.port
        mine = [n for n in range(pages) if n % hosts == h]
        base = f"http://{host_name(h)}:{server.port}"
        items = "".join(f"<item><title>صفحة {n}</title><link>{base}/p/{n}.html</link></item>"
                        for n in mine)  # fmt: skip
        feed = f'<rss version="2.0"><channel><title>{host_name(h)}</title>{items}</channel></rss>'
        server.expect_request("/feed.xml").respond_with_data(feed, content_type="application/xml")
        server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
        for n in mine:
            body = bodies[n % len(bodies)]

            def page(request, body=body, host=host_name(h)):  # noqa: B008 (bound per page)
                started = time.monotonic()
                time.sleep(0.005)  # a little server time, as a real one has
                with lock:
                    log.append((host, request.path, started, time.monotonic()))
                return Response(body, content_type="text/html; charset=utf-8")

            server.expect_request(f"/p/{n}.html").respond_with_handler(page)
        server.expect_request("/__log").respond_with_handler(
            lambda r: Response(json.dumps(_drain(log, lock)), content_type="application/json")
        )
    ready.write_text(json.dumps(ports))
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    for server in servers:
        server.stop()


def _drain(log: list, lock: threading.Lock) -> list:
    with lock:
        out = list(log)
        log.clear()
    return out


# -- a phase: the real flow against that web, in its own process --


def phase(delay: float, workdir: Path, ports: dict[str, int], hosts: int) -> dict:
    sources = [
        {"id": f"bench-{h + 1:02d}", "name": host_name(h), "country": "ZZ",
         "homepage": f"http://{host_name(h)}:{ports[host_name(h)]}/",
         "feeds": [f"http://{host_name(h)}:{ports[host_name(h)]}/feed.xml"]}
        for h in range(hosts)
    ]  # fmt: skip
    registry = workdir / "sources.json"  # JSON is YAML
    registry.write_text(json.dumps({"sources": sources}))
    os.environ.update({
        "MARSAD_INDEX_PREFIX": PREFIX, "MARSAD_SOURCES_FILE": str(registry),
        "MARSAD_FETCH_STATE_FILE": str(workdir / f"state-{delay}.sqlite"),
        "MARSAD_FETCH_ALLOW_NETWORKS": '["127.0.0.0/8"]',
        "MARSAD_FETCH_RESOLVE": json.dumps({host_name(h): f"127.0.0.{h + 2}"
                                            for h in range(hosts)}),
        "MARSAD_FETCH_HOST_DELAY": str(delay), "MARSAD_FETCH_MAX_ITEMS_PER_SOURCE": "100000",
    })  # fmt: skip
    from marsad.config import get_settings
    from marsad.elastic.articles import ArticleIndex
    from marsad.elastic.client import connect
    from marsad.flows.fetch_sources import fetch_sources
    from marsad.flows.ingest_files import ingest_files

    settings = get_settings()
    index = ArticleIndex(connect(settings), PREFIX)
    index.drop()
    ingest_files([], refresh=False)  # start the Prefect API outside the timing
    start = time.perf_counter()
    summary = fetch_sources(batch_size=200)
    elapsed = time.perf_counter() - start
    index.refresh()
    figures = {
        "delay_s": delay, "host_concurrency": settings.fetch_host_concurrency,
        "indexed": summary.total("indexed"), "failed": len(summary.failed),
        "in_index": index.count(), "seconds": round(elapsed, 2),
        "pages_per_s": round(summary.total("indexed") / elapsed, 1),
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "failures": [f.line() for f in summary.failed[:5]],
    }  # fmt: skip
    index.drop()
    return figures


def extraction_rate(pages: int, hosts: int) -> dict:
    """marsad's own two-core extraction rate on the same pages (the fetch flow's ceiling):
    the served bodies, extracted and enriched on the worker processes, no network."""
    import httpx

    from marsad import workers
    from marsad.fetch.client import Page
    from marsad.fetch.download import Fetched
    from marsad.fetch.state import WorkItem

    bodies = templates()
    results = []
    for n in range(pages):
        url = f"http://{host_name(n % hosts)}/p/{n}.html"
        page = Page(
            url, url, 200, httpx.Headers({"content-type": "text/html"}), bodies[n % len(bodies)]
        )
        results.append(Fetched(item=WorkItem(url=url, source="bench"), page=page))
    workers.extract_pages(results[: workers.worker_count() * 2], {})  # models loaded
    start = time.perf_counter()
    articles, _failures = workers.extract_pages(results, {})
    elapsed = time.perf_counter() - start
    workers.shutdown()
    return {"pages": pages, "articles": len(articles), "seconds": round(elapsed, 2),
            "pages_per_s": round(pages / elapsed, 1)}  # fmt: skip


def politeness(log: list) -> dict:
    """From the server's own log: smallest gap between request starts on one host, and the
    most requests one host had in flight at once."""
    gaps, parallel = [], 0
    for _host, rows in itertools.groupby(sorted(log), key=lambda r: r[0]):
        rows = list(rows)
        starts = sorted(r[2] for r in rows)
        gaps += [b - a for a, b in itertools.pairwise(starts)]
        events = sorted([(r[2], 1) for r in rows] + [(r[3], -1) for r in rows])
        level = 0
        for _at, step in events:
            level += step
            parallel = max(parallel, level)
    return {"requests": len(log), "min_gap_s": round(min(gaps, default=0), 3),
            "max_parallel_per_host": parallel}  # fmt: skip


def run_phase(delay: float, workdir: Path, ready: Path, hosts: int) -> dict:
    cmd = [sys.executable, __file__, "--phase", str(delay), "--workdir", str(workdir),
           "--ready", str(ready), "--hosts", str(hosts)]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"phase delay={delay} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fetch_log(ports: dict[str, int]) -> list:
    out = []
    for n, port in enumerate(ports.values()):
        with urllib.request.urlopen(f"http://127.0.0.{n + 2}:{port}/__log", timeout=10) as r:
            out += json.load(r)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--delay", type=float, default=1.0, help="the realistic per-host delay")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--phase", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--extract", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--ready", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.pages, args.hosts, args.ready)
    if args.extract:
        print(json.dumps(extraction_rate(args.pages, args.hosts)))
        return None
    if args.phase is not None:
        ports = json.loads(args.ready.read_text())
        print(json.dumps(phase(args.phase, args.workdir, ports, args.hosts)))
        return None
    with tempfile.TemporaryDirectory(prefix="marsad-fetch-bench-") as tmp:
        workdir, ready = Path(tmp), Path(tmp) / "ports.json"
        web = subprocess.Popen([sys.executable, __file__, "--serve", "--pages", str(args.pages),
                                "--hosts", str(args.hosts), "--ready", str(ready)])  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while not ready.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            ports = json.loads(ready.read_text())
            rows, rates = [], []
            for delay in (0.0, args.delay):  # A/B: extraction alone, then the fetch flow
                print("phase: two-core extraction alone …", file=sys.stderr, flush=True)
                rates.append(run_extract(args.pages, args.hosts))
                print(f"phase: per-host delay {delay} s …", file=sys.stderr, flush=True)
                rows.append({**run_phase(delay, workdir, ready, args.hosts),
                             **politeness(fetch_log(ports))})  # fmt: skip
        finally:
            web.terminate()
            web.wait(30)
    report(rows, args)
    ceiling = sum(r["pages_per_s"] for r in rates) / len(rates)
    print(f"two-core extraction alone (same pages, worker processes): "
          f"{' and '.join(str(r['pages_per_s']) for r in rates)} pages/s")  # fmt: skip
    print(f"| fetch + extract + index, {args.pages} pages, {args.hosts} hosts, no delay ÷ "
          f"two-core extraction | {rows[0]['pages_per_s']} pages/s | {ceiling:.1f} pages/s | "
          f"**{rows[0]['pages_per_s'] / ceiling:.2f}** | ≥ 0.80 | load "
          f"{os.getloadavg()[0]:.2f} |")  # fmt: skip
    hosts_allow = args.hosts / args.delay if args.delay else float("inf")
    print(f"| same with a {args.delay} s per-host delay (hosts allow {hosts_allow:.0f} pages/s) "
          f"| {rows[1]['pages_per_s']} pages/s (min gap {rows[1]['min_gap_s']} s) | "
          f"{hosts_allow:.0f} pages/s | **{rows[1]['pages_per_s'] / hosts_allow:.2f}** | "
          f"≥ 16 pages/s | load {os.getloadavg()[0]:.2f} |")  # fmt: skip
    return None


def run_extract(pages: int, hosts: int) -> dict:
    cmd = [sys.executable, __file__, "--extract", "--pages", str(pages), "--hosts", str(hosts)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"extraction phase failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def report(rows: list[dict], args) -> None:
    print(f"machine: {describe()}")
    print(f"web: {args.pages} pages over {args.hosts} hosts (127.0.0.2-{args.hosts + 1}), "
          "real fixture pages and ANT items cycled; the whole fetch-sources flow is timed "
          "(feeds, robots.txt, pages, extraction, bulk indexing)")  # fmt: skip
    head = ("delay s", "indexed", "failed", "seconds", "pages/s", "peak MiB",
            "min gap s", "max parallel/host")  # fmt: skip
    print(" | ".join(head))
    for r in rows:
        cells = (r["delay_s"], r["indexed"], r["failed"], r["seconds"], r["pages_per_s"],
                 r["peak_rss_mib"], r["min_gap_s"], r["max_parallel_per_host"])  # fmt: skip
        print(" | ".join(map(str, cells)))
        for line in r["failures"]:
            print(f"  failed: {line}")


if __name__ == "__main__":
    main()
