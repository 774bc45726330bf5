"""``kammerwatch timeline`` and the stage hook ``run_stage`` of ``kammerwatch run``.

timeline [--db DB] [--facts FACTS.jsonl] [--out DIR] [--review FILE] [--check FILE]
    Build DIR/timeline.json, timeline.csv, chambers.csv, report.html and
    datasette.json from the store (documents; facts from its facts table or,
    when that is empty, DIR/facts.jsonl) or from --facts.  The review file
    (default DIR/review.yaml, when present) is applied.  The timeline tables
    and views are written into the store.  With --check FILE only validate a
    timeline.json against the schema.

Exit status: 0 done, 1 the built or checked timeline is not schema-valid,
2 unusable input (store, facts file or review file).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    """Add the ``timeline`` subcommand to the kammerwatch CLI."""
    p = subparsers.add_parser(
        "timeline", help="merge the facts into timeline.json, CSVs and report.html"
    )
    p.add_argument(
        "--db", type=Path, default=None, help="SQLite store (default: OUT/kammerwatch.db)"
    )
    p.add_argument(
        "--facts",
        type=Path,
        action="append",
        default=[],
        help="facts JSONL (repeatable; default: the store's facts table, else OUT/facts.jsonl)",
    )
    p.add_argument("--out", type=Path, default=Path("output"), help="output directory (output/)")
    p.add_argument(
        "--review", type=Path, default=None, help="review file (default: OUT/review.yaml)"
    )
    p.add_argument("--check", type=Path, default=None, metavar="FILE", help="only validate FILE")
    p.set_defaults(func=cmd_timeline)


class InputError(RuntimeError):
    """An input file cannot be used."""


def read_facts_file(path: Path) -> Iterator[dict[str, Any]]:
    """Facts lines of a JSONL file; malformed lines are reported and skipped."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    with handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                facts = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{path}:{lineno}: skipped: {exc.msg}", file=sys.stderr)
                continue
            if isinstance(facts, dict) and facts.get("doc_id"):
                yield facts
            else:
                print(f"{path}:{lineno}: skipped: no doc_id", file=sys.stderr)


def build_outputs(
    out: Path,
    db: Path | None = None,
    facts_files: list[Path] | None = None,
    review_file: Path | None = None,
    generated_at: str | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Build and write everything; returns the timeline and its schema errors."""
    from crawler.progress import progress
    from pipelines.store import Store, StoreError
    from pipelines.timeline.browse import write_metadata, write_store_tables
    from pipelines.timeline.build import build_timeline
    from pipelines.timeline.chambers import load_chambers
    from pipelines.timeline.exports import write_exports
    from pipelines.timeline.report import write_report
    from pipelines.timeline.review import ReviewError, load_review
    from pipelines.timeline.schema import validate

    chambers = load_chambers()
    review = None
    explicit_review = review_file is not None
    review_file = review_file or out / "review.yaml"
    if review_file.exists():
        try:
            review = load_review(review_file, set(chambers))
        except (ReviewError, OSError) as exc:
            raise InputError(str(exc)) from exc
    elif explicit_review:
        raise InputError(f"{review_file}: no such review file")

    db = db or out / "kammerwatch.db"
    articles: list[dict[str, Any]] = []
    comments: list[dict[str, Any]] = []
    facts: list[dict[str, Any]] = []
    if db.exists():
        try:
            with Store(db, readonly=True) as store:
                articles = list(store.rows("articles"))
                comments = list(store.rows("comments"))
                if not facts_files:
                    total = store.count("facts")
                    facts = list(progress(store.iter_facts(), total=total, label="timeline"))
        except StoreError as exc:
            raise InputError(str(exc)) from exc
    else:
        log.warning("%s: no store; building from facts alone", db)
    if facts_files:
        for path in facts_files:
            facts.extend(read_facts_file(path))
    elif not facts and (out / "facts.jsonl").exists():
        facts = list(read_facts_file(out / "facts.jsonl"))
    if db.exists():  # what the chambers spider saw itself: observed outages
        from pipelines.observations import observed_events, timeline_inputs

        observed_docs, observed_facts = timeline_inputs(observed_events(db))
        articles.extend(observed_docs)
        facts.extend(observed_facts)
    if not facts:
        log.warning("no facts found (run `kammerwatch extract` first); all chambers unknown")

    timeline = build_timeline(
        facts,
        articles=articles,
        comments=comments,
        review=review,
        chambers=chambers,
        generated_at=generated_at,
    )
    errors = validate(timeline)
    written = write_exports(out, timeline)
    write_report(out / "report.html", timeline)
    write_metadata(out)
    if db.exists():
        write_store_tables(db, timeline)
    stats = timeline["stats"]
    print(
        f"timeline: {written['timeline.json']} events, {stats['conflicts']} conflicts, "
        f"{len(timeline['sources'])} sources ({stats['republished_copies']} republished copies)"
    )
    print("chambers: " + ", ".join(f"{n} {s}" for s, n in stats["chambers"].items()))
    if review is not None:
        rv = timeline["review"]
        print(
            f"review: {len(rv['applied'])} applied, {len(rv['unmatched'])} unmatched "
            f"({review_file})"
        )
        for key in rv["unmatched"]:
            print(f"review: warning: {key} matches nothing", file=sys.stderr)
    print(f"written: {', '.join(str(out / n) for n in [*written, 'report.html'])}")
    return timeline, errors


def cmd_timeline(args: argparse.Namespace) -> int:
    """Entry point of ``kammerwatch timeline``."""
    if args.check is not None:
        from pipelines.timeline.schema import check_file

        errors = check_file(args.check)
        for error in errors[:50]:
            print(f"{args.check}: {error}", file=sys.stderr)
        if errors:
            print(f"{args.check}: INVALID ({len(errors)} errors)", file=sys.stderr)
            return 1
        print(f"{args.check}: valid")
        return 0
    return _build_and_report(args.out, args.db, args.facts, args.review)


def _build_and_report(out: Path, *inputs: Any) -> int:
    """Build everything; 2 for unusable input, 1 for a schema-invalid timeline, else 0."""
    try:
        _, errors = build_outputs(out, *inputs)
    except InputError as exc:
        print(f"kammerwatch: error: {exc}", file=sys.stderr)
        return 2
    for error in errors[:50]:
        print(f"timeline.json: schema: {error}", file=sys.stderr)
    return 1 if errors else 0


def run_stage(out_dir: str) -> int:
    """The timeline stage of ``kammerwatch run``: everything from ``<out_dir>``."""
    return _build_and_report(Path(out_dir))
