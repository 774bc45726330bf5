"""Held-out set: extraction on documents never used for development must meet pinned F1 floors.

The floors in ``data/holdout_floors.json`` are the F1 values first reached, rounded down to
0.01. Like the development floors they are raised, never silently lowered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipelines.nlp.cli import LineCounter, read_records
from pipelines.nlp.evaluate import METRICS, evaluate_files
from pipelines.nlp.facts import extract_records

DATA = Path(__file__).resolve().parent / "data"
DOCS = DATA / "holdout_docs.jsonl"
GOLD = DATA / "holdout_gold.jsonl"
FLOORS: dict[str, float] = json.loads((DATA / "holdout_floors.json").read_text(encoding="utf-8"))


def _ids(path: Path, key: str) -> list[str]:
    """The ids of a JSONL file, in file order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)[key] for line in lines if line.strip()]


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, Any]]:
    """Scores of the extractor on the held-out set."""
    assert DOCS.is_file() and GOLD.is_file(), "held-out set missing"
    counter = LineCounter()
    facts = list(extract_records(read_records([DOCS], counter)))
    assert counter.skipped == 0
    return evaluate_files(GOLD, facts)


def test_documents_and_gold_match_one_to_one() -> None:
    doc_ids = _ids(DOCS, "id")
    assert doc_ids == _ids(GOLD, "doc_id")
    assert doc_ids == [f"ho-{i:03d}" for i in range(1, 41)]


def test_every_metric_has_a_floor() -> None:
    assert set(METRICS) == set(FLOORS)


@pytest.mark.parametrize("metric", METRICS)
def test_metric_meets_holdout_floor(scores: dict[str, dict[str, Any]], metric: str) -> None:
    f1 = scores[metric]["f1"]
    assert f1 >= FLOORS[metric], f"{metric}: F1 {f1:.3f} below held-out floor {FLOORS[metric]}"


def test_all_holdout_documents_scored(scores: dict[str, dict[str, Any]]) -> None:
    assert scores["_documents"]["gold"] == 40
