"""Worker processes give exactly what one process gives, and a CPU budget stops a file."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from marsad import workers
from marsad.config import Settings, get_settings

from .conftest import FIXTURES, SEED

DOCS = 1000


def _corpus(folder: Path) -> list[Path]:
    """1,000 distinct real articles: the ANT fixtures and pages, each in numbered copies."""
    templates = [SEED, *sorted((FIXTURES / "ant").glob("*.txt")),
                 *sorted((FIXTURES / "pages").glob("*.html"))]  # fmt: skip
    paths = []
    for n in range(DOCS):
        template = templates[n % len(templates)]
        data = template.read_bytes()
        if template.suffix == ".txt" and not data.startswith(b"<DOC>"):
            data = data.replace(b"\n", f" {n}\n".encode(), 1)  # a distinct headline
        path = folder / f"{n:04d}-{template.name}"
        path.write_bytes(data)
        paths.append(path)
    return paths


def _dump(result) -> list[str]:
    articles, failures = result
    return sorted(json.dumps(a.model_dump(mode="json"), ensure_ascii=False) for a in articles) + [
        f.line() for f in failures
    ]


@pytest.mark.timeout(900)
def test_worker_processes_give_byte_identical_output(tmp_path):
    paths = _corpus(tmp_path)
    settings = get_settings()
    alone = workers.extract_batch(paths, None, settings, budget=False)
    batches = [paths[i : i + 50] for i in range(0, len(paths), 50)]
    pool = workers.pool(settings)
    futures = [pool.submit(workers.extract_batch, b, None, settings) for b in batches]
    together: tuple[list, list] = ([], [])
    for future in futures:
        articles, failures = future.result()
        together[0].extend(articles)
        together[1].extend(failures)
    assert len(alone[0]) >= 900
    assert _dump(alone) == _dump(together)


def test_a_file_over_its_cpu_budget_fails_and_the_next_goes_on(tmp_path):
    big = tmp_path / "long.txt"
    body = SEED.read_bytes().split(b"\n", 1)[1]
    big.write_bytes(SEED.read_bytes() + body * 60)  # ~180k characters: well over 0.4 s of CPU
    workers.extract_batch([SEED], None, get_settings(), budget=False)  # models loaded, warm
    settings = Settings(item_cpu_seconds=0.4)
    signal.signal(signal.SIGPROF, workers._over_budget)  # what a worker's initializer does
    try:
        articles, failures = workers.extract_batch([big, SEED], None, settings)
    finally:
        signal.signal(signal.SIGPROF, signal.SIG_DFL)
    assert [f.reason for f in failures] == ["took more than 0.4 s of CPU time: stopped"]
    assert [a.origin for a in articles] == [str(SEED)]


def test_pages_on_the_workers_give_what_one_process_gives():
    """Downloaded pages (the real fixture pages, one a broken body) extracted on the pool."""
    import gzip

    import httpx

    from marsad.fetch.client import Page
    from marsad.fetch.download import Fetched
    from marsad.fetch.state import WorkItem
    from marsad.pipeline import extract_pages

    results = []
    pages = sorted((FIXTURES / "pages").glob("*.html*")) * 3
    for n, path in enumerate(pages):
        body = path.read_bytes()
        body = gzip.decompress(body) if path.suffix == ".gz" else body
        url = f"https://news{n % 5}.example/a/{n}"
        page = Page(url, url, 200, httpx.Headers({"content-type": "text/html"}), body)
        results.append(Fetched(item=WorkItem(url=url, source="x"), page=page))
    results.append(
        Fetched(item=WorkItem(url="https://news0.example/gone", source="x"), error="404")
    )
    alone = extract_pages(results, {})
    together = workers.extract_pages(results, {})
    assert len(alone[0]) >= len(pages) - 3
    assert [a.origin for a in together[0]] == [a.origin for a in alone[0]]  # order kept
    assert _dump(together) == _dump(alone)
