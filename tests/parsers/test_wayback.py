"""Wayback Machine CDX queries and answers, snapshot URLs."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from crawler.parsers.wayback import (
    CdxError,
    candidates,
    cdx_query_url,
    parse_cdx,
    snapshot_url,
    timestamp_to_iso,
)

HEADER = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
A = "https://www.hwk-aachen.de/artikel/a-33,0,1.html"
B = "https://www.hwk-aachen.de/artikel/b-33,0,2.html"


def row(ts: str, url: str, digest: str, mime: str = "text/html", status: str = "200") -> list[str]:
    return ["de,hwk-aachen)/x", ts, url, mime, status, digest, "1234"]


def test_query_url() -> None:
    url = cdx_query_url("www.hwk-aachen.de/artikel/*", "20240105", "20240331", base="http://h/cdx")
    parts = urlsplit(url)
    assert parts.netloc == "h" and parts.path == "/cdx"
    assert parse_qsl(parts.query) == [
        ("url", "www.hwk-aachen.de/artikel/*"), ("from", "20240105"), ("to", "20240331"),
        ("output", "json"), ("filter", "statuscode:200"), ("collapse", "digest"),
    ]  # fmt: skip


def test_snapshot_url_is_raw() -> None:
    assert snapshot_url("20240109081455", A) == f"https://web.archive.org/web/20240109081455id_/{A}"


def test_timestamps_are_utc() -> None:
    assert timestamp_to_iso("20240109081455") == "2024-01-09T09:14:55+01:00"
    assert timestamp_to_iso("20240615120000") == "2024-06-15T14:00:00+02:00"
    assert timestamp_to_iso("20240109") == "2024-01-09T01:00:00+01:00"
    with pytest.raises(CdxError):
        timestamp_to_iso("2024x")


def test_parse_cdx() -> None:
    payload = json.dumps([HEADER, row("20240109081455", A, "D1")])
    [capture] = parse_cdx(payload.encode())
    assert (capture.timestamp, capture.original, capture.digest) == ("20240109081455", A, "D1")
    assert capture.captured_at == "2024-01-09T09:14:55+01:00"
    assert parse_cdx("") == [] and parse_cdx("[]") == []
    with pytest.raises(CdxError):
        parse_cdx("<html>Fehler</html>")
    with pytest.raises(CdxError):
        parse_cdx('[["a", "b"], ["1", "2"]]')


def test_candidates_per_url_one_per_digest() -> None:
    captures = parse_cdx(
        json.dumps(
            [
                HEADER,
                row("20240112000000", A, "D2"),
                row("20240109000000", A, "D1"),
                row("20240110000000", A, "D1"),  # same content again
                row("20240111000000", A, "D3", mime="application/pdf"),
                row("20240111000000", A, "D4", status="302"),
                row("20240120000000", B, "D9"),
            ]
        )
    )
    per_url = candidates(captures)
    assert [c.timestamp for c in per_url[A]] == ["20240109000000", "20240112000000"]
    assert [c.timestamp for c in per_url[B]] == ["20240120000000"]
    latest = candidates(captures, latest_first=True)
    assert [c.timestamp for c in latest[A]] == ["20240112000000", "20240110000000"]
