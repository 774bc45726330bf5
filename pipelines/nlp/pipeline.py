"""NlpPipeline: extract facts during a crawl, batched so the crawl is not stalled.

Articles and comments are buffered; every ``KW_NLP_BATCH`` items (default 64)
and at close_spider the buffer goes through ``nlp.pipe`` in one go and the facts
are written to the store (setting ``KW_DB_PATH``).  The pipeline is loaded once
per process (:func:`pipelines.nlp.language.get_nlp`); items pass through
unchanged.  Unusable items are counted (``kw/nlp/skipped``), never dropped.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Self

from pipelines.nlp.facts import RecordError, extract_records, normalize_record


class NlpPipeline:
    """Scrapy item pipeline running the NLP extraction in batches."""

    def __init__(self, db_path: str | None, batch_size: int = 64, stats: Any = None) -> None:
        self.db_path = db_path
        self.batch_size = batch_size
        self.stats = stats
        self.buffer: list[dict[str, Any]] = []
        self.store: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> Self:
        """Build from the crawler settings (KW_DB_PATH, KW_NLP_BATCH)."""
        from pipelines.store import db_path

        settings = crawler.settings
        return cls(
            str(db_path(settings)),
            settings.getint("KW_NLP_BATCH", 64),
            getattr(crawler, "stats", None),
        )

    def open_spider(self, spider: Any = None) -> None:
        from pipelines.store import Store

        if self.db_path:
            self.store = Store(self.db_path)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        """Buffer Article/Comment items; flush a full batch through the pipeline."""
        if not dataclasses.is_dataclass(item) or getattr(item, "kind", None) not in (
            "article",
            "comment",
        ):
            return item
        try:
            self.buffer.append(normalize_record(dataclasses.asdict(item)))  # type: ignore[arg-type]
        except RecordError:
            self._inc("kw/nlp/skipped")
            return item
        if len(self.buffer) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> int:
        """Extract the buffered documents and hand the facts to the store."""
        if not self.buffer:
            return 0
        batch, self.buffer = self.buffer, []
        facts = list(extract_records(batch, self.batch_size))
        if self.store is not None:
            self.store.replace_facts(facts)
        self._inc("kw/nlp/documents", len(facts))
        self._inc("kw/nlp/claims", sum(len(f["claims"]) for f in facts))
        return len(facts)

    def close_spider(self, spider: Any = None) -> None:
        self.flush()
        if self.store is not None:
            self.store.close()
            self.store = None

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)
