"""The ``discover`` spider end to end: a local site with an RSS feed, an Atom
feed, a sitemap index and news sitemaps; only relevant items inside the window
are fetched, counts land in the stats, and the syndication pipeline records the
agency copy among the followed articles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipelines.syndication import load_duplicates
from tests.crawlrun import FAST, REPO, read_jsonl
from tests.httpserver import LocalSite

AGENCY = (
    "Der IT-Dienstleister Odav aus Straubing hat einen Cyberangriff auf seine Systeme "
    "bestätigt. Der Angriff habe sich bereits am Freitag, 5. Januar, ereignet, teilte das "
    "Unternehmen am Mittwoch mit. Man habe alle Systeme vom Netz genommen und die "
    "Verbindungen zu den Kunden getrennt. Betroffen sind vor allem Handwerkskammern, deren "
    "Internetseiten und Online-Dienste seit Montag nicht erreichbar sind.|Ob bei dem Angriff "
    "Daten abgeflossen sind, ist nach Angaben des Unternehmens noch unklar. Das "
    "Landeskriminalamt sei eingeschaltet. Erste Kunden seien inzwischen wieder online."
)


def article_html(title: str, published: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    ld = json.dumps(
        {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
         "datePublished": published, "author": {"@type": "Person", "name": "Eva Beispiel"}},
        ensure_ascii=False,
    )  # fmt: skip
    return (
        f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{title}</title>'
        f'<script type="application/ld+json">{ld}</script></head><body><article>'
        f'<h1>{title}</h1><div class="article-body">{body}</div></article></body></html>'
    )


def rss(items: list[tuple[str, str, str, str]]) -> str:
    parts = "".join(
        f"<item><title>{t}</title><link>{u}</link><description>{s}</description>"
        f"<pubDate>{d}</pubDate></item>"
        for t, u, s, d in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{parts}</channel></rss>'


def build_site(site: LocalSite) -> dict[str, str]:
    u = site.url
    xml = "application/xml; charset=utf-8"
    site.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    site.add("/feeds/rss.xml", rss([
        ("ODAV bestätigt Cyberangriff", u("/news/odav-cyberangriff.html"),
         "Handwerkskammern offline", "Wed, 10 Jan 2024 14:02:00 GMT"),
        ("Webseiten vieler Kammern offline", u("/news/kammern-offline.html#top"),
         "Die Handwerkskammern in NRW sind nicht erreichbar.", "Tue, 09 Jan 2024 16:00:00 +0100"),
        ("Patchday: Microsoft schließt 48 Lücken", u("/news/patchday.html"),
         "Updates für Windows.", "Tue, 09 Jan 2024 20:00:00 +0100"),
        ("Südwestfalen-IT: Kommunen weiter offline", u("/news/sit.html"),
         "Drei Monate nach dem Cyberangriff.", "Mon, 08 Jan 2024 10:00:00 +0100"),
        ("ODAV-Angriff: Ein Jahr danach", u("/news/odav-ein-jahr-danach.html"),
         "Die Handwerkskammern ziehen Bilanz.", "Thu, 09 Jan 2025 10:00:00 +0100"),
        ("IT-Dienstleister Odav bestätigt Cyberangriff", u("/regional/odav-dpa.html"),
         "(dpa) Handwerkskammern betroffen", "Wed, 10 Jan 2024 16:48:00 +0100"),
    ]), content_type=xml)  # fmt: skip
    site.add("/feeds/atom.xml", (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        "<entry><title>Handwerkskammern offline</title>"
        f'<link href="{u("/news/kammern-offline.html")}"/>'
        "<published>2024-01-09T16:00:00+01:00</published></entry>"
        f'<entry><title>Neues Smartphone vorgestellt</title><link href="{u("/news/phone.html")}"/>'
        "<published>2024-01-11T10:00:00+01:00</published></entry></feed>"
    ), content_type="application/atom+xml")  # fmt: skip
    sm = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    news = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
    site.add("/sitemap-index.xml", (
        f"<sitemapindex {sm}>"
        f"<sitemap><loc>{u('/sitemaps/news-2401.xml')}</loc><lastmod>2024-01-31</lastmod></sitemap>"
        f"<sitemap><loc>{u('/sitemaps/news-2310.xml')}</loc><lastmod>2023-10-31</lastmod></sitemap>"
        "</sitemapindex>"
    ), content_type=xml)  # fmt: skip

    def news_url(path: str, title: str, day: str) -> str:
        return (
            f"<url><loc>{u(path)}</loc><news:news><news:publication_date>{day}"
            f"</news:publication_date><news:title>{title}</news:title></news:news></url>"
        )

    site.add("/sitemaps/news-2401.xml", (
        f"<urlset {sm} {news}>"
        + news_url("/news/kammer-notiz.html", "Handwerkskammer: Webseite nicht erreichbar",
                   "2024-01-09")
        + news_url("/news/meisterfeier.html", "Handwerkskammer ehrt neue Meister", "2024-01-15")
        + "</urlset>"
    ), content_type=xml)  # fmt: skip
    site.add("/sitemaps/news-2310.xml", f"<urlset {sm}></urlset>", content_type=xml)
    site.add("/feeds/broken.xml", "<html><body>Kein Feed</body></html>")
    filler = "Die Kammer bleibt telefonisch erreichbar, Prüfungen finden wie geplant statt."
    pages = {
        "/news/odav-cyberangriff.html": ("ODAV bestätigt Cyberangriff",
                                         "2024-01-10T15:02:00+01:00", AGENCY.split("|")),
        "/regional/odav-dpa.html": ("IT-Dienstleister Odav bestätigt Cyberangriff",
                                    "2024-01-10T16:48:00+01:00",
                                    [AGENCY.split("|")[0], AGENCY.split("|")[1] + " (dpa)"]),
        "/news/kammern-offline.html": ("Webseiten vieler Kammern offline",
                                       "2024-01-09T16:00:00+01:00",
                                       ["Seit Montag sind zahlreiche Handwerkskammern im Netz "
                                        "nicht mehr zu finden.", filler]),
        "/news/kammer-notiz.html": ("Internetseite nicht erreichbar", "2024-01-09T11:30:00+01:00",
                                    ["Unsere Internetseite ist derzeit nicht erreichbar.", filler]),
    }  # fmt: skip
    for path, (title, published, paragraphs) in pages.items():
        site.add(path, article_html(title, published, paragraphs))
    for path in ("/news/patchday.html", "/news/sit.html", "/news/odav-ein-jahr-danach.html",
                 "/news/phone.html", "/news/meisterfeier.html"):  # fmt: skip
        site.add(path, article_html("darf nicht geladen werden", "2024-01-10", ["x"]))
    return {"odav": u("/news/odav-cyberangriff.html"), "dpa": u("/regional/odav-dpa.html")}


def test_discover_follows_only_relevant_items(local_site: LocalSite, tmp_path: Path) -> None:
    urls = build_site(local_site)
    feeds = ",".join(
        local_site.url(p)
        for p in ("/feeds/rss.xml", "/feeds/atom.xml", "/sitemap-index.xml", "/feeds/broken.xml")
    )
    stats_file = tmp_path / "stats.json"
    pipelines = {
        "pipelines.dedup.DedupPipeline": 100,
        "pipelines.syndication.SyndicationPipeline": 200,
        "pipelines.store.StorePipeline": 300,
    }
    extensions = {
        "pipelines.export.ExportExtension": 900,
        "benchmarks.statsdump.StatsDump": 950,
    }
    settings = {
        **FAST,
        "KW_OUT_DIR": str(tmp_path),
        "KW_STATS_JSON": str(stats_file),
        "ITEM_PIPELINES": json.dumps(pipelines),
        "EXTENSIONS": json.dumps(extensions),
    }
    flags = [arg for key, value in settings.items() for arg in ("-s", f"{key}={value}")]
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "discover", "-a", f"feeds={feeds}", *flags],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    stats = json.loads(stats_file.read_text("utf-8"))
    expected = {
        "kw/discover/feeds": 5,  # rss, atom, index, one child sitemap, the broken one
        "kw/discover/feed_errors": 1,
        "kw/discover/seen": 10,
        "kw/discover/relevant": 5,
        "kw/discover/followed": 4,
        "kw/discover/already_followed": 1,
        "kw/discover/out_of_window": 1,
        "kw/discover/irrelevant": 4,
        "kw/discover/sitemaps_followed": 1,
        "kw/discover/sitemaps_skipped": 1,
    }
    assert {key: stats.get(key) for key in expected} == expected
    fetched = set(local_site.paths())
    never = (
        "/news/patchday.html",
        "/news/sit.html",
        "/news/odav-ein-jahr-danach.html",
        "/news/phone.html",
        "/news/meisterfeier.html",
        "/sitemaps/news-2310.xml",
    )
    for path in never:
        assert path not in fetched, path
    assert local_site.hits("/news/kammern-offline.html") == 1
    articles = read_jsonl(tmp_path / "articles.jsonl")
    assert sorted(a["url"] for a in articles) == sorted(
        local_site.url(p)
        for p in (
            "/news/odav-cyberangriff.html",
            "/regional/odav-dpa.html",
            "/news/kammern-offline.html",
            "/news/kammer-notiz.html",
        )
    )
    ids = {a["url"]: a["id"] for a in articles}
    assert load_duplicates(tmp_path / "kammerwatch.db") == {ids[urls["dpa"]]: ids[urls["odav"]]}
