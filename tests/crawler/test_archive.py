"""WARC indexing and replay lookups, including archives made by other tools."""

import gzip
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.archive import ArchiveError, WarcArchive, WarcRecorder, url_key

PAGE = b"<html><body><p>Die Kammer ist offline.</p></body></html>"


def write_sample(path: Path) -> None:
    recorder = WarcRecorder(path)
    recorder.write(
        "https://www.hwk-aachen.de/artikel/a-33,0,1.html",
        200,
        "OK",
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
        PAGE,
    )
    recorder.write(
        "https://www.hwk-aachen.de/", 301, "Moved", [("Location", "https://www.hwk-info.de/")], b""
    )
    recorder.write(
        "https://blog.example/2024/01/09/x/comment-page-2/",
        200,
        "OK",
        [("Content-Type", "text/html")],
        PAGE,
    )
    recorder.write(
        "https://blog.example/wp-json/wp/v2/comments?post=1",
        200,
        "OK",
        [("Content-Type", "application/json")],
        b"[]",
    )
    recorder.close()


def test_round_trip_and_lookup_variants(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    write_sample(path)
    archive = WarcArchive(path)
    assert len(archive) == 4
    got = archive.get("http://www.hwk-aachen.de/artikel/a-33,0,1.html#top")
    assert got is not None and got.body == PAGE and got.status == 200
    assert ("Content-Encoding", "gzip") not in got.headers  # payload is stored decoded
    redirect = archive.get("https://www.hwk-aachen.de")
    assert redirect is not None and redirect.status == 301
    assert ("Location", "https://www.hwk-info.de/") in redirect.headers
    # sub-pages and API answers are replayable, but not documents of their own
    assert archive.documents() == ["https://www.hwk-aachen.de/artikel/a-33,0,1.html"]
    assert archive.get("https://www.hwk-aachen.de/artikel/other.html") is None


def test_archive_written_by_another_tool_with_whole_file_gzip(tmp_path: Path) -> None:
    plain = tmp_path / "plain.warc"
    with plain.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        for n in range(3):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
            body = f"<p>Seite {n}</p>".encode()
            record = writer.create_warc_record(
                f"<http://example.org/{n}>",
                "response",
                payload=__import__("io").BytesIO(body),
                http_headers=http,
            )
            writer.write_record(record)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    for path in (plain, whole):
        archive = WarcArchive(path)
        assert [archive.get(f"http://example.org/{n}").body for n in range(3)] == [  # type: ignore[union-attr]
            b"<p>Seite 0</p>",
            b"<p>Seite 1</p>",
            b"<p>Seite 2</p>",
        ]


def test_not_a_warc_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.warc.gz"
    bad.write_bytes(gzip.compress(b"<html>no warc</html>"))
    with pytest.raises(ArchiveError, match=r"notes\.warc\.gz: not a WARC file"):
        WarcArchive(bad)


def test_truncated_archive_keeps_the_complete_records(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    write_sample(path)
    data = path.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 40])
    archive = WarcArchive(cut)
    assert 1 <= len(archive) < 4
    assert archive.get("https://www.hwk-aachen.de/artikel/a-33,0,1.html") is not None


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="cannot open"):
        WarcArchive(tmp_path / "nope.warc.gz")


def test_url_key_ignores_scheme_fragment_and_trailing_slash() -> None:
    assert url_key("https://WWW.Example.org/a/#x") == url_key("http://www.example.org/a")
    assert url_key("<http://example.org/a?b=1>") == "//example.org/a?b=1"


def test_split_urls_keeps_commas_inside_chamber_urls() -> None:
    from crawler.spiders.base import split_urls

    one = "https://www.hwk-aachen.de/artikel/x-33,0,2111.html"
    two = "https://www.hwk-koeln.de/artikel/y-32,0,5.html"
    assert split_urls(f"{one},{two}") == [one, two]
    assert split_urls(f"{one} {two}") == [one, two]
