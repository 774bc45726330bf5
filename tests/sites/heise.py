"""A heise.de article and its forum thread, in heise's markup, on a LocalSite.

``build_heise_site(site, …)`` registers, under the real paths of
``http://www.heise.de`` (tests reach them through the local server acting as
HTTP proxy):

* the article (2024 layout: JSON-LD NewsArticle with a RELATIVE
  ``discussionUrl`` ending in ``/comment/`` and a string ``commentCount``);
* ``…/forum-<id>/comment/`` → 302 to the forum ``…/forum-<id>/``;
* the list pages ``…/forum-<id>/`` and ``…/page-N/`` (``ol#tree_thread_list``
  with nested ``li.posting_element``, ``a.older.shortcut-d``, page numbers);
  postings deeper than ``collapse_depth`` are not on the list: their ancestor
  at that depth has a ``show-thread-below-posting`` link to a page listing its
  whole sub-thread;
* one page per posting ``…/<subject-slug>/posting-<id>/show/`` (``div.bbcode_v1``,
  ``span.pseudonym``, ``time.posting_timestamp``, quotes, signatures);
* failure modes: ``login_wall`` postings redirect to the "Heise Login Service"
  page, ``broken`` postings answer 500, ``broken_list_pages`` answer 500.

Returns :class:`ExpectedHeise`, the ground truth of a perfect reader.
"""

from __future__ import annotations

import html
import json
import random
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.httpserver import LocalSite, RequestInfo, ResponseTuple
from tests.sites.forumtext import BERLIN, Node, body_text, iso, make_tree, with_subject

HOST = "http://www.heise.de"
SLUG = "Cyberangriff-auf-ODAV-Handwerkskammern-seit-Tagen-offline"
ARTICLE_PATH = f"/news/{SLUG}-9591734.html"
FORUM_ID = 545120
FORUM_PATH = f"/forum/heise-online/Kommentare/{SLUG}/forum-{FORUM_ID}"
LOGIN_PATH = "/sso/login/"
TITLE = "Cyberangriff auf ODAV: Handwerkskammern seit Tagen offline"
PUBLISHED = datetime(2024, 1, 9, 15, 40, tzinfo=BERLIN)
SIGNATURE = "-- Gesendet von meinem Faxgerät"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def slugify(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe"})
    return re.sub(r"[^A-Za-z0-9]+", "-", text.translate(table)).strip("-") or "posting"


def posting_path(node: Node) -> str:
    return f"{FORUM_PATH}/{slugify(node.subject)}/posting-{node.site_id}/show/"


def list_path(number: int) -> str:
    return f"{FORUM_PATH}/" if number == 1 else f"{FORUM_PATH}/page-{number}/"


def expand_path(node: Node) -> str:
    return f"/forum/show-thread-below-posting/forum-{FORUM_ID}/posting-{node.site_id}/"


@dataclass
class ExpectedHeise:
    """Ground truth: comments as dicts (site_id, parent_site_id, author, published, text,
    list_text, depth) in chronological order; paths of every page; server-side events."""

    article_url: str
    comments: list[dict[str, Any]]
    list_paths: list[str]
    expand_paths: list[str]
    posting_paths: dict[int, str]
    login_wall: list[int]
    broken: list[int]
    broken_list_pages: list[int]
    lost: list[int] = field(default_factory=list)  # only on a broken list page
    comment_count_meta: int = 0

    def by_id(self) -> dict[int, dict[str, Any]]:
        return {c["site_id"]: c for c in self.comments}


# ---------------------------------------------------------------------------
# pages


def article_page(n_comments: int) -> str:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": TITLE,
        "datePublished": PUBLISHED.isoformat(),
        "dateModified": PUBLISHED.isoformat(),
        "author": [{"@type": "Person", "name": "Jana Wolters", "url": "/autor/jana-wolters"}],
        "commentCount": str(n_comments),
        "discussionUrl": f"{FORUM_PATH}/comment/",
        "isAccessibleForFree": True,
    }
    ld_text = json.dumps(ld, ensure_ascii=False).replace("/", "\\/")
    return f"""<!DOCTYPE html>
<html lang="de" data-consentmanagement>
<head><meta charset="utf-8">
<title>{esc(TITLE)} | heise online</title>
<link rel="canonical" href="{ARTICLE_PATH}">
<link rel="amphtml" href="/amp/meldung/{SLUG}-9591734.html">
<meta name="date" content="{PUBLISHED.isoformat()}">
<meta name="author" content="Jana Wolters">
<meta property="og:site_name" content="heise online">
<script type="application/ld+json">{ld_text}</script>
</head>
<body>
<div class="cmp" data-consentmanagement>Wir verwenden Cookies.</div>
<article id="meldung">
 <header class="a-article-header">
  <h1 class="a-article-header__title">{esc(TITLE)}</h1>
  <p class="a-article-header__lead">Nach einem Angriff auf den IT-Dienstleister ODAV sind
  Webseiten vieler Handwerkskammern nicht erreichbar.</p>
  <time class="a-datetime" datetime="{PUBLISHED.isoformat()}">15:40 Uhr</time>
  <span class="creator__name"><a href="/autor/jana-wolters">Jana Wolters</a></span>
 </header>
 <div class="article-content">
  <p>Seit Montag sind die Internetseiten zahlreicher Handwerkskammern offline. Der
  Dienstleister ODAV aus Straubing bestätigte einen Sicherheitsvorfall.</p>
  <p>Prüfungen und Kurse sollen nach Angaben der Kammern wie geplant stattfinden.</p>
 </div>
 <a class="comment-button" href="{FORUM_PATH}/comment/">Kommentare lesen ({n_comments})</a>
</article>
</body></html>"""


def _entry(node: Node, children_html: str, expand: bool) -> str:
    stamp = node.published.strftime("%Y-%m-%d %H:%M:%S")
    more = (
        f'<a class="show-thread-below" href="{expand_path(node)}">weitere Antworten anzeigen</a>'
        if expand
        else ""
    )
    rating = 40 + node.site_id % 55
    return f"""<li class="posting_element" data-thread-id="{node.thread_root().site_id}">
 <div class="tree_thread_list--row">
  <a class="posting_subject" href="{posting_path(node)}">{esc(node.subject)}</a>
  <span class="posting_count">({len(node.children)})</span>
  <span class="tree_thread_list--written_by_user">
   <a href="/forum/user/{node.site_id}/">{esc(node.author)}</a></span>
  <time data-mysql-beautify-date="{stamp}"
   title="{node.published:%d.%m.%Y %H:%M}">{node.published:%d.%m.%Y %H:%M}</time>
  <img src="/forum/img/rating.svg" alt="{rating}" title="Beitragsbewertung: {rating} %">
  {more}
 </div>{children_html}
</li>"""


def _subtree(node: Node, depth: int, collapse_depth: int) -> str:
    if not node.children:
        return _entry(node, "", False)
    if depth >= collapse_depth:
        return _entry(node, "", True)
    inner = "".join(_subtree(c, depth + 1, collapse_depth) for c in node.children)
    return _entry(node, f'\n <ul class="tree_thread_list--replies">{inner}</ul>', False)


def _frame(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>{esc(title)} | Forum - heise online</title></head>
<body><header><nav><a href="/">heise online</a> <a href="/forum/">Forum</a></nav></header>
<main>{body}</main>
<footer><a href="/impressum.html">Impressum</a></footer></body></html>"""


def list_page(roots: list[Node], number: int, pages: int, collapse_depth: int) -> str:
    items = "".join(_subtree(r, 1, collapse_depth) for r in roots)
    nav = []
    if number > 1:
        nav.append(f'<a class="newer shortcut-a" href="{list_path(number - 1)}">Neuere</a>')
    for n in range(1, pages + 1):
        href = f"{FORUM_PATH}/page-{n}/"  # heise links page 1 as page-1 too
        nav.append(f'<a class="pagination__number" href="{href}">{n}</a>')
    if number < pages:
        nav.append(f'<a class="older shortcut-d" href="{list_path(number + 1)}">Ältere</a>')
    return _frame(
        f"Kommentare zu: {TITLE}",
        f"""<h1 class="forum_title">Kommentare zu: {esc(TITLE)}</h1>
<a class="expand-all-threads" href="{FORUM_PATH}/?expand=1#">Alle Threads aufklappen</a>
<ol id="tree_thread_list" class="tree_thread_list">{items}</ol>
<nav class="pagination">{"".join(nav)}</nav>""",
    )


def expand_page(node: Node) -> str:
    return _frame(
        node.subject,
        f'<ol id="tree_thread_list" class="tree_thread_list">{_subtree(node, 1, 99)}</ol>',
    )


def posting_page(node: Node) -> str:
    quote = f"<blockquote><p>{esc(node.quote)}</p></blockquote>" if node.quote else ""
    paras = "".join(f"<p>{esc(p)}</p>" for p in node.paragraphs)
    signature = f'<div class="signature">{esc(SIGNATURE)}</div>' if node.site_id % 3 == 0 else ""
    return _frame(
        node.subject,
        f"""<article class="posting" id="posting_{node.site_id}">
<header class="posting_header">
 <h1 class="posting_subject">{esc(node.subject)}</h1>
 <div class="posting_author"><span class="pseudonym">{esc(node.author)}</span>
  <span class="posting_user_since">Mitglied seit 2009</span></div>
 <time class="posting_timestamp" datetime="{iso(node.published)}"
  title="{node.published:%d.%m.%Y %H:%M:%S}">{node.published:%d.%m.%Y %H:%M}</time>
</header>
<div class="bbcode_v1 body_format_indicator">{quote}{paras}{signature}</div>
<footer><a class="posting_reply" href="{FORUM_PATH}/reply/{node.site_id}/">Antworten</a>
 <a href="{FORUM_PATH}/">Zur Übersicht</a></footer>
</article>""",
    )


LOGIN_PAGE = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>Heise Login Service</title></head><body><h1>Heise Login Service</h1>
<form method="post" action="/sso/login/">
<input name="username"><input name="password" type="password">
<button>Anmelden</button></form></body></html>"""


# ---------------------------------------------------------------------------


def build_heise_site(
    site: LocalSite,
    *,
    n_threads: int = 8,
    threads_per_page: int = 3,
    max_depth: int = 5,
    collapse_depth: int = 3,
    login_wall: int = 1,
    broken: int = 1,
    broken_list_pages: tuple[int, ...] = (),
    seed: int = 5,
    events: list[tuple[str, str]] | None = None,
) -> ExpectedHeise:
    """Register the article, forum list pages and posting pages; return the ground truth.

    ``events`` (if given) receives ``("start"|"end", path)`` for every forum page
    served, in the order the server saw them.
    """
    rng = random.Random(seed)
    nodes = make_tree(
        rng,
        n_threads,
        max_depth,
        first_id=43_900_001,
        start=datetime(2024, 1, 9, 16, 2, tzinfo=BERLIN),
        quotes=True,
    )
    roots = [n for n in nodes if n.parent is None]
    pages = -(-len(roots) // threads_per_page)
    lock = threading.Lock()

    def serve(path: str, body: str, status: int = 200, headers: Any = None) -> None:
        def handler(_info: RequestInfo) -> ResponseTuple:
            if events is not None:
                with lock:
                    events.append(("start", path))
            answer = (status, headers, body)
            if events is not None:
                with lock:
                    events.append(("end", path))
            return answer

        site.add_handler(path, handler)

    site.add(ARTICLE_PATH, article_page(len(nodes)))
    site.add_redirect(f"{FORUM_PATH}/comment/", f"{HOST}{FORUM_PATH}/", status=302)
    site.add(LOGIN_PATH, LOGIN_PAGE, match_query=False)
    lost: list[int] = []
    for number in range(1, pages + 1):
        chunk = roots[(number - 1) * threads_per_page : number * threads_per_page]
        if number in broken_list_pages:
            serve(list_path(number), "<h1>Interner Serverfehler</h1>", status=500)
            lost += [n.site_id for n in nodes if n.thread_root() in chunk]
        else:
            serve(list_path(number), list_page(chunk, number, pages, collapse_depth))
    expand_paths = []
    for node in nodes:
        if node.depth == collapse_depth and node.children:
            expand_paths.append(expand_path(node))
            serve(expand_path(node), expand_page(node))
    candidates = [n for n in nodes if n.parent is not None and n.site_id not in lost]
    walled = [n.site_id for n in candidates[:login_wall]]
    failing = [n.site_id for n in candidates[login_wall : login_wall + broken]]
    for node in nodes:
        path = posting_path(node)
        if node.site_id in walled:
            forward = f"{HOST}{LOGIN_PATH}?forward={path}"
            serve(path, "", status=302, headers={"Location": forward})
        elif node.site_id in failing:
            serve(path, "<h1>Interner Serverfehler</h1>", status=500)
        else:
            serve(path, posting_page(node))
    comments = []
    for node in sorted(nodes, key=lambda n: n.published):
        if node.site_id in lost:
            continue
        comments.append(
            {
                "site_id": node.site_id,
                "parent_site_id": node.parent_site_id,
                "author": node.author,
                "published": iso(node.published),
                "text": with_subject(node.subject, body_text(node)),
                "list_text": with_subject(node.subject, ""),
                "depth": node.depth,
            }
        )
    return ExpectedHeise(
        article_url=HOST + ARTICLE_PATH,
        comments=comments,
        list_paths=[list_path(n) for n in range(1, pages + 1)],
        expand_paths=expand_paths,
        posting_paths={n.site_id: posting_path(n) for n in nodes},
        login_wall=walled,
        broken=failing,
        broken_list_pages=list(broken_list_pages),
        lost=lost,
        comment_count_meta=len(nodes),
    )
