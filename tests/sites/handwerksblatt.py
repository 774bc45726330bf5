"""A handwerksblatt.de article whose comments arrive by AJAX, on a LocalSite.

``build_handwerksblatt_site(site, …)`` registers (real paths of
``http://www.handwerksblatt.de``, reached through the local server acting as
HTTP proxy):

* the article (microdata NewsArticle, naive ``content`` date, entity-encoded
  CRLF body) with the empty ``section.comments`` shell: header count,
  ``input[name=object_id]`` and, with ``button=True``,
  ``#loadMoreComments[data-current=0][data-last=<batches>]``;
* ``/loadMoreComments/<object_id>/<offset>/5/true/article``: batches of 5,
  newest first; answers quote the comment they reply to; the batch after the
  last answers an empty body; ``broken_batches`` answer 500.

Returns :class:`ExpectedHandwerksblatt`.
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tests.httpserver import LocalSite
from tests.sites.forumtext import AUTHORS, BERLIN, Node, iso, make_tree

HOST = "http://www.handwerksblatt.de"
ARTICLE_PATH = "/betriebsfuehrung/it-sicherheit/cyberangriff-auf-odav-kammern-ohne-internetseite"
OBJECT_ID = 31877
LIMIT = 5
TITLE = "Cyberangriff auf ODAV: Kammern ohne Internetseite"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def batch_path(batch: int, object_id: int = OBJECT_ID) -> str:
    return f"/loadMoreComments/{object_id}/{batch * LIMIT}/{LIMIT}/true/article"


@dataclass
class ExpectedHandwerksblatt:
    """Ground truth: comments as dicts (site_id, parent_site_id, author, published, text,
    depth) in chronological order; the batch paths in the order the page asks for them."""

    article_url: str
    comments: list[dict[str, Any]]
    batch_paths: list[str]
    end_path: str  # the first batch beyond the last (answers empty)
    broken_batches: list[int]
    total: int  # comments on the site, the header count


def article_page(count: int, batches: int, button: bool) -> str:
    more = (
        f'<button id="loadMoreComments" class="btn" data-current="0" data-last="{batches}">'
        "Weitere Kommentare laden</button>"
        if button
        else ""
    )
    body = (
        "<p>Der IT-Dienstleister ODAV aus Straubing ist Opfer eines Cyberangriffs geworden. "
        "Die Internetseiten vieler Handwerkskammern sind seither nicht erreichbar.</p>\r\n"
        "<p>Pr&uuml;fungen und Lehrg&auml;nge finden nach Angaben der Kammern statt.</p>\r\n"
    )
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{esc(TITLE)} | handwerksblatt.de</title>
<link rel="canonical" href="{HOST}{ARTICLE_PATH}">
<script type="text/plain" data-cookieconsent="marketing">var x = 1;</script>
</head><body>
<article itemscope itemtype="http://schema.org/NewsArticle">
 <h1 itemprop="name headline">{esc(TITLE)}</h1>
 <p class="date" itemprop="datePublished" content="2024-01-10 14:20:00">Januar 2024</p>
 <div class="article_autor">Von <span itemprop="author">Karin Birk</span></div>
 <div itemprop="articleBody">{body}</div>
</article>
<div class="col-12">
<section class="comments" id="comments" style="display: none">
 <h2><span>{count}</span> Kommentare</h2>
 <div id="comments-container"> </div>
 {more}
 <h3 id="write">Kommentar schreiben</h3>
 <form action="{HOST}{ARTICLE_PATH}" class="default write-comment" method="post">
  <input name="object_id" type="hidden" value="{OBJECT_ID}">
  <input id="quote_id" name="quote_id" type="hidden">
  <input placeholder="Name" required="required" name="name" type="text">
  <textarea placeholder="Ihr Kommentar" id="comment" name="comment"></textarea>
 </form>
</section></div>
<script>
 function loadMoreComments(button) {{
   const last = button.data('last'), limit = 5;
   let current = button.data('current'), offset = current * limit;
   $.ajax({{url: "/loadMoreComments/{OBJECT_ID}/" + offset + '/' + limit + '/true/' + 'article'}});
 }}
</script>
</body></html>"""


def comment_html(node: Node) -> str:
    quote = ""
    if node.parent is not None:
        parent = node.parent
        quote = (
            f'<div class="comment-quote"><a href="#comment_{parent.site_id}">'
            f"<strong>{esc(parent.author)}</strong> schrieb:</a>"
            f"<p>{esc(parent.paragraphs[0])}</p></div>"
        )
    paras = "".join(f"<p>{esc(p)}</p>" for p in node.paragraphs)
    return f"""<div class="user-comment ajax-comments" id="comment_{node.site_id}"
 data-id="{node.site_id}" style="display: none">
 <div class="comment-header">
  <span class="user-name"><strong>{esc(node.author)}</strong></span>
  <time class="comment-time"
   datetime="{node.published:%Y-%m-%d %H:%M:%S}">{node.published:%d.%m.%Y}</time>
  <a class="answer-comments" href="#write"><i class="fal fa-reply"></i> Antworten</a>
 </div>
 {quote}
 <div class="comment-text">{paras}</div>
</div>
"""


def build_handwerksblatt_site(
    site: LocalSite,
    *,
    n_threads: int = 6,
    max_depth: int = 3,
    button: bool = True,
    broken_batches: tuple[int, ...] = (),
    seed: int = 3,
) -> ExpectedHandwerksblatt:
    """Register the article and every batch; return the ground truth."""
    rng = random.Random(seed)
    nodes = make_tree(
        rng,
        n_threads,
        max_depth,
        first_id=48_210,
        start=datetime(2024, 1, 10, 15, 3, tzinfo=BERLIN),
    )
    for node in nodes:  # real names rather than pseudonyms here
        node.author = AUTHORS[node.site_id % len(AUTHORS)].replace("_", " ")
    newest_first = sorted(nodes, key=lambda n: n.published, reverse=True)
    batches = -(-len(nodes) // LIMIT)
    site.add(ARTICLE_PATH, article_page(len(nodes), batches, button))
    paths = []
    for batch in range(batches):
        chunk = newest_first[batch * LIMIT : (batch + 1) * LIMIT]
        paths.append(batch_path(batch))
        if batch in broken_batches:
            site.add(batch_path(batch), "Whoops, looks like something went wrong.", status=500)
        else:
            site.add(batch_path(batch), "".join(comment_html(n) for n in chunk))
    site.add(batch_path(batches), "")
    lost = {n.site_id for b in broken_batches for n in newest_first[b * LIMIT : (b + 1) * LIMIT]}
    comments = [
        {
            "site_id": n.site_id,
            "parent_site_id": n.parent_site_id,
            "author": n.author,
            "published": iso(n.published),
            "text": "\n\n".join(n.paragraphs),
            "depth": n.depth,
        }
        for n in sorted(nodes, key=lambda n: n.published)
        if n.site_id not in lost
    ]
    return ExpectedHandwerksblatt(
        article_url=HOST + ARTICLE_PATH,
        comments=comments,
        batch_paths=paths,
        end_path=batch_path(batches),
        broken_batches=list(broken_batches),
        total=len(nodes),
    )
