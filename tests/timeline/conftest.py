"""Shared helpers of the timeline tests: the small fixture scenario and event lookup."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipelines.timeline.build import build_timeline
from pipelines.timeline.review import Review

DATA = Path(__file__).parent / "data"
GENERATED_AT = "2024-02-01T10:00:00+01:00"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def small_documents() -> list[dict[str, Any]]:
    return read_jsonl(DATA / "small_documents.jsonl")


def small_facts() -> list[dict[str, Any]]:
    return read_jsonl(DATA / "small_facts.jsonl")


def build_small(
    facts: list[dict[str, Any]] | None = None,
    docs: list[dict[str, Any]] | None = None,
    review: Review | None = None,
) -> dict[str, Any]:
    """The timeline of the small scenario (optionally with other facts/documents/review)."""
    docs = small_documents() if docs is None else docs
    return build_timeline(
        small_facts() if facts is None else facts,
        articles=[d for d in docs if d["kind"] == "article"],
        comments=[d for d in docs if d["kind"] == "comment"],
        review=review,
        generated_at=GENERATED_AT,
    )


def find(
    timeline: dict[str, Any], type_: str, polarity: str, chambers: list[str]
) -> list[dict[str, Any]]:
    """Events of a type and polarity about exactly these chambers."""
    return [
        e
        for e in timeline["events"]
        if e["type"] == type_ and e["polarity"] == polarity and e["chambers"] == chambers
    ]


def chamber(timeline: dict[str, Any], chamber_id: str) -> dict[str, Any]:
    return next(c for c in timeline["chambers"] if c["id"] == chamber_id)


@pytest.fixture(scope="module")
def small() -> dict[str, Any]:
    return build_small()
