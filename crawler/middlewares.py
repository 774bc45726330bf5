"""Downloader middlewares: replay a WARC instead of the network, and record
live responses into a WARC.

Replay (``KW_ARCHIVE=path``) answers every request from the archive under its
real URL; a URL the archive does not hold is ignored and counted
(``kw/archive/missing``), so a crawl follows links only within the archive.
Recording (``KW_WARC_RECORD=True``) writes every response fetched from the
network to ``<KW_OUT_DIR>/warc/<UTC time>.warc.gz``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.http.headers import Headers
from scrapy.responsetypes import responsetypes
from scrapy.statscollectors import StatsCollector

from crawler.archive import WarcArchive, WarcRecorder

REPLAYED = "kw_replayed"


class NotInArchive(IgnoreRequest):
    """The replayed archive does not hold this URL (counted as kw/archive/missing)."""


FETCHED_AT = "kw_fetched_at"


class ArchiveReplayMiddleware:
    def __init__(self, archive: WarcArchive, stats: StatsCollector) -> None:
        self.archive = archive
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = crawler.settings.get("KW_ARCHIVE")
        if not path:
            raise NotConfigured
        archive = getattr(crawler.spider, "archive_obj", None) or WarcArchive(path)
        assert crawler.stats is not None
        return cls(archive, crawler.stats)

    def process_request(self, request: Request, spider: Spider | None = None) -> Response:
        archived = self.archive.get(request.url)
        if archived is None:
            self.stats.inc_value("kw/archive/missing")
            raise NotInArchive(f"not in archive {self.archive.path}: {request.url}")
        self.stats.inc_value("kw/archive/replayed")
        headers = Headers(archived.headers)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=archived.body)
        request.meta[REPLAYED] = True
        if archived.date:
            request.meta[FETCHED_AT] = archived.date
        return cls(
            url=request.url,
            status=archived.status,
            headers=headers,
            body=archived.body,
            request=request,
        )


class WarcRecorderMiddleware:
    def __init__(self, path: Path, stats: StatsCollector) -> None:
        self.path = path
        self.stats = stats
        self.recorder: WarcRecorder | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("KW_WARC_RECORD") or settings.get("KW_ARCHIVE"):
            raise NotConfigured
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = Path(settings.get("KW_OUT_DIR", "output")) / "warc" / f"{stamp}.warc.gz"
        assert crawler.stats is not None
        middleware = cls(path, crawler.stats)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if request.meta.get(REPLAYED) or "download_stopped" in response.flags:
            return response  # replayed, or stopped after the headers (not a whole response)
        if self.recorder is None:
            self.recorder = WarcRecorder(self.path)
        headers = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, values in response.headers.items()
            for v in values
        ]
        self.recorder.write(response.url, response.status, "", headers, response.body)
        self.stats.inc_value("kw/warc/recorded")
        return response

    def spider_closed(self, spider: Spider, **_: Any) -> None:
        if self.recorder is not None:
            self.recorder.close()
            self.stats.set_value("kw/warc/path", str(self.path))
