"""The source registry: sites and their extraction hints, loaded from data.

``crawler/data/sources.json`` holds one entry per site (name, domains, parser,
comment mechanism, selectors, noise).  Code asks :func:`source_for` with a URL
and gets the entry merged with the ``default`` block; unknown sites get the
defaults alone, so every page still goes through the generic path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from crawler.parsers.common import source_of


@dataclass(frozen=True)
class Source:
    name: str
    title: str = ""
    domains: tuple[str, ...] = ()
    parser: str = "auto"
    comments: str = "none"
    body: tuple[str, ...] = ()
    body_paragraphs: tuple[str, ...] = ()
    title_selectors: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    author_strip: str | None = None
    modified_text: tuple[str, ...] = ()
    json_ld_time_is_local: bool = False
    remove: tuple[str, ...] = ()
    noise: tuple[re.Pattern[str], ...] = field(default=())
    strip: tuple[re.Pattern[str], ...] = field(default=())
    title_suffixes: tuple[str, ...] = ()
    discussion: str = ""  # CSS of the link to the comments (when JSON-LD gives none)
    comment_count: str = ""  # CSS of the element announcing the comment count
    published_script: tuple[re.Pattern[str], ...] = ()  # inline-script publication times


@cache
def _registry() -> dict[str, Any]:
    text = resources.files("crawler").joinpath("data/sources.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _build(entry: dict[str, Any], default: dict[str, Any]) -> Source:
    tuples = (
        "domains", "body", "body_paragraphs", "title_selectors", "lead", "published", "author",
        "modified_text",
    )  # fmt: skip
    kwargs: dict[str, Any] = {k: tuple(entry[k]) for k in tuples if k in entry}
    for key in ("lead", "title_suffixes"):  # site values first, then the defaults
        kwargs[key] = tuple(entry.get(key, [])) + tuple(default.get(key, []))
    for key in ("name", "title", "parser", "comments", "author_strip", "json_ld_time_is_local"):
        if key in entry:
            kwargs[key] = entry[key]
    kwargs["remove"] = tuple(default.get("remove", [])) + tuple(entry.get("remove", []))
    kwargs["noise"] = tuple(
        re.compile(p) for p in [*default.get("noise", []), *entry.get("noise", [])]
    )
    kwargs["strip"] = tuple(
        re.compile(p) for p in [*default.get("strip", []), *entry.get("strip", [])]
    )
    kwargs["discussion"] = ", ".join(entry.get("discussion", []))
    kwargs["comment_count"] = ", ".join(entry.get("comment_count", []))
    kwargs["published_script"] = tuple(re.compile(p) for p in entry.get("published_script", []))
    return Source(**kwargs)


@cache
def all_sources() -> tuple[Source, ...]:
    data = _registry()
    return tuple(_build(entry, data["default"]) for entry in data["sources"])


@cache
def _generic(name: str) -> Source:
    return _build({"name": name}, _registry()["default"])


def source_for(url: str) -> Source:
    """The registry entry whose domain the URL's host is or ends with."""
    host = source_of(url)
    for source in all_sources():
        for domain in source.domains:
            if host == domain or host.endswith("." + domain):
                return source
    return _generic(host)


def seed_urls() -> list[str]:
    """Start URLs of a live run: every registered source's ``seeds``."""
    return [url for entry in _registry()["sources"] for url in entry.get("seeds", [])]
