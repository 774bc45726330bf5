"""Contradictions between events, made explicit and never silently resolved.

Two events about the same chamber (or both about the provider) conflict when

- ``polarity``: they have the same claim type, their dates overlap (for the
  time-varying types outage, restored and services_continue; the incident-wide
  facts attack, data_breach and authority_notified always overlap) and
  - one is ``negated`` and the other ``asserted``, or
  - one is ``uncertain`` and the other firm (``asserted`` or ``negated``) *and*
    the hedge is a walk-back: a source at least as strong as every earlier
    firm report (of another document) hedged after it ("outflow ruled out",
    then the chamber: "contrary to reports, outflow cannot be ruled out"), and
    no source at least as strong as the hedge made the firm statement again
    later.  A document that confirms a claim and also hedges it is an update
    (its confirmation wins); one that says "no evidence" and "cannot be ruled
    out" hedges.  A hedge before the firm report ("unclear whether data flowed
    out", then the chamber: "no evidence of an outflow"), or from a weaker
    source, is only earlier or weaker knowledge and not a contradiction;
- ``status``: one source reports the chamber offline and another reports it
  restored on the same day, and neither source says both (a partial
  restoration, "homepage back, online services still down", is not a
  contradiction).

Outage reports scoped to e-mail do not contradict website reports; outage,
restored, services_continue and authority_notified reports without a chamber
(about unnamed chambers, or notifications by different parties: "several
chambers informed the regulator" vs "the provider did not say whether ...")
contradict nothing.  Reader comments weigh less: a side backed only by
comments does not contradict a side backed by the chamber's own notice (no
conflict is recorded; the comment stays visible as its own event marked
``comment_only``); against articles or other comments it is a conflict.
"""

from __future__ import annotations

import hashlib
from itertools import combinations
from typing import Any

from pipelines.timeline.chambers import Chamber
from pipelines.timeline.dates import date_range, german_timestamp, overlaps
from pipelines.timeline.events import WEIGHTS, Event
from pipelines.timeline.summary import label

TIME_VARYING = ("outage", "restored", "services_continue")


def conflict_id(kind: str, event_ids: list[str]) -> str:
    """``cf-`` + 12 hex digits of SHA-1 over the kind and the sorted event ids."""
    key = kind + "|" + ",".join(sorted(event_ids))
    return "cf-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _overlap(a: Event, b: Event) -> bool:
    ra = date_range(a.date, a.date_precision)
    rb = date_range(b.date, b.date_precision)
    return ra is None or rb is None or overlaps(ra, rb)


def _same_day(a: Event, b: Event) -> bool:
    return a.date_precision == "day" and b.date_precision == "day" and a.date == b.date is not None


def _scopes_clash(a: Event, b: Event) -> bool:
    return a.scope is None or b.scope is None or a.scope == b.scope


def _walk_back(firm: Event, hedged: Event) -> bool:
    """A hedge that takes back earlier firm reports and is not confirmed again later."""
    firm_ids = {d.id for d in firm.documents}
    for unit in hedged.units:
        doc, at = unit.doc, unit.doc.published
        if doc.kind == "comment" or not at:
            continue
        if firm.polarity == "asserted" and doc.id in firm_ids:
            continue  # it also confirms: an update quoting its earlier question
        weight = WEIGHTS[doc.kind]
        others = [(d.published, d.kind) for d in firm.documents if d.published and d.id != doc.id]
        earlier = [WEIGHTS[kind] for when, kind in others if when and when < at]
        if not earlier or weight < max(earlier):
            continue
        if not any(when and when > at and WEIGHTS[kind] >= weight for when, kind in others):
            return True
    return False


INCIDENT_WIDE_PER_PARTY = ("authority_notified",)


def _comment_against_official(a: Event, b: Event) -> bool:
    """One side rests on reader comments only, the other on a chamber's own notice."""
    return any(
        x.comment_only and any(d.kind == "notice" for d in y.documents) for x, y in ((a, b), (b, a))
    )


def _polarity_conflict(a: Event, b: Event) -> bool:
    if a.type != b.type or a.polarity == b.polarity or not _scopes_clash(a, b):
        return False
    if a.type in TIME_VARYING and (not a.chambers or not _overlap(a, b)):
        return False  # chamber-less service reports are about unnamed, different chambers
    if a.type in INCIDENT_WIDE_PER_PARTY and not a.chambers:
        return False  # who notified whom is unsaid: different parties, no contradiction
    if _comment_against_official(a, b):
        return False
    if {a.polarity, b.polarity} == {"asserted", "negated"}:
        return True
    firm, hedged = (a, b) if b.polarity == "uncertain" else (b, a)
    return _walk_back(firm, hedged)


def _status_conflict(a: Event, b: Event) -> bool:
    if {a.type, b.type} != {"outage", "restored"} or a.polarity != "asserted":
        return False
    if b.polarity != "asserted" or not a.chambers or not _same_day(a, b):
        return False
    if not _scopes_clash(a, b) or _comment_against_official(a, b):
        return False
    down_docs = {u.doc.id for u in (a if a.type == "outage" else b).units}
    up_docs = {u.doc.id for u in (b if a.type == "outage" else a).units}
    return bool(down_docs - up_docs) and bool(up_docs - down_docs)


def _outlets(event: Event) -> str:
    docs = event.documents
    names = list(dict.fromkeys(d.outlet for d in docs))
    first = f"{names[0]}, {german_timestamp(docs[0].published)}".rstrip(", ")
    more = len(names) - 1
    return first + (f", +{more}" if more else "")


def find_conflicts(events: list[Event], chambers: dict[str, Chamber]) -> list[dict[str, Any]]:
    """All conflicts; also fills ``event.conflicts`` of each side."""
    for event in events:
        event.conflicts = []
    by_subject: dict[tuple[str, ...], list[Event]] = {}
    for event in events:
        by_subject.setdefault(tuple(event.chambers), []).append(event)
    found: list[dict[str, Any]] = []
    for subject, members in sorted(by_subject.items()):
        for a, b in combinations(members, 2):
            kind = (
                "polarity"
                if _polarity_conflict(a, b)
                else "status"
                if _status_conflict(a, b)
                else None
            )
            if kind is None:
                continue
            first, second = sorted((a, b), key=lambda e: (e.first_reported or "9999", e.id))
            who = ", ".join(chambers[c].official_name for c in subject if c in chambers)
            description = (
                f"Widerspruch{f' ({who})' if who else ''}: "
                f"„{label(first.type, first.polarity, first.scope)}“ ({_outlets(first)}) "
                f"gegen „{label(second.type, second.polarity, second.scope)}“ "
                f"({_outlets(second)})"
            )
            record = {
                "id": conflict_id(kind, [a.id, b.id]),
                "kind": kind,
                "type": first.type if kind == "polarity" else "outage/restored",
                "chambers": list(subject),
                "events": [first.id, second.id],
                "description": description,
            }
            found.append(record)
            for me, other in ((first, second), (second, first)):
                me.conflicts.append(
                    {
                        "id": record["id"],
                        "kind": kind,
                        "with": other.id,
                        "description": description,
                    }
                )
    return sorted(found, key=lambda c: (c["chambers"], c["events"]))
