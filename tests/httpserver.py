"""A small threaded HTTP/1.1 test server on 127.0.0.1 for crawl tests.

Tests register pages on a :class:`LocalSite` and point a spider at
``site.base_url``.  Nothing here touches the network beyond the loopback
interface; the port is chosen by the OS.

Routing (first match wins):

1. exact path and query string (``/a/?x=1&y=2``),
2. the same path with the same query parameters in any order,
3. the path alone, for routes registered with ``match_query=False``.

Paths are compared percent-decoded, so ``/k%C3%B6ln/`` matches ``/köln/``.
Unknown paths answer 404 (``/robots.txt`` included, unless added).  Every
request is logged in ``site.requests`` as ``(method, path_with_query, headers)``.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

HeadersArg = Mapping[str, str] | Iterable[tuple[str, str]] | None
ResponseTuple = tuple[int, HeadersArg, bytes | str]

NOT_FOUND_BODY = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
    "<title>Seite nicht gefunden</title></head>"
    "<body><h1>Nicht gefunden</h1><p>Die angeforderte Seite existiert nicht.</p></body></html>"
)


@dataclass(frozen=True)
class RequestInfo:
    """What a dynamic handler gets to see of one request."""

    method: str
    path: str  # percent-decoded path, no query
    query: str  # raw query string, "" if none
    params: dict[str, list[str]]  # parsed query (blank values kept)
    headers: dict[str, str]
    body: bytes = b""

    @property
    def path_with_query(self) -> str:
        """The request target as sent (decoded path plus raw query)."""
        return f"{self.path}?{self.query}" if self.query else self.path

    def param(self, name: str, default: str | None = None) -> str | None:
        """First value of query parameter ``name``, or ``default``."""
        values = self.params.get(name)
        return values[0] if values else default


Handler = Callable[[RequestInfo], ResponseTuple]


@dataclass
class _Route:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    handler: Handler | None = None


def _norm_headers(headers: HeadersArg) -> list[tuple[str, str]]:
    if headers is None:
        return []
    if isinstance(headers, Mapping):
        return [(str(k), str(v)) for k, v in headers.items()]
    return [(str(k), str(v)) for k, v in headers]


def _to_bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def _split(target: str) -> tuple[str, str]:
    """Split ``/path?query#frag`` into (decoded path, raw query)."""
    parts = urlsplit(target)
    return unquote(parts.path or "/"), parts.query


def _query_key(query: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(parse_qsl(query, keep_blank_values=True)))


def _route_key(target: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    dpath, query = _split(target)
    return dpath, _query_key(query)


@dataclass
class LocalSite:
    """Pages served by one running test server; see the module docstring."""

    base_url: str = ""
    _exact: dict[tuple[str, str], _Route] = field(default_factory=dict)
    _unordered: dict[tuple[str, tuple[tuple[str, str], ...]], _Route] = field(default_factory=dict)
    _path_only: dict[str, _Route] = field(default_factory=dict)
    _requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    _errors: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- registration -------------------------------------------------------

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` (which must start with ``/``) on this server."""
        if not path.startswith("/"):
            raise ValueError(f"path must start with '/': {path!r}")
        return self.base_url + path

    def add(
        self,
        path: str,
        body: bytes | str,
        status: int = 200,
        headers: HeadersArg = None,
        content_type: str | None = "text/html; charset=utf-8",
        *,
        match_query: bool = True,
    ) -> None:
        """Serve ``body`` at ``path`` (may carry a query string).

        ``headers`` are sent in addition to ``Content-Type`` (pass
        ``content_type=None`` to send none) and ``Content-Length``.  With
        ``match_query=False`` the route also answers the path with any query.
        """
        hdrs = _norm_headers(headers)
        if content_type is not None and not any(k.lower() == "content-type" for k, _ in hdrs):
            hdrs.insert(0, ("Content-Type", content_type))
        self._register(path, _Route(status, hdrs, _to_bytes(body)), match_query)

    def add_handler(self, path: str, fn: Handler, *, match_query: bool = False) -> None:
        """Answer ``path`` by calling ``fn(request_info) -> (status, headers, body)``.

        Handlers match the path with any query string by default
        (``match_query=False``); they read the query from ``request_info``.
        """
        self._register(path, _Route(0, [], b"", handler=fn), match_query)

    def add_redirect(self, path: str, location: str, status: int = 301) -> None:
        """Redirect ``path`` to ``location`` (made absolute when it starts with ``/``)."""
        target = self.url(location) if location.startswith("/") else location
        self.add(
            path,
            b"",
            status=status,
            headers={"Location": target},
            content_type="text/html; charset=utf-8",
        )

    def _register(self, path: str, route: _Route, match_query: bool) -> None:
        dpath, query = _split(path)
        with self._lock:
            self._exact[(dpath, query)] = route
            self._unordered[(dpath, _query_key(query))] = route
            if not match_query:
                self._path_only[dpath] = route

    # -- inspection ---------------------------------------------------------

    @property
    def requests(self) -> list[tuple[str, str, dict[str, str]]]:
        """Copy of the request log: ``(method, path_with_query, headers)``."""
        with self._lock:
            return list(self._requests)

    @property
    def errors(self) -> list[str]:
        """Tracebacks of handlers that raised (each answered with a 500)."""
        with self._lock:
            return list(self._errors)

    def paths(self, method: str | None = "GET") -> list[str]:
        """The ``path_with_query`` of every logged request (of ``method``, or all)."""
        return [p for m, p, _ in self.requests if method is None or m == method]

    def hits(self, path_with_query: str, method: str | None = "GET") -> int:
        """How often ``path_with_query`` (compared decoded) was requested."""
        return sum(1 for p in self.paths(method) if _route_key(p) == _route_key(path_with_query))

    def clear_requests(self) -> None:
        """Forget the request log (and handler errors)."""
        with self._lock:
            self._requests.clear()
            self._errors.clear()

    # -- serving ------------------------------------------------------------

    def _lookup(self, dpath: str, query: str) -> _Route | None:
        with self._lock:
            route = self._exact.get((dpath, query))
            if route is None:
                route = self._unordered.get((dpath, _query_key(query)))
            if route is None:
                route = self._path_only.get(dpath)
            return route

    def _respond(self, info: RequestInfo) -> tuple[int, list[tuple[str, str]], bytes]:
        with self._lock:
            self._requests.append((info.method, info.path_with_query, dict(info.headers)))
        route = self._lookup(info.path, info.query)
        if route is None:
            return 404, [("Content-Type", "text/html; charset=utf-8")], NOT_FOUND_BODY.encode()
        if route.handler is None:
            return route.status, route.headers, route.body
        try:
            status, headers, body = route.handler(info)
        except Exception:  # a broken handler must show up in the test, not hang it
            tb = traceback.format_exc()
            with self._lock:
                self._errors.append(tb)
            return 500, [("Content-Type", "text/plain; charset=utf-8")], tb.encode()
        hdrs = _norm_headers(headers)
        if not any(k.lower() == "content-type" for k, _ in hdrs):
            hdrs.insert(0, ("Content-Type", "text/html; charset=utf-8"))
        return status, hdrs, _to_bytes(body)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "KammerwatchTest/1.0"
    timeout = 15  # idle keep-alive connections end after this many seconds

    @property
    def site(self) -> LocalSite:
        return self.server.site  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _handle(self) -> None:
        dpath, query = _split(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        info = RequestInfo(
            method=self.command,
            path=dpath,
            query=query,
            params=parse_qs(query, keep_blank_values=True),
            headers={k: v for k, v in self.headers.items()},
            body=body,
        )
        status, headers, payload = self.site._respond(info)
        self.send_response(status)
        for key, value in headers:
            if key.lower() != "content-length":
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD" and payload:
            self.wfile.write(payload)

    do_GET = _handle
    do_HEAD = _handle
    do_POST = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # Scrapy opens connections in bursts; the default backlog of 5 drops SYNs,
    # which then stall for a second (a "timeout" with small DOWNLOAD_TIMEOUTs).
    request_queue_size = 128

    def __init__(self, site: LocalSite) -> None:
        super().__init__(("127.0.0.1", 0), _RequestHandler)
        self.site = site


class LocalServer:
    """Owns the listening socket and thread; use :func:`serve` or the fixture.

    Subclasses serve another kind of site by setting the three class attributes.
    """

    site_class: type[LocalSite] = LocalSite
    server_class: Any = _Server
    thread_name = "localsite"

    def __init__(self) -> None:
        self.site = self.site_class()
        self._server = self.server_class(self.site)
        port = self._server.server_address[1]
        self.site.base_url = f"http://127.0.0.1:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{self.thread_name}-{port}",
            daemon=True,
        )

    def start(self) -> LocalSite:
        """Start serving in a daemon thread and return the site."""
        self._thread.start()
        return self.site

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def serve() -> LocalServer:
    """Start a server (caller must ``stop()`` it); the fixture ``local_site`` wraps this."""
    server = LocalServer()
    server.start()
    return server
