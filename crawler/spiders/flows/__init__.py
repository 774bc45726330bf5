"""Comment flows: how a source's reader comments are fetched after its article.

The source registry names a comment mechanism per site (``"comments":
"heise-forum"``); a flow module registered here under that name schedules the
requests that read the thread and finally yields the ``Thread`` (article plus
comments).  A flow is a function

    start(spider, response, page) -> Iterator[Request | Thread]

where ``page`` is the parsed :class:`crawler.parsers.article.ArticlePage`.
Flows only schedule; parsing stays in :mod:`crawler.parsers`.  A source whose
mechanism has no flow yields its article alone.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any

# mechanism name (crawler/data/sources.json "comments") -> module with start()
FLOWS: dict[str, str] = {
    "heise-forum": "crawler.spiders.flows.heise",
    "golem-forum": "crawler.spiders.flows.golem",
    "handwerksblatt-ajax": "crawler.spiders.flows.handwerksblatt",
}

Flow = Callable[[Any, Any, Any], Iterator[Any]]


def flow_for(mechanism: str) -> Flow | None:
    module = FLOWS.get(mechanism)
    if module is None:
        return None
    start: Flow = importlib.import_module(module).start
    return start
