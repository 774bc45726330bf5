"""The Wayback Machine: CDX query URLs, CDX answers, raw snapshot URLs (pure).

The CDX API (``/cdx/search/cdx?url=…&from=…&to=…&output=json``) answers with
a JSON array whose first row names the fields (``urlkey, timestamp, original,
mimetype, statuscode, digest, length``).  A snapshot's raw bytes, as the site
sent them, are at ``/web/<timestamp>id_/<original>``: without ``id_`` the
archive rewrites links and adds its toolbar (MARKUP.md).  Timestamps are
14-digit UTC (``20240109081455``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from crawler.dates import isoformat

CDX_URL = "https://web.archive.org/cdx/search/cdx"
WAYBACK_URL = "https://web.archive.org/web"
HTML_TYPES = ("text/html", "application/xhtml+xml")


class CdxError(ValueError):
    """The CDX answer is not the JSON table it should be."""


@dataclass(frozen=True)
class Capture:
    """One CDX row."""

    timestamp: str
    original: str
    mimetype: str = ""
    statuscode: str = ""
    digest: str = ""
    length: str = ""

    @property
    def captured_at(self) -> str:
        """Capture time as a Europe/Berlin ISO string."""
        return timestamp_to_iso(self.timestamp)


def timestamp_to_iso(timestamp: str) -> str:
    """``20240109081455`` (UTC, may be shorter) → ``2024-01-09T09:14:55+01:00``."""
    digits = (timestamp + "01010000000000"[len(timestamp) - 4 :])[:14] if timestamp else ""
    try:
        parsed = datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError as exc:
        raise CdxError(f"not a Wayback timestamp: {timestamp!r}") from exc
    return isoformat(parsed)


def cdx_query_url(
    url: str,
    start: str | None = None,
    end: str | None = None,
    *,
    base: str = CDX_URL,
    limit: int | None = None,
) -> str:
    """The CDX query for ``url`` (``…/*`` for a prefix) between two timestamps.

    Only 200 captures, adjacent duplicates (same digest) collapsed.
    """
    params: list[tuple[str, str]] = [("url", url)]
    if start:
        params.append(("from", start))
    if end:
        params.append(("to", end))
    params += [("output", "json"), ("filter", "statuscode:200"), ("collapse", "digest")]
    if limit:
        params.append(("limit", str(limit)))
    return f"{base}?{urlencode(params)}"


def snapshot_url(timestamp: str, original: str, *, base: str = WAYBACK_URL) -> str:
    """The raw (``id_``) snapshot of ``original`` captured at ``timestamp``."""
    return f"{base.rstrip('/')}/{timestamp}id_/{original}"


def parse_cdx(payload: str | bytes) -> list[Capture]:
    """Rows of a CDX JSON answer (an empty answer is an empty list)."""
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8", errors="replace")
    if not payload.strip():
        return []
    try:
        data = json.loads(payload)
    except json.JSONDecodeError as exc:
        raise CdxError(f"CDX answer is not JSON: {payload[:80]!r}") from exc
    if not isinstance(data, list) or not all(isinstance(row, list) for row in data):
        raise CdxError("CDX answer is not a table (list of rows)")
    if not data:
        return []
    header = [str(name) for name in data[0]]
    if "timestamp" not in header or "original" not in header:
        raise CdxError(f"CDX header lacks timestamp/original: {header}")
    captures = []
    for row in data[1:]:
        record = dict(zip(header, (str(v) for v in row), strict=False))
        captures.append(
            Capture(
                timestamp=record["timestamp"],
                original=record["original"],
                mimetype=record.get("mimetype", ""),
                statuscode=record.get("statuscode", ""),
                digest=record.get("digest", ""),
                length=record.get("length", ""),
            )
        )
    return captures


def candidates(
    captures: Iterable[Capture], *, latest_first: bool = False
) -> dict[str, list[Capture]]:
    """HTML 200 captures per original URL, one per digest, oldest first (or newest)."""
    by_url: dict[str, list[Capture]] = {}
    digests: dict[str, set[str]] = {}
    for capture in sorted(captures, key=lambda c: c.timestamp, reverse=latest_first):
        if capture.statuscode not in ("200", ""):
            continue
        if capture.mimetype and not capture.mimetype.lower().startswith(HTML_TYPES):
            continue
        seen = digests.setdefault(capture.original, set())
        if capture.digest and capture.digest in seen:
            continue
        seen.add(capture.digest)
        by_url.setdefault(capture.original, []).append(capture)
    return by_url
