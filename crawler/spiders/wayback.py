"""``scrapy crawl wayback -a urls=U1,U2 -a from=20240105 -a to=20240331``:
read pages as the Wayback Machine archived them in a date window.

URLs are separated by whitespace, or by commas before ``http(s)://`` (ODAV
URLs contain commas).

For each URL (``…/*`` for every page under a prefix) the CDX API lists the
200 captures of the window; per original URL the spider fetches the oldest
capture's raw bytes (``/web/<ts>id_/<url>``; ``-s KW_WAYBACK_PICK=latest`` for
the newest) and reads it with the news parser as if fetched from the original
URL: the Article's ``url``, ``canonical_url`` and ``source`` are the
original's, ``fetched_at`` is the capture time.  A capture that shows the
outage banner is skipped for the next one (at most ``KW_WAYBACK_MAX_TRIES``,
default 3).  Comment flows and AMP follow-ups are not run: they would fetch
the live site.

Settings: ``KW_CDX_URL`` and ``KW_WAYBACK_URL`` (the archive's endpoints;
tests point them at a local server), ``KW_WAYBACK_LIMIT`` (CDX rows per URL,
default 1000).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.items import Thread
from crawler.middlewares import FETCHED_AT
from crawler.parsers.common import ParseError, source_of, stable_hash, strip_fragment
from crawler.parsers.news import parse_news
from crawler.parsers.outage import classify_response
from crawler.parsers.wayback import (
    CDX_URL,
    WAYBACK_URL,
    Capture,
    CdxError,
    candidates,
    cdx_query_url,
    parse_cdx,
    snapshot_url,
)
from crawler.spiders.base import ArticleSpider


def split_targets(value: str | list[str] | None) -> list[str]:
    """URLs from ``-a urls=…``: separated by whitespace, or by commas before
    ``http(s)://`` only, since ODAV URLs have commas in them (``-33,0,2111.html``)."""
    if not value:
        return []
    if isinstance(value, list):
        return value
    return [u for u in re.split(r"\s+|,(?=https?://)", value) if u]


def _stamp(value: str | None) -> str | None:
    """``2024-01-05`` or ``20240105`` → ``20240105`` (the CDX form)."""
    if not value:
        return None
    digits = "".join(ch for ch in value if ch.isdigit())
    return digits or None


class WaybackSpider(ArticleSpider):
    name = "wayback"
    route_default = "news"

    def __init__(self, urls: str | list[str] | None = None, **kwargs: Any) -> None:
        self.window_from = _stamp(kwargs.pop("from", None))
        self.window_to = _stamp(kwargs.pop("to", None))
        super().__init__(urls=None, **kwargs)
        self.start_urls_list = split_targets(urls)

    def start_requests_list(self) -> Iterator[scrapy.Request]:
        base = self.settings.get("KW_CDX_URL") or CDX_URL
        limit = self.settings.getint("KW_WAYBACK_LIMIT", 1000)
        for url in self.start_urls_list:
            yield scrapy.Request(
                cdx_query_url(url, self.window_from, self.window_to, base=base, limit=limit),
                callback=self.parse_cdx,
                errback=self.on_error,
                cb_kwargs={"target": url},
                headers={"Accept": "application/json"},
                dont_filter=True,
            )

    def parse_cdx(self, response: Response, target: str) -> Iterator[Any]:
        try:
            captures = parse_cdx(response.body)
        except CdxError as exc:
            self.inc("kw/wayback/cdx_invalid")
            self.logger.warning("%s: %s", target, exc)
            return
        latest = self.settings.get("KW_WAYBACK_PICK", "earliest") == "latest"
        per_url = candidates(captures, latest_first=latest)
        self.inc("kw/wayback/captures", len(captures))
        if not per_url:
            self.inc("kw/wayback/no_capture")
            self.logger.info("no capture of %s in %s-%s", target, self.window_from, self.window_to)
        tries = self.settings.getint("KW_WAYBACK_MAX_TRIES", 3)
        for queue in per_url.values():
            request = self._snapshot_request(queue[:tries])
            if request is not None:
                yield request

    def _snapshot_request(self, queue: list[Capture]) -> scrapy.Request | None:
        if not queue:
            return None
        capture, rest = queue[0], queue[1:]
        base = self.settings.get("KW_WAYBACK_URL") or WAYBACK_URL
        return scrapy.Request(
            snapshot_url(capture.timestamp, capture.original, base=base),
            callback=self.parse_snapshot,
            errback=self.snapshot_failed,
            cb_kwargs={"capture": capture, "rest": rest},
            meta={FETCHED_AT: capture.captured_at},
            dont_filter=True,
        )

    async def parse_snapshot(
        self, response: Response, capture: Capture, rest: list[Capture]
    ) -> AsyncIterator[Any]:
        if not isinstance(response, TextResponse):
            self.inc("kw/skipped/not_text")
            return
        verdict = classify_response(capture.original, 200, capture.original, response.body)
        if verdict.outcome in ("banner_page", "redirect_to_banner", "emergency_page"):
            self.inc("kw/wayback/outage_snapshot")
            self.logger.info("%s at %s: %s", capture.original, capture.timestamp, verdict.outcome)
            following = self._snapshot_request(rest)
            if following is not None:
                yield following
            return
        try:
            page = await self.parsed(
                parse_news, response.text, capture.original, capture.captured_at
            )
        except ParseError as exc:
            self.inc("kw/errors/parse")
            self.logger.warning("%s", exc)
            return
        article = page.article
        if source_of(article.canonical_url) != source_of(capture.original):
            # a canonical off the site (or none usable): the original URL is the page
            canonical = strip_fragment(capture.original)
            article = dataclasses.replace(
                article,
                canonical_url=canonical,
                id=f"{article.source}:url:{stable_hash(canonical)}",
            )
        article = dataclasses.replace(article, url=capture.original)
        self.count_provenance("article", page.provenance)
        self.inc("kw/wayback/snapshots")
        self.inc("kw/article/news")
        if article.published is None:
            self.inc("kw/article/missing_published")
        yield Thread(article)

    def snapshot_failed(self, failure: Failure) -> Iterator[Any]:
        self.on_error(failure)
        rest: list[Capture] = failure.request.cb_kwargs["rest"]  # type: ignore[attr-defined]
        following = self._snapshot_request(rest)
        if following is not None:
            yield following
