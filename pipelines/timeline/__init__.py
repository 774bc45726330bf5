"""The timeline stage: merge the facts of all documents into one incident timeline.

One job per module:

- :mod:`~pipelines.timeline.documents`  the documents behind the facts (store rows), source kinds
- :mod:`~pipelines.timeline.duplicates` republished copies (word 5-gram Jaccard)
- :mod:`~pipelines.timeline.dates`      date values, precisions, ranges, German date words
- :mod:`~pipelines.timeline.merge`      claims -> events (same happening, precision reconciliation)
- :mod:`~pipelines.timeline.events`     stable event ids, weights and confidence
- :mod:`~pipelines.timeline.conflicts`  explicit contradictions between events
- :mod:`~pipelines.timeline.chambers`   the 53 chambers and their status
- :mod:`~pipelines.timeline.summary`    one German sentence per event
- :mod:`~pipelines.timeline.review`     analyst review file (confirm / reject / correct)
- :mod:`~pipelines.timeline.build`      the whole timeline.json document
- :mod:`~pipelines.timeline.schema`     JSON Schema check of timeline.json
- :mod:`~pipelines.timeline.exports`    timeline.json, timeline.csv, chambers.csv
- :mod:`~pipelines.timeline.report`     report.html (self-contained, escaped)
- :mod:`~pipelines.timeline.browse`     store tables/views and datasette metadata
- :mod:`~pipelines.timeline.cli`        ``kammerwatch timeline`` and ``run_stage``
"""

from __future__ import annotations

from pathlib import Path

from pipelines.resources import package_dir

SCHEMA_VERSION = "1"


def data_path(name: str) -> Path:
    """Path of a data file shipped in ``pipelines/timeline/data``."""
    return package_dir("pipelines.timeline") / "data" / name
