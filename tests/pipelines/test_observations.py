"""The observations table: a time series never overwritten, its export, the
observed outage events, and the pipeline's wait while the store holds a write."""

from __future__ import annotations

from pathlib import Path

from scrapy.utils.test import get_crawler

from crawler.items import Article
from crawler.observations import Observation
from crawler.spiders.chambers import ChambersSpider
from pipelines.observations import (
    ObservationPipeline,
    connect,
    insert,
    observation_rows,
    observed_events,
)
from pipelines.store import Store


def obs(chamber: str, run: int, outcome: str, status: int | None = 200) -> Observation:
    return Observation(
        id=f"{chamber}@run{run}",
        run_id=f"run{run}",
        chamber_id=chamber,
        url=f"https://www.{chamber}.de/",
        observed_at=f"2024-01-{8 + run:02d}T09:00:00+01:00",
        outcome=outcome,
        http_status=status,
        final_url=f"https://www.{chamber}.de/",
        detail=f"run {run}",
        banner="Unsere Homepage ist derzeit nicht erreichbar" if "banner" in outcome else None,
    )


def fill(path: Path, observations: list[Observation]) -> None:
    db = connect(path)
    with db:
        for o in observations:
            insert(db, o)
    db.close()


def test_rows_are_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    first = obs("hwk-aachen", 1, "ok")
    fill(path, [first])
    changed = Observation(**{**first.to_dict(), "outcome": "timeout", "detail": "later"})
    fill(path, [changed, obs("hwk-aachen", 2, "timeout", None)])
    rows = observation_rows(path)
    assert [(r["id"], r["outcome"], r["detail"]) for r in rows] == [
        ("hwk-aachen@run1", "ok", "run 1"),
        ("hwk-aachen@run2", "timeout", "run 2"),
    ]
    assert observation_rows(tmp_path / "missing.db") == []


def test_observed_events(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    fill(
        path,
        [
            obs("a", 0, "ok"),
            obs("a", 1, "redirect_to_banner"),
            obs("a", 2, "not_checked", None),
            obs("a", 3, "redirect_to_banner"),
            obs("a", 4, "timeout", None),
            obs("a", 5, "ok"),
            obs("a", 6, "dns_failure", None),
            obs("b", 2, "http_error", 503),
            obs("b", 3, "http_error", 503),
            obs("c", 1, "ok"),
            obs("c", 2, "ok"),
        ],
    )
    events = observed_events(path)
    assert [(e["chamber"], e["start"], e["end"]) for e in events] == [
        ("a", "2024-01-09T09:00:00+01:00", "2024-01-12T09:00:00+01:00"),
        ("b", "2024-01-10T09:00:00+01:00", "2024-01-11T09:00:00+01:00"),
        ("a", "2024-01-14T09:00:00+01:00", "2024-01-14T09:00:00+01:00"),
    ]
    first, second, last = events
    assert first["type"] == "outage" and first["kind"] == "observation"
    assert first["outcome"] == "redirect_to_banner"
    assert first["outcomes"] == ["redirect_to_banner", "timeout"]
    assert first["observations"] == 3
    assert first["last_ok_before"] == "2024-01-08T09:00:00+01:00"
    assert first["restored_observed"] == "2024-01-13T09:00:00+01:00"
    assert first["ongoing"] is False
    assert [e["observation_id"] for e in first["evidence"]] == ["a@run1", "a@run4"]
    assert first["evidence"][0]["banner"] == "Unsere Homepage ist derzeit nicht erreichbar"
    assert second["last_ok_before"] is None and second["ongoing"] is True
    assert [e["http_status"] for e in second["evidence"]] == [503, 503]
    assert last["ongoing"] is True and last["outcome"] == "dns_failure"
    assert first["id"] == "observation:a:2024-01-09T09:00:00+01:00"


def test_pipeline_waits_for_the_store_and_exports(tmp_path: Path) -> None:
    crawler = get_crawler(
        ChambersSpider, {"KW_OUT_DIR": str(tmp_path), "KW_DB_PATH": str(tmp_path / "k.db")}
    )
    assert crawler.stats is not None
    pipeline = ObservationPipeline.from_crawler(crawler)
    store = Store(tmp_path / "k.db")
    pipeline.open_spider()
    pipeline.process_item(obs("hwk-koeln", 1, "ok"))
    assert len(observation_rows(tmp_path / "k.db")) == 1
    # the store writes without committing: the next observation has to wait
    store.upsert(Article(id="x", url="u", canonical_url="u", source="s", title="t"))
    pipeline.process_item(obs("hwk-koeln", 2, "banner_page"))
    assert [o.id for o in pipeline.pending] == ["hwk-koeln@run2"]
    store.close()
    pipeline.spider_closed()
    assert [r["id"] for r in observation_rows(tmp_path / "k.db")] == [
        "hwk-koeln@run1",
        "hwk-koeln@run2",
    ]
    lines = (tmp_path / "observations.csv").read_text("utf-8-sig").splitlines()
    assert lines[0].split(";")[:6] == [
        "id",
        "run_id",
        "chamber_id",
        "url",
        "observed_at",
        "outcome",
    ]
    assert len(lines) == 3
    assert crawler.stats.get_value("kw/observations/stored") == 2
    assert crawler.stats.get_value("kw/observations/banner_page") == 1


def test_spider_adds_its_pipeline() -> None:
    crawler = get_crawler(
        ChambersSpider, {"ITEM_PIPELINES": {"pipelines.store.StorePipeline": 300}}
    )
    assert crawler.settings.getdict("ITEM_PIPELINES") == {
        "pipelines.store.StorePipeline": 300,
        "pipelines.observations.ObservationPipeline": 350,
    }


def test_observed_outages_become_timeline_events(tmp_path: Path) -> None:
    from pipelines.timeline.cli import build_outputs

    out = tmp_path / "out"
    out.mkdir()
    Store(out / "kammerwatch.db").close()
    fill(
        out / "kammerwatch.db",
        [
            obs("hwk-dortmund", 0, "ok"),
            obs("hwk-dortmund", 1, "redirect_to_banner"),
            obs("hwk-dortmund", 2, "redirect_to_banner"),
            obs("hwk-dortmund", 3, "ok"),
        ],
    )
    timeline, errors = build_outputs(out, generated_at="2024-01-20T00:00:00+01:00")
    assert errors == []
    observed = [
        e for e in timeline["events"] if any(s["kind"] == "observation" for s in e["sources"])
    ]
    assert {(e["type"], e["date"], tuple(e["chambers"])) for e in observed} == {
        ("outage", "2024-01-09", ("hwk-dortmund",)),
        ("restored", "2024-01-11", ("hwk-dortmund",)),
    }
    dortmund = next(c for c in timeline["chambers"] if c["id"] == "hwk-dortmund")
    assert dortmund["status"] in ("affected", "partially_affected")
