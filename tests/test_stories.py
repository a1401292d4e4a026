"""Stories in the index: placed incrementally across runs, listed with their first outlet.

Real articles: BBC Arabic and Sky News Arabia on Uganda's daily social-media tax, 1 July 2018
(ANT multisource corpus, read from ../shared: Chouigui, Ben Khiroun, Elayeb, AJSE 46(8),
2021), judged the same story and not near-copies (tests/fixtures/story_pairs, a dev pair);
the third is a cut of the BBC article (its first paragraphs) republished an hour later.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.flows.ingest_files import ingest_files
from marsad.stories import place_articles

ANT = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "ant-multisource-2018"
BBC, SKY = "BB-technology-296-20180701", "SK-internationalNews-2418-20180701"


def records() -> dict[str, dict]:
    found = {}
    for name in ("bbc.jsonl.gz", "skynews.jsonl.gz"):
        with gzip.open(ANT / name, "rt", encoding="utf-8") as lines:
            found |= {r["id"]: r for r in map(json.loads, lines) if r["id"] in (BBC, SKY)}
    return found


def write(path: Path, items: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), "utf-8")
    return path


def item(record: dict, **changes) -> dict:
    fields = {"id": record["id"], "url": record["url"], "title": record["title"],
              "maintext": record["text"], "publish_date": record["published_at"]}  # fmt: skip
    return fields | changes


def by_url(index) -> dict[str, dict]:
    index.refresh()
    hits = index.es.search(index=index.alias, size=10)["hits"]["hits"]
    return {h["_source"]["url"]: {"id": h["_id"], **h["_source"]} for h in hits}


@pytest.mark.usefixtures("prefect_api")
def test_articles_join_stories_across_runs_and_the_first_outlet_is_known(article_index, tmp_path):
    found = records()
    bbc, sky = found[BBC], found[SKY]
    ingest_files([str(write(tmp_path / "first.jsonl", [item(bbc)]))])  # places at its end
    paragraphs = bbc["text"].split("\n")
    cut = item(bbc, id="cut", url=bbc["url"] + "?cut", maintext="\n".join(paragraphs[:8]),
               publish_date="2018-07-01T03:01:13+00:00")  # fmt: skip
    ingest_files([str(write(tmp_path / "second.jsonl", [item(sky), cut]))])  # a later run

    docs = by_url(article_index)
    first, copy, other = docs[bbc["url"]], docs[bbc["url"] + "?cut"], docs[sky["url"]]
    assert first["story_id"] == first["id"] and first.get("duplicate_of") is None
    assert (copy["duplicate_of"], copy["story_id"]) == (first["id"], first["id"])
    assert other["story_id"] == first["id"] and other.get("duplicate_of") is None
    assert other["story_similarity"] >= 0.28 and copy["copy_overlap"] >= 0.5

    assert place_articles().placed == 0  # the state is in the index: nothing left to place

    result = CliRunner().invoke(app, ["stories", "--format", "json"])
    assert result.exit_code == 0, result.output
    (story,) = json.loads(result.stdout)["stories"]
    assert (story["story_id"], story["articles"], story["outlets"], story["copies"]) == (
        first["id"], 3, 2, 1,
    )  # fmt: skip
    assert story["first_outlet"] == first["source"]
    assert story["followers"] == [
        {"outlet": other["source"], "first_at": "2018-07-01T04:19:01+00:00", "delay_hours": 2.3}
    ]
    csv = CliRunner().invoke(app, ["stories", "--format", "csv", "--topic", "starlink"])
    assert csv.exit_code == 0 and csv.stdout == ""  # no story of that topic
    table = CliRunner().invoke(app, ["stories", "--since", "2018-07-01", "--until", "2018-07-02"])
    assert table.exit_code == 0 and "+2.3" in table.stdout
