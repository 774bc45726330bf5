"""Quality gate: extraction on the development set must meet the pinned F1 floors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipelines.nlp.cli import LineCounter, read_records
from pipelines.nlp.evaluate import METRICS, evaluate_files
from pipelines.nlp.facts import extract_records
from pipelines.nlp.gazetteer import DATA_DIR

DEV = Path(__file__).resolve().parent / "data"
FLOORS = json.loads((DATA_DIR / "quality_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores() -> dict[str, dict[str, Any]]:
    docs, gold = DEV / "dev_docs.jsonl", DEV / "dev_gold.jsonl"
    assert docs.is_file() and gold.is_file(), "development set missing"
    counter = LineCounter()
    facts = list(extract_records(read_records([docs], counter)))
    assert counter.skipped == 0
    return evaluate_files(gold, facts)


def test_every_metric_has_a_floor() -> None:
    assert set(METRICS) <= set(FLOORS)


@pytest.mark.parametrize("metric", METRICS)
def test_metric_meets_floor(scores: dict[str, dict[str, Any]], metric: str) -> None:
    f1 = scores[metric]["f1"]
    assert f1 >= FLOORS[metric], f"{metric}: F1 {f1:.3f} below floor {FLOORS[metric]}"


def test_development_set_is_large_enough(scores: dict[str, dict[str, Any]]) -> None:
    assert scores["_documents"]["gold"] >= 80
