"""Self-tests of the stored WordPress fixtures: the expected JSON must match the HTML."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

from tests.sites.reference import read_comments

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "wordpress"
NAMES = ["html5", "twentyten", "default", "twentytwelve", "kubrick"]
BERLIN = timezone(timedelta(hours=1))
ARTICLE_KEYS = {
    "id",
    "url",
    "canonical_url",
    "source",
    "title",
    "author",
    "published",
    "modified",
    "language",
    "text_starts_with",
    "text_ends_with",
    "text_must_not_contain",
}
COMMENT_KEYS = {
    "id",
    "url",
    "article_url",
    "article_id",
    "parent_id",
    "author",
    "published",
    "text",
    "depth",
}


def load(name: str) -> tuple[str, dict[str, Any]]:
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    return html, expected


def test_every_fixture_has_its_expectation() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.html")) == sorted(NAMES)
    assert sorted(p.name.split(".")[0] for p in FIXTURES.glob("*.expected.json")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_expected_json_shape_and_conventions(name: str) -> None:
    _, exp = load(name)
    assert set(exp) == {
        "url",
        "post_id",
        "rest_root",
        "header_count",
        "comment_page_urls",
        "article",
        "comments",
    }
    art = exp["article"]
    assert set(art) == ARTICLE_KEYS
    host = urlsplit(exp["url"]).hostname or ""
    assert art["source"] == re.sub(r"^www\d*\.", "", host)
    assert art["id"] == f"{art['source']}:post:{exp['post_id']}"
    assert art["language"] == "de"
    assert 6 <= len(exp["comments"]) <= 12
    ids = {c["id"] for c in exp["comments"]}
    for c in exp["comments"]:
        assert set(c) == COMMENT_KEYS
        assert re.fullmatch(rf"{re.escape(art['source'])}:comment:\d+", c["id"])
        assert c["article_url"] == art["canonical_url"]
        assert c["article_id"] == art["id"]
        assert c["parent_id"] is None or c["parent_id"] in ids
        assert datetime.fromisoformat(c["published"]).utcoffset() == timedelta(hours=1)
    if name != "kubrick":
        assert max(c["depth"] for c in exp["comments"]) >= 3


@pytest.mark.parametrize("name", NAMES)
def test_comments_match_the_html(name: str) -> None:
    html, exp = load(name)
    got = read_comments(html, name)
    source = exp["article"]["source"]
    assert len(got) == len(exp["comments"])
    for g, want in zip(got, exp["comments"], strict=True):
        assert f"{source}:comment:{g['id']}" == want["id"]
        parent = f"{source}:comment:{g['parent_id']}" if g["parent_id"] else None
        assert parent == want["parent_id"]
        assert g["author"] == want["author"]
        assert g["published"] == want["published"]
        assert g["text"] == want["text"]
        assert g["depth"] == want["depth"]
        assert urljoin(exp["url"], g["url"]) == want["url"]


@pytest.mark.parametrize("name", NAMES)
def test_page_facts_match_the_expectation(name: str) -> None:
    html, exp = load(name)
    doc = lxml.html.fromstring(html)
    art = exp["article"]
    assert doc.get("lang") == "de-DE"
    pid = exp["post_id"]
    assert f"postid-{pid}" in doc.body.get("class", "").split()
    assert doc.xpath("//input[@id='comment_post_ID']/@value") == [pid]
    assert doc.xpath(f"//*[@id='post-{pid}']")
    assert doc.xpath("string(//h1[contains(@class,'entry-title')])") == art["title"]
    api = doc.xpath("//link[@rel='https://api.w.org/']/@href")
    assert api == ([exp["rest_root"]] if exp["rest_root"] else [])
    heading = doc.xpath(
        "string(//*[@id='comments-title' or @id='comments' or contains(@class,'comments-title')])"
    )
    assert re.search(rf"\b{exp['header_count']}\b", heading)
    pings = doc.xpath("//li[contains(@class,'pingback')] | //li[cite[starts-with(.,'Pingback')]]")
    assert len(pings) == 1
    og_url = doc.xpath("//meta[@property='og:url']/@content")
    assert og_url == [art["canonical_url"]]
    published = doc.xpath("//meta[@property='article:published_time']/@content")[0]
    assert datetime.fromisoformat(published).astimezone(BERLIN).isoformat() == art["published"]
    # other comment pages are linked by the comment navigation (permalinks don't count)
    links = {
        urljoin(exp["url"], h).split("#")[0]
        for h in doc.xpath("//*[@id='comments']//a/@href | //ol[@id='commentlist']//a/@href")
        if "#comment-" not in h
    }
    others = {u for u in links if re.search(r"/comment-page-\d+/$", u) or u == art["canonical_url"]}
    others.discard(exp["url"])
    assert sorted(others) == sorted(exp["comment_page_urls"])
    # article text boundaries and traps
    content = doc.xpath("//div[contains(@class,'entry-content')]")[0].text_content()
    assert art["text_starts_with"] in content and art["text_ends_with"] in content
    page_text = doc.text_content()
    for trap in art["text_must_not_contain"]:
        assert trap in page_text, f"trap {trap!r} is not on the page, so it tests nothing"


def test_older_comment_page_has_core_canonical() -> None:
    html, exp = load("default")
    doc = lxml.html.fromstring(html)
    assert exp["url"].endswith("/comment-page-1/")
    assert doc.xpath("//link[@rel='canonical']/@href") == [exp["url"] + "#comments"]
    assert exp["article"]["canonical_url"] == exp["url"].removesuffix("comment-page-1/")
