"""Baseline for the crawl benchmark: fetches the same pages, parses nothing."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls_file: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = Path(urls_file).read_text("utf-8").split()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response: Any, **kwargs: Any) -> None:
        return None
