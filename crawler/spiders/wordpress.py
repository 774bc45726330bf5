"""``scrapy crawl wordpress -a urls=U1,U2``: WordPress posts with every comment."""

from crawler.spiders.base import ArticleSpider


class WordpressSpider(ArticleSpider):
    name = "wordpress"
    route_default = "wordpress"
