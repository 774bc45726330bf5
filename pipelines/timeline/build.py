"""Build the whole timeline document (the content of ``timeline.json``).

Order: facts -> units (other incidents left out) -> republished copies marked
-> events merged -> review applied (reject / correct) -> conflicts -> German
summaries -> chamber statuses -> chamber reviews -> sources and incident window.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from crawler import __version__
from crawler.dates import now_iso
from pipelines.timeline import SCHEMA_VERSION, data_path
from pipelines.timeline.chambers import Chamber, chamber_statuses, load_chambers
from pipelines.timeline.conflicts import find_conflicts
from pipelines.timeline.dates import date_range
from pipelines.timeline.documents import DocumentIndex
from pipelines.timeline.duplicates import mark_duplicates
from pipelines.timeline.events import Event
from pipelines.timeline.merge import MergeStats, merge_units, sort_events, units_from_facts
from pipelines.timeline.review import Review, apply_chamber_reviews, apply_event_reviews
from pipelines.timeline.summary import summarize


def load_incident() -> dict[str, Any]:
    """The incident description (data/incident.json)."""
    data: dict[str, Any] = json.loads(data_path("incident.json").read_text("utf-8"))
    return data


def _window(incident: dict[str, Any]) -> tuple[date, date] | None:
    window = incident.get("search_window") or {}
    try:
        return date.fromisoformat(window["start"]), date.fromisoformat(window["end"])
    except (KeyError, TypeError, ValueError):
        return None


def _event_window(events: list[Event]) -> dict[str, str | None]:
    ranges = [r for e in events if (r := date_range(e.date, e.date_precision))]
    if not ranges:
        return {"start": None, "end": None}
    return {
        "start": min(r[0] for r in ranges).isoformat(),
        "end": max(r[1] for r in ranges).isoformat(),
    }


def build_timeline(
    facts: Iterable[dict[str, Any]],
    *,
    articles: Iterable[dict[str, Any]] = (),
    comments: Iterable[dict[str, Any]] = (),
    review: Review | None = None,
    chambers: dict[str, Chamber] | None = None,
    generated_at: str | None = None,
) -> dict[str, Any]:
    """The timeline document from facts lines and the documents they were extracted from."""
    chambers = chambers or load_chambers()
    incident = load_incident()
    index = DocumentIndex(chambers)
    index.add_articles(articles)
    index.add_comments(comments)

    stats = MergeStats()
    units = units_from_facts(facts, index, _window(incident), stats)
    copies = mark_duplicates(index.docs)
    events = merge_units(units, index.docs)

    events, result = apply_event_reviews(events, review)
    events = sort_events(events)
    conflicts = find_conflicts(events, chambers)
    provider = str(incident.get("provider") or "dem IT-Dienstleister")
    for event in events:
        corrected = (event.review or {}).get("corrected_from") or {}
        if "summary" not in corrected:
            event.summary = summarize(event, chambers, provider)
    for event in result.rejected:
        event.summary = summarize(event, chambers, provider)

    chamber_records = chamber_statuses(chambers, events, stats.doc_statuses)
    apply_chamber_reviews(chamber_records, review, result)

    used = {u.doc.id for e in events for u in e.units}
    event_count: dict[str, int] = {}
    for event in events:
        for doc in event.documents:
            event_count[doc.id] = event_count.get(doc.id, 0) + 1
    sources = [
        {**doc.summary(), "events": event_count.get(doc.id, 0)}
        for doc in sorted(index.docs.values(), key=lambda d: (d.published or "9999", d.id))
        if doc.id in used
    ]
    status_counts = {
        s: sum(1 for c in chamber_records if c["status"] == s)
        for s in ("affected", "partially_affected", "not_affected", "unknown")
    }
    return {
        "incident": {
            "id": incident["id"],
            "title": incident["title"],
            "provider": incident["provider"],
            "window": _event_window(events),
        },
        "generated_at": generated_at or now_iso(),
        "version": __version__,
        "schema_version": SCHEMA_VERSION,
        "events": [e.to_dict() for e in events],
        "chambers": chamber_records,
        "conflicts": conflicts,
        "sources": sources,
        "review": {
            "file": review.path if review else None,
            "applied": sorted(result.applied),
            "unmatched": sorted(result.unmatched),
            "rejected_events": [e.to_dict() for e in result.rejected],
        },
        "stats": {
            **stats.to_dict(),
            "documents": len(index.docs),
            "republished_copies": copies,
            "events": len(events),
            "conflicts": len(conflicts),
            "chambers": status_counts,
        },
    }
