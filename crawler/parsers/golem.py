"""forum.golem.de threads → list entries, thread pages and Comments.

Pure functions; :mod:`crawler.spiders.flows.golem` schedules the requests.
The article's ``section#comments`` is only a teaser whose "Kommentarübersicht"
link leads to the forum list ``…/kommentare/<rubrik>/<slug>/<forumId>,list.html``
(``table.table-listthread``, one row per thread, further pages in
``ol.list-pages``).  Each thread page ``…/<forumId>,<threadId>,<msgId>,read.html``
shows every message of the thread in ``div#thread-detail > ol >
li[data-user-id]``; the nesting is only the inline ``padding-left`` (20px per
level), so the parent of a message is the nearest earlier message one level up.

Comment text: the subject (``h4#msg-<id>``) as first paragraph unless it is a
"Re: …" repetition, then ``div.message-body`` in the paragraph format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml.etree import _Element

from crawler.dates import parse_datetime
from crawler.items import Article, Comment
from crawler.parsers import common
from crawler.parsers.common import comment_text

READ_URL = re.compile(r"/(?P<forum>\d+),(?P<thread>\d+),(?P<msg>\d+),read\.html$")
LIST_URL = re.compile(r"/(?P<forum>\d+),list(?:,[^/]*)?\.html$")
MSG_ID = re.compile(r"^msg-(\d+)$")
PADDING = re.compile(r"padding-left\s*:\s*(\d+)\s*px", re.I)
LEVEL_PX = 20
_AUTHOR_LABEL = re.compile(r"^\s*(?:Autor|Von)\s*:\s*", re.I)


@dataclass
class ThreadEntry:
    """One row of the forum list: a thread and its first message."""

    thread_id: str
    msg_id: str
    url: str  # the thread page, no fragment
    subject: str
    author: str | None
    published: str | None
    replies: int | None = None


@dataclass
class ForumList:
    """One page of the forum list."""

    forum_id: str | None
    threads: list[ThreadEntry] = field(default_factory=list)
    page_urls: list[str] = field(default_factory=list)


@dataclass
class Message:
    """One message on a thread page."""

    msg_id: str
    subject: str
    author: str | None
    published: str | None
    text: str
    depth: int
    parent_id: str | None  # the parent message's id, None for the thread start
    user_id: str | None = None


@dataclass
class ThreadPage:
    thread_id: str | None
    messages: list[Message] = field(default_factory=list)
    page_urls: list[str] = field(default_factory=list)


def forum_id_of(url: str) -> str | None:
    path = urlsplit(url).path
    match = LIST_URL.search(path) or READ_URL.search(path)
    return match.group("forum") if match else None


def forum_list_url(html: str, url: str) -> str | None:
    """The "Kommentarübersicht" link of an article page (``…/<forumId>,list.html``)."""
    root = common.parse_html(html, url)
    links = common.select(root, "section#comments a[href]") or list(root.iter("a"))
    fallback = None
    for link in links:
        href = common.absolute(url, link.get("href"))
        if not href or not LIST_URL.search(urlsplit(href).path):
            continue
        if "kommentarübersicht" in common.text_of(link).lower():
            return common.strip_fragment(href)
        fallback = fallback or common.strip_fragment(href)
    return fallback


def _time(el: _Element | None) -> str | None:
    if el is None:
        return None
    for raw in (el.get("datetime"), el.get("title"), common.text_of(el)):
        value = parse_datetime(raw)
        if value:
            return value
    return None


def _pages(root: _Element, url: str, keep: re.Pattern[str], forum_id: str | None) -> list[str]:
    here = common.strip_fragment(url)
    out: list[str] = []
    for link in common.select(root, "ol.list-pages a[href]"):
        href = common.absolute(url, link.get("href"))
        if not href:
            continue
        target = common.strip_fragment(href)
        match = keep.search(urlsplit(target).path)
        if not match or match.group("forum") != forum_id or target == here or target in out:
            continue
        out.append(target)
    return out


def parse_forum_list(html: str, url: str) -> ForumList:
    """Threads of one list page and the other list pages of the same forum."""
    root = common.parse_html(html, url)
    forum_id = forum_id_of(url)
    page = ForumList(forum_id=forum_id)
    seen: set[str] = set()
    for row in common.select(root, "table.table-listthread tr"):
        link = next(
            (a for a in common.select(row, "a[href]") if READ_URL.search(a.get("href", ""))), None
        )
        if link is None:
            continue
        href = common.absolute(url, link.get("href"))
        match = READ_URL.search(urlsplit(href or "").path)
        if not href or not match or match.group("thread") in seen:
            continue
        seen.add(match.group("thread"))
        author = common.first_text(row, "td.author a", "td.author", ".author")
        replies = re.search(r"\d+", common.first_text(row, "td.replies", ".replies") or "")
        page.threads.append(
            ThreadEntry(
                thread_id=match.group("thread"),
                msg_id=match.group("msg"),
                url=common.strip_fragment(href),
                subject=common.text_of(link),
                author=author,
                published=_time(common.first(row, "time", "td.date", ".date")),
                replies=int(replies.group()) if replies else None,
            )
        )
    page.page_urls = _pages(root, url, LIST_URL, forum_id)
    return page


def _depth(li: _Element) -> int:
    match = PADDING.search(li.get("style", ""))
    return 1 + (int(match.group(1)) // LEVEL_PX if match else 0)


def parse_thread_page(html: str, url: str) -> ThreadPage:
    """Every message of a thread page with depth (from the indentation) and parent."""
    root = common.parse_html(html, url)
    match = READ_URL.search(urlsplit(url).path)
    page = ThreadPage(thread_id=match.group("thread") if match else None)
    stack: list[tuple[int, str]] = []  # (depth, msg id) of the open ancestors
    for li in common.select(root, "div#thread-detail > ol > li"):
        heading = next((h for h in li.iter("h4") if MSG_ID.match(h.get("id", ""))), None)
        if heading is None:
            continue
        msg_id = MSG_ID.match(heading.get("id", ""))
        assert msg_id is not None
        depth = _depth(li)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1] if stack else None
        stack.append((depth, msg_id.group(1)))
        body = common.first(li, "div.message-body")
        text = ""
        if body is not None:
            common.remove(body, (".signature", ".message-signature"))
            text = "\n\n".join(common.paragraphs(body))
        author = common.first_text(li, ".message-author a", ".message-author", ".author")
        page.messages.append(
            Message(
                msg_id=msg_id.group(1),
                subject=common.text_of(heading),
                author=_AUTHOR_LABEL.sub("", author) if author else None,
                published=_time(common.first(li, "time", ".message-date", ".date")),
                text=text,
                depth=depth,
                parent_id=parent,
                user_id=li.get("data-user-id"),
            )
        )
    forum = match.group("forum") if match else None
    thread_pages = [
        u
        for u in _pages(root, url, READ_URL, forum)
        if (m := READ_URL.search(urlsplit(u).path)) and m.group("thread") == page.thread_id
    ]
    page.page_urls = thread_pages
    return page


def message_comment(
    message: Message, thread_url: str, article: Article, fetched_at: str
) -> Comment:
    """The Comment of one message read from its thread page."""
    source = article.source
    base = common.strip_fragment(thread_url)
    return Comment(
        id=f"{source}:comment:{message.msg_id}",
        url=f"{base}#msg-{message.msg_id}",
        article_url=article.canonical_url,
        article_id=article.id,
        parent_id=f"{source}:comment:{message.parent_id}" if message.parent_id else None,
        author=message.author,
        published=message.published,
        text=comment_text(message.subject, message.text),
        depth=message.depth,
        fetched_at=fetched_at,
    )


def entry_comment(entry: ThreadEntry, article: Article, fetched_at: str) -> Comment:
    """The thread's first message as the list shows it (its page could not be read)."""
    source = article.source
    return Comment(
        id=f"{source}:comment:{entry.msg_id}",
        url=f"{entry.url}#msg-{entry.msg_id}",
        article_url=article.canonical_url,
        article_id=article.id,
        parent_id=None,
        author=entry.author,
        published=entry.published,
        text=comment_text(entry.subject, ""),
        depth=1,
        fetched_at=fetched_at,
    )
