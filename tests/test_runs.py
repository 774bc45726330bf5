"""Run reports, ``kammerwatch diff`` and the progress bar (issue 6, point 3)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from crawler.cli import main
from crawler.commands import (
    diff_snapshots,
    run_reports,
    summarise,
    timeline_snapshot,
    write_run_report,
)
from crawler.progress import progress, render

STATS: dict[str, Any] = {
    "downloader/response_count": 42,
    "kw/store/article/new": 3,
    "kw/store/article/changed": 1,
    "kw/store/article/unchanged": 7,
    "kw/store/comment/new": 12,
    "kw/store/comment/unchanged": 30,
    "kw/store/comment/deleted": 2,
    "kw/errors/timeout": 2,
    "kw/errors/http_5xx": 1,
    "finish_reason": "finished",
}


def event(eid: str, polarity: str = "asserted", sources: tuple[str, ...] = ("d1",)) -> dict:
    return {
        "id": eid,
        "type": "outage",
        "date": "2024-01-09",
        "polarity": polarity,
        "chambers": ["hwk-koeln"],
        "sources": [{"doc_id": s} for s in sources],
        "summary": f"Ausfall {eid}",
        "review": None,
    }


def write_timeline(out: Path, events: list[dict], chambers: dict[str, str]) -> None:
    timeline = {
        "events": events,
        "chambers": [{"id": cid, "status": status} for cid, status in chambers.items()],
    }
    (out / "timeline.json").write_text(json.dumps(timeline), encoding="utf-8")


OLD_EVENTS = [event("ev-000000000001"), event("ev-000000000002"), event("ev-000000000003")]
NEW_EVENTS = [
    event("ev-000000000001"),  # unchanged
    event("ev-000000000002", polarity="negated", sources=("d1", "d2")),  # changed
    event("ev-000000000004"),  # new; 3 removed
]


@pytest.fixture
def two_runs(tmp_path: Path) -> Path:
    write_timeline(tmp_path, OLD_EVENTS, {"hwk-koeln": "affected", "hwk-trier": "unknown"})
    write_run_report(str(tmp_path), {"finish_reason": "finished"}, command="run")
    before = timeline_snapshot(tmp_path / "timeline.json")
    write_timeline(tmp_path, NEW_EVENTS, {"hwk-koeln": "affected", "hwk-trier": "affected"})
    write_run_report(str(tmp_path), STATS, command="run --live", before=before)
    return tmp_path


def test_report_has_the_figures(two_runs: Path) -> None:
    reports = run_reports(str(two_runs))
    assert len(reports) == 2  # snapshots live in runs/timeline/, not next to the reports
    report = json.loads(reports[-1].read_text("utf-8"))
    assert report["command"] == "run --live"
    assert report["pages_fetched"] == 42
    assert report["articles"] == {"new": 3, "changed": 1, "unchanged": 7}
    assert report["comments"] == {"new": 12, "changed": 0, "unchanged": 30, "deleted": 2}
    assert report["events"] == {"new": 1, "changed": 1, "removed": 1}
    assert report["errors"] == {"timeout": 2, "http_5xx": 1}
    assert report["stats"]["kw/errors/timeout"] == 2
    assert report["kw/errors/timeout"] == 2  # the flat stats of older readers
    assert report["started"] <= report["finished"]
    assert 0 <= report["seconds"] < 60
    snapshot = json.loads((two_runs / "runs" / report["timeline_snapshot"]).read_text("utf-8"))
    assert sorted(snapshot["events"]) == ["ev-000000000001", "ev-000000000002", "ev-000000000004"]
    assert snapshot["chambers"]["hwk-trier"] == "affected"


def test_first_report_counts_no_change(two_runs: Path) -> None:
    first = json.loads(run_reports(str(two_runs))[0].read_text("utf-8"))
    assert first["events"] == {"new": 0, "changed": 0, "removed": 0}
    assert first["articles"] == {"new": 0, "changed": 0, "unchanged": 0}


def test_diff_snapshots() -> None:
    old = {"events": {"a": {"hash": "1", "polarity": "asserted"}}, "chambers": {"k": "unknown"}}
    new = {
        "events": {"a": {"hash": "2", "polarity": "negated"}, "b": {"hash": "3"}},
        "chambers": {"k": "affected"},
    }
    delta = diff_snapshots(old, new)
    assert delta == {
        "new": ["b"],
        "removed": [],
        "changed": {"a": ["polarity"]},
        "chambers": {"k": ["unknown", "affected"]},
    }
    assert diff_snapshots(new, new) == {"new": [], "removed": [], "changed": {}, "chambers": {}}


def test_diff_command_defaults_to_the_last_two(
    two_runs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "--out", str(two_runs)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "events: 1 new, 1 changed, 1 removed; chambers: 1 changed status"
    assert "+ ev-000000000004 2024-01-09 outage asserted [hwk-koeln] 1 sources" in lines
    assert "- ev-000000000003 2024-01-09 outage asserted [hwk-koeln] 1 sources" in lines
    assert "~ ev-000000000002 polarity asserted -> negated; sources +1 -0" in lines
    assert "chamber hwk-trier: unknown -> affected" in lines


def test_diff_command_takes_two_named_runs(
    two_runs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = run_reports(str(two_runs))
    assert main(["diff", "--out", str(two_runs), second.stem, first.stem]) == 0
    out = capsys.readouterr().out
    assert "events: 1 new, 1 changed, 1 removed" in out
    assert "+ ev-000000000003" in out  # reversed direction
    assert main(["diff", "--out", str(two_runs), "nonesuch", first.stem]) == 2
    assert "nonesuch: no such run report" in capsys.readouterr().err


def test_diff_needs_two_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--out", str(tmp_path)]) == 2
    assert "fewer than two run reports" in capsys.readouterr().err


def test_summary_lines() -> None:
    text = summarise(STATS).splitlines()
    assert text == [
        "pages fetched: 42",
        "articles: 3 new, 1 changed, 7 unchanged",
        "comments: 12 new, 0 changed, 30 unchanged, 2 deleted",
        "errors: http_5xx=1, timeout=2",
    ]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal() -> None:
    pipe = io.StringIO()
    assert list(progress(range(3), total=3, label="extract", stream=pipe)) == [0, 1, 2]
    assert pipe.getvalue() == ""
    tty = FakeTerminal()
    assert list(progress(range(3), total=3, label="extract", stream=tty, interval=0)) == [0, 1, 2]
    last = tty.getvalue().rstrip("\n").rsplit("\r", 1)[-1]
    assert last.startswith("extract 100% |" + "█" * 24 + "| 3/3 ")
    assert render(1, 4, "t", 0.0) == "t  25% |" + "█" * 6 + " " * 18 + "| 1/4 0.0 s"
