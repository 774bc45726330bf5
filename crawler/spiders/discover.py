"""``scrapy crawl discover``: read the registered sources' feeds and sitemaps and
follow only the items about the incident.

Feeds and sitemaps come from the source registry ``crawler/data/sources.json`` (verified URLs;
``-a unverified=1`` adds the unchecked ones, ``-a sources=heise.de,golem.de``
restricts the sources) or from ``-a feeds=U1,U2`` (tests, one-off runs).  Every
feed entry is scored by :mod:`crawler.relevance` (title, summary, keywords,
URL slug; date window); relevant article URLs go to the normal article routing
of :class:`~crawler.spiders.base.ArticleSpider`.  Sitemap indexes are followed
down to ``KW_DISCOVER_MAX_DEPTH`` levels, skipping child sitemaps last
modified before the window.  ``-a urls=…`` adds article URLs as usual.

Stats: ``kw/discover/feeds``, ``…/seen``, ``…/relevant``, ``…/followed``,
``…/irrelevant``, ``…/out_of_window``, ``…/already_followed``,
``…/sitemaps_followed``, ``…/sitemaps_skipped``, ``…/feed_errors``,
``…/feeds_truncated``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.parsers.common import strip_fragment
from crawler.parsers.feeds import MAX_ENTRIES, FeedError, parse_feed
from crawler.relevance import date_of, load_config, score_entry
from crawler.sources import registry_entries
from crawler.spiders.base import ArticleSpider, split_names, split_urls

DEPTH = "kw_feed_depth"


def registered_feeds(sources: list[str] | None = None, *, unverified: bool = False) -> list[str]:
    """Feed and sitemap URLs of the registered sources (all, or those named)."""
    urls: list[str] = []
    for entry in registry_entries():
        if sources and entry["name"] not in sources:
            continue
        for item in [*entry.get("feeds", []), *entry.get("sitemaps", [])]:
            if (item.get("verified") or unverified) and item["url"] not in urls:
                urls.append(item["url"])
    return urls


class DiscoverSpider(ArticleSpider):
    name = "discover"
    route_default = "auto"

    def __init__(
        self,
        feeds: str | list[str] | None = None,
        sources: str | list[str] | None = None,
        unverified: str | bool | None = None,
        urls: str | list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(urls=urls, **kwargs)
        self.feed_urls = split_urls(feeds)
        self.only_sources = split_names(sources)
        self.unverified = str(unverified).lower() in ("1", "true", "yes")
        self.config = load_config()
        self.followed: set[str] = set()

    def start_requests_list(self) -> Iterator[scrapy.Request]:
        yield from super().start_requests_list()
        feeds = self.feed_urls or registered_feeds(self.only_sources, unverified=self.unverified)
        if not feeds:
            self.logger.warning("discover: no feeds (give -a feeds=… or register some)")
        for url in feeds:
            yield self._feed_request(url, 0)

    def _feed_request(self, url: str, depth: int) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_feed,
            errback=self.on_error,
            meta={DEPTH: depth},
            headers={"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9"},
        )

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        self.inc("kw/discover/feeds")
        max_entries = self.settings.getint("KW_DISCOVER_MAX_ENTRIES", MAX_ENTRIES)
        max_bytes = self.settings.getint("DOWNLOAD_MAXSIZE", 10 * 1024 * 1024)
        try:
            feed = parse_feed(
                response.body, response.url, max_bytes=max_bytes, max_entries=max_entries
            )
        except FeedError as exc:
            self.inc("kw/discover/feed_errors")
            self.logger.warning("discover: %s", exc)
            return
        self.inc(f"kw/discover/format/{feed.format}")
        if feed.truncated:
            self.inc("kw/discover/feeds_truncated")
            self.logger.warning("discover: %s cut off at the size/entry cap", response.url)
        if feed.skipped:
            self.inc("kw/discover/entries_without_url", feed.skipped)
        yield from self._children(feed.entries, response)
        for entry in feed.articles:
            self.inc("kw/discover/seen")
            verdict = score_entry(entry, self.config)
            if not verdict.relevant:
                key = "out_of_window" if verdict.in_window is False else "irrelevant"
                self.inc(f"kw/discover/{key}")
                continue
            self.inc("kw/discover/relevant")
            url = strip_fragment(entry.url)
            if url in self.followed:
                self.inc("kw/discover/already_followed")
                continue
            self.followed.add(url)
            self.inc("kw/discover/followed")
            self.logger.info(
                "discover: follow %s (score %s: %s)", url, verdict.score, ", ".join(verdict.matched)
            )
            yield scrapy.Request(url, callback=self.parse, errback=self.on_error)

    def _children(self, entries: list[Any], response: Response) -> Iterator[scrapy.Request]:
        """Child sitemaps of an index, unless too deep or last modified before the window."""
        depth = int(response.meta.get(DEPTH, 0))
        limit = self.settings.getint("KW_DISCOVER_MAX_DEPTH", 2)
        start = self.config.window_start
        for entry in entries:
            if entry.kind != "sitemap":
                continue
            day = date_of(entry.modified)
            if depth >= limit or (start is not None and day is not None and day < start):
                self.inc("kw/discover/sitemaps_skipped")
                continue
            self.inc("kw/discover/sitemaps_followed")
            yield self._feed_request(entry.url, depth + 1)
