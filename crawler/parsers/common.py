"""Helpers shared by every parser: HTML → tree, JSON-LD, meta tags, microdata,
canonical URLs, ids and the paragraph text format.

Text format (all parsers): one paragraph per block element, paragraphs joined
by a blank line, whitespace inside a paragraph collapsed to single spaces,
``<br>`` kept as a line break, a ``<blockquote>`` as its own paragraph(s)
prefixed ``"> "``, entities decoded, scripts/styles/forms/images dropped.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.etree import ParserError, _Element

ARTICLE_TYPES = {
    "newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "backgroundnewsarticle", "techarticle", "report", "webpage",
}  # fmt: skip

BLOCK_TAGS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "section", "article",
    "table", "tr", "td", "th", "dl", "dd", "dt", "header", "footer", "main", "aside", "figure",
    "address", "hr", "nav", "details", "summary",
}  # fmt: skip
SKIP_TAGS = {
    "script", "style", "noscript", "iframe", "svg", "button", "form", "select", "input",
    "textarea", "template", "img", "figcaption", "object", "embed", "video", "audio", "canvas",
}  # fmt: skip

_BR = "\u2028"
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


@lru_cache(maxsize=2048)
def css(selector: str) -> CSSSelector:
    """Compiled CSS selector (compiling costs more than matching)."""
    return CSSSelector(selector, translator="html")


_CLASS_IN_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
# attribute tests ([rel="https://api.w.org/"]) and pseudo-class arguments (:not(.x))
# hold dots that are not class names
_NOT_CLASS = re.compile(r"\[[^\]]*\]|:[\w-]+\([^)]*\)")


@lru_cache(maxsize=2048)
def _parts(selector: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The comma-separated parts of a selector with the class names each requires."""
    return tuple(
        (part.strip(), frozenset(_CLASS_IN_SELECTOR.findall(_NOT_CLASS.sub("", part))))
        for part in selector.split(",")
    )


# The class names present in the last few documents (document root -> names).
# A superset is always safe: it only decides when a query can be skipped.
_CLASS_INDEX: dict[int, tuple[_Element, frozenset[str]]] = {}


def _classes_of(el: _Element) -> frozenset[str]:
    root = el.getroottree().getroot()
    cached = _CLASS_INDEX.get(id(root))
    if cached is not None and cached[0] is root:
        return cached[1]
    names = frozenset(
        name
        for node in root.iter(etree.Element)
        if (cls := node.get("class"))
        for name in cls.split()
    )
    if len(_CLASS_INDEX) > 8:
        _CLASS_INDEX.clear()
    _CLASS_INDEX[id(root)] = (root, names)
    return names


def select(el: _Element, selector: str) -> list[_Element]:
    """Descendant-or-self elements matching a CSS selector.

    Parts of the selector that name a class the document does not have at all
    are left out before the query runs: class predicates cost a full pass
    over the tree (~0.25 µs an element), and most site selectors do not match
    most pages.
    """
    parts = _parts(selector)
    if any(required for _, required in parts):
        present = _classes_of(el)
        usable = [part for part, required in parts if required <= present]
        if not usable:
            return []
        if len(usable) < len(parts):
            selector = ", ".join(usable)
    result: list[_Element] = css(selector)(el)
    return result


# Plain lxml elements: lxml.html's per-element Python class lookup costs more
# than the parse itself on comment-heavy pages.
_PARSER = etree.HTMLParser(remove_blank_text=False)


class ParseError(ValueError):
    """The page cannot be parsed at all (empty, not HTML)."""


def parse_html(html: str | bytes, url: str) -> _Element:
    """Parse a page; raises ParseError naming the URL when there is nothing to parse."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not html or not html.strip():
        raise ParseError(f"{url}: empty document")
    # lxml refuses str input that carries an XML encoding declaration
    html = re.sub(r"^\s*<\?xml[^>]*>", "", html)
    try:
        root = etree.fromstring(html, _PARSER)
    except (ParserError, ValueError, etree.XMLSyntaxError) as exc:
        raise ParseError(f"{url}: not parseable as HTML ({exc})") from exc
    if root is None:
        raise ParseError(f"{url}: no HTML elements")
    return root


def fragment(html: str) -> _Element:
    """Parse an HTML fragment (e.g. a REST API's rendered content) into a <div>."""
    root = etree.fromstring(f"<html><body><div>{html}</div></body></html>", _PARSER)
    div = root.find("body/div") if root is not None else None
    return div if div is not None else etree.Element("div")


def to_html(el: _Element) -> str:
    return str(etree.tostring(el, method="html", encoding="unicode"))


def drop(el: _Element) -> None:
    """Remove an element but keep its tail text (lxml.html's drop_tree for plain trees)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def clean_inline(text: str) -> str:
    """Collapse whitespace (str.split covers Unicode spaces), keep <br> breaks."""
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    lines = (" ".join(line.split()) for line in text.split(_BR))
    return "\n".join(line for line in lines if line)


def paragraphs(root: _Element, skip: Iterable[_Element] = ()) -> list[str]:
    """Block-structured text of an element, in the module's paragraph format."""
    skipped = set(skip)
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = clean_inline("".join(buf))
        buf.clear()
        if text:
            out.append(text)

    def walk(el: _Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in SKIP_TAGS or el in skipped:
            return
        if tag == "br":
            buf.append(_BR)
            return
        if tag == "blockquote":
            flush()
            out.extend("> " + p for p in paragraphs(el, skipped))
            return
        block = tag in BLOCK_TAGS
        if block:
            flush()
        if el.text:
            buf.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buf.append(child.tail)
        if block:
            flush()

    if root.text:
        buf.append(root.text)
    for child in root:
        walk(child)
        if child.tail:
            buf.append(child.tail)
    flush()
    return out


def text_of(el: _Element | None) -> str:
    """Inline text of one element, whitespace collapsed."""
    if el is None:
        return ""
    return clean_inline("".join(el.itertext()))


def first(root: _Element, *selectors: str) -> _Element | None:
    for selector in selectors:
        found = select(root, selector)
        if found:
            return found[0]
    return None


def first_text(root: _Element, *selectors: str) -> str | None:
    for selector in selectors:
        for el in select(root, selector):
            text = text_of(el)
            if text:
                return text
    return None


def first_attr(root: _Element, selector: str, attr: str) -> str | None:
    for el in select(root, selector):
        value = el.get(attr)
        if value and value.strip():
            return value.strip()
    return None


def meta(root: _Element, *names: str) -> str | None:
    """Content of the first ``<meta name|property|itemprop=…>`` among names."""
    wanted = {n.lower() for n in names}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key in wanted:
            content = el.get("content")
            if content and content.strip():
                return html_lib.unescape(content.strip())
    return None


def _unescape_deep(value: Any) -> Any:
    if isinstance(value, str):
        return html_lib.unescape(value)
    if isinstance(value, list):
        return [_unescape_deep(v) for v in value]
    if isinstance(value, dict):
        return {k: _unescape_deep(v) for k, v in value.items()}
    return value


def _json_ld_nodes(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _json_ld_nodes(entry)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _json_ld_nodes(data["@graph"])


def json_ld(root: _Element) -> list[dict[str, Any]]:
    """Every JSON-LD node of the page (lists and @graph flattened), entities decoded."""
    nodes: list[dict[str, Any]] = []
    for script in select(root, 'script[type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except json.JSONDecodeError:
            continue
        nodes.extend(_unescape_deep(node) for node in _json_ld_nodes(data))
    return nodes


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values}


def json_ld_article(root: _Element) -> dict[str, Any] | None:
    """The page's article node: NewsArticle before Article before anything with a headline."""
    nodes = json_ld(root)
    ranked = sorted(
        (n for n in nodes if _types(n) & ARTICLE_TYPES and n.get("headline")),
        key=lambda n: 0 if "newsarticle" in _types(n) else 1 if "webpage" not in _types(n) else 2,
    )
    return ranked[0] if ranked else None


def names(value: Any) -> list[str]:
    """Person/organisation names from a JSON-LD ``author`` value."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        name = value.get("name")
        return names(name) if name else []
    if isinstance(value, list):
        return [n for v in value for n in names(v)]
    return []


def microdata(root: _Element, prop: str) -> _Element | None:
    found = select(root, f'[itemprop~="{prop}"]')
    return found[0] if found else None


def absolute(base: str, href: str | None) -> str | None:
    """An http(s) URL for a link, or None (javascript:, mailto:, file:, data:, ftp: ...)."""
    if not href or not href.strip():
        return None
    url = urljoin(base, href.strip())
    return url if url.startswith(("http://", "https://")) else None


def strip_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def canonical_url(root: _Element, url: str) -> str:
    href = first_attr(root, 'link[rel="canonical"]', "href") or meta(root, "og:url")
    return absolute(url, href) or url


def source_of(url: str) -> str:
    """Site name from a URL: host without a leading ``www.``/``www1.``/``m.``/``amp.``."""
    host = (urlsplit(url).hostname or "").lower()
    return re.sub(r"^(?:www\d*|m|amp)\.", "", host)


def stable_hash(value: str, length: int = 16) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:length]


def language(root: _Element, default: str = "de") -> str:
    lang = root.get("lang") or meta(root, "og:locale", "language", "content-language") or default
    return re.split(r"[-_]", lang.strip().lower())[0] or default


def remove(root: _Element, selectors: Iterable[str]) -> None:
    """Drop every element matching any selector (keeps tails); one compiled query."""
    combined = ", ".join(selectors)
    if not combined:
        return
    for el in select(root, combined):
        drop(el)


# "Re:", "Aw:", "Antw:", "Re^2:", "Re[3]:" — a forum reply repeating its parent's subject
REPLY_SUBJECT = re.compile(r"^\s*(?:re|aw|antw(?:ort)?)(?:\^\d+|\[\d+\])?\s*:", re.I)


def comment_text(subject: str, body: str) -> str:
    """A forum posting's text: its subject (unless a "Re: …" repetition), then its body."""
    subject = clean_inline(subject)
    parts = [subject] if subject and not REPLY_SUBJECT.match(subject) else []
    if body:
        parts.append(body)
    return "\n\n".join(parts)


def drop_noise(paras: list[str], patterns: Iterable[re.Pattern[str]]) -> list[str]:
    pats = list(patterns)
    return [p for p in paras if not any(pat.search(p) for pat in pats)]
