"""Files of the timeline stage: timeline.json, timeline.csv and chambers.csv.

The CSVs follow the foundation's rules (:func:`pipelines.export.write_csv`:
UTF-8 with BOM, ``;``, CRLF, formula-injection-safe, atomic).  List cells are
joined with `` | ``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipelines.atomic import atomic_write
from pipelines.export import write_csv

JOIN = " | "

TIMELINE_COLUMNS = [
    "id", "date", "date_precision", "date_inferred", "type", "polarity", "chambers", "states",
    "scope", "summary", "confidence", "source_count", "independent_sources", "comment_only",
    "first_reported", "conflicts", "review", "reviewer", "organizations", "source_kinds",
    "outlets", "urls", "quotes",
]  # fmt: skip

CHAMBER_COLUMNS = [
    "id", "official_name", "seat", "state", "status", "status_reason", "outage_since",
    "outage_first_reported", "restored_on", "restored_reported", "evidence_count", "events",
    "conflicts", "review", "reviewer",
]  # fmt: skip


def write_json(path: str | Path, timeline: dict[str, Any]) -> None:
    """timeline.json, pretty-printed UTF-8, atomically."""
    with atomic_write(path) as handle:
        json.dump(timeline, handle, ensure_ascii=False, indent=1)
        handle.write("\n")


def _yes(value: bool) -> str:
    return "ja" if value else "nein"


def event_rows(timeline: dict[str, Any]) -> list[dict[str, Any]]:
    """One CSV row per event, its sources joined."""
    states = {c["id"]: c["state"] for c in timeline["chambers"]}
    rows = []
    for event in timeline["events"]:
        review = event.get("review") or {}
        sources = event["sources"]
        rows.append(
            {
                "id": event["id"],
                "date": event["date"],
                "date_precision": event["date_precision"],
                "date_inferred": _yes(event["date_inferred"]),
                "type": event["type"],
                "polarity": event["polarity"],
                "chambers": JOIN.join(event["chambers"]),
                "states": JOIN.join(sorted({states[c] for c in event["chambers"] if c in states})),
                "scope": event["scope"],
                "summary": event["summary"],
                "confidence": str(event["confidence"]).replace(".", ","),
                "source_count": event["source_count"],
                "independent_sources": event["independent_sources"],
                "comment_only": _yes(event["comment_only"]),
                "first_reported": event["first_reported"],
                "conflicts": JOIN.join(c["id"] for c in event["conflicts"]),
                "review": review.get("action"),
                "reviewer": review.get("reviewer"),
                "organizations": JOIN.join(event["organizations"]),
                "source_kinds": JOIN.join(s["kind"] for s in sources),
                "outlets": JOIN.join(s["outlet"] for s in sources),
                "urls": JOIN.join(s["url"] for s in sources),
                "quotes": JOIN.join(s["quote"] for s in sources),
            }
        )
    return rows


def chamber_rows(timeline: dict[str, Any]) -> list[dict[str, Any]]:
    """One CSV row per chamber (all 53)."""
    rows = []
    for chamber in timeline["chambers"]:
        review = chamber.get("review") or {}
        rows.append(
            {
                **{k: chamber[k] for k in CHAMBER_COLUMNS if k in chamber},
                "events": JOIN.join(chamber["events"]),
                "conflicts": JOIN.join(chamber["conflicts"]),
                "review": review.get("action"),
                "reviewer": review.get("reviewer"),
            }
        )
    return rows


def write_exports(out_dir: str | Path, timeline: dict[str, Any]) -> dict[str, int]:
    """timeline.json, timeline.csv and chambers.csv into ``out_dir``; rows per file."""
    out = Path(out_dir)
    write_json(out / "timeline.json", timeline)
    return {
        "timeline.json": len(timeline["events"]),
        "timeline.csv": write_csv(out / "timeline.csv", TIMELINE_COLUMNS, event_rows(timeline)),
        "chambers.csv": write_csv(out / "chambers.csv", CHAMBER_COLUMNS, chamber_rows(timeline)),
    }
