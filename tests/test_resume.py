"""A crawl killed with SIGKILL goes on with --resume: nothing stored is lost or
duplicated, the store passes SQLite's integrity check, and the lock of the
killed run is taken over."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import urlopen

from tests.crawlrun import FAST, REPO, crawl
from tests.httpserver import LocalSite, RequestInfo
from tests.sites.wordpress import build_wordpress_site

POSTS = 12
STORED_BEFORE_KILL = 2  # the first posts are served; the pages of all others are held


def stored(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # tables not created yet
        return 0
    finally:
        db.close()


def test_sigkill_then_resume(local_site: LocalSite, tmp_path: Path) -> None:
    posts = [
        build_wordpress_site(
            local_site, theme="html5", rest="none", n_threads=3, threads_per_page=2,
            post_id=500 + i, path=f"/2024/01/{i + 1:02d}/beitrag-{i}/", seed=i,
            first_comment_id=10_000 * (i + 1),
        )
        for i in range(POSTS)
    ]  # fmt: skip
    release = threading.Event()
    blocked = threading.Event()
    out = tmp_path / "out"
    pages = [
        (url, index >= STORED_BEFORE_KILL)
        for index, post in enumerate(posts)
        for url in {post.post_url, *post.page_urls}
    ]
    for url, held in pages:
        body = urlopen(url).read()

        def handler(
            info: RequestInfo, body: bytes = body, held: bool = held
        ) -> tuple[int, dict[str, str], bytes]:
            if held:  # hangs until the crawler has been killed
                blocked.set()
                release.wait(60)
            return 200, {"Content-Type": "text/html; charset=utf-8"}, body

        local_site.add_handler(urlsplit(url).path, handler)
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(p.post_url for p in posts), encoding="utf-8")
    flags = [f"-s{k}={v}" for k, v in FAST.items()]
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--urls-file", str(urls),
         "--out", str(out), "--no-warc", "--resumable", *flags,
         "-sKW_STORE_COMMIT_EVERY=1",  # every document visible at once (the kill waits on it)
         # room beside the held requests for the served posts' comment pages
         "-sCONCURRENT_REQUESTS=32", "-sCONCURRENT_REQUESTS_PER_DOMAIN=32"],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert blocked.wait(120), "the crawl never reached the held pages"
        # kill once the served posts are stored (a deadline-bound poll of the store)
        deadline = threading.Event()
        for _ in range(1200):
            if stored(out / "kammerwatch.db") >= STORED_BEFORE_KILL:
                break
            deadline.wait(0.05)
        assert stored(out / "kammerwatch.db") == STORED_BEFORE_KILL
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        release.set()
    assert proc.returncode == -signal.SIGKILL

    db = sqlite3.connect(out / "kammerwatch.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored_before = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    assert stored_before == STORED_BEFORE_KILL
    assert (out / "job").exists()  # the queue of the killed crawl is still there
    # SIGKILL can cut a queue file anywhere (its header is buffered): make sure one is
    damaged = out / "job" / "auto" / "requests.queue" / "-7"
    damaged.parent.mkdir(parents=True, exist_ok=True)
    damaged.write_bytes(b"\x00")

    resumed = crawl("--urls-file", str(urls), "--no-warc", "--resume", out=out)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "took over the lock of a run that did not finish" in resumed.stdout
    assert "the request queue of the killed crawl is damaged" in resumed.stdout
    assert "-7: 1 bytes, shorter than the queue header" in resumed.stdout
    assert resumed.stats.get("kw/resume/skipped_stored", 0) == stored_before
    assert resumed.stats.get("kw/store/article/new", 0) == POSTS - stored_before

    db = sqlite3.connect(out / "kammerwatch.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == POSTS
    expected_comments = sum(p.comment_count for p in posts)
    assert db.execute("SELECT count(*) FROM comments").fetchone()[0] == expected_comments
    per_article = dict(db.execute("SELECT article_id, count(*) FROM comments GROUP BY article_id"))
    assert per_article == {f"127.0.0.1:post:{p.post_id}": p.comment_count for p in posts}
    assert len(resumed.comments) == expected_comments  # exports rewritten, no duplicates
    assert not (out / "job").exists()  # a finished crawl leaves no queue behind
