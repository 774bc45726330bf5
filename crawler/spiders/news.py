"""``scrapy crawl news -a urls=U1,U2``: news article pages."""

from crawler.spiders.base import ArticleSpider


class NewsSpider(ArticleSpider):
    name = "news"
    route_default = "news"
