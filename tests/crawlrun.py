"""Run a real crawl (``kammerwatch crawl``) in a subprocess and read its output.

Each crawl gets its own process because Twisted's reactor cannot be restarted;
the local fixture server runs in the test process on 127.0.0.1.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

# Local servers answer at once: no throttling, no delays, quiet logs.
FAST = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "LOG_LEVEL": "WARNING",
    "RETRY_TIMES": "0",
    "KW_ALLOW_PRIVATE": "True",  # the fixture sites are on 127.0.0.1
}


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str
    out: Path
    articles: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    stats: dict[str, Any]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def run_cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )


def crawl(
    *args: str, out: Path, settings: dict[str, str] | None = None, command: str = "crawl"
) -> CrawlResult:
    merged = {**FAST, **(settings or {})}
    flags = [f"-s{k}={v}" for k, v in merged.items()]
    proc = run_cli(command, *args, "--out", str(out), *flags)
    reports = sorted((out / "runs").glob("*.json")) if (out / "runs").exists() else []
    stats = json.loads(reports[-1].read_text("utf-8")) if reports else {}
    return CrawlResult(
        proc.returncode,
        proc.stdout,
        proc.stderr,
        out,
        read_jsonl(out / "articles.jsonl"),
        read_jsonl(out / "comments.jsonl"),
        stats,
    )
