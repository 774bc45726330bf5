"""heise forum parser on generated pages (tests/sites/heise.py) and hand-written edge cases."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from crawler.items import Article
from crawler.parsers import heise
from crawler.parsers.common import ParseError
from crawler.parsers.news import parse_news
from tests.sites import heise as site
from tests.sites.forumtext import BERLIN, body_text, iso, make_tree

FETCHED = "2024-01-20T12:00:00+01:00"
BASE = "https://www.heise.de"


def tree() -> list:
    return make_tree(
        random.Random(5), 4, 5, first_id=100, start=datetime(2024, 1, 9, 16, 2, tzinfo=BERLIN),
        quotes=True,
    )  # fmt: skip


def article() -> Article:
    return Article(
        id="heise.de:url:abc", url=BASE + site.ARTICLE_PATH, canonical_url=BASE + site.ARTICLE_PATH,
        source="heise.de", title="t",
    )  # fmt: skip


def test_relative_discussion_url_is_resolved_by_the_article_parser() -> None:
    page = parse_news(site.article_page(17), BASE + site.ARTICLE_PATH, FETCHED)
    assert page.discussion_url == f"{BASE}{site.FORUM_PATH}/comment/"
    assert page.comment_count_meta == 17
    assert heise.forum_url("", BASE, page.discussion_url) == page.discussion_url


def test_forum_url_falls_back_to_the_comment_button() -> None:
    html = site.article_page(3).replace('"discussionUrl"', '"noDiscussionUrl"')
    assert heise.forum_url(html, BASE + site.ARTICLE_PATH) == f"{BASE}{site.FORUM_PATH}/comment/"
    assert heise.forum_url("<html><body><p>x</p></body></html>", BASE + "/news/x.html") is None


def test_thread_list_entries_tree_pages_and_collapsed_threads() -> None:
    nodes = tree()
    roots = [n for n in nodes if n.parent is None]
    url = f"{BASE}{site.FORUM_PATH}/page-2/"
    page = heise.parse_thread_list(site.list_page(roots, 2, 3, collapse_depth=3), url)
    shown = [n for n in nodes if n.depth <= 3]
    assert [e.posting_id for e in page.entries] == [str(n.site_id) for n in shown]
    for entry, node in zip(page.entries, shown, strict=True):
        assert entry.parent_id == (str(node.parent.site_id) if node.parent else None)
        assert entry.depth == node.depth
        assert entry.author == node.author
        assert entry.subject == node.subject
        assert entry.published == iso(node.published)
        assert entry.reply_count == len(node.children)
        assert entry.url == BASE + site.posting_path(node)
    # page 1 is the forum's own URL (its "page-1" link is normalised), page 3 is "older"
    assert page.page_urls == [f"{BASE}{site.FORUM_PATH}/", f"{BASE}{site.FORUM_PATH}/page-3/"]
    collapsed = [n for n in nodes if n.depth == 3 and n.children]
    assert page.expand_urls == [(BASE + site.expand_path(n), str(n.site_id)) for n in collapsed]
    assert not page.login_wall


def test_sub_thread_page_hangs_below_its_posting() -> None:
    node = next(n for n in tree() if n.depth == 3 and n.children)
    url = BASE + site.expand_path(node)
    page = heise.parse_thread_list(site.expand_page(node), url, below=str(node.site_id))
    assert page.entries[0].posting_id == str(node.site_id)
    assert page.entries[0].parent_id is None
    child = page.entries[1]
    assert child.parent_id == str(node.site_id)
    # a sub-thread page without the posting itself: its top entries hang below it
    bare = site.expand_page(node.children[0])
    page = heise.parse_thread_list(bare, url, below=str(node.site_id))
    assert page.entries[0].parent_id == str(node.site_id)


def test_posting_page_text_quote_signature_author_time() -> None:
    node = next(n for n in tree() if n.quote and n.site_id % 3 == 0)  # quoted, signed
    url = BASE + site.posting_path(node)
    posting = heise.parse_posting(site.posting_page(node), url)
    assert posting.posting_id == str(node.site_id)
    assert posting.author == node.author
    assert posting.published == iso(node.published)
    assert posting.subject == node.subject
    assert posting.text == body_text(node)
    assert posting.text.startswith("> ")
    assert site.SIGNATURE not in posting.text
    node.paragraphs = ["Wer <script> schreibt & Co.", "Zweiter Absatz"]
    posting = heise.parse_posting(site.posting_page(node), url)
    assert posting.text.endswith("Wer <script> schreibt & Co.\n\nZweiter Absatz")


def test_login_wall_is_detected_not_parsed() -> None:
    assert heise.is_login_wall(site.LOGIN_PAGE)
    posting = heise.parse_posting(site.LOGIN_PAGE, BASE + "/forum/x/forum-1/a/posting-9/show/")
    assert posting.login_wall and posting.text == "" and posting.posting_id == "9"
    assert heise.parse_thread_list(site.LOGIN_PAGE, BASE + "/forum/x/forum-1/").login_wall


def test_comment_text_leaves_out_reply_subjects() -> None:
    assert heise.comment_text("Köln auch betroffen", "Seit Montag.") == (
        "Köln auch betroffen\n\nSeit Montag."
    )
    assert heise.comment_text("Re: Köln auch betroffen", "Seit Montag.") == "Seit Montag."
    assert heise.comment_text("Aw: x", "") == ""


def test_comment_from_list_only_and_from_posting() -> None:
    entry = heise.ListEntry(
        "7", BASE + "/forum/p/posting-7/show/", "Re: Backup vorhanden?", "hk",
        "2024-01-09T16:02:11+01:00", "3", 2,
    )  # fmt: skip
    comment = heise.to_comment(entry, None, article(), FETCHED)
    assert comment.id == "heise.de:comment:7"
    assert comment.parent_id == "heise.de:comment:3"
    assert (comment.author, comment.published, comment.text) == ("hk", entry.published, "")
    posting = heise.Posting("7", "Re: Backup vorhanden?", "hk2", "2024-01-09T16:02:12+01:00", "Ja.")
    comment = heise.to_comment(entry, posting, article(), FETCHED)
    assert (comment.author, comment.published, comment.text) == ("hk2", posting.published, "Ja.")


def test_empty_page_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        heise.parse_posting("", BASE + "/forum/p/posting-7/show/")
