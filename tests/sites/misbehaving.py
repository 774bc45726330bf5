"""A local web site that misbehaves on purpose, for fault-tolerance tests.

:class:`MisbehavingSite` is a :class:`tests.httpserver.LocalSite` with a raw
mode: a raw route gets the socket of the request and may write anything (or
nothing) and cut the connection, which the regular server cannot do.  The
raw mode lives here, in a subclass of the test server's request handler, so
``tests/httpserver.py`` stays as it is.

Faults (each a method registering one path):

* :meth:`~MisbehavingSite.add_slow` — answers after ``delay`` seconds (the
  server thread sleeps, the test does not): a crawl with a smaller
  ``DOWNLOAD_TIMEOUT`` times out;
* :meth:`~MisbehavingSite.add_flaky` — ``failures`` times a status (503, or 429
  with ``Retry-After``), then the page; every hit's time is kept in
  :attr:`~MisbehavingSite.hit_times`;
* :meth:`~MisbehavingSite.add_reset` — the connection is reset (TCP RST) after
  ``after`` bytes of the response;
* :meth:`~MisbehavingSite.add_truncated` — ``Content-Length`` larger than the
  body sent, then a clean close;
* :meth:`~MisbehavingSite.add_huge` — a page of ``size`` bytes, with or without
  ``Content-Length`` (streamed until the client hangs up);
* :meth:`~MisbehavingSite.add_redirect_loop` — ``a → b → … → a``;
* :func:`news_page` — a small German news page (umlauts, JSON-LD) to serve in
  any encoding, under any declared charset.

Use :func:`serve_misbehaving` (caller stops the server) or the
``misbehaving_site`` fixture of the tests.
"""

from __future__ import annotations

import json
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from typing import Any

from tests.httpserver import (
    LocalServer,
    LocalSite,
    RequestInfo,
    ResponseTuple,
    _RequestHandler,
    _split,
)

RawHandler = Callable[["RawExchange"], None]

UMLAUT_SENTENCE = (
    "Die Handwerkskammer für Köln prüft weiter, ob Daten abgeflossen sind; "
    "Prüfungen und Kurse laufen wie geplant, heißt es aus Düsseldorf."
)


def news_page(
    title: str,
    *,
    charset_meta: str | None = "utf-8",
    sentence: str = UMLAUT_SENTENCE,
    published: str = "2024-01-10T09:30:00+01:00",
    extra_head: str = "",
    extra_body: str = "",
) -> str:
    """A small news article page (as text; encode it as the test wants)."""
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": published,
            "author": {"@type": "Person", "name": "Jörg Müller"},
        },
        ensure_ascii=False,
    )
    paras = "".join(
        f"<p>{sentence} Absatz {n} berichtet über den Ausfall beim IT-Dienstleister ODAV.</p>"
        for n in range(1, 4)
    )
    return (
        f'<!DOCTYPE html><html lang="de"><head>{meta}<title>{title}</title>'
        f'<script type="application/ld+json">{ld}</script>{extra_head}</head>'
        f"<body><article><h1>{title}</h1>{paras}{extra_body}</article></body></html>"
    )


@dataclass
class RawExchange:
    """One request answered by a raw route: read the request, write raw bytes."""

    handler: _RequestHandler
    info: RequestInfo

    @property
    def sock(self) -> socket.socket:
        """The client connection."""
        conn: socket.socket = self.handler.connection
        return conn

    def write(self, data: bytes) -> bool:
        """Send bytes; False once the client has hung up."""
        try:
            self.handler.wfile.write(data)
            return True
        except (BrokenPipeError, ConnectionResetError):
            return False

    def head(self, status: int, headers: list[tuple[str, str]]) -> None:
        """Write a status line and headers (nothing added)."""
        lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in headers]
        self.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def reset(self) -> None:
        """Abort the connection with a TCP RST (SO_LINGER 0), nothing flushed after."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.handler.rfile.close()
        self.handler.wfile.close()
        self.sock.close()

    def close(self) -> None:
        """End the response with a clean close (FIN) after what was written."""
        self.handler.close_connection = True


class _MisbehavingHandler(_RequestHandler):
    """The test server's handler, plus raw routes (see :class:`MisbehavingSite`)."""

    def _handle(self) -> None:
        site = self.site
        dpath, query = _split(self.path)
        raw = site.raw_route(dpath) if isinstance(site, MisbehavingSite) else None
        if raw is None or not isinstance(site, MisbehavingSite):
            super()._handle()
            return
        info = RequestInfo(self.command, dpath, query, {}, dict(self.headers.items()))
        site.log_request(info)
        self.close_connection = True
        raw(RawExchange(self, info))

    do_GET = _handle
    do_HEAD = _handle


@dataclass
class MisbehavingSite(LocalSite):
    """A :class:`LocalSite` with raw routes and canned faults (module docstring)."""

    _raw: dict[str, RawHandler] = field(default_factory=dict)
    hit_times: dict[str, list[float]] = field(default_factory=dict)

    def raw_route(self, dpath: str) -> RawHandler | None:
        """The raw handler of a (decoded) path, if any."""
        with self._lock:
            return self._raw.get(dpath)

    def log_request(self, info: RequestInfo) -> None:
        """Log a raw-route request like the regular ones (``site.requests``)."""
        with self._lock:
            self._requests.append((info.method, info.path_with_query, dict(info.headers)))
            self.hit_times.setdefault(info.path, []).append(time.monotonic())

    def add_raw(self, path: str, fn: RawHandler) -> None:
        """Answer ``path`` (any query) by ``fn(exchange)`` writing raw bytes."""
        dpath, _ = _split(path)
        with self._lock:
            self._raw[dpath] = fn

    def _timed(self, path: str, fn: Callable[[RequestInfo, int], ResponseTuple]) -> None:
        def handler(info: RequestInfo) -> ResponseTuple:
            with self._lock:
                hits = self.hit_times.setdefault(info.path, [])
                hits.append(time.monotonic())
                count = len(hits)
            return fn(info, count)

        self.add_handler(path, handler)

    # -- faults --------------------------------------------------------
    def add_slow(self, path: str, body: str | bytes, delay: float) -> None:
        """Serve ``body`` after ``delay`` seconds (every time)."""

        def slow(_info: RequestInfo, _count: int) -> ResponseTuple:
            time.sleep(delay)
            return 200, None, body

        self._timed(path, slow)

    def add_flaky(
        self,
        path: str,
        body: str | bytes,
        *,
        failures: int = 1,
        status: int = 503,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer ``status`` (with ``headers``) ``failures`` times, then ``body``."""

        def flaky(_info: RequestInfo, count: int) -> ResponseTuple:
            if count <= failures:
                error = f"<html><body><h1>Fehler {status}</h1></body></html>"
                return status, headers, error
            return 200, None, body

        self._timed(path, flaky)

    def add_reset(self, path: str, body: bytes, *, after: int = 0) -> None:
        """Reset the connection after ``after`` bytes of a response carrying ``body``."""

        def reset(ex: RawExchange) -> None:
            head = (
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            ex.write((head + body)[:after])
            ex.reset()

        self.add_raw(path, reset)

    def add_truncated(self, path: str, body: bytes, *, declared: int) -> None:
        """Declare ``Content-Length: declared`` but send only ``body``, then close."""

        def truncated(ex: RawExchange) -> None:
            ex.head(
                200,
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(declared))],
            )
            ex.write(body)
            ex.close()

        self.add_raw(path, truncated)

    def add_huge(self, path: str, size: int, *, content_length: bool = True) -> None:
        """A page of ``size`` bytes (HTML comment filler), streamed in 64 KiB chunks."""
        filler = b"<!--" + b"x" * (65536 - 7) + b"-->"
        self.add_stream(path, b"", filler, size, content_length=content_length)

    def add_stream(
        self,
        path: str,
        head: bytes,
        repeat: bytes,
        size: int,
        *,
        content_type: str = "text/html; charset=utf-8",
        content_length: bool = True,
    ) -> None:
        """``head`` then ``repeat`` over and over, ``size`` bytes in all, without building
        them in memory; stops when the client hangs up (what a capped crawler does)."""

        def stream(ex: RawExchange) -> None:
            headers = [("Content-Type", content_type)]
            if content_length:
                headers.append(("Content-Length", str(size)))
            else:
                headers.append(("Connection", "close"))
            ex.head(200, headers)
            sent = len(head[:size])
            if not ex.write(head[:size]):
                return
            chunk = repeat * max(1, 65536 // len(repeat))
            while sent < size:
                piece = chunk[: size - sent]
                if not ex.write(piece):
                    return
                sent += len(piece)
            ex.close()

        self.add_raw(path, stream)

    def add_redirect_loop(self, *paths: str, status: int = 302) -> None:
        """``paths[0] → paths[1] → … → paths[0]`` (one path: a self-redirect)."""
        for here, there in zip(paths, [*paths[1:], paths[0]], strict=True):
            self.add_redirect(here, there, status=status)


class _MisbehavingServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, site: MisbehavingSite) -> None:
        super().__init__(("127.0.0.1", 0), _MisbehavingHandler)
        self.site = site

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (timeouts, size caps) is expected here: stay quiet."""
        return


class MisbehavingServer(LocalServer):
    """Owns the socket and thread of a :class:`MisbehavingSite` (sleeping handlers are daemons)."""

    site_class = MisbehavingSite
    server_class = _MisbehavingServer
    thread_name = "misbehaving"
    site: MisbehavingSite


def serve_misbehaving() -> MisbehavingServer:
    """Start a misbehaving server on 127.0.0.1 (random port); the caller stops it."""
    server = MisbehavingServer()
    server.start()
    return server


def closed_port() -> int:
    """A local port nobody listens on (bound, then released): connection refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# -- crawl settings -------------------------------------------------------------------------
SAFETY_DOWNLOADER_MIDDLEWARES: dict[str, int | None] = {
    "crawler.middlewares_safety.UrlSafetyMiddleware": 30,
    "crawler.middlewares_safety.ErrorCounterMiddleware": 540,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares_safety.RetryAfterMiddleware": 550,
    "crawler.middlewares_safety.EncodingRepairMiddleware": 560,
    "crawler.middlewares_safety.ContentTypeFilterMiddleware": 570,
    "crawler.middlewares_safety.RedirectLoopMiddleware": 610,
}
SAFETY_SPIDER_MIDDLEWARES: dict[str, int | None] = {
    "crawler.middlewares_safety.SpiderErrorCounter": 60,
}


def safety_settings(**extra: str) -> dict[str, str]:
    """``-s`` settings for ``tests.crawlrun.crawl``: the project's middlewares plus the
    safety middlewares (until the lead adds them to crawler/settings.py), local
    addresses allowed, and ``extra``."""
    import os

    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    project = get_project_settings()
    downloader = {
        **dict(project.getdict("DOWNLOADER_MIDDLEWARES")),
        **SAFETY_DOWNLOADER_MIDDLEWARES,
    }
    spider = {**dict(project.getdict("SPIDER_MIDDLEWARES")), **SAFETY_SPIDER_MIDDLEWARES}
    return {
        "DOWNLOADER_MIDDLEWARES": json.dumps(downloader),
        "SPIDER_MIDDLEWARES": json.dumps(spider),
        "KW_ALLOW_PRIVATE": "True",
        **extra,
    }
