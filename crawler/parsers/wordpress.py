"""WordPress post pages and the WP REST comments API → Article and Comments.

Pure functions: ``parse_post(html, url, fetched_at)`` reads one post page (any
comment page of it) and ``parse_rest_comments(payload, …)`` one page of
``/wp-json/wp/v2/comments``.  Supported comment markup (see MARKUP.md):
the HTML5 walker, Twenty Ten, the default non-HTML5 walker (unwrapped ``<p>``),
Twenty Twelve-style themes and old Kubrick themes.  Pingbacks and trackbacks
are not reader comments.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from lxml import etree
from lxml.etree import _Element

from crawler.dates import parse_datetime, utc_to_local
from crawler.items import Article, Comment
from crawler.parsers import common
from crawler.parsers.article import extract_article
from crawler.sources import Source, source_for

COMMENT_ID = re.compile(r"^(?:li-)?comment-(\d+)$")
DEPTH_CLASS = re.compile(r"\bdepth-(\d+)\b")
COMMENT_PAGE = re.compile(r"/comment-page-(\d+)/?|[?&]cpage=(\d+)")
_KUBRICK = re.compile(
    r"^\s*(?:Comment|Kommentar)\s+(?:by|von)\s+(?P<author>.+?)\s+[—–-]+\s+(?P<date>.+)$"
)
_PING = re.compile(r"^\s*(Pingback|Trackback)\s*:", re.I)
WP_BODY = (
    "div.entry-content",
    ".entry-content",
    ".post-content",
    ".single-content",
    "article .content",
    ".post .entry",
)


class NotWordPress(ValueError):
    """The page is not a WordPress post."""


class RestError(ValueError):
    """A WP REST answer that cannot be used (error body, invalid JSON, wrong shape)."""


@dataclass
class WordPressPage:
    article: Article
    post_id: str | None
    rest_root: str | None
    comments: list[Comment] = field(default_factory=list)
    comment_page_urls: list[str] = field(default_factory=list)
    own_page_urls: set[str] = field(default_factory=set)
    header_count: int | None = None
    provenance: dict[str, str] = field(default_factory=dict)


def is_wordpress(html: str) -> bool:
    """Cheap detection on raw HTML: generator meta, REST link, wp-content or comment markup."""
    head = html[:200_000]
    return bool(
        re.search(r'<meta[^>]+content=["\']WordPress', head, re.I)
        or "https://api.w.org/" in head
        or "/wp-content/" in head
        or "/wp-includes/" in head
        or re.search(r'id=["\'](?:li-)?comment-\d+["\']', head)
    )


def post_id_of(root: _Element) -> str | None:
    body = root.find("body")
    classes = body.get("class", "") if body is not None else ""
    match = re.search(r"\bpostid-(\d+)\b", classes)
    if match:
        return match.group(1)
    for el in common.select(root, "article[id^='post-'], div[id^='post-']"):
        match = re.fullmatch(r"post-(\d+)", el.get("id", ""))
        if match:
            return match.group(1)
    value = common.first_attr(root, "input#comment_post_ID", "value")
    if value and value.isdigit():
        return value
    shortlink = common.first_attr(root, "link[rel=shortlink]", "href")
    if shortlink:
        match = re.search(r"[?&]p=(\d+)", shortlink)
        if match:
            return match.group(1)
    return None


_META_CLASSES = {"comment-meta", "commentmetadata", "comment-metadata"}
_CONTENT_CLASSES = {"comment-content", "comment-text", "comment_content"}
_TEXT_TAGS = ("p", "blockquote", "ul", "ol", "pre")
_LEAF_TAGS = {"p", "blockquote", "pre", "img", "script", "style", "svg", "time"}
_NO_CLASSES: set[str] = set()


def _is_reply_list(el: _Element) -> bool:
    if el.tag not in ("ol", "ul"):
        return False
    if "children" in el.get("class", "").split():
        return True
    return any(COMMENT_ID.match(li.get("id", "")) for li in el.iterchildren("li"))


@dataclass
class _Parts:
    """The parts of one comment found in a single walk over its own elements."""

    own: list[_Element] = field(default_factory=list)
    author: _Element | None = None
    cite: _Element | None = None
    time: _Element | None = None
    meta_links: list[_Element] = field(default_factory=list)
    permalink: str | None = None
    content: _Element | None = None
    body: _Element | None = None


def _scan(li: _Element, site_id: str) -> _Parts:
    """Walk the comment's own subtree once, skipping nested replies."""
    parts = _Parts()
    marker = f"comment-{site_id}"
    stack = [c for c in reversed(li) if isinstance(c.tag, str) and not _is_reply_list(c)]
    parts.own = list(reversed(stack))
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag == "li" and COMMENT_ID.match(el.get("id", "")):
            continue  # a nested reply inside the comment body (odd themes)
        cls = el.get("class")
        classes = set(cls.split()) if cls else _NO_CLASSES
        if parts.author is None and "fn" in classes:
            parts.author = el
        if tag == "cite" and parts.cite is None:
            parts.cite = el
        elif tag == "time" and parts.time is None and el.get("datetime"):
            parts.time = el
        elif tag == "a" and parts.permalink is None and marker in el.get("href", ""):
            parts.permalink = el.get("href")
        if classes & _META_CLASSES:
            parts.meta_links.extend(el.iter("a"))
        if parts.content is None and classes & _CONTENT_CLASSES:
            parts.content = el
            continue  # the text itself: nothing of the metadata below
        if parts.body is None and "comment-body" in classes:
            parts.body = el
        if tag in _LEAF_TAGS:
            continue
        stack.extend(c for c in reversed(el) if isinstance(c.tag, str))
    return parts


def _comment_text(parts: _Parts) -> str:
    if parts.content is not None:
        return "\n\n".join(common.paragraphs(parts.content))
    body = parts.body
    author_inside = (
        body is not None
        and parts.author is not None
        and any(a is body for a in parts.author.iterancestors())
    )
    if body is not None and not author_inside:  # Twenty Ten: .comment-body is the text itself
        return "\n\n".join(common.paragraphs(body))
    # Default walker / Kubrick: unwrapped blocks beside the metadata
    containers = [body] if body is not None else parts.own
    paras: list[str] = []
    for container in containers:
        candidates = list(container) if container.tag in ("div", "article") else [container]
        for el in candidates:
            if not isinstance(el.tag, str) or el.tag not in _TEXT_TAGS or _is_reply_list(el):
                continue
            if el.tag == "blockquote":
                paras.extend("> " + p for p in common.paragraphs(el))
            else:
                paras.extend(common.paragraphs(el))
    return "\n\n".join(p for p in paras if p)


def _comment_date(parts: _Parts, kubrick_date: str | None) -> str | None:
    if parts.time is not None:
        value = parse_datetime(parts.time.get("datetime"))
        if value:
            return value
    for el in parts.meta_links:
        value = parse_datetime(common.text_of(el))
        if value:
            return value
    if kubrick_date:
        return parse_datetime(kubrick_date.replace(",", ".").replace("@", "um"))
    return None


def _parent_and_depth(li: _Element, source: str) -> tuple[str | None, int]:
    parent_id = None
    depth = 1
    for node in li.iterancestors("li"):
        parent = COMMENT_ID.match(node.get("id", ""))
        if parent:
            if parent_id is None:
                parent_id = f"{source}:comment:{parent.group(1)}"
            depth += 1
    depth_class = DEPTH_CLASS.search(li.get("class", ""))
    return parent_id, int(depth_class.group(1)) if depth_class else depth


def parse_comments(root: _Element, url: str, article: Article) -> list[Comment]:
    """Every reader comment on one HTML page, in document order."""
    source = article.source
    comments: list[Comment] = []
    for li in root.iter("li"):
        match = COMMENT_ID.match(li.get("id", ""))
        if not match:
            continue
        classes = li.get("class", "").split()
        if "pingback" in classes or "trackback" in classes:
            continue
        site_id = match.group(1)
        parts = _scan(li, site_id)
        author = common.text_of(parts.author) if parts.author is not None else None
        kubrick_date = None
        if author is None and parts.cite is not None:
            if _PING.match(common.text_of(parts.cite)):
                continue  # old themes mark pings only by their text
            kubrick = _KUBRICK.match(common.text_of(parts.cite))
            if kubrick:
                author, kubrick_date = kubrick.group("author").strip(), kubrick.group("date")
            else:
                author = common.text_of(parts.cite)
        parent_id, depth = _parent_and_depth(li, source)
        permalink = common.absolute(url, parts.permalink)
        comments.append(
            Comment(
                id=f"{source}:comment:{site_id}",
                url=permalink or f"{article.canonical_url}#comment-{site_id}",
                article_url=article.canonical_url,
                article_id=article.id,
                parent_id=parent_id,
                author=author or None,
                published=_comment_date(parts, kubrick_date),
                text=_comment_text(parts),
                depth=depth,
                fetched_at=article.fetched_at,
            )
        )
    return comments


def _post_path(canonical: str) -> str:
    path = urlsplit(canonical).path
    return COMMENT_PAGE.sub("/", path).rstrip("/") + "/"


def comment_page_urls(root: _Element, url: str, canonical: str) -> list[str]:
    """Absolute URLs (no fragment) of this post's comment pages linked from this page.

    Only pages of this post (not other posts' pages linked from widgets), and
    only plain pagination URLs (no share/reply/feed query strings).
    """
    prefix = _post_path(canonical).rstrip("/")
    here = common.strip_fragment(url)
    found: list[str] = []
    for link in root.iter("a"):
        raw = link.get("href")
        if not raw or not (COMMENT_PAGE.search(raw) or raw.endswith("#comments")):
            continue
        href = common.absolute(url, raw)
        if not href:
            continue
        target = common.strip_fragment(href)
        if not COMMENT_PAGE.search(target) and target != canonical:
            continue  # "#comments" only counts on the post URL (the newest page)
        parts = urlsplit(target)
        if not parts.path.startswith(prefix):
            continue
        if set(parse_qs(parts.query, keep_blank_values=True)) - {"cpage"}:
            continue
        if target != here and target not in found:
            found.append(target)
    return found


def own_page_urls(comments: list[Comment]) -> set[str]:
    """Comment-page URLs that the comments of this page name as their own page.

    WordPress links each comment to the page it is on; when the post URL shows
    the newest page, its comments link to ``comment-page-K``, which is
    therefore this very page and need not be fetched again.
    """
    return {
        common.strip_fragment(c.url) for c in comments if COMMENT_PAGE.search(c.url.split("#")[0])
    }


def parse_post(
    html: str, url: str, fetched_at: str, *, source: Source | None = None
) -> WordPressPage:
    """One post page (the post URL or any of its comment pages)."""
    root = common.parse_html(html, url)
    source = source or source_for(url)
    post_id = post_id_of(root)
    canonical = common.canonical_url(root, url)
    base_canonical = _strip_comment_page(canonical)
    article_id = f"{source.name}:post:{post_id}" if post_id else None
    # comments first: the article extraction removes noise from the tree
    placeholder = Article(
        id=article_id or f"{source.name}:url:{common.stable_hash(base_canonical)}",
        url=url,
        canonical_url=base_canonical,
        source=source.name,
        title="",
        fetched_at=fetched_at,
    )
    comments = parse_comments(root, url, placeholder)
    own_pages = own_page_urls(comments)
    pages = [p for p in comment_page_urls(root, url, base_canonical) if p not in own_pages]
    header = _header_text(root)
    header_count = int(m.group()) if header and (m := re.search(r"\d+", header)) else None
    rest_root = common.absolute(
        url, common.first_attr(root, 'link[rel="https://api.w.org/"]', "href")
    )
    _drop_comment_section(root)
    page = extract_article(
        root, url, fetched_at, source, article_id=placeholder.id, extra_body=WP_BODY
    )
    article = page.article
    article.canonical_url = base_canonical
    return WordPressPage(
        article=article,
        post_id=post_id,
        rest_root=rest_root,
        comments=comments,
        comment_page_urls=pages,
        own_page_urls=own_pages,
        header_count=header_count,
        provenance=page.provenance,
    )


_COMMENTS_SECTION = etree.XPath("id('comments')")


def _drop_comment_section(root: _Element) -> None:
    """Remove the comments (and the reply form) before the article is read.

    ``#comments`` by id (an O(1) lookup), then whatever list still holds
    top-level comments: their times, authors and ``<article>`` wrappers must
    not be taken for the post's own.
    """
    for el in _COMMENTS_SECTION(root):
        common.drop(el)
    while True:
        first = next((li for li in root.iter("li") if COMMENT_ID.match(li.get("id", ""))), None)
        if first is None or first.getparent() is None:
            break
        common.drop(first.getparent())  # the list of top-level comments, replies included
    for el in root.iter("div"):
        if el.get("id") == "respond":
            common.drop(el)
            break


_HEADER_XPATH = etree.XPath(
    "(id('comments-title') | id('comments')[self::h2 or self::h3]"
    " | id('comments')//*[self::h2 or self::h3])[1]"
)


def _header_text(root: _Element) -> str | None:
    """The comments header ("142 Antworten zu …"), found without a class scan."""
    found = _HEADER_XPATH(root)
    return common.text_of(found[0]) if found else None


def _strip_comment_page(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/comment-page-\d+/?", "/", parts.path)
    query = {k: v for k, v in parse_qs(parts.query).items() if k != "cpage"}
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query, doseq=True), ""))


def rest_comments_url(rest_root: str, post_id: str, page: int, per_page: int = 100) -> str:
    root = rest_root if rest_root.endswith("/") else rest_root + "/"
    if "rest_route=" in root:  # plain permalinks: ?rest_route=/
        sep = "&"
        base = root.rstrip("/") + "wp/v2/comments"
    else:
        sep = "?"
        base = root + "wp/v2/comments"
    query = urlencode({"post": post_id, "per_page": per_page, "page": page, "order": "asc"})
    return f"{base}{sep}{query}"


def parse_rest_comments(payload: bytes | str, article: Article, url: str) -> list[Comment]:
    """One page of ``/wp/v2/comments``; raises RestError when unusable."""
    try:
        data = json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RestError(f"{url}: invalid JSON ({exc})") from exc
    if not isinstance(data, list):
        code = data.get("code") if isinstance(data, dict) else None
        raise RestError(f"{url}: expected a list of comments, got {code or type(data).__name__}")
    comments = []
    source = article.source
    for entry in data:
        if not isinstance(entry, dict) or "id" not in entry:
            raise RestError(f"{url}: comment without id")
        if entry.get("type", "comment") not in ("comment", ""):
            continue  # pingbacks, trackbacks
        site_id = str(entry["id"])
        parent = entry.get("parent") or 0
        rendered = (entry.get("content") or {}).get("rendered", "")
        wrapper = common.fragment(rendered)
        published = utc_to_local(entry.get("date_gmt")) or parse_datetime(entry.get("date"))
        comments.append(
            Comment(
                id=f"{source}:comment:{site_id}",
                url=entry.get("link") or f"{article.canonical_url}#comment-{site_id}",
                article_url=article.canonical_url,
                article_id=article.id,
                parent_id=f"{source}:comment:{parent}" if str(parent) != "0" else None,
                author=common.clean_inline(entry.get("author_name") or "") or None,
                published=published,
                text="\n\n".join(common.paragraphs(wrapper)),
                depth=1,
                fetched_at=article.fetched_at,
            )
        )
    return comments


def finalize_thread(comments: list[Comment]) -> list[Comment]:
    """Dedupe by id, set depth from parents and 1-based chronological positions."""
    by_id: dict[str, Comment] = {}
    for comment in comments:
        by_id.setdefault(comment.id, comment)
    for comment in by_id.values():
        depth, parent, seen = 1, comment.parent_id, set()
        while parent and parent in by_id and parent not in seen:
            seen.add(parent)
            depth += 1
            parent = by_id[parent].parent_id
        comment.depth = max(comment.depth, depth) if parent is None else depth
    ordered = sorted(by_id.values(), key=lambda c: (c.published or "", _numeric_id(c.id)))
    for position, comment in enumerate(ordered, 1):
        comment.position = position
    return ordered


def _numeric_id(comment_id: str) -> int:
    tail = comment_id.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0
