"""Shared scheduling for the article spiders.

A spider here only decides what to request next and which parser reads a
response; every field comes from :mod:`crawler.parsers`.  The WordPress flow
per post: the post page → the REST comments API (all pages) when advertised
and working → otherwise every HTML comment page, followed one after the other
until none is left; the Article is emitted last, with the number of comments
actually extracted, followed by its comments in thread order.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import scrapy
from scrapy.http import HtmlResponse, Response, TextResponse
from twisted.python.failure import Failure

from crawler.dates import now_iso
from crawler.items import Comment, Thread
from crawler.middlewares import FETCHED_AT, NotInArchive
from crawler.middlewares_safety import RefusedRequest, error_kind
from crawler.parsepool import ParsePool, release_pool, shared_pool
from crawler.parsers.article import ArticlePage
from crawler.parsers.common import ParseError
from crawler.parsers.news import parse_news
from crawler.parsers.wordpress import (
    RestError,
    WordPressPage,
    finalize_thread,
    is_wordpress,
    parse_post,
    parse_rest_comments,
    rest_comments_url,
)
from crawler.sources import source_for
from crawler.spiders.flows import flow_for
from crawler.spiders.flows.sequential import SequentialThread

T = TypeVar("T")


@dataclass
class ThreadState:
    """The state of one WordPress post while its comments are collected."""

    page: WordPressPage
    comments: dict[str, Comment] = field(default_factory=dict)
    visited: set[str] = field(default_factory=set)
    queue: list[str] = field(default_factory=list)
    rest_page: int = 0
    incomplete: bool = False  # a page of the thread could not be read

    def add(self, comments: list[Comment]) -> int:
        new = 0
        for comment in comments:
            if comment.id not in self.comments:
                self.comments[comment.id] = comment
                new += 1
        return new

    def enqueue(self, urls: list[str]) -> None:
        for url in urls:
            if url not in self.visited and url not in self.queue:
                self.queue.append(url)


def split_names(value: str | list[str] | None) -> list[str]:
    """Comma or space separated names (chamber ids, hosts)."""
    if not value:
        return []
    if isinstance(value, list):
        return value
    return [v for v in re.split(r"[,\s]+", value) if v]


def split_urls(value: str | list[str] | None) -> list[str]:
    """``-a urls=`` values: separated by white space, or by commas before ``http(s)://``
    (chamber sites use commas inside URLs: ``…-33,0,2111.html``)."""
    if not value:
        return []
    if isinstance(value, list):
        return value
    return [u for u in re.split(r"\s+|,(?=\s*https?://)", value) if u and u.strip()]


class ArticleSpider(scrapy.Spider):
    """Base: ``-a urls=U1,U2`` (comma or space separated)."""

    route_default = "auto"
    _parse_pool: ParsePool | None = None  # the process's parser pool, once this spider used it

    def __init__(self, urls: str | list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls_list = split_urls(urls)

    async def start(self) -> Any:
        for request in self.start_requests_list():
            yield request

    def start_requests_list(self) -> Iterator[scrapy.Request]:
        resume = self.settings.getbool("KW_RESUME")
        done = stored_urls(self.settings) if resume else set()
        for url in self.start_urls_list:
            if url in done:
                self.inc("kw/resume/skipped_stored")
                continue
            # On resume, requests that were in flight when the crawl was killed are
            # marked seen in JOBDIR but never answered: ask again for everything
            # not stored yet (a document is stored whole, in one transaction).
            yield scrapy.Request(
                url, callback=self.parse, errback=self.on_error, dont_filter=resume
            )

    # -- helpers -------------------------------------------------------
    def inc(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)

    def fetched_at(self, response: Response) -> str:
        return str(response.meta.get(FETCHED_AT) or now_iso())

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        # ErrorCounterMiddleware has counted download errors already (kw_error_kind)
        counted = request is not None and request.meta.get("kw_error_kind")
        expected = isinstance(failure.value, RefusedRequest | NotInArchive)  # counted elsewhere
        if not counted and not expected:
            self.inc(f"kw/errors/{error_kind(failure)}")
        # unchanged pages (incremental crawls) and refused URLs are no failures
        level = logging.DEBUG if expected else logging.WARNING
        self.logger.log(
            level, "failed %s: %s", getattr(request, "url", "?"), failure.getErrorMessage()
        )

    def count_provenance(self, kind: str, provenance: dict[str, str]) -> None:
        for name, method in provenance.items():
            self.inc(f"kw/field/{kind}/{name}/{method}")

    # -- routing -------------------------------------------------------
    @property
    def parse_pool(self) -> ParsePool:
        """Where pages are parsed (worker processes; see :mod:`crawler.parsepool`)."""
        if self._parse_pool is None:
            self._parse_pool = shared_pool(self.settings)
        return self._parse_pool

    async def parsed(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in the parser pool, counted in this spider's stats."""
        return await self.parse_pool.run(fn, *args, stats=self.crawler.stats)

    def closed(self, reason: str) -> None:
        if self._parse_pool is not None:
            release_pool(self._parse_pool)
            self._parse_pool = None

    async def parse(self, response: Response, **kwargs: Any) -> AsyncIterator[Any]:
        if not isinstance(response, TextResponse):
            self.inc("kw/skipped/not_text")
            self.logger.info(
                "skipped non-text %s (%s)", response.url, response.headers.get("Content-Type")
            )
            return
        route = self.route_default
        if route == "auto":
            registered = source_for(response.url).parser
            if registered == "outage":
                # a shared "site unavailable" page: an observation, not an article
                self.inc("kw/skipped/outage_page")
                return
            if registered in ("wordpress", "news"):
                route = registered
            else:
                route = "wordpress" if is_wordpress(response.text) else "news"
        try:
            args = (response.text, response.url, self.fetched_at(response))
            if route == "wordpress":
                wp_page = await self.parsed(parse_post, *args)
                outputs = self.wordpress_page(response, wp_page)
            else:
                news_page = await self.parsed(parse_news, *args)
                outputs = self.news_page(response, news_page)
            for output in outputs:
                yield output
        except ParseError as exc:
            self.inc("kw/errors/parse")
            self.logger.warning("%s", exc)

    # -- news ----------------------------------------------------------
    def parse_news(self, response: TextResponse) -> Iterator[Any]:
        """A news page parsed inline (the AMP fallback of an errback)."""
        yield from self.news_page(
            response, parse_news(response.text, response.url, self.fetched_at(response))
        )

    def news_page(self, response: TextResponse, page: ArticlePage) -> Iterator[Any]:
        """Requests and items for a parsed news page."""
        if page.amp_of and not response.meta.get("kw_amp_fallback"):
            self.inc("kw/news/amp_redirected")
            yield response.follow(
                page.amp_of,
                callback=self.parse,
                errback=self.amp_failed,
                # plain data (not the Response) so that the request survives JOBDIR pickling
                meta={"kw_amp": (response.url, response.body, response.encoding)},
            )
            return
        self.count_provenance("article", page.provenance)
        if page.article.published is None:
            self.inc("kw/article/missing_published")
        self.inc("kw/article/news")
        flow = flow_for(source_for(response.url).comments)
        if flow is None:
            yield Thread(page.article)
            return
        yield from flow(self, response, page)

    def amp_failed(self, failure: Failure) -> Iterator[Any]:
        """The canonical page of an AMP copy is unreachable: read the AMP copy."""
        self.on_error(failure)
        url, body, encoding = failure.request.meta["kw_amp"]  # type: ignore[attr-defined]
        request = scrapy.Request(url, meta={"kw_amp_fallback": True})
        yield from self.parse_news(HtmlResponse(url, body=body, encoding=encoding, request=request))

    # -- comment flows (crawler/spiders/flows) ---------------------------
    def parse_flow(
        self, response: Response, flow: SequentialThread, kind: str, data: dict[str, Any]
    ) -> Iterator[Any]:
        """A response of a comment flow; the flow travels in ``cb_kwargs`` (picklable
        for JOBDIR: it leaves its spider behind, given back here)."""
        flow.spider = self
        yield from flow.on_response(response, kind, data)

    def flow_failed(self, failure: Failure) -> Iterator[Any]:
        flow: SequentialThread = failure.request.cb_kwargs["flow"]  # type: ignore[attr-defined]
        flow.spider = self
        yield from flow.on_failure(failure)

    # -- WordPress -----------------------------------------------------
    def wordpress_page(self, response: TextResponse, page: WordPressPage) -> Iterator[Any]:
        """Requests and items for a parsed WordPress post page: REST or HTML comment pages."""
        self.count_provenance("article", page.provenance)
        thread = ThreadState(page=page)
        thread.visited.add(_nofrag(response.url))
        thread.visited.update(page.own_page_urls)
        thread.add(page.comments)
        thread.enqueue(page.comment_page_urls)
        self.inc("kw/wordpress/html_pages")
        if page.rest_root and page.post_id:
            yield self._rest_request(thread, 1)
        else:
            self.inc("kw/wordpress/rest_absent")
            yield from self._next_html_page(thread)

    def _rest_request(self, thread: ThreadState, number: int) -> scrapy.Request:
        assert thread.page.rest_root and thread.page.post_id
        per_page = self.settings.getint("KW_REST_PER_PAGE", 100)
        url = rest_comments_url(thread.page.rest_root, thread.page.post_id, number, per_page)
        thread.rest_page = number
        return scrapy.Request(
            url,
            callback=self.parse_rest,
            errback=self.rest_failed,
            cb_kwargs={"thread": thread},
            meta={"handle_httpstatus_all": True, "dont_redirect": False},
            headers={"Accept": "application/json"},
            dont_filter=True,
        )

    def parse_rest(self, response: Response, thread: ThreadState) -> Iterator[Any]:
        if response.status != 200:
            self.inc(f"kw/wordpress/rest_failed/http_{response.status}")
            yield from self._rest_fallback(thread, f"HTTP {response.status}", response.url)
            return
        try:
            comments = parse_rest_comments(response.body, thread.page.article, response.url)
        except RestError as exc:
            self.inc("kw/wordpress/rest_failed/invalid")
            yield from self._rest_fallback(thread, str(exc), response.url)
            return
        thread.add(comments)
        self.inc("kw/wordpress/rest_pages")
        total_pages = _int_header(response, b"X-WP-TotalPages")
        if total_pages is not None and thread.rest_page < total_pages:
            yield self._rest_request(thread, thread.rest_page + 1)
            return
        if (
            total_pages is None
            and comments
            and len(comments) >= self.settings.getint("KW_REST_PER_PAGE", 100)
        ):
            yield self._rest_request(thread, thread.rest_page + 1)
            return
        self.inc("kw/wordpress/rest_used")
        yield from self._finish(thread)

    def rest_failed(self, failure: Failure) -> Iterator[Any]:
        thread: ThreadState = failure.request.cb_kwargs["thread"]  # type: ignore[attr-defined]
        self.inc("kw/wordpress/rest_failed/error")
        yield from self._rest_fallback(thread, failure.getErrorMessage(), failure.request.url)  # type: ignore[attr-defined]

    def _rest_fallback(self, thread: ThreadState, reason: str, url: str) -> Iterator[Any]:
        if thread.rest_page > 1:
            # a later page broke: keep what the API gave, complete from HTML
            self.logger.warning("REST page failed (%s): %s; completing from HTML", reason, url)
        else:
            self.logger.info(
                "REST API not usable (%s): %s; reading HTML comment pages", reason, url
            )
        thread.rest_page = 0
        yield from self._next_html_page(thread)

    def _next_html_page(self, thread: ThreadState) -> Iterator[Any]:
        limit = self.settings.getint("KW_MAX_COMMENT_PAGES", 500)
        while thread.queue and thread.queue[0] in thread.visited:
            thread.queue.pop(0)  # became known as a page already read
        if thread.queue and len(thread.visited) < limit:
            url = thread.queue.pop(0)
            thread.visited.add(url)
            yield scrapy.Request(
                url,
                callback=self.parse_comment_page,
                errback=self.comment_page_failed,
                cb_kwargs={"thread": thread},
                dont_filter=True,
            )
            return
        if thread.queue:
            self.inc("kw/wordpress/comment_pages_capped")
            thread.incomplete = True
        yield from self._finish(thread)

    async def parse_comment_page(
        self, response: Response, thread: ThreadState
    ) -> AsyncIterator[Any]:
        if isinstance(response, TextResponse):
            try:
                page = await self.parsed(
                    parse_post, response.text, response.url, self.fetched_at(response)
                )
            except ParseError as exc:
                self.inc("kw/errors/parse")
                self.logger.warning("%s", exc)
                thread.incomplete = True
            else:
                thread.visited.add(_nofrag(response.url))
                thread.visited.update(page.own_page_urls)
                thread.add(page.comments)
                thread.enqueue(page.comment_page_urls)
                self.inc("kw/wordpress/html_pages")
        for output in self._next_html_page(thread):
            yield output

    def comment_page_failed(self, failure: Failure) -> Iterator[Any]:
        self.on_error(failure)
        thread: ThreadState = failure.request.cb_kwargs["thread"]  # type: ignore[attr-defined]
        thread.incomplete = True
        yield from self._next_html_page(thread)

    def _finish(self, thread: ThreadState) -> Iterator[Thread]:
        comments = finalize_thread(list(thread.comments.values()))
        article = thread.page.article
        article.comment_count = len(comments)
        header = thread.page.header_count
        if header is not None and len(comments) > header:
            self.inc("kw/wordpress/more_than_header_count")
        self.inc("kw/article/wordpress")
        if article.published is None:
            self.inc("kw/article/missing_published")
        self.inc("kw/comments/extracted", len(comments))
        for comment in comments:
            if comment.published is None:
                self.inc("kw/comment/date_missing")
            if not comment.text:
                self.inc("kw/comment/text_empty")
        yield Thread(article, comments, comments_complete=not thread.incomplete)


def stored_urls(settings: Any) -> set[str]:
    """URLs of the articles already in the store (empty when there is none)."""
    from pipelines.store import Store, StoreError, db_path

    try:
        with Store(db_path(settings), readonly=True) as store:
            return {row["url"] for row in store.rows("articles")}
    except StoreError:
        return set()


def _nofrag(url: str) -> str:
    return url.split("#", 1)[0]


def _int_header(response: Response, name: bytes) -> int | None:
    value = response.headers.get(name)
    if value is None:
        return None
    try:
        return int(value.decode().strip())
    except ValueError:
        return None
