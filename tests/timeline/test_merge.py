"""Merging facts into events: ids, precision reconciliation, weights, other incidents."""

from __future__ import annotations

import copy
import hashlib
import random
from datetime import date
from typing import Any

from pipelines.timeline.dates import date_range, german_date
from pipelines.timeline.duplicates import find_duplicates, jaccard, shingles
from pipelines.timeline.events import event_id
from tests.timeline.conftest import build_small, chamber, find, small_documents, small_facts


def test_event_id_is_a_hash_of_type_polarity_sorted_chambers_and_bucket() -> None:
    key = "outage|asserted|hwk-aachen,hwk-koeln|2024-01-08"
    want = "ev-" + hashlib.sha1(key.encode()).hexdigest()[:12]
    assert event_id("outage", "asserted", ["hwk-koeln", "hwk-aachen"], "2024-01-08") == want


def test_ids_do_not_depend_on_input_order(small: dict[str, Any]) -> None:
    facts = small_facts()
    random.Random(7).shuffle(facts)
    for fact in facts:
        fact["claims"].reverse()
    shuffled = build_small(facts=facts, docs=list(reversed(small_documents())))
    assert [e["id"] for e in shuffled["events"]] == [e["id"] for e in small["events"]]
    assert [e["summary"] for e in shuffled["events"]] == [e["summary"] for e in small["events"]]


def test_same_happening_from_many_sources_is_one_event_with_day_inside_week(
    small: dict[str, Any],
) -> None:
    (aachen,) = find(small, "outage", "asserted", ["hwk-aachen"])
    # notice (day 2024-01-08) + WDR (week 2024-W02) + heise (undated, published 9.1.)
    assert aachen["date"] == "2024-01-08" and aachen["date_precision"] == "day"
    assert [s["doc_id"] for s in aachen["sources"]] == ["t:n1", "t:a2", "t:a1"]
    assert aachen["id"] == event_id("outage", "asserted", ["hwk-aachen"], "2024-01-08")
    assert event_id("outage", "asserted", ["hwk-aachen"], "2024-W02") in aachen["aliases"]
    assert event_id("outage", "asserted", ["hwk-aachen"], "2024-01-09") in aachen["aliases"]
    # Dortmund only has the week report: the event keeps week precision.
    (dortmund,) = find(small, "outage", "asserted", ["hwk-dortmund"])
    assert (dortmund["date"], dortmund["date_precision"]) == ("2024-W02", "week")


def test_weights_notice_over_article_over_comment(small: dict[str, Any]) -> None:
    (aachen,) = find(small, "outage", "asserted", ["hwk-aachen"])
    assert [s["kind"] for s in aachen["sources"]] == ["notice", "article", "article"]
    assert aachen["confidence"] == round(1 - 0.2 * 0.4 * 0.4, 2) == 0.97
    notice_only = find(small, "data_breach", "uncertain", ["hwk-aachen"])[0]
    article_only = find(small, "outage", "asserted", ["hwk-dortmund"])[0]
    comment_only = find(small, "outage", "negated", ["hwk-luebeck"])[0]
    assert notice_only["confidence"] > article_only["confidence"] > comment_only["confidence"]
    assert (comment_only["comment_only"], article_only["comment_only"]) == (True, False)
    assert "nur in Leserkommentaren berichtet" in comment_only["summary"]
    assert "Leserkommentar" not in article_only["summary"]


def test_german_summary_sentence(small: dict[str, Any]) -> None:
    (dortmund,) = find(small, "outage", "asserted", ["hwk-dortmund"])
    assert dortmund["summary"] == (
        "Die Website der Handwerkskammer Dortmund war nicht erreichbar (laut WDR, 9. Januar 2024)."
    )
    (braunschweig,) = find(small, "outage", "asserted", ["hwk-braunschweig-lueneburg-stade"])
    assert braunschweig["scope"] == "email"
    assert braunschweig["summary"].startswith(
        "Bei der Handwerkskammer Braunschweig-Lüneburg-Stade waren nur die E-Mail-Postfächer "
        "gestört"
    )


def test_republished_copy_is_not_an_independent_source(small: dict[str, Any]) -> None:
    copies = {s["id"]: s["duplicate_of"] for s in small["sources"]}
    assert copies["t:a4"] == "t:a3" and copies["t:a3"] is None
    (negated,) = find(small, "data_breach", "negated", ["hwk-pfalz"])
    assert negated["source_count"] == 2 and negated["independent_sources"] == 1
    assert small["stats"]["republished_copies"] == 1


def test_shingle_jaccard_tells_copies_from_neighbours() -> None:
    docs = {d["id"]: d["text"] for d in small_documents()}
    sim = jaccard(shingles(docs["t:a3"]), shingles(docs["t:a4"]))
    assert 0.8 < sim < 1.0
    assert jaccard(shingles(docs["t:a3"]), shingles(docs["t:n2"])) == 0.0
    from pipelines.timeline.documents import Document

    a = Document(
        "a", "article", "u", "x.de", "X", published="2024-01-02T00:00:00+01:00", text=docs["t:a3"]
    )
    b = Document(
        "b", "article", "u", "y.de", "Y", published="2024-01-01T00:00:00+01:00", text=docs["t:a4"]
    )
    assert find_duplicates([a, b]) == {"a": ("b", round(sim, 3))}  # the earlier one is the original


def test_other_incidents_stay_out(small: dict[str, Any]) -> None:
    assert not [e for e in small["events"] if e["type"] == "attack"]
    assert small["stats"]["claims_other_incident"] == 1  # marked "incident": "other"
    assert small["stats"]["claims_outside_window"] == 1  # dated October 2023
    facts = small_facts()
    b1 = next(f for f in facts if f["doc_id"] == "t:b1")
    b1["claims"][0]["date"] = None  # undated, but its evidence names Südwestfalen-IT
    again = build_small(facts=facts)
    assert not [e for e in again["events"] if e["type"] == "attack"]
    assert again["stats"]["claims_other_incident"] == 2


def test_undated_claim_joins_latest_earlier_event_or_is_dated_by_publication() -> None:
    facts = small_facts()
    c2 = next(f for f in facts if f["doc_id"] == "t:c2")
    undated = copy.deepcopy(c2["claims"][1])
    undated["date"] = None
    c2["claims"].append(undated)  # same comment, no date: joins the 8 January outage
    tl = build_small(facts=facts)
    (flensburg,) = find(tl, "outage", "asserted", ["hwk-flensburg"])
    assert flensburg["date"] == "2024-01-08" and flensburg["source_count"] == 1
    (luebeck,) = find(tl, "outage", "negated", ["hwk-luebeck"])
    assert (luebeck["date"], luebeck["date_inferred"]) == ("2024-01-09", True)


def test_all_53_chambers_with_status(small: dict[str, Any]) -> None:
    assert len(small["chambers"]) == 53
    statuses = {c["id"]: c["status"] for c in small["chambers"] if c["status"] != "unknown"}
    assert statuses == {
        "hwk-aachen": "affected",
        "hwk-dortmund": "affected",
        "hwk-duesseldorf": "affected",
        "hwk-braunschweig-lueneburg-stade": "partially_affected",  # e-mail only
        "hwk-flensburg": "partially_affected",  # offline 8.1., back 10.1.
        "hwk-muenster": "not_affected",
        "hwk-luebeck": "not_affected",
    }
    aachen = chamber(small, "hwk-aachen")
    assert aachen["outage_since"] == "2024-01-08"
    assert aachen["outage_first_reported"] == "2024-01-09T11:00:00+01:00"
    assert aachen["evidence_count"] == 3 and aachen["state"] == "Nordrhein-Westfalen"
    flensburg = chamber(small, "hwk-flensburg")
    assert (flensburg["restored_on"], flensburg["restored_reported"]) == (
        "2024-01-10",
        "2024-01-10T08:10:00+01:00",
    )
    assert chamber(small, "hwk-berlin")["status_reason"] == "keine Angaben"


def test_date_helpers() -> None:
    assert date_range("2024-W02", "week") == (date(2024, 1, 8), date(2024, 1, 14))
    assert date_range("2024-02", "month")[1].day == 29  # type: ignore[index]
    assert date_range("2024-13-01", "day") is None and date_range("x", "week") is None
    assert german_date("2024-01-09", "day") == "9. Januar 2024"
    assert german_date("2024-W02", "week") == "KW 2/2024"
    assert german_date("2024-03", "month") == "März 2024"


def test_incident_window_and_version(small: dict[str, Any]) -> None:
    assert small["incident"]["provider"] == "ODAV AG"
    assert small["incident"]["window"] == {"start": "2024-01-08", "end": "2024-01-14"}
    assert small["generated_at"] == "2024-02-01T10:00:00+01:00"
    assert small["version"] and small["schema_version"] == "1"
    days = [date_range(e["date"], e["date_precision"])[0] for e in small["events"]]  # type: ignore[index]
    assert days == sorted(days)
