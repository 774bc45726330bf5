"""SQLite store upserts and the JSONL/CSV exports."""

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from crawler.items import ARTICLE_COLUMNS, COMMENT_COLUMNS, Article, Comment
from pipelines.atomic import atomic_write
from pipelines.export import export_store, safe_cell
from pipelines.store import Store, StoreError


def article(**overrides: object) -> Article:
    data: dict = {
        "id": "borncity.com:post:1",
        "url": "https://www.borncity.com/blog/2024/01/09/x/",
        "canonical_url": "https://www.borncity.com/blog/2024/01/09/x/",
        "source": "borncity.com",
        "title": "Kammern offline",
        "author": "G. B.",
        "published": "2024-01-09T10:15:00+01:00",
        "text": "Text",
        "comment_count": 1,
        "fetched_at": "2024-01-10T09:00:00+01:00",
    }
    data.update(overrides)
    return Article(**data)


def comment(text: str = '=HYPERLINK("http://x")') -> Comment:
    return Comment(
        id="borncity.com:comment:7",
        url="https://www.borncity.com/blog/2024/01/09/x/#comment-7",
        article_url="https://www.borncity.com/blog/2024/01/09/x/",
        article_id="borncity.com:post:1",
        parent_id=None,
        author="Leser; mit Semikolon",
        published="2024-01-09T11:00:00+01:00",
        text=text,
        position=1,
    )


def test_upsert_twice_adds_nothing_and_keeps_first_seen(tmp_path: Path) -> None:
    with Store(tmp_path / "kw.db") as store:
        assert store.upsert(article(), seen_at="2024-01-10T00:00:00+01:00") is True
        assert store.upsert(comment(), seen_at="2024-01-10T00:00:00+01:00") is True
        assert store.upsert(article(title="Neu"), seen_at="2024-01-11T00:00:00+01:00") is False
        assert store.count("articles") == 1
        assert store.count("comments") == 1
        row = store.db.execute("SELECT title, first_seen, last_seen FROM articles").fetchone()
    assert tuple(row) == ("Neu", "2024-01-10T00:00:00+01:00", "2024-01-11T00:00:00+01:00")


def test_store_uses_wal_and_passes_integrity_check(tmp_path: Path) -> None:
    with Store(tmp_path / "kw.db") as store:
        store.upsert(article())
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db = sqlite3.connect(tmp_path / "kw.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_unreadable_store_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "kammerwatch.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match=r"kammerwatch\.db: not a usable Kammerwatch store"):
        Store(bad)
    assert bad.read_bytes().startswith(b"this is not sqlite")  # nothing overwritten


def test_facts_are_replaced_per_document(tmp_path: Path) -> None:
    with Store(tmp_path / "kw.db") as store:
        store.replace_facts([{"doc_id": "a", "kind": "article", "url": "u", "claims": [1]}])
        store.replace_facts([{"doc_id": "a", "kind": "article", "url": "u", "claims": [2]}])
        assert list(store.iter_facts()) == [
            {"doc_id": "a", "kind": "article", "url": "u", "claims": [2]}
        ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+49 123", "'+49 123"),
        ("-2", "'-2"),
        ("@user", "'@user"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Köln", "Köln"),
        (None, ""),
        (3, 3),
    ],
)
def test_safe_cell(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def test_exports_round_trip_for_german_excel(tmp_path: Path) -> None:
    with Store(tmp_path / "kw.db") as store:
        store.upsert(article(title="Kölner Kammer; offline"))
        store.upsert(comment(text='Zeile eins\nZeile zwei; mit "Zitat"'))
        written = export_store(store, tmp_path)
    assert written == {
        "articles.jsonl": 1,
        "articles.csv": 1,
        "comments.jsonl": 1,
        "comments.csv": 1,
    }
    raw = (tmp_path / "comments.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == COMMENT_COLUMNS
    assert dict(zip(rows[0], rows[1], strict=True))["text"] == 'Zeile eins\nZeile zwei; mit "Zitat"'
    arows = list(
        csv.reader(
            (tmp_path / "articles.csv").open(encoding="utf-8-sig", newline=""), delimiter=";"
        )
    )
    assert arows[0] == ARTICLE_COLUMNS
    assert arows[1][ARTICLE_COLUMNS.index("title")] == "Kölner Kammer; offline"
    line = json.loads((tmp_path / "articles.jsonl").read_text("utf-8"))
    assert list(line) == ARTICLE_COLUMNS
    assert line["title"] == "Kölner Kammer; offline"


def test_csv_export_neutralises_formulas(tmp_path: Path) -> None:
    with Store(tmp_path / "kw.db") as store:
        store.upsert(comment())
        export_store(store, tmp_path)
    rows = list(
        csv.DictReader(
            (tmp_path / "comments.csv").open(encoding="utf-8-sig", newline=""), delimiter=";"
        )
    )
    assert rows[0]["text"] == '\'=HYPERLINK("http://x")'


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "articles.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("half")
        raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["articles.csv"]


def test_changed_content_keeps_the_old_version(tmp_path: Path) -> None:
    with Store(tmp_path / "kw.db") as store:
        assert store.upsert_status(comment("Erste Fassung")) == "new"
        assert store.upsert_status(comment("Erste Fassung")) == "unchanged"
        assert store.upsert_status(comment("Zweite Fassung (bearbeitet)")) == "changed"
        current = store.db.execute("SELECT text FROM comments").fetchone()[0]
        old = store.db.execute("SELECT data FROM comment_versions").fetchall()
    assert current == "Zweite Fassung (bearbeitet)"
    assert [json.loads(row[0])["text"] for row in old] == ["Erste Fassung"]


def test_comments_missing_from_a_complete_thread_are_marked_deleted(tmp_path: Path) -> None:
    with Store(tmp_path / "kw.db") as store:
        store.upsert(article())
        store.upsert(comment("bleibt"))
        other = Comment(**{**comment("verschwindet").__dict__, "id": "borncity.com:comment:8"})
        store.upsert(other)
        assert store.mark_deleted("borncity.com:post:1", {"borncity.com:comment:7"}) == 1
        rows = dict(store.db.execute("SELECT id, deleted_at IS NOT NULL FROM comments"))
        assert rows == {"borncity.com:comment:7": 0, "borncity.com:comment:8": 1}
        store.upsert(other)  # it came back
        assert (
            store.db.execute(
                "SELECT deleted_at FROM comments WHERE id = 'borncity.com:comment:8'"
            ).fetchone()[0]
            is None
        )


def test_old_store_files_are_migrated(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "kw.db")  # the first release's layout
    db.execute(f"CREATE TABLE comments ({', '.join(COMMENT_COLUMNS)}, first_seen, last_seen)")
    db.commit()
    db.close()
    with Store(tmp_path / "kw.db") as store:
        columns = {row[1] for row in store.db.execute("PRAGMA table_info(comments)")}
    assert {"content_hash", "deleted_at"} <= columns


def test_exports_are_readable_by_others(tmp_path: Path) -> None:
    with atomic_write(tmp_path / "x.csv") as handle:
        handle.write("a")
    assert (tmp_path / "x.csv").stat().st_mode & 0o044 == 0o044
