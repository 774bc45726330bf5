"""A crawl against a misbehaving local web site finishes, retries what is
retryable, counts every failure by kind (Scrapy stats = the run report in
``output/runs/*.json``) and keeps every good item.

Three real crawls (``kammerwatch crawl`` in a subprocess, see
:mod:`tests.crawlrun`) share one misbehaving server each; the unit tests at
the end pin the building blocks of :mod:`crawler.middlewares_safety`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadFailedError,
    IgnoreRequest,
)
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler.middlewares_safety import (
    ERROR_KINDS,
    RedirectLoop,
    check_encoding,
    error_kind,
    is_text_type,
    retry_after_seconds,
)
from tests.crawlrun import REPO, CrawlResult, crawl, read_jsonl
from tests.sites.misbehaving import (
    UMLAUT_SENTENCE,
    MisbehavingSite,
    closed_port,
    news_page,
    safety_settings,
    serve_misbehaving,
)
from tests.sites.wordpress import ExpectedPost, build_wordpress_site

MB = 1024 * 1024
TransientRun = tuple[MisbehavingSite, CrawlResult]
ContentRun = tuple[MisbehavingSite, CrawlResult, ExpectedPost]


def by_path(result: CrawlResult) -> dict[str, dict]:
    """Articles keyed by URL path."""
    return {"/" + a["url"].split("/", 3)[3]: a for a in result.articles}


def errors(result: CrawlResult) -> dict[str, int]:
    """The ``kw/errors/<kind>`` counts of the run report."""
    return {k[10:]: v for k, v in result.stats.items() if k.startswith("kw/errors/")}


# -- crawl 1: transient faults, retried -----------------------------------------------------
@pytest.fixture(scope="module")
def transient(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TransientRun]:
    server = serve_misbehaving()
    site = server.site
    try:
        site.add("/gut/", news_page("Kammer informiert"))
        site.add_flaky("/erholt/", news_page("Nach Fehler 503 erreichbar"), failures=1)
        site.add_flaky(
            "/zu-viele/",
            news_page("Nach 429 erreichbar"),
            failures=1,
            status=429,
            headers={"Retry-After": "1"},
        )
        site.add_flaky(
            "/zu-lange/",
            news_page("Wartezeit zu lang"),
            failures=5,
            status=429,
            headers={"Retry-After": "3600"},
        )
        site.add_flaky("/dauerhaft-kaputt/", news_page("Nie erreichbar"), failures=9, status=500)
        site.add("/fehlt/", "<html><body>nicht da</body></html>", status=404)
        page = news_page("Abgebrochen").encode()
        site.add_reset("/reset/", page, after=80)
        site.add_truncated("/gekuerzt/", page[:300], declared=len(page) + 4000)
        urls = [site.url(p) for p in ("/gut/", "/erholt/", "/zu-viele/", "/zu-lange/")]
        urls += [site.url(p) for p in ("/dauerhaft-kaputt/", "/fehlt/", "/reset/", "/gekuerzt/")]
        urls.append(f"http://127.0.0.1:{closed_port()}/verweigert/")
        out = tmp_path_factory.mktemp("transient")
        result = crawl(*urls, out=out, settings=safety_settings(RETRY_TIMES="1"))
        yield site, result
    finally:
        server.stop()


def test_transient_crawl_finishes_and_keeps_good_items(
    transient: TransientRun,
) -> None:
    _site, result = transient
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stats["finish_reason"] == "finished"
    assert sorted(by_path(result)) == ["/erholt/", "/gut/", "/zu-viele/"]
    for article in result.articles:
        assert UMLAUT_SENTENCE in article["text"]
        assert article["author"] == "Jörg Müller"


def test_retryable_faults_are_retried_once(transient: TransientRun) -> None:
    site, result = transient
    # RETRY_TIMES=1: every retryable fault is tried twice, the rest once
    assert site.hits("/erholt/") == 2
    assert site.hits("/zu-viele/") == 2
    assert site.hits("/dauerhaft-kaputt/") == 2
    assert site.hits("/reset/") == 2
    assert site.hits("/gekuerzt/") == 2
    assert site.hits("/fehlt/") == 1  # 404: not retryable
    assert site.hits("/zu-lange/") == 1  # Retry-After over the cap: given up at once
    retried = {k[11:]: v for k, v in result.stats.items() if k.startswith("kw/retried/")}
    assert retried == {
        "http_503": 1,
        "http_429": 1,
        "http_500": 1,
        "connection_reset": 1,
        "truncated": 1,
        "connection_refused": 1,
    }


def test_retry_after_is_honoured(transient: TransientRun) -> None:
    site, result = transient
    first, second = site.hit_times["/zu-viele/"]
    assert second - first >= 0.95  # Retry-After: 1
    assert result.stats["kw/retry_after/waited"] == 1
    assert result.stats["kw/retry_after/over_cap"] == 1


def test_final_failures_are_counted_by_kind(transient: TransientRun) -> None:
    _site, result = transient
    kinds = {k: v for k, v in errors(result).items() if k in ERROR_KINDS}
    assert kinds == {
        "http_4xx": 2,  # 404 and the 429 over the cap
        "http_5xx": 1,
        "connection_reset": 1,
        "truncated": 1,
        "connection_refused": 1,
    }
    assert "connection_refused=1" in result.stdout  # the printed summary


def test_run_report_errors_use_only_the_kind_vocabulary(
    transient: TransientRun,
) -> None:
    _site, result = transient
    assert set(errors(result)) <= set(ERROR_KINDS)


# -- crawl 2: timeouts ----------------------------------------------------------------------
def test_timeout_is_retried_then_counted(tmp_path: Path) -> None:
    server = serve_misbehaving()
    site = server.site
    try:
        site.add("/schnell/", news_page("Schnelle Seite"))
        site.add_slow("/langsam/", news_page("Langsame Seite"), delay=2.5)
        result = crawl(
            site.url("/schnell/"),
            site.url("/langsam/"),
            out=tmp_path,
            settings=safety_settings(DOWNLOAD_TIMEOUT="1", RETRY_TIMES="1"),
        )
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(by_path(result)) == ["/schnell/"]
    assert site.hits("/langsam/") == 2
    assert result.stats["kw/retried/timeout"] >= 1
    assert result.stats["kw/errors/timeout"] == 1


# -- crawl 3: content faults ----------------------------------------------------------------
MALFORMED = (
    '<html lang="de"><head><title>Kaputtes HTML</title><body><article><h1>Kaputtes HTML'
    f"<p>{UMLAUT_SENTENCE}<p>Noch ein <b><i>Absatz</b> ohne Ende: {UMLAUT_SENTENCE}"
    "<div><div><table><tr><td>Zelle</article></span></html></html>"
    + "<div>" * 3000
    + "\x00\x01 kaputte Bytes"
)


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContentRun]:
    server = serve_misbehaving()
    site = server.site
    try:
        site.add("/robots.txt", "User-agent: *\nDisallow: /intern/\n", content_type="text/plain")
        site.add("/intern/geheim/", news_page("Verboten"))
        latin = news_page("Latin-1 als UTF-8", charset_meta=None).encode("latin-1")
        site.add("/latin1-als-utf8/", latin, content_type="text/html; charset=utf-8")
        utf8 = news_page("UTF-8 als Latin-1", charset_meta="iso-8859-1").encode("utf-8")
        site.add("/utf8-als-latin1/", utf8, content_type="text/html; charset=iso-8859-1")
        site.add("/ohne-charset/", latin, content_type="text/html")
        mixed = news_page("Gemischt", charset_meta=None).encode("utf-8")
        mixed = mixed.replace(b"</article>", "<p>Größe</p></article>".encode("latin-1"))
        site.add("/gemischt/", mixed, content_type="text/html; charset=utf-8")
        pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"
        site.add("/bericht.pdf", pdf, content_type="application/pdf")
        site.add("/bild.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", content_type="image/png")
        site.add_huge("/riesig/", 20 * MB)
        site.add_huge("/riesig-ohne-laenge/", 20 * MB, content_length=False)
        site.add_redirect_loop("/schleife-a/", "/schleife-b/", "/schleife-c/")
        site.add_redirect_loop("/selbst/")
        site.add("/kaputt/", MALFORMED)
        site.add("/leer/", "")
        wordpress = build_wordpress_site(site, theme="default", rest="invalid-json", n_threads=4)
        paths = [
            "/intern/geheim/", "/latin1-als-utf8/", "/utf8-als-latin1/", "/ohne-charset/",
            "/gemischt/", "/bericht.pdf", "/bild.png", "/riesig/", "/riesig-ohne-laenge/",
            "/schleife-a/", "/selbst/", "/kaputt/", "/leer/",
        ]  # fmt: skip
        urls = [site.url(p) for p in paths] + [wordpress.post_url]
        out = tmp_path_factory.mktemp("content")
        result = crawl(*urls, out=out, settings=safety_settings())
        yield site, result, wordpress
    finally:
        server.stop()


def test_content_crawl_keeps_good_items(content: ContentRun) -> None:
    _site, result, wordpress = content
    assert result.returncode == 0, result.stderr[-3000:]
    got = by_path(result)
    assert set(got) == {
        "/latin1-als-utf8/", "/utf8-als-latin1/", "/ohne-charset/", "/gemischt/", "/kaputt/",
        "/" + wordpress.post_url.split("/", 3)[3],
    }  # fmt: skip
    assert len(result.comments) == wordpress.comment_count
    assert result.stats["kw/wordpress/rest_failed/invalid"] == 1


def test_wrong_charsets_are_repaired_or_flagged(
    content: ContentRun,
) -> None:
    _site, result, _wp = content
    got = by_path(result)
    for path in ("/latin1-als-utf8/", "/utf8-als-latin1/", "/ohne-charset/"):
        assert UMLAUT_SENTENCE in got[path]["text"], path
        assert got[path]["author"] == "Jörg Müller"
        assert "\ufffd" not in got[path]["text"] and "Ã" not in got[path]["text"]
    assert result.stats["kw/encoding/repaired"] == 2
    # UTF-8 with a latin-1 word: the UTF-8 part is right, the page is flagged
    assert UMLAUT_SENTENCE in got["/gemischt/"]["text"]
    assert result.stats["kw/encoding/suspect"] == 1


def test_non_html_is_skipped_and_counted(content: ContentRun) -> None:
    _site, result, _wp = content
    assert result.stats["kw/skipped/content_type/application/pdf"] == 1
    assert result.stats["kw/skipped/content_type/image/png"] == 1
    assert not any(a["url"].endswith((".pdf", ".png")) for a in result.articles)


def test_huge_pages_are_capped(content: ContentRun) -> None:
    site, result, _wp = content
    assert result.stats["kw/errors/too_large"] == 2
    assert site.hits("/riesig/") == 1 and site.hits("/riesig-ohne-laenge/") == 1  # not retried


def test_redirect_loops_end_at_once(content: ContentRun) -> None:
    site, result, _wp = content
    assert result.stats["kw/errors/redirect_loop"] == 2
    assert [site.hits(p) for p in ("/schleife-a/", "/schleife-b/", "/schleife-c/")] == [1, 1, 1]
    assert site.hits("/selbst/") == 1


def test_robots_and_parse_failures_are_counted(
    content: ContentRun,
) -> None:
    site, result, _wp = content
    assert site.hits("/intern/geheim/") == 0
    assert result.stats["kw/errors/robots"] == 1
    assert result.stats["kw/errors/parse"] == 1  # the empty page; the malformed one parses
    malformed = by_path(result)["/kaputt/"]
    assert malformed["text"].startswith(UMLAUT_SENTENCE + "\n\nNoch ein Absatz ohne Ende")


# -- building blocks ------------------------------------------------------------------------
def _wrapped(exc: BaseException) -> DownloadFailedError:
    outer = DownloadFailedError(str(exc))
    outer.__cause__ = ResponseNeverReceived([Failure(exc)])
    return outer


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (CannotResolveHostError("no such host"), "dns"),
        (Failure(DNSLookupError("x.invalid")), "dns"),
        (_wrapped(__import__("OpenSSL").SSL.Error("wrong version number")), "tls"),
        (DownloadCancelledError("larger than download max size (10485760)"), "too_large"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots"),
        (RedirectLoop("a -> b -> a"), "redirect_loop"),
        (IgnoreRequest("max redirections reached"), "redirect_loop"),
        (RuntimeError("?"), "other"),
    ],
)
def test_error_kind(error: BaseException | Failure, kind: str) -> None:
    assert error_kind(error) == kind


@pytest.mark.parametrize(
    ("value", "seconds"),
    [(b"120", 120.0), ("0", 0.0), (b"Wed, 21 Oct 2015 07:28:00 GMT", 0.0), (b"bald", None)],
)
def test_retry_after_seconds(value: bytes | str, seconds: float | None) -> None:
    assert retry_after_seconds(value) == seconds


def test_check_encoding() -> None:
    text = "Prüfung in Köln"
    assert check_encoding(text.encode("latin-1"), "utf-8") == ("cp1252", "repaired")
    assert check_encoding(text.encode("utf-8"), "cp1252") == ("utf-8", "repaired")
    assert check_encoding(text.encode("utf-8"), "utf-8") == (None, "ok")
    assert check_encoding(text.encode("latin-1"), "iso-8859-1") == (None, "ok")
    mixed = text.encode("utf-8") + " Größe".encode("latin-1")
    assert check_encoding(mixed, "utf-8") == (None, "suspect")
    double = text.encode("utf-8").decode("latin-1").encode("utf-8")  # mojibake at the source
    assert check_encoding(double, "utf-8") == (None, "suspect")
    assert check_encoding(b"plain ascii", "utf-8") == (None, "ok")


@pytest.mark.parametrize(
    ("content_type", "text"),
    [
        (b"text/html; charset=utf-8", True),
        (b"application/xhtml+xml", True),
        (b"application/rss+xml", True),
        (b"application/json; charset=UTF-8", True),
        (None, True),
        (b"application/pdf", False),
        (b"image/png", False),
        (b"application/octet-stream", False),
    ],
)
def test_is_text_type(content_type: bytes | None, text: bool) -> None:
    assert is_text_type(content_type) is text


def test_run_report_is_the_stats(transient: TransientRun) -> None:
    _site, result = transient
    reports = sorted((result.out / "runs").glob("*.json"))
    assert len(reports) == 1
    report = json.loads(reports[0].read_text("utf-8"))
    assert report["kw/errors/truncated"] == 1
    assert report["kw/retried/http_429"] == 1


# -- crawl 4: feeds (the discover spider) ---------------------------------------------------
DISCOVER = """
import json, os, sys
os.environ["SCRAPY_SETTINGS_MODULE"] = "crawler.settings"
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings
settings = get_project_settings()
settings.setdict(json.loads(sys.argv[1]), priority="cmdline")
process = CrawlerProcess(settings)
crawler = process.create_crawler("discover")
process.crawl(crawler, feeds=sys.argv[2])
process.start()
stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, (int, str))}
print(json.dumps(stats))
"""

RSS_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
    "<title>Nachrichten</title><link>https://nachrichten.example/</link>"
)


def rss_item(url: str, title: str) -> str:
    return (
        f"<item><title>{title}</title><link>{url}</link>"
        "<description>Cyberangriff auf den IT-Dienstleister ODAV: Websites der "
        "Handwerkskammern offline.</description>"
        "<pubDate>Tue, 09 Jan 2024 10:00:00 +0100</pubDate></item>"
    )


def xml_bomb() -> str:
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
        "<title>&l9;</title><item><title>&l9;</title><link>https://x.example/a</link></item>"
        "</channel></rss>"
    )


def test_feed_faults_do_not_stop_discovery(tmp_path: Path) -> None:
    server = serve_misbehaving()
    site = server.site
    try:
        title = "Cyberangriff auf ODAV: Handwerkskammern offline"
        site.add("/artikel/odav/", news_page(title))
        feed = RSS_HEAD + rss_item(site.url("/artikel/odav/"), title) + "</channel></rss>"
        site.add("/feed.xml", feed, content_type="application/rss+xml; charset=utf-8")
        site.add("/bombe.xml", xml_bomb(), content_type="application/rss+xml")
        item = rss_item("https://nachrichten.example/a/", "Wetter in Straubing").encode()
        site.add_stream(
            "/riesig.xml", RSS_HEAD.encode(), item, 50 * MB, content_type="application/rss+xml"
        )
        feeds = ",".join(site.url(p) for p in ("/feed.xml", "/bombe.xml", "/riesig.xml"))
        settings = safety_settings(
            KW_OUT_DIR=str(tmp_path), LOG_LEVEL="WARNING", AUTOTHROTTLE_ENABLED="False"
        )
        proc = subprocess.run(
            [sys.executable, "-c", DISCOVER, json.dumps(settings), feeds],
            capture_output=True, text=True, cwd=REPO, timeout=120,
        )  # fmt: skip
    finally:
        server.stop()
    assert proc.returncode == 0, proc.stderr[-3000:]
    stats = json.loads(proc.stdout.strip().splitlines()[-1])
    assert stats["finish_reason"] == "finished"
    assert stats["kw/discover/feed_errors"] == 1  # the bomb: refused, not expanded
    assert stats["kw/errors/too_large"] == 1  # 50 MB > DOWNLOAD_MAXSIZE
    assert stats["kw/discover/followed"] == 1
    assert [a["title"] for a in read_jsonl(tmp_path / "articles.jsonl")] == [title]
    assert site.hits("/riesig.xml") == 1
