"""Parsing in worker processes: the same results as inline, parser errors reach the
caller, a dead worker fails over to inline parsing without losing a page."""

from __future__ import annotations

import asyncio
import fcntl
import io
import os
import pickle
import signal
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings

from crawler.parsepool import (
    MAX_RESTARTS,
    PIPE_SIZE,
    ParsePool,
    release_pool,
    shared_pool,
    widen_pipe,
    worker_count,
)
from crawler.parsers.common import ParseError
from crawler.parsers.news import parse_news
from crawler.parsers.wordpress import parse_post
from crawler.parseworker import HEADER, answer, read_frames, serve

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FETCHED = "2024-01-20T10:00:00+01:00"


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def _pages() -> list[tuple[Any, str, str]]:
    pages: list[tuple[Any, str, str]] = []
    for path in sorted((FIXTURES / "news").glob("*.html")):
        pages.append((parse_news, path.read_text("utf-8"), f"https://example.org/{path.stem}"))
    for path in sorted((FIXTURES / "wordpress").rglob("*.html")):
        pages.append(
            (parse_post, path.read_text("utf-8"), f"https://blog.example.org/{path.stem}/")
        )
    return pages


def test_worker_count_setting() -> None:
    assert worker_count("auto", cpus=2) == 1
    assert worker_count("auto", cpus=1) == 0
    assert worker_count(None, cpus=8) == 1
    assert worker_count("0") == 0
    assert worker_count(3) == 3
    with pytest.raises(ValueError, match="KW_PARSE_WORKERS: 'zwei'"):
        worker_count("zwei")
    with pytest.raises(ValueError, match="negative"):
        worker_count("-1")
    assert ParsePool.from_settings(Settings({"KW_PARSE_WORKERS": "0"}), None).inline


def test_workers_return_what_inline_parsing_returns() -> None:
    pages = _pages()
    assert len(pages) >= 15
    stats = Stats()

    async def parse_all() -> list[Any]:
        pool = ParsePool(2, stats)  # type: ignore[arg-type]
        try:
            results = await asyncio.gather(
                *(pool.run(fn, html, url, FETCHED) for fn, html, url in pages)
            )
            assert len(pool._pool) == 2  # the concurrent first calls started the workers once
            assert sum(1 for w in pool._pool if w.alive) == 2
            return results
        finally:
            pool.close()

    results = asyncio.run(parse_all())
    expected = [fn(html, url, FETCHED) for fn, html, url in pages]
    assert results == expected
    assert stats.values == {"kw/parse_pool/pages": len(pages)}


def test_parser_errors_reach_the_caller_and_the_pool_goes_on() -> None:
    async def run() -> tuple[str, str]:
        pool = ParsePool(1)
        try:
            with pytest.raises(ParseError, match=r"https://example\.org/leer: empty document"):
                await pool.run(parse_news, "   ", "https://example.org/leer", FETCHED)
            page = await pool.run(
                parse_news, "<html><title>T</title><p>Text</p></html>", "https://x.org/a", FETCHED
            )
            return page.article.url, str(pool.inline)
        finally:
            pool.close()

    assert asyncio.run(run()) == ("https://x.org/a", "False")


def test_a_killed_worker_is_replaced_and_its_pages_parsed_inline() -> None:
    stats = Stats()
    html = (FIXTURES / "news" / "pnp.html").read_text("utf-8")

    async def run() -> list[str]:
        pool = ParsePool(1, stats)  # type: ignore[arg-type]
        try:
            first = await pool.run(parse_news, html, "https://example.org/1", FETCHED)
            dead = pool._pool[0].process.pid
            os.kill(dead, signal.SIGKILL)
            # in flight while the worker dies: parsed inline
            later = await asyncio.gather(
                *(pool.run(parse_news, html, f"https://example.org/{n}", FETCHED) for n in (2, 3))
            )
            # then a new worker parses again
            last = await pool.run(parse_news, html, "https://example.org/4", FETCHED)
            assert pool._pool[0].process.pid != dead and pool._pool[0].alive
            return [first.article.url, *(page.article.url for page in later), last.article.url]
        finally:
            pool.close()

    urls = asyncio.run(run())
    assert [u.rsplit("/", 1)[1] for u in urls] == ["1", "2", "3", "4"]
    assert stats.values["kw/parse_pool/pages"] == 2
    assert stats.values["kw/parse_pool/parsed_inline"] == 2
    assert stats.values["kw/parse_pool/restarted"] == 1
    assert "kw/parse_pool/broken" not in stats.values


def test_a_page_that_kills_every_worker_ends_in_inline_parsing() -> None:
    stats = Stats()
    html = (FIXTURES / "news" / "pnp.html").read_text("utf-8")

    async def run() -> int:
        pool = ParsePool(1, stats)  # type: ignore[arg-type]
        try:
            for n in range(MAX_RESTARTS + 2):
                await pool._ensure_started()
                if pool._pool:
                    os.kill(pool._pool[0].process.pid, signal.SIGKILL)
                page = await pool.run(parse_news, html, f"https://example.org/{n}", FETCHED)
                assert page.article.url.endswith(f"/{n}")
            return len(pool._pool)
        finally:
            pool.close()

    assert asyncio.run(run()) == 0
    assert stats.values["kw/parse_pool/restarted"] == MAX_RESTARTS
    assert stats.values["kw/parse_pool/broken"] == 1


def test_a_page_that_takes_too_long_is_given_up() -> None:
    stats = Stats()
    html = (FIXTURES / "news" / "pnp.html").read_text("utf-8")

    async def run() -> str:
        pool = ParsePool(1, stats, timeout=1e-4)  # type: ignore[arg-type]
        try:
            await pool._ensure_started()
            with pytest.raises(ParseError, match=r"https://example\.org/langsam: parsing took"):
                await pool.run(parse_news, html, "https://example.org/langsam", FETCHED)
            # the stuck worker is killed and replaced
            page = await pool.run(parse_news, html, "https://example.org/weiter", FETCHED)
            return page.article.url
        finally:
            pool.close()

    assert asyncio.run(run()).endswith("/weiter")
    assert stats.values["kw/parse_pool/timeout"] == 1
    assert stats.values["kw/parse_pool/restarted"] == 1  # the stuck worker was replaced
    assert "kw/parse_pool/broken" not in stats.values


def test_unregistered_functions_run_inline() -> None:
    pool = ParsePool(1)

    async def run() -> int:
        return await pool.run(len, "abc")

    assert asyncio.run(run()) == 3
    assert pool._pool == []  # no worker was started for it


def test_frames_roundtrip_through_the_worker_loop() -> None:
    html = "<html><head><title>Titel</title></head><body><p>Absatz eins.</p></body></html>"
    request = pickle.dumps(("parse_news", (html, "https://x.org/b", FETCHED), {}))
    broken = pickle.dumps(("parse_news", ("", "https://x.org/c", FETCHED), {}))
    stdin = io.BytesIO(
        HEADER.pack(7, len(request)) + request + HEADER.pack(8, len(broken)) + broken
    )
    stdout = io.BytesIO()
    serve(stdin, stdout)
    frames = list(read_frames(bytearray(stdout.getvalue())))
    assert [task_id for task_id, _ in frames] == [7, 8]
    ok, page = pickle.loads(frames[0][1])
    assert ok and page.article.title == "Titel"
    ok, error = pickle.loads(frames[1][1])
    assert not ok and isinstance(error, ParseError)
    # a frame cut in the middle stays in the buffer until the rest arrives
    buffer = bytearray(stdout.getvalue()[:10])
    assert list(read_frames(buffer)) == [] and len(buffer) == 10
    assert pickle.loads(answer("parse_news", ("", "u", FETCHED), {}))[0] is False


def test_spiders_of_one_process_share_one_pool_and_count_their_own_pages() -> None:
    html = (FIXTURES / "news" / "pnp.html").read_text("utf-8")
    first, second = Stats(), Stats()

    async def run() -> tuple[int, bool]:
        pool = shared_pool(Settings({"KW_PARSE_WORKERS": "1"}))
        assert shared_pool(Settings({"KW_PARSE_WORKERS": "3"})) is pool  # the first one's
        await asyncio.gather(
            pool.run(parse_news, html, "https://example.org/a", FETCHED, stats=first),
            pool.run(parse_news, html, "https://example.org/b", FETCHED, stats=second),
            pool.run(parse_news, html, "https://example.org/c", FETCHED, stats=second),
        )
        workers = len(pool._pool)
        release_pool(pool)
        still_running = bool(pool._pool) and pool._pool[0].alive
        release_pool(pool)
        return workers, still_running and not pool._pool

    assert asyncio.run(run()) == (1, True)
    assert first.values == {"kw/parse_pool/pages": 1}
    assert second.values == {"kw/parse_pool/pages": 2}
    again = shared_pool(Settings({"KW_PARSE_WORKERS": "0"}))  # a new pool after the last user
    assert again.inline
    release_pool(again)


def test_no_worker_can_start_then_every_page_is_parsed_inline(monkeypatch: Any) -> None:
    stats = Stats()
    html = (FIXTURES / "news" / "pnp.html").read_text("utf-8")
    monkeypatch.setattr("crawler.parsepool.sys.executable", "/nonexistent/python")

    async def run() -> list[str]:
        pool = ParsePool(1, stats)  # type: ignore[arg-type]
        try:
            pages = [
                await pool.run(parse_news, html, f"https://example.org/{n}", FETCHED)
                for n in range(3)
            ]
            assert pool.inline
            return [page.article.url.rsplit("/", 1)[1] for page in pages]
        finally:
            pool.close()

    assert asyncio.run(run()) == ["0", "1", "2"]
    assert stats.values == {"kw/parse_pool/parsed_inline": 1, "kw/parse_pool/broken": 1}


@pytest.mark.skipif(not hasattr(fcntl, "F_SETPIPE_SZ"), reason="pipe sizes are Linux-only")
def test_a_whole_page_goes_into_the_pipe_in_one_write() -> None:
    """A page bigger than the default 64 KiB pipe is handed over without waiting
    for another turn of the loop (the worker would sit idle for its end)."""
    html = "<html><title>Gross</title><body>" + "<p>Ein Absatz Text.</p>" * 15000 + "</body></html>"
    assert len(html) > 300_000

    async def run() -> tuple[int, int, int, str]:
        pool = ParsePool(1)
        try:
            await pool._ensure_started()
            worker = pool._pool[0]
            assert worker.process.stdin is not None and worker.process.stdout is not None
            sizes = [
                fcntl.fcntl(pipe.fileno(), fcntl.F_GETPIPE_SZ)
                for pipe in (worker.process.stdin, worker.process.stdout)
            ]
            task = asyncio.ensure_future(pool.run(parse_news, html, "https://x.org/g", FETCHED))
            await asyncio.sleep(0)  # one turn: the request is written
            buffered = worker.writer.get_write_buffer_size()
            page = await task
            return sizes[0], sizes[1], buffered, page.article.title
        finally:
            pool.close()

    stdin_size, stdout_size, buffered, title = asyncio.run(run())
    limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
    assert stdin_size == stdout_size == min(PIPE_SIZE, limit)
    assert buffered == 0  # with the default 64 KiB pipe, 250 KB would wait in the loop
    assert title == "Gross"
    read_end, write_end = os.pipe()
    try:
        assert widen_pipe(write_end, 4096) == 4096
    finally:
        os.close(read_end)
        os.close(write_end)
