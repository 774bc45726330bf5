"""End to end: ``scrapy crawl wayback`` against a local stand-in of the
Wayback Machine (CDX API and raw ``id_`` snapshots on 127.0.0.1)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.crawlrun import FAST, REPO, read_jsonl
from tests.httpserver import LocalSite, RequestInfo
from tests.sites.chambers import BANNER_PAGE, notice_page

NOTICE = "https://www.hwk-aachen.de/artikel/online-dienste-eingeschraenkt-33,0,2111.html"
GONE = "https://www.hwk-koeln.de/artikel/hinweis-zur-erreichbarkeit-32,0,5680.html"
HEADER = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
ROWS = {
    NOTICE: [
        ["de,hwk-aachen)/x", "20240109081455", NOTICE, "text/html", "200", "BANNER", "500"],
        ["de,hwk-aachen)/x", "20240112150000", NOTICE, "text/html", "200", "REAL", "9000"],
        ["de,hwk-aachen)/x", "20240115150000", NOTICE, "text/html", "200", "REAL", "9000"],
        ["de,hwk-aachen)/x", "20240118150000", NOTICE, "application/pdf", "200", "PDF", "1"],
    ],
    GONE: [],
}
TITLE = "Online-Dienste weiter eingeschränkt"


def cdx(info: RequestInfo) -> tuple[int, dict[str, str], str]:
    rows = ROWS.get(info.param("url") or "", [])
    body = json.dumps([HEADER, *rows]) if rows else "[]"
    return 200, {"Content-Type": "application/json"}, body


def test_wayback_reads_the_archived_notice(local_site: LocalSite, tmp_path: Path) -> None:
    local_site.add_handler("/cdx/search/cdx", cdx)
    local_site.add(f"/web/20240109081455id_/{NOTICE}", BANNER_PAGE)
    page = notice_page(
        "Handwerkskammer Aachen",
        NOTICE,
        TITLE,
        "2024-01-12T14:30:00+01:00",
        "Unsere Internetseite ist wieder da, die Online-Dienste noch nicht.",
        [
            "Die Kursbuchung bleibt bis auf Weiteres abgeschaltet; "
            "Anmeldungen nehmen wir telefonisch an."
        ],
    )
    local_site.add(f"/web/20240112150000id_/{NOTICE}", page)
    out = tmp_path / "out"
    settings = {
        **FAST,
        "KW_OUT_DIR": str(out),
        "KW_CDX_URL": local_site.url("/cdx/search/cdx"),
        "KW_WAYBACK_URL": local_site.url("/web"),
    }
    flags = [arg for key, value in settings.items() for arg in ("-s", f"{key}={value}")]
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "wayback", "-a", f"urls={NOTICE},{GONE}",
         "-a", "from=20240105", "-a", "to=20240331", *flags],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]

    queries = [p for p in local_site.paths() if p.startswith("/cdx/")]
    assert len(queries) == 2
    for query in queries:
        assert "from=20240105" in query and "to=20240331" in query
        assert "output=json" in query and "collapse=digest" in query
        assert "filter=statuscode%3A200" in query
    # the banner capture is read and skipped, the repeat of the same digest and the PDF are not
    assert local_site.hits(f"/web/20240109081455id_/{NOTICE}") == 1
    assert local_site.hits(f"/web/20240112150000id_/{NOTICE}") == 1
    assert not [p for p in local_site.paths() if "20240115" in p or "20240118" in p]

    [article] = read_jsonl(out / "articles.jsonl")
    assert article["title"] == TITLE
    assert article["url"] == article["canonical_url"] == NOTICE
    assert article["source"] == "hwk-aachen.de"
    assert article["published"] == "2024-01-12T14:30:00+01:00"
    assert article["fetched_at"] == "2024-01-12T16:00:00+01:00"  # the capture time
    assert article["text"].startswith("Unsere Internetseite ist wieder da")
    assert article["id"].startswith("hwk-aachen.de:url:")
