"""handwerksblatt AJAX comment parser on generated pages (tests/sites/handwerksblatt.py)."""

from __future__ import annotations

import random
from datetime import datetime

from crawler.items import Article
from crawler.parsers import handwerksblatt as hwb
from tests.sites import handwerksblatt as site
from tests.sites.forumtext import BERLIN, iso, make_tree

BASE = "https://www.handwerksblatt.de" + site.ARTICLE_PATH


def test_shell_object_id_header_count_and_paging() -> None:
    shell = hwb.parse_shell(site.article_page(13, 3, button=True), BASE)
    assert (shell.object_id, shell.header_count, shell.current, shell.last) == (
        str(site.OBJECT_ID), 13, 0, 3,
    )  # fmt: skip
    shell = hwb.parse_shell(site.article_page(2, 1, button=False), BASE)
    assert (shell.object_id, shell.header_count, shell.last) == (str(site.OBJECT_ID), 2, None)
    assert hwb.parse_shell("<html><body><p>x</p></body></html>", BASE).object_id is None
    assert hwb.fragment_url(BASE, "21392", 2) == (
        "https://www.handwerksblatt.de/loadMoreComments/21392/10/5/true/article"
    )


def test_fragment_items_quotes_are_parents_not_text() -> None:
    nodes = make_tree(
        random.Random(3), 3, 3, first_id=10, start=datetime(2024, 1, 10, 15, 3, tzinfo=BERLIN)
    )
    html = "".join(site.comment_html(n) for n in nodes)
    fragment = hwb.parse_fragment(html, BASE)
    assert [i.site_id for i in fragment.items] == [str(n.site_id) for n in nodes]
    for item, node in zip(fragment.items, nodes, strict=True):
        assert item.author == node.author
        assert item.published == iso(node.published)  # naive "Y-m-d H:M:S" read as Berlin
        assert item.published.endswith("+01:00")
        assert item.quote_id == (str(node.parent.site_id) if node.parent else None)
        assert item.text == "\n\n".join(node.paragraphs)
        assert "schrieb:" not in item.text and "Antworten" not in item.text
    art = Article(
        id="handwerksblatt.de:url:x", url=BASE, canonical_url=BASE, source="handwerksblatt.de",
        title="t",
    )  # fmt: skip
    reply = next(i for i in fragment.items if i.quote_id)
    comment = hwb.to_comment(reply, art, "f")
    assert comment.parent_id == f"handwerksblatt.de:comment:{reply.quote_id}"
    assert comment.url == f"{BASE}#comment_{reply.site_id}"


def test_empty_answer_and_item_without_text_wrapper() -> None:
    assert hwb.parse_fragment("", BASE).items == []
    assert hwb.parse_fragment("  \n", BASE).items == []
    html = """<div class="user-comment" data-id="77">
    <span class="user-name"><strong>Eva</strong></span>
    <time class="comment-time" title="12.01.2024 09:30">vor 2 Tagen</time>
    <a class="answer-comments">Antworten</a>
    <blockquote class="quote" data-quote-id="70"><p>alt</p></blockquote>
    <p>Bei uns in Trier ging alles.</p></div>
    <button id="loadMoreComments" data-current="1" data-last="4"></button>"""
    fragment = hwb.parse_fragment(html, BASE)
    assert fragment.last == 4
    [item] = fragment.items
    assert (item.site_id, item.author, item.quote_id) == ("77", "Eva", "70")
    assert item.published == "2024-01-12T09:30:00+01:00"
    assert item.text == "Bei uns in Trier ging alles."
