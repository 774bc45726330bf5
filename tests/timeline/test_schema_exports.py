"""timeline.json against its JSON Schema (jsonschema and the built-in fallback) and the CSVs."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from crawler.cli import main
from pipelines.timeline.exports import TIMELINE_COLUMNS, write_exports
from pipelines.timeline.schema import fallback_validate, load_schema, validate


def test_timeline_is_schema_valid(small: dict[str, Any]) -> None:
    assert validate(small) == []
    assert fallback_validate(small, load_schema()) == []


MUTATIONS = [
    ("drop chambers entry", lambda t: t["chambers"].pop()),
    ("bad status", lambda t: t["chambers"][0].update(status="kaputt")),
    ("bad event id", lambda t: t["events"][0].update(id="E1")),
    ("bad polarity", lambda t: t["events"][0].update(polarity="maybe")),
    ("bad source kind", lambda t: t["events"][0]["sources"][0].update(kind="tweet")),
    ("no sources", lambda t: t["events"][0].update(sources=[])),
    ("missing summary", lambda t: t["events"][0].pop("summary")),
    ("extra field", lambda t: t["events"][0].update(colour="red")),
    ("bad review mark", lambda t: t["events"][0].update(review={"action": "maybe"})),
    ("confidence > 1", lambda t: t["events"][0].update(confidence=1.5)),
    ("bad date", lambda t: t["events"][0].update(date="9.1.2024")),
]


@pytest.mark.parametrize(("name", "mutate"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_schema_rejects_and_fallback_agrees(small: dict[str, Any], name: str, mutate: Any) -> None:
    broken = copy.deepcopy(small)
    mutate(broken)
    assert validate(broken), name
    assert fallback_validate(broken, load_schema()), name


def test_check_command(
    tmp_path: Path, small: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "timeline.json"
    good.write_text(json.dumps(small), "utf-8")
    assert main(["timeline", "--check", str(good)]) == 0
    bad = copy.deepcopy(small)
    bad["events"][0]["polarity"] = "maybe"
    good.write_text(json.dumps(bad), "utf-8")
    assert main(["timeline", "--check", str(good)]) == 1
    assert "maybe" in capsys.readouterr().err
    good.write_text("{not json", "utf-8")
    assert main(["timeline", "--check", str(good)]) == 1


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_csv_exports(tmp_path: Path, small: dict[str, Any]) -> None:
    written = write_exports(tmp_path, small)
    assert written == {"timeline.json": 12, "timeline.csv": 12, "chambers.csv": 53}
    assert json.loads((tmp_path / "timeline.json").read_text("utf-8")) == small
    events = read_csv(tmp_path / "timeline.csv")
    assert list(events[0]) == TIMELINE_COLUMNS
    assert [r["id"] for r in events] == [e["id"] for e in small["events"]]
    aachen = next(r for r in events if r["chambers"] == "hwk-aachen" and r["type"] == "outage")
    assert aachen["outlets"] == "Handwerkskammer Aachen | heise online | WDR"
    assert aachen["source_kinds"] == "notice | article | article"
    assert aachen["confidence"] == "0,97" and aachen["states"] == "Nordrhein-Westfalen"
    # a quote starting with "=" is neutralised for Excel
    muenster = next(r for r in events if r["chambers"] == "hwk-muenster")
    assert muenster["quotes"].startswith("'=HYPERLINK(")
    chambers = read_csv(tmp_path / "chambers.csv")
    assert len(chambers) == 53
    flensburg = next(r for r in chambers if r["id"] == "hwk-flensburg")
    assert (flensburg["status"], flensburg["restored_on"]) == ("partially_affected", "2024-01-10")
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temp files
