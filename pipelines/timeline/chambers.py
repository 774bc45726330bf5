"""The 53 Handwerkskammern and their status in the incident.

The chamber table (``pipelines/nlp/data/chambers.csv``) and the chambers'
domains (``crawler/data/chamber_sites.csv``) are read through
:mod:`pipelines.nlp.gazetteer`; :class:`Chamber` is the gazetteer's.

Status rules (documented in docs/TIMELINE.md):

- ``affected``: an asserted outage, attack or data breach names the chamber;
- ``partially_affected``: affected, but only its e-mail was hit (an outage
  reported as e-mail only) or it was only briefly offline (an uncontested
  restoration at most :data:`BRIEF_OUTAGE_DAYS` days after the outage began,
  and no outage reported as beginning after that restoration: "back online"
  followed by "still down two days later" was no brief outage);
- ``not_affected``: no such claim, but a source says it was reachable / not hit;
- ``unknown``: nothing, only mentions, or only hedged reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from pipelines.nlp.gazetteer import Chamber, load_domains
from pipelines.nlp.gazetteer import load_chambers as load_chambers

if TYPE_CHECKING:
    from pipelines.timeline.events import Event

STATUSES = ("affected", "partially_affected", "not_affected", "unknown")
BRIEF_OUTAGE_DAYS = 2
HIT_TYPES = ("outage", "attack", "data_breach")


def load_chamber_domains(chambers: dict[str, Chamber]) -> dict[str, str]:
    """Registered domain -> chamber id: ``hwk-<x>.de`` for every id, plus the NLP list."""
    domains = {f"{cid}.de": cid for cid in chambers}
    domains.update({d: cid for d, cid in load_domains().items() if cid in chambers})
    return domains


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def chamber_statuses(
    chambers: dict[str, Chamber],
    events: Iterable[Event],
    doc_statuses: dict[str, set[str]] | None = None,
) -> list[dict[str, Any]]:
    """The status record of every chamber, in table order.

    ``doc_statuses`` maps a chamber id to the per-document statuses the
    extractor gave it (affected / not_affected / mentioned); it only decides
    when no claim does.
    """
    by_chamber: dict[str, list[Event]] = {cid: [] for cid in chambers}
    for event in events:
        for cid in event.chambers:
            if cid in by_chamber:
                by_chamber[cid].append(event)
    doc_statuses = doc_statuses or {}
    return [
        _status(chamber, by_chamber[cid], doc_statuses.get(cid, set()))
        for cid, chamber in chambers.items()
    ]


def _first(values: Iterable[str | None]) -> str | None:
    present = sorted(v for v in values if v)
    return present[0] if present else None


def _status(chamber: Chamber, events: list[Event], doc_statuses: set[str]) -> dict[str, Any]:
    hits = [e for e in events if e.type in HIT_TYPES and e.polarity == "asserted"]
    outages = [e for e in hits if e.type == "outage"]
    restored = [e for e in events if e.type == "restored" and e.polarity == "asserted"]
    negated = [e for e in events if e.type == "outage" and e.polarity == "negated"]
    hedged = [e for e in events if e.type in HIT_TYPES and e.polarity == "uncertain"]

    outage_since = _first(e.start_day for e in outages)
    restored_on = _first(e.start_day for e in restored)
    reason = ""
    if hits:
        status = "affected"
        reason = "Ausfall oder Angriff berichtet"
        if any(e.scope == "email" for e in outages) and not any(
            e.scope == "website" and e.specific for e in outages
        ):
            status, reason = "partially_affected", "nur E-Mail betroffen"
        else:
            start = _day(outage_since)
            back = _first(e.start_day for e in restored if not e.conflicts)
            end = _day(back)
            down_again = end is not None and any(
                (day := _day(e.start_day)) is not None and day > end for e in outages
            )
            if start and end and 0 <= (end - start).days <= BRIEF_OUTAGE_DAYS and not down_again:
                status, reason = "partially_affected", "nur kurz offline"
    elif negated or "not_affected" in doc_statuses:
        status, reason = "not_affected", "als erreichbar bzw. nicht betroffen gemeldet"
    elif "affected" in doc_statuses:
        status, reason = "affected", "in Dokumenten als betroffen genannt"
    else:
        status = "unknown"
        reason = "nur unbestätigte Hinweise" if hedged else "keine Angaben"

    doc_ids = {u.doc.id for e in events for u in e.units}
    return {
        "id": chamber.id,
        "official_name": chamber.official_name,
        "seat": chamber.seat,
        "state": chamber.state,
        "status": status,
        "status_reason": reason,
        "outage_since": outage_since,
        "outage_first_reported": _first(e.first_reported for e in outages),
        "restored_on": restored_on,
        "restored_reported": _first(e.first_reported for e in restored),
        "evidence_count": len(doc_ids),
        "events": [e.id for e in events],
        "conflicts": sorted({c["id"] for e in events for c in e.conflicts}),
        "review": None,
    }
