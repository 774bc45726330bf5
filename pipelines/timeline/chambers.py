"""The 53 Handwerkskammern and their status in the incident.

The chamber table is the NLP stage's data file (``pipelines/nlp/data/chambers.csv``,
columns id, official_name, seat, state, other_offices); a copy in
``pipelines/timeline/data/chambers.csv`` is used when the NLP stage is not there.

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

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipelines.resources import package_dir
from pipelines.timeline import data_path

if TYPE_CHECKING:
    from pipelines.timeline.events import Event

STATUSES = ("affected", "partially_affected", "not_affected", "unknown")
BRIEF_OUTAGE_DAYS = 2
HIT_TYPES = ("outage", "attack", "data_breach")

_NLP_TABLE = package_dir("pipelines.nlp") / "data" / "chambers.csv"
_NLP_DOMAINS = package_dir("pipelines.nlp") / "data" / "chamber_domains.csv"


@dataclass(frozen=True)
class Chamber:
    """One Handwerkskammer as listed in chambers.csv."""

    id: str
    official_name: str
    seat: str
    state: str
    other_offices: str = ""


def chambers_csv() -> Path:
    """The chamber table in use: the NLP stage's, else this package's copy."""
    return _NLP_TABLE if _NLP_TABLE.exists() else data_path("chambers.csv")


def load_chambers(path: str | Path | None = None) -> dict[str, Chamber]:
    """All chambers by id, in the file's order."""
    with Path(path or chambers_csv()).open(encoding="utf-8", newline="") as handle:
        return {
            row["id"]: Chamber(
                id=row["id"],
                official_name=row["official_name"],
                seat=row["seat"],
                state=row["state"],
                other_offices=row.get("other_offices") or "",
            )
            for row in csv.DictReader(handle)
        }


def load_chamber_domains(chambers: dict[str, Chamber]) -> dict[str, str]:
    """Registered domain -> chamber id: ``hwk-<x>.de`` for every id, plus the NLP list."""
    domains = {f"{cid}.de": cid for cid in chambers}
    if _NLP_DOMAINS.exists():
        with _NLP_DOMAINS.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("domain") and row.get("id") in chambers:
                    domains[row["domain"].lower()] = row["id"]
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
