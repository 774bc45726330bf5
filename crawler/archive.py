"""Web archives (WARC, ISO 28500): index, replay lookups and writing.

:class:`WarcArchive` indexes every ``response``/``revisit`` record of a WARC
(gzip per record, as written by warcio, wget ``--warc-file``, Webrecorder and
Browsertrix, or uncompressed) by URL and reads records back on demand by
offset, so a large archive is never held in memory.  Whole-file gzip (not per
record) cannot be seeked; such archives are read into memory once.
"""

from __future__ import annotations

import gzip
import io
import re
import uuid
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.dates import parse_datetime

# Pages that are part of another document rather than documents themselves.
NOT_A_DOCUMENT = re.compile(
    r"/comment-page-\d+/?|[?&](?:cpage|replytocom)=|/wp-json/|[?&]rest_route=|/feed/?$|"
    r"/xmlrpc\.php|/robots\.txt$|/loadMoreComments/|/forum/|forum\.golem\.de"
)
_DROP_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class ArchiveError(ValueError):
    """The file is not a readable WARC."""


def url_key(url: str) -> str:
    """Lookup key: scheme-less, no fragment, host lower-case, no trailing slash."""
    url = url.strip().strip("<>")
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", (parts.hostname or "").lower() + _port(parts), path, parts.query, ""))


def _port(parts: Any) -> str:
    port = parts.port
    return f":{port}" if port and port not in (80, 443) else ""


@dataclass
class ArchivedResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    date: str | None  # capture time, Berlin ISO
    raw_headers: list[tuple[str, str]] = field(default_factory=list)  # as archived

    @property
    def content_type(self) -> str:
        for name, value in self.headers:
            if name.lower() == "content-type":
                return value
        return ""


@dataclass
class _Entry:
    offset: int
    url: str
    date: str | None
    status: int
    content_type: str
    revisit_of: str | None = None


class WarcArchive:
    """Random access to the HTTP responses of one WARC file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._entries: dict[str, _Entry] = {}
        self._order: list[str] = []
        self._memory: dict[str, ArchivedResponse] | None = None
        self.records = 0
        self._index()

    # -- index ---------------------------------------------------------
    def _open(self) -> IO[bytes]:
        try:
            return self.path.open("rb")
        except OSError as exc:
            raise ArchiveError(f"{self.path}: cannot open ({exc.strerror})") from exc

    def _index(self) -> None:
        with self._open() as stream:
            head = stream.read(64)
        gz = head[:2] == b"\x1f\x8b"
        if gz:
            try:
                with gzip.open(self.path) as probe:
                    first = probe.read(16)
            except (OSError, EOFError) as exc:
                raise ArchiveError(f"{self.path}: broken gzip ({exc})") from exc
        else:
            first = head
        if not first.startswith(b"WARC/"):
            raise ArchiveError(f"{self.path}: not a WARC file (does not start with 'WARC/')")
        if gz and self._first_member_has_many_records():
            # whole-file gzip: no random access, so read the records into memory once
            self._memory = {}
            with gzip.open(self.path) as stream:
                self._scan(stream)
        else:
            with self._open() as stream:
                self._scan(stream)
        if not self._entries:
            raise ArchiveError(f"{self.path}: no HTTP response records")

    def _first_member_has_many_records(self) -> bool:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        seen = b""
        with self._open() as stream:
            while not inflater.eof:
                chunk = stream.read(1 << 16)
                if not chunk:
                    break
                try:
                    seen = (seen + inflater.decompress(chunk))[-(1 << 20) :]
                except zlib.error:
                    return False
                if b"\nWARC/1." in seen[8:]:
                    return True
        return False

    def _scan(self, stream: IO[bytes] | gzip.GzipFile) -> None:
        """Index every record; a record counts only once the next one (or the
        clean end of the file) was reached, so a cut-off last record is dropped."""
        pending: tuple[str, _Entry, ArchivedResponse | None] | None = None
        try:
            iterator = ArchiveIterator(stream)
            for record in iterator:
                if pending is not None:
                    self._commit(*pending)
                    pending = None
                self.records += 1
                # (asking the offset reads the record to its end: not in memory mode)
                offset = 0 if self._memory is not None else iterator.get_record_offset()
                pending = self._entry(record, offset)
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as exc:
            if not self._entries:
                raise ArchiveError(f"{self.path}: unreadable WARC ({exc})") from exc
            self.truncated = f"after {len(self._entries)} responses ({exc})"
            return
        if pending is not None:
            if self._complete(pending[1], pending[2]):
                self._commit(*pending)
            else:
                self.truncated = f"after {len(self._entries)} responses (last record cut off)"

    def _complete(self, entry: _Entry, response: ArchivedResponse | None) -> bool:
        """Whether the last record's payload is as long as its HTTP Content-Length says."""
        response = response or self._read(entry)
        if response is None:
            return False
        declared = next((v for k, v in response.raw_headers if k.lower() == "content-length"), None)
        return (
            declared is None
            or not declared.strip().isdigit()
            or len(response.body) >= int(declared)
        )

    def _commit(self, key: str, entry: _Entry, response: ArchivedResponse | None) -> None:
        if key not in self._entries:
            self._order.append(key)
        self._entries[key] = entry  # the latest capture wins
        if self._memory is not None and response is not None:
            self._memory[key] = response

    truncated: str | None = None

    def _entry(
        self, record: Any, offset: int
    ) -> tuple[str, _Entry, ArchivedResponse | None] | None:
        if record.rec_type not in ("response", "revisit"):
            return None
        uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
        if not uri.startswith(("http://", "https://")):
            return None
        http = record.http_headers
        if http is None:
            return None
        status = int((http.get_statuscode() or "0")[:3] or 0)
        revisit_of = None
        if record.rec_type == "revisit":
            revisit_of = record.rec_headers.get_header("WARC-Refers-To-Target-URI")
        entry = _Entry(
            offset=offset,
            url=uri,
            date=parse_datetime(record.rec_headers.get_header("WARC-Date")),
            status=status,
            content_type=http.get_header("Content-Type") or "",
            revisit_of=revisit_of,
        )
        response = None
        if self._memory is not None and record.rec_type == "response":
            response = self._response(entry, record)
        return url_key(uri), entry, response

    # -- lookups -------------------------------------------------------
    def __contains__(self, url: str) -> bool:
        return url_key(url) in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def urls(self) -> list[str]:
        return [self._entries[k].url for k in self._order]

    def documents(self) -> list[str]:
        """URLs of HTML pages worth parsing as documents (200, HTML, not a sub-page)."""
        out = []
        for key in self._order:
            entry = self._entries[key]
            if entry.status != 200 and not entry.revisit_of:
                continue
            if entry.content_type and "html" not in entry.content_type.lower():
                continue
            if NOT_A_DOCUMENT.search(entry.url):
                continue
            out.append(entry.url)
        return out

    def get(self, url: str) -> ArchivedResponse | None:
        entry = self._entries.get(url_key(url))
        if entry is None:
            return None
        if entry.revisit_of and url_key(entry.revisit_of) in self._entries:
            original = self._read(self._entries[url_key(entry.revisit_of)])
            if original is not None:
                original.url = entry.url
            return original
        return self._read(entry)

    def _read(self, entry: _Entry) -> ArchivedResponse | None:
        if self._memory is not None:
            return self._memory.get(url_key(entry.url))
        with self._open() as stream:
            stream.seek(entry.offset)
            for record in ArchiveIterator(stream):
                return self._response(entry, record)
        return None

    @staticmethod
    def _response(entry: _Entry, record: Any) -> ArchivedResponse:
        http = record.http_headers
        headers = [
            (k, v) for k, v in (http.headers if http else []) if k.lower() not in _DROP_HEADERS
        ]
        body = record.content_stream().read()
        raw = list(http.headers) if http else []
        return ArchivedResponse(entry.url, entry.status, headers, body, entry.date, raw)


# -- writing -------------------------------------------------------------
class WarcRecorder:
    """Append request/response pairs to a gzip-per-record WARC."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._stream: IO[bytes] = self.path.open("ab")
        self._writer = WARCWriter(self._stream, gzip=True)
        self.count = 0

    def write(
        self,
        url: str,
        status: int,
        reason: str,
        headers: Iterable[tuple[str, str]],
        body: bytes,
        *,
        date: datetime | None = None,
        record_id: str | None = None,
    ) -> None:
        http_headers = StatusAndHeaders(
            f"{status} {reason}".strip(),
            [(k, v) for k, v in headers if k.lower() not in _DROP_HEADERS]
            + [("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )
        warc_headers: dict[str, str] = {}
        if date is not None:
            warc_headers["WARC-Date"] = date.strftime("%Y-%m-%dT%H:%M:%SZ")
        if record_id is not None:
            warc_headers["WARC-Record-ID"] = record_id
        record = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
        self._writer.write_record(record)
        self.count += 1

    def close(self) -> None:
        self._stream.close()


def deterministic_id(url: str, salt: str = "") -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, salt + url)}>"
