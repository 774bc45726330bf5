"""Bad input on the command line: a one-line error naming the file, line or URL
and what is wrong; exit non-zero when the whole input is unusable, skip and
count single bad records otherwise; no partial output files.

Failing expectations that need changes outside this helper's files are marked
``xfail(strict=True)`` with the fix in the reason.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.archive import WarcRecorder
from tests.crawlrun import read_jsonl, run_cli
from tests.sites.misbehaving import UMLAUT_SENTENCE, news_page


def one_line(stderr: str) -> str:
    """The single line of an error message (fails on tracebacks and chatter)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr[-3000:]
    return lines[0]


def listing(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


# -- kammerwatch extract ---------------------------------------------------------------------
GOOD_1 = {
    "id": "t:post:1",
    "kind": "article",
    "url": "https://example.org/1",
    "published": "2024-01-10T10:00:00+01:00",
    "text": "Die Handwerkskammer Aachen ist seit dem 8. Januar 2024 nicht erreichbar.",
    "extra": {"unbekannt": 1},  # unknown fields are ignored
}
GOOD_2 = {
    "id": "t:comment:2",
    "kind": "comment",
    "url": "https://example.org/1#comment-2",
    "text": "Bei der HWK Köln ist die Seite auch weg.",
    "unknown_field": True,
}


def test_extract_skips_and_counts_bad_lines(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    lines = [
        json.dumps(GOOD_1, ensure_ascii=False),
        '{"id": "t:post:3", "kind": "article", "text": "abgeschnitten',
        "kein JSON",
        "[1, 2, 3]",
        json.dumps({"id": "t:post:4", "kind": "article", "url": "https://example.org/4"}),
        json.dumps({"id": 5, "kind": "article", "url": "https://example.org/5", "text": "x"}),
        "",
        json.dumps(GOOD_2, ensure_ascii=False),
    ]
    docs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out" / "facts.jsonl"
    proc = run_cli("extract", str(docs), "-o", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    errors = proc.stderr.strip().splitlines()
    assert [e.split(": skipped: ")[0] for e in errors] == [f"{docs}:{n}" for n in (2, 3, 4, 5, 6)]
    assert errors[2].endswith("not a JSON object")
    assert errors[3].endswith("missing text")
    assert errors[4].endswith("id and text must be strings")
    assert "(5 lines skipped)" in proc.stdout
    assert [f["doc_id"] for f in read_jsonl(out)] == ["t:post:1", "t:comment:2"]
    assert listing(out.parent) == ["facts.jsonl"]  # no temp file left


def test_extract_fails_when_no_line_is_usable(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text('nichts\n{"a": 1}\n', encoding="utf-8")
    proc = run_cli("extract", str(docs), "-o", str(tmp_path / "facts.jsonl"))
    assert proc.returncode == 1
    assert f"{docs}:1: skipped:" in proc.stderr and f"{docs}:2: skipped: missing" in proc.stderr


def test_failed_extract_keeps_the_previous_output(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text("nichts\n", encoding="utf-8")
    out = tmp_path / "facts.jsonl"
    out.write_text('{"doc_id": "alt"}\n', encoding="utf-8")
    proc = run_cli("extract", str(docs), "-o", str(out))
    assert proc.returncode == 1
    assert out.read_text("utf-8") == '{"doc_id": "alt"}\n'


def test_extract_names_a_wrongly_encoded_line(tmp_path: Path) -> None:
    docs = tmp_path / "latin1.jsonl"
    record = {**GOOD_1, "text": UMLAUT_SENTENCE}
    docs.write_bytes(json.dumps(record, ensure_ascii=False).encode("latin-1") + b"\n")
    out = tmp_path / "out" / "facts.jsonl"
    proc = run_cli("extract", str(docs), "-o", str(out))
    assert proc.returncode == 1
    assert one_line(proc.stderr).startswith(f"{docs}:1: ")
    assert not out.exists()


def test_extract_from_an_unreadable_store(tmp_path: Path) -> None:
    db = tmp_path / "kammerwatch.db"
    db.write_bytes(b"kein SQLite" * 500)
    proc = run_cli("extract", "--db", str(db))
    assert proc.returncode == 2
    assert f"{db}: not a usable Kammerwatch store" in one_line(proc.stderr)


# -- archives --------------------------------------------------------------------------------
def _write_requests_only(path: Path) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        headers = StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True)
        record = writer.create_warc_record(
            "https://example.org/", "request", payload=io.BytesIO(b""), http_headers=headers
        )
        writer.write_record(record)


def _write_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("seite.html", "<html></html>")


TruncatedRun = tuple[Path, Path, subprocess.CompletedProcess[str]]

NOT_WARC: dict[str, tuple[Callable[[Path], object], str]] = {
    "empty.warc": (lambda p: p.write_bytes(b""), "not a WARC file"),
    "notes.warc": (lambda p: p.write_text("Notizen\n", encoding="utf-8"), "not a WARC file"),
    "text.warc.gz": (lambda p: p.write_bytes(gzip.compress(b"<html>")), "not a WARC file"),
    "broken.warc.gz": (lambda p: p.write_bytes(b"\x1f\x8b\x08\x00garbage"), "broken gzip"),
    "pages.zip": (_write_zip, "not a WARC file"),
    "folder.warc": (lambda p: p.mkdir(), "cannot open"),
    "requests.warc.gz": (_write_requests_only, "no HTTP response records"),
}


@pytest.mark.parametrize("command", ["crawl", "run"])
@pytest.mark.parametrize("name", sorted(NOT_WARC))
def test_non_warc_archive_is_refused(tmp_path: Path, command: str, name: str) -> None:
    make, message = NOT_WARC[name]
    archive = tmp_path / name
    make(archive)
    out = tmp_path / "out"
    proc = run_cli(command, "--archive", str(archive), "--out", str(out))
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    assert line.startswith(f"kammerwatch: error: {archive}: {message}"), line
    assert not out.exists()


def _truncated_archive(path: Path) -> list[str]:
    """A WARC of three news pages, cut off inside the third record; the URLs."""
    urls = [f"https://nachrichten.example/artikel-{n}/" for n in (1, 2, 3)]
    recorder = WarcRecorder(path)
    for n, url in enumerate(urls, 1):
        body = news_page(f"Meldung {n}").encode("utf-8")
        recorder.write(url, 200, "OK", [("Content-Type", "text/html; charset=utf-8")], body)
        if n == 2:
            recorder._stream.flush()
            cut = path.stat().st_size + 400
    recorder.close()
    path.write_bytes(path.read_bytes()[:cut])
    return urls


@pytest.fixture(scope="module")
def truncated_crawl(tmp_path_factory: pytest.TempPathFactory) -> TruncatedRun:
    base = tmp_path_factory.mktemp("truncated")
    archive = base / "abgeschnitten.warc.gz"
    _truncated_archive(archive)
    out = base / "out"
    proc = run_cli("crawl", "--archive", str(archive), "--out", str(out), "-sLOG_LEVEL=WARNING")
    return archive, out, proc


def test_truncated_archive_keeps_what_is_readable(truncated_crawl: TruncatedRun) -> None:
    _archive, out, proc = truncated_crawl
    assert proc.returncode == 0, proc.stderr[-2000:]
    titles = sorted(a["title"] for a in read_jsonl(out / "articles.jsonl"))
    assert {"Meldung 1", "Meldung 2"} <= set(titles)
    full = [a for a in read_jsonl(out / "articles.jsonl") if a["title"].startswith("Meldung")]
    assert all(UMLAUT_SENTENCE in a["text"] for a in full)


def test_truncated_archive_is_reported(truncated_crawl: TruncatedRun) -> None:
    archive, out, proc = truncated_crawl
    titles = sorted(a["title"] for a in read_jsonl(out / "articles.jsonl"))
    assert titles == ["Meldung 1", "Meldung 2"]
    assert f"{archive}: truncated" in proc.stderr
    report = json.loads(sorted((out / "runs").glob("*.json"))[-1].read_text("utf-8"))
    assert report["kw/archive/truncated"] == 1


# -- unreadable stores -----------------------------------------------------------------------
def _malformed_store(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, text TEXT)")
        db.executemany(
            "INSERT INTO articles VALUES (?, ?)", [(str(i), "x" * 500) for i in range(300)]
        )
    db.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


STORES: dict[str, tuple[Callable[[Path], object], str]] = {
    "garbage": (lambda p: p.write_bytes(b"kein SQLite" * 500), "not a usable Kammerwatch store"),
    "directory": (lambda p: p.mkdir(), "not a usable Kammerwatch store"),
    "cut in half": (_malformed_store, "not a usable Kammerwatch store"),
}


@pytest.mark.parametrize("kind", sorted(STORES))
def test_export_of_an_unreadable_store(tmp_path: Path, kind: str) -> None:
    make, message = STORES[kind]
    make(tmp_path / "kammerwatch.db")
    before = listing(tmp_path)
    proc = run_cli("export", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert one_line(proc.stderr).startswith(f"kammerwatch: error: {tmp_path / 'kammerwatch.db'}: ")
    assert message in proc.stderr
    after = listing(tmp_path)
    assert not [n for n in after if n.endswith((".jsonl", ".csv", ".tmp"))]
    if kind != "cut in half":
        assert after == before


def test_failed_export_leaves_no_side_files(tmp_path: Path) -> None:
    _malformed_store(tmp_path / "kammerwatch.db")
    proc = run_cli("export", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert listing(tmp_path) == ["kammerwatch.db"]


def _foreign_db(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notizen (x TEXT)")
    db.close()


def _old_schema(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE articles (id TEXT PRIMARY KEY)")
    db.close()


@pytest.mark.parametrize("make", [_foreign_db, _old_schema], ids=["foreign", "old-schema"])
def test_export_of_a_foreign_sqlite_file(tmp_path: Path, make: Callable[[Path], None]) -> None:
    make(tmp_path / "kammerwatch.db")
    proc = run_cli("export", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert "not a Kammerwatch store" in one_line(proc.stderr) or "no table" in proc.stderr
    assert listing(tmp_path) == ["kammerwatch.db"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_export_of_a_store_without_read_permission(tmp_path: Path) -> None:
    db = tmp_path / "kammerwatch.db"
    _old_schema(db)
    db.chmod(0)
    proc = run_cli("export", "--out", str(tmp_path))
    assert proc.returncode == 2
    assert one_line(proc.stderr).startswith(f"kammerwatch: error: {db}: ")


def test_run_on_an_unreadable_store(tmp_path: Path) -> None:
    db = tmp_path / "kammerwatch.db"
    db.write_bytes(b"kein SQLite" * 500)
    proc = run_cli("run", "--out", str(tmp_path), "-sLOG_LEVEL=WARNING")
    assert proc.returncode == 2
    assert one_line(proc.stderr) == (
        f"kammerwatch: error: {db}: not a usable Kammerwatch store (file is not a database)"
    )
