"""`kammerwatch run` on the bundled sample archive: the timeline built from the REAL
extractor's facts matches what the corpus says (crawler/data/sample/README.md,
tests/fixtures/sample_expected.json).

One run per module; the assertions read output/timeline.json.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.crawlrun import crawl

# the 13 chambers the sample corpus names, with their status over all documents
EXPECTED_STATUS = {
    "hwk-aachen": "affected",
    "hwk-dortmund": "affected",
    "hwk-duesseldorf": "affected",
    "hwk-koeln": "affected",
    "hwk-ostwestfalen-lippe": "affected",
    "hwk-suedwestfalen": "affected",
    "hwk-pfalz": "affected",
    "hwk-braunschweig-lueneburg-stade": "partially_affected",  # e-mail only
    "hwk-flensburg": "partially_affected",  # offline 8 January, back 10 January
    "hwk-muenster": "not_affected",
    "hwk-koblenz": "not_affected",
    "hwk-niederbayern-oberpfalz": "not_affected",
    "hwk-luebeck": "not_affected",
}
# conflicts other than the two planted ones that the real extractor still produces
MAX_OTHER_CONFLICTS = 0


@pytest.fixture(scope="module")
def timeline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out: Path = tmp_path_factory.mktemp("run-timeline")
    result = crawl(out=out, command="run")
    assert result.returncode == 0, result.stderr[-2000:]
    data: dict[str, Any] = json.loads((out / "timeline.json").read_text("utf-8"))
    return data


def _events(timeline: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in timeline["events"]}


def _planted(timeline: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    events = _events(timeline)
    pfalz, duesseldorf = [], []
    for c in timeline["conflicts"]:
        sides = [events[i] for i in c["events"]]
        pols = {e["polarity"] for e in sides}
        if (
            c["kind"] == "polarity"
            and c["chambers"] == ["hwk-pfalz"]
            and {e["type"] for e in sides} == {"data_breach"}
            and pols == {"negated", "uncertain"}
        ):
            pfalz.append(c)
        if (
            c["kind"] == "status"
            and c["chambers"] == ["hwk-duesseldorf"]
            and {e["type"] for e in sides} == {"outage", "restored"}
            and {e["date"] for e in sides} == {"2024-01-09"}
        ):
            duesseldorf.append(c)
    return pfalz, duesseldorf


def test_chamber_statuses_of_the_13_named_chambers(timeline: dict[str, Any]) -> None:
    statuses = {c["id"]: c["status"] for c in timeline["chambers"]}
    assert {cid: statuses[cid] for cid in EXPECTED_STATUS} == EXPECTED_STATUS
    named = {cid for cid, status in statuses.items() if status != "unknown"}
    assert named == set(EXPECTED_STATUS)


def test_status_counts(timeline: dict[str, Any]) -> None:
    counts: dict[str, int] = {}
    for c in timeline["chambers"]:
        counts[c["status"]] = counts.get(c["status"], 0) + 1
    assert counts == {
        "affected": 7,
        "partially_affected": 2,
        "not_affected": 4,
        "unknown": 40,
    }


def test_both_planted_conflicts_are_present(timeline: dict[str, Any]) -> None:
    pfalz, duesseldorf = _planted(timeline)
    assert len(pfalz) == 1, "Pfalz: data outflow ruled out vs not ruled out"
    assert len(duesseldorf) == 1, "Düsseldorf: offline vs restored on 9 January"
    events = _events(timeline)
    for conflict in pfalz + duesseldorf:
        for eid in conflict["events"]:
            assert conflict["id"] in [c["id"] for c in events[eid]["conflicts"]]


def test_few_other_conflicts(timeline: dict[str, Any]) -> None:
    pfalz, duesseldorf = _planted(timeline)
    planted = {c["id"] for c in pfalz + duesseldorf}
    others = [c["description"] for c in timeline["conflicts"] if c["id"] not in planted]
    assert len(others) <= MAX_OTHER_CONFLICTS, others


def test_no_spurious_conflict_kinds(timeline: dict[str, Any]) -> None:
    events = _events(timeline)
    for c in timeline["conflicts"]:
        sides = [events[i] for i in c["events"]]
        # a hedge followed by confirmations is news flow, not a contradiction
        assert not {e["type"] for e in sides} & {"attack", "authority_notified"}, c
