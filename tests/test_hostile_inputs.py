"""A corpus of careless and hostile inputs, built at test time: one assertion per case on the
reason given or on what was extracted, then the whole folder through `marsad ingest` into a
real node, with a canary server that fails the test if anything but the guarded fetcher
connects to it.

The large inputs (gzip bomb, oversized and very long files) are made here, never committed.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from marsad.files import discover
from marsad.pipeline import extract_path
from tests.fetch.web import RawServer, url_first_page

from .conftest import FIXTURES, ROOT, SEED

MAX_BYTES = 2 * 1024 * 1024
SEED_BYTES = SEED.read_bytes()
SEED_BODY = SEED_BYTES.split(b"\n", 1)[1]
ARABIC = "أعلنت وزارة الخارجية الروسية اليوم أن الرئيس فلاديمير بوتين سيلتقي نظيره في موسكو"
TEXT = (ARABIC + ".\n\n") * 3


NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


@pytest.fixture
def canary():
    """The fetch tests' bare TCP server, logging every connection (none may come)."""
    server = RawServer(NOT_FOUND)
    yield server
    server.close()


def _cases(folder: Path, canary_url: str) -> dict[str, tuple[bytes, str]]:
    """name → (content, expectation): a reason pattern, or "ok" for an extracted article."""
    utf16 = ("خبر عاجل\n" + TEXT).encode("utf-16-le")
    html_url_page = f"<html><body><article><p>{canary_url}</p></article></body></html>"
    return {
        "empty.txt": (b"", "empty file"),
        "blank.txt": (b" \n\t\n ", "empty file"),
        "control-soup.txt": (bytes(range(1, 32)) * 40, "binary content, not text"),
        "renamed-pdf.txt": (b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n", "a PDF document"),
        "renamed-png.html": (b"\x89PNG\r\n\x1a\n" + bytes(300), "a PNG image"),
        "renamed-zip.json": (b"PK\x03\x04" + bytes(300), "a ZIP archive"),
        "renamed-elf.txt": (b"\x7fELF\x02\x01\x01" + bytes(300), "an ELF executable"),
        "renamed-jpeg.txt": (b"\xff\xd8\xff\xe0" + bytes(300), "a JPEG image"),
        "gzip-inside.html": (
            gzip.compress((FIXTURES / "pages" / "youm7_2020.html").read_bytes()),
            "ok",
        ),
        "bomb.html.gz": (gzip.compress(b"<p>" + b"a" * (MAX_BYTES + 10)), "decompressed size"),
        "truncated.html.gz": (gzip.compress(SEED_BYTES)[:40], "truncated gzip"),
        "oversized.txt": (b"x" * (MAX_BYTES + 1), "over the .*byte limit"),
        "very-long.txt": (SEED_BYTES + SEED_BODY * 100, "characters is over the 100000 limit"),
        "report.docx": (b"anything", "unsupported file type '.docx'"),
        "README": (b"anything", r"unsupported file type \(no file extension\)"),
        "nul-in-record.jsonl": (
            json.dumps({"title": "عنوان\u0000 الخبر", "text": "نص\u0000 " + TEXT}).encode(),
            "ok",
        ),
        "rlo.txt": (("عنوان \u202egnp.exe\n" + TEXT + "\u202e").encode(), "ok"),
        "bidi-title.txt": (("\u202e\u202c\u200f\n" + TEXT).encode(), "ok"),
        "utf16le-nobom.txt": (utf16, "ok"),
        "utf16be-nobom.txt": (("خبر عاجل\n" + TEXT).encode("utf-16-be"), "ok"),
        "utf32le-nobom.txt": (("خبر عاجل\n" + TEXT).encode("utf-32-le"), "ok"),
        "cp1256.html": (
            (FIXTURES / "encodings" / "windows-1256_no_charset.html").read_bytes(),
            "ok",
        ),
        "bad-line.jsonl": (
            json.dumps({"title": "t1", "text": TEXT}).encode() + b'\n{"title": ',
            "ok",
        ),
        "not-an-object.json": (b"[1, 2, 3]", "."),
        "truncated.html": (b"<html><body><article><p>" + TEXT.encode(), "truncated"),
        "no-article.html": (b"<html><body><nav>menu</nav></body></html>", "not an article page"),
        "xxe.html": (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">'
            b"]><html><head><title>t</title></head><body><article><p>&x; "
            + TEXT.encode()
            + b"</p></article></body></html>",
            ".",
        ),
        "url-only.html": (canary_url.encode(), "."),
        "url-first.html": (url_first_page(canary_url).encode(), "ok"),  # htmldate's trigger
        "url-page.html": (html_url_page.encode(), "."),
        "url-only.txt": (f"{canary_url}\n{canary_url}".encode(), "."),
        "url-record.jsonl": (json.dumps({"html": canary_url, "url": canary_url}).encode(), "."),
        "m4_[red]x.txt": (b"", "empty file"),
        "[bold]name[\\bold].txt": ("[/red] عنوان [bold]\n".encode() + SEED_BODY, "ok"),
        "UPPER.HTML": ((FIXTURES / "pages" / "albayan_2020.html").read_bytes(), "ok"),
        "x" * 200 + ".txt": (SEED_BYTES, "ok"),
    }


def _build(folder: Path, canary_url: str) -> dict[str, tuple[bytes, str]]:
    cases = _cases(folder, canary_url)
    for name, (data, _expect) in cases.items():
        (folder / name).write_bytes(data)
    (folder / ".hidden.txt").write_bytes(b"")  # hidden: never read, never reported
    (folder / "deep" / "er" / "est").mkdir(parents=True)
    (folder / "deep" / "er" / "est" / "nested.txt").write_bytes(SEED_BYTES)
    (folder / "link-passwd.txt").symlink_to("/etc/passwd")
    (folder / "link-outside").symlink_to(folder.parent)
    (folder / "link-inside.txt").symlink_to(folder / "rlo.txt")
    os.mkdir(os.fsencode(folder) + b"/latin1-\xe9t\xe9")
    with open(os.fsencode(folder) + b"/latin1-\xe9t\xe9/caf\xe9.txt", "wb") as handle:
        handle.write(SEED_BYTES)
    return cases


@pytest.fixture
def hostile(tmp_path, canary, monkeypatch):
    folder = tmp_path / "hostile"
    folder.mkdir()
    cases = _build(folder, canary.url("/latest/meta-data"))
    monkeypatch.setenv("MARSAD_MAX_FILE_BYTES", str(MAX_BYTES))
    monkeypatch.setenv("MARSAD_MAX_TEXT_CHARS", "100000")
    from marsad.config import get_settings

    get_settings.cache_clear()
    yield folder, cases
    get_settings.cache_clear()


def _extract_all(folder: Path) -> tuple[dict[str, list], dict[str, list[str]]]:
    files, failures = discover([folder])
    articles: dict[str, list] = {}
    reasons: dict[str, list[str]] = {}
    for failure in failures:
        reasons.setdefault(failure.origin, []).append(failure.reason)
    for path in files:
        found, failed = extract_path(path, source=None, max_bytes=MAX_BYTES)
        for article in found:
            articles.setdefault(article.origin or "", []).append(article)
        for failure in failed:
            reasons.setdefault(failure.origin, []).append(failure.reason)
    return articles, reasons


def test_every_hostile_case_gets_its_reason_or_its_article(hostile, canary):
    folder, cases = hostile
    articles, reasons = _extract_all(folder)
    for name, (_data, expect) in cases.items():
        origin = str(folder / name)
        if expect == "ok":
            assert articles.get(origin), (name, reasons.get(origin))
        elif expect != ".":
            assert any(__import__("re").search(expect, r) for r in reasons.get(origin, [])), (
                name, reasons.get(origin),
            )  # fmt: skip
    assert canary.accepted == [], "a library fetched a URL found in a page"


def test_text_is_clean_and_titles_never_empty(hostile):
    folder, _cases = hostile
    articles, _ = _extract_all(folder)
    every = [a for found in articles.values() for a in found]
    assert every and all(a.title.strip() for a in every)
    for article in every:
        for value in (article.title, article.text):
            assert "\x00" not in value and "\u202e" not in value and "\u202c" not in value
    [nul] = articles[str(folder / "nul-in-record.jsonl")]
    assert nul.title == "عنوان الخبر"
    [bidi] = articles[str(folder / "bidi-title.txt")]
    assert bidi.title.startswith("أعلنت وزارة الخارجية")  # the first line, not an empty title
    [wide] = articles[str(folder / "utf16le-nobom.txt")]
    assert wide.title == "خبر عاجل" and ARABIC in wide.text


def test_links_out_of_the_folder_are_reported_not_read(hostile):
    folder, _cases = hostile
    articles, reasons = _extract_all(folder)
    assert not any("root:" in a.text for found in articles.values() for a in found)
    assert "not followed" in reasons[str(folder / "link-passwd.txt")][0]
    assert "not followed" in reasons[str(folder / "link-outside")][0]
    inside = [o for o in articles if o.endswith(("rlo.txt", "link-inside.txt"))]
    assert len(inside) == 1  # a link inside the folder is the same file, read once


def test_odd_file_names_are_kept_and_printable(hostile):
    folder, _cases = hostile
    articles, _ = _extract_all(folder)
    latin = [o for o in articles if "caf" in o]
    assert latin == [f"{folder}/latin1-\\xe9t\\xe9/caf\\xe9.txt"]
    json.dumps([a.model_dump(mode="json") for a in articles[latin[0]]])  # storable as JSON


def test_any_spelling_of_a_folder_gives_the_same_ids(hostile, monkeypatch):
    folder, _cases = hostile
    monkeypatch.chdir(folder.parent)
    by_relative, _ = _extract_all(Path("hostile"))
    by_absolute, _ = _extract_all(folder)
    by_dotted, _ = _extract_all(Path("./hostile/../hostile"))
    ids = [sorted(a.id for found in run.values() for a in found)
           for run in (by_relative, by_absolute, by_dotted)]  # fmt: skip
    assert ids[0] == ids[1] == ids[2] and ids[0]


def _marsad(*args: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marsad.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=600)  # fmt: skip


def test_cli_failure_lines_print_names_as_they_are(hostile, canary):
    folder, _cases = hostile
    env = {**os.environ, "MARSAD_MAX_FILE_BYTES": str(MAX_BYTES), "MARSAD_MAX_TEXT_CHARS": "100000"}
    newline = folder / "two\nlines.txt"
    newline.write_bytes(b"")
    proc = _marsad("extract", "--no-enrich", str(folder), cwd=ROOT, env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert all(line.startswith("failed ") for line in lines), lines
    assert any("m4_[red]x.txt: empty file" in line for line in lines)
    assert any("two\\nlines.txt: empty file" in line for line in lines)
    as_json = _marsad("extract", "--no-enrich", "--format", "json", str(folder), cwd=ROOT, env=env)
    records = [json.loads(line) for line in as_json.stderr.splitlines()]
    assert {"origin", "reason", "stage"} <= set(records[0])
    assert any(r["origin"].endswith("two\nlines.txt") for r in records)  # exactly as it is
    assert canary.accepted == []


def test_ingest_of_the_hostile_folder_indexes_what_belongs(hostile, canary, es, settings):
    folder, cases = hostile
    prefix = f"{settings.index_prefix}-hostile"
    url = settings.es_url or f"http://127.0.0.1:{settings.es_port}"  # the test node, not a new one
    env = {**os.environ, "MARSAD_MAX_FILE_BYTES": str(MAX_BYTES), "MARSAD_ES_URL": url,
           "MARSAD_MAX_TEXT_CHARS": "100000", "MARSAD_INDEX_PREFIX": prefix,
           "MARSAD_STATE_DIR": str(folder.parent / "state")}  # fmt: skip
    try:
        proc = _marsad("ingest", "--format", "json", "hostile", cwd=folder.parent, env=env)
        assert proc.returncode == 1, proc.stderr  # some inputs failed, by design
        summary = json.loads(proc.stdout.strip().splitlines()[-1])
        wanted = sum(1 for _d, expect in cases.values() if expect == "ok")
        assert summary["indexed"] >= wanted and summary["spooled"] == []
        failed = {f["origin"] for f in summary["failed"]}
        assert "hostile/renamed-pdf.txt" in failed and "hostile/link-passwd.txt" in failed
        es.indices.refresh(index=f"{prefix}-articles")
        titles = [
            h["_source"]["title"]
            for h in es.search(index=f"{prefix}-articles", size=200, source_includes=["title"])[
                "hits"
            ]["hits"]
        ]
        assert not any(t.startswith("%PDF") or "root:x:0" in t for t in titles)
        again = _marsad("ingest", "--format", "json", str(folder), cwd=ROOT, env=env)
        second = json.loads(again.stdout.strip().splitlines()[-1])
        assert second["created"] == 0 and second["unchanged"] == summary["indexed"]
        assert es.count(index=f"{prefix}-articles")["count"] == summary["indexed"]
        assert canary.accepted == []
    finally:
        es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
        es.options(ignore_status=404).indices.delete_index_template(name=f"{prefix}-*")
