"""Syndication dedup: precision/recall on labelled pairs (pinned floors), the
direction of ``duplicate_of``, chains, MinHash/LSH, the bundled sample's one
duplicate pair, and the store table written by the pipeline."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from crawler.items import Article, Thread
from crawler.parsers.news import parse_news
from crawler.parsers.wordpress import is_wordpress, parse_post
from pipelines.store import Store
from pipelines.syndication import (
    BUCKET_WINDOW,
    Doc,
    MinHasher,
    SyndicationPipeline,
    find_duplicates,
    jaccard,
    load_duplicates,
    lsh_candidates,
    shingles,
)

REPO = Path(__file__).resolve().parents[1]
PAIRS = REPO / "tests" / "data" / "syndication" / "pairs.jsonl"
SAMPLE = REPO / "crawler" / "data" / "sample"

# Measured on the 36 pairs: precision 1.000, recall 0.944 (17/18; the miss is a
# teaser copy holding only the first paragraph). Raise, never lower.
FLOOR_PRECISION = 1.0
FLOOR_RECALL = 0.94


def load_pairs() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PAIRS.read_text("utf-8").splitlines() if line.strip()]


def test_pairs_fixture_covers_the_cases() -> None:
    pairs = load_pairs()
    assert len(pairs) >= 30
    kinds = {(p["kind"], p["label"]) for p in pairs}
    assert kinds == {
        ("republication", "duplicate"),
        ("scraper", "duplicate"),
        ("rewrite", "not_duplicate"),
        ("same-topic", "not_duplicate"),
    }


def test_precision_recall_on_pairs() -> None:
    tp = fp = fn = 0
    misses = []
    for pair in load_pairs():
        found = find_duplicates([pair["a"], pair["b"]])
        predicted = bool(found)
        gold = pair["label"] == "duplicate"
        tp += predicted and gold
        fp += predicted and not gold
        fn += gold and not predicted
        if predicted != gold:
            misses.append(pair["id"])
        if predicted:  # b is published later in every pair: b duplicates a
            assert found == [(pair["b"]["id"], pair["a"]["id"], found[0][2])], pair["id"]
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    assert precision >= FLOOR_PRECISION, misses
    assert recall >= FLOOR_RECALL, misses


TEXT = (
    "Der IT-Dienstleister aus Straubing hat einen Angriff auf seine Systeme bestätigt. "
    "Betroffen sind vor allem Handwerkskammern, deren Internetseiten seit Montag nicht "
    "erreichbar sind. Ob Daten abgeflossen sind, ist noch unklar. Die Prüfungen finden "
    "statt, die Kammern bleiben telefonisch erreichbar, teilte ein Sprecher mit."
)


def test_duplicate_of_is_the_earlier_document_and_chains_resolve() -> None:
    docs: list[dict[str, Any]] = [
        {"id": "copy2", "text": TEXT + " Mehr in Kürze.", "published": "2024-01-10T18:00:00+01:00"},
        {"id": "orig", "text": TEXT, "published": "2024-01-10T14:00:00+00:00"},  # 15:00 Berlin
        {"id": "copy1", "text": "Vorab: " + TEXT, "published": "2024-01-10T16:00:00+01:00"},
        {"id": "other", "text": "Ganz anderer Text über das Wetter am Wochenende in Köln.",
         "published": "2024-01-09T10:00:00+01:00"},
        {"id": "undated", "text": TEXT, "published": None},
    ]  # fmt: skip
    found = {doc_id: (original, sim) for doc_id, original, sim in find_duplicates(docs)}
    assert set(found) == {"copy1", "copy2", "undated"}
    assert {original for original, _ in found.values()} == {"orig"}
    assert found["undated"][1] == 1.0


def test_minhash_estimates_and_lsh_agree_with_exact() -> None:
    hasher = MinHasher()
    pairs = load_pairs()
    docs: list[Doc | dict[str, Any]] = []
    for pair in pairs[:12]:
        a, b = shingles(pair["a"]["text"]), shingles(pair["b"]["text"])
        estimate = MinHasher.estimate(hasher.signature(a), hasher.signature(b))
        assert abs(estimate - jaccard(a, b)) < 0.15, pair["id"]
    for pair in pairs:
        for side in ("a", "b"):
            d = pair[side]
            docs.append(Doc(d["id"], d["text"], d["published"]))
    exact = {(d, o) for d, o, _ in find_duplicates(docs)}
    approx = {(d, o) for d, o, _ in find_duplicates(docs, exact_limit=0)}
    assert {d for d, _ in approx} <= {d for d, _ in exact}  # candidates are checked exactly
    assert len(approx & exact) >= 0.9 * len(exact)
    assert lsh_candidates([]) == set()


def test_many_identical_copies_stay_linear_and_chain_to_the_earliest() -> None:
    """300 copies of one text (a bucket of 300 in every band): each copy is compared with
    at most BUCKET_WINDOW earlier ones, and every copy still points to the first."""
    text = " ".join(f"wort{i % 97} satz{i % 13}" for i in range(400))
    docs = [
        Doc(
            f"d{n:03d}",
            text + f" Nachsatz {n}.",
            f"2024-01-{1 + n // 24:02d}T{n % 24:02d}:00:00+01:00",
        )
        for n in range(300)
    ]
    signature = MinHasher().signature(shingles(docs[0].text))
    pairs = lsh_candidates([signature] * 300)
    assert len(pairs) == sum(min(n, BUCKET_WINDOW) for n in range(300))  # not 300 * 299 / 2
    found = find_duplicates(docs, exact_limit=0)
    assert len(found) == 299
    assert {original for _, original, _ in found} == {"d000"}


def _sample_documents() -> list[dict[str, Any]]:
    docs = []
    for entry in json.loads((SAMPLE / "manifest.json").read_text("utf-8")):
        if entry.get("status") != 200 or "comment-page" in entry["url"]:
            continue
        html = (SAMPLE / entry["file"]).read_text("utf-8")
        fetched = "2024-01-20T00:00:00+01:00"
        if is_wordpress(html):
            article = parse_post(html, entry["url"], fetched).article
        else:
            article = parse_news(html, entry["url"], fetched).article
        if article.text:
            docs.append({"id": article.id, "url": article.url, "text": article.text,
                         "published": article.published})  # fmt: skip
    return docs


def test_sample_corpus_has_exactly_the_agency_pair() -> None:
    docs = _sample_documents()
    assert len(docs) >= 12
    urls = {d["id"]: d["url"] for d in docs}
    found = find_duplicates(docs)
    assert len(found) == 1
    doc_id, original, similarity = found[0]
    assert "rheinpfalz.de/wirtschaft_artikel,-it-dienstleister-odav" in urls[doc_id]
    assert "pnp.de/nachrichten/bayern/straubinger-it-dienstleister-odav" in urls[original]
    assert similarity > 0.7


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count

    def set_value(self, key: str, value: int) -> None:
        self.values[key] = value


def _article(doc_id: str, text: str, published: str) -> Article:
    return Article(id=doc_id, url=f"https://x.example/{doc_id}", canonical_url="",
                   source="x.example", title=doc_id, text=text, published=published)  # fmt: skip


def test_pipeline_writes_its_table_and_load_duplicates(tmp_path: Path) -> None:
    db = tmp_path / "kammerwatch.db"
    assert load_duplicates(db) == {}
    with Store(db) as store:  # an earlier crawl stored the original
        store.upsert(_article("pnp:1", TEXT, "2024-01-10T15:02:00+01:00"))
    assert load_duplicates(db) == {}  # store without the table
    stats = Stats()
    pipeline = SyndicationPipeline(db, stats)  # type: ignore[arg-type]
    copy = Thread(
        _article("rp:2", TEXT + " Auch die Pfalz ist betroffen.", "2024-01-10T16:48:00+01:00")
    )
    assert pipeline.process_item(copy) is copy
    pipeline.process_item(
        Thread(_article("x:3", "Etwas ganz anderes.", "2024-01-11T10:00:00+01:00"))
    )
    pipeline.spider_closed()
    assert load_duplicates(db) == {"rp:2": "pnp:1"}
    assert stats.values["kw/syndication/duplicates"] == 1
    assert stats.values["kw/syndication/duplicates_this_run"] == 1
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT doc_id, duplicate_of, similarity, method FROM duplicates"
        ).fetchone()
        assert row[:2] == ("rp:2", "pnp:1") and row[2] > 0.8 and row[3] == "jaccard-5"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
