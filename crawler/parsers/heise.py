"""heise.de forum threads → thread-list entries, posting pages and Comments.

Pure functions (HTML + URL in, typed results out); the flow in
:mod:`crawler.spiders.flows.heise` decides what to fetch.  The forum
(``/forum/<Bereich>/<Forum>/<Artikel-Slug>/forum-<id>/…``) shows subjects
only: the thread list ``ol#tree_thread_list`` nests ``li.posting_element``
entries (parent = the enclosing entry) and links each posting's own page
``…/posting-<id>/show/``, which carries the text (``div.bbcode_v1``), the
pseudonym (``span.pseudonym``) and the time (``time.posting_timestamp``).
List pages continue at ``…/page-N/`` (``a.older.shortcut-d``); collapsed
sub-threads are read from ``…/show-thread-below-posting/…`` pages, which are
thread lists of their own.  A page that is the login form ("Heise Login
Service") is reported as such, never taken for a posting.

Comment text: the subject as first paragraph unless it only repeats the
parent's ("Re: …"), then the posting body in the project's paragraph format
(quotes as ``"> "`` paragraphs, signature dropped).
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

POSTING_ID = re.compile(r"/posting-(\d+)/")
FORUM_PATH = re.compile(r"^(?P<base>/forum/.+?/forum-\d+)/")
PAGE_PATH = re.compile(r"/page-(\d+)/?$")
LOGIN_WALL = "Heise Login Service"


@dataclass
class ListEntry:
    """One posting as the thread list shows it (subject, author, time, place in the tree)."""

    posting_id: str
    url: str
    subject: str
    author: str | None
    published: str | None
    parent_id: str | None  # the parent posting's id, None at top level
    depth: int
    reply_count: int | None = None


@dataclass
class ThreadListPage:
    """One page of a forum thread list."""

    entries: list[ListEntry] = field(default_factory=list)
    page_urls: list[str] = field(default_factory=list)  # other list pages of this forum
    # collapsed sub-threads: (URL, id of the posting they hang below, if known)
    expand_urls: list[tuple[str, str | None]] = field(default_factory=list)
    login_wall: bool = False


@dataclass
class Posting:
    """One posting page."""

    posting_id: str | None
    subject: str
    author: str | None
    published: str | None
    text: str
    login_wall: bool = False


def is_login_wall(html: str) -> bool:
    """The page is heise's login form instead of the requested content."""
    return LOGIN_WALL in html[:200_000]


def posting_id_of(url: str) -> str | None:
    """The posting id in a ``…/posting-<id>/show/`` URL."""
    match = POSTING_ID.search(urlsplit(url).path + "/")
    return match.group(1) if match else None


def forum_base(url: str) -> str | None:
    """``/forum/…/forum-<id>`` path of any forum URL (list, page, comment or posting)."""
    match = FORUM_PATH.match(urlsplit(url).path)
    return match.group("base") if match else None


def forum_url(html: str, url: str, discussion_url: str | None = None) -> str | None:
    """The article's forum: JSON-LD ``discussionUrl`` (resolved), else the comment links."""
    if discussion_url:
        return discussion_url
    root = common.parse_html(html, url)
    for selector in ("a.comment-button", "a.a-article-action[name$=kommentarelesen]"):
        href = common.absolute(url, common.first_attr(root, selector, "href"))
        if href and "/forum/" in href:
            return common.strip_fragment(href)
    return None


def _nearest_entry(el: _Element) -> _Element | None:
    for node in el.iterancestors("li"):
        if "posting_element" in node.get("class", "").split():
            return node
    return None


def _own(li: _Element, selector: str) -> _Element | None:
    """First element matching selector that belongs to this entry, not to a nested reply."""
    for el in common.select(li, selector):
        if el is li or _nearest_entry(el) is li:
            return el
    return None


def _time_value(el: _Element | None) -> str | None:
    if el is None:
        return None
    for raw in (
        el.get("datetime"),
        el.get("data-mysql-beautify-date"),
        el.get("title"),
        common.text_of(el),
    ):
        value = parse_datetime(raw)
        if value:
            return value
    return None


def parse_thread_list(html: str, url: str, below: str | None = None) -> ThreadListPage:
    """Entries (in document order), further list pages and collapsed sub-threads of a page.

    ``below`` is the posting a ``show-thread-below-posting`` page was opened
    for: its top-level entries other than that posting hang below it.
    """
    if is_login_wall(html):
        return ThreadListPage(login_wall=True)
    root = common.parse_html(html, url)
    page = ThreadListPage()
    ids: dict[_Element, str] = {}  # entry li -> posting id (keys keep the proxies alive)
    for tree in common.select(root, "ol#tree_thread_list, ul#tree_thread_list"):
        for link in common.select(tree, "a.posting_subject[href]"):
            href = common.absolute(url, link.get("href"))
            posting_id = posting_id_of(href or "")
            li = _nearest_entry(link)
            if not href or not posting_id or li is None or li in ids:
                continue
            ids[li] = posting_id
            parent_li = _nearest_entry(li)
            depth = 1 + sum(
                1 for a in li.iterancestors("li") if "posting_element" in a.get("class", "").split()
            )
            author = _own(li, ".tree_thread_list--written_by_user, .pseudonym")
            count = common.text_of(_own(li, ".posting_count"))
            count_match = re.search(r"\d+", count)
            page.entries.append(
                ListEntry(
                    posting_id=posting_id,
                    url=common.strip_fragment(href),
                    subject=common.text_of(link),
                    author=common.text_of(author) or None,
                    published=_time_value(_own(li, "time")),
                    parent_id=ids.get(parent_li) if parent_li is not None else None,
                    depth=depth,
                    reply_count=int(count_match.group()) if count_match else None,
                )
            )
    if below:
        for entry in page.entries:
            if entry.parent_id is None and entry.posting_id != below:
                entry.parent_id = below
    base = forum_base(url)
    here = common.strip_fragment(url)
    for link in root.iter("a"):
        href = common.absolute(url, link.get("href"))
        if not href:
            continue
        target = common.strip_fragment(href)
        path = urlsplit(target).path
        page_number = PAGE_PATH.search(path)
        is_page = bool(page_number)
        if base is not None and page_number and page_number.group(1) == "1":
            target = target[: target.index(path)] + base + "/"  # page 1 is the forum's own URL
            path = base + "/"
        classes = set(link.get("class", "").split())
        if target == here or not path.startswith("/forum/"):
            continue
        if "show-thread-below-posting" in path:
            owner = _nearest_entry(link)
            owner_id = ids.get(owner) if owner is not None else None
            if target not in [u for u, _ in page.expand_urls]:
                page.expand_urls.append((target, owner_id))
        elif (
            base is not None
            and path.startswith(base + "/")
            and (is_page or {"older", "shortcut-d"} <= classes)
            and target not in page.page_urls
        ):
            page.page_urls.append(target)
    return page


def parse_posting(html: str, url: str) -> Posting:
    """One posting page: subject, pseudonym, time and text."""
    if is_login_wall(html):
        return Posting(posting_id_of(url), "", None, None, "", login_wall=True)
    root = common.parse_html(html, url)
    body = common.first(root, "div.bbcode_v1", ".body_format_indicator")
    text = ""
    if body is not None:
        common.remove(body, (".signature", ".posting_signature", ".quote_header"))
        text = "\n\n".join(common.paragraphs(body))
    subject = common.first_text(
        root, "h1.posting_subject", ".posting_subject", "h1.thread_title", "h1"
    )
    author = common.first_text(root, "span.pseudonym", ".posting_author .pseudonym")
    stamp = common.first(root, "time.posting_timestamp", "time[title]", "time[datetime]")
    return Posting(
        posting_id=posting_id_of(url),
        subject=subject or "",
        author=author,
        published=_time_value(stamp),
        text=text,
    )


def to_comment(
    entry: ListEntry, posting: Posting | None, article: Article, fetched_at: str
) -> Comment:
    """The Comment of one posting: tree place from the list, the rest from its page if read."""
    source = article.source
    subject = (posting.subject if posting and posting.subject else "") or entry.subject
    return Comment(
        id=f"{source}:comment:{entry.posting_id}",
        url=entry.url,
        article_url=article.canonical_url,
        article_id=article.id,
        parent_id=f"{source}:comment:{entry.parent_id}" if entry.parent_id else None,
        author=(posting.author if posting and posting.author else None) or entry.author,
        published=(posting.published if posting else None) or entry.published,
        text=comment_text(subject, posting.text if posting else ""),
        depth=entry.depth,
        fetched_at=fetched_at,
    )
