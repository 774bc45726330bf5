"""RSS 2.0, RSS 1.0 (RDF), Atom, sitemaps and sitemap indexes → :class:`FeedEntry`.

Pure and offline: bytes (or a file) plus the feed's URL in, entries out.  The
reader is defused and bounded:

- no entity declarations: a DOCTYPE with an internal ``<!ENTITY`` subset
  (billion laughs, external-entity file references) is refused with
  :class:`FeedError` before the XML parser sees it; the parser itself runs
  with ``resolve_entities=False``, ``no_network=True``, ``load_dtd=False`` and
  ``huge_tree=False`` as a second line;
- streamed: :func:`iter_entries` parses incrementally (``lxml.etree.iterparse``)
  and frees every entry element after reading it, so a 50 MB sitemap needs
  memory for one entry at a time;
- capped: at most ``max_bytes`` of (decompressed) XML and ``max_entries``
  entries are read; what was read before the cap is kept and the feed is
  marked ``truncated``.  Gzipped sitemaps (``.xml.gz``) are decompressed on
  the fly under the same byte cap (no gzip bomb).

Sitemap indexes yield entries of ``kind="sitemap"`` (child sitemaps to read
next); every other entry is ``kind="article"``.
"""

from __future__ import annotations

import gzip
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.dates import isoformat, parse_datetime
from crawler.parsers.common import source_of

MAX_BYTES = 10 * 1024 * 1024  # the same as DOWNLOAD_MAXSIZE
MAX_ENTRIES = 5000
HEAD_BYTES = 64 * 1024  # the prolog (XML declaration, DOCTYPE) must fit in here
SUMMARY_CHARS = 1000

ATOM = "http://www.w3.org/2005/Atom"
RSS1 = "http://purl.org/rss/1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"

# root element (local name) -> format; entry element (local name) per format
FORMATS = {
    "rss": "rss",
    "RDF": "rdf",
    "feed": "atom",
    "urlset": "urlset",
    "sitemapindex": "sitemapindex",
}
ENTRY_TAG = {
    "rss": "item",
    "rdf": "item",
    "atom": "entry",
    "urlset": "url",
    "sitemapindex": "sitemap",
}

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.I)
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_RFC822 = re.compile(r"^\s*(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s")


class FeedError(ValueError):
    """The document is not a feed or sitemap we read, or it is refused as unsafe."""


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed or sitemap.

    url:       absolute http(s) URL of the article (or, for ``kind="sitemap"``,
               of a child sitemap)
    title:     headline as plain text ("" when the format has none, e.g. a
               plain sitemap)
    summary:   teaser/description as plain text, at most 1000 characters
    published: publication time (ISO 8601, Europe/Berlin offset): RSS
               ``pubDate``/``dc:date``, Atom ``published``, news sitemap
               ``publication_date``; None if unknown
    modified:  last modification (Atom ``updated``, sitemap ``lastmod``), None if
               unknown; an item cannot have been published after it
    source:    the site of ``url`` (``heise.de``, like ``Article.source``)
    kind:      ``"article"`` or ``"sitemap"``
    feed:      URL of the feed or sitemap that listed the entry
    keywords:  categories (RSS/Atom) or news keywords (news sitemap)
    """

    url: str
    title: str = ""
    summary: str = ""
    published: str | None = None
    modified: str | None = None
    source: str = ""
    kind: str = "article"
    feed: str = ""
    keywords: tuple[str, ...] = ()


@dataclass
class Feed:
    """A parsed feed: its format, its entries and whether a cap cut it short."""

    url: str
    format: str
    entries: list[FeedEntry] = field(default_factory=list)
    truncated: bool = False
    skipped: int = 0  # entries without a usable http(s) URL

    @property
    def sitemaps(self) -> list[str]:
        """Child sitemaps listed by a sitemap index."""
        return [e.url for e in self.entries if e.kind == "sitemap"]

    @property
    def articles(self) -> list[FeedEntry]:
        return [e for e in self.entries if e.kind == "article"]


# -- input -------------------------------------------------------------------
class _Capped(io.RawIOBase):
    """Serves ``head`` then the rest of ``stream``, stopping after ``limit`` bytes."""

    def __init__(self, head: bytes, stream: IO[bytes], limit: int) -> None:
        super().__init__()
        self.head = head[:limit]
        self.stream = stream
        self.left = limit - len(self.head)
        self.capped = len(head) > limit

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.head:
            n = len(self.head) if size is None or size < 0 else size
            chunk, self.head = self.head[:n], self.head[n:]
            return chunk
        if self.left <= 0:
            if not self.capped and self.stream.read(1):
                self.capped = True
            return b""
        n = self.left if size is None or size < 0 else min(size, self.left)
        chunk = self.stream.read(n)
        self.left -= len(chunk)
        return chunk

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _open(data: bytes | str | Path | IO[bytes]) -> IO[bytes]:
    if isinstance(data, bytes | bytearray):
        return io.BytesIO(bytes(data))
    if isinstance(data, str):
        return io.BytesIO(data.encode("utf-8"))
    if isinstance(data, Path):
        return open(data, "rb")
    return data


def _read_head(stream: IO[bytes]) -> tuple[bytes, IO[bytes]]:
    """The first bytes of the (decompressed) document and the stream to go on with."""
    magic = stream.read(2)
    if magic == b"\x1f\x8b":
        rest = _Capped(magic, stream, 1 << 62)
        stream = gzip.GzipFile(fileobj=io.BufferedReader(rest), mode="rb")  # type: ignore[assignment]
        head = b""
    else:
        head = magic
    while len(head) < HEAD_BYTES:
        chunk = stream.read(HEAD_BYTES - len(head))
        if not chunk:
            break
        head += chunk
    return head, stream


def _check_prolog(head: bytes) -> None:
    """Refuse entity declarations in the prolog (defusedxml's ``EntitiesForbidden``)."""
    start = _FIRST_ELEMENT.search(head)
    prolog = head[: start.start()] if start else head
    if _DOCTYPE.search(prolog) and _ENTITY_DECL.search(prolog):
        raise FeedError("entity declarations are not allowed in feeds (refused, not expanded)")
    if start is None and _DOCTYPE.search(prolog):
        raise FeedError("DOCTYPE longer than the allowed prolog (refused)")


# -- field helpers -------------------------------------------------------------
def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _ns(tag: Any) -> str:
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].split("}", 1)[0]
    return ""


def _children(el: etree._Element, name: str, *namespaces: str) -> list[etree._Element]:
    return [c for c in el if _local(c.tag) == name and _ns(c.tag) in namespaces]


def _text(el: etree._Element | None) -> str:
    if el is None:
        return ""
    return _SPACE.sub(" ", "".join(el.itertext())).strip()


def _child_text(el: etree._Element, name: str, *namespaces: str) -> str:
    for child in _children(el, name, *namespaces):
        value = _text(child)
        if value:
            return value
    return ""


def plain_text(value: str, limit: int = SUMMARY_CHARS) -> str:
    """HTML fragment (escaped or not) → one line of plain text, at most ``limit`` chars."""
    text = html.unescape(value)
    if "<" in text:
        text = html.unescape(_TAG.sub(" ", text))
    text = _SPACE.sub(" ", text).strip()
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return text


def parse_date(value: str | None) -> str | None:
    """RFC 822 (RSS ``pubDate``) or ISO 8601 (Atom, sitemaps, ``dc:date``) → Berlin ISO."""
    if not value or not value.strip():
        return None
    if _RFC822.match(value):
        try:
            parsed = parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is not None:
            if parsed.tzinfo is None:  # "-0000": UTC per RFC 2822
                return parse_datetime(parsed.isoformat() + "Z")
            return isoformat(parsed)
    return parse_datetime(value)


def _http_url(base: str, href: str) -> str | None:
    href = href.strip()
    if not href:
        return None
    if href.startswith(("https://", "http://")) and " " not in href:
        return href
    url = urljoin(base, href)
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return url


# -- entries per format ---------------------------------------------------------
def _rss_item(el: etree._Element, ns: str) -> dict[str, Any]:
    link = _child_text(el, "link", ns)
    if not link:
        for guid in _children(el, "guid", ns):
            if (guid.get("isPermaLink") or "true").lower() != "false":
                link = _text(guid)
    summary = _child_text(el, "description", ns) or _child_text(el, "encoded", CONTENT)
    published = _child_text(el, "pubDate", ns) or _child_text(el, "date", DC)
    keywords = [_text(c) for c in _children(el, "category", ns)]
    keywords += [_text(c) for c in _children(el, "subject", DC)]
    if not link and ns == RSS1:
        link = el.get(f"{{{RDF}}}about") or ""
    return {
        "url": link,
        "title": plain_text(_child_text(el, "title", ns)),
        "summary": plain_text(summary),
        "published": parse_date(published),
        "keywords": tuple(k for k in keywords if k),
    }


def _atom_entry(el: etree._Element) -> dict[str, Any]:
    link = ""
    for candidate in _children(el, "link", ATOM):
        rel = candidate.get("rel") or "alternate"
        if rel == "alternate" and candidate.get("href"):
            link = candidate.get("href") or ""
            break
    summary = _child_text(el, "summary", ATOM) or _child_text(el, "content", ATOM)
    published = _child_text(el, "published", ATOM)
    modified = _child_text(el, "updated", ATOM)
    keywords = tuple(c.get("term") or "" for c in _children(el, "category", ATOM) if c.get("term"))
    return {
        "url": link,
        "title": plain_text(_child_text(el, "title", ATOM)),
        "summary": plain_text(summary),
        "published": parse_date(published),
        "modified": parse_date(modified),
        "keywords": keywords,
    }


def _sitemap_url(el: etree._Element, ns: str) -> dict[str, Any]:
    title = ""
    published = None
    keywords: tuple[str, ...] = ()
    for news in _children(el, "news", NEWS):
        title = plain_text(_child_text(news, "title", NEWS))
        published = parse_date(_child_text(news, "publication_date", NEWS))
        raw = _child_text(news, "keywords", NEWS)
        keywords = tuple(k.strip() for k in raw.split(",") if k.strip())
    return {
        "url": _child_text(el, "loc", ns),
        "title": title,
        "summary": "",
        "published": published,
        "modified": parse_date(_child_text(el, "lastmod", ns)),
        "keywords": keywords,
    }


def _entry(fmt: str, el: etree._Element, root_ns: str) -> dict[str, Any]:
    if fmt == "atom":
        return _atom_entry(el)
    if fmt == "rss":
        return _rss_item(el, root_ns)
    if fmt == "rdf":
        return _rss_item(el, RSS1)
    data = _sitemap_url(el, root_ns or SITEMAP)
    if fmt == "sitemapindex":
        data.update(kind="sitemap", title="", keywords=())
    return data


# -- the reader ------------------------------------------------------------------
def iter_entries(
    data: bytes | str | Path | IO[bytes],
    url: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_entries: int = MAX_ENTRIES,
    result: Feed | None = None,
) -> Iterator[FeedEntry]:
    """Stream the entries of a feed or sitemap (see the module docstring for the limits).

    ``data`` is the document's bytes, its text (``str``, sent as UTF-8), a
    :class:`~pathlib.Path` or a binary file object.  When
    ``result`` is given, its ``format``, ``truncated`` and ``skipped`` are set
    while reading.  Raises :class:`FeedError` for non-feeds, refused
    documents and XML errors before the first entry; an error after entries
    were read (a cut-off download) ends the stream and marks it truncated.
    """
    feed = result if result is not None else Feed(url, "unknown")
    stream = _open(data)
    try:
        head, body = _read_head(stream)
        _check_prolog(head)
        reader = _Capped(head, body, max_bytes)
        events = etree.iterparse(
            reader,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        fmt = ""
        root_ns = ""
        depth = 0
        entry_depth = -1
        count = 0
        try:
            for event, el in events:
                if event == "start":
                    depth += 1
                    if depth == 1:
                        name = _local(el.tag)
                        if name not in FORMATS:
                            raise FeedError(f"{url}: not a feed or sitemap (root <{name}>)")
                        fmt = FORMATS[name]
                        root_ns = _ns(el.tag)
                        feed.format = fmt
                    elif entry_depth < 0 and _local(el.tag) == ENTRY_TAG[fmt]:
                        entry_depth = depth
                    continue
                # "end"
                if depth == entry_depth:
                    entry_depth = -1
                    fields = _entry(fmt, el, root_ns)
                    _free(el)
                    link = _http_url(url, fields.pop("url"))
                    if link is None:
                        feed.skipped += 1
                    else:
                        yield FeedEntry(url=link, source=source_of(link), feed=url, **fields)
                        count += 1
                        if count >= max_entries:
                            feed.truncated = True
                            return
                elif entry_depth < 0 and depth > 1 and _local(el.tag) not in ("channel",):
                    _free(el)  # feed-level metadata and stray elements
                depth -= 1
        except etree.XMLSyntaxError as exc:
            if reader.capped or (count and depth > 0):
                feed.truncated = True
                return
            raise FeedError(f"{url}: not well-formed XML ({exc})") from exc
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            if count:
                feed.truncated = True
                return
            raise FeedError(f"{url}: unreadable ({exc})") from exc
        if reader.capped:
            feed.truncated = True
    finally:
        if isinstance(data, Path):
            stream.close()


def _free(el: etree._Element) -> None:
    """Drop a read element and its already-read siblings (constant memory)."""
    el.clear()
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def parse_feed(
    data: bytes | str | Path | IO[bytes],
    url: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_entries: int = MAX_ENTRIES,
) -> Feed:
    """Read a whole feed or sitemap into a :class:`Feed` (capped like :func:`iter_entries`)."""
    feed = Feed(url, "unknown")
    feed.entries = list(
        iter_entries(data, url, max_bytes=max_bytes, max_entries=max_entries, result=feed)
    )
    return feed


def looks_like_feed(body: bytes) -> bool:
    """Cheap test of the first bytes: an RSS/RDF/Atom/sitemap root (or gzip)."""
    if body[:2] == b"\x1f\x8b":
        return True
    head = body[:2048].lstrip()
    return bool(re.search(rb"<(?:[\w-]+:)?(?:rss|RDF|feed|urlset|sitemapindex)[\s>]", head))
