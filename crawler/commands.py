"""Crawl subcommands of ``kammerwatch``: ``crawl``, ``run``, ``export`` and ``diff``.

``crawl`` fetches URLs (live, recording a WARC) or replays a WARC;
``run`` is the main job: crawl (by default the bundled sample archive), then
the later stages that are installed (NLP extraction, timeline), then exports.
Every crawl and run writes a run report ``<out>/runs/<time>.json`` (figures,
errors by kind, all Scrapy stats) and a snapshot of the timeline's events
(``<out>/runs/timeline/<time>.json``) that ``diff`` compares between two runs.
Live runs are incremental (:mod:`crawler.incremental`).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import importlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from crawler.archive import ArchiveError, WarcArchive
from crawler.dates import now_iso
from crawler.jobqueue import drop_damaged_queue

SAMPLE_ARCHIVE = "data/sample.warc.gz"


def sample_archive_path() -> Path:
    return Path(str(resources.files("crawler").joinpath(SAMPLE_ARCHIVE)))


def _settings_pairs(values: list[str]) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key:
            raise SystemExit(f"kammerwatch: error: -s takes KEY=VALUE, got {value!r}")
        pairs[key] = val
    return pairs


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="output", help="output directory (default: output/)")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue a crawl that was killed (its queue is kept in DIR/job/)",
    )
    parser.add_argument(
        "-s", "--set", action="append", default=[], metavar="KEY=VALUE", help="Scrapy setting"
    )


def register(subparsers: Any) -> None:
    crawl = subparsers.add_parser(
        "crawl", help="crawl article URLs (live) or every page of a WARC archive"
    )
    crawl.add_argument("urls", nargs="*", help="article or blog post URLs")
    crawl.add_argument("--urls-file", help="read more URLs from this file, one per line")
    crawl.add_argument("--archive", help="replay this WARC (.warc or .warc.gz) instead of the web")
    crawl.add_argument(
        "--spider", default="auto", choices=["auto", "wordpress", "news"], help="force a path"
    )
    crawl.add_argument(
        "--no-warc", action="store_true", help="do not record a WARC of live fetches"
    )
    crawl.add_argument(
        "--resumable",
        action="store_true",
        help="keep the request queue on disk (DIR/job/) so a killed crawl can --resume "
        "(always on for `run`; it costs about a millisecond a request)",
    )
    crawl.add_argument(
        "--incremental",
        action="store_true",
        help="conditional requests; skip unchanged pages unless their comment thread is due "
        "(always on for `run --live`)",
    )
    _common(crawl)
    crawl.set_defaults(func=cmd_crawl)

    run = subparsers.add_parser("run", help="the main job: crawl, extract, timeline, exports")
    source = run.add_mutually_exclusive_group()
    source.add_argument("--archive", help="WARC to replay (default: the bundled sample archive)")
    source.add_argument("--live", action="store_true", help="crawl the configured sources live")
    run.add_argument(
        "--full",
        action="store_true",
        help="with --live: fetch and parse every page again (no conditional requests)",
    )
    _common(run)
    run.set_defaults(func=cmd_run)

    export = subparsers.add_parser("export", help="write JSONL and CSV exports from the store")
    export.add_argument("--out", default="output", help="output directory (default: output/)")
    export.set_defaults(func=cmd_export)

    diff = subparsers.add_parser(
        "diff", help="what changed in the timeline between two runs (default: the last two)"
    )
    diff.add_argument("runs", nargs="*", metavar="RUN", help="run reports (file, name or prefix)")
    diff.add_argument("--out", default="output", help="output directory (default: output/)")
    diff.set_defaults(func=cmd_diff)


def _check_archive(path: str) -> WarcArchive | None:
    try:
        archive = WarcArchive(path)
    except ArchiveError as exc:
        print(f"kammerwatch: error: {exc}", file=sys.stderr)
        return None
    if archive.truncated:
        print(f"kammerwatch: warning: {path}: truncated {archive.truncated}", file=sys.stderr)
    return archive


def _check_store(out: str, overrides: dict[str, str]) -> bool:
    """Open (and create) the store before Scrapy starts: a bad file is one clear line."""
    from pipelines.store import Store, StoreError

    path = overrides.get("KW_DB_PATH") or str(Path(out) / "kammerwatch.db")
    try:
        Store(path).close()
    except StoreError as exc:
        print(f"kammerwatch: error: {exc}", file=sys.stderr)
        return False
    return True


def crawl(
    urls: list[str],
    out: str,
    *,
    archive: str | None = None,
    spider: str = "auto",
    record_warc: bool = True,
    overrides: dict[str, str] | None = None,
    resume: bool = False,
    resumable: bool = True,
) -> dict[str, Any]:
    """Run one crawl in this process; returns the Scrapy stats."""
    kwargs: dict[str, Any] = {"urls": urls}
    if archive:
        kwargs["archive"] = archive
        spider = "auto"
    return crawl_many(
        [(spider, kwargs)],
        out,
        record_warc=record_warc and not archive,
        overrides=overrides,
        resume=resume,
        resumable=resumable,
    )


def crawl_many(
    specs: list[tuple[str, dict[str, Any]]],
    out: str,
    *,
    record_warc: bool = True,
    overrides: dict[str, str] | None = None,
    resume: bool = False,
    resumable: bool = True,
) -> dict[str, Any]:
    """Run several spiders side by side in this process; returns their summed stats.

    When ``resumable``, each spider's request queue lives in ``<out>/job/<spider>``
    (Scrapy's JOBDIR) while it runs, so a killed crawl can go on with
    ``resume=True``; a fresh crawl starts with empty queues, and a finished one
    removes them.  Either way a resumed crawl asks again for every start URL
    whose document is not in the store yet (see ``KW_RESUME``).
    """
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.set("KW_OUT_DIR", out, priority="cmdline")
    settings.set("KW_WARC_RECORD", record_warc, priority="cmdline")
    settings.set("KW_RESUME", resume, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    Path(out).mkdir(parents=True, exist_ok=True)
    jobs = Path(out) / "job"
    if not resume and jobs.exists():
        shutil.rmtree(jobs)
    if resume:
        for name, _ in specs:
            damaged = drop_damaged_queue(jobs / name)
            if damaged:
                path, problem = damaged[0]
                print(
                    f"kammerwatch: the request queue of the killed crawl is damaged ({path}: "
                    f"{problem}); dropped it, every document not stored yet is requested again"
                )
    process = CrawlerProcess(settings)
    crawlers = []
    for name, kwargs in specs:
        crawler = process.create_crawler(name)
        if resumable or resume:
            crawler.settings.set("JOBDIR", str(jobs / name), priority="cmdline")  # its own copy
        process.crawl(crawler, **kwargs)
        crawlers.append(crawler)
    process.start()
    stats = merge_stats([dict(c.stats.get_stats()) if c.stats else {} for c in crawlers])
    if stats.get("finish_reason") == "finished":
        shutil.rmtree(jobs, ignore_errors=True)
    return stats


def merge_stats(all_stats: list[dict[str, Any]]) -> dict[str, Any]:
    """Numbers summed, everything else from the first crawl; finished only if all did."""
    if len(all_stats) == 1:
        return all_stats[0]
    merged: dict[str, Any] = {}
    for stats in all_stats:
        for key, value in stats.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                merged[key] = merged.get(key, 0) + value
            else:
                merged.setdefault(key, value)
    reasons = {stats.get("finish_reason") for stats in all_stats}
    merged["finish_reason"] = "finished" if reasons == {"finished"} else ",".join(map(str, reasons))
    return merged


def summarise(stats: dict[str, Any]) -> str:
    """The short summary printed after a crawl (the figures of the run report)."""

    def get(kind: str, status: str) -> int:
        return int(stats.get(f"kw/store/{kind}/{status}", 0))

    errors = error_counts(stats)
    lines = [
        f"pages fetched: {pages_fetched(stats)}",
        f"articles: {get('article', 'new')} new, {get('article', 'changed')} changed, "
        f"{get('article', 'unchanged')} unchanged",
        f"comments: {get('comment', 'new')} new, {get('comment', 'changed')} changed, "
        f"{get('comment', 'unchanged')} unchanged, {get('comment', 'deleted')} deleted",
    ]
    skipped = int(stats.get("kw/incremental/not_modified", 0)) + int(
        stats.get("kw/incremental/same_body", 0)
    )
    if skipped:
        lines.append(f"unchanged pages not re-parsed: {skipped}")
    if errors:
        lines.append("errors: " + ", ".join(f"{k}={v}" for k, v in sorted(errors.items())))
    return "\n".join(lines)


def pages_fetched(stats: dict[str, Any]) -> int:
    """HTTP responses of the run (304s included; replayed archive records too)."""
    value = stats.get("downloader/response_count", stats.get("response_received_count", 0))
    return int(value) if isinstance(value, int | float) else 0


def precise_now() -> str:
    """Now in Europe/Berlin, ISO 8601 with milliseconds (run report times)."""
    from crawler.dates import BERLIN

    return datetime.now(UTC).astimezone(BERLIN).isoformat(timespec="milliseconds")


def error_counts(stats: dict[str, Any]) -> dict[str, int]:
    """``kw/errors/<kind>`` stats as ``{kind: n}``."""
    return {
        k.split("/", 2)[-1]: int(v)
        for k, v in stats.items()
        if k.startswith("kw/errors/") and isinstance(v, int | float)
    }


# -- run reports and timeline snapshots ------------------------------------------------------
def _sha1(value: Any) -> str:
    payload = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


def timeline_snapshot(path: Path) -> dict[str, Any]:
    """What a run report keeps of ``timeline.json``: per event its type, date, polarity,
    chambers, source documents and a hash of the whole event; per chamber its status.
    Empty (no events, no chambers) when the file is missing or unreadable."""
    try:
        timeline = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {"events": {}, "chambers": {}}
    events: dict[str, Any] = {}
    for event in timeline.get("events") or []:
        if not isinstance(event, dict) or not event.get("id"):
            continue
        events[str(event["id"])] = {
            "type": event.get("type"),
            "date": event.get("date"),
            "polarity": event.get("polarity"),
            "chambers": list(event.get("chambers") or []),
            "sources": sorted(
                str(s.get("doc_id")) for s in event.get("sources") or [] if isinstance(s, dict)
            ),
            "summary": event.get("summary"),
            "hash": _sha1({k: v for k, v in event.items() if k != "review"}),
        }
    chambers = {
        str(c["id"]): c.get("status")
        for c in timeline.get("chambers") or []
        if isinstance(c, dict) and c.get("id")
    }
    return {"events": events, "chambers": chambers}


EVENT_FIELDS = ("type", "date", "polarity", "chambers", "sources")


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Differences between two timeline snapshots: ``new``/``removed`` event ids,
    ``changed`` ({id: [field, ...]}, "content" when only the text changed) and
    ``chambers`` ({id: [old status, new status]})."""
    before, after = old.get("events", {}), new.get("events", {})
    changed: dict[str, list[str]] = {}
    for event_id in sorted(set(before) & set(after)):
        a, b = before[event_id], after[event_id]
        if a.get("hash") == b.get("hash"):
            continue
        fields = [f for f in EVENT_FIELDS if a.get(f) != b.get(f)]
        changed[event_id] = fields or ["content"]
    old_chambers, new_chambers = old.get("chambers", {}), new.get("chambers", {})
    chambers = {
        cid: [old_chambers.get(cid), new_chambers.get(cid)]
        for cid in sorted(set(old_chambers) | set(new_chambers))
        if old_chambers.get(cid) != new_chambers.get(cid)
    }
    return {
        "new": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "changed": changed,
        "chambers": chambers,
    }


def _run_stamp(runs: Path) -> str:
    """A file-name-safe, sortable, unique time stamp (microseconds, Berlin offset)."""
    from crawler.dates import BERLIN

    while True:
        now = datetime.now(UTC).astimezone(BERLIN)
        stamp = now.isoformat(timespec="microseconds").replace(":", "").replace("+", "p")
        if not (runs / f"{stamp}.json").exists():
            return stamp


def write_run_report(
    out: str,
    stats: dict[str, Any],
    *,
    started: str | None = None,
    command: str = "",
    before: dict[str, Any] | None = None,
) -> Path:
    """Write ``<out>/runs/<time>.json`` and the timeline snapshot it refers to.

    ``before`` is the snapshot of ``timeline.json`` taken when the run started
    (the events figures compare it with the timeline now).  The report holds
    the figures of the run and, under ``stats``, every Scrapy stat; the stats
    are also repeated at the top level for readers of the older flat format.
    """
    from pipelines.atomic import atomic_write

    def plain(value: Any) -> Any:
        return value if isinstance(value, int | float | str | bool) or value is None else str(value)

    def get(key: str) -> int:
        value = stats.get(key, 0)
        return int(value) if isinstance(value, int | float) else 0

    runs = Path(out) / "runs"
    stamp = _run_stamp(runs)
    finished = precise_now()
    started = started or str(stats.get("start_time") or finished)
    after = timeline_snapshot(Path(out) / "timeline.json")
    delta = diff_snapshots(before if before is not None else after, after)
    snapshot_name = f"timeline/{stamp}.json"
    with atomic_write(runs / snapshot_name) as handle:
        json.dump(after, handle, ensure_ascii=False, sort_keys=True)
    flat = {k: plain(v) for k, v in sorted(stats.items())}
    report = {
        **flat,
        "started": started,
        "finished": finished,
        "seconds": _seconds_between(started, finished, stats),
        "command": command,
        "pages_fetched": pages_fetched(stats),
        "articles": {s: get(f"kw/store/article/{s}") for s in ("new", "changed", "unchanged")},
        "comments": {
            s: get(f"kw/store/comment/{s}") for s in ("new", "changed", "unchanged", "deleted")
        },
        "events": {
            "new": len(delta["new"]),
            "changed": len(delta["changed"]),
            "removed": len(delta["removed"]),
        },
        "errors": error_counts(stats),
        "timeline_snapshot": snapshot_name,
        "stats": flat,
    }
    path = runs / f"{stamp}.json"
    with atomic_write(path) as handle:
        json.dump(report, handle, indent=1, ensure_ascii=False)
    return path


def _seconds_between(started: str, finished: str, stats: dict[str, Any]) -> float:
    elapsed = stats.get("elapsed_time_seconds")
    try:
        span = (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()
    except ValueError:
        span = float(elapsed) if isinstance(elapsed, int | float) else 0.0
    return round(max(span, 0.0), 3)


def run_reports(out: str) -> list[Path]:
    """The run reports of an output directory, oldest first."""
    return sorted((Path(out) / "runs").glob("*.json"))


def _load_snapshot(report_path: Path) -> dict[str, Any]:
    report = json.loads(report_path.read_text("utf-8"))
    name = report.get("timeline_snapshot") if isinstance(report, dict) else None
    if not name:
        raise ValueError(f"{report_path}: no timeline snapshot (a report of an older version)")
    path = report_path.parent / str(name)
    try:
        snapshot: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the timeline snapshot ({exc.strerror})") from exc
    return snapshot


def _find_report(out: str, name: str) -> Path:
    path = Path(name)
    if path.is_file():
        return path
    runs = Path(out) / "runs"
    for candidate in (runs / name, runs / f"{name}.json"):
        if candidate.is_file():
            return candidate
    matches = [p for p in run_reports(out) if p.stem.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    raise ValueError(f"{name}: no such run report in {runs}")


def format_diff(delta: dict[str, Any], old: dict[str, Any], new: dict[str, Any]) -> str:
    """The text ``kammerwatch diff`` prints."""
    events_old, events_new = old.get("events", {}), new.get("events", {})

    def describe(event: dict[str, Any]) -> str:
        chambers = ",".join(event.get("chambers") or []) or "-"
        return (
            f"{event.get('date') or '?'} {event.get('type')} {event.get('polarity')} "
            f"[{chambers}] {len(event.get('sources') or [])} sources"
        )

    lines = [
        f"events: {len(delta['new'])} new, {len(delta['changed'])} changed, "
        f"{len(delta['removed'])} removed; chambers: {len(delta['chambers'])} changed status"
    ]
    lines += [f"+ {eid} {describe(events_new[eid])}" for eid in delta["new"]]
    lines += [f"- {eid} {describe(events_old[eid])}" for eid in delta["removed"]]
    for eid, fields in delta["changed"].items():
        parts = []
        for f in fields:
            if f == "content":
                parts.append("content")
            elif f == "sources":
                a = set(events_old[eid].get("sources") or [])
                b = set(events_new[eid].get("sources") or [])
                parts.append(f"sources +{len(b - a)} -{len(a - b)}")
            else:
                parts.append(f"{f} {events_old[eid].get(f)} -> {events_new[eid].get(f)}")
        lines.append(f"~ {eid} " + "; ".join(parts))
    lines += [f"chamber {cid}: {a} -> {b}" for cid, (a, b) in delta["chambers"].items()]
    return "\n".join(lines)


def cmd_diff(args: argparse.Namespace) -> int:
    """``kammerwatch diff [RUN_A RUN_B]``: what changed in the timeline between two runs."""
    try:
        if args.runs:
            if len(args.runs) != 2:
                raise ValueError("give two run reports, or none for the last two")
            first, second = (_find_report(args.out, name) for name in args.runs)
        else:
            reports = run_reports(args.out)
            if len(reports) < 2:
                raise ValueError(f"{Path(args.out) / 'runs'}: fewer than two run reports")
            first, second = reports[-2:]
        old, new = _load_snapshot(first), _load_snapshot(second)
    except (ValueError, OSError) as exc:
        print(f"kammerwatch: error: {exc}", file=sys.stderr)
        return 2
    print(f"{first.stem} -> {second.stem}")
    print(format_diff(diff_snapshots(old, new), old, new))
    return 0


def _read_urls(path: str) -> list[str] | None:
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"kammerwatch: error: {path}: cannot read URL list ({exc})", file=sys.stderr)
        return None
    urls = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    bad = [u for u in urls if not u.startswith(("http://", "https://"))]
    if bad:
        print(f"kammerwatch: error: {path}: not an http(s) URL: {bad[0]!r}", file=sys.stderr)
        return None
    return urls


class LockHeld(RuntimeError):
    """Another crawl or run is writing the same output directory."""


@contextlib.contextmanager
def output_lock(out: str) -> Iterator[str | None]:
    """Hold ``<out>/.kammerwatch.lock`` for the duration of a crawl or run.

    An advisory ``flock``: the kernel releases it when the holder exits, even
    on SIGKILL, so a lock left by a killed run is never in the way; its note
    (who held it) is then reported as taken over.  Yields that note, or None.
    """
    path = Path(out) / ".kammerwatch.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise LockHeld(f"{path}: another run is in progress ({holder})") from None
        handle.seek(0)
        stale = handle.read().strip() or None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {now_iso()}\n")
        handle.flush()
        yield stale
        handle.seek(0)
        handle.truncate()
    finally:
        handle.close()


def _under_lock(out: str, work: Any) -> int:
    """Run ``work()`` holding the output directory's lock (exit 75 when it is held)."""
    try:
        with output_lock(out) as stale:
            if stale:
                print(f"kammerwatch: took over the lock of a run that did not finish ({stale})")
            code: int = work()
            return code
    except LockHeld as exc:
        print(f"kammerwatch: {exc}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: try again later (cron, systemd)


def cmd_crawl(args: argparse.Namespace) -> int:
    if args.urls_file:
        more = _read_urls(args.urls_file)
        if more is None:
            return 2
        args.urls = [*args.urls, *more]
    bad = [u for u in args.urls if not u.startswith(("http://", "https://"))]
    if bad:
        print(f"kammerwatch: error: not an http(s) URL: {bad[0]!r}", file=sys.stderr)
        return 2
    if not args.urls and not args.archive:
        print("kammerwatch: error: give URLs or --archive FILE", file=sys.stderr)
        return 2
    if args.archive and _check_archive(args.archive) is None:
        return 2
    overrides = _settings_pairs(args.set)
    if not _check_store(args.out, overrides):
        return 2

    if args.incremental:
        overrides.setdefault("KW_INCREMENTAL", "True")
    started = precise_now()
    before = timeline_snapshot(Path(args.out) / "timeline.json")
    command = _command_line("crawl", args)

    def work() -> int:
        stats = crawl(
            args.urls,
            args.out,
            archive=args.archive,
            spider=args.spider,
            record_warc=not args.no_warc,
            overrides=overrides,
            resume=args.resume,
            resumable=args.resumable,
        )
        print(summarise(stats))
        write_run_report(args.out, stats, started=started, command=command, before=before)
        return 0 if stats.get("finish_reason") == "finished" else 1

    return _under_lock(args.out, work)


def _stage(module: str, function: str) -> Any:
    try:
        return getattr(importlib.import_module(module), function)
    except (ModuleNotFoundError, AttributeError):
        return None


def cmd_run(args: argparse.Namespace) -> int:
    overrides = _settings_pairs(args.set)
    archive = None if args.live else args.archive or str(sample_archive_path())
    if archive and _check_archive(archive) is None:
        return 2
    if not _check_store(args.out, overrides):
        return 2
    return _under_lock(args.out, lambda: _run(args, archive, overrides))


def live_specs() -> list[tuple[str, dict[str, Any]]]:
    """What ``run --live`` crawls: the registry's feeds and sitemaps (relevant items
    only), the chambers' own sites (availability and notices), and any seeds."""
    from crawler.sources import seed_urls

    specs: list[tuple[str, dict[str, Any]]] = [("discover", {}), ("chambers", {})]
    seeds = seed_urls()
    if seeds:
        specs.append(("auto", {"urls": seeds}))
    return specs


def _command_line(name: str, args: argparse.Namespace) -> str:
    """The command as the report records it (``crawl --incremental``, ``run --live``)."""
    words = [name]
    for flag in ("live", "incremental", "full", "resume", "resumable", "no_warc"):
        if getattr(args, flag, False):
            words.append("--" + flag.replace("_", "-"))
    if getattr(args, "archive", None):
        words += ["--archive", str(args.archive)]
    urls = getattr(args, "urls", None) or []
    if urls:
        words.append(f"({len(urls)} URLs)")
    return " ".join(words)


def _run(args: argparse.Namespace, archive: str | None, overrides: dict[str, str]) -> int:
    started = precise_now()
    before = timeline_snapshot(Path(args.out) / "timeline.json")
    command = _command_line("run", args)
    if archive is None and not getattr(args, "full", False):
        overrides = {"KW_INCREMENTAL": "True", **overrides}
    if archive is None:
        stats = crawl_many(
            live_specs(), args.out, overrides=overrides, resume=args.resume, record_warc=True
        )
    else:
        stats = crawl([], args.out, archive=archive, overrides=overrides, resume=args.resume)
    print(summarise(stats))
    if stats.get("finish_reason") != "finished":
        write_run_report(args.out, stats, started=started, command=command, before=before)
        return 1
    for module, function in (
        ("pipelines.nlp.cli", "run_stage"),
        ("pipelines.timeline.cli", "run_stage"),
    ):
        stage = _stage(module, function)
        if stage is not None:
            code = stage(args.out)
            if code:
                write_run_report(args.out, stats, started=started, command=command, before=before)
                return int(code)
    report = write_run_report(args.out, stats, started=started, command=command, before=before)
    figures = json.loads(report.read_text("utf-8"))
    events = figures["events"]
    print(
        f"events: {events['new']} new, {events['changed']} changed, {events['removed']} removed"
        f"; took {figures['seconds']:.1f} s"
    )
    print(f"run report: {report}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from pipelines.export import export_store
    from pipelines.store import Store, StoreError

    try:
        with Store(Path(args.out) / "kammerwatch.db", readonly=True) as store:
            written = export_store(store, args.out)
    except StoreError as exc:
        print(f"kammerwatch: error: {exc}", file=sys.stderr)
        return 2
    for name, rows in written.items():
        print(f"{Path(args.out) / name}: {rows} rows")
    return 0
