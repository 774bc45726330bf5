"""Incremental crawling (``KW_INCREMENTAL=True``; on for ``run --live``).

:class:`IncrementalMiddleware` (a downloader middleware) handles the article
pages (requests answered by the spider's ``parse``):

* it sends ``If-None-Match`` / ``If-Modified-Since`` with the validators the
  store's ``http_cache`` holds for the URL; a ``304`` is "unchanged": the page is
  not parsed again (``kw/incremental/not_modified``);
* a ``200`` whose body has the same hash as last time (servers that send no
  validators) is skipped the same way (``kw/incremental/same_body``);
* but when the article's comment thread is *due* (``thread_checks``: re-checked
  when ``now - last_checked >= min(7 d, max(1 h, (last_checked -
  last_new_comment) / 2))``), the page is fetched unconditionally and parsed, so
  that the spider re-reads the comments (REST API or HTML pages) —
  ``kw/incremental/thread_due``.  :class:`pipelines.store.StorePipeline` records
  every complete thread read in ``thread_checks``.

Validators are saved only when the crawl finishes, so a killed crawl never
leaves a page marked as known whose document was not stored.  ``KW_NOW`` (ISO
8601) fakes the clock for the decay (tests, benchmarks).  Archive replays are
never incremental.
"""

from __future__ import annotations

import hashlib
from typing import Any, Self

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from crawler.dates import now_iso
from crawler.middlewares_safety import RefusedRequest

META = "kw_incremental"


class NotModified(RefusedRequest):
    """The page has not changed since the last crawl and its thread is not due."""


def body_hash(body: bytes) -> str:
    """The content hash stored in ``http_cache``."""
    return hashlib.sha1(body).hexdigest()


def is_document_request(request: Request) -> bool:
    """Article pages: requests answered by the spider's ``parse`` (not feeds, comment
    pages, REST calls or the chambers' availability checks)."""
    if request.method != "GET":
        return False
    callback = request.callback
    return callback is None or getattr(callback, "__name__", "") == "parse"


class IncrementalMiddleware:
    """Conditional requests and skipping of unchanged article pages (module docstring)."""

    def __init__(self, crawler: Crawler, now: str) -> None:
        from pipelines.store import shared_store

        assert crawler.stats is not None
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.now = now
        self.store = shared_store(crawler)
        self.pending: dict[str, tuple[str | None, str | None, str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("KW_INCREMENTAL") or settings.get("KW_ARCHIVE"):
            raise NotConfigured
        middleware = cls(crawler, settings.get("KW_NOW") or now_iso())
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if META in request.meta or not is_document_request(request):
            return None
        cached = self.store.validators(request.url)
        due = self.store.thread_due(request.url, self.now)
        request.meta[META] = {"due": due, "hash": cached["content_hash"] if cached else None}
        if cached is None:
            return None
        if due:
            self.stats.inc_value("kw/incremental/thread_due")
            return None
        if cached["etag"]:
            request.headers[b"If-None-Match"] = cached["etag"]
        if cached["last_modified"]:
            request.headers[b"If-Modified-Since"] = cached["last_modified"]
        if cached["etag"] or cached["last_modified"]:
            self.stats.inc_value("kw/incremental/conditional")
        return None

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        info: dict[str, Any] | None = request.meta.get(META)
        if info is None:
            return response
        if response.status == 304:
            self.stats.inc_value("kw/incremental/not_modified")
            raise NotModified(f"not modified: {request.url}")
        if response.status != 200 or "download_stopped" in response.flags:
            return response
        digest = body_hash(response.body)
        etag = _header(response, b"ETag")
        modified = _header(response, b"Last-Modified")
        self.pending[request.url] = (etag, modified, digest)
        if not info["due"] and info["hash"] == digest:
            self.stats.inc_value("kw/incremental/same_body")
            raise NotModified(f"same body as last time: {request.url}")
        return response

    def spider_closed(self, spider: Spider, reason: str = "", **_: Any) -> None:
        from pipelines.store import release_store

        if reason == "finished":
            for url, (etag, modified, digest) in self.pending.items():
                self.store.save_validators(url, etag, modified, self.now, digest)
            self.stats.set_value("kw/incremental/validators_saved", len(self.pending))
        release_store(self.crawler)


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
