"""The Scrapy item pipeline batches documents and hands facts to the store."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from twisted.internet.defer import Deferred, succeed

from crawler.items import Article, Comment, Thread
from pipelines.nlp.language import extractor_fingerprint
from pipelines.nlp.pipeline import NlpPipeline
from pipelines.store import Store


class FakeStore:
    def __init__(self) -> None:
        self.batches: list[list[dict[str, Any]]] = []

    def replace_facts(
        self, facts: list[dict[str, Any]], sources: dict[str, str] | None = None
    ) -> int:
        self.batches.append(list(facts))
        return len(facts)

    def close(self) -> None:
        pass


class FakeStats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def test_batches_and_flushes_at_close() -> None:
    stats = FakeStats()
    pipe = NlpPipeline(None, batch_size=2, stats=stats)
    store = FakeStore()
    pipe.store = store
    pipe.run_in_thread = lambda work: succeed(work())  # inline instead of a worker thread
    first = Thread(
        Article(id="a:1", url="u1", canonical_url="u1", source="s", title="t",
                text="Die HWK Aachen ist offline."),
        [Comment(id="c:1", url="u1#1", article_url="u1", article_id="a:1", parent_id=None,
                 author="x", published=None, text="Köln auch?")],
    )  # fmt: skip
    second = Thread(Article(id="a:2", url="u2", canonical_url="u2", source="s", title="t",
                            text="Nichts."))  # fmt: skip
    passed: list[Any] = []
    for item in (first, second):
        result = pipe.process_item(item)
        if isinstance(result, Deferred):
            result.addCallback(passed.append)
        else:
            passed.append(result)
    assert passed == [first, second]  # items pass through unchanged
    assert [[f["doc_id"] for f in b] for b in store.batches] == [["a:1", "c:1"]]
    assert pipe.process_item({"not": "an item"}) == {"not": "an item"}
    pipe.close_spider()
    assert [[f["doc_id"] for f in b] for b in store.batches] == [["a:1", "c:1"], ["a:2"]]
    assert store.batches[0][0]["chambers"][0]["id"] == "hwk-aachen"
    assert stats.values == {"kw/nlp/documents": 3, "kw/nlp/claims": 1}


def test_facts_written_in_a_crawl_count_as_up_to_date(tmp_path: Path) -> None:
    """The crawl's facts carry their source, so `kammerwatch extract` on the store
    does not extract those documents again (and does what changed since)."""
    article = Article(id="a:1", url="u1", canonical_url="u1", source="s", title="t",
                      language="de", text="Die HWK Aachen ist offline.")  # fmt: skip
    comment = Comment(id="c:1", url="u1#1", article_url="u1", article_id="a:1",
                      parent_id=None, author="x", published=None, text="Köln auch?")  # fmt: skip
    with Store(tmp_path / "kw.db") as store:
        store.upsert_many([article, comment])
        pipe = NlpPipeline(None, batch_size=64)
        pipe.store = store
        pipe.process_item(Thread(article, [comment]))
        pipe.flush()
        fingerprint = extractor_fingerprint()
        assert store.count("facts") == 2
        assert store.count_to_extract(fingerprint) == 0
        assert pipe.sources == {}  # handed to the store, not kept
        changed = dataclasses.replace(comment, text="Köln auch!")
        store.upsert_many([changed])
        assert [row["id"] for row, _ in store.documents_to_extract(fingerprint)] == ["c:1"]
