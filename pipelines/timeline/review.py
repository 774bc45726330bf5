"""The analyst review file (``output/review.yaml``): confirm, reject or correct.

Entries are keyed by stable ids (event ids ``ev-…``, chamber ids ``hwk-…``),
so they survive re-crawls, re-extraction and rebuilds; they are applied on
every build.  An event entry also matches an event that lists its id in
``aliases`` (the id a coarser report had before a finer one was merged in).
Format (see docs/TIMELINE.md)::

    version: 1
    reviewer: A. Analystin            # default for entries without one
    events:
      ev-0123456789ab:
        action: confirm               # confirm | reject | correct
        reviewer: B. Prüfer           # optional
        reviewed_at: 2024-02-01       # optional
        note: telefonisch bestätigt   # optional
      ev-ba9876543210:
        action: correct
        set: {date: 2024-01-08, date_precision: day, polarity: negated}
    chambers:
      hwk-duesseldorf:
        action: correct               # confirm | correct
        status: affected
        note: …

Entries that match nothing are reported (``review.unmatched``), never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.timeline.chambers import STATUSES
from pipelines.timeline.dates import RANK, date_range
from pipelines.timeline.events import POLARITIES, TYPES, Event

EVENT_ACTIONS = ("confirm", "reject", "correct")
CHAMBER_ACTIONS = ("confirm", "correct")
CORRECTABLE = ("date", "date_precision", "type", "polarity", "chambers", "summary")
PAST = {"confirm": "confirmed", "reject": "rejected", "correct": "corrected"}


class ReviewError(ValueError):
    """The review file cannot be used; the message names the file and the entry."""


@dataclass
class Review:
    """A parsed review file."""

    path: str | None = None
    reviewer: str | None = None
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    chambers: dict[str, dict[str, Any]] = field(default_factory=dict)


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def load_review(path: str | Path, chamber_ids: set[str] | None = None) -> Review:
    """Read and check a review file (YAML; JSON is valid YAML too)."""
    text = Path(path).read_text("utf-8")
    try:
        import yaml

        data = yaml.safe_load(text)
    except ImportError:  # pragma: no cover - PyYAML missing: JSON review files still work
        import json

        data = json.loads(text) if text.strip() else None
    except Exception as exc:  # yaml.YAMLError and friends
        raise ReviewError(f"{path}: not valid YAML ({exc})") from exc
    return parse_review(data or {}, str(path), chamber_ids)


def parse_review(data: Any, source: str = "review", chamber_ids: set[str] | None = None) -> Review:
    """Check a review mapping; raises :class:`ReviewError` on the first problem."""
    if not isinstance(data, dict):
        raise ReviewError(f"{source}: the review file must be a mapping")
    review = Review(path=source, reviewer=_str(data.get("reviewer")))
    for key in ("events", "chambers"):
        if not isinstance(data.get(key) or {}, dict):
            raise ReviewError(f"{source}: '{key}' must be a mapping keyed by id")
    for event_id, entry in (data.get("events") or {}).items():
        where = f"{source}: events.{event_id}"
        entry = _entry(entry, where, EVENT_ACTIONS)
        if entry["action"] == "correct":
            entry["set"] = _corrections(entry.get("set"), where, chamber_ids)
        review.events[str(event_id)] = entry
    for chamber_id, entry in (data.get("chambers") or {}).items():
        where = f"{source}: chambers.{chamber_id}"
        if chamber_ids is not None and chamber_id not in chamber_ids:
            raise ReviewError(f"{where}: unknown chamber id")
        entry = _entry(entry, where, CHAMBER_ACTIONS)
        if entry["action"] == "correct" and entry.get("status") not in STATUSES:
            raise ReviewError(f"{where}: 'status' must be one of {', '.join(STATUSES)}")
        review.chambers[str(chamber_id)] = entry
    return review


def _entry(entry: Any, where: str, actions: tuple[str, ...]) -> dict[str, Any]:
    if isinstance(entry, str):
        entry = {"action": entry}
    if not isinstance(entry, dict):
        raise ReviewError(f"{where}: an entry must be a mapping with 'action'")
    if entry.get("action") not in actions:
        raise ReviewError(f"{where}: 'action' must be one of {', '.join(actions)}")
    return dict(entry)


def _corrections(values: Any, where: str, chamber_ids: set[str] | None) -> dict[str, Any]:
    if not isinstance(values, dict) or not values:
        raise ReviewError(f"{where}: 'correct' needs a 'set' mapping")
    unknown = set(values) - set(CORRECTABLE)
    if unknown:
        raise ReviewError(f"{where}: cannot correct {', '.join(sorted(unknown))}")
    out = {k: (_str(v) if k not in ("chambers",) else v) for k, v in values.items()}
    if "type" in out and out["type"] not in TYPES:
        raise ReviewError(f"{where}: unknown type {out['type']!r}")
    if "polarity" in out and out["polarity"] not in POLARITIES:
        raise ReviewError(f"{where}: unknown polarity {out['polarity']!r}")
    if "date_precision" in out and out["date_precision"] not in RANK:
        raise ReviewError(f"{where}: unknown date_precision {out['date_precision']!r}")
    if "date" in out:
        precision = out.get("date_precision") or "day"
        if date_range(out["date"], precision) is None:
            raise ReviewError(f"{where}: date {out['date']!r} is not a {precision}")
    if "chambers" in out:
        chambers = out["chambers"]
        if not isinstance(chambers, list) or not all(isinstance(c, str) for c in chambers):
            raise ReviewError(f"{where}: 'chambers' must be a list of chamber ids")
        if chamber_ids is not None and set(chambers) - chamber_ids:
            bad = ", ".join(sorted(set(chambers) - chamber_ids))
            raise ReviewError(f"{where}: unknown chamber id {bad}")
    return out


def _mark(entry: dict[str, Any], review: Review, key: str) -> dict[str, Any]:
    return {
        "action": PAST[entry["action"]],
        "reviewer": _str(entry.get("reviewer")) or review.reviewer or "unbekannt",
        "reviewed_at": _str(entry.get("reviewed_at")),
        "note": _str(entry.get("note")),
        "key": key,
    }


@dataclass
class ReviewResult:
    """What applying a review did."""

    applied: list[str] = field(default_factory=list)
    rejected: list[Event] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def apply_event_reviews(
    events: list[Event], review: Review | None
) -> tuple[list[Event], ReviewResult]:
    """Mark, correct or drop events; returns the events kept and what was done."""
    result = ReviewResult()
    if review is None or not review.events:
        return events, result
    used: set[str] = set()
    kept: list[Event] = []
    for event in events:
        key = next(
            (k for k in [event.id, *event.aliases] if k in review.events and k not in used), None
        )
        if key is None:
            kept.append(event)
            continue
        used.add(key)
        entry = review.events[key]
        event.review = _mark(entry, review, key)
        result.applied.append(key)
        if entry["action"] == "reject":
            result.rejected.append(event)
            continue
        if entry["action"] == "correct":
            before = {}
            for name, value in entry["set"].items():
                attr = "summary" if name == "summary" else name
                before[name] = getattr(event, attr)
                setattr(event, attr, list(value) if name == "chambers" else value)
                if name == "date":
                    event.date_inferred = False
            event.review["corrected_from"] = before
        kept.append(event)
    result.unmatched = sorted(set(review.events) - used)
    return kept, result


def apply_chamber_reviews(
    records: list[dict[str, Any]], review: Review | None, result: ReviewResult
) -> None:
    """Override or confirm chamber statuses in place."""
    if review is None:
        return
    known = {r["id"]: r for r in records}
    for chamber_id, entry in review.chambers.items():
        record = known.get(chamber_id)
        if record is None:
            result.unmatched.append(chamber_id)
            continue
        mark = _mark(entry, review, chamber_id)
        if entry["action"] == "correct":
            mark["corrected_from"] = {"status": record["status"]}
            record["status"] = entry["status"]
            record["status_reason"] = "durch Review korrigiert"
        record["review"] = mark
        result.applied.append(chamber_id)
