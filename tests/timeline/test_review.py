"""The review file: confirm, reject, correct; keyed by stable ids; applied on every rebuild."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from pipelines.timeline.chambers import load_chambers
from pipelines.timeline.events import event_id
from pipelines.timeline.review import ReviewError, load_review, parse_review
from tests.timeline.conftest import build_small, chamber, find, small_documents, small_facts

AACHEN = event_id("outage", "asserted", ["hwk-aachen"], "2024-01-08")
AACHEN_WEEK = event_id("outage", "asserted", ["hwk-aachen"], "2024-W02")
HEISE_UP = event_id("restored", "asserted", ["hwk-duesseldorf"], "2024-01-09")
MUENSTER = event_id("outage", "negated", ["hwk-muenster"], "2024-01-09")
IDS = set(load_chambers())

REVIEW = f"""
version: 1
reviewer: A. Analystin
events:
  {AACHEN}:
    action: confirm
    note: telefonisch bestätigt
    reviewed_at: 2024-01-20
  {HEISE_UP}:
    action: reject
    reviewer: B. Prüfer
    note: Seite war laut Kammer bis 16.1. offline
  {MUENSTER}:
    action: correct
    set:
      date: "2024-01-10"
      summary: "Die Website der Handwerkskammer Münster blieb erreichbar."
  ev-000000000000: confirm
chambers:
  hwk-flensburg:
    action: correct
    status: affected
    note: zwei Tage offline gelten als betroffen
"""


@pytest.fixture
def review_file(tmp_path: Path) -> Path:
    path = tmp_path / "review.yaml"
    path.write_text(REVIEW, "utf-8")
    return path


def test_review_is_applied_and_marked(review_file: Path) -> None:
    tl = build_small(review=load_review(review_file, IDS))
    (aachen,) = find(tl, "outage", "asserted", ["hwk-aachen"])
    assert aachen["review"]["action"] == "confirmed"
    assert aachen["review"]["reviewer"] == "A. Analystin"  # the file's default reviewer
    assert aachen["review"]["note"] == "telefonisch bestätigt"
    # rejected: gone from the events and from the conflict, kept in review.rejected_events
    assert find(tl, "restored", "asserted", ["hwk-duesseldorf"]) == []
    (rejected,) = tl["review"]["rejected_events"]
    assert rejected["id"] == HEISE_UP and rejected["review"]["reviewer"] == "B. Prüfer"
    assert [c["kind"] for c in tl["conflicts"]] == ["polarity"]
    # corrected: new values, same id, old values kept
    (muenster,) = find(tl, "outage", "negated", ["hwk-muenster"])
    assert muenster["id"] == MUENSTER and muenster["date"] == "2024-01-10"
    assert muenster["summary"] == "Die Website der Handwerkskammer Münster blieb erreichbar."
    assert muenster["review"]["corrected_from"]["date"] == "2024-01-09"
    # chamber status override
    flensburg = chamber(tl, "hwk-flensburg")
    assert flensburg["status"] == "affected" and flensburg["review"]["action"] == "corrected"
    assert flensburg["review"]["corrected_from"] == {"status": "partially_affected"}
    assert tl["review"]["unmatched"] == ["ev-000000000000"]
    assert len(tl["review"]["applied"]) == 4


def test_review_survives_rebuild_from_reordered_input(review_file: Path) -> None:
    facts = small_facts()
    random.Random(3).shuffle(facts)
    tl = build_small(
        facts=facts, docs=small_documents()[::-1], review=load_review(review_file, IDS)
    )
    assert sorted(tl["review"]["applied"]) == sorted([AACHEN, HEISE_UP, MUENSTER, "hwk-flensburg"])


def test_entry_keyed_by_an_alias_still_applies() -> None:
    # The week report had this id before the day report was merged in.
    review = parse_review({"events": {AACHEN_WEEK: {"action": "reject", "reviewer": "C"}}})
    tl = build_small(review=review)
    assert find(tl, "outage", "asserted", ["hwk-aachen"]) == []
    assert tl["review"]["rejected_events"][0]["review"]["key"] == AACHEN_WEEK
    # Aachen loses its only outage event: no longer affected by claims
    assert chamber(tl, "hwk-aachen")["status"] != "affected"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be a mapping"),
        ({"events": {"ev-1": {"action": "delete"}}}, "'action' must be one of"),
        ({"events": {"ev-1": {"action": "correct"}}}, "needs a 'set' mapping"),
        ({"events": {"ev-1": {"action": "correct", "set": {"colour": "x"}}}}, "cannot correct"),
        ({"events": {"ev-1": {"action": "correct", "set": {"date": "9.1.2024"}}}}, "is not a day"),
        (
            {"events": {"ev-1": {"action": "correct", "set": {"polarity": "maybe"}}}},
            "unknown polarity",
        ),
        ({"chambers": {"hwk-atlantis": {"action": "confirm"}}}, "unknown chamber id"),
        (
            {"chambers": {"hwk-aachen": {"action": "correct", "status": "kaputt"}}},
            "'status' must be",
        ),
    ],
)
def test_invalid_entries_are_named(data: Any, message: str) -> None:
    with pytest.raises(ReviewError, match=message):
        parse_review(data, "review.yaml", IDS)


def test_broken_yaml_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "review.yaml"
    path.write_text("events: [unclosed\n", "utf-8")
    with pytest.raises(ReviewError, match="not valid YAML"):
        load_review(path)
