"""The documents behind the facts: who said it, when, and what kind of source it is.

Source kinds, weakest to strongest: ``comment`` (a reader comment),
``article`` (news, blog post, agency text), ``observation`` (the crawler's own
observation, e.g. an outage banner), ``notice`` (an official notice of a
chamber: a page on the chamber's own domain or authored by the chamber).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipelines.timeline import data_path
from pipelines.timeline.chambers import Chamber, load_chamber_domains

KINDS = ("notice", "observation", "article", "comment")
AGENCIES = frozenset(["dpa", "afp", "reuters", "epd", "kna", "ap", "dpa/lby"])


@dataclass
class Document:
    """One source document as the timeline sees it."""

    id: str
    kind: str  # notice | observation | article | comment
    url: str
    source: str  # registered domain, e.g. "wdr.de"
    outlet: str  # display name, e.g. "WDR", "Handwerkskammer Aachen"
    title: str | None = None
    author: str | None = None
    published: str | None = None
    text: str = ""
    article_id: str | None = None
    duplicate_of: str | None = None

    @property
    def origin(self) -> str:
        """What makes two sources independent: the outlet (after folding republished
        copies onto their original), or for a comment its author within the thread."""
        if self.kind == "comment":
            return f"comment:{self.article_id or self.source}:{(self.author or self.id).lower()}"
        if (self.author or "").strip().lower() in AGENCIES:
            return f"agency:{self.author.strip().lower()}"  # type: ignore[union-attr]
        return f"outlet:{self.source}"

    def summary(self) -> dict[str, Any]:
        """The entry of this document in timeline.json's ``sources``."""
        return {
            "id": self.id,
            "url": self.url,
            "kind": self.kind,
            "outlet": self.outlet,
            "title": self.title,
            "author": self.author,
            "published": self.published,
            "duplicate_of": self.duplicate_of,
        }


def load_outlets() -> dict[str, str]:
    """Domain -> display name (data/outlets.json)."""
    data = json.loads(data_path("outlets.json").read_text("utf-8"))
    return dict(data["outlets"])


def registered_domain(host_or_url: str) -> str:
    """``www1.wdr.de`` or ``https://www.wdr.de/x`` -> ``wdr.de`` (last two labels)."""
    host = host_or_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    labels = [label for label in host.split(".") if label]
    return ".".join(labels[-2:]) if len(labels) >= 2 else host


class DocumentIndex:
    """Builds :class:`Document` objects from store rows and facts lines."""

    def __init__(self, chambers: dict[str, Chamber]) -> None:
        self.chambers = chambers
        self.domains = load_chamber_domains(chambers)
        self.outlets = load_outlets()
        self.names = {c.official_name.lower(): c.id for c in chambers.values()}
        self.docs: dict[str, Document] = {}

    def chamber_of(self, source: str, author: str | None) -> str | None:
        """The chamber that published a page (its own domain, or named as author)."""
        if source in self.domains:
            return self.domains[source]
        return self.names.get((author or "").strip().lower())

    def outlet_name(self, source: str) -> str:
        cid = self.domains.get(source)
        if cid:
            return self.chambers[cid].official_name
        return self.outlets.get(source, source)

    def add_articles(self, rows: Iterable[dict[str, Any]]) -> None:
        """Articles (store rows or articles.jsonl lines)."""
        for row in rows:
            source = row.get("source") or registered_domain(row.get("url") or "")
            raw = str(row.get("kind") or "")
            kind = raw if raw in ("notice", "observation") else "article"
            if self.chamber_of(source, row.get("author")):
                kind = "notice"
            self.docs[row["id"]] = Document(
                id=row["id"],
                kind=kind,
                url=row.get("canonical_url") or row.get("url") or "",
                source=source,
                outlet=self.outlet_name(source),
                title=row.get("title"),
                author=row.get("author"),
                published=row.get("published"),
                text=row.get("text") or "",
            )

    def add_comments(self, rows: Iterable[dict[str, Any]]) -> None:
        """Reader comments (store rows or comments.jsonl lines)."""
        for row in rows:
            article = self.docs.get(row.get("article_id") or "")
            source = article.source if article else registered_domain(row.get("url") or "")
            self.docs[row["id"]] = Document(
                id=row["id"],
                kind="comment",
                url=row.get("url") or "",
                source=source,
                outlet=article.outlet if article else self.outlet_name(source),
                title=article.title if article else None,
                author=row.get("author"),
                published=row.get("published"),
                text=row.get("text") or "",
                article_id=row.get("article_id"),
            )

    def for_facts(self, facts: dict[str, Any]) -> Document:
        """The document of a facts line; a minimal one when the store does not have it."""
        doc_id = str(facts.get("doc_id"))
        if doc_id not in self.docs:
            url = str(facts.get("url") or "")
            source = registered_domain(url) if url else "unbekannt"
            raw = str(facts.get("kind") or "article")
            kind = raw if raw in KINDS else "article"
            if kind == "article" and self.chamber_of(source, None):
                kind = "notice"
            self.docs[doc_id] = Document(
                id=doc_id,
                kind=kind,
                url=url,
                source=source,
                outlet=self.outlet_name(source),
                published=facts.get("published"),
            )
        return self.docs[doc_id]
