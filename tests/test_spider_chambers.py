"""End to end: ``scrapy crawl chambers`` over 53 fixture chamber sites served on
127.0.0.1 (every outage case has a local stand-in, see tests/sites/chambers.py),
twice, as two runs of the monitor: one observation per chamber per run in the
store and in observations.csv, the incident notices in the articles, and the
observed events over both runs."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.observations import observation_rows, observed_events
from tests.crawlrun import FAST, REPO, read_jsonl
from tests.httpserver import LocalSite, serve
from tests.sites.chambers import (
    AACHEN_NOTICES,
    NotTlsServer,
    build_chamber_sites,
    home_page,
)


@pytest.fixture
def chamber_site() -> Iterator[LocalSite]:
    """The local test server with a listen backlog for 53 sites' bursts of
    connections (socketserver's default of 5 drops SYNs: 1 s connect stalls)."""
    server = serve()
    server._server.socket.listen(128)
    try:
        yield server.site
    finally:
        server.stop()


@pytest.fixture
def not_tls() -> Iterator[NotTlsServer]:
    server = NotTlsServer()
    try:
        yield server
    finally:
        server.stop()


def crawl_chambers(out: Path, settings: dict[str, str]) -> subprocess.CompletedProcess[str]:
    merged = {**FAST, **settings, "KW_OUT_DIR": str(out)}
    flags = [arg for key, value in merged.items() for arg in ("-s", f"{key}={value}")]
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "chambers", *flags],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_two_runs_of_the_monitor(
    chamber_site: LocalSite, not_tls: NotTlsServer, tmp_path: Path
) -> None:
    fixture = build_chamber_sites(chamber_site, tmp_path, not_tls.port)
    out = tmp_path / "out"
    proc = crawl_chambers(out, fixture.settings())
    assert proc.returncode == 0, proc.stderr[-3000:]
    db = out / "kammerwatch.db"

    rows = observation_rows(db)
    assert len(rows) == 53
    got = {r["chamber_id"]: r for r in rows}
    assert {cid: r["outcome"] for cid, r in got.items()} == fixture.expected
    assert len({r["run_id"] for r in rows}) == 1
    koeln = got["hwk-koeln"]
    assert (koeln["http_status"], koeln["final_url"]) == (200, fixture.banner_url)
    assert koeln["banner"] == "Unsere Homepage ist derzeit nicht erreichbar"
    assert got["hwk-duesseldorf"]["http_status"] == 503
    assert got["hwk-flensburg"]["http_status"] is None
    assert "took longer than 1.0 seconds" in got["hwk-ostwestfalen-lippe"]["detail"]
    assert "wrong version number" in got["hwk-braunschweig-lueneburg-stade"]["detail"]
    assert got["hwk-aachen"]["url"] == fixture.urls["hwk-aachen"]

    # the incident notices (home page and press overview), not the other news
    articles = {a["title"]: a for a in read_jsonl(out / "articles.jsonl")}
    incident = [n for n in AACHEN_NOTICES if n.incident]
    assert sorted(articles) == sorted(n.title for n in incident)
    for notice in incident:
        article = articles[notice.title]
        assert article["url"] == chamber_site.url(notice.path)
        assert article["published"] == notice.published
        assert article["author"] == "Handwerkskammer Aachen"
        assert article["text"].startswith(notice.lead)
    assert chamber_site.hits(AACHEN_NOTICES[2].path) == 0
    assert chamber_site.hits("/kammer/hwk-aachen/presse") == 1
    csv_lines = (out / "observations.csv").read_text("utf-8-sig").splitlines()
    assert len(csv_lines) == 54

    # second run: Köln is back, the others unchanged
    chamber_site.add("/kammer/hwk-koeln/", home_page("Handwerkskammer zu Köln", []))
    proc = crawl_chambers(out, fixture.settings())
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = observation_rows(db)
    assert len(rows) == 106
    runs = sorted({r["run_id"] for r in rows})
    assert len(runs) == 2
    second = {r["chamber_id"]: r["outcome"] for r in rows if r["run_id"] == runs[1]}
    assert second == {**fixture.expected, "hwk-koeln": "ok"}
    assert len((out / "observations.csv").read_text("utf-8-sig").splitlines()) == 107

    events = {e["chamber"]: e for e in observed_events(db)}
    assert set(events) == {cid for cid, outcome in fixture.expected.items() if outcome != "ok"}
    assert len(events) == 8
    first_koeln = got["hwk-koeln"]["observed_at"]
    assert events["hwk-koeln"]["start"] == events["hwk-koeln"]["end"] == first_koeln
    assert events["hwk-koeln"]["ongoing"] is False
    assert events["hwk-koeln"]["restored_observed"] > first_koeln
    dortmund = events["hwk-dortmund"]
    assert (dortmund["observations"], dortmund["ongoing"], dortmund["outcome"]) == (
        2, True, "banner_page",
    )  # fmt: skip
    assert dortmund["start"] < dortmund["end"]
    assert json.dumps(events["hwk-flensburg"]["evidence"])  # plain data for the timeline


def test_one_request_per_chosen_chamber(tmp_path: Path) -> None:
    from scrapy.utils.test import get_crawler

    from crawler.spiders.chambers import ChambersSpider

    crawler = get_crawler(ChambersSpider, {"KW_OUTAGE_HOSTS": "stoerung.example"})
    spider = ChambersSpider.from_crawler(crawler, chambers="hwk-koeln,hwk-ufr-typo,hwk-dortmund")
    requests = list(spider.start_requests_list())
    assert [r.url for r in requests] == ["https://www.hwk-do.de/", "https://www.hwk-koeln.de/"]
    assert all(r.meta["dont_retry"] and r.errback is not None for r in requests)
    assert 503 in requests[0].meta["handle_httpstatus_list"]
    assert spider.patterns.outage_hosts[-1] == "stoerung.example"
