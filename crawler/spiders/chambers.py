"""``scrapy crawl chambers``: the outage monitor of the chambers' own sites.

Per chamber of ``crawler/data/chamber_sites.csv`` (or ``KW_CHAMBER_SITES``)
and run: ONE request to its home page, never retried, with an errback, giving
ONE :class:`crawler.observations.Observation` (status, redirect target, DNS
failure, timeout, TLS error, refused connection, outage banner; classified by
:mod:`crawler.parsers.outage`).  On a reachable site the spider then follows
the links to notices about the incident (:mod:`crawler.parsers.chamber_site`;
from the home page and the press/news overview) and reads them through the
news path of :class:`ArticleSpider`.

Arguments: ``-a chambers=hwk-aachen,hwk-koeln`` checks only those.
Settings: ``KW_CHAMBER_SITES`` (CSV with ``id`` and ``url`` or ``domain``),
``KW_OUTAGE_HOSTS`` (more banner hosts, comma-separated),
``KW_CHAMBER_MAX_NOTICES`` (per chamber and run, default 20), and Scrapy's
``DOWNLOAD_TIMEOUT`` for the checks.  The spider adds
``pipelines.observations.ObservationPipeline`` to ``ITEM_PIPELINES`` (350).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from twisted.python.failure import Failure

from crawler.dates import now_iso
from crawler.observations import ChamberSite, Observation, load_chamber_sites
from crawler.parsers.chamber_site import incident_notices, index_links
from crawler.parsers.common import ParseError
from crawler.parsers.news import parse_news
from crawler.parsers.outage import (
    Patterns,
    Verdict,
    classify_error,
    classify_response,
    load_patterns,
)
from crawler.spiders.base import ArticleSpider, split_names

OBSERVATION_PIPELINE = "pipelines.observations.ObservationPipeline"
CHAMBER = "kw_chamber"
# every error status reaches the callback; redirects are still followed
ERROR_STATUSES = list(range(400, 600))


def failure_names(failure: Failure) -> tuple[list[str], str]:
    """Class names (short and qualified, with bases) of a failure and of all it
    wraps (``__cause__``, ``ResponseNeverReceived.reasons``), and the messages
    of the innermost errors."""
    names: list[str] = []
    messages: list[str] = []

    def add(error: Any) -> None:
        cls = type(error)
        for klass in cls.__mro__:
            names.extend([klass.__name__, f"{klass.__module__}.{klass.__qualname__}"])
        inner = [r.value if isinstance(r, Failure) else r for r in getattr(error, "reasons", [])]
        if error.__cause__ is not None:  # Scrapy's wrappers (DownloadFailedError, ...)
            inner.append(error.__cause__)
        if not inner:  # a wrapper's message only repeats what it wraps
            messages.append(str(error))
        for reason in inner:
            add(reason)

    add(failure.value)
    return names, " | ".join(m for m in messages if m)


class ChambersSpider(ArticleSpider):
    name = "chambers"
    route_default = "news"

    def __init__(self, chambers: str | None = None, **kwargs: Any) -> None:
        super().__init__(urls=None, **kwargs)
        self.only = set(split_names(chambers))
        self.run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.sites: dict[str, ChamberSite] = {}
        self.patterns: Patterns = load_patterns()
        self.notices_followed: dict[str, int] = {}

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        # the project's pipelines plus ours, at spider priority (a runner merges
        # its own settings into the crawler's afterwards, replacing equal ones)
        pipelines = settings.getdict("ITEM_PIPELINES")
        if OBSERVATION_PIPELINE not in pipelines:
            pipelines[OBSERVATION_PIPELINE] = 350
            priority = max(
                settings.getpriority("ITEM_PIPELINES") or 0, SETTINGS_PRIORITIES["spider"]
            )
            settings.set("ITEM_PIPELINES", pipelines, priority)

    def start_requests_list(self) -> Iterator[scrapy.Request]:
        extra_hosts = split_names(self.settings.get("KW_OUTAGE_HOSTS", ""))
        self.patterns = load_patterns().with_outage_hosts(extra_hosts)
        sites = load_chamber_sites(self.settings.get("KW_CHAMBER_SITES") or None)
        unknown = self.only - {s.id for s in sites}
        if unknown:
            self.logger.warning("unknown chamber ids: %s", ", ".join(sorted(unknown)))
        for site in sites:
            if self.only and site.id not in self.only:
                continue
            self.sites[site.id] = site
            yield scrapy.Request(
                site.url,
                callback=self.observe,
                errback=self.observe_failed,
                dont_filter=True,
                meta={
                    CHAMBER: site.id,
                    "dont_retry": True,
                    "handle_httpstatus_list": ERROR_STATUSES,
                },
            )

    # -- observations --------------------------------------------------
    def _observation(
        self, site: ChamberSite, verdict: Verdict, status: int | None, final_url: str | None
    ) -> Observation:
        self.inc(f"kw/chambers/{verdict.outcome}")
        return Observation(
            id=f"{site.id}@{self.run_id}",
            run_id=self.run_id,
            chamber_id=site.id,
            url=site.url,
            observed_at=now_iso(),
            outcome=verdict.outcome,
            http_status=status,
            final_url=final_url,
            detail=verdict.detail,
            banner=verdict.banner,
        )

    def observe(self, response: Response) -> Iterator[Any]:
        site = self.sites[response.meta[CHAMBER]]
        verdict = classify_response(
            site.url,
            response.status,
            response.url,
            response.body if isinstance(response, TextResponse) else None,
            redirect_chain=response.meta.get("redirect_urls", []),
            patterns=self.patterns,
        )
        latency = response.meta.get("download_latency")
        if latency is not None:
            verdict = Verdict(
                verdict.outcome, f"{verdict.detail}; {latency:.2f} s".lstrip("; "), verdict.banner
            )
        yield self._observation(site, verdict, response.status, response.url)
        if verdict.outcome in ("ok", "emergency_page") and isinstance(response, TextResponse):
            yield from self._follow_notices(site, response, index=True)

    def observe_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        site = self.sites[request.meta[CHAMBER]]
        names, message = failure_names(failure)
        redirected = bool(request.meta.get("redirect_urls"))
        verdict = classify_error(
            site.url,
            names,
            message,
            final_url=request.url if redirected else None,
            patterns=self.patterns,
        )
        self.logger.info("%s: %s (%s)", site.id, verdict.outcome, verdict.detail)
        yield self._observation(site, verdict, None, request.url if redirected else None)

    # -- notices -------------------------------------------------------
    def _follow_notices(
        self, site: ChamberSite, response: TextResponse, *, index: bool
    ) -> Iterator[scrapy.Request]:
        limit = self.settings.getint("KW_CHAMBER_MAX_NOTICES", 20)
        try:
            links = incident_notices(response.text, response.url, site.hosts)
            overviews = index_links(response.text, response.url, site.hosts) if index else []
        except ParseError as exc:
            self.inc("kw/errors/parse")
            self.logger.warning("%s", exc)
            return
        for link in links:
            if self.notices_followed.get(site.id, 0) >= limit:
                self.inc("kw/chambers/notices_capped")
                break
            self.notices_followed[site.id] = self.notices_followed.get(site.id, 0) + 1
            self.inc("kw/chambers/notice_links")
            yield scrapy.Request(
                link.url, callback=self.parse_notice, errback=self.on_error, meta={CHAMBER: site.id}
            )
        for url in overviews[:1]:
            yield scrapy.Request(
                url, callback=self.parse_overview, errback=self.on_error, meta={CHAMBER: site.id}
            )

    def parse_overview(self, response: Response) -> Iterator[Any]:
        if isinstance(response, TextResponse):
            self.inc("kw/chambers/overview_pages")
            site = self.sites[response.meta[CHAMBER]]
            yield from self._follow_notices(site, response, index=False)

    async def parse_notice(self, response: Response) -> AsyncIterator[Any]:
        if not isinstance(response, TextResponse):
            self.inc("kw/skipped/not_text")
            return
        chain = response.meta.get("redirect_urls", [])
        verdict = classify_response(
            chain[0] if chain else response.url,
            response.status,
            response.url,
            response.body,
            redirect_chain=chain,
            patterns=self.patterns,
        )
        # a notice may well be short and speak of the outage: only the banner
        # (or an error page) is not a notice
        if verdict.outcome in ("redirect_to_banner", "banner_page", "http_error"):
            self.inc("kw/skipped/outage_page")
            return
        try:
            page = await self.parsed(
                parse_news, response.text, response.url, self.fetched_at(response)
            )
            for output in self.news_page(response, page):
                yield output
        except ParseError as exc:
            self.inc("kw/errors/parse")
            self.logger.warning("%s", exc)
