"""Self-tests of the local HTTP test server (tests/httpserver.py)."""

from __future__ import annotations

import http.client
import threading
import urllib.error
import urllib.request
from email.message import Message

from tests.httpserver import LocalSite, RequestInfo, ResponseTuple, serve


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def test_base_url_and_static_page(local_site: LocalSite) -> None:
    assert local_site.base_url.startswith("http://127.0.0.1:")
    assert local_site.url("/a/") == local_site.base_url + "/a/"
    local_site.add("/a/", "<p>Köln</p>")
    status, headers, body = get(local_site.url("/a/"))
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Length"] == str(len(body))
    assert body.decode("utf-8") == "<p>Köln</p>"


def test_unknown_paths_and_robots_are_404(local_site: LocalSite) -> None:
    assert get(local_site.url("/nope/"))[0] == 404
    assert get(local_site.url("/robots.txt"))[0] == 404
    local_site.add("/robots.txt", "User-agent: *\nDisallow:\n", content_type="text/plain")
    status, headers, body = get(local_site.url("/robots.txt"))
    assert (status, headers["Content-Type"], body) == (
        200,
        "text/plain",
        b"User-agent: *\nDisallow:\n",
    )


def test_query_matching_rules(local_site: LocalSite) -> None:
    local_site.add("/s?a=1&b=2", "exact")
    local_site.add("/s", "bare")
    local_site.add("/any/", "any", match_query=False)
    assert get(local_site.url("/s?a=1&b=2"))[2] == b"exact"
    assert get(local_site.url("/s?b=2&a=1"))[2] == b"exact"  # any parameter order
    assert get(local_site.url("/s"))[2] == b"bare"
    assert get(local_site.url("/s?a=1"))[0] == 404  # different parameters
    assert get(local_site.url("/s?a=1&b=2&c=3"))[0] == 404
    assert get(local_site.url("/any/?x=1"))[2] == b"any"
    assert get(local_site.url("/any/"))[2] == b"any"


def test_percent_encoded_paths_match(local_site: LocalSite) -> None:
    local_site.add("/köln/", "ok")
    assert get(local_site.url("/k%C3%B6ln/"))[2] == b"ok"


def test_status_headers_and_bytes(local_site: LocalSite) -> None:
    local_site.add(
        "/api",
        b'{"x":1}',
        status=403,
        headers=[("X-WP-Total", "7"), ("Link", "<a>; rel=next"), ("Link", "<b>; rel=prev")],
        content_type="application/json",
    )
    status, headers, body = get(local_site.url("/api"))
    assert status == 403 and body == b'{"x":1}'
    assert headers["Content-Type"] == "application/json"
    assert headers["X-WP-Total"] == "7"
    assert headers.get_all("Link") == ["<a>; rel=next", "<b>; rel=prev"]


def test_redirects(local_site: LocalSite) -> None:
    local_site.add("/new/", "target")
    local_site.add_redirect("/old/", "/new/")
    local_site.add_redirect("/tmp/", "/new/", status=302)
    conn = http.client.HTTPConnection("127.0.0.1", int(local_site.base_url.rsplit(":", 1)[1]))
    conn.request("GET", "/old/")
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 301
    assert resp.getheader("Location") == local_site.url("/new/")
    conn.request("GET", "/tmp/")  # same keep-alive connection (HTTP/1.1)
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 302
    conn.close()
    with urllib.request.urlopen(local_site.url("/old/"), timeout=10) as r:
        assert r.url == local_site.url("/new/") and r.read() == b"target"


def test_dynamic_handler_sees_query_and_headers(local_site: LocalSite) -> None:
    def handler(req: RequestInfo) -> ResponseTuple:
        body = f"{req.method} {req.path} page={req.param('page')} ua={req.headers['X-Test']}"
        return 200, {"Content-Type": "text/plain"}, body

    local_site.add_handler("/dyn", handler)
    status, _, body = get(local_site.url("/dyn?page=3&x="), {"X-Test": "ja"})
    assert status == 200 and body == b"GET /dyn page=3 ua=ja"


def test_broken_handler_answers_500_and_is_recorded(local_site: LocalSite) -> None:
    def handler(req: RequestInfo) -> ResponseTuple:
        raise RuntimeError("kaputt")

    local_site.add_handler("/boom", handler)
    status, _, body = get(local_site.url("/boom"))
    assert status == 500 and b"kaputt" in body
    assert len(local_site.errors) == 1 and "RuntimeError" in local_site.errors[0]


def test_request_log_and_hits(local_site: LocalSite) -> None:
    local_site.add("/p?a=1&b=2", "x")
    get(local_site.url("/p?a=1&b=2"), {"User-Agent": "kw-test"})
    get(local_site.url("/p?b=2&a=1"))
    get(local_site.url("/missing"))
    log = local_site.requests
    assert [(m, p) for m, p, _ in log] == [
        ("GET", "/p?a=1&b=2"),
        ("GET", "/p?b=2&a=1"),
        ("GET", "/missing"),
    ]
    assert log[0][2]["User-Agent"] == "kw-test"
    assert local_site.hits("/p?a=1&b=2") == 2
    assert local_site.hits("/missing") == 1
    assert local_site.hits("/p") == 0
    local_site.clear_requests()
    assert local_site.requests == []


def test_head_has_no_body(local_site: LocalSite) -> None:
    local_site.add("/h", "hallo")
    req = urllib.request.Request(local_site.url("/h"), method="HEAD")
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.headers["Content-Length"] == "5" and resp.read() == b""
    assert local_site.requests[0][0] == "HEAD"


def test_concurrent_requests_are_all_logged(local_site: LocalSite) -> None:
    for i in range(20):
        local_site.add(f"/c/{i}", str(i))
    results: dict[int, bytes] = {}

    def worker(i: int) -> None:
        results[i] = get(local_site.url(f"/c/{i}"))[2]

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: str(i).encode() for i in range(20)}
    assert sorted(local_site.paths()) == sorted(f"/c/{i}" for i in range(20))


def test_serve_and_stop_release_the_port() -> None:
    server = serve()
    url = server.site.url("/")
    server.site.add("/", "root")
    assert get(url)[2] == b"root"
    server.stop()
    try:
        urllib.request.urlopen(url, timeout=2)
    except (urllib.error.URLError, ConnectionError) as err:
        assert "refused" in str(err).lower() or isinstance(err, ConnectionError)
    else:
        raise AssertionError("server still answers after stop()")
