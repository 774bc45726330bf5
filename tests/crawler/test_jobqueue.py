"""A killed crawl's request queue: damaged files are found and the queue dropped,
sound queues (written by queuelib itself) are kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from queuelib.queue import LifoDiskQueue

from crawler.jobqueue import damaged_files, drop_damaged_queue, lifo_problem


def _queue(path: Path, records: list[bytes]) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    queue = LifoDiskQueue(path)
    for record in records:
        queue.push(record)
    queue.close()
    return path.read_bytes()


def test_queuelib_files_are_sound_and_readable_after_the_check(tmp_path: Path) -> None:
    data = _queue(tmp_path / "q", [b"erste Anfrage", b"", b"x" * 70_000])
    assert lifo_problem(data) is None
    assert lifo_problem(b"\x00\x00\x00\x00") is None  # an empty queue is its header
    queue = LifoDiskQueue(tmp_path / "q")
    assert [queue.pop(), queue.pop(), queue.pop()] == [b"x" * 70_000, b"", b"erste Anfrage"]


@pytest.mark.parametrize(
    ("cut", "problem"),
    [
        (0, "0 bytes, shorter than the queue header"),
        (3, "3 bytes, shorter than the queue header"),
        (4, "header says 2 requests, the file holds 0"),
        (-3, "request 2 is cut off"),
        (-20, "request 2 is cut off"),
    ],
)
def test_cut_off_files_are_named(tmp_path: Path, cut: int, problem: str) -> None:
    data = _queue(tmp_path / "q", [b"a" * 30, b"b" * 40])
    assert lifo_problem(data[:cut]) == problem


def test_a_damaged_queue_is_dropped_and_a_sound_one_kept(tmp_path: Path) -> None:
    sound = tmp_path / "sound"
    _queue(sound / "requests.queue" / "0", [b"a"])
    (sound / "requests.queue" / "active.json").write_text("[0]")
    assert damaged_files(sound) == []
    assert drop_damaged_queue(sound) == []
    assert (sound / "requests.queue" / "0").exists()

    killed = tmp_path / "killed"
    _queue(killed / "requests.queue" / "0", [b"a"])
    (killed / "requests.queue" / "-1").write_bytes(b"")  # created, header never flushed
    (killed / "requests.seen").write_text("fp\n")
    dropped = drop_damaged_queue(killed)
    assert [(p.name, why) for p, why in dropped] == [
        ("-1", "0 bytes, shorter than the queue header")
    ]
    assert not (killed / "requests.queue").exists()
    assert not (killed / "requests.seen").exists()  # what was queued must not count as seen
    assert drop_damaged_queue(tmp_path / "never-ran") == []

    closing = tmp_path / "closing"  # killed while Scrapy wrote its queue state
    _queue(closing / "requests.queue" / "0", [b"a"])
    (closing / "requests.queue" / "active.json").write_text("")
    assert [(p.name, why.split(" (")[0]) for p, why in drop_damaged_queue(closing)] == [
        ("active.json", "unreadable JSON")
    ]
