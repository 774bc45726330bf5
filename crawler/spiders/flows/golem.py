"""golem.de: the article's forum.golem.de list pages, then every thread page.

Order per article: the "Kommentarübersicht" link of the article's teaser
(``…/<forumId>,list.html``) → every list page (``ol.list-pages``) → one thread
page per thread, one request at a time.  Thread pages are capped by
``KW_FORUM_MAX_POSTINGS`` (count ``…/thread_capped``), list pages by
``KW_FORUM_MAX_PAGES``.  A thread whose page cannot be read keeps its first
message as the list row shows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from crawler.items import Comment, Thread
from crawler.parsers import golem
from crawler.parsers.article import ArticlePage
from crawler.spiders.flows.sequential import (
    DEFAULT_MAX_PAGES,
    DEFAULT_MAX_POSTINGS,
    SequentialThread,
)


class GolemForum(SequentialThread):
    name = "golem"
    caps = {
        "list": ("KW_FORUM_MAX_PAGES", DEFAULT_MAX_PAGES, 0),
        "thread": ("KW_FORUM_MAX_POSTINGS", DEFAULT_MAX_POSTINGS, 1),
    }

    def __init__(self, spider: Any, response: Response, page: ArticlePage) -> None:
        super().__init__(spider, response, page)
        self.threads: dict[str, golem.ThreadEntry] = {}
        self.messages: dict[str, Comment] = {}

    def read_list(self, response: TextResponse) -> None:
        page = golem.parse_forum_list(response.text, response.url)
        if not page.threads:
            self.stat("list_empty")
        for entry in page.threads:
            if entry.thread_id not in self.threads:
                self.threads[entry.thread_id] = entry
                self.enqueue(entry.url, "thread", thread_id=entry.thread_id)
        for url in page.page_urls:
            self.enqueue(url, "list")

    def read_thread(self, response: TextResponse, thread_id: str) -> None:
        page = golem.parse_thread_page(response.text, response.url)
        if not page.messages:
            self.stat("thread_empty")
        fetched_at = self.spider.fetched_at(response)
        for message in page.messages:
            comment = golem.message_comment(message, response.url, self.article, fetched_at)
            self.messages.setdefault(comment.id, comment)
        for url in page.page_urls:
            self.enqueue(url, "thread", thread_id=thread_id)

    def comments(self) -> list[Comment]:
        out = dict(self.messages)
        for entry in self.threads.values():
            comment = golem.entry_comment(entry, self.article, self.fetched_at)
            if comment.id not in out:
                self.stat("thread_from_list_only")
                out[comment.id] = comment
        return list(out.values())


def start(
    spider: Any, response: TextResponse, page: ArticlePage
) -> Iterator[scrapy.Request | Thread]:
    """The flow registered as ``golem-forum``."""
    flow = GolemForum(spider, response, page)
    url = page.discussion_url or golem.forum_list_url(response.text, response.url)
    if url is None:
        flow.stat("no_forum")
    else:
        flow.enqueue(url, "list")
    yield from flow.start()
