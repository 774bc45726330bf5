"""Exports of the store: JSON Lines and German-Excel CSV, written atomically.

- ``articles.jsonl`` / ``comments.jsonl``: one JSON object per line, UTF-8.
- ``articles.csv`` / ``comments.csv``: UTF-8 with BOM, ``;`` separator, CRLF,
  every field quoted where needed, so a German Excel opens them right; cells
  that a spreadsheet would run as a formula (starting with ``= + - @``, tab
  or CR) are prefixed with ``'``.

:class:`ExportExtension` (a Scrapy extension, as it handles no items) runs
the export when the crawl has closed, after the store has committed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from pipelines.atomic import atomic_write
from pipelines.store import TABLES, Store, db_path

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formula injection in text cells."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def write_csv(path: str | Path, columns: list[str], rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    with atomic_write(path, encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_cell(row.get(c)) for c in columns])
            count += 1
    return count


def write_jsonl(path: str | Path, rows: Iterable[dict[str, Any]]) -> int:
    count = 0
    with atomic_write(path) as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def export_store(store: Store, out_dir: str | Path) -> dict[str, int]:
    """Write all exports of the store into out_dir; returns rows per file."""
    out = Path(out_dir)
    written: dict[str, int] = {}
    for table, columns in TABLES.items():
        written[f"{table}.jsonl"] = write_jsonl(out / f"{table}.jsonl", store.rows(table))
        written[f"{table}.csv"] = write_csv(out / f"{table}.csv", columns, store.rows(table))
    return written


class ExportExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("KW_EXPORT", True):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Any = None, **_: Any) -> None:
        settings = self.crawler.settings
        with Store(db_path(settings)) as store:
            written = export_store(store, settings.get("KW_OUT_DIR", "output"))
        assert self.crawler.stats is not None
        for name, rows in written.items():
            self.crawler.stats.set_value(f"kw/export/{name}", rows)
