"""Classify one availability check of a chamber site (pure: no Scrapy, no I/O).

A check ends either with a response (status, URL after redirects, body) or with
a network error.  :func:`classify_response` and :func:`classify_error` map
both onto the outcomes of :data:`crawler.observations.OUTCOMES`:

- the final URL on an outage host (``hwk-info.de``, ``whk-info.de``), or a
  redirect to another host whose short page shows the shared banner
  ("Unsere Homepage ist derzeit nicht erreichbar!") → ``redirect_to_banner``;
- the banner on the site's own host → ``banner_page``;
- a redirect to an emergency host (``bbz-arnsberg.de``), or a short page with
  an emergency text ("derzeit nicht erreichbar", "Notfallseite") →
  ``emergency_page``;
- HTTP 4xx/5xx without a banner → ``http_error``; anything else → ``ok``.

Hosts and texts are data: ``crawler/data/outage_patterns.json``.  Only short
pages are read for texts, so a normal home page that reports the outage in a
teaser stays ``ok``.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from crawler.parsers.common import ParseError, drop, paragraphs, parse_html, select, source_of


@dataclass(frozen=True)
class Patterns:
    """Outage hosts and texts (see ``outage_patterns.json``)."""

    outage_hosts: tuple[str, ...] = ()
    emergency_hosts: tuple[str, ...] = ()
    banner_texts: tuple[str, ...] = ()
    emergency_texts: tuple[str, ...] = ()
    short_page_chars: int = 1200

    def with_outage_hosts(self, hosts: Iterable[str]) -> Patterns:
        """A copy with more outage hosts (e.g. a test's local banner host)."""
        extra = tuple(h.strip().lower() for h in hosts if h.strip())
        return Patterns(
            outage_hosts=self.outage_hosts + extra,
            emergency_hosts=self.emergency_hosts,
            banner_texts=self.banner_texts,
            emergency_texts=self.emergency_texts,
            short_page_chars=self.short_page_chars,
        )


@dataclass(frozen=True)
class Verdict:
    """What one check showed: an outcome, a readable detail, the banner seen."""

    outcome: str
    detail: str = ""
    banner: str | None = None


@cache
def load_patterns() -> Patterns:
    """The bundled patterns (``crawler/data/outage_patterns.json``)."""
    text = resources.files("crawler").joinpath("data/outage_patterns.json").read_text("utf-8")
    data = json.loads(text)
    return Patterns(
        outage_hosts=tuple(h.lower() for h in data.get("outage_hosts", [])),
        emergency_hosts=tuple(h.lower() for h in data.get("emergency_hosts", [])),
        banner_texts=tuple(data.get("banner_texts", [])),
        emergency_texts=tuple(data.get("emergency_texts", [])),
        short_page_chars=int(data.get("short_page_chars", 1200)),
    )


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def host_of(url: str | None) -> str:
    return (urlsplit(url or "").hostname or "").lower()


def _on_host(host: str, domains: Iterable[str]) -> str | None:
    for domain in domains:
        if host == domain or host.endswith("." + domain):
            return domain
    return None


def visible_text(body: str | bytes | None, *, without_links: bool = False) -> str:
    """The page's visible text (no title, scripts or styles), whitespace collapsed.

    ``without_links`` leaves out link texts (teasers of news items).
    """
    if not body:
        return ""
    try:
        root = parse_html(body, "about:outage")
    except ParseError:
        return ""
    node = root.find("body")
    if node is None:
        node = root
    if not isinstance(node.tag, str):  # a comment or PI as the only node
        return ""
    if without_links:
        node = copy.deepcopy(node)
        for link in select(node, "a"):
            drop(link)
    return " ".join(" ".join(paragraphs(node)).split())


def find_text(text: str, needles: Iterable[str]) -> str | None:
    """The first needle the text contains (case-insensitive, spaces collapsed)."""
    haystack = _norm(text)
    for needle in needles:
        if _norm(needle) and _norm(needle) in haystack:
            return needle
    return None


def _redirect_detail(url: str, final_url: str, chain: Sequence[str]) -> str:
    hops = [*chain, final_url] if chain else [url, final_url]
    return "redirected: " + " -> ".join(hops)


def classify_response(
    url: str,
    status: int,
    final_url: str | None = None,
    body: str | bytes | None = None,
    *,
    redirect_chain: Sequence[str] = (),
    patterns: Patterns | None = None,
) -> Verdict:
    """Outcome of a check that got a response.

    ``url`` is the URL requested, ``final_url`` the URL after redirects (the
    response's URL), ``redirect_chain`` the URLs redirected from (Scrapy's
    ``redirect_urls``), ``body`` the response body.
    """
    pats = patterns or load_patterns()
    final = final_url or url
    redirected = final.rstrip("/") != url.rstrip("/") or bool(redirect_chain)
    other_site = source_of(final) != source_of(url)
    where = _redirect_detail(url, final, redirect_chain) if redirected else ""
    host = host_of(final)

    outage_host = _on_host(host, pats.outage_hosts)
    text = visible_text(body)
    short = len(text) <= pats.short_page_chars
    banner = find_text(text, pats.banner_texts) if short else None
    if outage_host:
        return Verdict(
            "redirect_to_banner" if other_site else "banner_page",
            _join(f"outage host {outage_host}", f"HTTP {status}", where),
            banner or outage_host,
        )
    if banner:
        return Verdict(
            "redirect_to_banner" if other_site else "banner_page",
            _join("outage banner", f"HTTP {status}", where),
            banner,
        )
    emergency_host = _on_host(host, pats.emergency_hosts) if other_site else None
    if emergency_host:
        return Verdict(
            "emergency_page",
            _join(f"emergency host {emergency_host}", f"HTTP {status}", where),
            find_text(text, pats.emergency_texts) if short else None,
        )
    if status >= 400:
        return Verdict("http_error", _join(f"HTTP {status}", where))
    # a stop-gap page says so in its own text, not in links to news items
    own_text = visible_text(body, without_links=True) if short and text else ""
    emergency = find_text(own_text, pats.emergency_texts) if own_text else None
    if emergency:
        return Verdict(
            "emergency_page",
            _join("short page with outage notice", f"HTTP {status}", where),
            emergency,
        )
    return Verdict("ok", _join(f"HTTP {status}", where))


# Exception class names (anywhere in the MRO of the error or of the reasons it
# wraps) → outcome; the first rule that matches wins.
_ERROR_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Scrapy >= 2.14 wraps Twisted's errors in its own (CannotResolveHostError, ...)
    ("not_checked", ("IgnoreRequest",)),
    ("dns_failure", ("CannotResolveHostError", "DNSLookupError", "gaierror")),
    ("timeout", ("DownloadTimeoutError", "TimeoutError", "TCPTimedOutError")),
    ("connection_refused", ("DownloadConnectionRefusedError", "ConnectionRefusedError")),
    ("tls_error", ("SSLError", "CertificateError", "VerificationError")),
)
_TLS_MESSAGE = re.compile(r"SSL routines|certificate verify failed|TLS handshake", re.I)


def classify_error(
    url: str,
    error_types: Sequence[str],
    message: str = "",
    *,
    final_url: str | None = None,
    patterns: Patterns | None = None,
) -> Verdict:
    """Outcome of a check that got no response.

    ``error_types`` are the class names of the exception and of everything it
    wraps (Twisted's ``ResponseNeverReceived.reasons``), with their base
    classes; ``message`` their messages.  ``final_url`` is the URL that failed
    when a redirect led there: a redirect to an outage host that itself fails
    is still a ``redirect_to_banner``.
    """
    pats = patterns or load_patterns()
    names = set(error_types)
    outcome = "connection_error"
    for candidate, classes in _ERROR_RULES:
        if names.intersection(classes):
            outcome = candidate
            break
    else:
        if any("SSL" in n or "TLS" in n for n in names) or _TLS_MESSAGE.search(message):
            outcome = "tls_error"
    message = " ".join(message.split())
    if final_url and final_url != url:
        banner_host = _on_host(host_of(final_url), pats.outage_hosts)
        where = _redirect_detail(url, final_url, ())
        if banner_host:
            return Verdict(
                "redirect_to_banner",
                _join(f"outage host {banner_host} failed: {outcome}", where, message),
                banner_host,
            )
        return Verdict(outcome, _join(where, message))
    return Verdict(outcome, message)


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)
