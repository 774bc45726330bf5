"""News article pages → Article (JSON-LD, meta and microdata first, then the
site's selectors from the source registry, then the generic main-text
extractor).  Pure: HTML + URL in, typed result out."""

from __future__ import annotations

from crawler.parsers import common
from crawler.parsers.article import ArticlePage, extract_article
from crawler.sources import Source, source_for

# Common body containers tried after the site's own selectors.
GENERIC_BODY = (
    "[itemprop~='articleBody']",
    ".article-body",
    ".article__body",
    ".articleBody",
    ".story-body",
)


def parse_news(
    html: str, url: str, fetched_at: str, *, source: Source | None = None
) -> ArticlePage:
    root = common.parse_html(html, url)
    source = source or source_for(url)
    return extract_article(root, url, fetched_at, source, extra_body=GENERIC_BODY)
