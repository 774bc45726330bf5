"""End to end: `kammerwatch crawl` of heise, golem and handwerksblatt articles with
their forum threads / AJAX comments, through Scrapy's real downloader.

The fixture sites live under their real hosts (``http://www.heise.de``,
``forum.golem.de``, …) so that the source registry routes them to their comment
flows; the local test server answers them as the crawl's HTTP proxy
(``http_proxy`` in the crawl's environment), so nothing leaves 127.0.0.1.

Sequential requests are checked through the ``Referer`` header: a flow that
issues each request from the callback of the previous one produces a chain in
which every request names the one before it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.crawlrun import CrawlResult, crawl
from tests.httpserver import LocalSite
from tests.sites import golem as golem_site
from tests.sites import heise as heise_site
from tests.sites.golem import build_golem_site
from tests.sites.handwerksblatt import build_handwerksblatt_site
from tests.sites.heise import build_heise_site


@pytest.fixture
def proxied(local_site: LocalSite, monkeypatch: pytest.MonkeyPatch) -> LocalSite:
    """The local site, reachable under any host name through ``http_proxy``."""
    for name in ("no_proxy", "NO_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", local_site.base_url)
    monkeypatch.setenv("HTTP_PROXY", local_site.base_url)
    return local_site


def cid(source: str, site_id: int | None) -> str | None:
    return None if site_id is None else f"{source}:comment:{site_id}"


def assert_comments(
    result: CrawlResult,
    source: str,
    expected: list[dict[str, Any]],
    *,
    list_only: set[int] = frozenset(),  # type: ignore[assignment]
    check_depth: bool = True,
) -> None:
    """Every expected comment exactly once, with author, time, parent, depth and text."""
    ids = [c["id"] for c in result.comments]
    assert len(ids) == len(set(ids)), "a comment was emitted twice"
    got = {c["id"]: c for c in result.comments}
    want = {cid(source, c["site_id"]): c for c in expected}
    assert set(got) == set(want)
    article = result.articles[0]
    for key, exp in want.items():
        c = got[key]
        assert c["author"] == exp["author"], key
        assert c["published"] == exp["published"], key
        assert c["parent_id"] == cid(source, exp["parent_site_id"]), key
        if check_depth:
            assert c["depth"] == exp["depth"], key
        text = exp.get("list_text", exp["text"]) if exp["site_id"] in list_only else exp["text"]
        assert c["text"] == text, key
        assert c["article_id"] == article["id"]
        assert c["article_url"] == article["canonical_url"]
    ordered = [c["id"] for c in sorted(result.comments, key=lambda c: c["position"])]
    assert ordered == [cid(source, c["site_id"]) for c in expected]
    assert article["comment_count"] == len(expected)


def forum_requests(site: LocalSite, article_path: str) -> list[tuple[str, str]]:
    """(path with query, Referer path with query) of every request after the article."""
    out = []
    started = False
    for _method, path, headers in site.requests:
        if path == article_path:
            started = True
            continue
        if started and path != "/robots.txt":
            referer = headers.get("Referer") or ""
            parts = urlsplit(referer)
            out.append((path, unquote(parts.path) + (f"?{parts.query}" if parts.query else "")))
    return out


def assert_chain(requests: list[tuple[str, str]], article_path: str) -> None:
    """Each request was issued from the response of the one before it: one in flight."""
    previous = article_path
    for path, referer in requests:
        assert referer == previous, f"{path} came from {referer}, not from {previous}"
        previous = path


def stat(result: CrawlResult, key: str) -> int:
    return int(result.stats.get(key, 0))


# ---------------------------------------------------------------------------
# heise


def test_heise_forum_every_posting_once_with_tree_login_wall_and_broken_page(
    proxied: LocalSite, tmp_path: Path
) -> None:
    expected = build_heise_site(proxied, n_threads=8, threads_per_page=3, login_wall=1, broken=1)
    assert len(expected.list_paths) == 3 and expected.expand_paths
    assert max(c["depth"] for c in expected.comments) == 5
    result = crawl(expected.article_url, out=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(result.articles) == 1
    article = result.articles[0]
    assert article["source"] == "heise.de"
    assert article["title"] == heise_site.TITLE
    unread = set(expected.login_wall) | set(expected.broken)
    assert_comments(result, "heise.de", expected.comments, list_only=unread)
    comments = {c["id"]: c for c in result.comments}
    one = expected.comments[0]["site_id"]
    assert (
        comments[cid("heise.de", one)]["url"]
        == "http://www.heise.de" + (expected.posting_paths[one])
    )
    # each page once, the relative discussionUrl followed through its redirect
    paths = proxied.paths()
    for path in [*expected.list_paths, *expected.expand_paths, *expected.posting_paths.values()]:
        assert paths.count(path) == 1, path
    assert paths.count(f"{heise_site.FORUM_PATH}/comment/") == 1
    assert not any("/page-1/" in p for p in paths)
    assert_chain(forum_requests(proxied, heise_site.ARTICLE_PATH), heise_site.ARTICLE_PATH)
    assert stat(result, "kw/forum/heise/login_wall") == 1
    assert stat(result, "kw/forum/heise/posting_failed") == 1
    assert stat(result, "kw/forum/heise/posting_from_list_only") == 2
    assert stat(result, "kw/forum/heise/posting") == len(expected.comments) - 1
    assert stat(result, "kw/forum/heise/list") == 3
    assert stat(result, "kw/comments/extracted") == len(expected.comments)


def test_heise_posting_requests_capped_and_broken_list_page_counted(
    proxied: LocalSite, tmp_path: Path
) -> None:
    expected = build_heise_site(
        proxied, n_threads=7, login_wall=0, broken=0, broken_list_pages=(2,), seed=8
    )
    assert expected.lost
    result = crawl(expected.article_url, out=tmp_path, settings={"KW_FORUM_MAX_POSTINGS": "5"})
    assert result.returncode == 0, result.stderr[-2000:]
    fetched = [p for p in proxied.paths() if p in expected.posting_paths.values()]
    assert len(fetched) == 5
    read = {int(p.rsplit("posting-", 1)[1].split("/")[0]) for p in fetched}
    unread = {c["site_id"] for c in expected.comments} - read
    assert stat(result, "kw/forum/heise/posting_capped") == len(unread) > 0
    assert stat(result, "kw/forum/heise/list_failed") == 1
    # the broken list page loses its threads only; capped postings come from the list
    assert_comments(result, "heise.de", expected.comments, list_only=unread)


def test_heise_article_whose_forum_is_gone_is_still_emitted(
    proxied: LocalSite, tmp_path: Path
) -> None:
    proxied.add(heise_site.ARTICLE_PATH, heise_site.article_page(12))
    result = crawl(heise_site.HOST + heise_site.ARTICLE_PATH, out=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert [a["comment_count"] for a in result.articles] == [0]
    assert result.articles[0]["title"] == heise_site.TITLE
    assert result.comments == []
    assert stat(result, "kw/forum/heise/list_failed") == 1
    assert stat(result, "kw/errors/http_4xx") == 1


# ---------------------------------------------------------------------------
# golem


def test_golem_forum_list_pages_and_threads_with_depth_and_parent(
    proxied: LocalSite, tmp_path: Path
) -> None:
    expected = build_golem_site(proxied, n_threads=7, threads_per_page=3, broken_threads=1)
    assert len(expected.list_paths) == 3
    assert max(c["depth"] for c in expected.comments) == 5
    result = crawl(expected.article_url, out=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert [a["source"] for a in result.articles] == ["golem.de"]
    assert result.articles[0]["published"] == "2024-01-09T13:05:44+01:00"
    assert_comments(result, "golem.de", expected.comments)
    paths = proxied.paths()
    for path in [*expected.list_paths, *expected.thread_paths.values()]:
        assert paths.count(path) == 1, path
    assert_chain(forum_requests(proxied, golem_site.ARTICLE_PATH), golem_site.ARTICLE_PATH)
    assert stat(result, "kw/forum/golem/thread") == len(expected.thread_paths) - 1
    assert stat(result, "kw/forum/golem/thread_failed") == 1
    assert stat(result, "kw/forum/golem/thread_from_list_only") == 1
    first = next(c for c in result.comments if c["parent_id"] is None)
    assert first["url"].startswith("http://forum.golem.de/kommentare/")
    assert first["url"].endswith(f",read.html#msg-{first['id'].rsplit(':', 1)[1]}")


# ---------------------------------------------------------------------------
# handwerksblatt


@pytest.mark.parametrize(
    ("button", "broken", "seed"),
    [(True, (), 3), (False, (1,), 4)],
    ids=["data-last", "no-button-broken-batch"],
)
def test_handwerksblatt_ajax_batches_until_done(
    proxied: LocalSite, tmp_path: Path, button: bool, broken: tuple[int, ...], seed: int
) -> None:
    expected = build_handwerksblatt_site(
        proxied, n_threads=6, button=button, broken_batches=broken, seed=seed
    )
    assert len(expected.batch_paths) >= 3
    result = crawl(expected.article_url, out=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert [a["source"] for a in result.articles] == ["handwerksblatt.de"]
    assert_comments(result, "handwerksblatt.de", expected.comments, check_depth=not broken)
    batches = [p for p in proxied.paths() if p.startswith("/loadMoreComments/")]
    # data-last, a short batch or an empty answer ends it; each batch asked once, in order
    assert batches == [
        *expected.batch_paths,
        *([] if button or expected.total % 5 else [expected.end_path]),
    ]
    assert stat(result, "kw/forum/handwerksblatt/batch") == len(batches) - len(broken)
    assert stat(result, "kw/forum/handwerksblatt/batch_failed") == len(broken)
    if not broken:
        replies = [c for c in result.comments if c["parent_id"]]
        assert replies and all(c["depth"] >= 2 for c in replies)


# ---------------------------------------------------------------------------
# a scheduled crawl with JOBDIR keeps its flow requests on disk


@pytest.mark.parametrize("site", ["heise", "golem", "handwerksblatt"])
def test_flow_requests_go_to_the_jobdir_disk_queue(
    proxied: LocalSite, tmp_path: Path, site: str
) -> None:
    """With JOBDIR every request of a comment flow is pickled into the disk queue
    (none left behind as unserializable) and the thread comes out whole."""
    if site == "heise":
        expected: Any = build_heise_site(
            proxied, n_threads=5, threads_per_page=2, login_wall=0, broken=0
        )
        source = "heise.de"
    elif site == "golem":
        expected = build_golem_site(proxied, n_threads=5, threads_per_page=2)
        source = "golem.de"
    else:
        expected = build_handwerksblatt_site(proxied, n_threads=6, button=True, seed=3)
        source = "handwerksblatt.de"
    job = tmp_path / "job"
    result = crawl(expected.article_url, out=tmp_path / "out", settings={"JOBDIR": str(job)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert_comments(result, source, expected.comments)
    assert "Unable to serialize request" not in result.stderr
    assert stat(result, "scheduler/unserializable") == 0
    # the article request plus every flow request went through the disk queue
    assert stat(result, "scheduler/enqueued/disk") == stat(result, "scheduler/enqueued") > 1
