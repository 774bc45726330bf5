"""Build the bundled sample archive from its sources.

``crawler/data/sample/manifest.json`` lists every archived response (URL,
file, status, content type, capture time, redirect target); the pages are
under ``crawler/data/sample/pages/``.  ``python -m crawler.sample build``
writes ``crawler/data/sample.warc.gz`` deterministically (fixed record ids
and dates), so the committed archive can be checked against its sources:
``python -m crawler.sample check``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.archive import WarcArchive, WarcRecorder, deterministic_id

HERE = Path(__file__).parent / "data"
SOURCES = HERE / "sample"
ARCHIVE = HERE / "sample.warc.gz"
REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}


def manifest(sources: Path = SOURCES) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads((sources / "manifest.json").read_text("utf-8"))
    return entries


def build(out: Path = ARCHIVE, sources: Path = SOURCES) -> int:
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    recorder = WarcRecorder(tmp)
    for entry in manifest(sources):
        status = int(entry.get("status", 200))
        headers: list[tuple[str, str]] = []
        body = b""
        if entry.get("location"):
            headers.append(("Location", entry["location"]))
        if entry.get("file"):
            body = (sources / entry["file"]).read_bytes()
            headers.append(("Content-Type", entry.get("content_type", "text/html; charset=UTF-8")))
        date = datetime.fromisoformat(entry["fetched"].replace("Z", "+00:00"))
        recorder.write(
            entry["url"],
            status,
            REASONS.get(status, ""),
            headers,
            body,
            date=date,
            record_id=deterministic_id(entry["url"], entry["fetched"]),
        )
    recorder.close()
    tmp.replace(out)
    return recorder.count


def check(archive: Path = ARCHIVE, sources: Path = SOURCES) -> list[str]:
    """Differences between the archive and its sources (empty when in sync)."""
    problems = []
    warc = WarcArchive(archive)
    for entry in manifest(sources):
        stored = warc.get(entry["url"])
        if stored is None:
            problems.append(f"missing in archive: {entry['url']}")
            continue
        if entry.get("file") and stored.body != (sources / entry["file"]).read_bytes():
            problems.append(f"stale in archive: {entry['url']} ({entry['file']})")
        if stored.status != int(entry.get("status", 200)):
            problems.append(f"status differs: {entry['url']}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.sample", description=__doc__)
    parser.add_argument("action", choices=["build", "check"])
    args = parser.parse_args(argv)
    if args.action == "build":
        print(f"{ARCHIVE}: {build()} records")
        return 0
    problems = check()
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
