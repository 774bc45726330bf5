"""Scrapy extension for benchmarks: write the final stats to KW_STATS_JSON as JSON."""

import json
from pathlib import Path
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler


class StatsDump:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.path = Path(crawler.settings.get("KW_STATS_JSON", "stats.json"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        ext = cls(crawler)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def closed(self, spider: Any = None, **_: Any) -> None:
        assert self.crawler.stats is not None
        stats = {
            k: v if isinstance(v, int | float | str) else str(v)
            for k, v in self.crawler.stats.get_stats().items()
        }
        self.path.write_text(json.dumps(stats))
