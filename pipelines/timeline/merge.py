"""From facts lines to events: the same happening reported by many sources becomes one event.

1. Every claim of every document is split into *units*, one per chamber it
   names (or one without a chamber when it is about the provider or unnamed
   chambers).  Claims about other incidents are left out: those the extractor
   marks ``"incident": "other"``, those dated outside the incident's search
   window, and chamber-less claims whose evidence mentions another incident's
   organisation (Südwestfalen-IT …).
2. Units with the same type, polarity and chamber are clustered by date:
   exact days first; a week, month or year report joins the earliest finer
   cluster that lies inside it ("a day inside a reported week") or forms its
   own; an undated claim joins the latest cluster that began on or before the
   day the document was published, else forms a cluster on that day
   (``date_inferred``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pipelines.timeline.dates import PRECISIONS, RANK, Range, contains, date_range, day_of
from pipelines.timeline.documents import Document, DocumentIndex
from pipelines.timeline.events import POLARITIES, TYPES, Event, Unit, event_id

_EMAIL = re.compile(r"e-?mail|\bmails?\b|postf[aä]ch|mailsystem", re.IGNORECASE)
_ONLY = re.compile(r"\b(nur|lediglich|ausschließlich|only)\b", re.IGNORECASE)
_SITE_UP = re.compile(
    r"(homepage|webseite|website|internetseite)\w*\s+(geht|läuft|ist\s+erreichbar|funktioniert)",
    re.IGNORECASE,
)
ORG_TYPES = ("provider", "authority")


def outage_scope(text: str) -> str:
    """``email`` when a sentence says only e-mail was hit (or the website still works)."""
    if _EMAIL.search(text) and (_ONLY.search(text) or _SITE_UP.search(text)):
        return "email"
    return "website"


@dataclass
class MergeStats:
    """Counts of what was read and what was left out (shown in timeline.json ``stats``)."""

    documents: int = 0
    claims: int = 0
    units: int = 0
    other_incident: int = 0
    outside_window: int = 0
    bad_claims: int = 0
    unknown_chambers: int = 0
    doc_statuses: dict[str, set[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, int]:
        return {
            "documents_with_facts": self.documents,
            "claims_read": self.claims,
            "claim_units": self.units,
            "claims_other_incident": self.other_incident,
            "claims_outside_window": self.outside_window,
            "claims_malformed": self.bad_claims,
            "unknown_chamber_ids": self.unknown_chambers,
        }


def _claim_date(claim: dict[str, Any]) -> tuple[str | None, str | None]:
    date = claim.get("date")
    if isinstance(date, dict) and date.get("value") and date.get("precision") in RANK:
        return str(date["value"]), str(date["precision"])
    return None, None


def units_from_facts(
    facts_lines: Iterable[dict[str, Any]],
    index: DocumentIndex,
    window: Range | None,
    stats: MergeStats,
) -> list[Unit]:
    """All units of all facts lines (see module docstring, step 1)."""
    units: list[Unit] = []
    for facts in facts_lines:
        if not isinstance(facts, dict) or not facts.get("doc_id"):
            continue
        stats.documents += 1
        doc = index.for_facts(facts)
        for ch in facts.get("chambers") or []:
            if isinstance(ch, dict) and ch.get("id") in index.chambers:
                stats.doc_statuses.setdefault(ch["id"], set()).add(str(ch.get("status")))
        orgs = _org_spans(facts)
        for claim in facts.get("claims") or []:
            stats.claims += 1
            units.extend(_claim_units(claim, doc, index, orgs, window, stats))
    stats.units = len(units)
    return units


def _org_spans(facts: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    spans = []
    for org in facts.get("organizations") or []:
        if not isinstance(org, dict):
            continue
        for m in org.get("mentions") or []:
            if isinstance(m, dict) and isinstance(m.get("start"), int):
                spans.append((str(org.get("name")), str(org.get("type")), m["start"], m["end"]))
    return spans


def _claim_units(
    claim: Any,
    doc: Document,
    index: DocumentIndex,
    orgs: list[tuple[str, str, int, int]],
    window: Range | None,
    stats: MergeStats,
) -> list[Unit]:
    if (
        not isinstance(claim, dict)
        or claim.get("type") not in TYPES
        or claim.get("polarity") not in POLARITIES
    ):
        stats.bad_claims += 1
        return []
    if claim.get("incident", "this") not in ("this", None):
        stats.other_incident += 1
        return []
    value, precision = _claim_date(claim)
    rng = date_range(value, precision)
    if rng and window and not (rng[1] >= window[0] and rng[0] <= window[1]):
        stats.outside_window += 1
        return []
    raw_evidence = claim.get("evidence")
    evidence: dict[str, Any] = raw_evidence if isinstance(raw_evidence, dict) else {}
    text = str(evidence.get("text") or "")
    start = int(evidence.get("start") or 0)
    end = int(evidence.get("end") or start + len(text))
    inside = [o for o in orgs if start <= o[2] and o[3] <= end]
    chambers = [str(c) for c in claim.get("chambers") or []]
    known = [c for c in dict.fromkeys(chambers) if c in index.chambers]
    stats.unknown_chambers += len(chambers) - len([c for c in chambers if c in index.chambers])
    if not known and any(o[1] == "other_incident" for o in inside):
        stats.other_incident += 1
        return []
    org_names = tuple(sorted({o[0] for o in inside if o[1] in ORG_TYPES}))
    is_service = claim["type"] in ("outage", "restored")
    result = []
    targets: list[str | None] = list(known) or [None]
    for chamber in targets:
        specific = chamber is not None and len(known) == 1
        scope = None
        if is_service:
            scope = outage_scope(text) if specific else "website"
            if claim["polarity"] == "negated" and _SITE_UP.search(text):
                scope = "website"  # "Homepage geht, nur E-Mail nicht": the site is what works
        result.append(
            Unit(
                type=claim["type"],
                polarity=claim["polarity"],
                chamber=chamber,
                date=value,
                precision=precision,
                doc=doc,
                evidence=text,
                start=start,
                end=end,
                speaker=claim.get("speaker"),
                attribution=claim.get("attribution"),
                scope=scope,
                specific=specific,
                organizations=org_names,
            )
        )
    return result


@dataclass
class _Cluster:
    value: str | None
    precision: str | None
    range: Range | None
    inferred: bool = False
    units: list[Unit] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)


def merge_units(units: Iterable[Unit], docs: dict[str, Document]) -> list[Event]:
    """Cluster units into events (module docstring, step 2), sorted chronologically."""
    groups: dict[tuple[str, str, str | None], list[Unit]] = defaultdict(list)
    for unit in units:
        groups[(unit.type, unit.polarity, unit.chamber)].append(unit)
    events: list[Event] = []
    for (type_, polarity, chamber), members in groups.items():
        chambers = [chamber] if chamber else []
        for cluster in _cluster(type_, polarity, chambers, members):
            event = Event(
                type=type_,
                polarity=polarity,
                chambers=chambers,
                date=cluster.value,
                date_precision=cluster.precision,
                date_inferred=cluster.inferred,
                units=sorted(cluster.units, key=Unit.sort_key),
                aliases=sorted(cluster.aliases),
            )
            for unit in event.units:
                original = docs.get(unit.doc.duplicate_of or "")
                event.origins[unit.doc.id] = (original or unit.doc).origin
            events.append(event)
    return sort_events(events)


def sort_events(events: list[Event]) -> list[Event]:
    """Chronological: by first day, finer precision first, then type, chambers, id."""

    def key(e: Event) -> tuple[Any, ...]:
        return (
            e.start_day or "9999",
            RANK.get(e.date_precision or "", 9),
            TYPES.index(e.type),
            e.chambers,
            e.id,
        )

    return sorted(events, key=key)


def _cluster(type_: str, polarity: str, chambers: list[str], units: list[Unit]) -> list[_Cluster]:
    clusters: list[_Cluster] = []

    def alias(bucket: str) -> str:
        return event_id(type_, polarity, chambers, bucket)

    dated = [(u, date_range(u.date, u.precision)) for u in units]
    for precision in PRECISIONS:
        batch = sorted(
            ((u, r) for u, r in dated if r is not None and u.precision == precision),
            key=lambda ur: (ur[1][0], ur[0].sort_key()),
        )
        for unit, rng in batch:
            target = next(
                (c for c in clusters if c.value == unit.date and c.precision == precision), None
            )
            if target is None:
                inside = [
                    c
                    for c in clusters
                    if c.range and RANK[c.precision or "year"] < RANK[precision]
                    if contains(rng, c.range)
                ]
                target = min(inside, key=lambda c: c.range or rng, default=None)
                if target is not None:
                    target.aliases.add(alias(unit.bucket))
            if target is None:
                target = _Cluster(unit.date, precision, rng)
                clusters.append(target)
            target.units.append(unit)
    undated = sorted((u for u, r in dated if r is None), key=Unit.sort_key)
    for unit in undated:
        published = day_of(unit.doc.published)
        if published is None:
            ranged = sorted((c for c in clusters if c.range), key=lambda c: c.range or ())
            target = ranged[0] if ranged else next((c for c in clusters if not c.range), None)
            if target is None:
                target = _Cluster(None, None, None)
                clusters.append(target)
            target.units.append(unit)
            continue
        pub_range = date_range(published, "day")
        assert pub_range is not None
        before = [c for c in clusters if c.range and c.range[0] <= pub_range[0]]
        target = max(
            before,
            key=lambda c: (c.range[0] if c.range else pub_range[0], -RANK[c.precision or "year"]),
            default=None,
        )
        if target is None:
            target = _Cluster(published, "day", pub_range, inferred=True)
            clusters.append(target)
        elif (target.value, target.precision) != (published, "day"):
            target.aliases.add(alias(published))
        target.units.append(unit)
    return clusters
