"""A golem.de article and its forum.golem.de thread, in golem's markup, on a LocalSite.

``build_golem_site(site, …)`` registers (real paths; tests reach
``http://www.golem.de`` and ``http://forum.golem.de`` through the local server
acting as HTTP proxy):

* the article (golem-1 layout: JSON-LD time labelled "Z", ``time.authors__pubdate``,
  the ``section#comments`` teaser with its "Kommentarübersicht" link);
* the forum list ``…/<forumId>,list.html`` and ``…/<forumId>,list,N.html``
  (``table.table-listthread``, ``ol.list-pages``);
* one page per thread ``…/<thread-slug>/<forumId>,<threadId>,<threadId>,read.html``
  (``div#thread-detail > ol > li[data-user-id]``, depth as ``padding-left``
  20px per level, ``h4#msg-<id>``, ``div.message-body``);
* ``broken_threads`` thread pages answer 500.

Returns :class:`ExpectedGolem`, the ground truth of a perfect reader.
"""

from __future__ import annotations

import html
import json
import random
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tests.httpserver import LocalSite, RequestInfo, ResponseTuple
from tests.sites.forumtext import BERLIN, Node, iso, make_tree, with_subject

WWW = "http://www.golem.de"
FORUM = "http://forum.golem.de"
ARTICLE_PATH = "/news/odav-cyberangriff-auf-it-dienstleister-fuer-handwerkskammern-2401-180911.html"
FORUM_ID = 168420
FORUM_DIR = "/kommentare/security/odav-cyberangriff-auf-it-dienstleister-fuer-handwerkskammern"
TITLE_KICKER = "ODAV"
TITLE = "Cyberangriff legt Webseiten der Handwerkskammern lahm"
PUBLISHED = datetime(2024, 1, 9, 13, 5, 44, tzinfo=BERLIN)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def slugify(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-") or "thema"


def list_path(number: int) -> str:
    return (
        f"{FORUM_DIR}/{FORUM_ID},list.html"
        if number == 1
        else (f"{FORUM_DIR}/{FORUM_ID},list,{number}.html")
    )


def thread_path(root: Node) -> str:
    return f"{FORUM_DIR}/{slugify(root.subject)}/{FORUM_ID},{root.site_id},{root.site_id},read.html"


@dataclass
class ExpectedGolem:
    """Ground truth: comments as dicts (site_id, parent_site_id, author, published, text,
    list_text, depth) in chronological order; paths of every page."""

    article_url: str
    comments: list[dict[str, Any]]
    list_paths: list[str]
    thread_paths: dict[int, str]  # thread id -> path
    broken_threads: list[int]


def article_page(n_comments: int, latest: Node) -> str:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": f"{TITLE_KICKER}: {TITLE}",
        # golem's trap: local time labelled UTC
        "datePublished": PUBLISHED.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "author": [{"@type": "Person", "name": "Moritz Tremmel"}],
    }
    thread = thread_path(latest.thread_root())
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>{esc(TITLE_KICKER)}: {esc(TITLE)} - Golem.de</title>
<link rel="canonical" href="{WWW}{ARTICLE_PATH}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head><body>
<article>
<header><h1><span class="head1">{esc(TITLE_KICKER)}</span>
 <span class="head5">{esc(TITLE)}</span></h1>
<hgroup><p>Der IT-Dienstleister ODAV wurde angegriffen, viele Kammern sind offline.</p></hgroup>
<span class="authors__name">
 <a rel="author" href="/specials/autor-tremmel/">Moritz Tremmel</a></span>
<time class="authors__pubdate" datetime="{PUBLISHED.isoformat()}">9. Januar 2024, 13:05 Uhr</time>
</header>
<div class="formatted">
<p id="gpar1">Die Webseiten zahlreicher Handwerkskammern sind seit Montag nicht erreichbar.</p>
<p id="gpar2">Betroffen ist der Dienstleister ODAV in Straubing, der die Systeme vom Netz nahm.</p>
</div>
</article>
<div id="cmts" class="stickymark"></div>
<section id="comments">
    <div class="dh1"><a href="{FORUM}{list_path(1)}">Kommentar&uuml;bersicht</a></div>
    <div class="dlifc"><div class="dh2">
    <a rel="nofollow" href="{FORUM}{thread}"
     id="ltlart{latest.site_id}">{esc(latest.subject)}</a></div>
    <div class="dh3"><strong>{esc(latest.author)}</strong>&nbsp;{latest.published:%H:%M}</div>
    <p style="overflow:hidden;">{esc(latest.paragraphs[0][:60])}...</p></div>
    <p class="meta">
    <a href="{FORUM}/posting.php?{FORUM_ID}" class="rlink" rel="nofollow">Kommentieren</a>
    ({n_comments})</p>
</section><!-- #comments -->
</body></html>"""


def _frame(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{esc(title)} - Golem.de Forum</title></head>
<body><div id="forum-nav"><a href="{FORUM}/">Forum</a></div>{body}
<div id="footer"><a href="{WWW}/impressum.html">Impressum</a></div></body></html>"""


def _pager(number: int, pages: int, path_of: Any) -> str:
    items = []
    for n in range(1, pages + 1):
        if n == number:
            items.append(f'<li class="active"><span>{n}</span></li>')
        else:
            items.append(f'<li><a href="{FORUM}{path_of(n)}">{n}</a></li>')
    return f'<ol class="list-pages">{"".join(items)}</ol>'


def list_page(roots: list[Node], number: int, pages: int, counts: dict[int, int]) -> str:
    rows = []
    for root in roots:
        rows.append(
            f"""<tr><td class="subject">
<a href="{FORUM}{thread_path(root)}">{esc(root.subject)}</a></td>
<td class="author"><a href="{FORUM}/profil/{root.site_id}/">{esc(root.author)}</a></td>
<td class="replies">{counts[root.site_id]}</td>
<td class="date">
<time datetime="{iso(root.published)}">{root.published:%d.%m.%y - %H:%M}</time></td></tr>"""
        )
    return _frame(
        "Kommentare",
        f"""<h1>Kommentare zu: {esc(TITLE)}</h1>
{_pager(number, pages, list_path)}
<table class="table-listthread"><thead><tr><th>Thema</th><th>Autor</th><th>Antworten</th>
<th>Datum</th></tr></thead><tbody>{"".join(rows)}</tbody></table>
{_pager(number, pages, list_path)}""",
    )


def thread_page(members: list[Node]) -> str:
    items = []
    for node in members:
        items.append(
            f"""<li data-user-id="{1000 + node.site_id % 977}"
 style="padding-left:{20 * (node.depth - 1)}px">
 <h4 id="msg-{node.site_id}"><a href="#msg-{node.site_id}">{esc(node.subject)}</a></h4>
 <div class="message-meta"><span class="message-author">Autor:
  <a href="{FORUM}/profil/{node.site_id}/">{esc(node.author)}</a></span>
  <span class="message-date">{node.published:%d.%m.%y - %H:%M}</span></div>
 <div class="message-body">{"".join(f"<p>{esc(p)}</p>" for p in node.paragraphs)}</div>
 <div class="message-actions">
  <a href="{FORUM}/posting.php?{FORUM_ID},{node.site_id}">Antworten</a></div>
</li>"""
        )
    root = members[0]
    return _frame(
        root.subject,
        f"""<h1>{esc(root.subject)}</h1>
<div id="thread-detail"><ol>{"".join(items)}</ol></div>
<a href="{FORUM}{list_path(1)}">Zur Kommentarübersicht</a>""",
    )


def build_golem_site(
    site: LocalSite,
    *,
    n_threads: int = 7,
    threads_per_page: int = 3,
    max_depth: int = 5,
    broken_threads: int = 1,
    seed: int = 11,
    events: list[tuple[str, str]] | None = None,
) -> ExpectedGolem:
    """Register article, list pages and thread pages; return the ground truth."""
    rng = random.Random(seed)
    nodes = make_tree(
        rng,
        n_threads,
        max_depth,
        first_id=6_521_873,
        start=datetime(2024, 1, 9, 13, 20, tzinfo=BERLIN),
    )
    roots = [n for n in nodes if n.parent is None]
    pages = -(-len(roots) // threads_per_page)
    counts = {r.site_id: sum(1 for n in nodes if n.thread_root() is r) - 1 for r in roots}
    lock = threading.Lock()

    def serve(path: str, body: str, status: int = 200) -> None:
        def handler(_info: RequestInfo) -> ResponseTuple:
            if events is not None:
                with lock:
                    events.append(("start", path))
                    events.append(("end", path))
            return status, None, body

        site.add_handler(path, handler)

    latest = max(nodes, key=lambda n: n.published)
    site.add(ARTICLE_PATH, article_page(len(nodes), latest))
    for number in range(1, pages + 1):
        chunk = roots[(number - 1) * threads_per_page : number * threads_per_page]
        serve(list_path(number), list_page(chunk, number, pages, counts))
    broken = [r.site_id for r in roots[1 : 1 + broken_threads]]
    for root in roots:
        members = [n for n in nodes if n.thread_root() is root]
        if root.site_id in broken:
            serve(thread_path(root), "<h1>Fehler 500</h1>", status=500)
        else:
            serve(thread_path(root), thread_page(members))
    comments = []
    for node in sorted(nodes, key=lambda n: n.published):
        root = node.thread_root()
        if root.site_id in broken and node is not root:
            continue  # only the list row of a broken thread is known
        full = with_subject(node.subject, "\n\n".join(node.paragraphs))
        published = iso(node.published.replace(second=0))  # the forum prints minutes
        if root.site_id in broken:
            published = iso(node.published)  # the list's <time datetime> has seconds
        comments.append(
            {
                "site_id": node.site_id,
                "parent_site_id": node.parent_site_id,
                "author": node.author,
                "published": published,
                "text": with_subject(node.subject, "") if root.site_id in broken else full,
                "depth": node.depth,
            }
        )
    return ExpectedGolem(
        article_url=WWW + ARTICLE_PATH,
        comments=comments,
        list_paths=[list_path(n) for n in range(1, pages + 1)],
        thread_paths={r.site_id: thread_path(r) for r in roots},
        broken_threads=broken,
    )
