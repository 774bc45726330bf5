"""End to end: news pages through Scrapy's real downloader against a local
copy of the fixture pages (their absolute links rewritten to 127.0.0.1)."""

from __future__ import annotations

from pathlib import Path

from tests.crawlrun import crawl
from tests.httpserver import LocalSite

FIXTURES = Path(__file__).parent / "fixtures" / "news"
WDR = "https://www1.wdr.de"
AMP = "/nachrichten/ruhrgebiet/handwerkskammer-dortmund-notseite-100.amp"
CANONICAL = "/nachrichten/ruhrgebiet/handwerkskammer-dortmund-notseite-100.html"


def serve(site: LocalSite, path: str, fixture: str) -> None:
    html = (FIXTURES / fixture).read_text("utf-8").replace(WDR, site.base_url)
    site.add(path, html)


def test_amp_copy_is_replaced_by_its_canonical_page(local_site: LocalSite, tmp_path: Path) -> None:
    serve(local_site, AMP, "wdr-amp.html")
    serve(local_site, CANONICAL, "wdr.html")
    result = crawl(local_site.url(AMP), out=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [a["url"] for a in result.articles] == [local_site.url(CANONICAL)]
    assert result.stats["kw/news/amp_redirected"] == 1
    assert local_site.paths().count(CANONICAL) == 1


def test_amp_copy_is_read_when_the_canonical_page_is_gone(
    local_site: LocalSite, tmp_path: Path
) -> None:
    serve(local_site, AMP, "wdr-amp.html")
    result = crawl(local_site.url(AMP), out=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(result.articles) == 1
    article = result.articles[0]
    assert article["url"] == local_site.url(AMP)
    assert article["canonical_url"] == local_site.url(CANONICAL)
    assert article["title"]
    assert article["text"]


def test_news_page_is_routed_to_the_news_path(local_site: LocalSite, tmp_path: Path) -> None:
    serve(local_site, CANONICAL, "wdr.html")
    result = crawl(local_site.url(CANONICAL), out=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stats["kw/article/news"] == 1
    assert result.comments == []
    assert result.articles[0]["comment_count"] == 0
