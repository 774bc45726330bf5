"""Middlewares that keep a crawl going on a misbehaving web, and keep it safe.

Downloader middlewares (numbers: the order they should have, see the report
in ``docs`` / settings):

- :class:`UrlSafetyMiddleware` (30): refuses URLs that are not ``http(s)``
  (``file:``, ``data:``, ``ftp:``, ``javascript:`` …) always, and loopback,
  private, link-local and other non-global addresses unless
  ``KW_ALLOW_PRIVATE=True`` (tests) or a WARC is replayed (``KW_ARCHIVE``: no
  network).  Only literal IPs (any notation ``getaddrinfo`` accepts, such as
  ``127.1`` or ``2130706433``) and ``localhost`` names are checked: a host name
  that *resolves* to a private address (DNS rebinding) is out of scope.
  Counted as ``kw/refused/scheme/<scheme>`` and ``kw/refused/private_address``.
- :class:`ErrorCounterMiddleware` (540, below the retry middleware): counts
  every request that finally failed, by kind — ``kw/errors/<kind>`` with the
  kinds of :data:`ERROR_KINDS` (see :func:`error_kind`); HTTP errors only when
  the spider does not handle that status itself.
- :class:`RetryAfterMiddleware` (550, replaces Scrapy's ``RetryMiddleware``):
  Scrapy's retry, plus ``Retry-After`` on 429/503: waits that long (without
  blocking other downloads) when it is at most ``KW_RETRY_AFTER_MAX`` seconds,
  gives up at once when it is longer; counts ``kw/retried/<kind>``,
  ``kw/retry_after/waited`` and ``kw/retry_after/over_cap``.
- :class:`EncodingRepairMiddleware` (560): latin-1 bytes declared as UTF-8 and
  UTF-8 declared as latin-1/cp1252 are re-decoded with the right codec
  (``kw/encoding/repaired``); text that stays garbled is counted
  (``kw/encoding/suspect``) and logged with its URL.
- :class:`ContentTypeFilterMiddleware` (570): non-text responses (PDF, images,
  archives …) are not downloaded past their headers and reach the spider as
  empty binary responses, counted ``kw/skipped/content_type/<type>``.
- :class:`RedirectLoopMiddleware` (610, above ``RedirectMiddleware``): a redirect
  back to a URL of the same chain, or a chain of ``REDIRECT_MAX_TIMES``, ends
  the request at once (``kw/errors/redirect_loop``).

Spider middleware :class:`SpiderErrorCounter` counts exceptions escaping a
spider callback as ``kw/errors/parse``.
"""

from __future__ import annotations

import codecs
import ipaddress
import logging
import re
import socket
import ssl
from email.utils import parsedate_to_datetime
from typing import Any, Self
from urllib.parse import urldefrag, urljoin, urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    StopDownload,
)
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet import error as txerror
from twisted.internet.task import deferLater
from twisted.python.failure import Failure
from twisted.web.http import _DataLoss

logger = logging.getLogger(__name__)

ERROR_KINDS = (
    "timeout",
    "dns",
    "connection_refused",
    "connection_reset",
    "tls",
    "http_4xx",
    "http_5xx",
    "too_large",
    "truncated",
    "redirect_loop",
    "robots",
    "parse",
    "other",
)

DEFAULT_RETRY_AFTER_MAX = 120.0  # seconds; a longer Retry-After gives the URL up for this run


class RefusedRequest(IgnoreRequest):
    """A URL refused by :class:`UrlSafetyMiddleware` (not an error of the site)."""


class RedirectLoop(IgnoreRequest):
    """A redirect chain that comes back to itself or never ends."""


# -- error kinds ----------------------------------------------------------------------------
def _chain(exc: BaseException) -> list[BaseException]:
    """The exception, its causes/contexts and the reasons of Twisted wrapper exceptions."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if current in seen or len(seen) > 20:
            continue
        seen.append(current)
        for reason in getattr(current, "reasons", None) or []:
            value = reason.value if isinstance(reason, Failure) else reason
            if isinstance(value, BaseException):
                todo.append(value)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                todo.append(linked)
    return seen


def _is_tls(exc: BaseException) -> bool:
    if isinstance(exc, ssl.SSLError | txerror.SSLError):
        return True
    module = type(exc).__module__
    return module.startswith("OpenSSL") or "tls" in module.split(".")


def error_kind(error: BaseException | Failure) -> str:
    """The kind (one of :data:`ERROR_KINDS`) of a download or parse failure."""
    exc = error.value if isinstance(error, Failure) else error
    if exc is None:
        return "other"
    if isinstance(exc, HttpError):
        status = exc.response.status if getattr(exc, "response", None) is not None else 0
        return "http_5xx" if status >= 500 else "http_4xx"
    if isinstance(exc, RedirectLoop):
        return "redirect_loop"
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        if "robots.txt" in message:
            return "robots"
        if "max redirections" in message:
            return "redirect_loop"
        return "other"
    chain = _chain(exc)
    checks: list[tuple[str, tuple[type[BaseException], ...]]] = [
        ("timeout", (DownloadTimeoutError, txerror.TimeoutError, TimeoutError)),
        ("dns", (CannotResolveHostError, txerror.DNSLookupError, socket.gaierror)),
        (
            "connection_refused",
            (
                DownloadConnectionRefusedError,
                txerror.ConnectionRefusedError,
                ConnectionRefusedError,
            ),
        ),
        ("truncated", (ResponseDataLossError, _DataLoss)),
    ]
    for kind, types in checks:
        if any(isinstance(e, types) for e in chain):
            return kind
    if any(_is_tls(e) for e in chain):
        return "tls"
    if any(isinstance(e, DownloadCancelledError) for e in chain):
        return "too_large"  # Scrapy cancels a download only for DOWNLOAD_MAXSIZE
    resets = (txerror.ConnectionLost, txerror.ConnectionDone, ConnectionError)
    if any(isinstance(e, resets) for e in chain):
        return "connection_reset"
    if any(isinstance(e, ValueError | LookupError | AttributeError | TypeError) for e in chain):
        return "parse"
    return "other"


def _stats(crawler: Crawler) -> StatsCollector:
    assert crawler.stats is not None
    return crawler.stats


# -- URL safety -----------------------------------------------------------------------------
LOCAL_NAMES = re.compile(
    r"^(?:localhost|localhost\.localdomain|ip6-localhost|ip6-loopback)$|\.localhost$"
)


def _literal_ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address of a literal-IP host, in any notation the system resolver accepts."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if re.fullmatch(r"(?:0x[0-9a-f]+|\d+)(?:\.(?:0x[0-9a-f]+|\d+)){0,3}", host, re.I):
        try:  # 127.1, 0x7f.0.0.1, 2130706433, 017700000001 …
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def unsafe_reason(url: str, *, allow_private: bool = False) -> str | None:
    """Why ``url`` must not be fetched, or None.

    Reasons: ``scheme/<scheme>``, ``no_host``, ``malformed``, ``private_address``.
    """
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return "malformed"
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return f"scheme/{re.sub(r'[^a-z0-9+.-]', '_', scheme) or 'none'}"
    if not host:
        return "no_host"
    if allow_private:
        return None
    if LOCAL_NAMES.search(host):
        return "private_address"
    address = _literal_ip(host)
    if address is not None:
        mapped = getattr(address, "ipv4_mapped", None)
        if mapped is not None:
            address = mapped
        if not address.is_global or address.is_multicast:
            return "private_address"
    return None


class UrlSafetyMiddleware:
    """Refuse non-http(s) URLs always, private addresses on live crawls (module docstring)."""

    def __init__(self, stats: StatsCollector, allow_private: bool) -> None:
        self.stats = stats
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        allow = settings.getbool("KW_ALLOW_PRIVATE", False) or bool(settings.get("KW_ARCHIVE"))
        return cls(_stats(crawler), allow)

    def process_request(self, request: Request) -> None:
        reason = unsafe_reason(request.url, allow_private=self.allow_private)
        if reason is None:
            return None
        self.stats.inc_value(f"kw/refused/{reason}")
        logger.warning("refused %s (%s)", request.url[:200], reason)
        raise RefusedRequest(f"refused ({reason}): {request.url[:200]}")


# -- error counting -------------------------------------------------------------------------
def _handles_status(request: Request, status: int, settings: BaseSettings, spider: Any) -> bool:
    """Whether the spider reads responses of this status itself (as HttpErrorMiddleware)."""
    meta = request.meta
    if meta.get("handle_httpstatus_all") or settings.getbool("HTTPERROR_ALLOW_ALL"):
        return True
    if "handle_httpstatus_list" in meta:
        return status in meta["handle_httpstatus_list"]
    allowed = getattr(spider, "handle_httpstatus_list", None)
    if allowed is None:
        allowed = settings.getlist("HTTPERROR_ALLOWED_CODES")
    return status in {int(code) for code in allowed}


def _is_robots_request(request: Request) -> bool:
    return (
        bool(request.meta.get("dont_obey_robotstxt"))
        and urlsplit(request.url).path == "/robots.txt"
    )


class ErrorCounterMiddleware:
    """``kw/errors/<kind>`` for every request that finally failed (after retries)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = _stats(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def count(self, request: Request, kind: str, detail: str) -> None:
        """Count one failure of ``request`` (once per request) and log it with its URL."""
        if request.meta.get("kw_error_kind"):
            return
        request.meta["kw_error_kind"] = kind
        self.stats.inc_value(f"kw/errors/{kind}")
        logger.info("error %s: %s (%s)", kind, request.url[:200], detail[:200])

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, RefusedRequest) or _is_robots_request(request):
            return None  # refusals are counted as such; robots.txt failures by Scrapy
        kind = error_kind(exception)
        if kind == "other" and isinstance(exception, IgnoreRequest):
            return None  # e.g. not in the replayed archive: counted by its middleware
        self.count(request, kind, f"{type(exception).__name__}: {exception}")
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        status = response.status
        if status < 400 or _is_robots_request(request):
            return response  # robots.txt itself: a 404 there is normal
        if _handles_status(request, status, self.crawler.settings, self.crawler.spider):
            return response
        kind = "http_5xx" if status >= 500 else "http_4xx"
        self.count(request, kind, f"HTTP {status}")
        return response


class SpiderErrorCounter:
    """Spider middleware: an exception escaping a callback counts as ``kw/errors/parse``."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(_stats(crawler))

    def process_spider_exception(self, response: Response, exception: Exception) -> None:
        if isinstance(exception, HttpError):
            return None  # counted by ErrorCounterMiddleware
        self.stats.inc_value("kw/errors/parse")
        logger.warning(
            "parse error %s: %s: %s", response.url[:200], type(exception).__name__, exception
        )
        return None


# -- Retry-After ----------------------------------------------------------------------------
def retry_after_seconds(value: bytes | str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or HTTP date), or None."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if re.fullmatch(r"\d{1,10}", text):
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    from datetime import UTC, datetime

    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, honouring ``Retry-After`` within ``KW_RETRY_AFTER_MAX``."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.max_wait = settings.getfloat("KW_RETRY_AFTER_MAX", DEFAULT_RETRY_AFTER_MAX)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        stats = _stats(self.crawler)
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is not None and wait > self.max_wait:
            stats.inc_value("kw/retry_after/over_cap")
            logger.warning(
                "giving up %s: Retry-After %.0f s is over KW_RETRY_AFTER_MAX (%.0f s)",
                request.url[:200],
                wait,
                self.max_wait,
            )
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        if not _is_robots_request(request):
            stats.inc_value(f"kw/retried/http_{response.status}")
        if wait:
            stats.inc_value("kw/retry_after/waited")
            from twisted.internet import reactor

            await maybe_deferred_to_future(deferLater(reactor, wait))
        return retry

    def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        retry = super().process_exception(request, exception)
        if isinstance(retry, Request) and not _is_robots_request(request):
            _stats(self.crawler).inc_value(f"kw/retried/{error_kind(exception)}")
        return retry


# -- encodings ------------------------------------------------------------------------------
SINGLE_BYTE = {"cp1252", "iso8859-1", "latin-1", "iso8859-15", "ascii"}
# UTF-8 read as cp1252/latin-1 (Ã¤, Ã¼, ÃŸ, â€ž …) and the replacement character
MOJIBAKE = re.compile("Ã[\x80-\xbf\u0152-\u2122]|â€|\ufffd")


def _mojibake(text: str) -> bool:
    """True when the text shows UTF-8 read as a single-byte charset (or U+FFFD).

    Substring tests first: they scan a page ten times faster than the regex,
    which only runs when one of its lead characters is there at all.
    """
    if "Ã" not in text and "â€" not in text and "\ufffd" not in text:
        return False
    return MOJIBAKE.search(text) is not None


def _codec(name: str | None) -> str:
    try:
        return codecs.lookup(name or "").name
    except LookupError:
        return ""


def check_encoding(body: bytes, declared: str | None) -> tuple[str | None, str]:
    """``(codec to re-decode with or None, verdict)``; verdict is ok, repaired or suspect.

    UTF-8 declared but invalid: cp1252 when that reads cleanly, else suspect.
    A single-byte charset declared but the bytes are valid UTF-8 with non-ASCII
    sequences: UTF-8 (latin-1 text with umlauts is practically never valid UTF-8).
    """
    if body.isascii():
        return None, "ok"
    codec = _codec(declared)
    if codec == "utf-8":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            single = body.decode("cp1252", errors="replace")
            if _mojibake(single):
                return None, "suspect"  # UTF-8 and latin-1 mixed in one page
            return "cp1252", "repaired"
        return None, "suspect" if _mojibake(text) else "ok"
    if codec in SINGLE_BYTE:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode(codec, errors="replace")
            return None, "suspect" if _mojibake(text) else "ok"
        return "utf-8", "repaired"
    return None, "ok"


class EncodingRepairMiddleware:
    """Re-decode text responses whose declared charset is wrong (module docstring)."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(_stats(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or response.status >= 300:
            return response
        if _is_json(response):
            return response  # JSON is UTF-8 by definition and read from the bytes
        codec, verdict = check_encoding(response.body, response.encoding)
        if verdict == "repaired" and codec:
            self.stats.inc_value("kw/encoding/repaired")
            logger.info(
                "re-decoded %s as %s (declared %s)", response.url[:200], codec, response.encoding
            )
            return response.replace(encoding=codec, flags=[*response.flags, "encoding_repaired"])
        if verdict == "suspect":
            self.stats.inc_value("kw/encoding/suspect")
            logger.warning("garbled text (mixed or double encoding): %s", response.url[:200])
            return response.replace(flags=[*response.flags, "encoding_suspect"])
        return response


def _is_json(response: Response) -> bool:
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
    return "json" in content_type


# -- content types --------------------------------------------------------------------------
TEXT_TYPES = re.compile(r"^(?:text/|application/(?:[\w.+-]+\+)?(?:xml|json)$|application/xhtml)")


def media_type(content_type: bytes | str | None) -> str:
    """``type/subtype`` of a Content-Type header, lower-case ('' when absent)."""
    if content_type is None:
        return ""
    text = content_type.decode("latin-1") if isinstance(content_type, bytes) else content_type
    return text.split(";", 1)[0].strip().lower()


def is_text_type(content_type: bytes | str | None) -> bool:
    """True for HTML, XML, feeds, JSON and other text; also when no type is given."""
    kind = media_type(content_type)
    return not kind or bool(TEXT_TYPES.match(kind))


def _type_key(kind: str) -> str:
    return re.sub(r"[^a-z0-9.+/-]", "_", kind)[:60] or "none"


class ContentTypeFilterMiddleware:
    """Skip non-text responses after their headers (module docstring)."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(_stats(crawler))
        crawler.signals.connect(middleware.headers_received, signal=signals.headers_received)
        return middleware

    def headers_received(self, headers: Any, request: Request, **_: Any) -> None:
        """Stop the download of a non-text body as soon as its headers are in."""
        kind = media_type(headers.get(b"Content-Type"))
        if is_text_type(kind) or request.meta.get("kw_binary_ok"):
            return
        raise StopDownload(fail=False)

    def process_response(self, request: Request, response: Response) -> Response:
        content_type = response.headers.get(b"Content-Type")
        if response.status >= 300 or is_text_type(content_type) or request.meta.get("kw_binary_ok"):
            return response
        kind = media_type(content_type)
        self.stats.inc_value(f"kw/skipped/content_type/{_type_key(kind)}")
        logger.info("skipped %s (%s)", response.url[:200], kind)
        return Response(
            url=response.url,
            status=response.status,
            headers=response.headers,
            body=b"",
            flags=[*response.flags, "skipped_type"],
            request=request,
            protocol=response.protocol,
        )


# -- redirect loops -------------------------------------------------------------------------
class RedirectLoopMiddleware:
    """End a redirect chain that loops or exceeds ``REDIRECT_MAX_TIMES`` (module docstring)."""

    def __init__(self, stats: StatsCollector, max_times: int) -> None:
        self.stats = stats
        self.max_times = max_times

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(_stats(crawler), crawler.settings.getint("REDIRECT_MAX_TIMES", 20))

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        if request.meta.get("dont_redirect") or request.meta.get("handle_httpstatus_all"):
            return response
        target = urldefrag(urljoin(request.url, location.decode("latin-1").strip()))[0]
        chain = [urldefrag(u)[0] for u in [*request.meta.get("redirect_urls", []), request.url]]
        if target in chain or len(chain) > self.max_times:
            self.stats.inc_value("kw/errors/redirect_loop")
            request.meta["kw_error_kind"] = "redirect_loop"
            logger.warning("redirect loop: %s -> %s", " -> ".join(chain)[:300], target[:200])
            raise RedirectLoop(f"redirect loop at {request.url[:200]} -> {target[:200]}")
        return response
