"""Crawl subcommands of ``kammerwatch``: ``crawl``, ``run`` and ``export``.

``crawl`` fetches URLs (live, recording a WARC) or replays a WARC;
``run`` is the main job: crawl (by default the bundled sample archive), then
the later stages that are installed (NLP extraction, timeline), then exports.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import importlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from crawler.archive import ArchiveError, WarcArchive
from crawler.dates import now_iso

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
    _common(crawl)
    crawl.set_defaults(func=cmd_crawl)

    run = subparsers.add_parser("run", help="the main job: crawl, extract, timeline, exports")
    source = run.add_mutually_exclusive_group()
    source.add_argument("--archive", help="WARC to replay (default: the bundled sample archive)")
    source.add_argument("--live", action="store_true", help="crawl the configured sources live")
    _common(run)
    run.set_defaults(func=cmd_run)

    export = subparsers.add_parser("export", help="write JSONL and CSV exports from the store")
    export.add_argument("--out", default="output", help="output directory (default: output/)")
    export.set_defaults(func=cmd_export)


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
    def get(key: str) -> int:
        return int(stats.get(key, 0))

    errors = {k.split("/", 2)[-1]: v for k, v in stats.items() if k.startswith("kw/errors/")}
    lines = [
        f"pages fetched: {get('response_received_count')}",
        f"articles: {get('kw/store/article/new')} new, {get('kw/store/article/updated')} known",
        f"comments: {get('kw/store/comment/new')} new, {get('kw/store/comment/updated')} known",
    ]
    if errors:
        lines.append("errors: " + ", ".join(f"{k}={v}" for k, v in sorted(errors.items())))
    return "\n".join(lines)


def write_run_report(out: str, stats: dict[str, Any]) -> Path:
    from crawler.dates import now_iso
    from pipelines.atomic import atomic_write

    def plain(value: Any) -> Any:
        return value if isinstance(value, int | float | str | bool) or value is None else str(value)

    stamp = now_iso().replace(":", "").replace("+", "p")
    path = Path(out) / "runs" / f"{stamp}.json"
    with atomic_write(path) as handle:
        json.dump({k: plain(v) for k, v in sorted(stats.items())}, handle, indent=1)
    return path


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
        write_run_report(args.out, stats)
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


def _run(args: argparse.Namespace, archive: str | None, overrides: dict[str, str]) -> int:
    if archive is None:
        stats = crawl_many(
            live_specs(), args.out, overrides=overrides, resume=args.resume, record_warc=True
        )
    else:
        stats = crawl([], args.out, archive=archive, overrides=overrides, resume=args.resume)
    print(summarise(stats))
    if stats.get("finish_reason") != "finished":
        write_run_report(args.out, stats)
        return 1
    for module, function in (
        ("pipelines.nlp.cli", "run_stage"),
        ("pipelines.timeline.cli", "run_stage"),
    ):
        stage = _stage(module, function)
        if stage is not None:
            code = stage(args.out)
            if code:
                return int(code)
    report = write_run_report(args.out, stats)
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
