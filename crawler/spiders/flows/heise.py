"""heise.de: the article's forum thread, every list page, then every posting page.

Order per article: the forum URL (the JSON-LD ``discussionUrl``, resolved, or
the article's comment link) → every list page (``page-N``) and collapsed
sub-thread → one posting page per posting, one request at a time
(:class:`~crawler.spiders.flows.sequential.SequentialThread`).  Posting pages
are capped by ``KW_FORUM_MAX_POSTINGS`` (count ``…/posting_capped``), list
pages by ``KW_FORUM_MAX_PAGES``.  A posting whose page is capped, broken or
behind the login wall (``…/login_wall``) is still emitted from the list
(subject, author, time, parent), so the tree stays whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from crawler.items import Comment, Thread
from crawler.parsers import heise
from crawler.parsers.article import ArticlePage
from crawler.spiders.flows.sequential import (
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_POSTINGS,
    SequentialThread,
)


class HeiseForum(SequentialThread):
    name = "heise"
    caps = {
        "list": ("KW_FORUM_MAX_PAGES", DEFAULT_MAX_PAGES, 0),
        "expand": ("KW_FORUM_MAX_PAGES", DEFAULT_MAX_PAGES, 0),
        "posting": ("KW_FORUM_MAX_POSTINGS", DEFAULT_MAX_POSTINGS, 1),
    }

    def __init__(self, spider: Any, response: Response, page: ArticlePage) -> None:
        super().__init__(spider, response, page)
        self.entries: dict[str, heise.ListEntry] = {}
        self.postings: dict[str, tuple[heise.Posting, str]] = {}
        self.login_walls = 0

    def _add_entries(self, page: heise.ThreadListPage) -> None:
        for entry in page.entries:
            known = self.entries.get(entry.posting_id)
            if known is None:
                self.entries[entry.posting_id] = entry
                self.enqueue(entry.url, "posting", posting_id=entry.posting_id)
            elif known.parent_id is None and entry.parent_id and entry.depth > 1:
                known.parent_id = entry.parent_id  # a sub-thread page knows better
        for url in page.page_urls:
            self.enqueue(url, "list")
        for url, below in page.expand_urls:
            self.enqueue(url, "expand", below=below)

    def read_list(self, response: TextResponse) -> None:
        page = heise.parse_thread_list(response.text, response.url)
        if page.login_wall:
            self.login_walls += 1
            self.stat("login_wall")
            return
        if not page.entries:
            self.stat("list_empty")
        self._add_entries(page)

    def read_expand(self, response: TextResponse, below: str | None = None) -> None:
        page = heise.parse_thread_list(response.text, response.url, below=below)
        if page.login_wall:
            self.stat("login_wall")
            return
        self._add_entries(page)

    def read_posting(self, response: TextResponse, posting_id: str) -> None:
        posting = heise.parse_posting(response.text, response.url)
        if posting.login_wall:
            self.stat("login_wall")
            return
        if not posting.text:
            self.stat("posting_text_missing")
        self.postings[posting_id] = (posting, self.spider.fetched_at(response))

    def comments(self) -> list[Comment]:
        out = []
        for posting_id, entry in self.entries.items():
            read = self.postings.get(posting_id)
            if read is None:
                self.stat("posting_from_list_only")
                out.append(heise.to_comment(entry, None, self.article, self.fetched_at))
            else:
                out.append(heise.to_comment(entry, read[0], self.article, read[1]))
        return out


def start(
    spider: Any, response: TextResponse, page: ArticlePage
) -> Iterator[scrapy.Request | Thread]:
    """The flow registered as ``heise-forum``."""
    flow = HeiseForum(spider, response, page)
    url = heise.forum_url(response.text, response.url, page.discussion_url)
    if url is None:
        flow.stat("no_forum")
    else:
        flow.enqueue(url, "list")
    yield from flow.start()
