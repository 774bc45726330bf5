"""A tiny progress bar for long stages (``kammerwatch extract``/``timeline``).

``progress(items, total=n, label="extract")`` yields the items unchanged and,
only when ``stream`` (default: stderr) is a terminal, redraws one line
``extract  42% |█████     | 420/1000 docs 3.1 s`` at most ten times a second.
Not on a terminal (cron, pipes, tests) it prints nothing at all.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")
WIDTH = 24


def render(done: int, total: int | None, label: str, seconds: float) -> str:
    """One line of the bar (without the carriage return)."""
    if total:
        share = min(done / total, 1.0)
        filled = int(share * WIDTH)
        bar = "█" * filled + " " * (WIDTH - filled)
        return f"{label} {share:4.0%} |{bar}| {done}/{total} {seconds:.1f} s"
    return f"{label} {done} {seconds:.1f} s"


def progress(
    items: Iterable[T],
    *,
    total: int | None = None,
    label: str = "",
    stream: TextIO | None = None,
    interval: float = 0.1,
) -> Iterator[T]:
    """Yield ``items``, drawing a progress bar on ``stream`` if it is a terminal."""
    out = stream if stream is not None else sys.stderr
    if not out.isatty():
        yield from items
        return
    start = last = time.monotonic()
    done = 0
    try:
        for item in items:
            yield item
            done += 1
            now = time.monotonic()
            if now - last >= interval:
                last = now
                out.write("\r" + render(done, total, label, now - start))
                out.flush()
    finally:
        out.write("\r" + render(done, total, label, time.monotonic() - start) + "\n")
        out.flush()
