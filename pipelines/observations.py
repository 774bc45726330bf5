"""Observations of the chamber sites: stored as a time series, exported, and
turned into observed outage events for the timeline.

:class:`ObservationPipeline` (Scrapy item pipeline; the ``chambers`` spider
enables it) inserts every :class:`crawler.observations.Observation` into the
table ``observations`` of the store database (created here with
``CREATE TABLE IF NOT EXISTS``; WAL).  Rows are never updated: one row per
chamber per run.  It uses its own connection; while the article store holds
a write transaction open, rows wait in memory and are written when the crawl
has closed (after the store committed).  Then ``observations.csv`` (all rows,
German-Excel CSV like the other exports) is written to ``KW_OUT_DIR``.

:func:`observed_events` reads the series back and reports, per chamber, each
stretch of consecutive failed checks as one event "site of X unreachable from
T1 to T2".
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.observations import OBSERVATION_COLUMNS, OK, UNREACHABLE, Observation
from pipelines.export import write_csv
from pipelines.store import db_path

SCHEMA = """
CREATE TABLE IF NOT EXISTS observations (
  id TEXT PRIMARY KEY,
  run_id TEXT NOT NULL,
  chamber_id TEXT NOT NULL,
  url TEXT NOT NULL,
  observed_at TEXT NOT NULL,
  outcome TEXT NOT NULL,
  http_status INTEGER,
  final_url TEXT,
  detail TEXT,
  banner TEXT
);
CREATE INDEX IF NOT EXISTS observations_chamber ON observations(chamber_id, observed_at);
CREATE INDEX IF NOT EXISTS observations_run ON observations(run_id);
"""
_INSERT = (
    f"INSERT OR IGNORE INTO observations ({', '.join(OBSERVATION_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in OBSERVATION_COLUMNS)})"
)
EXPORT_NAME = "observations.csv"


def connect(path: str | Path, *, busy_seconds: float = 30.0) -> sqlite3.Connection:
    """A connection to the store file with the observations table in place."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=busy_seconds)
    db.execute("PRAGMA journal_mode=WAL")
    # no fsync per commit (WAL keeps the file consistent): the pipeline commits
    # each observation on the reactor thread, and an fsync there stalls the crawl
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    db.commit()
    return db


def insert(db: sqlite3.Connection, observation: Observation) -> bool:
    """Add one observation (an existing id is kept as it is); True when added."""
    values = [getattr(observation, c) for c in OBSERVATION_COLUMNS]
    return db.execute(_INSERT, values).rowcount == 1


def _table_exists(db: sqlite3.Connection) -> bool:
    row = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'observations'"
    ).fetchone()
    return row is not None


def observation_rows(path: str | Path) -> list[dict[str, Any]]:
    """All observations of a store, by time then chamber (empty without the table)."""
    if not Path(path).exists():
        return []
    db = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    try:
        if not _table_exists(db):
            return []
        cursor = db.execute(f"SELECT {', '.join(OBSERVATION_COLUMNS)} FROM observations")
        rows = [dict(zip(OBSERVATION_COLUMNS, row, strict=True)) for row in cursor]
    finally:
        db.close()
    rows.sort(key=lambda r: (_instant(r["observed_at"]), r["chamber_id"], r["id"]))
    return rows


def export_observations(path: str | Path, out_dir: str | Path) -> int:
    """Write ``<out_dir>/observations.csv`` from the store; returns the row count."""
    return write_csv(Path(out_dir) / EXPORT_NAME, OBSERVATION_COLUMNS, observation_rows(path))


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _evidence(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "observation",
        "observation_id": row["id"],
        "url": row["url"],
        "final_url": row["final_url"],
        "observed_at": row["observed_at"],
        "outcome": row["outcome"],
        "http_status": row["http_status"],
        "detail": row["detail"],
        "banner": row["banner"],
    }


def _stretches(rows: list[dict[str, Any]]) -> Iterator[tuple[dict | None, list[dict], dict | None]]:
    """(last ok before, failed checks, first ok after) for each run of failures."""
    last_ok: dict[str, Any] | None = None
    failed: list[dict[str, Any]] = []
    for row in rows:
        if row["outcome"] in UNREACHABLE:
            failed.append(row)
        elif row["outcome"] == OK:
            if failed:
                yield last_ok, failed, row
                failed = []
            last_ok = row
    if failed:
        yield last_ok, failed, None


def observed_events(path: str | Path) -> list[dict[str, Any]]:
    """Observed outages: per chamber, each stretch of consecutive failed checks.

    Each event: ``{"id", "type": "outage", "kind": "observation", "chamber",
    "start", "end", "outcome", "outcomes", "observations", "last_ok_before",
    "restored_observed", "ongoing", "evidence"}``.  ``start``/``end`` are the
    first and last failed check (the site was seen unreachable from T1 to T2);
    ``last_ok_before``/``restored_observed`` the neighbouring successful checks
    (None when there is none), which bound when it really went down and came
    back.  ``outcome`` is the most frequent failure (the earliest on a tie);
    ``evidence`` holds the first check, every change of outcome and the last
    check.  Checks that were not made (``not_checked``) neither start
    nor end a stretch.  Sorted by start, then chamber.
    """
    by_chamber: dict[str, list[dict[str, Any]]] = {}
    for row in observation_rows(path):
        by_chamber.setdefault(row["chamber_id"], []).append(row)
    events: list[dict[str, Any]] = []
    for chamber, rows in by_chamber.items():
        for before, failed, after in _stretches(rows):
            counts = Counter(r["outcome"] for r in failed)
            top = max(counts.values())
            outcome = next(r["outcome"] for r in failed if counts[r["outcome"]] == top)
            evidence = [
                _evidence(r)
                for i, r in enumerate(failed)
                if i == 0 or i == len(failed) - 1 or r["outcome"] != failed[i - 1]["outcome"]
            ]
            events.append(
                {
                    "id": f"observation:{chamber}:{failed[0]['observed_at']}",
                    "type": "outage",
                    "kind": "observation",
                    "chamber": chamber,
                    "start": failed[0]["observed_at"],
                    "end": failed[-1]["observed_at"],
                    "outcome": outcome,
                    "outcomes": sorted(counts),
                    "observations": len(failed),
                    "last_ok_before": before["observed_at"] if before else None,
                    "restored_observed": after["observed_at"] if after else None,
                    "ongoing": after is None,
                    "evidence": evidence,
                }
            )
    events.sort(key=lambda e: (_instant(e["start"]), e["chamber"]))
    return events


class ObservationPipeline:
    """Stores Observations (one row each, never updated) and exports them at the end."""

    def __init__(self, path: Path, out_dir: Path, export: bool, stats: StatsCollector) -> None:
        self.path = path
        self.out_dir = out_dir
        self.export = export
        self.stats = stats
        self.db: sqlite3.Connection | None = None
        self.pending: list[Observation] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        settings = crawler.settings
        pipeline = cls(
            db_path(settings),
            Path(settings.get("KW_OUT_DIR", "output")),
            settings.getbool("KW_EXPORT", True),
            crawler.stats,
        )
        # after every pipeline's close_spider: the article store has committed
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider: Any = None) -> None:
        self.db = connect(self.path)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, Observation):
            return item
        self.stats.inc_value(f"kw/observations/{item.outcome}")
        if self.db is None or self.pending or not self._write([item], wait=False):
            self.pending.append(item)
        return item

    def _write(self, observations: list[Observation], *, wait: bool) -> bool:
        assert self.db is not None
        self.db.execute(f"PRAGMA busy_timeout = {30000 if wait else 0}")
        try:
            with self.db:
                added = sum(insert(self.db, o) for o in observations)
        except sqlite3.OperationalError as exc:
            if wait or "locked" not in str(exc):
                raise
            return False
        self.stats.inc_value("kw/observations/stored", added)
        return True

    def spider_closed(self, spider: Any = None, **_: Any) -> None:
        if self.db is None:
            return
        if self.pending:
            self._write(self.pending, wait=True)
            self.pending = []
        self.db.close()
        self.db = None
        if self.export:
            rows = export_observations(self.path, self.out_dir)
            self.stats.set_value(f"kw/export/{EXPORT_NAME}", rows)


OUTCOME_TEXT = {
    "http_error": "antwortete mit einem HTTP-Fehler",
    "dns_failure": "war im DNS nicht auffindbar",
    "timeout": "antwortete nicht (Zeitüberschreitung)",
    "tls_error": "lieferte einen TLS-Fehler",
    "connection_refused": "verweigerte die Verbindung",
    "connection_error": "war nicht erreichbar",
    "redirect_to_banner": "leitete auf die Störungsseite um",
    "banner_page": "zeigte die Störungsseite",
    "emergency_page": "zeigte eine Notseite",
}


def timeline_inputs(
    events: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Observed outages as documents (kind "observation") and their facts, for the timeline.

    Each observed stretch becomes one document whose text says what the crawler
    saw, with an asserted outage claim dated at its first failed check and, when
    the site was seen back, a restored claim dated then.
    """
    docs: list[dict[str, Any]] = []
    facts: list[dict[str, Any]] = []
    for event in events:
        first = event["evidence"][0] if event["evidence"] else {}
        url = first.get("url") or ""
        saw = OUTCOME_TEXT.get(event["outcome"], "war nicht erreichbar")
        text = f"Die Website {url} {saw}: beobachtet von {event['start']} bis {event['end']}."
        claims = [_claim("outage", event["chamber"], event["start"], text, 0)]
        if event.get("restored_observed"):
            back = f"Wieder erreichbar beobachtet am {event['restored_observed']}."
            claims.append(
                _claim(
                    "restored", event["chamber"], event["restored_observed"], back, len(text) + 1
                )
            )
            text = f"{text} {back}"
        doc_id = f"observation:{event['id']}"
        docs.append({
            "id": doc_id, "kind": "observation", "url": url, "canonical_url": url,
            "source": "kammerwatch", "title": f"Beobachtung {event['chamber']}", "author": None,
            "published": event["start"], "modified": event["end"], "language": "de",
            "text": text, "comment_count": 0, "fetched_at": event["end"],
        })  # fmt: skip
        facts.append({
            "doc_id": doc_id, "url": url, "kind": "observation",
            "chambers": [{"id": event["chamber"], "status": "affected", "mentions": []}],
            "dates": [], "claims": claims, "organizations": [], "people": [],
        })  # fmt: skip
    return docs, facts


def _claim(kind: str, chamber: str, when: str, sentence: str, start: int) -> dict[str, Any]:
    return {
        "type": kind,
        "polarity": "asserted",
        "chambers": [chamber],
        "date": {"value": when[:10], "precision": "day"},
        "speaker": None,
        "attribution": "Kammerwatch-Beobachtung",
        "evidence": {"text": sentence, "start": start, "end": start + len(sentence)},
    }
