"""Chamber web sites on the ODAV CMS: find the notices about the incident.

Pure: HTML + URL in, links out.  ODAV CMS article URLs look like
``/artikel/<slug>-<kammerId>,<cat>,<artId>.html`` (Köln 32, Aachen 33;
MARKUP.md).  :func:`incident_notices` returns the article links of a home or
news page whose link text or slug contains an incident keyword
(``crawler/data/chamber_notices.json``), on the chamber's own hosts only;
:func:`index_links` the chamber's press/news overview pages, read once per run
for notices that are no longer on the home page.  The notices themselves are
read by the generic news parser (meta tags and ``<time>``, the author is the
chamber).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from urllib.parse import unquote, urlsplit, urlunsplit

from crawler.parsers.common import absolute, clean_inline, parse_html, select, strip_fragment

NOTICE_PATH = re.compile(
    r"/artikel/(?P<slug>[^/]*?)-?(?P<kammer>\d+),(?P<cat>\d+),(?P<art>\d+)\.html$"
)
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "-": " ", "_": " "})


@dataclass(frozen=True)
class NoticeLink:
    """A link to an ODAV CMS article."""

    url: str
    title: str
    slug: str
    kammer_id: int
    category: int
    article_id: int


@dataclass(frozen=True)
class NoticeRules:
    keywords: tuple[str, ...]
    index_texts: tuple[str, ...]


@cache
def load_rules() -> NoticeRules:
    """The bundled keywords (``crawler/data/chamber_notices.json``)."""
    text = resources.files("crawler").joinpath("data/chamber_notices.json").read_text("utf-8")
    data = json.loads(text)
    return NoticeRules(
        keywords=tuple(fold(k) for k in data.get("keywords", [])),
        index_texts=tuple(fold(k) for k in data.get("index_texts", [])),
    )


def fold(text: str) -> str:
    """Lower case, umlauts spelled out, ``-``/``_`` as spaces, spaces collapsed."""
    return " ".join(text.lower().translate(_FOLD).split())


def parse_notice_url(url: str) -> tuple[str, int, int, int] | None:
    """``(slug, kammer_id, category, article_id)`` of an ODAV article URL, else None."""
    match = NOTICE_PATH.search(unquote(urlsplit(url).path))
    if not match:
        return None
    return (
        match.group("slug"),
        int(match.group("kammer")),
        int(match.group("cat")),
        int(match.group("art")),
    )


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _own(url: str, page_url: str, hosts: Iterable[str]) -> bool:
    host = _host(url)
    allowed = {_host(page_url), *(h.lower() for h in hosts)}
    return any(host == h or host.endswith("." + h) for h in allowed if h)


def _anchors(html: str | bytes, url: str) -> list[tuple[str, str]]:
    root = parse_html(html, url)
    out = []
    for a in select(root, "a[href]"):
        href = absolute(url, a.get("href"))
        if href and href.startswith(("http://", "https://")):
            out.append((strip_fragment(href), clean_inline("".join(a.itertext()))))
    return out


def _article_url(url: str) -> str:
    """An ODAV article URL without query (``?pdf=1``, print views) and fragment."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def notice_links(html: str | bytes, url: str, hosts: Iterable[str] = ()) -> list[NoticeLink]:
    """Every ODAV article link on the page, on the page's host or ``hosts``, once
    each, without query; not the page itself.  The title is the text of the
    first link without query (PDF and print links say "Als PDF")."""
    seen: dict[str, NoticeLink] = {}
    hosts = tuple(hosts)
    here = _article_url(url)
    anchors = sorted(_anchors(html, url), key=lambda a: bool(urlsplit(a[0]).query))
    for href, text in anchors:
        parts = parse_notice_url(href)
        article = _article_url(href)
        if parts is None or article == here or not _own(href, url, hosts):
            continue
        known = seen.get(article)
        if known is None or (not known.title and text):
            seen[article] = NoticeLink(article, text, *parts)
    return list(seen.values())


def is_incident_notice(link: NoticeLink, rules: NoticeRules | None = None) -> bool:
    """True when the link text or slug names the incident (a keyword)."""
    rules = rules or load_rules()
    words = f" {fold(link.title)} {fold(link.slug)} "
    return any(keyword and keyword in words for keyword in rules.keywords)


def incident_notices(
    html: str | bytes, url: str, hosts: Iterable[str] = (), rules: NoticeRules | None = None
) -> list[NoticeLink]:
    """The page's links to notices about the incident."""
    return [link for link in notice_links(html, url, hosts) if is_incident_notice(link, rules)]


def index_links(
    html: str | bytes, url: str, hosts: Iterable[str] = (), rules: NoticeRules | None = None
) -> list[str]:
    """Links to the chamber's press or news overview (link text is an index word)."""
    rules = rules or load_rules()
    out: list[str] = []
    for href, text in _anchors(html, url):
        if (
            fold(text) in rules.index_texts
            and _own(href, url, tuple(hosts))
            and parse_notice_url(href) is None
            and strip_fragment(href) != strip_fragment(url)
            and href not in out
        ):
            out.append(href)
    return out
