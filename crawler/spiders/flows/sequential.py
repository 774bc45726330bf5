"""One article's comment thread read by requests issued strictly one after another.

The forum and AJAX flows (heise, golem, handwerksblatt) share this: a queue of
URLs, each with a kind (``"list"``, ``"posting"``, …); pages of the thread
(lists, batches) are fetched before per-item pages (postings, threads); the
next request is only issued when the previous one has been answered or has
failed, so a thread never has more than one request in flight.  Every kind
has a cap (a Scrapy setting); URLs beyond it are counted, not fetched.  A
failed or unparsable response is counted and the flow goes on; when the queue
is empty the ONE ``Thread`` (article plus finalized comments) is yielded,
whatever could be read.

Stats: ``kw/forum/<name>/<kind>`` per response read,
``kw/forum/<name>/<kind>_failed``, ``kw/forum/<name>/<kind>_capped`` and
``kw/forum/<name>/parse_failed``; spider-wide ``kw/comments/extracted``.

Requests go to the spider's ``parse_flow``/``flow_failed`` with the flow in
``cb_kwargs``, so that a crawl with ``JOBDIR`` can write them to its disk
queue: the flow pickles without its spider, which ``parse_flow`` hands back.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler.items import Comment, Thread
from crawler.parsers.article import ArticlePage
from crawler.parsers.wordpress import finalize_thread

DEFAULT_MAX_PAGES = 100
DEFAULT_MAX_POSTINGS = 1000


class SequentialThread:
    """Base of a per-article flow; subclasses set ``name`` and ``caps`` and implement handlers.

    A handler ``read_<kind>(response, **data)`` parses one response and calls
    :meth:`enqueue`; ``failed_<kind>(request_data)`` (optional) reacts to a
    failure of that kind.  ``comments()`` returns what was read so far.
    """

    name: ClassVar[str] = "forum"
    # kind -> (setting name, default, priority); lower priority is fetched first
    caps: ClassVar[dict[str, tuple[str, int, int]]] = {}

    def __init__(self, spider: Any, response: Response, page: ArticlePage) -> None:
        self.spider = spider
        self.page = page
        self.article = page.article
        self.fetched_at = spider.fetched_at(response)
        self._queue: list[tuple[int, int, str, str, dict[str, Any]]] = []
        self._order = 0
        self._seen: set[str] = set()
        self.issued: dict[str, int] = {}

    def __getstate__(self) -> dict[str, Any]:
        # pickled into a JOBDIR queue with its request: everything but the spider
        return {k: v for k, v in self.__dict__.items() if k != "spider"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.spider = None  # set again by the spider's parse_flow / flow_failed

    # -- bookkeeping -----------------------------------------------------
    def stat(self, key: str, count: int = 1) -> None:
        self.spider.inc(f"kw/forum/{self.name}/{key}", count)

    def cap(self, kind: str) -> int:
        setting, default, _ = self.caps.get(kind, ("KW_FORUM_MAX_PAGES", DEFAULT_MAX_PAGES, 0))
        return int(self.spider.settings.getint(setting, default))

    def enqueue(self, url: str, kind: str, **data: Any) -> bool:
        """Queue a URL once per flow; False when it was known already."""
        key = url.split("#", 1)[0]
        if key in self._seen:
            return False
        self._seen.add(key)
        priority = self.caps.get(kind, ("", 0, 0))[2]
        self._order += 1
        heapq.heappush(self._queue, (priority, self._order, key, kind, data))
        return True

    # -- scheduling ------------------------------------------------------
    def next(self) -> Iterator[scrapy.Request | Thread]:
        """The next request, or the finished Thread when nothing is left."""
        while self._queue:
            _, _, url, kind, data = heapq.heappop(self._queue)
            if self.issued.get(kind, 0) >= self.cap(kind):
                self.stat(f"{kind}_capped")
                self.on_capped(kind, data)
                continue
            self.issued[kind] = self.issued.get(kind, 0) + 1
            yield scrapy.Request(
                url,
                callback=self.spider.parse_flow,
                errback=self.spider.flow_failed,
                cb_kwargs={"flow": self, "kind": kind, "data": data},
                dont_filter=True,
                meta={"kw_flow": self.name},
            )
            return
        yield self.finish()

    def on_response(
        self, response: Response, kind: str, data: dict[str, Any]
    ) -> Iterator[scrapy.Request | Thread]:
        """The answer to a request of this flow (through the spider's ``parse_flow``)."""
        self._seen.add(response.url.split("#", 1)[0])  # where a redirect ended
        if not isinstance(response, TextResponse):
            self.stat(f"{kind}_failed")
            self.on_failed(kind, data)
        else:
            try:
                getattr(self, f"read_{kind}")(response, **data)
                self.stat(kind)
            except Exception as exc:  # count, don't crash: the article must still be emitted
                self.stat("parse_failed")
                self.spider.logger.warning(
                    "%s: cannot read %s page %s: %r", self.name, kind, response.url, exc
                )
                self.on_failed(kind, data)
        yield from self.next()

    def on_failure(self, failure: Failure) -> Iterator[scrapy.Request | Thread]:
        """A request of this flow failed (through the spider's ``flow_failed``)."""
        self.spider.on_error(failure)
        request = failure.request  # type: ignore[attr-defined]
        kind = request.cb_kwargs["kind"]
        self.stat(f"{kind}_failed")
        self.on_failed(kind, request.cb_kwargs["data"])
        yield from self.next()

    # -- hooks -----------------------------------------------------------
    def on_failed(self, kind: str, data: dict[str, Any]) -> None:
        """A request of this kind failed or could not be parsed."""

    def on_capped(self, kind: str, data: dict[str, Any]) -> None:
        """A request of this kind was not made because its cap was reached."""

    def comments(self) -> list[Comment]:
        raise NotImplementedError

    def finish(self) -> Thread:
        comments = finalize_thread(self.comments())
        self.article.comment_count = len(comments)
        self.stat("threads")
        self.spider.inc("kw/comments/extracted", len(comments))
        for comment in comments:
            if comment.published is None:
                self.spider.inc("kw/comment/date_missing")
            if not comment.text:
                self.spider.inc("kw/comment/text_empty")
        return Thread(self.article, comments)

    def start(self) -> Iterator[scrapy.Request | Thread]:
        """Begin with whatever :meth:`enqueue` calls the subclass made in ``__init__``."""
        yield from self.next()
