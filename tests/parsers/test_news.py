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
