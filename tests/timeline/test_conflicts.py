"""Contradictions are explicit: polarity conflicts and offline-vs-restored on the same day."""

from __future__ import annotations

import copy
from typing import Any

from tests.timeline.conftest import build_small, chamber, find, small_facts


def test_no_outflow_vs_outflow_not_ruled_out_is_a_conflict(small: dict[str, Any]) -> None:
    (negated,) = find(small, "data_breach", "negated", ["hwk-pfalz"])
    (hedged,) = find(small, "data_breach", "uncertain", ["hwk-pfalz"])
    assert negated["date"] != hedged["date"]  # incident-wide facts conflict across days
    (conflict,) = [c for c in small["conflicts"] if c["kind"] == "polarity"]
    assert conflict["events"] == [negated["id"], hedged["id"]]
    assert conflict["chambers"] == ["hwk-pfalz"] and conflict["type"] == "data_breach"
    assert "Datenabfluss ausgeschlossen" in conflict["description"]
    assert "Datenabfluss nicht auszuschließen" in conflict["description"]
    assert negated["conflicts"][0]["with"] == hedged["id"]
    assert hedged["conflicts"][0]["with"] == negated["id"]
    assert chamber(small, "hwk-pfalz")["conflicts"] == [conflict["id"]]


def test_offline_and_restored_the_same_day_is_a_conflict(small: dict[str, Any]) -> None:
    (down,) = find(small, "outage", "asserted", ["hwk-duesseldorf"])
    (up,) = find(small, "restored", "asserted", ["hwk-duesseldorf"])
    (conflict,) = [c for c in small["conflicts"] if c["kind"] == "status"]
    assert set(conflict["events"]) == {down["id"], up["id"]}
    assert "wieder erreichbar" in conflict["description"]
    # Flensburg: offline 8.1., restored 10.1. is a sequence, not a conflict.
    (fl_down,) = find(small, "outage", "asserted", ["hwk-flensburg"])
    assert fl_down["conflicts"] == [] and len(small["conflicts"]) == 2


def _with_claim(doc_id: str, claim: dict[str, Any]) -> list[dict[str, Any]]:
    facts = small_facts()
    next(f for f in facts if f["doc_id"] == doc_id)["claims"].append(claim)
    return facts


def test_partial_restoration_in_one_source_is_not_a_conflict() -> None:
    facts = small_facts()
    c2 = next(f for f in facts if f["doc_id"] == "t:c2")
    both = copy.deepcopy(c2["claims"][1])
    both["date"] = {"value": "2024-01-10", "precision": "day"}  # "back, but portals still down"
    c2["claims"].append(both)
    tl = build_small(facts=facts)
    assert len(find(tl, "outage", "asserted", ["hwk-flensburg"])) == 2
    assert [c for c in tl["conflicts"] if "hwk-flensburg" in c["chambers"]] == []


def test_hedge_before_confirmation_is_not_a_conflict_but_a_walk_back_is() -> None:
    facts = small_facts()
    n1 = next(f for f in facts if f["doc_id"] == "t:n1")
    a2 = next(f for f in facts if f["doc_id"] == "t:a2")
    early = copy.deepcopy(a2["claims"][0])  # heise (article, 9.1. 15:00) hedges Aachen
    early["polarity"] = "uncertain"
    a2["claims"].append(early)
    tl = build_small(facts=facts)  # assertion by the notice at 11:00 is stronger: no conflict
    assert [c for c in tl["conflicts"] if c["chambers"] == ["hwk-aachen"]] == []
    late = copy.deepcopy(n1["claims"][0])
    late["polarity"] = "uncertain"
    n2 = next(f for f in facts if f["doc_id"] == "t:n2")  # a notice hedges on 11.1.
    late["date"] = {"value": "2024-01-08", "precision": "day"}
    n2["claims"].append(late)
    tl = build_small(facts=facts)
    (conflict,) = [c for c in tl["conflicts"] if c["chambers"] == ["hwk-aachen"]]
    assert conflict["kind"] == "polarity" and conflict["type"] == "outage"


def test_email_outage_does_not_contradict_a_reachable_website() -> None:
    reachable = {
        "type": "outage",
        "polarity": "negated",
        "chambers": ["hwk-braunschweig-lueneburg-stade"],
        "date": None,
        "speaker": None,
        "attribution": None,
        "evidence": {"text": "Die Webseite läuft.", "start": 0, "end": 19},
    }
    tl = build_small(facts=_with_claim("t:n2", reachable))
    assert [c for c in tl["conflicts"] if "hwk-braunschweig-lueneburg-stade" in c["chambers"]] == []
    assert chamber(tl, "hwk-braunschweig-lueneburg-stade")["status"] == "partially_affected"


def test_service_reports_without_chamber_contradict_nothing() -> None:
    def claim(type_: str, polarity: str) -> dict[str, Any]:
        return {
            "type": type_,
            "polarity": polarity,
            "chambers": [],
            "date": {"value": "2024-01-10", "precision": "day"},
            "speaker": None,
            "attribution": None,
            "evidence": {"text": "Einige Kammern sind wieder online.", "start": 0, "end": 34},
        }

    facts = _with_claim("t:a3", claim("restored", "asserted"))
    next(f for f in facts if f["doc_id"] == "t:n2")["claims"].append(claim("outage", "asserted"))
    next(f for f in facts if f["doc_id"] == "t:a1")["claims"].append(claim("outage", "negated"))
    tl = build_small(facts=facts)
    assert len([e for e in tl["events"] if not e["chambers"]]) == 3
    assert [c for c in tl["conflicts"] if not c["chambers"]] == []
