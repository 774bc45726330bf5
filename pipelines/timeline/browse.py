"""Browsing the store with datasette: timeline tables, flattening views, metadata.

The timeline stage writes its results into the store next to the crawl's
tables (rebuilt on every run) and adds views that flatten the facts JSON, so
``datasette output/kammerwatch.db -m output/datasette.json`` offers browse,
facet and CSV/JSON export for every level: documents, extracted claims and
chamber mentions, events, their sources, chamber statuses and conflicts.
datasette is an optional extra and not needed for anything else.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from pipelines.atomic import atomic_write
from pipelines.timeline import data_path

METADATA_FILE = "datasette.json"

TABLES = {
    "timeline_events": (
        "id TEXT PRIMARY KEY, sort_day TEXT, date TEXT, date_precision TEXT, "
        "date_inferred INTEGER, type TEXT, polarity TEXT, chambers TEXT, states TEXT, "
        "scope TEXT, summary TEXT, confidence REAL, source_count INTEGER, "
        "independent_sources INTEGER, comment_only INTEGER, first_reported TEXT, "
        "conflicts INTEGER, review TEXT, reviewer TEXT"
    ),
    "timeline_event_sources": (
        "event_id TEXT, doc_id TEXT, kind TEXT, outlet TEXT, published TEXT, url TEXT, "
        "quote TEXT, speaker TEXT, attribution TEXT, duplicate_of TEXT"
    ),
    "timeline_event_chambers": (
        "event_id TEXT, chamber_id TEXT, state TEXT, type TEXT, polarity TEXT, date TEXT"
    ),
    "timeline_chambers": (
        "id TEXT PRIMARY KEY, official_name TEXT, seat TEXT, state TEXT, status TEXT, "
        "status_reason TEXT, outage_since TEXT, outage_first_reported TEXT, restored_on TEXT, "
        "restored_reported TEXT, evidence_count INTEGER, events TEXT, review TEXT, reviewer TEXT"
    ),
    "timeline_conflicts": (
        "id TEXT, kind TEXT, type TEXT, chamber_id TEXT, event_a TEXT, event_b TEXT, "
        "description TEXT"
    ),
}

VIEWS = {
    "documents": """
SELECT id, kind, source, url, title, author, published, text, NULL AS article_id FROM articles
UNION ALL
SELECT c.id, c.kind, a.source, c.url, a.title, c.author, c.published, c.text, c.article_id
FROM comments c LEFT JOIN articles a ON a.id = c.article_id""",
    "fact_claims": """
SELECT f.doc_id, f.kind, f.url,
  json_extract(c.value, '$.type') AS type,
  json_extract(c.value, '$.polarity') AS polarity,
  json_extract(c.value, '$.chambers') AS chambers,
  json_extract(c.value, '$.date.value') AS date,
  json_extract(c.value, '$.date.precision') AS date_precision,
  json_extract(c.value, '$.speaker') AS speaker,
  json_extract(c.value, '$.attribution') AS attribution,
  json_extract(c.value, '$.evidence.text') AS evidence
FROM facts f, json_each(f.facts, '$.claims') c""",
    "fact_chambers": """
SELECT f.doc_id, f.kind, f.url,
  json_extract(c.value, '$.id') AS chamber_id,
  json_extract(c.value, '$.status') AS status,
  json_array_length(c.value, '$.mentions') AS mentions
FROM facts f, json_each(f.facts, '$.chambers') c""",
}

INDEXES = (
    "CREATE INDEX timeline_event_sources_event ON timeline_event_sources(event_id)",
    "CREATE INDEX timeline_event_chambers_chamber ON timeline_event_chambers(chamber_id)",
)


def _rows(timeline: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    states = {c["id"]: c["state"] for c in timeline["chambers"]}
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}
    for e in timeline["events"]:
        review = e.get("review") or {}
        rows["timeline_events"].append(
            (
                e["id"], e["date"] and e["date"][:10], e["date"], e["date_precision"],
                int(e["date_inferred"]), e["type"], e["polarity"], json.dumps(e["chambers"]),
                json.dumps(sorted({states[c] for c in e["chambers"] if c in states}),
                           ensure_ascii=False),
                e["scope"], e["summary"], e["confidence"], e["source_count"],
                e["independent_sources"], int(e["comment_only"]), e["first_reported"],
                len(e["conflicts"]), review.get("action"), review.get("reviewer"),
            )
        )  # fmt: skip
        for s in e["sources"]:
            rows["timeline_event_sources"].append(
                (
                    e["id"], s["doc_id"], s["kind"], s["outlet"], s["published"], s["url"],
                    s["quote"], s["speaker"], s["attribution"], s["duplicate_of"],
                )
            )  # fmt: skip
        for cid in e["chambers"]:
            rows["timeline_event_chambers"].append(
                (e["id"], cid, states.get(cid), e["type"], e["polarity"], e["date"])
            )
    for c in timeline["chambers"]:
        review = c.get("review") or {}
        rows["timeline_chambers"].append(
            (
                c["id"], c["official_name"], c["seat"], c["state"], c["status"],
                c["status_reason"], c["outage_since"], c["outage_first_reported"],
                c["restored_on"], c["restored_reported"], c["evidence_count"],
                json.dumps(c["events"]), review.get("action"), review.get("reviewer"),
            )
        )  # fmt: skip
    for k in timeline["conflicts"]:
        for cid in k["chambers"] or [None]:
            rows["timeline_conflicts"].append(
                (k["id"], k["kind"], k["type"], cid, k["events"][0], k["events"][1],
                 k["description"])
            )  # fmt: skip
    return rows


def write_store_tables(db_path: str | Path, timeline: dict[str, Any]) -> dict[str, int]:
    """Replace the timeline tables and (re)create the views; rows per table."""
    rows = _rows(timeline)
    db = sqlite3.connect(db_path)
    try:
        with db:
            for view in VIEWS:
                db.execute(f"DROP VIEW IF EXISTS {view}")
            for table, columns in TABLES.items():
                db.execute(f"DROP TABLE IF EXISTS {table}")
                db.execute(f"CREATE TABLE {table} ({columns})")
                if rows[table]:
                    marks = ", ".join("?" for _ in rows[table][0])
                    db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])
            for statement in INDEXES:
                db.execute(statement)
            for view, select in VIEWS.items():
                db.execute(f"CREATE VIEW {view} AS {select}")
    finally:
        db.close()
    return {table: len(r) for table, r in rows.items()}


def metadata() -> dict[str, Any]:
    """The datasette metadata (data/datasette.json) as a dict."""
    data: dict[str, Any] = json.loads(data_path(METADATA_FILE).read_text("utf-8"))
    return data


def write_metadata(out_dir: str | Path) -> Path:
    """Copy the datasette metadata next to the store (``<out>/datasette.json``), atomically."""
    target = Path(out_dir) / METADATA_FILE
    with atomic_write(target) as handle:
        handle.write(data_path(METADATA_FILE).read_text("utf-8"))
    return target
