"""Security of what is scraped: nothing from a page is executed or used as a
path, non-http(s) links are never followed, and loopback/private addresses
are refused on live crawls unless ``KW_ALLOW_PRIVATE`` is set (tests, archives).
"""

from __future__ import annotations

import ast
import csv
import os
import pickle
import re
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.middlewares_safety import RefusedRequest, UrlSafetyMiddleware, unsafe_reason
from tests.crawlrun import REPO, crawl
from tests.sites.misbehaving import news_page, safety_settings, serve_misbehaving


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "scheme/file"),
        ("data:text/html,<h1>x</h1>", "scheme/data"),
        ("javascript:alert(1)", "scheme/javascript"),
        ("ftp://example.org/x", "scheme/ftp"),
        ("s3://bucket/key", "scheme/s3"),
        ("//no-scheme.example/x", "scheme/none"),
        ("http:///nohost", "no_host"),
        ("http://127.0.0.1:8080/", "private_address"),
        ("http://localhost/", "private_address"),
        ("http://LOCALHOST./admin", "private_address"),
        ("http://kammer.localhost/", "private_address"),
        ("http://[::1]/", "private_address"),
        ("http://[::ffff:127.0.0.1]/", "private_address"),
        ("http://10.1.2.3/", "private_address"),
        ("http://172.16.0.9/", "private_address"),
        ("http://192.168.178.1/", "private_address"),
        ("http://169.254.169.254/latest/meta-data/", "private_address"),
        ("http://0.0.0.0/", "private_address"),
        ("http://127.1/", "private_address"),
        ("http://2130706433/", "private_address"),
        ("http://0x7f.0.0.1/", "private_address"),
        ("http://[fe80::1]/", "private_address"),
        ("http://224.0.0.1/", "private_address"),
        ("https://www.handwerksblatt.de/betriebsfuehrung/cyberangriff", None),
        ("http://93.184.215.14/", None),
        ("https://[2a00:1450:4001:82a::2003]/", None),
    ],
)
def test_unsafe_reason(url: str, reason: str | None) -> None:
    assert unsafe_reason(url) == reason


def test_private_addresses_allowed_only_when_asked() -> None:
    assert unsafe_reason("http://127.0.0.1:8080/", allow_private=True) is None
    assert unsafe_reason("http://10.0.0.1/", allow_private=True) is None
    assert unsafe_reason("file:///etc/passwd", allow_private=True) == "scheme/file"


def _middleware(**settings: object) -> tuple[UrlSafetyMiddleware, MemoryStatsCollector]:
    crawler = get_crawler(settings_dict=dict(settings))
    stats = MemoryStatsCollector(crawler)
    crawler.stats = stats
    return UrlSafetyMiddleware.from_crawler(crawler), stats


def test_middleware_refuses_and_counts() -> None:
    middleware, stats = _middleware()
    middleware.process_request(Request("https://www.hwk-koeln.de/"))  # no exception: allowed
    for url in ("http://10.0.0.7/", "http://localhost:6800/", "file:///etc/shadow"):
        with pytest.raises(RefusedRequest):
            middleware.process_request(Request(url))
    assert stats.get_value("kw/refused/private_address") == 2
    assert stats.get_value("kw/refused/scheme/file") == 1


def test_middleware_allows_private_for_tests_and_archives() -> None:
    for settings in ({"KW_ALLOW_PRIVATE": True}, {"KW_ARCHIVE": "sample.warc.gz"}):
        middleware, _stats = _middleware(**settings)
        middleware.process_request(Request("http://127.0.0.1:1234/"))  # allowed
        with pytest.raises(RefusedRequest):
            middleware.process_request(Request("file:///etc/passwd"))


def test_live_crawl_refuses_loopback_without_touching_it(tmp_path: Path) -> None:
    server = serve_misbehaving()
    site = server.site
    try:
        site.add("/artikel/", news_page("Lokal"))
        settings = safety_settings(KW_ALLOW_PRIVATE="False")
        result = crawl(site.url("/artikel/"), out=tmp_path, settings=settings)
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr[-2000:]
    assert site.requests == []  # not even robots.txt
    assert result.articles == []
    assert result.stats["kw/refused/private_address"] == 1


def test_page_cannot_make_the_crawler_read_local_files(tmp_path: Path) -> None:
    """An AMP page whose canonical link is ``file://…``: Scrapy would read the file
    (its file download handler) and store it as an article without the middleware."""
    secret = tmp_path / "geheim.html"
    secret.write_text(news_page("GEHEIMNIS aus dem Dateisystem"), encoding="utf-8")
    title = '=HYPERLINK("http://evil.example";"Klick")'
    amp = news_page(
        title,
        extra_head=f'<link rel="canonical" href="file://{secret}">',
        extra_body="<script>document.title='ausgeführt'</script>"
        '<a href="javascript:alert(1)">Kommentare</a>',
    )
    server = serve_misbehaving()
    site = server.site
    try:
        site.add("/artikel/amp/", amp)
        site.add_redirect("/umleitung/", f"file://{secret}")
        out = tmp_path / "out"
        result = crawl(
            site.url("/artikel/amp/"),
            site.url("/umleitung/../../etc/passwd?x=/../../y"),
            out=out,
            settings=safety_settings(),
        )
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr[-2000:]
    assert [a["title"] for a in result.articles] == [title]  # the AMP copy, read as fallback
    # the file: canonical link is never turned into a request
    assert result.articles[0]["canonical_url"].startswith("http://127.0.0.1")
    everything = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert b"GEHEIMNIS" not in everything
    assert "ausgeführt" not in result.articles[0]["text"]
    # the CSV export neutralises the formula
    with (out / "articles.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert rows[0]["title"] == "'" + title
    # nothing named after a URL: exports have fixed names, WARCs and run reports timestamps
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert {"articles.csv", "articles.jsonl", "kammerwatch.db"} <= set(names)
    assert any(re.fullmatch(r"warc/\d{8}T\d{6}Z\.warc\.gz", n) for n in names), names
    assert any(re.fullmatch(r"runs/[0-9T.-]+p\d{4}\.json", n) for n in names), names
    for token in ("artikel", "amp", "umleitung", "passwd", "etc", "geheim", "127.0.0.1"):
        assert not [n for n in names if token in n.lower()], (token, names)


# modules that run or load code, or hand strings to a shell
DANGEROUS_MODULES = {"pickle", "marshal", "shelve", "dill", "subprocess"}
BUILTINS = {"eval", "exec", "compile", "__import__"}
ATTRIBUTES = {("os", "system"), ("os", "popen"), ("yaml", "load"), ("pickle", "loads")}


def _dangerous(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name in DANGEROUS_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "") in DANGEROUS_MODULES:
            found.append(f"from {node.module} import")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in BUILTINS:
                found.append(f"{func.id}()")
            elif (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and (func.value.id, func.attr) in ATTRIBUTES
            ):
                found.append(f"{func.value.id}.{func.attr}()")
        elif isinstance(node, ast.keyword) and node.arg == "shell":
            found.append("shell=")
    return [f"{path.relative_to(REPO)}:{item}" for item in found]


# The parser pool talks to its own worker processes over pipes in pickles, read back
# only through crawler.parseworker.loads (an allow-list of classes; tested below).
ALLOWED_HITS = {
    "crawler/parsepool.py:import pickle",
    "crawler/parsepool.py:import subprocess",
    "crawler/parseworker.py:import pickle",
}


def test_no_code_from_pages_is_ever_run() -> None:
    """The crawler and pipelines have no eval/exec, unpickling, YAML object loading
    or shell: a page's content can only ever be data."""
    files = sorted([*(REPO / "crawler").rglob("*.py"), *(REPO / "pipelines").rglob("*.py")])
    assert len(files) > 20
    hits = [hit for path in files for hit in _dangerous(path)]
    assert [hit for hit in hits if hit not in ALLOWED_HITS] == []
    assert set(hits) == ALLOWED_HITS  # an allowance that is no longer needed goes


class _Boom:
    """Unpickling this calls os.system: what a crafted pickle would do."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, ("echo pwned",))


def test_parser_frames_refuse_every_class_outside_the_allow_list() -> None:
    from crawler.items import Article
    from crawler.parseworker import loads

    article = Article(
        id="a", url="https://x.org/a", canonical_url="https://x.org/a", source="x", title="T"
    )
    assert loads(pickle.dumps((True, article))) == (True, article)
    with pytest.raises(pickle.UnpicklingError, match=r"refused to load posix\.system"):
        loads(pickle.dumps(_Boom()))
    with pytest.raises(pickle.UnpicklingError, match=r"refused to load collections\.OrderedDict"):
        loads(pickle.dumps(__import__("collections").OrderedDict(a=1)))
