"""The SQLite store (``output/kammerwatch.db``): articles, comments and facts.

Upserts by id, so crawling the same pages twice adds no rows; ``first_seen``
keeps the first crawl time, ``last_seen`` the latest.  A record whose content
changed (its ``content_hash``: title/text/author/times, not the fetch time)
keeps its previous version in ``article_versions``/``comment_versions``; a
comment missing from a completely re-read thread gets ``deleted_at`` instead of
being removed.  Nothing is silently overwritten.  WAL journal and one
transaction per document: a killed crawl never leaves half a thread or a
corrupt file.  :class:`StorePipeline` is the Scrapy item pipeline in front of it.

For incremental crawls (:mod:`crawler.incremental`) the store also keeps the
HTTP validators of each fetched page (``http_cache``: ETag, Last-Modified, body
hash) and when each comment thread was last read completely and last had a new
comment (``thread_checks``), which sets its decaying re-check interval.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.dates import now_iso
from crawler.items import ARTICLE_COLUMNS, COMMENT_COLUMNS, Article, Comment, Thread

TABLES: dict[str, list[str]] = {"articles": ARTICLE_COLUMNS, "comments": COMMENT_COLUMNS}
_TYPES = {"comment_count": "INTEGER", "position": "INTEGER", "depth": "INTEGER"}

SCHEMA = (
    "\n".join(
        f"CREATE TABLE IF NOT EXISTS {table} (\n"
        + ",\n".join(
            f"  {col} {_TYPES.get(col, 'TEXT')}{' PRIMARY KEY' if col == 'id' else ''}"
            for col in cols
        )
        + ",\n  first_seen TEXT,\n  last_seen TEXT\n);"
        for table, cols in TABLES.items()
    )
    + "".join(
        f"""
CREATE TABLE IF NOT EXISTS {kind}_versions (
  id TEXT NOT NULL,
  content_hash TEXT,
  data TEXT NOT NULL,
  superseded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS {kind}_versions_id ON {kind}_versions(id);"""
        for kind in ("article", "comment")
    )
    + """
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE INDEX IF NOT EXISTS comments_article ON comments(article_id);
CREATE INDEX IF NOT EXISTS comments_published ON comments(published);
CREATE TABLE IF NOT EXISTS facts (
  doc_id TEXT PRIMARY KEY,
  kind TEXT,
  url TEXT,
  facts TEXT NOT NULL,
  extracted_at TEXT
);
CREATE TABLE IF NOT EXISTS http_cache (
  url TEXT PRIMARY KEY,
  etag TEXT,
  last_modified TEXT,
  fetched_at TEXT,
  content_hash TEXT
);
CREATE TABLE IF NOT EXISTS thread_checks (
  article_id TEXT PRIMARY KEY,
  last_checked TEXT NOT NULL,
  last_new_comment TEXT,
  interval REAL NOT NULL
);
"""
)

# Decaying re-check interval of comment threads (seconds): see :func:`recheck_interval`.
MIN_RECHECK = 3600.0
MAX_RECHECK = 7 * 24 * 3600.0


# Columns added after the first release: created on open when missing.
MIGRATIONS = {
    "articles": {"content_hash": "TEXT"},
    "comments": {"content_hash": "TEXT", "deleted_at": "TEXT"},
    # the document's content_hash and the extractor's fingerprint the facts were made from
    "facts": {"source_hash": "TEXT"},
}
# What counts as a change of content (not fetch times, positions or page URLs).
CONTENT_FIELDS = {
    "articles": ("url", "canonical_url", "title", "author", "published", "modified", "text"),
    "comments": ("parent_id", "author", "published", "text"),
}


def content_hash(table: str, values: dict[str, Any]) -> str:
    payload = json.dumps([values.get(f) for f in CONTENT_FIELDS[table]], ensure_ascii=False)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def extraction_source(table: str, values: dict[str, Any], fingerprint: str) -> str:
    """What a document's facts are made from (``facts.source_hash``), from the item's
    values: the same string :meth:`Store.documents_to_extract` builds in SQL."""
    extra = values.get("language") if table == "articles" else values.get("url")
    return f"{content_hash(table, values)}|{extra or ''}:{fingerprint}"


def recheck_interval(last_checked: str, last_new_comment: str | None) -> float:
    """Seconds until a thread is due again: half the time it has been quiet,
    at least an hour, at most a week (``min(7 d, max(1 h, quiet / 2))``)."""
    if not last_new_comment:
        return MAX_RECHECK
    try:
        quiet = (
            datetime.fromisoformat(last_checked) - datetime.fromisoformat(last_new_comment)
        ).total_seconds()
    except ValueError:
        return MIN_RECHECK
    return min(MAX_RECHECK, max(MIN_RECHECK, quiet / 2))


def seconds_between(start: str, end: str) -> float:
    """``end - start`` in seconds (ISO 8601 with offsets)."""
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


@cache
def _statements(table: str) -> tuple[str, str]:
    """INSERT-if-new and UPDATE statements of a table (first_seen kept on update)."""
    cols = TABLES[table]
    insert = (
        f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}, content_hash, first_seen, last_seen) "
        f"VALUES ({', '.join('?' for _ in cols)}, ?, ?, ?)"
    )
    sets = ", ".join(f"{c} = ?" for c in cols if c != "id")
    revive = ", deleted_at = NULL" if table == "comments" else ""
    update = f"UPDATE {table} SET {sets}, content_hash = ?, last_seen = ?{revive} WHERE id = ?"
    return insert, update


def _migrate(db: sqlite3.Connection) -> None:
    for table, columns in MIGRATIONS.items():
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        for column, kind in columns.items():
            if column not in have:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    db.commit()


def _remove_new(paths: list[Path], existed: list[bool]) -> None:
    for path, was_there in zip(paths, existed, strict=True):
        if not was_there:
            path.unlink(missing_ok=True)


def _missing_columns(db: sqlite3.Connection) -> str | None:
    """The first table or column of the data contract the file lacks, or None."""
    for table, cols in TABLES.items():
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if not have:
            return f"table {table}"
        lacking = [c for c in cols if c not in have]
        if lacking:
            return f"column {table}.{lacking[0]}"
    return None


class StoreError(RuntimeError):
    """The store file cannot be used (not SQLite, corrupt, unwritable)."""


class Store:
    """A Kammerwatch SQLite store; use as a context manager or call close()."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path}: no such store")
        db: sqlite3.Connection | None = None
        side = [Path(f"{self.path}{suffix}") for suffix in ("-wal", "-shm")]
        existed = [p.exists() for p in side]
        try:
            if readonly:
                db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.executescript(SCHEMA)
                _migrate(db)
            db.row_factory = sqlite3.Row
            missing = _missing_columns(db)
        except sqlite3.DatabaseError as exc:
            if db is not None:
                db.close()
            _remove_new(side, existed)  # a failed open leaves no -wal/-shm files behind
            raise StoreError(f"{self.path}: not a usable Kammerwatch store ({exc})") from exc
        if missing:
            db.close()
            _remove_new(side, existed)
            raise StoreError(f"{self.path}: not a Kammerwatch store (no {missing})")
        self.db = db

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def commit(self) -> None:
        self.db.commit()

    # -- writing -------------------------------------------------------
    def upsert(self, item: Article | Comment, seen_at: str | None = None) -> bool:
        """Insert or update one item; returns True when it was new."""
        return self.upsert_status(item, seen_at) == "new"

    def upsert_status(self, item: Article | Comment, seen_at: str | None = None) -> str:
        """Insert or update one item: "new", "changed" (old version kept) or "unchanged"."""
        return self.upsert_many([item], seen_at)[0]

    def upsert_many(
        self, items: Sequence[Article | Comment], seen_at: str | None = None
    ) -> list[str]:
        """Insert or update items, in bulk: each one's status as :meth:`upsert_status` gives.

        One query reads the stored hashes of all of them, one statement per
        status writes them (a thread of 12 comments costs 4 statements, not 26).
        The old version of a changed item goes to ``<table>_versions`` first.
        """
        seen_at = seen_at or now_iso()
        statuses: list[str] = [""] * len(items)
        by_table: dict[str, list[int]] = {}
        for index, item in enumerate(items):
            by_table.setdefault("articles" if isinstance(item, Article) else "comments", []).append(
                index
            )
        for table, indexes in by_table.items():
            ids = [items[i].id for i in indexes]
            if len(set(ids)) != len(ids):  # the same id twice: the second sees the first
                for i in indexes:
                    statuses[i] = self._upsert_many(table, [items[i]], seen_at)[0]
                continue
            for i, status in zip(
                indexes, self._upsert_many(table, [items[i] for i in indexes], seen_at), strict=True
            ):
                statuses[i] = status
        return statuses

    def _upsert_many(
        self, table: str, items: Sequence[Article | Comment], seen_at: str
    ) -> list[str]:
        insert, update = _statements(table)
        cols = TABLES[table]
        rows = [[getattr(item, c) for c in cols] for item in items]
        digests = [content_hash(table, dict(zip(cols, row, strict=True))) for row in rows]
        stored: dict[str, str | None] = {}
        ids = [row[0] for row in rows]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            query = f"SELECT id, content_hash FROM {table} WHERE id IN ({marks})"
            stored.update(self.db.execute(query, chunk).fetchall())
        statuses: list[str] = []
        inserts: list[list[Any]] = []
        updates: list[list[Any]] = []
        changed: list[str] = []
        for row, digest in zip(rows, digests, strict=True):
            if row[0] not in stored:
                statuses.append("new")
                inserts.append([*row, digest, seen_at, seen_at])
                continue
            old_hash = stored[row[0]]
            status = "unchanged" if old_hash in (digest, None) else "changed"
            statuses.append(status)
            if status == "changed":
                changed.append(row[0])
            updates.append([*row[1:], digest, seen_at, row[0]])
        for item_id in changed:
            old = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", (item_id,)).fetchone()
            self.db.execute(
                f"INSERT INTO {table[:-1]}_versions (id, content_hash, data, superseded_at) "
                "VALUES (?, ?, ?, ?)",
                (item_id, old["content_hash"], json.dumps(dict(old), ensure_ascii=False), seen_at),
            )
        if inserts:
            self.db.executemany(insert, inserts)
        if updates:
            self.db.executemany(update, updates)
        return statuses

    def mark_deleted(self, article_id: str, present: set[str], seen_at: str | None = None) -> int:
        """Comments of an article missing from a complete re-read: ``deleted_at`` is set."""
        stored = self.db.execute(
            "SELECT id FROM comments WHERE article_id = ? AND deleted_at IS NULL", (article_id,)
        ).fetchall()
        gone = [r[0] for r in stored if r[0] not in present]
        when = seen_at or now_iso()
        self.db.executemany(
            "UPDATE comments SET deleted_at = ? WHERE id = ?", [(when, cid) for cid in gone]
        )
        return len(gone)

    # -- incremental crawling -----------------------------------------------
    def validators(self, url: str) -> dict[str, Any] | None:
        """The ``http_cache`` row of ``url`` (etag, last_modified, fetched_at,
        content_hash), or None."""
        row = self.db.execute("SELECT * FROM http_cache WHERE url = ?", (url,)).fetchone()
        return dict(row) if row is not None else None

    def save_validators(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        fetched_at: str,
        content_hash: str,
    ) -> None:
        """Remember what the last complete fetch of ``url`` answered."""
        self.db.execute(
            "INSERT OR REPLACE INTO http_cache (url, etag, last_modified, fetched_at, "
            "content_hash) VALUES (?, ?, ?, ?, ?)",
            (url, etag, last_modified, fetched_at, content_hash),
        )

    def article_id_for(self, url: str) -> str | None:
        """The id of the stored article at ``url`` (its URL or canonical URL)."""
        row = self.db.execute(
            "SELECT id FROM articles WHERE url = ? OR canonical_url = ? LIMIT 1", (url, url)
        ).fetchone()
        return str(row[0]) if row is not None else None

    def thread_check(self, article_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT * FROM thread_checks WHERE article_id = ?", (article_id,)
        ).fetchone()
        return dict(row) if row is not None else None

    def thread_due(self, url: str, now: str) -> bool:
        """Whether the comment thread of the article at ``url`` should be read again
        (True for an article never checked or not stored)."""
        article_id = self.article_id_for(url)
        check = self.thread_check(article_id) if article_id else None
        if check is None:
            return True
        return seconds_between(check["last_checked"], now) >= float(check["interval"])

    def record_thread_check(
        self, article_id: str, now: str, new_comments: list[Comment | dict[str, Any]]
    ) -> dict[str, Any]:
        """A complete read of a thread at ``now`` found ``new_comments``.

        The thread's activity is the date of its newest new comment (not later
        than ``now``; ``now`` when undated): a thread quiet since 2024 is quiet
        at once, one that just got comments is checked again soon.  Returns the
        new row.
        """
        old = self.thread_check(article_id)
        last_new = old["last_new_comment"] if old else None
        if new_comments:
            dates = [
                (c.published if isinstance(c, Comment) else c.get("published")) or now
                for c in new_comments
            ]
            newest = min(max(dates, key=_instant), now, key=_instant)
            last_new = newest if last_new is None else max(last_new, newest, key=_instant)
        interval = recheck_interval(now, last_new)
        self.db.execute(
            "INSERT OR REPLACE INTO thread_checks (article_id, last_checked, last_new_comment, "
            "interval) VALUES (?, ?, ?, ?)",
            (article_id, now, last_new, interval),
        )
        return {
            "article_id": article_id,
            "last_checked": now,
            "last_new_comment": last_new,
            "interval": interval,
        }

    def replace_facts(
        self, facts: Iterable[dict[str, Any]], sources: Mapping[str, str] | None = None
    ) -> int:
        """Store one facts dict per document (by ``doc_id``), replacing older ones.

        ``sources`` maps doc ids to what the facts were made from (see
        :meth:`documents_to_extract`); without it a later incremental extraction
        does those documents again.
        """
        count = 0
        now = now_iso()
        sources = sources or {}
        with self.db:
            for fact in facts:
                self.db.execute(
                    "INSERT OR REPLACE INTO facts (doc_id, kind, url, facts, extracted_at, "
                    "source_hash) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        fact["doc_id"],
                        fact.get("kind"),
                        fact.get("url"),
                        json.dumps(fact, ensure_ascii=False),
                        now,
                        sources.get(fact["doc_id"]),
                    ),
                )
                count += 1
        return count

    # -- reading -------------------------------------------------------
    def count(self, table: str) -> int:
        if table not in (*TABLES, "facts"):
            raise ValueError(f"unknown table {table}")
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Items of a table in a stable order (published, then id), export columns only."""
        cols = TABLES[table]
        order = "published IS NULL, published, id"
        if table == "comments":
            order = "article_id, position, id"
        cursor = self.db.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}")
        for row in cursor:
            yield dict(zip(cols, row, strict=True))

    def iter_documents(self) -> Iterator[dict[str, Any]]:
        """Articles, then comments, as plain dicts (the NLP stage's input)."""
        yield from self.rows("articles")
        yield from self.rows("comments")

    # What the facts of a document are made from besides its content hash: the fields
    # the extractor reads that the content hash leaves out (see facts.normalize_record).
    # extraction_source() builds the same string from an item.
    _SOURCE = {
        "articles": "coalesce(d.content_hash, '') || '|' || coalesce(d.language, '')",
        "comments": "coalesce(d.content_hash, '') || '|' || coalesce(d.url, '')",
    }

    def _stale(
        self, table: str, columns: str, fingerprint: str, everything: bool
    ) -> sqlite3.Cursor:
        source = f"{self._SOURCE[table]} || ':' || ?"
        query = f"SELECT {columns.format(source=source)} FROM {table} AS d"
        if everything:
            return self.db.execute(query, (fingerprint,) * columns.count("{source}"))
        query += (
            " LEFT JOIN facts AS f ON f.doc_id = d.id "
            f"WHERE f.source_hash IS NULL OR f.source_hash != {source}"
        )
        return self.db.execute(query, (fingerprint,) * (columns.count("{source}") + 1))

    def count_to_extract(self, fingerprint: str, *, everything: bool = False) -> int:
        """How many documents :meth:`documents_to_extract` yields."""
        return sum(
            int(self._stale(table, "count(*)", fingerprint, everything).fetchone()[0])
            for table in TABLES
        )

    def documents_to_extract(
        self, fingerprint: str, *, everything: bool = False
    ) -> Iterator[tuple[dict[str, Any], str]]:
        """Documents whose facts are missing or out of date (all with ``everything``),
        each with what its facts will be made from (content hash, the fields the
        extractor reads beside it, and ``fingerprint``): new documents, changed ones,
        and every one whose facts came from another version of the extractor."""
        for table, cols in TABLES.items():
            columns = ", ".join(f"d.{c}" for c in cols) + ", {source}"
            for row in self._stale(table, columns, fingerprint, everything):
                yield dict(zip(cols, row[:-1], strict=True)), row[-1]

    def iter_facts(self) -> Iterator[dict[str, Any]]:
        for (raw,) in self.db.execute("SELECT facts FROM facts ORDER BY doc_id"):
            yield json.loads(raw)


def _instant(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return datetime.min.replace(tzinfo=datetime.now().astimezone().tzinfo)


def shared_store(crawler: Crawler) -> Store:
    """The crawl's one connection to its store, shared by the pipelines that write.

    One connection means no pipeline ever waits for another's write lock in the
    same (reactor) thread.  Each user calls :func:`release_store` when done; the
    last one commits and closes.
    """
    store: Store | None = getattr(crawler, "_kw_store", None)
    if store is None:
        store = Store(db_path(crawler.settings))
        crawler._kw_store = store  # type: ignore[attr-defined]
        crawler._kw_store_users = 0  # type: ignore[attr-defined]
    crawler._kw_store_users += 1  # type: ignore[attr-defined]
    return store


def release_store(crawler: Crawler) -> None:
    crawler._kw_store_users -= 1  # type: ignore[attr-defined]
    if crawler._kw_store_users == 0:  # type: ignore[attr-defined]
        crawler._kw_store.close()  # type: ignore[attr-defined]
        crawler._kw_store = None  # type: ignore[attr-defined]


class StorePipeline:
    """Upserts every Article and Comment of a Thread inside one transaction.

    Commits are batched (``KW_STORE_COMMIT_EVERY`` documents or
    ``KW_STORE_COMMIT_SECONDS``, whichever comes first) but always between
    documents, so a document is stored whole or not at all; a killed crawl
    loses at most the last batch, which a resumed crawl fetches again.
    """

    def __init__(self, crawler: Crawler, every: int, seconds: float) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.every = max(1, every)
        self.seconds = seconds
        self.store: Store | None = None
        self.pending = 0
        self.last_commit = time.monotonic()
        self.track_threads = crawler.settings.getbool("KW_INCREMENTAL")
        self.now = crawler.settings.get("KW_NOW") or now_iso()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(
            crawler,
            settings.getint("KW_STORE_COMMIT_EVERY", 50),
            settings.getfloat("KW_STORE_COMMIT_SECONDS", 2.0),
        )

    def open_spider(self, spider: Any = None) -> None:
        self.store = shared_store(self.crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if self.store is None:
            return item
        records = item.records() if isinstance(item, Thread) else [item]
        counts: dict[str, int] = {}
        new_comments: list[Comment | dict[str, Any]] = []
        storable = [r for r in records if isinstance(r, Article | Comment)]
        for record, status in zip(storable, self.store.upsert_many(storable), strict=True):
            key = f"kw/store/{record.kind}/{status}"
            counts[key] = counts.get(key, 0) + 1
            if status == "new" and isinstance(record, Comment):
                new_comments.append(record)
        if isinstance(item, Thread) and item.comments_complete:
            present = {c.id for c in item.comments}
            deleted = self.store.mark_deleted(item.article.id, present)
            if deleted:
                counts["kw/store/comment/deleted"] = deleted
            if self.track_threads:
                self.store.record_thread_check(item.article.id, self.now, new_comments)
        for key, count in counts.items():
            self.stats.inc_value(key, count)
        self.pending += 1
        now = time.monotonic()
        if self.pending >= self.every or now - self.last_commit >= self.seconds:
            self.store.commit()
            self.pending = 0
            self.last_commit = now
        return item

    def close_spider(self, spider: Any = None) -> None:
        if self.store is not None:
            self.store.commit()
            release_store(self.crawler)
            self.store = None


def db_path(settings: Any) -> Path:
    explicit = settings.get("KW_DB_PATH")
    return (
        Path(explicit)
        if explicit
        else Path(settings.get("KW_OUT_DIR", "output")) / "kammerwatch.db"
    )
