"""The command line: routing, Scrapy integration, polite defaults and clear
errors for bad input (one line naming the file/URL, non-zero exit, nothing
written)."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

from scrapy.utils.project import get_project_settings

from tests.crawlrun import REPO, crawl, run_cli
from tests.httpserver import LocalSite
from tests.sites.wordpress import build_wordpress_site


def test_polite_defaults() -> None:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    assert settings.getbool("ROBOTSTXT_OBEY") is True
    assert settings["USER_AGENT"].startswith("Kammerwatch/")
    assert "+https://" in settings["USER_AGENT"]
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is True
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert settings.getint("DOWNLOAD_MAXSIZE") == 10 * 1024 * 1024


def test_scrapy_list_names_every_spider() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], cwd=REPO, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert {"auto", "news", "wordpress"} <= set(proc.stdout.split())


def test_scrapy_crawl_wordpress_spider(local_site: LocalSite, tmp_path: Path) -> None:
    expected = build_wordpress_site(local_site, theme="twentytwelve", rest="none", n_threads=3)
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "wordpress", "-a", f"urls={expected.post_url}",
         "-s", f"KW_OUT_DIR={tmp_path}", "-s", "AUTOTHROTTLE_ENABLED=False",
         "-s", "LOG_LEVEL=WARNING", "-s", "KW_ALLOW_PRIVATE=True"],
        cwd=REPO, capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = (tmp_path / "comments.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == expected.comment_count


def test_robots_txt_is_obeyed(local_site: LocalSite, tmp_path: Path) -> None:
    expected = build_wordpress_site(local_site, theme="html5", rest="none", n_threads=2)
    local_site.add("/robots.txt", "User-agent: *\nDisallow: /2024/\n", content_type="text/plain")
    result = crawl(expected.post_url, out=tmp_path)
    assert result.returncode == 0
    assert result.articles == []
    assert result.stats["robotstxt/forbidden"] == 1


def test_no_arguments() -> None:
    proc = run_cli("crawl")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "kammerwatch: error: give URLs or --archive FILE"


def test_not_a_url() -> None:
    proc = run_cli("crawl", "ftp://example.org/x", "--out", "/nonexistent-never-created")
    assert proc.returncode == 2
    assert "not an http(s) URL: 'ftp://example.org/x'" in proc.stderr
    assert not Path("/nonexistent-never-created").exists()


def test_bad_archive_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.warc.gz"
    bad.write_bytes(gzip.compress(b"just text"))
    out = tmp_path / "out"
    proc = run_cli("crawl", "--archive", str(bad), "--out", str(out))
    assert proc.returncode == 2
    assert (
        proc.stderr.strip()
        == f"kammerwatch: error: {bad}: not a WARC file (does not start with 'WARC/')"
    )
    assert not out.exists()


def test_missing_archive(tmp_path: Path) -> None:
    proc = run_cli("run", "--archive", str(tmp_path / "nope.warc.gz"), "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "nope.warc.gz: cannot open" in proc.stderr


def test_bad_url_list_names_file(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("https://example.org/a\nexample.org/b\n", encoding="utf-8")
    proc = run_cli("crawl", "--urls-file", str(urls), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert f"{urls}: not an http(s) URL: 'example.org/b'" in proc.stderr


def test_export_without_store(tmp_path: Path) -> None:
    proc = run_cli("export", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "kammerwatch.db: no such store" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_export_of_an_unreadable_store_keeps_it(tmp_path: Path) -> None:
    db = tmp_path / "kammerwatch.db"
    db.write_bytes(b"garbage" * 1000)
    proc = run_cli("export", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "not a usable Kammerwatch store" in proc.stderr
    assert db.read_bytes() == b"garbage" * 1000
