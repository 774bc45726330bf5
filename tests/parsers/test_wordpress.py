"""The WordPress parser on stored pages, compared field by field with the
expected JSON next to each page (tests/fixtures/wordpress/README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.parsers.wordpress import finalize_thread, parse_post

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "wordpress"
PAGES = sorted(p.stem for p in FIXTURES.glob("*.html"))
ARTICLE_FIELDS = (
    "id",
    "url",
    "canonical_url",
    "source",
    "title",
    "author",
    "published",
    "modified",
    "language",
)
COMMENT_FIELDS = (
    "id",
    "url",
    "article_url",
    "article_id",
    "parent_id",
    "author",
    "published",
    "text",
    "depth",
)


def load(name: str) -> tuple[Any, dict[str, Any]]:
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))
    html = (FIXTURES / f"{name}.html").read_text("utf-8")
    return parse_post(html, expected["url"], "2024-01-20T12:00:00+01:00"), expected


@pytest.mark.parametrize("name", PAGES)
def test_page_level_fields(name: str) -> None:
    page, expected = load(name)
    assert page.post_id == expected["post_id"]
    assert page.rest_root == expected["rest_root"]
    assert page.header_count == expected["header_count"]
    assert page.comment_page_urls == expected["comment_page_urls"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("field", ARTICLE_FIELDS)
def test_article_field(name: str, field: str) -> None:
    page, expected = load(name)
    assert getattr(page.article, field) == expected["article"][field]


@pytest.mark.parametrize("name", PAGES)
def test_article_text(name: str) -> None:
    page, expected = load(name)
    text = page.article.text
    assert text.startswith(expected["article"]["text_starts_with"])
    assert text.endswith(expected["article"]["text_ends_with"])
    for noise in expected["article"]["text_must_not_contain"]:
        assert noise not in text


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("field", COMMENT_FIELDS)
def test_comment_field(name: str, field: str) -> None:
    page, expected = load(name)
    got = [getattr(c, field) for c in page.comments]
    want = [c[field] for c in expected["comments"]]
    assert got == want


@pytest.mark.parametrize("name", PAGES)
def test_thread_positions_are_chronological(name: str) -> None:
    page, _ = load(name)
    ordered = finalize_thread(page.comments)
    assert [c.position for c in ordered] == list(range(1, len(ordered) + 1))
    stamps = [c.published for c in ordered]
    assert stamps == sorted(stamps)
