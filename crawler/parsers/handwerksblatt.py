"""handwerksblatt.de reader comments: the AJAX shell of the article page and the
``/loadMoreComments`` fragments → Comments.

The article page has only an empty ``section.comments`` shell: the header
count (``<h2><span>N</span> Kommentare</h2>``), ``input[name=object_id]`` and,
when there is more than one batch, ``#loadMoreComments[data-current][data-last]``.
Its inline jQuery fetches ``GET /loadMoreComments/<object_id>/<offset>/<limit>/true/article``
(offset = batch × limit, limit 5) and appends the HTML fragment, until the
batch ``data-last`` is reached.  Fragment items are ``.user-comment[data-id]``
with ``.user-name > strong``, ``time.comment-time`` and the text; an answer
quotes the comment it replies to (the ``quote_id`` of the form), shown as a
quote box naming ``#comment_<id>``.  The quote box is the parent's text, so it
is left out of the reply's text; the relation is kept as ``parent_id``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml.etree import _Element

from crawler.dates import parse_datetime
from crawler.items import Article, Comment
from crawler.parsers import common

LIMIT = 5
_QUOTE_REF = re.compile(r"#comment_(\d+)$")
QUOTE_SELECTOR = ".comment-quote, .quote, blockquote.quote, [data-quote-id]"
_REPLY_LINK = (".answer-comments", ".comment-answer", ".comment-actions")


@dataclass
class CommentShell:
    """What the static article page says about its comments."""

    object_id: str | None
    header_count: int | None = None
    current: int = 0  # the first batch the page script asks for
    last: int | None = None  # number of batches, from #loadMoreComments[data-last]
    object_type: str = "article"


@dataclass
class FragmentItem:
    site_id: str
    author: str | None
    published: str | None
    text: str
    quote_id: str | None


@dataclass
class Fragment:
    """One answer of ``/loadMoreComments``."""

    items: list[FragmentItem] = field(default_factory=list)
    last: int | None = None  # a #loadMoreComments button inside the fragment, if any


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    match = re.search(r"-?\d+", value)
    return int(match.group()) if match else None


def parse_shell(html: str, url: str) -> CommentShell:
    """The object id, the header count and the paging data of an article page."""
    root = common.parse_html(html, url)
    object_id = common.first_attr(root, "input[name=object_id]", "value")
    if object_id is None:
        match = re.search(r"/loadMoreComments/(\d+)/", html)
        object_id = match.group(1) if match else None
    header = common.first_text(root, "section.comments h2 span", "#comments h2")
    button = common.first(root, "#loadMoreComments")
    shell = CommentShell(object_id=object_id, header_count=_int(header))
    if button is not None:
        shell.current = _int(button.get("data-current")) or 0
        shell.last = _int(button.get("data-last"))
    return shell


def fragment_url(base: str, object_id: str, batch: int, limit: int = LIMIT) -> str:
    """The URL the page script requests for batch ``batch`` (0-based)."""
    return urljoin(base, f"/loadMoreComments/{object_id}/{batch * limit}/{limit}/true/article")


def _quote_id(item: _Element) -> tuple[str | None, list[_Element]]:
    quotes = [q for q in common.select(item, QUOTE_SELECTOR) if q is not item]
    for quote in quotes:
        value = quote.get("data-quote-id")
        if value and value.strip().isdigit():
            return value.strip(), quotes
        for link in common.select(quote, "a[href]"):
            match = _QUOTE_REF.search(link.get("href", ""))
            if match:
                return match.group(1), quotes
    return None, quotes


def parse_fragment(html: str, url: str) -> Fragment:
    """The comments of one ``/loadMoreComments`` answer (an empty answer has none)."""
    if not html.strip():
        return Fragment()
    root = common.fragment(html)
    out = Fragment()
    for item in common.select(root, ".user-comment[data-id]"):
        site_id = (item.get("data-id") or "").strip()
        if not site_id.isdigit():
            continue
        quote_id, quotes = _quote_id(item)
        author = common.first_text(item, ".user-name > strong", ".user-name")
        stamp = common.first(item, "time.comment-time", "time")
        published = None
        if stamp is not None:
            for raw in (stamp.get("datetime"), stamp.get("title"), common.text_of(stamp)):
                published = parse_datetime(raw)
                if published:
                    break
        for quote in quotes:  # the parent's text, not this comment's
            common.drop(quote)
        body = common.first(item, ".comment-text", ".comment-content")
        if body is None:  # no text wrapper: the item minus its metadata
            body = item
            common.remove(body, (".comment-header", ".comment-head", ".user-name", "time"))
            common.remove(body, _REPLY_LINK)
        out.items.append(
            FragmentItem(
                site_id=site_id,
                author=author,
                published=published,
                text="\n\n".join(common.paragraphs(body)),
                quote_id=quote_id if quote_id != site_id else None,
            )
        )
    button = common.first(root, "#loadMoreComments")
    if button is not None:
        out.last = _int(button.get("data-last"))
    return out


def to_comment(item: FragmentItem, article: Article, fetched_at: str) -> Comment:
    source = article.source
    return Comment(
        id=f"{source}:comment:{item.site_id}",
        url=f"{article.canonical_url}#comment_{item.site_id}",
        article_url=article.canonical_url,
        article_id=article.id,
        parent_id=f"{source}:comment:{item.quote_id}" if item.quote_id else None,
        author=item.author,
        published=item.published,
        text=item.text,
        depth=1,
        fetched_at=fetched_at,
    )
