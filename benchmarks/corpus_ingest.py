"""A full ingest of the real ANT multisource corpus: wall time, docs/s, cores used, peak memory.

The corpus (31,340 Arabic articles from Al Arabiya, BBC Arabic, CNN Arabic, France 24 and Sky
News Arabia, Feb–Oct 2018) is read from ../shared/corpora/ant-multisource-2018/ and cut into
JSON Lines files of --chunk records, as an archive export would arrive; `marsad ingest` then
runs on the folder, into its own index prefix, in a child process whose CPU time and peak
memory are measured. The indexed count must equal the input count.

Corpus: A. Chouigui, O. Ben Khiroun, B. Elayeb. An Arabic Multi-source News Corpus:
Experimenting on Single-document Extractive Summarization. Arabian Journal for Science and
Engineering 46(8), 2021. DOI 10.1007/s13369-020-05258-z

    .venv/bin/python benchmarks/corpus_ingest.py [--limit N] [--chunk 500]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._machine import describe

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ant-multisource-2018"


def split(folder: Path, chunk: int, limit: int | None) -> tuple[int, int]:
    """Write the corpus as chunk files; (records written, distinct article URLs among them).

    The corpus lists some articles twice (one URL under two categories): one document each.
    """
    count, buffer, part, urls = 0, [], 0, set()
    for path in sorted(CORPUS.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8", newline="\n") as lines:
            for line in lines:
                if limit is not None and count >= limit:
                    break
                buffer.append(line if line.endswith("\n") else line + "\n")
                urls.add(json.loads(line).get("url"))
                count += 1
                if len(buffer) == chunk:
                    (folder / f"part-{part:04d}.jsonl").write_text("".join(buffer), "utf-8")
                    buffer, part = [], part + 1
    if buffer:
        (folder / f"part-{part:04d}.jsonl").write_text("".join(buffer), "utf-8")
    return count, len(urls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--chunk", type=int, default=100, help="articles per input file")
    parser.add_argument("--batch-size", type=int, default=1, help="files per worker batch")
    args = parser.parse_args()
    prefix = f"bench-corpus-{os.getpid()}"
    env = {**os.environ, "MARSAD_INDEX_PREFIX": prefix}
    with tempfile.TemporaryDirectory(prefix="marsad-corpus-") as tmp:
        folder = Path(tmp)
        total, distinct = split(folder, args.chunk, args.limit)
        print(f"{total} articles in {len(list(folder.iterdir()))} files; ingesting …",
              file=sys.stderr, flush=True)  # fmt: skip
        load_before = os.getloadavg()[0]
        began = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "marsad.cli", "ingest", "--format", "json",
             "--batch-size", str(args.batch_size), str(folder)],
            env=env, cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        wall = time.perf_counter() - began
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    summary = json.loads(proc.stdout.strip().splitlines()[-1]) if proc.stdout.strip() else {}
    from marsad.config import get_settings
    from marsad.elastic.client import connect

    es = connect(get_settings())
    es.indices.refresh(index=f"{prefix}-articles")
    in_index = es.count(index=f"{prefix}-articles")["count"]
    es.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)
    es.options(ignore_status=404).indices.delete_index_template(name=f"{prefix}-*")
    print(f"machine: {describe()}; load average {load_before:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after")  # fmt: skip
    failed = summary.get("failed", [])
    print(f"input {total} records = {distinct} distinct articles (by URL); extracted "
          f"{summary.get('extracted')}; in the index {in_index}; failed {len(failed)}; "
          f"spooled {len(summary.get('spooled', []))}")  # fmt: skip
    for failure in failed[:10]:
        print(f"  failed {failure['origin']}: {failure['reason'][:120]}")
    print(f"wall {wall:.0f} s, {total / wall:.1f} docs/s, CPU {cpu:.0f} s = "
          f"{cpu / wall:.2f} cores busy on average, "
          f"peak RSS of the largest process {usage.ru_maxrss / 1024:.0f} MiB")  # fmt: skip
    if proc.returncode not in (0, 1):
        print(proc.stderr[-2000:], file=sys.stderr)


if __name__ == "__main__":
    main()
