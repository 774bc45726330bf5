"""The news parser on stored pages of every source, compared field by field
with the expected JSON next to each page (tests/fixtures/news/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.parsers.article import ArticlePage
from crawler.parsers.news import parse_news

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "news"
PAGES = sorted(p.stem for p in FIXTURES.glob("*.html"))
NOISE: dict[str, list[str]] = json.loads((FIXTURES / "noise.json").read_text("utf-8"))
FIELDS = ("canonical_url", "source", "title", "author", "published", "modified", "language")


def load(name: str) -> tuple[ArticlePage, dict[str, Any]]:
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))
    html = (FIXTURES / f"{name}.html").read_text("utf-8")
    return parse_news(html, expected["url"], "2024-01-20T12:00:00+01:00"), expected


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("field", FIELDS)
def test_article_field(name: str, field: str) -> None:
    page, expected = load(name)
    assert getattr(page.article, field) == expected[field]


@pytest.mark.parametrize("name", PAGES)
def test_metadata_extras(name: str) -> None:
    page, expected = load(name)
    assert page.discussion_url == expected["discussion_url"]
    assert page.comment_count_meta == expected["comment_count"]
    assert page.date_only == expected["published_date_only"]


@pytest.mark.parametrize("name", PAGES)
def test_text(name: str) -> None:
    page, expected = load(name)
    assert page.article.text == expected["text"]
    for noise in NOISE.get(name, []):
        assert noise not in page.article.text


# -- the general rules behind the fixtures, on variants of the stored pages ---


def variant(name: str, *edits: tuple[str, str]) -> ArticlePage:
    """Parse a stored page with passages replaced (each passage must occur)."""
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))
    html = (FIXTURES / f"{name}.html").read_text("utf-8")
    for old, new in edits:
        assert old in html, old
        html = html.replace(old, new)
    return parse_news(html, expected["url"], "2024-01-20T12:00:00+01:00")


WDR_PAGE_DATA = '"content_tags" : [ "WDR", "Handwerk", "Cyberangriff", "Handwerkskammer" ] }'


def test_wdr_script_publication_time_refines_date_only() -> None:
    page = variant(
        "wdr",
        (
            WDR_PAGE_DATA,
            WDR_PAGE_DATA + ', "publishData" : { "publication_time" : "2024-01-09T06:00+01:00",'
            ' "last_editorial_update" : "2024-01-09T16:48+01:00" }',
        ),
    )
    assert page.article.published == "2024-01-09T06:00:00+01:00"
    assert page.date_only is False
    assert page.provenance["published"] == "script"
    assert page.article.modified == "2024-01-09T16:48:00+01:00"


def test_date_only_refined_by_dc_date_unless_it_is_the_edit_time() -> None:
    # the stored page: DC.Date equals dateModified ("Stand") → stays date-only
    page, _ = load("wdr")
    assert (page.article.published, page.date_only) == ("2024-01-09T00:00:00+01:00", True)
    # DC.Date earlier than the edit time on the same day → it is the publication time
    page = variant(
        "wdr",
        (
            '<meta name="DC.Date" content="2024-01-09T16:48+01:00">',
            '<meta name="DC.Date" content="2024-01-09T07:15+01:00">',
        ),
    )
    assert (page.article.published, page.date_only) == ("2024-01-09T07:15:00+01:00", False)


def test_heading_time_only_from_the_article_block() -> None:
    article_time = (
        '<p class="artikel-datum"><time datetime="2024-01-08T11:30:00+01:00">08.01.2024</time></p>'
    )
    footer_time = (
        "<p>Handwerkskammer Aachen · Sandkaulbach",
        '<p><time datetime="2024-01-19T08:00:00+01:00">19.01.2024</time> Sandkaulbach',
    )
    sidebar_time = (
        "<h3>Ihr Ansprechpartner</h3>",
        '<h3>Ihr Ansprechpartner</h3><time datetime="2024-01-18T08:00:00+01:00">18.01.</time>',
    )
    # no metadata and the article's own <time> gone: a footer or sidebar date is not taken
    page = variant("hwk-aachen", (article_time, ""), footer_time, sidebar_time)
    assert page.article.published is None
    # with it, the <time> next to the <h1> wins although later ones exist
    page = variant("hwk-aachen", footer_time, sidebar_time)
    assert page.article.published == "2024-01-08T11:30:00+01:00"


def test_comment_count_with_thousands_separator() -> None:
    page = variant(
        "handwerksblatt", ("<h2><span>2</span> Kommentare</h2>", "<h2>1.234 Kommentare</h2>")
    )
    assert page.comment_count_meta == 1234


def test_jsonld_discussion_url_wins_over_the_page_link() -> None:
    page = variant(
        "heise-2024",
        ('href="/forum/heise-online/Kommentare/Cyber', 'href="/forum/other/Kommentare/Cyber'),
    )
    assert page.discussion_url == (
        "https://www.heise.de/forum/heise-online/Kommentare/"
        "Cyberangriff-auf-ODAV-Websites-vieler-Handwerkskammern-offline/forum-541230/comment/"
    )
