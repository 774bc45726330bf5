"""End to end: `kammerwatch crawl` of generated WordPress sites through Scrapy's
real downloader against a local server (REST on, off, advertised but broken;
every supported theme; comments nested 4 deep over several pages)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.crawlrun import crawl
from tests.httpserver import LocalSite
from tests.sites.wordpress import ExpectedPost, build_wordpress_site

SOURCE = "127.0.0.1"


def comment_id(site_id: int | None) -> str | None:
    return None if site_id is None else f"{SOURCE}:comment:{site_id}"


def assert_thread(result_comments: list[dict], expected: ExpectedPost, *, seconds: bool) -> None:
    got = {c["id"]: c for c in result_comments}
    assert len(got) == len(result_comments), "a comment was emitted twice"
    want = {comment_id(c["site_id"]): c for c in expected.comments}
    assert set(got) == set(want)
    for cid, exp in want.items():
        c = got[cid]
        assert c["author"] == exp["author"], cid
        assert c["parent_id"] == comment_id(exp["parent_site_id"]), cid
        assert c["depth"] == exp["depth"], cid
        assert c["text"] == exp["text"], cid
        published = exp["published"] if seconds else exp["published"][:16] + ":00+01:00"
        assert c["published"] == published, cid
        assert c["article_id"] == f"{SOURCE}:post:{expected.post_id}"
    positions = [c["position"] for c in sorted(result_comments, key=lambda c: c["position"])]
    assert positions == list(range(1, len(result_comments) + 1))
    ordered = [c["id"] for c in sorted(result_comments, key=lambda c: c["position"])]
    assert ordered == [comment_id(c["site_id"]) for c in expected.comments]


def paths(site: LocalSite) -> list[str]:
    return [path for _method, path, _headers in site.requests]


@pytest.mark.parametrize(
    ("theme", "rest"),
    [
        ("html5", "none"),
        ("twentyten", "401"),
        ("default", "invalid-json"),
        ("twentytwelve", "403"),
        ("html5", "404"),
    ],
)
def test_html_comment_pages_when_rest_is_absent_or_broken(
    local_site: LocalSite, tmp_path: Path, theme: str, rest: str
) -> None:
    expected = build_wordpress_site(local_site, theme=theme, rest=rest, n_threads=12)
    assert expected.max_depth >= 4 and len(expected.page_urls) >= 3
    result = crawl(expected.post_url, out=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(result.articles) == 1
    article = result.articles[0]
    assert article["id"] == f"{SOURCE}:post:{expected.post_id}"
    assert article["title"] == expected.title
    assert article["author"] == expected.author
    assert article["published"] == expected.published
    assert article["comment_count"] == expected.comment_count
    assert_thread(result.comments, expected, seconds=theme in ("html5", "twentytwelve"))
    # every comment page fetched exactly once; the post URL shows the newest page
    fetched = paths(local_site)
    for url in expected.page_urls:
        path = urlsplit(url).path
        if url.rstrip("/") != expected.post_url.rstrip("/"):
            assert fetched.count(path) <= 1, path
    html_pages = {p for p in fetched if "comment-page-" in p}
    assert len(html_pages) == len(expected.page_urls) - 1
    if rest != "none":
        assert any(p.startswith("/wp-json/wp/v2/comments") for p in fetched)
    assert result.stats.get("kw/wordpress/rest_used") is None


def test_rest_api_reads_every_page_and_no_html_comment_pages(
    local_site: LocalSite, tmp_path: Path
) -> None:
    expected = build_wordpress_site(local_site, theme="twentyten", rest="on", n_threads=30)
    assert expected.comment_count > 10
    result = crawl(expected.post_url, out=tmp_path, settings={"KW_REST_PER_PAGE": "10"})
    assert result.returncode == 0, result.stderr
    assert result.articles[0]["comment_count"] == expected.comment_count
    assert_thread(result.comments, expected, seconds=False)
    fetched = paths(local_site)
    rest_pages = [p for p in fetched if p.startswith("/wp-json/wp/v2/comments")]
    assert len(rest_pages) == -(-expected.comment_count // 10)
    assert not [p for p in fetched if "comment-page-" in p]
    assert result.stats["kw/wordpress/rest_used"] == 1


def test_crawling_twice_adds_nothing(local_site: LocalSite, tmp_path: Path) -> None:
    expected = build_wordpress_site(local_site, theme="html5", rest="none", n_threads=8)
    first = crawl(expected.post_url, out=tmp_path)
    second = crawl(expected.post_url, out=tmp_path)
    assert first.returncode == second.returncode == 0
    assert len(second.articles) == 1
    assert len(second.comments) == expected.comment_count
    assert second.stats.get("kw/store/comment/new") is None
    assert second.stats["kw/store/comment/unchanged"] == expected.comment_count
    assert second.stats["kw/store/article/unchanged"] == 1
    # the live crawl recorded what it fetched
    assert list((tmp_path / "warc").glob("*.warc.gz"))
