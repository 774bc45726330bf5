"""``kammerwatch extract`` and ``kammerwatch evaluate``.

extract FILE.jsonl... [-o FACTS.jsonl] [--jobs N]
    Read documents (articles.jsonl, comments.jsonl or any JSONL with id, kind,
    url, text and optional published) and write one facts line per document,
    atomically (temp file + rename).  Malformed lines are skipped and counted.
    Exit status 1 only when lines were read and none was usable.
    Without files: read the store (``--db``) and write the facts back to it,
    only for documents that are new or changed since their facts were written
    or whose facts came from another version of the rules (``--all``: every one).
    ``--jobs N`` extracts in N worker processes (same facts, same order).

evaluate GOLD.jsonl [--pred FACTS.jsonl] [--docs DOCS.jsonl] [--json]
    Precision, recall and F1 against a gold file; without ``--pred`` the
    documents (default: ``dev_docs.jsonl`` next to the gold file) are extracted
    first.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
DEFAULT_OUT = Path("output/facts.jsonl")
DEFAULT_DB = Path("output/kammerwatch.db")


def register(subparsers: Any) -> None:
    """Add the ``extract`` and ``evaluate`` subcommands to the kammerwatch CLI."""
    ex = subparsers.add_parser("extract", help="extract chambers, dates and claims (NLP)")
    ex.add_argument("files", nargs="*", type=Path, help="document JSONL files (default: the store)")
    ex.add_argument("-o", "--output", type=Path, default=None, help=f"facts JSONL ({DEFAULT_OUT})")
    ex.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite store when no files given")
    ex.add_argument("--batch-size", type=int, default=64, help="documents per nlp.pipe batch")
    ex.add_argument(
        "--jobs", type=int, default=1, help="worker processes (same facts, same order; default 1)"
    )
    ex.add_argument(
        "--all",
        action="store_true",
        help="store mode: extract every document again (default: only those that are new, "
        "changed, or whose facts came from another version of the rules)",
    )
    ex.set_defaults(func=cmd_extract)

    ev = subparsers.add_parser("evaluate", help="score facts against a gold JSONL file")
    ev.add_argument("gold", type=Path, help="gold annotations (JSONL)")
    ev.add_argument("--pred", type=Path, default=None, help="facts JSONL to score")
    ev.add_argument("--docs", type=Path, default=None, help="documents to extract when no --pred")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.set_defaults(func=cmd_evaluate)


class LineCounter:
    """Counts read, used and skipped input lines."""

    def __init__(self) -> None:
        self.read = 0
        self.used = 0
        self.skipped = 0


def read_records(paths: Iterable[Path], counter: LineCounter) -> Iterator[dict[str, Any]]:
    """Valid records from JSONL files; bad lines are reported (file:line) and skipped."""
    from pipelines.nlp.facts import RecordError, normalize_record

    for path in paths:
        with path.open("rb") as fh:
            for lineno, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                counter.read += 1
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    counter.skipped += 1
                    print(f"{path}:{lineno}: skipped: not UTF-8 ({exc.reason})", file=sys.stderr)
                    continue
                try:
                    record = normalize_record(json.loads(line))
                except (json.JSONDecodeError, RecordError) as exc:
                    counter.skipped += 1
                    msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                    print(f"{path}:{lineno}: skipped: {msg}", file=sys.stderr)
                    continue
                counter.used += 1
                yield record


def write_jsonl_atomic(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write rows to ``path`` atomically (temp file + rename)."""
    from pipelines.export import write_jsonl

    return write_jsonl(path, rows)


def run_stage(out_dir: str) -> int:
    """The extraction step of ``kammerwatch run``: store documents -> facts (+ facts.jsonl)."""
    out = Path(out_dir)
    args = argparse.Namespace(
        db=out / "kammerwatch.db", output=out / "facts.jsonl", batch_size=64, files=[], all=False
    )
    return _extract_store(args)


def cmd_extract(args: argparse.Namespace) -> int:
    """Run extraction on files (to JSONL) or on the store (facts written back)."""
    from crawler.progress import progress
    from pipelines.nlp.facts import extract_records

    if args.files:
        missing = [p for p in args.files if not p.is_file()]
        if missing:
            print(f"extract: no such file: {missing[0]}", file=sys.stderr)
            return 2
        counter = LineCounter()
        out = args.output or DEFAULT_OUT
        records = progress(read_records(args.files, counter), label="extract")
        facts = extract_records(records, args.batch_size, jobs=_jobs(args))

        def checked() -> Iterator[dict[str, Any]]:
            yield from facts
            if counter.read and not counter.used:
                raise NoUsableInput  # abandons the temp file: the old output stays

        try:
            written = write_jsonl_atomic(out, checked())
        except NoUsableInput:
            print(f"extract: no usable line in {len(args.files)} file(s); {out} left as it was")
            return 1
        print(f"extract: {written} documents -> {out} ({counter.skipped} lines skipped)")
        return 0  # empty input is not an error
    return _extract_store(args)


def _jobs(args: argparse.Namespace) -> int:
    """The ``--jobs`` value (at least 1; 1 when the namespace has none)."""
    return max(1, int(getattr(args, "jobs", 1) or 1))


class NoUsableInput(Exception):
    """Not one input line could be used."""


def _extract_store(args: argparse.Namespace) -> int:
    """Facts for the store's documents, written back to it.

    Incremental: a document is extracted again only when it is new, its content
    changed (``content_hash``) or its facts came from another version of the
    extractor (:func:`~pipelines.nlp.language.extractor_fingerprint`); ``--all``
    redoes every document.
    """
    from crawler.progress import progress
    from pipelines.nlp.facts import extract_records
    from pipelines.nlp.language import extractor_fingerprint
    from pipelines.store import Store, StoreError

    if not args.db.exists():
        print(f"extract: no store at {args.db}; give JSONL files or run a crawl", file=sys.stderr)
        return 2
    try:
        writer = Store(args.db)
        reader = Store(args.db, readonly=True)  # WAL: reading while the writer commits
    except StoreError as exc:
        print(f"kammerwatch: error: {exc}", file=sys.stderr)
        return 2
    counter = LineCounter()
    written = 0
    # what each document's facts are made from, until they are written
    sources: dict[str, str] = {}
    fingerprint = extractor_fingerprint()
    try:
        stored = reader.count("articles") + reader.count("comments")
        total = reader.count_to_extract(fingerprint, everything=args.all)
        rows = (
            _remember(row, source, sources)
            for row, source in reader.documents_to_extract(fingerprint, everything=args.all)
        )
        records = _store_records(progress(rows, total=total, label="extract"), counter)
        it = extract_records(records, args.batch_size, jobs=_jobs(args))
        while batch := list(islice(it, 256)):
            written += writer.replace_facts(
                batch,
                {f["doc_id"]: sources.pop(f["doc_id"]) for f in batch if f["doc_id"] in sources},
            )
    finally:
        reader.close()
        writer.close()
    if args.output:
        with Store(args.db, readonly=True) as store:
            write_jsonl_atomic(args.output, store.iter_facts())
    unchanged = stored - total
    print(
        f"extract: {written} documents -> {args.db} ({unchanged} unchanged since their facts "
        f"were written, {counter.skipped} skipped)"
    )
    # unusable only when the store holds documents and not one of them has facts
    return 1 if counter.skipped and not counter.used and not unchanged else 0


def _remember(row: dict[str, Any], source: str, sources: dict[str, str]) -> dict[str, Any]:
    sources[str(row["id"])] = source
    return row


def _store_records(
    rows: Iterable[dict[str, Any]], counter: LineCounter
) -> Iterator[dict[str, Any]]:
    from pipelines.nlp.facts import RecordError, normalize_record

    for raw in rows:
        counter.read += 1
        try:
            record = normalize_record(raw)
        except RecordError as exc:
            counter.skipped += 1
            log.warning("store document %s skipped: %s", raw.get("id"), exc)
            continue
        counter.used += 1
        yield record


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Score predictions against gold and print P/R/F1 per metric."""
    from pipelines.nlp.evaluate import evaluate_files, format_table

    if not args.gold.is_file():
        print(f"evaluate: no such file: {args.gold}", file=sys.stderr)
        return 2
    pred = args.pred
    if pred is None:
        docs = args.docs or args.gold.with_name("dev_docs.jsonl")
        if not docs.is_file():
            print(f"evaluate: no documents at {docs}; give --pred or --docs", file=sys.stderr)
            return 2
        from pipelines.nlp.facts import extract_records

        counter = LineCounter()
        facts = list(extract_records(read_records([docs], counter)))
        scores = evaluate_files(args.gold, facts)
    else:
        if not pred.is_file():
            print(f"evaluate: no such file: {pred}", file=sys.stderr)
            return 2
        scores = evaluate_files(args.gold, pred)
    if args.json:
        print(json.dumps(scores, indent=2, sort_keys=True))
    else:
        print(format_table(scores))
    return 0
