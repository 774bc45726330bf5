"""Feed and sitemap reader: formats, dates, URLs, and the defences (entity
declarations refused, external files never read, size and entry caps,
streaming in constant memory)."""

from __future__ import annotations

import gzip
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.parsers.feeds import FeedError, looks_like_feed, parse_feed, plain_text
from tests.crawlrun import REPO

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>Golem.de</title><link>https://www.golem.de/</link>
  <item>
    <title>ODAV: Cyberangriff auf Dienstleister von Handwerkskammern best&#228;tigt</title>
    <media:title>Bildtitel, nicht der Titel</media:title>
    <link>/news/odav-cyberangriff-2401-181011.html</link>
    <description>&lt;p&gt;Der Straubinger &lt;b&gt;IT-Dienstleister&lt;/b&gt; hat den Angriff
      einger&#228;umt.&lt;/p&gt;&lt;img src="x.png"/&gt;</description>
    <pubDate>Wed, 10 Jan 2024 11:03:17 GMT</pubDate>
    <category>Security</category><category>Handwerk</category>
  </item>
  <item>
    <title>Nur eine GUID</title>
    <guid isPermaLink="true">https://www.golem.de/news/guid-only-2401-1.html</guid>
    <content:encoded><![CDATA[<p>Volltext <em>hier</em></p>]]></content:encoded>
    <dc:date>2024-01-11T09:00:00+01:00</dc:date>
  </item>
  <item><title>Ohne Link</title><guid isPermaLink="false">tag:golem,1</guid></item>
  <item><title>Javascript</title><link>javascript:alert(1)</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>heise online News</title>
  <link rel="self" href="https://www.heise.de/rss/heise-atom.xml"/>
  <entry>
    <title type="html">Cyberangriff: Webseiten von
      &lt;em&gt;Handwerkskammern&lt;/em&gt; offline</title>
    <link rel="edit" href="https://www.heise.de/edit/1"/>
    <link rel="alternate" type="text/html"
          href="https://www.heise.de/news/Cyberangriff-Webseiten-von-Handwerkskammern-offline-9591734.html"/>
    <id>http://heise.de/-9591734</id>
    <published>2024-01-09T15:40:00+01:00</published>
    <updated>2024-01-09T18:02:00+01:00</updated>
    <summary>Bei mehreren Kammern in NRW gehen Webseiten nicht.</summary>
    <category term="IT-Sicherheit"/>
  </entry>
  <entry>
    <title>Nur aktualisiert</title>
    <link href="/news/nur-aktualisiert-1.html"/>
    <updated>2023-11-02T10:00:00Z</updated>
    <content type="html">&lt;p&gt;Inhalt&lt;/p&gt;</content>
  </entry>
</feed>"""

RDF = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://www.heise.de/"><title>heise</title></channel>
  <item rdf:about="https://www.heise.de/news/a-1.html">
    <title>Handwerkskammern: ODAV best&#228;tigt</title>
    <description>Kurztext</description>
    <dc:date>2024-01-11T09:00:00+01:00</dc:date>
  </item>
  <item rdf:about="https://www.heise.de/news/b-2.html"><title>Ohne Link-Element</title></item>
</rdf:RDF>"""

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://www.golem.de/news/handwerkskammern-weiter-offline-2401-181066.html</loc>
    <lastmod>2024-01-12T08:00:00+01:00</lastmod>
    <news:news>
      <news:publication><news:name>Golem.de</news:name><news:language>de</news:language></news:publication>
      <news:publication_date>2024-01-11T11:30:00+01:00</news:publication_date>
      <news:title>Handwerkskammern weiter offline</news:title>
      <news:keywords>ODAV, Cyberangriff, Handwerkskammer</news:keywords>
    </news:news>
    <image:image><image:loc>https://www.golem.de/img/1.jpg</image:loc></image:image>
  </url>
  <url><loc>https://www.golem.de/specials/security/</loc><lastmod>2024-01-12</lastmod></url>
</urlset>"""

SITEMAP_INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://www.golem.de/news/gsitemap-2401.xml</loc><lastmod>2024-01-31</lastmod></sitemap>
  <sitemap><loc>https://www.golem.de/news/gsitemap-2312.xml.gz</loc><lastmod>2023-12-31</lastmod></sitemap>
</sitemapindex>"""


def test_rss2_items() -> None:
    feed = parse_feed(RSS, "https://rss.golem.de/rss.php?feed=RSS2.0")
    assert feed.format == "rss"
    assert feed.truncated is False
    assert feed.skipped == 2  # a non-permalink GUID and a javascript: link
    first, second = feed.entries
    assert first.url == "https://rss.golem.de/news/odav-cyberangriff-2401-181011.html"
    assert first.title == "ODAV: Cyberangriff auf Dienstleister von Handwerkskammern bestätigt"
    assert first.summary == "Der Straubinger IT-Dienstleister hat den Angriff eingeräumt."
    assert first.published == "2024-01-10T12:03:17+01:00"  # GMT, not Berlin
    assert first.keywords == ("Security", "Handwerk")
    assert first.source == "rss.golem.de"
    assert first.feed == "https://rss.golem.de/rss.php?feed=RSS2.0"
    assert first.kind == "article"
    assert second.url == "https://www.golem.de/news/guid-only-2401-1.html"
    assert second.summary == "Volltext hier"
    assert second.published == "2024-01-11T09:00:00+01:00"
    assert second.source == "golem.de"


def test_atom_entries() -> None:
    feed = parse_feed(ATOM.encode("utf-8"), "https://www.heise.de/rss/heise-atom.xml")
    assert feed.format == "atom"
    first, second = feed.entries
    assert first.url.endswith(
        "/news/Cyberangriff-Webseiten-von-Handwerkskammern-offline-9591734.html"
    )
    assert first.title == "Cyberangriff: Webseiten von Handwerkskammern offline"
    assert first.summary == "Bei mehreren Kammern in NRW gehen Webseiten nicht."
    assert (first.published, first.modified) == (
        "2024-01-09T15:40:00+01:00",
        "2024-01-09T18:02:00+01:00",
    )
    assert first.keywords == ("IT-Sicherheit",)
    assert second.url == "https://www.heise.de/news/nur-aktualisiert-1.html"
    assert second.published is None
    assert second.modified == "2023-11-02T11:00:00+01:00"
    assert second.summary == "Inhalt"


def test_rss1_rdf_items() -> None:
    feed = parse_feed(RDF, "https://www.heise.de/rss/heise.rdf")
    assert feed.format == "rdf"
    assert [e.url for e in feed.entries] == [
        "https://www.heise.de/news/a-1.html",
        "https://www.heise.de/news/b-2.html",
    ]
    assert feed.entries[0].title == "Handwerkskammern: ODAV bestätigt"
    assert feed.entries[0].published == "2024-01-11T09:00:00+01:00"


def test_news_sitemap() -> None:
    feed = parse_feed(NEWS_SITEMAP, "https://www.golem.de/news/gsitemap-2401.xml")
    assert feed.format == "urlset"
    news, plain = feed.entries
    assert news.title == "Handwerkskammern weiter offline"
    assert news.published == "2024-01-11T11:30:00+01:00"
    assert news.modified == "2024-01-12T08:00:00+01:00"
    assert news.keywords == ("ODAV", "Cyberangriff", "Handwerkskammer")
    assert plain.url == "https://www.golem.de/specials/security/"
    assert (plain.title, plain.published, plain.modified) == (
        "",
        None,
        "2024-01-12T00:00:00+01:00",
    )


def test_sitemap_index_lists_children() -> None:
    feed = parse_feed(SITEMAP_INDEX, "https://www.golem.de/gsiteindex.xml")
    assert feed.format == "sitemapindex"
    assert feed.sitemaps == [
        "https://www.golem.de/news/gsitemap-2401.xml",
        "https://www.golem.de/news/gsitemap-2312.xml.gz",
    ]
    assert feed.articles == []
    assert feed.entries[1].modified == "2023-12-31T00:00:00+01:00"


def test_gzipped_sitemap() -> None:
    feed = parse_feed(gzip.compress(NEWS_SITEMAP.encode()), "https://x.example/s.xml.gz")
    assert [e.title for e in feed.entries] == ["Handwerkskammern weiter offline", ""]


def test_gzip_bomb_is_capped() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (30 * 1024 * 1024))  # 30 MB of blanks, ~30 KB
    feed = parse_feed(bomb, "https://x.example/bomb.xml.gz", max_bytes=1024 * 1024)
    assert feed.entries == []
    assert feed.truncated is True


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<html><body><p>Kein Feed</p></body></html>", "not a feed or sitemap (root <html>)"),
        ("<rss><channel><item><title>kaputt</channel></rss>", "not well-formed XML"),
        ("", "not well-formed XML"),
    ],
)
def test_not_a_feed(body: str, message: str) -> None:
    with pytest.raises(FeedError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_feed(body, "https://x.example/feed")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><item><title>&lol9;</title>
<link>https://x.example/a</link></item></channel></rss>"""


def test_billion_laughs_is_refused_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(FeedError, match="entity declarations are not allowed"):
        parse_feed(BILLION_LAUGHS, "https://x.example/feed")
    assert time.perf_counter() - started < 1.0


def test_external_entity_is_not_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM-4711", encoding="utf-8")
    xxe = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        "<rss><channel><item><title>&xxe;</title><link>https://x.example/a</link>"
        "</item></channel></rss>"
    )
    with pytest.raises(FeedError) as info:
        parse_feed(xxe, "https://x.example/feed")
    assert "GEHEIM" not in str(info.value)


def test_external_dtd_is_never_loaded(tmp_path: Path) -> None:
    """A DOCTYPE with only an external DTD (RSS 0.91 style) parses, without reading it."""
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM-4711", encoding="utf-8")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY xxe SYSTEM "file://{secret}">', encoding="utf-8")
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "file://{dtd}">\n'
        "<rss><channel><item><title>Vorher &xxe; nachher</title>"
        "<link>https://x.example/a</link></item></channel></rss>"
    )
    feed = parse_feed(body, "https://x.example/feed")
    assert [e.url for e in feed.entries] == ["https://x.example/a"]
    assert "GEHEIM" not in feed.entries[0].title
    assert feed.entries[0].title.startswith("Vorher")


def test_entry_cap() -> None:
    items = "".join(
        f"<item><title>T{i}</title><link>https://x.example/{i}</link></item>" for i in range(50)
    )
    feed = parse_feed(
        f"<rss><channel>{items}</channel></rss>", "https://x.example/f", max_entries=7
    )
    assert [e.title for e in feed.entries] == [f"T{i}" for i in range(7)]
    assert feed.truncated is True


def _write_big_sitemap(path: Path, megabytes: int) -> int:
    """A news sitemap of ``megabytes`` MB written in chunks (never held in memory)."""
    title = "Handwerkskammern offline nach Cyberangriff " * 100
    item = (
        "<url><loc>https://example.org/news/a-{:07d}.html</loc><news:news>"
        "<news:publication_date>2024-01-10T10:00:00+01:00</news:publication_date>"
        f"<news:title>{title}</news:title></news:news></url>\n"
    )
    count = size = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write(
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        )
        while size < megabytes * 1024 * 1024:
            chunk = "".join(item.format(count + i) for i in range(500))
            handle.write(chunk)
            count += 500
            size += len(chunk)
        handle.write("</urlset>\n")
    return count


def test_big_sitemap_capped_and_streamed(tmp_path: Path) -> None:
    big = tmp_path / "big.xml"
    total = _write_big_sitemap(big, 50)
    assert big.stat().st_size > 50 * 1024 * 1024
    # default cap (10 MB): read only the first part, marked truncated
    started = time.perf_counter()
    feed = parse_feed(big, "https://example.org/sitemap.xml")
    assert time.perf_counter() - started < 5
    assert feed.truncated is True
    assert 0 < len(feed.entries) < total / 4
    assert feed.entries[0].url == "https://example.org/news/a-0000000.html"
    assert len(feed.entries[0].title) <= 1002  # summary/title cap plus " …"
    # without the byte cap the whole file streams through in constant memory
    # (peak RSS is measured as VmHWM after resetting it: a child inherits the
    # parent's high-water mark through fork)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from crawler.parsers.feeds import iter_entries\n"
        "open('/proc/self/clear_refs', 'w').write('5')\n"
        "n = sum(1 for _ in iter_entries(Path(sys.argv[1]), 'https://example.org/s.xml',"
        " max_bytes=1 << 40, max_entries=10**9))\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(n, int(hwm.split()[1]) // 1024)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(big)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    count, peak_mb = map(int, proc.stdout.split())
    assert count == total
    assert peak_mb < 100, f"peak RSS {peak_mb} MB for a 50 MB file: not streamed"


def test_plain_text_and_sniffing() -> None:
    assert plain_text("&lt;p&gt;A&amp;amp;B&lt;/p&gt;") == "A&B"
    assert plain_text("wort " * 400, limit=20) == "wort wort wort wort …"
    assert looks_like_feed(b'<?xml version="1.0"?>\n<rss version="2.0">')
    assert looks_like_feed(b"<urlset xmlns='x'>")
    assert not looks_like_feed(b"<!DOCTYPE html><html>")
