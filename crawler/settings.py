"""Scrapy settings: polite by default, everything overridable (``-s KEY=VALUE``).

Pipelines are ordered with gaps so that later stages slot in between.
"""

from crawler import __version__

BOT_NAME = "kammerwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Politeness
USER_AGENT = (
    f"Kammerwatch/{__version__} (+https://github.com/kammerwatch/kammerwatch; research crawler)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# A callback yields one Thread item per document (plus a request or two); Scrapy
# starts CONCURRENT_ITEMS asyncio tasks for every response, so its default of
# 100 mostly creates idle tasks (a third of the reactor's time in the benchmark).
CONCURRENT_ITEMS = 8
# Pages are parsed in worker processes ("auto": one when there are >= 2 cores,
# 0 = inline in the reactor thread); see crawler/parsepool.py.
KW_PARSE_WORKERS = "auto"
KW_PARSE_TIMEOUT = 120  # seconds for one page in a worker; a page that takes longer is skipped
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    # Refuses non-http(s) schemes and loopback/private addresses on live crawls.
    "crawler.middlewares_safety.UrlSafetyMiddleware": 30,
    # Replays a WARC instead of the network when KW_ARCHIVE is set.
    "crawler.middlewares.ArchiveReplayMiddleware": 50,
    # Counts every failure by kind (kw/errors/<kind>).
    "crawler.middlewares_safety.ErrorCounterMiddleware": 540,
    # Scrapy's retry, plus Retry-After on 429/503 within KW_RETRY_AFTER_MAX.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares_safety.RetryAfterMiddleware": 550,
    # Re-decodes pages whose declared charset is wrong (latin-1 vs UTF-8).
    "crawler.middlewares_safety.EncodingRepairMiddleware": 560,
    # Stops non-text downloads (PDF, images) after the headers.
    "crawler.middlewares_safety.ContentTypeFilterMiddleware": 570,
    # Incremental crawls (KW_INCREMENTAL): conditional requests, unchanged pages skipped
    # unless their comment thread is due (after decompression, before WARC recording).
    "crawler.incremental.IncrementalMiddleware": 585,
    # Records every fetched response into a WARC when KW_WARC_RECORD is set (live crawls).
    "crawler.middlewares.WarcRecorderMiddleware": 580,
    # Ends redirect loops at the first repeated URL.
    "crawler.middlewares_safety.RedirectLoopMiddleware": 610,
}

SPIDER_MIDDLEWARES = {
    "crawler.middlewares_safety.SpiderErrorCounter": 60,
}

# Only http(s) is ever fetched; file:, data:, ftp: and s3: have no handler at all.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}

ITEM_PIPELINES = {
    "pipelines.dedup.DedupPipeline": 100,
    # Republished copies (agency texts, scraper sites) -> duplicates table, at close.
    "pipelines.syndication.SyndicationPipeline": 200,
    "pipelines.store.StorePipeline": 300,
    # Facts during the crawl, only with KW_NLP=True (`kammerwatch run` extracts after the crawl).
    "pipelines.nlp.pipeline.NlpPipeline": 500,
}

EXTENSIONS = {
    # JSONL/CSV exports from the store when the crawl closes (KW_EXPORT=False to skip)
    "pipelines.export.ExportExtension": 900,
}

# Kammerwatch's own settings
KW_OUT_DIR = "output"  # where the store, exports and WARCs go
KW_DB_PATH = ""  # default: <KW_OUT_DIR>/kammerwatch.db
KW_ARCHIVE = ""  # a WARC file to replay instead of the network
KW_WARC_RECORD = False  # record live responses to <KW_OUT_DIR>/warc/<time>.warc.gz
KW_EXPORT = True  # write JSONL/CSV exports when the crawl closes
KW_ALLOW_PRIVATE = False  # True only for tests on 127.0.0.1 (archive replays allow it anyway)
KW_RETRY_AFTER_MAX = 120  # seconds; a longer Retry-After gives the URL up for this run
KW_STORE_COMMIT_EVERY = 50  # documents per store transaction (always whole documents)
KW_STORE_COMMIT_SECONDS = 2.0  # ... or this long, whichever comes first
KW_RESUME = False  # set by --resume: start URLs already stored are skipped
KW_INCREMENTAL = False  # conditional requests, skip unchanged pages (on for `run --live`)
KW_NOW = ""  # ISO 8601: fake clock of the thread re-check decay (tests, benchmarks)
KW_NLP = False  # run the NLP extraction as an item pipeline during the crawl
KW_NLP_BATCH = 64  # documents per nlp.pipe batch
KW_REST_PER_PAGE = 100  # WordPress REST page size (WordPress caps it at 100)
KW_MAX_COMMENT_PAGES = 500  # safety cap per article (WordPress comment pages)
KW_FORUM_MAX_PAGES = (
    100  # forum list pages / AJAX batches per article (heise, golem, handwerksblatt)
)
KW_FORUM_MAX_POSTINGS = 1000  # per-posting/thread pages per article (heise, golem)
