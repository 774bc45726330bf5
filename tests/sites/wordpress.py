"""Generator of complete WordPress fixture sites on a :class:`tests.httpserver.LocalSite`.

``build_wordpress_site(site, theme=..., rest=...)`` registers every page of one
WordPress post (all comment pages, the shortlink redirect, the REST API in the
chosen mode) and returns the ground truth as :class:`ExpectedPost`.

Site behaviour (WordPress 6.4 defaults, see :mod:`tests.sites.wpthemes`):

* comments threaded, paginated by top-level threads (``threads_per_page``),
  older threads first; the post URL shows the NEWEST page, which is also served
  at ``…/comment-page-K/``; older pages at ``…/comment-page-N/``;
* every page lists one pingback (not a reader comment); themes ``html5`` and
  ``default`` also list one trackback on page 1;
* REST modes: ``on`` (``/wp-json/wp/v2/comments``, real WP paging and errors),
  ``none`` (no API link, endpoint 404), ``401``/``403``/``404`` (link advertised,
  endpoint answers that status with a WP JSON error), ``invalid-json`` (200 with a
  PHP warning and a truncated JSON body).

Several posts may be built on one site; they share the REST endpoint (the REST
mode of the last call wins).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from tests.httpserver import LocalSite, RequestInfo, ResponseTuple
from tests.sites import wpcorpus
from tests.sites.wptext import Block, Inline, blocks_text, first_sentence, parse_markup
from tests.sites.wpthemes import (
    BERLIN,
    PageView,
    WPComment,
    WPPost,
    comment_link,
    render_content,
    render_page,
    widget_comment_link,
)

SITE_THEMES = ("html5", "twentyten", "default", "twentytwelve")
REST_MODES = ("on", "none", "401", "403", "404", "invalid-json")
SECONDS_THEMES = ("html5", "twentytwelve")  # themes whose <time datetime> carries seconds

REST_PATH = "/wp-json/wp/v2/comments"
REST_ERRORS: dict[str, dict[str, Any]] = {
    "401": {
        "code": "rest_not_logged_in",
        "message": "Du bist nicht angemeldet.",
        "data": {"status": 401},
    },
    "403": {
        "code": "rest_forbidden",
        "message": "Du bist leider nicht berechtigt, diese Aktion durchzuführen.",
        "data": {"status": 403},
    },
    "404": {
        "code": "rest_no_route",
        "message": "Es wurde keine Route gefunden, die mit der URL und der Request-Methode "
        "identisch ist.",
        "data": {"status": 404},
    },
}
PHP_WARNING = (
    '<br />\n<b>Warning</b>:  Undefined array key "HTTP_ACCEPT_LANGUAGE" in '
    "<b>/var/www/html/wp-content/plugins/sprachweiche/sprachweiche.php</b> on line "
    "<b>42</b><br />\n"
)

FIRST_COMMENT = datetime(2024, 1, 9, 10, 15, tzinfo=BERLIN)
LAST_THREAD_START = datetime(2024, 1, 12, 16, 0, tzinfo=BERLIN)
LAST_COMMENT = datetime(2024, 1, 12, 23, 59, tzinfo=BERLIN)
POST_PUBLISHED = datetime(2024, 1, 9, 9, 30, tzinfo=BERLIN)
POST_MODIFIED = datetime(2024, 1, 10, 8, 5, 12, tzinfo=BERLIN)


@dataclass
class ExpectedPost:
    """Ground truth of one generated post.

    ``comments`` holds reader comments only (no pingbacks/trackbacks), in
    chronological order (time, then id), each as ``{"site_id", "parent_site_id",
    "author", "published", "text", "depth"}``.

    ``page_urls`` are ``…/comment-page-1/`` … ``…/comment-page-K/`` (no fragment);
    ``post_url`` shows the same comments as the last of them.  ``linked_page_urls``
    are the pages as the prev/next links reach them (pages 1..K-1 as
    ``comment-page-N/``, page K as the post URL).  ``rest_url_template`` has a
    ``{page}`` placeholder (per_page=100, order=asc); None when ``rest == "none"``.
    """

    post_url: str
    canonical_url: str
    post_id: int
    title: str
    author: str
    published: str
    comments: list[dict[str, Any]]
    page_urls: list[str]
    rest_url_template: str | None
    # extras
    theme: str = ""
    rest: str = ""
    modified: str = ""
    rest_root: str | None = None
    header_count: int = 0
    linked_page_urls: list[str] = field(default_factory=list)
    comment_urls: dict[int, str] = field(default_factory=dict)  # site_id -> permalink
    comments_by_page: dict[int, list[int]] = field(default_factory=dict)  # page -> site_ids
    ping_ids: list[int] = field(default_factory=list)  # pingbacks and trackbacks

    @property
    def comment_count(self) -> int:
        """Number of reader comments."""
        return len(self.comments)

    @property
    def max_depth(self) -> int:
        """Deepest nesting level among the comments."""
        return max((c["depth"] for c in self.comments), default=0)

    def rest_url(self, page: int) -> str:
        """The REST URL of result page ``page`` (per_page=100, order=asc)."""
        if self.rest_url_template is None:
            raise ValueError("this site has no REST API")
        return self.rest_url_template.format(page=page)


@dataclass
class _RestState:
    mode: str = "on"
    posts: dict[int, tuple[WPPost, list[WPComment], int]] = field(default_factory=dict)


_REST_STATE: dict[str, _RestState] = {}


# ---------------------------------------------------------------------------
# tree and times


def _make_threads(
    rng: random.Random, n_threads: int, max_depth: int, seconds: bool, text_pick: _Texts
) -> list[WPComment]:
    """Top-level comments with replies; ids are assigned later (0 for now)."""
    span = int((LAST_THREAD_START - FIRST_COMMENT).total_seconds() // 60)
    offsets = sorted([0] + [rng.randint(5, span) for _ in range(n_threads - 1)])
    chain_thread = min(1, n_threads - 1)
    roots: list[WPComment] = []
    for t, offset in enumerate(offsets):
        when = FIRST_COMMENT + timedelta(minutes=offset)
        if seconds:
            when = when.replace(second=27 if t == 0 else rng.randint(0, 59))
        root = text_pick.comment(rng, when, depth=1)
        roots.append(root)
        _grow(rng, root, max_depth, seconds, text_pick, force_chain=(t == chain_thread))
    return roots


def _grow(
    rng: random.Random,
    parent: WPComment,
    max_depth: int,
    seconds: bool,
    text_pick: _Texts,
    *,
    force_chain: bool,
) -> None:
    depth = parent.depth + 1
    if depth > max_depth:
        return
    weights = {2: [0, 0, 1, 1, 2, 3], 3: [0, 0, 0, 1, 1, 2]}.get(depth, [0, 0, 0, 0, 1])
    n = rng.choice(weights)
    if force_chain:
        n = max(n, 1)
    for i in range(n):
        room = int((LAST_COMMENT - parent.time).total_seconds() // 60)
        delta = rng.randint(1, max(1, min(180, room // (max_depth + 1))))
        when = parent.time + timedelta(minutes=delta)
        when = when.replace(second=rng.randint(0, 59) if seconds else 0)
        if when <= parent.time:
            when = parent.time + timedelta(seconds=1 if seconds else 60)
        child = text_pick.comment(rng, when, depth=depth, parent=parent)
        parent.children.append(child)
        _grow(rng, child, max_depth, seconds, text_pick, force_chain=force_chain and i == 0)
    parent.children.sort(key=lambda c: c.time)


class _Texts:
    """Hands out authors and texts from the corpus, never the same text twice."""

    def __init__(self) -> None:
        self.top = 0
        self.reply = 0
        self.count = 0
        self.author_reply_done = False

    def comment(
        self,
        rng: random.Random,
        when: datetime,
        *,
        depth: int,
        parent: WPComment | None = None,
    ) -> WPComment:
        self.count += 1
        by_author = False
        if parent is None:
            source = wpcorpus.TOP_TEXTS[self.top % len(wpcorpus.TOP_TEXTS)]
            cycle = self.top // len(wpcorpus.TOP_TEXTS)
            self.top += 1
        elif not self.author_reply_done and depth == 2:
            source, cycle, by_author = wpcorpus.AUTHOR_REPLY, 0, True
            self.author_reply_done = True
        else:
            source = wpcorpus.REPLY_TEXTS[self.reply % len(wpcorpus.REPLY_TEXTS)]
            cycle = self.reply // len(wpcorpus.REPLY_TEXTS)
            self.reply += 1
        blocks = parse_markup(source)
        if cycle:
            blocks.append(
                Block("p", [Inline("text", f"Nachtrag {cycle}.{self.count}: immer noch offline.")])
            )
        if parent is not None and not by_author and rng.random() < 0.3:
            quote = first_sentence(parent.blocks)
            if quote:
                blocks.insert(0, Block("quote", [Inline("text", quote)]))
        if by_author:
            name, url = wpcorpus.POST_AUTHOR, ""
        else:
            name, url = wpcorpus.AUTHORS[rng.randrange(len(wpcorpus.AUTHORS))]
        return WPComment(
            id=0,
            author=name,
            author_url=url,
            time=when,
            blocks=blocks,
            depth=depth,
            by_post_author=by_author,
            named_entities=self.count % 4 == 0,
            likes=rng.randint(0, 12),
            dislikes=rng.randint(0, 3),
        )


def _make_tie(roots: list[WPComment]) -> None:
    """Give one leaf reply the same minute as a comment of another thread (text-date themes)."""
    everything = [(root, c) for root in roots for c in root.walk()]
    parents = {id(child): c for _, c in everything for child in c.children}
    for root, reply in everything:
        if reply.depth < 2 or reply.children:
            continue
        parent = parents[id(reply)]
        for other_root, other in everything:
            if other_root is root or other is reply:
                continue
            if (
                parent.time < other.time < reply.time + timedelta(hours=6)
                and other.time != reply.time
            ):
                reply.time = other.time
                _sort_children(root)
                return


def _sort_children(comment: WPComment) -> None:
    comment.children.sort(key=lambda c: c.time)
    for child in comment.children:
        _sort_children(child)


def _ping(rng: random.Random, when: datetime, kind: str, index: int) -> WPComment:
    if kind == "trackback":
        title, url = wpcorpus.TRACKBACK_SOURCE
    else:
        title, url = wpcorpus.PINGBACK_SOURCES[index % len(wpcorpus.PINGBACK_SOURCES)]
    plain = title.replace("&#8211;", "–")
    return WPComment(
        id=0,
        author=plain,
        author_url=url,
        time=when,
        blocks=[Block("p", [Inline("text", "[…] Siehe auch den Bericht über die Kammern […]")])],
        kind="pingback" if kind == "pingback" else "trackback",
    )


# ---------------------------------------------------------------------------
# public entry point


def build_wordpress_site(
    site: LocalSite,
    *,
    theme: str,
    rest: str,
    n_threads: int = 12,
    max_depth: int = 4,
    threads_per_page: int = 5,
    post_id: int = 4711,
    path: str = "/2024/01/09/kammern-offline/",
    seed: int = 0,
    first_comment_id: int | None = None,
) -> ExpectedPost:
    """Register all pages of one WordPress post on ``site`` and return the ground truth.

    Several posts on one site need distinct ``first_comment_id`` values, as
    WordPress numbers comments site-wide.

    ``theme`` is one of :data:`SITE_THEMES`, ``rest`` one of :data:`REST_MODES`.
    ``max_depth`` is the deepest reply level (one thread always reaches it).
    """
    if theme not in SITE_THEMES:
        raise ValueError(f"theme must be one of {SITE_THEMES}, not {theme!r}")
    if rest not in REST_MODES:
        raise ValueError(f"rest must be one of {REST_MODES}, not {rest!r}")
    if n_threads < 1 or threads_per_page < 1 or max_depth < 1:
        raise ValueError("n_threads, threads_per_page and max_depth must be >= 1")
    if not (path.startswith("/") and path.endswith("/")):
        raise ValueError("path must start and end with '/'")

    rng = random.Random(f"{seed}:{theme}:{post_id}")
    seconds = theme in SECONDS_THEMES
    roots = _make_threads(rng, n_threads, max_depth, seconds, _Texts())
    if not seconds:
        _make_tie(roots)

    max_page = math.ceil(n_threads / threads_per_page)
    pages: list[list[WPComment]] = []
    ping_count = 0
    for p in range(max_page):
        threads = roots[p * threads_per_page : (p + 1) * threads_per_page]
        for t in threads:
            for c in t.walk():
                c.page = p + 1
        first = threads[0].time
        last = threads[-1].time if len(threads) > 1 else first + timedelta(hours=2)
        when = first + (last - first) / 2 + timedelta(minutes=7)
        when = when.replace(second=rng.randint(0, 59) if seconds else 0, microsecond=0)
        pings = [_ping(rng, when, "pingback", p)]
        if p == 0 and theme in ("html5", "default"):
            pings.append(_ping(rng, first + timedelta(minutes=41), "trackback", 0))
        for ping in pings:
            ping.page = p + 1
        ping_count += len(pings)
        pages.append(sorted(threads + pings, key=lambda c: c.time))

    # ids in order of creation time, with gaps (other posts' comments)
    every = [c for page in pages for top in page for c in top.walk()]
    next_id = first_comment_id if first_comment_id is not None else 88000 + rng.randint(0, 400)
    for c in sorted(every, key=lambda c: (c.time, c.depth)):
        next_id += rng.randint(1, 5)
        c.id = next_id
    for c in every:
        for child in c.children:
            child.parent_id = c.id

    reader = [c for c in every if c.kind == "comment"]
    post = WPPost(
        base_url=site.base_url,
        path=path,
        post_id=post_id,
        title=wpcorpus.POST_TITLE,
        author=wpcorpus.POST_AUTHOR,
        author_slug=wpcorpus.POST_AUTHOR_SLUG,
        published=POST_PUBLISHED,
        modified=POST_MODIFIED,
        body_html=wpcorpus.POST_BODY_HTML,
        excerpt=wpcorpus.POST_EXCERPT,
        rest=rest != "none",
        header_count=len(reader) + ping_count,
    )
    recent = sorted(reader, key=lambda c: (c.time, c.id))[-3:][::-1]

    page_urls: list[str] = []
    comment_urls: dict[int, str] = {}
    comments_by_page: dict[int, list[int]] = {}
    for n in range(1, max_page + 1):
        view = PageView(cpage=n, max_page=max_page, top=pages[n - 1])
        page_path = f"{path}comment-page-{n}/"
        site.add(page_path, render_page(theme, post, view, recent))
        page_urls.append(site.url(page_path))
        ids = [c.id for top in pages[n - 1] for c in top.walk() if c.kind == "comment"]
        comments_by_page[n] = ids
        for top in pages[n - 1]:
            for c in top.walk():
                if c.kind == "comment":
                    comment_urls[c.id] = comment_link(post, view, c)
    newest = PageView(cpage=max_page, max_page=max_page, top=pages[-1], default_view=True)
    site.add(path, render_page(theme, post, newest, recent))
    site.add_redirect(f"/?p={post_id}", path)
    linked = [*page_urls[:-1], post.url] if max_page > 1 else [post.url]

    _register_rest(site, rest, post, reader, max_page)

    expected_comments = [
        {
            "site_id": c.id,
            "parent_site_id": c.parent_id or None,
            "author": c.author,
            "published": c.time.isoformat(),
            "text": blocks_text(c.blocks),
            "depth": c.depth,
        }
        for c in sorted(reader, key=lambda c: (c.time, c.id))
    ]
    rest_root = site.url("/wp-json/") if rest != "none" else None
    template = None
    if rest != "none":
        template = site.url(f"{REST_PATH}?post={post_id}&per_page=100&page={{page}}&order=asc")
    return ExpectedPost(
        post_url=post.url,
        canonical_url=post.url,
        post_id=post_id,
        title=wpcorpus.POST_TITLE,
        author=wpcorpus.POST_AUTHOR,
        published=POST_PUBLISHED.isoformat(),
        comments=expected_comments,
        page_urls=page_urls,
        rest_url_template=template,
        theme=theme,
        rest=rest,
        modified=POST_MODIFIED.isoformat(),
        rest_root=rest_root,
        header_count=post.header_count,
        linked_page_urls=linked,
        comment_urls=comment_urls,
        comments_by_page=comments_by_page,
        ping_ids=[c.id for c in every if c.kind != "comment"],
    )


# ---------------------------------------------------------------------------
# REST API


def wp_json(data: Any) -> bytes:
    """``wp_json_encode()``: ASCII-only with escaped slashes, as PHP's json_encode."""
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/").encode()


def _json_headers(extra: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    headers = [
        ("Content-Type", "application/json; charset=UTF-8"),
        ("X-Robots-Tag", "noindex"),
        ("X-Content-Type-Options", "nosniff"),
        ("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link"),
        ("Allow", "GET"),
    ]
    return headers + (extra or [])


def _rest_item(site: LocalSite, post: WPPost, c: WPComment, all_ids: set[int]) -> dict[str, Any]:
    api = site.url("/wp-json/wp/v2")
    digest = hashlib.md5(c.author.lower().encode("utf-8")).hexdigest()
    avatars = {
        str(s): f"https://secure.gravatar.com/avatar/{digest}?s={s}&d=mm&r=g" for s in (24, 48, 96)
    }
    links: dict[str, Any] = {
        "self": [{"href": f"{api}/comments/{c.id}"}],
        "collection": [{"href": f"{api}/comments"}],
        "up": [{"embeddable": True, "post_type": "post", "href": f"{api}/posts/{post.post_id}"}],
    }
    if c.parent_id and c.parent_id in all_ids:
        links["in-reply-to"] = [{"embeddable": True, "href": f"{api}/comments/{c.parent_id}"}]
    if c.children:
        links["children"] = [{"href": f"{api}/comments?parent={c.id}"}]
    max_page = _REST_STATE[site.base_url].posts[post.post_id][2]
    return {
        "id": c.id,
        "post": post.post_id,
        "parent": c.parent_id,
        "author": 2 if c.by_post_author else 0,
        "author_name": c.author,
        "author_url": c.author_url,
        "date": c.time.replace(tzinfo=None).isoformat(),
        "date_gmt": c.time.astimezone(UTC).replace(tzinfo=None).isoformat(),
        "content": {"rendered": render_content(c)},
        "link": widget_comment_link(post, max_page, c),
        "status": "approved",
        "type": "comment",
        "author_avatar_urls": avatars,
        "meta": [],
        "_links": links,
    }


def _invalid_param(name: str, message: str) -> ResponseTuple:
    body = {
        "code": "rest_invalid_param",
        "message": f"Ungültiger Parameter: {name}",
        "data": {
            "status": 400,
            "params": {name: message},
            "details": {name: {"code": "rest_invalid_param", "message": message, "data": None}},
        },
    }
    return 400, _json_headers(), wp_json(body)


def _comments_handler(site: LocalSite) -> Any:
    def handle(req: RequestInfo) -> ResponseTuple:
        state = _REST_STATE[site.base_url]
        if state.mode in REST_ERRORS:
            err = REST_ERRORS[state.mode]
            return int(state.mode), _json_headers(), wp_json(err)
        try:
            per_page = int(req.param("per_page", "10") or "10")
        except ValueError:
            return _invalid_param("per_page", "per_page ist nicht vom Typ integer.")
        if not 1 <= per_page <= 100:
            return _invalid_param(
                "per_page", "per_page muss zwischen 1 (inklusive) und 100 (inklusive) liegen"
            )
        try:
            page = int(req.param("page", "1") or "1")
        except ValueError:
            return _invalid_param("page", "page ist nicht vom Typ integer.")
        if page < 1:
            return _invalid_param("page", "page muss größer oder gleich 1 sein")
        order = req.param("order", "desc") or "desc"
        if order not in ("asc", "desc"):
            return _invalid_param("order", "order ist nicht eines von asc und desc.")
        wanted: set[int] | None = None
        if req.param("post"):
            try:
                wanted = {int(x) for x in (req.param("post") or "").split(",") if x}
            except ValueError:
                return _invalid_param("post", "post[0] ist nicht vom Typ integer.")
        rows: list[tuple[WPPost, WPComment]] = []
        for pid, (post, comments, _) in state.posts.items():
            if wanted is None or pid in wanted:
                rows.extend((post, c) for c in comments)
        parent = req.param("parent")
        if parent is not None:
            rows = [(p, c) for p, c in rows if str(c.parent_id) == parent]
        rows.sort(key=lambda pc: (pc[1].time, pc[1].id), reverse=(order == "desc"))
        total = len(rows)
        total_pages = math.ceil(total / per_page) if total else 0
        if total and page > total_pages:
            body = {
                "code": "rest_comment_invalid_page_number",
                "message": "Die angeforderte Seitennummer ist größer als die Anzahl der "
                "verfügbaren Seiten.",
                "data": {"status": 400},
            }
            return 400, _json_headers(), wp_json(body)
        chunk = rows[(page - 1) * per_page : page * per_page]
        all_ids = {c.id for _, c in rows}
        items = [_rest_item(site, p, c, all_ids) for p, c in chunk]
        extra = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(total_pages))]
        params = {k: v[0] for k, v in req.params.items() if k != "page"}
        if page > 1:
            prev_q = urlencode({**params, "page": page - 1})
            extra.append(("Link", f'<{site.url(REST_PATH)}?{prev_q}>; rel="prev"'))
        if page < total_pages:
            next_q = urlencode({**params, "page": page + 1})
            extra.append(("Link", f'<{site.url(REST_PATH)}?{next_q}>; rel="next"'))
        body_bytes = wp_json(items)
        if state.mode == "invalid-json":
            body_bytes = PHP_WARNING.encode() + body_bytes[: max(20, len(body_bytes) // 2)]
        return 200, _json_headers(extra), body_bytes

    return handle


def _single_handler(site: LocalSite, post: WPPost, comment: WPComment) -> Any:
    def handle(req: RequestInfo) -> ResponseTuple:
        state = _REST_STATE[site.base_url]
        if state.mode in REST_ERRORS:
            return int(state.mode), _json_headers(), wp_json(REST_ERRORS[state.mode])
        ids = {c.id for c in state.posts[post.post_id][1]}
        return 200, _json_headers(), wp_json(_rest_item(site, post, comment, ids))

    return handle


def _register_rest(
    site: LocalSite, mode: str, post: WPPost, reader: list[WPComment], max_page: int
) -> None:
    state = _REST_STATE.setdefault(site.base_url, _RestState())
    state.mode = mode
    state.posts[post.post_id] = (post, reader, max_page)
    if mode == "none":
        return  # nothing registered: every /wp-json/ URL is a 404
    site.add_handler(REST_PATH, _comments_handler(site))
    for c in reader:
        site.add_handler(f"{REST_PATH}/{c.id}", _single_handler(site, post, c))
    if mode in REST_ERRORS:
        err = REST_ERRORS[mode]
        site.add("/wp-json/", wp_json(err), status=int(mode), headers=_json_headers())
        return
    index = {
        "name": post.site_name,
        "description": post.site_description,
        "url": site.base_url,
        "home": site.base_url,
        "gmt_offset": "1",
        "timezone_string": "Europe/Berlin",
        "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1"],
        "routes": {"/wp/v2/comments": {"namespace": "wp/v2", "methods": ["GET", "POST"]}},
    }
    site.add("/wp-json/", wp_json(index), headers=_json_headers())
    post_json = {
        "id": post.post_id,
        "date": post.published.replace(tzinfo=None).isoformat(),
        "date_gmt": post.published.astimezone(UTC).replace(tzinfo=None).isoformat(),
        "link": post.url,
        "status": "publish",
        "type": "post",
        "title": {"rendered": post.title.replace("&", "&#038;")},
        "comment_status": "open",
    }
    site.add(f"/wp-json/wp/v2/posts/{post.post_id}", wp_json(post_json), headers=_json_headers())
