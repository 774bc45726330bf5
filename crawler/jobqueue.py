"""Checks of a killed crawl's request queue (Scrapy's JOBDIR) before it is resumed.

Scrapy's disk queues (queuelib's ``LifoDiskQueue``: a 4-byte record count,
then each record followed by its 4-byte length) are written through a file
buffer; a crawl killed with SIGKILL can leave a queue file cut off anywhere,
even empty.  Scrapy then fails on every request it tries to queue there.

A resumed crawl does not need that queue to be complete: it asks again for
every start URL whose document is not stored yet (``KW_RESUME``), and the
requests that follow from a page are issued again when the page is read.  So
a damaged queue is dropped whole, with a message, and the crawl goes on.
"""

from __future__ import annotations

import json
import shutil
import struct
from pathlib import Path

_SIZE = struct.Struct(">L")


def lifo_problem(data: bytes) -> str | None:
    """What is wrong with the bytes of a LIFO disk queue file (None when sound)."""
    if len(data) < _SIZE.size:
        return f"{len(data)} bytes, shorter than the queue header"
    (count,) = _SIZE.unpack_from(data)
    end = len(data)
    for index in range(count):
        if end - _SIZE.size < _SIZE.size:
            return f"header says {count} requests, the file holds {index}"
        (length,) = _SIZE.unpack_from(data, end - _SIZE.size)
        end -= _SIZE.size + length
        if end < _SIZE.size:
            return f"request {count - index} is cut off"
    if end != _SIZE.size:
        return f"{end - _SIZE.size} bytes beyond the {count} requests the header counts"
    return None


def damaged_files(jobdir: Path) -> list[tuple[Path, str]]:
    """Queue files of a JOBDIR that cannot be read back, with the reason."""
    queue = jobdir / "requests.queue"
    found: list[tuple[Path, str]] = []
    if not queue.is_dir():
        return found
    for path in sorted(queue.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".json":
            try:
                json.loads(path.read_text("utf-8"))  # Scrapy's json.load fails on empty files too
            except (ValueError, UnicodeDecodeError) as exc:
                found.append((path, f"unreadable JSON ({exc})"))
            continue
        if (path.parent / "info.json").exists():
            continue  # a chunk of a FIFO disk queue: described by its info.json
        problem = lifo_problem(path.read_bytes())
        if problem:
            found.append((path, problem))
    return found


def drop_damaged_queue(jobdir: Path) -> list[tuple[Path, str]]:
    """Remove the request queue of ``jobdir`` when any of its files is damaged.

    Returns what was found damaged ([] when the queue was sound and kept).
    The seen-requests file goes with it: requests that were queued (feed
    entries, followed links) must not be filtered as seen when they come again;
    stored documents are skipped by the resume's store check instead.
    """
    damaged = damaged_files(jobdir)
    if damaged:
        shutil.rmtree(jobdir / "requests.queue", ignore_errors=True)
        (jobdir / "requests.seen").unlink(missing_ok=True)
    return damaged
