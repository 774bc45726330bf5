"""Events: one happening, the claims that report it, a stable id and a confidence.

An event id is a hash of what the event *is* (claim type, polarity, the sorted
chamber ids and the date bucket), never of the order in which documents were
read, so it survives re-crawls and re-extraction and keeps review entries
attached.  When a coarser report (a week, an undated claim dated by its
publication day) is merged into a finer event, the id that coarser report would
have had on its own is kept in ``aliases``.

Weights: an official notice outweighs an article, which outweighs a reader
comment.  ``confidence`` = 1 - Π(1 - w) over independent origins (each origin
counted once with its strongest source).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from pipelines.timeline.dates import date_range
from pipelines.timeline.documents import Document

WEIGHTS = {"notice": 0.8, "observation": 0.7, "article": 0.6, "comment": 0.25}
KIND_ORDER = {"notice": 0, "observation": 1, "article": 2, "comment": 3}
TYPES = ("attack", "outage", "services_continue", "data_breach", "authority_notified", "restored")
POLARITIES = ("asserted", "negated", "uncertain")
QUOTE_MAX = 600


def event_id(type_: str, polarity: str, chambers: list[str], bucket: str) -> str:
    """``ev-`` + 12 hex digits of SHA-1 over type, polarity, sorted chambers and date bucket."""
    key = "|".join([type_, polarity, ",".join(sorted(chambers)), bucket])
    return "ev-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


@dataclass
class Unit:
    """One claim of one document about one chamber (or about no chamber)."""

    type: str
    polarity: str
    chamber: str | None
    date: str | None
    precision: str | None
    doc: Document
    evidence: str
    start: int
    end: int
    speaker: str | None = None
    attribution: str | None = None
    scope: str | None = None  # outage/restored: "email" | "website"
    specific: bool = False  # the claim names this chamber alone
    organizations: tuple[str, ...] = ()

    @property
    def bucket(self) -> str:
        return self.date if self.date and self.precision else "undated"

    def sort_key(self) -> tuple[Any, ...]:
        return (self.doc.published or "9999", self.doc.id, self.start, self.end)


@dataclass
class Event:
    """A merged happening; :meth:`to_dict` gives its timeline.json form."""

    type: str
    polarity: str
    chambers: list[str]
    date: str | None
    date_precision: str | None
    date_inferred: bool = False
    units: list[Unit] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    summary: str = ""
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    review: dict[str, Any] | None = None
    origins: dict[str, str] = field(default_factory=dict)  # doc id -> origin key
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = event_id(self.type, self.polarity, self.chambers, self.bucket)

    @property
    def bucket(self) -> str:
        return self.date if self.date and self.date_precision else "undated"

    @property
    def start_day(self) -> str | None:
        rng = date_range(self.date, self.date_precision)
        return rng[0].isoformat() if rng else None

    @property
    def scope(self) -> str | None:
        if self.type not in ("outage", "restored"):
            return None
        specific = {u.scope for u in self.units if u.specific}
        return "email" if specific == {"email"} else "website"

    @property
    def specific(self) -> bool:
        return any(u.specific for u in self.units)

    @property
    def documents(self) -> list[Document]:
        """Distinct documents, strongest kind first, then earliest."""
        seen: dict[str, Document] = {}
        for unit in sorted(self.units, key=Unit.sort_key):
            seen.setdefault(unit.doc.id, unit.doc)
        return sorted(
            seen.values(), key=lambda d: (KIND_ORDER.get(d.kind, 9), d.published or "9999", d.id)
        )

    @property
    def first_reported(self) -> str | None:
        times = sorted(d.published for d in self.documents if d.published)
        return times[0] if times else None

    @property
    def independent(self) -> dict[str, float]:
        """Origin -> strongest weight among its sources."""
        result: dict[str, float] = {}
        for doc in self.documents:
            origin = self.origins.get(doc.id, doc.origin)
            result[origin] = max(result.get(origin, 0.0), WEIGHTS.get(doc.kind, 0.25))
        return result

    @property
    def comment_only(self) -> bool:
        return all(d.kind == "comment" for d in self.documents)

    @property
    def confidence(self) -> float:
        remaining = 1.0
        for weight in self.independent.values():
            remaining *= 1.0 - weight
        return round(1.0 - remaining, 2)

    @property
    def organizations(self) -> list[str]:
        return sorted({o for u in self.units for o in u.organizations})

    def sources(self) -> list[dict[str, Any]]:
        """One entry per document: its strongest quote (first claim sentence)."""
        first_unit: dict[str, Unit] = {}
        for unit in sorted(self.units, key=Unit.sort_key):
            first_unit.setdefault(unit.doc.id, unit)
        out = []
        for doc in self.documents:
            unit = first_unit[doc.id]
            quote = unit.evidence
            if len(quote) > QUOTE_MAX:
                quote = quote[: QUOTE_MAX - 1].rstrip() + "…"
            out.append(
                {
                    "doc_id": doc.id,
                    "url": doc.url,
                    "kind": doc.kind,
                    "outlet": doc.outlet,
                    "published": doc.published,
                    "quote": quote,
                    "speaker": unit.speaker or (doc.author if doc.kind == "comment" else None),
                    "attribution": unit.attribution,
                    "duplicate_of": doc.duplicate_of,
                }
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        """The event as it appears in timeline.json."""
        return {
            "id": self.id,
            "aliases": sorted(set(self.aliases) - {self.id}),
            "date": self.date,
            "date_precision": self.date_precision,
            "date_inferred": self.date_inferred,
            "type": self.type,
            "polarity": self.polarity,
            "chambers": list(self.chambers),
            "scope": self.scope,
            "organizations": self.organizations,
            "summary": self.summary,
            "sources": self.sources(),
            "source_count": len(self.documents),
            "independent_sources": len(self.independent),
            "first_reported": self.first_reported,
            "confidence": self.confidence,
            "comment_only": self.comment_only,
            "conflicts": list(self.conflicts),
            "review": self.review,
        }
