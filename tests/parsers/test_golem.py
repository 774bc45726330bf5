"""golem forum parser on generated pages (tests/sites/golem.py) and hand-written edge cases."""

from __future__ import annotations

import random
from datetime import datetime

from crawler.items import Article
from crawler.parsers import golem
from tests.sites import golem as site
from tests.sites.forumtext import BERLIN, iso, make_tree, with_subject

FORUM = "https://forum.golem.de"


def tree() -> list:
    return make_tree(
        random.Random(11), 5, 5, first_id=500, start=datetime(2024, 1, 9, 13, 20, tzinfo=BERLIN)
    )


def test_forum_list_url_from_the_article_teaser() -> None:
    nodes = tree()
    html = site.article_page(len(nodes), nodes[-1])
    url = golem.forum_list_url(html, site.WWW + site.ARTICLE_PATH)
    assert url == site.FORUM + site.list_path(1)
    assert golem.forum_id_of(url) == str(site.FORUM_ID)
    teaser = (
        '<section id="comments"><div class="dh1"><a href="https://forum.golem.de/kommentare/'
        'security/odav/171069,list.html">Kommentar&uuml;bersicht</a></div>'
        '<a href="https://forum.golem.de/kommentare/security/odav/x/171069,1,2,read.html">Re</a>'
        "</section>"
    )
    assert golem.forum_list_url(f"<html><body>{teaser}</body></html>", "https://www.golem.de/") == (
        "https://forum.golem.de/kommentare/security/odav/171069,list.html"
    )
    assert golem.forum_list_url("<html><body><p>x</p></body></html>", "https://x.de/") is None


def test_forum_list_rows_and_pages() -> None:
    nodes = tree()
    roots = [n for n in nodes if n.parent is None]
    counts = {r.site_id: 0 for r in roots}
    url = FORUM + site.list_path(2)
    page = golem.parse_forum_list(site.list_page(roots[:3], 2, 3, counts), url)
    assert page.forum_id == str(site.FORUM_ID)
    assert [t.thread_id for t in page.threads] == [str(r.site_id) for r in roots[:3]]
    first = page.threads[0]
    assert first.msg_id == first.thread_id
    assert first.subject == roots[0].subject
    assert first.author == roots[0].author
    assert first.published == iso(roots[0].published)
    assert first.url == site.FORUM + site.thread_path(roots[0])
    assert page.page_urls == [site.FORUM + site.list_path(1), site.FORUM + site.list_path(3)]


def test_thread_page_depth_from_padding_and_parent_from_order() -> None:
    nodes = tree()
    root = nodes[0]
    members = [n for n in nodes if n.thread_root() is root]
    assert max(n.depth for n in members) == 5
    url = site.FORUM + site.thread_path(root)
    page = golem.parse_thread_page(site.thread_page(members), url)
    assert page.thread_id == str(root.site_id)
    assert [m.msg_id for m in page.messages] == [str(n.site_id) for n in members]
    for message, node in zip(page.messages, members, strict=True):
        assert message.depth == node.depth
        assert message.parent_id == (str(node.parent.site_id) if node.parent else None)
        assert message.author == node.author  # "Autor:" label removed
        assert message.published == iso(node.published.replace(second=0))
        assert message.text == "\n\n".join(node.paragraphs)


def test_back_up_the_tree_after_a_deep_reply() -> None:
    html = """<html><body><div id="thread-detail"><ol>
    <li data-user-id="1" style="padding-left:0px">
    <h4 id="msg-1">A</h4><div class="message-body">a</div></li>
    <li data-user-id="2" style="padding-left:20px">
    <h4 id="msg-2">Re: A</h4><div class="message-body">b</div></li>
    <li data-user-id="3" style="padding-left: 60px">
    <h4 id="msg-3">Re: A</h4><div class="message-body">c</div></li>
    <li data-user-id="4" style="padding-left:20px">
    <h4 id="msg-4">Neu</h4><div class="message-body">d</div></li>
    <li data-user-id="5"><h4 id="msg-5">Zweiter Start</h4><div class="message-body">e</div></li>
    </ol></div></body></html>"""
    page = golem.parse_thread_page(html, FORUM + "/kommentare/a/b/c/1,1,1,read.html")
    assert [(m.msg_id, m.depth, m.parent_id) for m in page.messages] == [
        ("1", 1, None), ("2", 2, "1"), ("3", 4, "2"), ("4", 2, "1"), ("5", 1, None),
    ]  # fmt: skip
    art = Article(id="golem.de:url:x", url="u", canonical_url="c", source="golem.de", title="t")
    comment = golem.message_comment(page.messages[3], FORUM + "/k/1,1,1,read.html#msg-1", art, "f")
    assert comment.id == "golem.de:comment:4"
    assert comment.parent_id == "golem.de:comment:1"
    assert comment.url == FORUM + "/k/1,1,1,read.html#msg-4"
    assert comment.text == with_subject("Neu", "d")
