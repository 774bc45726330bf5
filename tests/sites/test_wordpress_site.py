"""Self-tests of the WordPress site generator, fetched through urllib from the real server."""

from __future__ import annotations

import json
import math
import re
import urllib.error
import urllib.request
from email.message import Message
from typing import Any

import lxml.html
import pytest

from tests.httpserver import LocalSite
from tests.sites.reference import comment_page_links, html_to_text, read_comments
from tests.sites.wordpress import REST_MODES, SITE_THEMES, ExpectedPost, build_wordpress_site


def fetch(url: str) -> tuple[int, Message, bytes]:
    """GET ``url``; HTTP errors are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]


def page_comments(site_page: bytes, theme: str) -> list[dict[str, Any]]:
    return read_comments(site_page, theme)


@pytest.mark.parametrize("theme", SITE_THEMES)
def test_pages_hold_every_comment_exactly_once(local_site: LocalSite, theme: str) -> None:
    exp = build_wordpress_site(local_site, theme=theme, rest="on")
    assert len(exp.page_urls) == 3  # 12 threads, 5 per page
    seen: dict[int, dict[str, Any]] = {}
    for n, url in enumerate(exp.page_urls, start=1):
        status, _, body = fetch(url)
        assert status == 200
        found = page_comments(body, theme)
        assert [c["id"] for c in found] == exp.comments_by_page[n]
        for c in found:
            assert c["id"] not in seen, f"comment {c['id']} on two pages"
            seen[c["id"]] = c
            assert c["url"] == exp.comment_urls[c["id"]]
            assert c["url"].startswith(f"{exp.post_url}comment-page-{n}/#comment-")
    assert len(seen) == exp.comment_count >= 20
    for want in exp.comments:
        got = seen[want["site_id"]]
        assert got["parent_id"] == want["parent_site_id"]
        assert got["author"] == want["author"]
        assert got["published"] == want["published"]
        assert got["text"] == want["text"]
        assert got["depth"] == want["depth"]
    assert exp.max_depth == 4
    assert local_site.errors == []


@pytest.mark.parametrize("theme", SITE_THEMES)
def test_post_url_shows_newest_page_and_links_older(local_site: LocalSite, theme: str) -> None:
    exp = build_wordpress_site(local_site, theme=theme, rest="none")
    _, _, post_body = fetch(exp.post_url)
    _, _, last_body = fetch(exp.page_urls[-1])
    ids_post = [c["id"] for c in page_comments(post_body, theme)]
    assert ids_post == exp.comments_by_page[3] == [c["id"] for c in page_comments(last_body, theme)]
    doc = lxml.html.fromstring(post_body)
    assert doc.get("lang") == "de-DE"
    assert doc.xpath("//meta[@name='generator']/@content") == ["WordPress 6.4.2"]
    assert doc.xpath("//link[@rel='canonical']/@href") == [exp.post_url]
    assert doc.xpath("//input[@id='comment_post_ID']/@value") == ["4711"]
    assert "postid-4711" in doc.body.get("class", "").split()
    assert doc.xpath("//*[@id='post-4711']")
    assert doc.xpath("string(//h1[@class='entry-title'])") == exp.title
    assert not doc.xpath("//link[@rel='https://api.w.org/']")  # rest="none"
    # follow the "older comments" chain from the post URL
    prev = doc.xpath("//*[@id='comments']//div[@class='nav-previous']/a/@href")
    assert prev and strip_fragment(prev[0]) == exp.page_urls[1]
    _, _, page2 = fetch(strip_fragment(prev[0]))
    doc2 = lxml.html.fromstring(page2)
    prev2 = doc2.xpath("//*[@id='comments']//div[@class='nav-previous']/a/@href")
    nxt2 = doc2.xpath("//*[@id='comments']//div[@class='nav-next']/a/@href")
    assert strip_fragment(prev2[0]) == exp.page_urls[0]
    assert nxt2[0] == exp.post_url + "#comments"  # WordPress links the newest page as the post
    assert exp.linked_page_urls == [*exp.page_urls[:2], exp.post_url]
    canonical2 = doc2.xpath("//link[@rel='canonical']/@href")
    if theme == "html5":  # Yoast
        assert canonical2 == [exp.post_url]
    else:  # core rel_canonical
        assert canonical2 == [exp.page_urls[1] + "#comments"]


@pytest.mark.parametrize("theme", SITE_THEMES)
def test_every_page_lists_a_pingback(local_site: LocalSite, theme: str) -> None:
    exp = build_wordpress_site(local_site, theme=theme, rest="on")
    for n, url in enumerate(exp.page_urls, start=1):
        doc = lxml.html.fromstring(fetch(url)[2])
        pings = doc.xpath("//li[contains(@class,'pingback')]")
        tracks = doc.xpath("//li[contains(@class,'trackback')]")
        assert len(pings) == 1
        assert "Pingback:" in pings[0].text_content()
        expect_tracks = 1 if n == 1 and theme in ("html5", "default") else 0
        assert len(tracks) == expect_tracks
    assert len(exp.ping_ids) == 3 + (1 if theme in ("html5", "default") else 0)
    assert exp.header_count == exp.comment_count + len(exp.ping_ids)


def test_html5_has_numbered_pagination_with_dots(local_site: LocalSite) -> None:
    exp = build_wordpress_site(local_site, theme="html5", rest="on", threads_per_page=2)
    assert len(exp.page_urls) == 6
    body = fetch(exp.post_url)[2]
    doc = lxml.html.fromstring(body)
    numbers = doc.xpath("//nav[contains(@class,'comments-pagination')]//a[@class='page-numbers']")
    assert [a.text for a in numbers] == ["1", "4", "5"]
    assert doc.xpath("//span[@class='page-numbers dots']")
    assert doc.xpath("//span[@aria-current='page']/text()") == ["6"]
    links = comment_page_links(body)
    assert exp.page_urls[0] + "#comments" in links
    nav = doc.xpath(
        "//nav[contains(@class,'comment-navigation')]//div[@class='nav-links']//a/@href"
    )
    assert nav == [exp.page_urls[4] + "#comments"]
    total = sum(len(page_comments(fetch(u)[2], "html5")) for u in exp.page_urls)
    assert total == exp.comment_count


@pytest.mark.parametrize("theme", ["twentyten", "default"])
def test_text_date_themes_have_whole_minutes_and_a_tie(local_site: LocalSite, theme: str) -> None:
    exp = build_wordpress_site(local_site, theme=theme, rest="on")
    assert all(c["published"].endswith(":00+01:00") for c in exp.comments)
    times = [c["published"] for c in exp.comments]
    assert len(set(times)) < len(times)  # at least one tie, broken by id
    keys = [(c["published"], c["site_id"]) for c in exp.comments]
    assert keys == sorted(keys)


def test_seconds_themes_carry_seconds(local_site: LocalSite) -> None:
    exp = build_wordpress_site(local_site, theme="twentytwelve", rest="on")
    assert exp.comments[0]["published"] == "2024-01-09T10:15:27+01:00"
    assert sum(not c["published"].endswith(":00+01:00") for c in exp.comments) > 10
    assert all("2024-01-09" <= c["published"][:10] <= "2024-01-12" for c in exp.comments)


def test_texts_cover_the_hard_cases(local_site: LocalSite) -> None:
    exp = build_wordpress_site(local_site, theme="html5", rest="on", n_threads=24)
    texts = [c["text"] for c in exp.comments]
    assert any("\n\n" in t for t in texts)  # several paragraphs
    assert any(re.search(r"[^\n]\n[^\n]", t) for t in texts)  # <br>
    assert any(t.startswith("> ") for t in texts)  # blockquote
    assert any("whk-info.de" in t and "https://" not in t for t in texts)  # link text only
    assert any("„nicht auszuschließen“" in t for t in texts)
    assert any("& so" in t for t in texts) and any("< 3 Tagen" in t for t in texts)
    assert any("🙄" in t for t in texts)
    raw = b"".join(fetch(u)[2] for u in exp.page_urls).decode()
    assert "&auml;" in raw and "&amp; so" in raw and "&#8222;" in raw
    assert "class='url'" in raw  # some authors are links
    assert "Gerda &amp; Paul" in raw or "Gerda & Paul" not in {c["author"] for c in exp.comments}


def test_single_page_post_links_without_comment_page(local_site: LocalSite) -> None:
    exp = build_wordpress_site(
        local_site, theme="twentyten", rest="on", n_threads=3, threads_per_page=5
    )
    assert len(exp.page_urls) == 1 and exp.linked_page_urls == [exp.post_url]
    body = fetch(exp.post_url)[2]
    found = page_comments(body, "twentyten")
    assert len(found) == exp.comment_count
    assert all(c["url"] == f"{exp.post_url}#comment-{c['id']}" for c in found)
    assert not re.search(rb"comment-page-\d+/#comments", body)


def test_deeper_threads_and_seeds(local_site: LocalSite) -> None:
    exp = build_wordpress_site(local_site, theme="html5", rest="on", max_depth=5, seed=3)
    assert exp.max_depth == 5
    again = build_wordpress_site(local_site, theme="html5", rest="on", max_depth=5, seed=3)
    assert again.comments == exp.comments
    other = build_wordpress_site(local_site, theme="html5", rest="on", seed=4)
    assert other.comments != exp.comments


def test_shortlink_redirects_to_post(local_site: LocalSite) -> None:
    exp = build_wordpress_site(local_site, theme="default", rest="on", post_id=815, path="/p/x/")
    with urllib.request.urlopen(local_site.url("/?p=815"), timeout=10) as resp:
        assert resp.url == exp.post_url
        assert b"postid-815" in resp.read()
    assert local_site.paths() == ["/?p=815", "/p/x/"]


# -- REST --------------------------------------------------------------------


@pytest.mark.parametrize("theme", SITE_THEMES)
def test_rest_per_page_100_returns_all_in_order(local_site: LocalSite, theme: str) -> None:
    exp = build_wordpress_site(local_site, theme=theme, rest="on")
    status, headers, body = fetch(exp.rest_url(1))
    assert status == 200
    assert headers["Content-Type"] == "application/json; charset=UTF-8"
    assert headers["X-WP-Total"] == str(exp.comment_count)
    assert headers["X-WP-TotalPages"] == "1"
    assert b"\\/" in body and b"\\u00" in body  # PHP json_encode style
    items = json.loads(body)
    assert [i["id"] for i in items] == [c["site_id"] for c in exp.comments]
    for item, want in zip(items, exp.comments, strict=True):
        assert item["type"] == "comment" and item["status"] == "approved"
        assert item["post"] == exp.post_id
        assert item["parent"] == (want["parent_site_id"] or 0)
        assert item["author_name"] == want["author"]
        assert item["date"] == want["published"][:19]
        assert item["date_gmt"] < item["date"]  # UTC is one hour behind
        assert html_to_text(item["content"]["rendered"]) == want["text"]
        assert item["link"] == exp.comment_urls[item["id"]]
    assert not set(exp.ping_ids) & {i["id"] for i in items}


def test_rest_paging_with_per_page_10(local_site: LocalSite) -> None:
    exp = build_wordpress_site(local_site, theme="twentyten", rest="on")
    base = local_site.url(f"/wp-json/wp/v2/comments?post={exp.post_id}&per_page=10&order=asc")
    pages = math.ceil(exp.comment_count / 10)
    ids: list[int] = []
    for page in range(1, pages + 1):
        status, headers, body = fetch(f"{base}&page={page}")
        assert status == 200
        assert headers["X-WP-TotalPages"] == str(pages)
        assert headers["X-WP-Total"] == str(exp.comment_count)
        chunk = [i["id"] for i in json.loads(body)]
        assert len(chunk) == (10 if page < pages else exp.comment_count - 10 * (pages - 1))
        links = headers.get_all("Link") or []
        assert any('rel="next"' in link for link in links) == (page < pages)
        ids += chunk
    assert ids == [c["site_id"] for c in exp.comments]
    status, _, body = fetch(f"{base}&page={pages + 1}")
    assert status == 400
    assert json.loads(body)["code"] == "rest_comment_invalid_page_number"


def test_rest_defaults_and_bad_params(local_site: LocalSite) -> None:
    exp = build_wordpress_site(local_site, theme="html5", rest="on")
    url = local_site.url("/wp-json/wp/v2/comments")
    status, headers, body = fetch(f"{url}?post={exp.post_id}")  # per_page 10, order desc
    assert status == 200 and headers["X-WP-TotalPages"] == str(math.ceil(exp.comment_count / 10))
    newest_first = [c["site_id"] for c in reversed(exp.comments)][:10]
    assert [i["id"] for i in json.loads(body)] == newest_first
    # same parameters in another order
    status, _, body2 = fetch(f"{url}?order=asc&page=1&per_page=100&post={exp.post_id}")
    assert status == 200 and json.loads(body2) == json.loads(fetch(exp.rest_url(1))[2])
    status, _, body = fetch(f"{url}?post={exp.post_id}&per_page=101")
    assert status == 400 and json.loads(body)["code"] == "rest_invalid_param"
    status, _, body = fetch(f"{url}?post=999&per_page=100")
    assert status == 200 and json.loads(body) == []
    one = exp.comments[3]["site_id"]
    status, _, body = fetch(f"{url}/{one}")
    assert status == 200 and json.loads(body)["id"] == one
    status, _, body = fetch(local_site.url("/wp-json/"))
    assert status == 200 and "wp/v2" in json.loads(body)["namespaces"]


@pytest.mark.parametrize("mode", [m for m in REST_MODES if m != "on"])
def test_rest_failure_modes(local_site: LocalSite, mode: str) -> None:
    exp: ExpectedPost = build_wordpress_site(local_site, theme="twentyten", rest=mode)
    doc = lxml.html.fromstring(fetch(exp.post_url)[2])
    api = doc.xpath("//link[@rel='https://api.w.org/']/@href")
    url = local_site.url(
        f"/wp-json/wp/v2/comments?post={exp.post_id}&per_page=100&page=1&order=asc"
    )
    status, headers, body = fetch(url)
    if mode == "none":
        assert api == [] and exp.rest_url_template is None and exp.rest_root is None
        assert status == 404
        return
    assert api == [local_site.url("/wp-json/")] == [exp.rest_root]
    assert exp.rest_url(1) == url
    if mode == "invalid-json":
        assert status == 200 and headers["Content-Type"].startswith("application/json")
        with pytest.raises(json.JSONDecodeError):
            json.loads(body)
        return
    assert status == int(mode)
    err = json.loads(body)
    assert err["data"]["status"] == int(mode)
    assert err["code"] in ("rest_not_logged_in", "rest_forbidden", "rest_no_route")


def test_bad_arguments_are_rejected(local_site: LocalSite) -> None:
    with pytest.raises(ValueError):
        build_wordpress_site(local_site, theme="kubrick", rest="on")
    with pytest.raises(ValueError):
        build_wordpress_site(local_site, theme="html5", rest="maybe")
