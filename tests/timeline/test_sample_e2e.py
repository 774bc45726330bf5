"""End to end on the bundled sample corpus: crawl the archive, timeline from hand-written facts.

The facts (data/sample_facts.jsonl) follow tests/fixtures/sample_expected.json
claim by claim; the assertions are the corpus' documented truth: affected,
partly hit and not-affected chambers, restorations, the republished agency
copy, the two deliberate conflicts, and Südwestfalen-IT kept out.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from crawler.cli import main
from crawler.sample import ARCHIVE
from pipelines.store import Store
from pipelines.timeline.browse import metadata
from pipelines.timeline.cli import run_stage
from pipelines.timeline.schema import check_file
from tests.crawlrun import crawl
from tests.timeline.sample_facts import FIXTURE, build, read_jsonl

EXPECTED = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "sample_expected.json").read_text("utf-8")
)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    result = crawl("--archive", str(ARCHIVE), out=out)
    assert result.returncode == 0, result.stderr[-2000:]
    assert main(["timeline", "--out", str(out), "--facts", str(FIXTURE)]) == 0
    return out


@pytest.fixture(scope="module")
def timeline(run: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run / "timeline.json").read_text("utf-8"))
    return data


def events(
    tl: dict[str, Any], type_: str, polarity: str, chamber: str | None
) -> list[dict[str, Any]]:
    want = [chamber] if chamber else []
    return [
        e
        for e in tl["events"]
        if (e["type"], e["polarity"], e["chambers"]) == (type_, polarity, want)
    ]


def test_fixture_is_in_sync_with_the_crawled_texts(run: Path) -> None:
    assert build(run) == read_jsonl(FIXTURE)


def test_fixture_has_the_nlp_facts_format() -> None:
    schema_path = Path(__file__).parents[2] / "pipelines" / "nlp" / "data" / "facts.schema.json"
    if not schema_path.exists():
        pytest.skip("NLP stage not installed")
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(json.loads(schema_path.read_text("utf-8")))
    for facts in read_jsonl(FIXTURE):
        for claim in facts["claims"]:
            claim.pop("incident", None)  # the documented alternative to dropping
        assert list(validator.iter_errors(facts)) == [], facts["doc_id"]


def test_outputs_are_written_and_valid(run: Path, timeline: dict[str, Any]) -> None:
    for name in ("timeline.json", "timeline.csv", "chambers.csv", "report.html", "datasette.json"):
        assert (run / name).stat().st_size > 500, name
    assert check_file(run / "timeline.json") == []
    assert len(timeline["sources"]) == 49 and timeline["stats"]["claims_read"] == 138


def test_chamber_statuses_match_the_corpus(timeline: dict[str, Any]) -> None:
    status = {c["id"]: c["status"] for c in timeline["chambers"]}
    affected = {cid for d in EXPECTED["documents"] for cid in d["affected_chambers"]}
    not_affected = {cid for d in EXPECTED["documents"] for cid in d["not_affected_chambers"]}
    not_affected.add("hwk-luebeck")  # named only in a comment
    assert {c for c, s in status.items() if s in ("affected", "partially_affected")} == affected
    assert {c for c, s in status.items() if s == "not_affected"} == not_affected
    assert {c for c, s in status.items() if s == "partially_affected"} == {
        "hwk-braunschweig-lueneburg-stade",  # only e-mail
        "hwk-flensburg",  # offline Monday to Wednesday morning
    }
    assert sum(1 for s in status.values() if s == "unknown") == 53 - 13


def test_restorations_and_outage_start(timeline: dict[str, Any]) -> None:
    chambers = {c["id"]: c for c in timeline["chambers"]}
    restored = {cid: c["restored_on"] for cid, c in chambers.items() if c["restored_on"]}
    assert restored == {
        "hwk-flensburg": "2024-01-10",
        "hwk-koeln": "2024-01-12",
        "hwk-aachen": "2024-01-16",
        "hwk-duesseldorf": "2024-01-09",  # reported by heise, contested
    }
    assert chambers["hwk-aachen"]["outage_since"] == "2024-01-08"
    assert chambers["hwk-aachen"]["outage_first_reported"] == "2024-01-09T09:34:00+01:00"
    assert chambers["hwk-duesseldorf"]["conflicts"] and not chambers["hwk-koeln"]["conflicts"]


def test_the_deliberate_conflicts_and_nothing_else(timeline: dict[str, Any]) -> None:
    found = {(tuple(c["chambers"]), c["kind"], c["type"]) for c in timeline["conflicts"]}
    assert found == {
        (("hwk-pfalz",), "polarity", "data_breach"),
        (("hwk-duesseldorf",), "status", "outage/restored"),
    }
    (negated,) = events(timeline, "data_breach", "negated", "hwk-pfalz")
    assert [s["outlet"] for s in negated["sources"]] == ["Die Rheinpfalz"]
    assert negated["sources"][0]["speaker"] == "Christian Vogt"


def test_attack_event_merges_sources_and_counts_the_agency_copy_once(
    timeline: dict[str, Any],
) -> None:
    (attack,) = events(timeline, "attack", "asserted", None)
    assert attack["date"] == "2024-01-05" and attack["date_precision"] == "day"
    ids = {s["doc_id"] for s in attack["sources"]}
    assert {"pnp.de:url:711d4119c6b3e858", "rheinpfalz.de:url:0c8c207d4f7ad7cb"} <= ids
    assert attack["source_count"] == 13 and attack["independent_sources"] == 10
    copy = next(s for s in timeline["sources"] if s["id"] == "rheinpfalz.de:url:0c8c207d4f7ad7cb")
    assert copy["duplicate_of"] == "pnp.de:url:711d4119c6b3e858"
    assert attack["summary"].startswith(
        "Der IT-Dienstleister ODAV AG wurde Ziel eines Cyberangriffs (laut Handwerkskammer Aachen, "
        "9. Januar 2024"
    )


def test_other_incident_and_comment_only(timeline: dict[str, Any]) -> None:
    assert all(e["date"] >= "2024" for e in timeline["events"])
    assert timeline["stats"]["claims_other_incident"] == 2
    assert timeline["stats"]["claims_outside_window"] == 1
    (luebeck,) = events(timeline, "outage", "negated", "hwk-luebeck")
    assert luebeck["comment_only"] and "nur in Leserkommentaren" in luebeck["summary"]
    (week,) = events(timeline, "services_continue", "uncertain", None)
    assert (week["date"], week["date_precision"]) == ("2024-W03", "week")


def test_datasette_layout(run: Path) -> None:
    meta = metadata()
    assert json.loads((run / "datasette.json").read_text("utf-8")) == meta
    tables = meta["databases"]["kammerwatch"]["tables"]
    db = sqlite3.connect(run / "kammerwatch.db")
    names = {
        n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view')")
    }
    assert set(tables) <= names
    for table, spec in tables.items():
        columns = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        for facet in spec.get("facets", []):
            column = facet if isinstance(facet, str) else next(iter(facet.values()))
            assert column in columns, (table, column)
        for key in ("sort", "sort_desc", "label_column"):
            assert spec.get(key, "id") in columns | {"id"}, (table, key)
    count = db.execute(
        "SELECT count(*) FROM timeline_chambers WHERE status = 'affected'"
    ).fetchone()
    assert count == (7,)
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 14 + 56
    db.close()


def test_review_survives_a_full_rerun(run: Path, timeline: dict[str, Any]) -> None:
    (heise,) = events(timeline, "restored", "asserted", "hwk-duesseldorf")
    (aachen,) = [
        e for e in events(timeline, "outage", "asserted", "hwk-aachen") if e["date"] == "2024-01-08"
    ]
    (run / "review.yaml").write_text(
        f"reviewer: A. Analystin\nevents:\n  {heise['id']}: reject\n"
        f"  {aachen['id']}: {{action: confirm, note: Aushang gesehen}}\n"
        "chambers:\n  hwk-duesseldorf: {action: confirm}\n",
        "utf-8",
    )
    again = crawl("--archive", str(ARCHIVE), out=run)  # re-crawl: store rows updated
    assert again.returncode == 0
    with Store(run / "kammerwatch.db") as store:  # re-extraction: facts now from the store
        store.replace_facts(read_jsonl(FIXTURE))
    assert run_stage(str(run)) == 0
    tl = json.loads((run / "timeline.json").read_text("utf-8"))
    assert sorted(tl["review"]["applied"]) == sorted([heise["id"], aachen["id"], "hwk-duesseldorf"])
    assert events(tl, "restored", "asserted", "hwk-duesseldorf") == []
    assert [c["kind"] for c in tl["conflicts"]] == ["polarity"]
    confirmed = next(e for e in tl["events"] if e["id"] == aachen["id"])
    assert confirmed["review"]["reviewer"] == "A. Analystin"
    page = (run / "report.html").read_text("utf-8")
    assert "bestätigt: A. Analystin" in page and "Bei der Prüfung verworfen (1)" in page
