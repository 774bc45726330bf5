"""Drop items whose id was already seen in this crawl (counted, not silent).

The same article can be reached twice in one run (its URL and a comment page
of it, an AMP copy, a redirect); the store would merge them anyway, but
dropping here keeps exports and stats honest.
"""

from __future__ import annotations

from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector


class DedupPipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        item_id = getattr(item, "id", None)
        if item_id is None:
            return item
        if item_id in self.seen:
            self.stats.inc_value(f"kw/dedup/dropped/{getattr(item, 'kind', 'item')}")
            raise DropItem(f"duplicate {item_id}")
        self.seen.add(item_id)
        return item
