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

from crawler.items import Thread


class DedupPipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, Thread):
            return item
        if item.article.id in self.seen:
            self.stats.inc_value("kw/dedup/dropped/article")
            raise DropItem(f"duplicate {item.article.id}")
        self.seen.add(item.article.id)
        fresh = [c for c in item.comments if c.id not in self.seen]
        if len(fresh) < len(item.comments):
            self.stats.inc_value("kw/dedup/dropped/comment", len(item.comments) - len(fresh))
            item.comments = fresh
        self.seen.update(c.id for c in fresh)
        return item
