# ruff: noqa: E501  (the generated HTML reads best as one string per element)
"""Crawl throughput: ``kammerwatch crawl`` vs a bare Scrapy spider, same run.

A generated local site of N WordPress posts (each with threaded comments on
one page, no REST API) is served on 127.0.0.1 by a separate process. Both
crawls fetch the same N pages with the same concurrency settings; the bare
spider parses nothing and stores nothing. Prints pages/s of both, the ratio
(target >= 0.6) and the peak memory (Scrapy's memusage/max) of each.

    python benchmarks/crawl_throughput.py [--pages 2000]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STATS_EXT = 'EXTENSIONS={"benchmarks.statsdump.StatsDump": 0}'
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "ROBOTSTXT_OBEY": "False",
    "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": "False",
    "KW_ALLOW_PRIVATE": "True",  # the generated site is on 127.0.0.1
}
WORDS = [
    "Handwerkskammer", "Website", "erreichbar", "Prüfungen", "finden", "statt", "Angriff",
    "Dienstleister", "Daten", "Abfluss", "ausgeschlossen", "Landesbeauftragte", "informiert",
    "Kurse", "Telefon", "Kammer",
]  # fmt: skip


def comment_html(post: int, n: int, depth: int) -> str:
    text = " ".join(WORDS[(post + n + i) % len(WORDS)] for i in range(40))
    cid = post * 100 + n
    return (
        f'<li id="comment-{cid}" class="comment depth-{depth}">'
        f'<article id="div-comment-{cid}" class="comment-body"><footer class="comment-meta">'
        f'<div class="comment-author vcard"><b class="fn">Leser {n}</b> '
        f'<span class="says">sagt:</span></div><div class="comment-metadata">'
        f'<a href="/p/{post}/#comment-{cid}"><time datetime="2024-01-09T1{n % 10}:15:00+01:00">'
        f"9. Januar 2024 um 1{n % 10}:15 Uhr</time></a></div></footer>"
        f'<div class="comment-content"><p>{text}</p><p>{text}</p></div>'
        f'<div class="reply"><a class="comment-reply-link" href="?replytocom={cid}">Antworten</a>'
        f"</div></article>"
    )


def _chrome(post: int) -> tuple[str, str, str]:
    """Head, header/sidebar and footer as a typical WordPress theme renders them.

    Real post pages carry 60-300 KB of this (reference pages: 90-360 KB):
    inline CSS and JS, a JSON-LD graph, a menu, sidebar widgets (recent posts,
    recent comments linking to other posts' comment pages, archives,
    categories, tags) and a consent banner.
    """
    css = "".join(f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i:06x}}}" for i in range(300))
    js = "".join(
        f"var w{i}={{id:{i},u:'/wp-json/x/{i}',f:function(a){{return a+{i}}}}};" for i in range(300)
    )
    links = "".join(
        f'<link rel="stylesheet" id="s{i}-css" media="all" '
        f'href="/wp-content/plugins/p{i}/style.css?ver=6.4.2">'
        for i in range(15)
    )
    metas = "".join(f'<meta property="og:extra{i}" content="Wert {i}">' for i in range(20))
    head = (
        f'<meta name="generator" content="WordPress 6.4.2"><title>Beitrag {post} - Blog</title>'
        f'<link rel="canonical" href="/p/{post}/">{links}{metas}'
        f'<meta property="article:published_time" content="2024-01-09T09:30:00+01:00">'
        f"<style>{css}</style><script>{js}</script>"
    )
    menu = "".join(
        f'<li class="menu-item menu-item-{i}"><a href="/kategorie/{i}/">Rubrik {i}</a>'
        f'<ul class="sub-menu">{"".join(f"<li><a href=/k/{i}/{j}/>Thema {j}</a></li>" for j in range(5))}'
        "</ul></li>"
        for i in range(12)
    )
    widgets = (
        '<aside id="secondary" class="widget-area">'
        '<section class="widget widget_search"><form role="search" action="/"><input name="s"></form></section>'
        '<section class="widget widget_recent_entries"><h2 class="widget-title">Neueste Beiträge</h2><ul>'
        + "".join(f'<li><a href="/p/{post + i}/">Beitrag {post + i}</a></li>' for i in range(1, 11))
        + '</ul></section><section class="widget widget_recent_comments"><h2>Neueste Kommentare</h2><ul>'
        + "".join(
            f'<li class="recentcomments"><span class="comment-author-link">Leser {i}</span> bei '
            f'<a href="/p/{post + i}/comment-page-1/#comment-{i}">Beitrag {post + i}</a></li>'
            for i in range(1, 11)
        )
        + '</ul></section><section class="widget widget_archive"><h2>Archiv</h2><ul>'
        + "".join(
            f'<li><a href="/20{20 + i // 12}/{i % 12 + 1:02d}/">Monat {i}</a></li>'
            for i in range(36)
        )
        + '</ul></section><section class="widget widget_tag_cloud"><div class="tagcloud">'
        + "".join(f'<a href="/tag/t{i}/" class="tag-cloud-link">Tag {i}</a> ' for i in range(40))
        + "</div></section></aside>"
    )
    header = f'<header id="masthead"><nav id="site-navigation"><ul id="primary-menu">{menu}</ul></nav></header>'
    footer = (
        '<footer id="colophon"><div class="footer-widgets">'
        + "".join(f'<a href="/seite/{i}/">Seite {i}</a> ' for i in range(30))
        + '</div></footer><div id="cmplz-cookiebanner" class="cmplz-cookiebanner"><div class="cmplz-message">'
        + "Wir verwenden Cookies, um unsere Website und unseren Service zu optimieren. " * 4
        + "</div><button>Akzeptieren</button></div>"
    )
    return head, header + widgets, footer


def page_html(post: int) -> bytes:
    body = "".join(
        f"<p>{' '.join(WORDS[(post + i + j) % len(WORDS)] for j in range(60))}</p>"
        for i in range(12)
    )
    # 4 threads of 3 comments each, nested 3 deep (depth 1 > 2 > 3)
    thread = ""
    for t in range(4):
        n = t * 3
        thread += (
            comment_html(post, n, 1)
            + '<ol class="children">'
            + comment_html(post, n + 1, 2)
            + '<ol class="children">'
            + comment_html(post, n + 2, 3)
            + "</li></ol></li></ol></li>"
        )
    head, sidebar, footer = _chrome(post)
    html = (
        f'<!DOCTYPE html><html lang="de-DE"><head><meta charset="UTF-8">{head}</head>'
        f'<body class="post-template-default single postid-{post}"><div id="page">{sidebar}'
        f'<main><article id="post-{post}">'
        f'<h1 class="entry-title">Beitrag {post}</h1><div class="entry-content">{body}</div>'
        f'</article><div id="comments"><h2 class="comments-title">12 Kommentare</h2>'
        f'<ol class="comment-list">{thread}</ol></div></main>{footer}</div></body></html>'
    )
    return html.encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    cache: dict[int, bytes] = {}

    def do_GET(self) -> None:
        parts = self.path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "p" and parts[1].isdigit():
            post = int(parts[1])
            body = self.cache.get(post) or page_html(post)
            self.cache[post] = body
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=UTF-8")
        else:
            body = b"not found"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


def serve(port_queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_queue.put(server.server_address[1])
    server.serve_forever()


def run(cmd: list[str], out: Path, cwd: Path = REPO) -> dict[str, object]:
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"benchmark crawl failed: {' '.join(cmd[:4])}…\n{proc.stderr[-2000:]}")
    stats = json.loads((out / "stats.json").read_text()) if (out / "stats.json").exists() else {}
    return {"wall": wall, **stats}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    server = multiprocessing.Process(target=serve, args=(queue,), daemon=True)
    server.start()
    port = queue.get(timeout=10)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmpdir = Path(tmp)
            urls = tmpdir / "urls.txt"
            urls.write_text(
                "\n".join(f"http://127.0.0.1:{port}/p/{n}/" for n in range(1, args.pages + 1))
            )
            flags = [f"-s{k}={v}" for k, v in SETTINGS.items()]
            bare_out = tmpdir / "bare"
            bare_out.mkdir()
            bare = run(
                [
                    sys.executable,
                    "-m",
                    "scrapy",
                    "runspider",
                    str(REPO / "benchmarks" / "bare_spider.py"),
                    "-a",
                    f"urls_file={urls}",
                    *flags,
                    "-s",
                    STATS_EXT,
                    "-s",
                    f"KW_STATS_JSON={bare_out / 'stats.json'}",
                ],
                bare_out,
                cwd=tmpdir,  # outside the project: no project settings, no pipelines
            )
            kw_out = tmpdir / "kw"
            kw = run(
                [
                    sys.executable,
                    "-m",
                    "crawler.cli",
                    "crawl",
                    "--urls-file",
                    str(urls),
                    "--out",
                    str(kw_out),
                    "--no-warc",
                    *flags,
                    "-s",
                    STATS_EXT,
                    "-s",
                    f"KW_STATS_JSON={kw_out / 'stats.json'}",
                ],
                kw_out,
            )
    finally:
        server.terminate()
    for name, result in (("bare", bare), ("kammerwatch", kw)):
        pages = int(result.get("response_received_count", 0))
        elapsed = float(result.get("elapsed_time_seconds", result["wall"]))
        result["pages_per_s"] = pages / elapsed if elapsed else 0.0
        print(
            f"{name:12s} pages={pages:5d} items={int(result.get('item_scraped_count', 0)):6d} "
            f"crawl={elapsed:6.2f}s wall={float(result['wall']):6.2f}s "
            f"pages/s={result['pages_per_s']:7.1f} "
            f"peak_mem={int(result.get('memusage/max', 0)) / 2**20:6.1f} MiB"
        )
    for name, result in (("bare", bare), ("kammerwatch", kw)):
        if int(result.get("response_received_count", 0)) < args.pages:
            sys.exit(f"{name} fetched fewer pages than the site has: the comparison is void")
    ratio = float(kw["pages_per_s"]) / float(bare["pages_per_s"])
    print(
        f"ratio kammerwatch/bare = {ratio:.2f} (target >= 0.60) "
        + ("OK" if ratio >= 0.6 else "BELOW TARGET")
    )


if __name__ == "__main__":
    main()
