"""Incremental crawls (issue 6, point 2): conditional requests, unchanged pages not
re-parsed, comment threads re-checked with a decaying interval, new comments
added once, edited and deleted comments recorded.

One 4-run schedule of ``benchmarks/incremental.py`` (6 posts of 20 comments,
4 HTML pages each; posts 3 and 6 send no validators; runs 6 fake hours apart;
before runs 2, 3 and 4 post 1, 2, 3 gains 3 comments; before run 4 one comment
of post 5 is edited and one deleted) plus unit tests of the decay.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.incremental import GrowingBlog, Run, run_schedule
from pipelines.store import MAX_RECHECK, MIN_RECHECK, Store, recheck_interval
from tests.crawlrun import crawl
from tests.httpserver import LocalServer, LocalSite, serve
from tests.sites.wordpress import build_wordpress_site
from tests.sites.wptext import Block, Inline

POSTS, COMMENTS, PAGES = 6, 20, 4


@pytest.fixture(scope="module")
def schedule(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[Run], Path]]:
    server: LocalServer = serve()
    try:
        blog = GrowingBlog(server.site, POSTS, COMMENTS)
        out = tmp_path_factory.mktemp("incremental") / "out"

        def before_run(number: int) -> None:
            if number == 4:  # post 5: the newest comment edited, the one before deleted
                post = blog.posts[4]
                post.comments[-1].blocks = [Block("p", [Inline("text", "Korrigiert: läuft.")])]
                del post.comments[-2]

        runs = run_schedule(server.site, blog, out, 4, before_run=before_run)
        yield runs, out
    finally:
        server.stop()


def stat(run: Run, key: str) -> int:
    return int(run.result.stats.get(key, 0))


def test_first_run_reads_everything(schedule: tuple[list[Run], Path]) -> None:
    runs, _ = schedule
    first = runs[0]
    assert first.requests == POSTS * PAGES + 1  # + robots.txt
    assert stat(first, "kw/store/article/new") == POSTS
    assert stat(first, "kw/store/comment/new") == POSTS * COMMENTS
    assert stat(first, "kw/incremental/conditional") == 0


def test_unchanged_pages_are_not_parsed_again(schedule: tuple[list[Run], Path]) -> None:
    runs, _ = schedule
    second = runs[1]
    # post 1 gained comments (its page changed: 200, whole thread read again);
    # posts 2, 4, 5 answered 304; posts 3 and 6 sent the same body (no validators)
    assert stat(second, "kw/incremental/conditional") == 4
    assert stat(second, "kw/incremental/not_modified") == 3
    assert stat(second, "kw/incremental/same_body") == 2
    assert stat(second, "kw/incremental/thread_due") == 0
    assert stat(second, "kw/store/article/new") == 0
    assert stat(second, "kw/store/article/unchanged") == 1  # post 1 only was parsed
    assert stat(second, "kw/store/comment/new") == 3
    assert stat(second, "kw/store/comment/unchanged") == COMMENTS
    # the 6 post pages, robots.txt and the 4 other comment pages of post 1 (23 comments)
    assert second.requests == POSTS + 1 + 4


def test_active_thread_is_rechecked_despite_304(schedule: tuple[list[Run], Path]) -> None:
    runs, _ = schedule
    third = runs[2]
    # post 1 got comments an hour after run 1: due again at run 3 even though its page
    # would answer 304; post 2 gained comments; the others are skipped
    assert stat(third, "kw/incremental/thread_due") == 1
    assert (
        stat(third, "kw/incremental/not_modified") + stat(third, "kw/incremental/same_body")
        == POSTS - 2
    )
    assert stat(third, "kw/store/comment/new") == 3
    assert stat(third, "kw/store/comment/unchanged") == 2 * COMMENTS + 3
    # + the 4 other pages of post 2 (grown) and of post 1 (due)
    assert third.requests == POSTS + 1 + 4 + 4


def test_edits_and_deletions_are_recorded(schedule: tuple[list[Run], Path]) -> None:
    runs, out = schedule
    fourth = runs[3]
    # posts 1 and 2 are still active (due); post 3 grew; post 5 changed (19 comments)
    assert stat(fourth, "kw/incremental/thread_due") == 2
    assert fourth.requests == POSTS + 1 + 4 + 4 + 4 + 3
    assert stat(fourth, "kw/store/comment/changed") == 1
    assert stat(fourth, "kw/store/comment/deleted") == 1
    assert fourth.result.stats["comments"]["deleted"] == 1
    db = sqlite3.connect(out / "kammerwatch.db")
    total = db.execute("SELECT count(*) FROM comments").fetchone()[0]
    deleted = db.execute("SELECT count(*) FROM comments WHERE deleted_at IS NOT NULL").fetchone()
    versions = db.execute("SELECT count(*) FROM comment_versions").fetchone()[0]
    cached = db.execute("SELECT count(*) FROM http_cache WHERE etag IS NOT NULL").fetchone()[0]
    db.close()
    assert total == POSTS * COMMENTS + 3 * 3  # nothing duplicated, nothing removed
    assert deleted[0] == 1
    assert versions == 1
    assert cached == 4  # posts 3 and 6 send no validators


def test_every_rerun_is_cheap(schedule: tuple[list[Run], Path]) -> None:
    runs, _ = schedule
    assert [r.requests for r in runs] == [25, 11, 15, 22]
    assert all(r.result.stats["finish_reason"] == "finished" for r in runs)


# -- the decay, with a fake clock --------------------------------------------------------------
def test_recheck_interval_decays() -> None:
    assert recheck_interval("2026-03-02T10:00:00+01:00", "2026-03-02T09:30:00+01:00") == MIN_RECHECK
    assert recheck_interval("2026-03-02T10:00:00+01:00", "2026-03-01T10:00:00+01:00") == 12 * 3600
    assert recheck_interval("2026-03-02T10:00:00+01:00", "2024-01-12T23:59:00+01:00") == MAX_RECHECK
    assert recheck_interval("2026-03-02T10:00:00+01:00", None) == MAX_RECHECK


def test_thread_due_follows_the_clock(tmp_path: Path) -> None:
    from crawler.items import Article

    with Store(tmp_path / "kw.db") as store:
        article = Article(
            id="a1",
            url="https://example.org/a",
            canonical_url="https://example.org/a",
            source="example.org",
            title="T",
            text="x",
        )
        store.upsert(article)
        assert store.thread_due("https://example.org/a", "2026-03-02T10:00:00+01:00")
        row = store.record_thread_check(
            "a1", "2026-03-02T10:00:00+01:00", [{"published": "2026-03-01T22:00:00+01:00"}]
        )
        assert row["interval"] == 6 * 3600  # quiet for 12 hours: checked again in 6
        assert not store.thread_due("https://example.org/a", "2026-03-02T15:59:00+01:00")
        assert store.thread_due("https://example.org/a", "2026-03-02T16:00:00+01:00")
        row = store.record_thread_check("a1", "2026-03-02T16:00:00+01:00", [])
        assert row["interval"] == 9 * 3600  # still quiet: the interval grows
        assert row["last_new_comment"] == "2026-03-01T22:00:00+01:00"
        assert store.thread_due("https://example.org/unknown", "2026-03-02T16:00:00+01:00")


def test_due_thread_is_reread_through_rest(local_site: LocalSite, tmp_path: Path) -> None:
    """A WordPress post with the REST API and no validators: skipped while its quiet
    thread is not due (same body), re-read through the API once a week has passed."""
    expected = build_wordpress_site(local_site, theme="html5", rest="on", n_threads=6)
    rest_calls = []
    for now in (
        "2026-03-02T08:00:00+01:00",
        "2026-03-02T14:00:00+01:00",
        "2026-03-09T08:00:00+01:00",
    ):
        local_site.clear_requests()
        result = crawl(
            expected.post_url,
            "--incremental",
            "--no-warc",
            out=tmp_path,
            settings={"KW_NOW": now, "KW_EXPORT": "False"},
        )
        assert result.returncode == 0, result.stderr[-2000:]
        rest_calls.append(sum(1 for p in local_site.paths() if p.startswith("/wp-json/")))
        if now.startswith("2026-03-02T14"):
            assert result.stats["kw/incremental/same_body"] == 1
        if now.startswith("2026-03-09"):
            assert result.stats["kw/incremental/thread_due"] == 1
            assert result.stats["kw/store/comment/unchanged"] == expected.comment_count
    assert rest_calls == [1, 0, 1]
