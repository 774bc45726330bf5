"""``scrapy crawl auto -a urls=…`` or ``-a archive=FILE.warc.gz``: every page is
routed to the WordPress or news path by what it is (generator meta, REST link,
comment markup).  With an archive, every document page of the WARC is a start
URL and the crawl is replayed from it (see ``ArchiveReplayMiddleware``)."""

from collections.abc import Iterator
from typing import Any

import scrapy

from crawler.archive import WarcArchive
from crawler.spiders.base import ArticleSpider


class AutoSpider(ArticleSpider):
    name = "auto"
    route_default = "auto"

    def __init__(self, urls: str | None = None, archive: str | None = None, **kwargs: Any) -> None:
        super().__init__(urls=urls, **kwargs)
        self.archive_path = archive
        self.archive_obj: WarcArchive | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> "AutoSpider":
        archive = kwargs.get("archive") or crawler.settings.get("KW_ARCHIVE")
        if archive:
            kwargs["archive"] = archive
            crawler.settings.set("KW_ARCHIVE", archive, priority="spider")
            crawler.settings.set("ROBOTSTXT_OBEY", False, priority="spider")
            crawler.settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
            crawler.settings.set("DOWNLOAD_DELAY", 0, priority="spider")
        spider: AutoSpider = super().from_crawler(crawler, *args, **kwargs)
        if archive:
            spider.archive_obj = WarcArchive(archive)
        return spider

    def start_requests_list(self) -> Iterator[scrapy.Request]:
        if self.archive_obj is not None and self.archive_obj.truncated:
            self.inc("kw/archive/truncated")
            self.logger.warning(
                "archive %s truncated %s", self.archive_path, self.archive_obj.truncated
            )
        if self.archive_obj is not None and not self.start_urls_list:
            self.start_urls_list = self.archive_obj.documents()
            self.logger.info(
                "archive %s: %d records, %d document pages",
                self.archive_path,
                self.archive_obj.records,
                len(self.start_urls_list),
            )
        yield from super().start_requests_list()
