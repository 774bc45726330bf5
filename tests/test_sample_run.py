"""End to end: `kammerwatch run` on the bundled sample archive (WARC replay
under the real URLs, no network) against the corpus' documented truth
(tests/fixtures/sample_expected.json)."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from crawler.sample import ARCHIVE, check
from tests.crawlrun import CrawlResult, crawl

EXPECTED = json.loads(
    (Path(__file__).parent / "fixtures" / "sample_expected.json").read_text("utf-8")
)
DOCUMENTS = {d["url"]: d for d in EXPECTED["documents"]}


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    out = tmp_path_factory.mktemp("run")
    result = crawl(out=out, command="run")
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_bundled_archive_is_in_sync_with_its_sources() -> None:
    assert ARCHIVE.exists()
    assert check() == []


def test_every_document_and_nothing_else(sample_run: CrawlResult) -> None:
    assert sorted(a["url"] for a in sample_run.articles) == sorted(DOCUMENTS)
    assert len({a["id"] for a in sample_run.articles}) == len(DOCUMENTS)
    assert sample_run.stats["kw/skipped/outage_page"] == len(EXPECTED["outage_pages"])


@pytest.mark.parametrize(
    "field", ["canonical_url", "source", "title", "author", "published", "comment_count"]
)
def test_article_fields(sample_run: CrawlResult, field: str) -> None:
    got = {a["url"]: a[field] for a in sample_run.articles}
    want = {url: d[field] for url, d in DOCUMENTS.items()}
    assert got == want


def test_article_text_starts_right_and_has_no_planted_noise(sample_run: CrawlResult) -> None:
    for article in sample_run.articles:
        doc = DOCUMENTS[article["url"]]
        assert article["text"].startswith(doc["text_starts_with"]), article["url"]
        for noise in doc["text_must_not_contain"]:
            assert noise not in article["text"], (article["url"], noise)


def by_site_id(comments: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {c["id"].rsplit(":", 1)[1]: c for c in comments}


def test_blog_comments_across_three_pages(sample_run: CrawlResult) -> None:
    for url, doc in DOCUMENTS.items():
        if not doc.get("comments"):
            continue
        article = next(a for a in sample_run.articles if a["url"] == url)
        got = by_site_id([c for c in sample_run.comments if c["article_id"] == article["id"]])
        assert len(got) == len(doc["comments"]) == article["comment_count"]
        for position, want in enumerate(doc["comments"], 1):
            c = got[want["site_id"]]
            assert c["author"] == want["author"]
            assert c["published"] == want["published"]
            assert c["depth"] == want["depth"]
            assert c["text"].startswith(want["text_starts_with"])
            parent = want["parent_site_id"]
            assert c["parent_id"] == (
                None if parent is None else f"{doc['source']}:comment:{parent}"
            )
            assert c["position"] == position
            assert "sagt:" not in c["text"] and "schreibt:" not in c["text"]


def test_store_and_csv_exports(sample_run: CrawlResult) -> None:
    db = sqlite3.connect(sample_run.out / "kammerwatch.db")
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == len(DOCUMENTS)
    assert db.execute("SELECT count(*) FROM comments").fetchone()[0] == len(sample_run.comments)
    with (sample_run.out / "comments.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert len(rows) == len(sample_run.comments)
    assert not [r for r in rows if r["text"][:1] in ("=", "+", "-", "@")]


def test_second_run_on_the_same_archive_adds_nothing(
    sample_run: CrawlResult, tmp_path: Path
) -> None:
    again = crawl(out=sample_run.out, command="run")
    assert again.returncode == 0
    assert again.stats.get("kw/store/article/new") is None
    assert again.stats.get("kw/store/comment/new") is None
    assert len(again.articles) == len(sample_run.articles)
    assert len(again.comments) == len(sample_run.comments)


def test_nlp_pipeline_inside_the_crawl(tmp_path: Path) -> None:
    result = crawl("--archive", str(ARCHIVE), out=tmp_path, settings={"KW_NLP": "True"})
    assert result.returncode == 0, result.stderr[-3000:]
    documents = len(result.articles) + len(result.comments)
    assert result.stats["kw/nlp/documents"] == documents
    db = sqlite3.connect(tmp_path / "kammerwatch.db")
    assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == documents
    kinds = dict(db.execute("SELECT kind, count(*) FROM facts GROUP BY kind").fetchall())
    assert kinds == {"article": len(result.articles), "comment": len(result.comments)}


def test_run_writes_facts_for_every_document(sample_run: CrawlResult) -> None:
    facts = [json.loads(line) for line in (sample_run.out / "facts.jsonl").open(encoding="utf-8")]
    ids = {a["id"] for a in sample_run.articles} | {c["id"] for c in sample_run.comments}
    assert {f["doc_id"] for f in facts} == ids
