"""A tiny, independent reference reader of the fixture markup, for the self-tests only.

It checks that the HTML the generators emit (and the stored fixtures) really
contain what the ground truth claims.  It knows each theme's markup exactly; it
is not the project's parser and makes no attempt to be robust.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml.html import HtmlElement

from tests.sites.wpthemes import GERMAN_MONTHS

_ID = re.compile(r"^(?:li-)?comment-(\d+)$")
_DEPTH = re.compile(r"\bdepth-(\d+)\b")
_GERMAN = re.compile(r"(\d{1,2})\. (\w+) (\d{4}) um (\d{1,2}):(\d{2})")
_KUBRICK = re.compile(r"(\d{2})\.(\d{2}), (\d{4}) @ (\d{2}):(\d{2})")


def _has_class(cls: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"


def inline_text(el: HtmlElement) -> str:
    """Text of a paragraph: ``<br>`` -> newline, whitespace collapsed per line."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                if child.tag == "br":
                    parts.append("\x00")  # a <br>; source newlines are only whitespace
                else:
                    walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    lines = "".join(parts).split("\x00")
    return "\n".join(re.sub(r"\s+", " ", line).strip() for line in lines).strip()


def blocks_to_text(nodes: list[HtmlElement]) -> str:
    """Text rule over a sequence of block elements (``p``, ``blockquote``)."""
    paras: list[str] = []
    for node in nodes:
        if node.tag == "p":
            paras.append(inline_text(node))
        elif node.tag == "blockquote":
            inner = node.findall("p") or [node]
            paras.extend("> " + inline_text(p) for p in inner)
    return "\n\n".join(p for p in paras if p)


def html_to_text(fragment: str) -> str:
    """Text rule over an HTML fragment such as REST ``content.rendered``."""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return blocks_to_text([c for c in root if isinstance(c.tag, str)])


def german_to_iso(text: str) -> str:
    """``9. Januar 2024 um 10:15`` -> ``2024-01-09T10:15:00+01:00`` (January only)."""
    m = _GERMAN.search(text)
    if m:
        day, month_name, year, hour, minute = m.groups()
        month = GERMAN_MONTHS.index(month_name) + 1
    else:
        k = _KUBRICK.search(text)
        if not k:
            raise ValueError(f"no date in {text!r}")
        day, month_s, year, hour, minute = k.groups()
        month = int(month_s)
    return f"{int(year):04d}-{month:02d}-{int(day):02d}T{int(hour):02d}:{minute}:00+01:00"


def read_comments(page_html: str | bytes, theme: str) -> list[dict[str, Any]]:
    """Reader comments of one page in document order (pingbacks/trackbacks left out)."""
    doc = lxml.html.fromstring(page_html)
    out: list[dict[str, Any]] = []
    if theme == "kubrick":
        items = doc.xpath("//ol[@id='commentlist']/li")
    else:
        items = doc.xpath(f"//li[{_has_class('comment')}]")
    for li in items:
        m = _ID.match(li.get("id", ""))
        assert m, li.get("id")
        cid = int(m.group(1))
        parent_li = li.xpath("ancestor::li[1]")
        parent_id = None
        if parent_li:
            pm = _ID.match(parent_li[0].get("id", ""))
            parent_id = int(pm.group(1)) if pm else None
        if theme == "kubrick":
            cite = li.find("cite")
            if cite.text_content().startswith(("Pingback:", "Trackback:")):
                continue
            full = cite.text_content()
            author = full.split("Kommentar von", 1)[1].split("\u2014")[0].strip()
            when = german_to_iso(cite.text_content())
            text = blocks_to_text([c for c in li if c.tag in ("p", "blockquote")])
            depth = 1
        else:
            author = li.xpath(f".//*[{_has_class('fn')}]")[0].text_content().strip()
            dm = _DEPTH.search(li.get("class", ""))
            depth = int(dm.group(1)) if dm else 0
            times = li.xpath("(.//time[@datetime])[1]")
            if theme in ("html5", "twentytwelve"):
                when = times[0].get("datetime")
            else:
                meta = li.xpath(f".//div[{_has_class('commentmetadata')}]")[0]
                when = german_to_iso(meta.text_content())
            if theme == "html5":
                body = li.xpath("./article/div[@class='comment-content']")[0]
                nodes = list(body)
            elif theme == "twentyten":
                body = li.xpath("./div/div[@class='comment-body']")[0]
                nodes = list(body)
            elif theme == "twentytwelve":
                body = li.xpath("./article/section")[0]
                nodes = list(body)
            elif theme == "default":
                body = li.xpath("./div[@class='comment-body']")[0]
                nodes = [c for c in body if c.tag in ("p", "blockquote")]
            else:
                raise ValueError(theme)
            text = blocks_to_text(nodes)
        link = li.xpath(
            ".//div[contains(@class,'comment-metadata') or contains(@class,'commentmetadata')]"
            "//a/@href | .//header//a[time]/@href | ./cite/a[@title]/@href"
        )
        out.append(
            {
                "id": cid,
                "parent_id": parent_id,
                "author": author,
                "published": when,
                "text": text,
                "depth": depth,
                "url": link[0] if link else None,
            }
        )
    return out


def comment_page_links(page_html: str | bytes) -> set[str]:
    """All hrefs containing ``/comment-page-N/`` or ending in ``#comments`` (fragment kept)."""
    doc = lxml.html.fromstring(page_html)
    hrefs = doc.xpath("//a/@href")
    return {h for h in hrefs if re.search(r"/comment-page-\d+/", h) or h.endswith("#comments")}
