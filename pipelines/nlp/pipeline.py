"""NlpPipeline: extract facts during a crawl, batched so the crawl is not stalled.

Enabled by the setting ``KW_NLP`` (``kammerwatch run`` extracts in a stage of
its own after the crawl instead).  Articles and comments are buffered; every
``KW_NLP_BATCH`` documents (default 64) the batch goes through ``nlp.pipe`` in
a worker thread (so the reactor keeps downloading meanwhile) and the facts are
written to the store (setting ``KW_DB_PATH``) back in the reactor thread.  The
pipeline is loaded once per process (:func:`pipelines.nlp.language.get_nlp`);
items pass through unchanged.  Unusable records are counted
(``kw/nlp/skipped``), never dropped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Self

from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThread


class NlpPipeline:
    """Scrapy item pipeline running the NLP extraction in batches."""

    def __init__(self, db_path: str | None, batch_size: int = 64, stats: Any = None) -> None:
        self.db_path = db_path
        self.batch_size = batch_size
        self.stats = stats
        self.buffer: list[dict[str, Any]] = []
        # doc id -> what its facts are made from (facts.source_hash): a later incremental
        # `kammerwatch extract` then skips what the crawl extracted already
        self.sources: dict[str, str] = {}
        self._fingerprint: str | None = None
        self.store: Any = None
        self.crawler: Any = None
        # how a full batch is run off the reactor thread (tests run it inline)
        self.run_in_thread: Callable[[Callable[[], Any]], Deferred[Any]] = deferToThread

    @classmethod
    def from_crawler(cls, crawler: Any) -> Self:
        """Build from the crawler settings (KW_NLP, KW_DB_PATH, KW_NLP_BATCH)."""
        from scrapy.exceptions import NotConfigured

        from pipelines.store import db_path

        settings = crawler.settings
        if not settings.getbool("KW_NLP"):
            raise NotConfigured
        pipeline = cls(
            str(db_path(settings)),
            settings.getint("KW_NLP_BATCH", 64),
            getattr(crawler, "stats", None),
        )
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        from pipelines.store import Store, shared_store

        if self.crawler is not None:
            self.store = shared_store(self.crawler)  # the crawl's own connection
        elif self.db_path:
            self.store = Store(self.db_path)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        """Buffer the item's documents; a full batch is extracted in a worker thread."""
        # imported here: a crawl without KW_NLP never loads spaCy (a second of start-up)
        from pipelines.nlp.facts import RecordError, normalize_record
        from pipelines.nlp.language import extractor_fingerprint
        from pipelines.store import extraction_source

        if self._fingerprint is None:
            self._fingerprint = extractor_fingerprint()
        records = item.records() if hasattr(item, "records") else [item]
        for record in records:
            kind = getattr(record, "kind", None)
            if not dataclasses.is_dataclass(record) or kind not in ("article", "comment"):
                continue
            values = dataclasses.asdict(record)  # type: ignore[arg-type]
            try:
                self.buffer.append(normalize_record(values))
            except RecordError:
                self._inc("kw/nlp/skipped")
                continue
            table = "articles" if kind == "article" else "comments"
            self.sources[values["id"]] = extraction_source(table, values, self._fingerprint)
        if len(self.buffer) < self.batch_size:
            return item
        from pipelines.nlp.facts import extract_records

        batch, self.buffer = self.buffer, []
        deferred = self.run_in_thread(lambda: list(extract_records(batch, self.batch_size)))
        deferred.addCallback(self._store_facts)
        deferred.addCallback(lambda _: item)
        return deferred

    def flush(self) -> int:
        """Extract what is buffered now (in this thread) and store the facts."""
        if not self.buffer:
            return 0
        from pipelines.nlp.facts import extract_records

        batch, self.buffer = self.buffer, []
        return self._store_facts(list(extract_records(batch, self.batch_size)))

    def _store_facts(self, facts: list[dict[str, Any]]) -> int:
        sources = {f["doc_id"]: self.sources.pop(f["doc_id"], None) for f in facts}
        if self.store is not None:
            self.store.replace_facts(facts, {k: v for k, v in sources.items() if v})
        self._inc("kw/nlp/documents", len(facts))
        self._inc("kw/nlp/claims", sum(len(f["claims"]) for f in facts))
        return len(facts)

    def close_spider(self, spider: Any = None) -> None:
        self.flush()
        if self.store is not None:
            if self.crawler is not None:
                from pipelines.store import release_store

                release_store(self.crawler)
            else:
                self.store.close()
            self.store = None

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)
