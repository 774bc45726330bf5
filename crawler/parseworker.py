"""The parser worker process of :mod:`crawler.parsepool` (``python -m crawler.parseworker``).

Protocol on stdin/stdout: frames of an 8-byte header (task id, payload
length; big-endian unsigned 32-bit) followed by a pickle.  A request is
``(parser name, args, kwargs)``; the answer is ``(True, result)``,
``(False, exception)`` or ``(None, None)`` when neither can be pickled (the
crawler then parses that page itself).  Only the parsers named in :data:`PARSERS` can be
called.  The worker exits at EOF on stdin.

The pickles come only from the crawler process that started the worker,
through a pipe no one else holds, and hold only what our own parsers made of
a page.  Even so both sides read them with :func:`loads`, which rebuilds
plain data and the parsers' own dataclasses and exceptions and refuses every
other class: a pickle cannot call anything else.
"""

from __future__ import annotations

import io
import pickle
import signal
import struct
import sys
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from crawler.parsers.news import parse_news
from crawler.parsers.wordpress import parse_post

HEADER = struct.Struct(">II")
# The only classes a frame may contain (besides str, bytes, numbers, lists, dicts, tuples).
ALLOWED_CLASSES = {
    ("crawler.items", "Article"),
    ("crawler.items", "Comment"),
    ("crawler.parsers.article", "ArticlePage"),
    ("crawler.parsers.wordpress", "WordPressPage"),
    ("crawler.parsers.common", "ParseError"),
}
ALLOWED_BUILTINS = {
    "set", "frozenset", "ValueError", "TypeError", "KeyError", "IndexError",
    "AttributeError", "UnicodeError", "UnicodeDecodeError", "RecursionError", "MemoryError",
}  # fmt: skip


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in ALLOWED_CLASSES or (module == "builtins" and name in ALLOWED_BUILTINS):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refused to load {module}.{name} from a parser frame")


def loads(data: bytes) -> Any:
    """Unpickle a frame, refusing every class outside the allow-lists above."""
    return _Unpickler(io.BytesIO(data)).load()


PARSERS: dict[str, Callable[..., Any]] = {"parse_post": parse_post, "parse_news": parse_news}
NAMES: dict[Callable[..., Any], str] = {fn: name for name, fn in PARSERS.items()}


def read_frames(buffer: bytearray) -> Iterator[tuple[int, bytes]]:
    """Complete frames at the start of ``buffer`` (consumed from it), as (task id, payload)."""
    while len(buffer) >= HEADER.size:
        task_id, length = HEADER.unpack_from(buffer)
        end = HEADER.size + length
        if len(buffer) < end:
            return
        payload = bytes(buffer[HEADER.size : end])
        del buffer[:end]
        yield task_id, payload


def _read_exactly(stream: BinaryIO, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def answer(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes:
    """The pickled answer to one request."""
    try:
        result: tuple[bool, Any] = (True, PARSERS[name](*args, **kwargs))
    except Exception as exc:
        result = (False, exc)
    try:
        return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a result or exception that cannot be pickled: parse it inline
        return pickle.dumps((None, None))


def serve(stdin: BinaryIO, stdout: BinaryIO) -> None:
    """Answer requests until EOF."""
    while True:
        header = _read_exactly(stdin, HEADER.size)
        if header is None:
            return
        task_id, length = HEADER.unpack(header)
        payload = _read_exactly(stdin, length)
        if payload is None:
            return
        name, args, kwargs = loads(payload)
        data = answer(name, args, kwargs)
        stdout.write(HEADER.pack(task_id, len(data)))
        stdout.write(data)
        stdout.flush()


def main() -> None:
    """Serve on this process's stdin/stdout; stray prints go to stderr, Ctrl-C is the
    crawler's to handle (it closes our stdin)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    frames = sys.stdout.buffer
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, frames)


if __name__ == "__main__":
    main()
