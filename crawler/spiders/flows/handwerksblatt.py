"""handwerksblatt.de: the comments the article page's script would load.

``GET /loadMoreComments/<object_id>/<offset>/5/true/article`` for batch 0, 1,
… one at a time, until an answer is empty or shorter than a batch, or the
batch count ``#loadMoreComments[data-last]`` is reached; capped by
``KW_FORUM_MAX_PAGES`` (count ``…/batch_capped``).  An article without the
comment shell (no ``object_id``) is emitted alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from crawler.items import Comment, Thread
from crawler.parsers import handwerksblatt as hwb
from crawler.parsers.article import ArticlePage
from crawler.spiders.flows.sequential import DEFAULT_MAX_PAGES, SequentialThread


class HandwerksblattComments(SequentialThread):
    name = "handwerksblatt"
    caps = {"batch": ("KW_FORUM_MAX_PAGES", DEFAULT_MAX_PAGES, 0)}

    def __init__(self, spider: Any, response: Response, page: ArticlePage) -> None:
        super().__init__(spider, response, page)
        self.shell = hwb.parse_shell(response.text, response.url)
        self.base = response.url
        self.found: dict[str, Comment] = {}

    def request_batch(self, batch: int) -> None:
        assert self.shell.object_id is not None
        url = hwb.fragment_url(self.base, self.shell.object_id, batch)
        self.enqueue(url, "batch", batch=batch)

    def read_batch(self, response: TextResponse, batch: int) -> None:
        fragment = hwb.parse_fragment(response.text, response.url)
        fetched_at = self.spider.fetched_at(response)
        new = 0
        for item in fragment.items:
            comment = hwb.to_comment(item, self.article, fetched_at)
            if comment.id not in self.found:
                self.found[comment.id] = comment
                new += 1
        last = fragment.last if fragment.last is not None else self.shell.last
        if len(fragment.items) < hwb.LIMIT or new == 0:
            return  # an empty or short answer: the end
        if last is not None and batch + 1 >= last:
            return
        self.request_batch(batch + 1)

    def on_failed(self, kind: str, data: dict[str, Any]) -> None:
        """A broken batch: go on with the next one while the page says there are more."""
        last = self.shell.last
        if last is None and self.shell.header_count is not None:
            last = -(-self.shell.header_count // hwb.LIMIT)
        if last is not None and data["batch"] + 1 < last:
            self.request_batch(data["batch"] + 1)

    def comments(self) -> list[Comment]:
        header = self.shell.header_count
        if header is not None and header != len(self.found):
            self.stat("header_count_differs")
        return list(self.found.values())


def start(
    spider: Any, response: TextResponse, page: ArticlePage
) -> Iterator[scrapy.Request | Thread]:
    """The flow registered as ``handwerksblatt-ajax``."""
    flow = HandwerksblattComments(spider, response, page)
    if flow.shell.object_id is None:
        flow.stat("no_comment_shell")
    elif flow.shell.header_count == 0:
        flow.stat("no_comments")
    else:
        flow.request_batch(flow.shell.current)
    yield from flow.start()
