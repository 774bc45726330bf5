"""Parsing off the reactor: pure parser functions run in worker processes.

A spider's callbacks hand the page text to :meth:`ParsePool.run` and await the
typed result, so Scrapy's reactor thread keeps downloading, running
middlewares and storing items while another core parses.  Only the registered
pure functions of :data:`crawler.parseworker.PARSERS` run there (nothing of a
page chooses what is executed); what comes back is the parser's dataclass,
pickled.  The results are the same as parsing inline: the same function runs
on the same arguments.

The workers are plain child processes (``python -m crawler.parseworker``)
spoken to over their stdin/stdout pipes by the reactor's own asyncio loop:
requests are queued in the pipe without blocking, answers are read as they
come.  No helper thread competes with the reactor for the GIL, which is what
made ``concurrent.futures.ProcessPoolExecutor`` slower than parsing inline.

``KW_PARSE_WORKERS``: ``"auto"`` (the default) is one worker process when the
machine has at least two cores, else none; ``0`` parses inline in the reactor
thread; ``N`` starts N workers (each page goes to the least busy one).
Workers start on first use; the spiders of one process share them
(:func:`shared_pool`, each page counted in its own spider's stats) and the
last spider to close stops them.

A page whose parse takes longer than ``KW_PARSE_TIMEOUT`` seconds (default
120) is given up with a :class:`~crawler.parsers.common.ParseError` (counted
as ``kw/parse_pool/timeout``) and its worker killed: inline, such a page would
hang the whole crawl.

A worker that dies (killed, out of memory, or stopped after a timeout) is
replaced by a new one (``kw/parse_pool/restarted``) and its pages in flight
are parsed inline (``kw/parse_pool/parsed_inline``): nothing is lost.  After
``MAX_RESTARTS`` replacements, or when no process can be started, every later
page is parsed inline (``kw/parse_pool/broken``).  An exception raised by the parser (a
:class:`~crawler.parsers.common.ParseError`) reaches the caller as if it had
been raised inline.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

try:
    import fcntl
except ImportError:  # Windows: pipes keep the platform's size
    fcntl = None  # type: ignore[assignment]

from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector

from crawler.parsers.common import ParseError
from crawler.parseworker import HEADER, NAMES, loads, read_frames

logger = logging.getLogger(__name__)
PIPE_SIZE = 1 << 20  # bytes of kernel buffer on each worker pipe (see widen_pipe)
MAX_RESTARTS = 3  # dead workers replaced in one crawl before parsing goes inline

R = TypeVar("R")
# the stats of the spider whose page is being parsed (one pool serves all spiders of a process)
_CALLER_STATS: ContextVar[StatsCollector | None] = ContextVar("kw_parse_stats", default=None)


def worker_count(value: str | int | None, cpus: int | None = None) -> int:
    """Worker processes for a ``KW_PARSE_WORKERS`` value (``"auto"``, ``0``, ``N``)."""
    if cpus is None:
        cpus = os.cpu_count() or 1
    if value is None or str(value).strip().lower() in ("", "auto"):
        return 1 if cpus >= 2 else 0
    try:
        count = int(str(value).strip())
    except ValueError as exc:
        raise ValueError(f"KW_PARSE_WORKERS: {value!r} is neither 'auto' nor a number") from exc
    if count < 0:
        raise ValueError(f"KW_PARSE_WORKERS: {value!r} is negative")
    return count


class WorkerGone(Exception):
    """The worker process ended while pages were in flight."""


class UnreadableAnswer(Exception):
    """The worker's answer cannot be loaded: that one page is parsed inline."""


class _Reader(asyncio.Protocol):
    """Reads the answer frames of one worker and resolves their futures."""

    def __init__(self, worker: _Worker) -> None:
        self.worker = worker
        self.buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        self.buffer.extend(data)
        for task_id, payload in read_frames(self.buffer):
            self.worker.answer(task_id, payload)

    def connection_lost(self, exc: Exception | None) -> None:
        self.worker.gone()


class _Worker:
    """One child process and the futures of the pages it is parsing."""

    def __init__(self, process: subprocess.Popen[bytes], writer: asyncio.WriteTransport) -> None:
        self.process = process
        self.writer = writer
        self.reader: asyncio.BaseTransport | None = None
        self.pending: dict[int, asyncio.Future[Any]] = {}
        self.alive = True

    def answer(self, task_id: int, payload: bytes) -> None:
        future = self.pending.pop(task_id, None)
        if future is None or future.done():
            return
        try:
            ok, value = loads(payload)
        except Exception as exc:  # e.g. an exception class outside the allow-list
            future.set_exception(UnreadableAnswer(repr(exc)))
            return
        if ok is None:
            future.set_exception(UnreadableAnswer("the worker could not send its answer"))
        elif ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def gone(self) -> None:
        self.alive = False
        pending, self.pending = self.pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(WorkerGone("the parser worker ended"))

    def detach(self) -> None:
        """EOF on the worker's stdin (it exits once its page at hand is answered).

        The transports are aborted (unregistered from the loop at once, buffered
        requests dropped) and the pipes closed here and now: this runs inside a
        synchronous close and the loop gets no turn before the wait.
        """
        if not self.writer.is_closing():
            self.writer.abort()
        if self.reader is not None and not self.reader.is_closing():
            self.reader.close()  # unregisters at once; nothing is buffered on this side
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()

    def wait(self, timeout: float = 10.0) -> None:
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _worker_env() -> dict[str, str]:
    """The environment of a worker: this process's, with the directory (or egg)
    that holds the ``crawler`` package first on its path."""
    import crawler

    root = str(Path(crawler.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def widen_pipe(fd: int, size: int = PIPE_SIZE) -> int:
    """Give the pipe ``fd`` a kernel buffer of ``size`` bytes (at most what the
    system allows); returns the buffer size it has, 0 where that is unknown.

    With Linux's default of 64 KiB a typical page (90-360 KB of HTML) does not
    fit: the loop's write puts the first 64 KiB in the pipe and keeps the rest
    until its next turn, while the worker waits, idle, for the end of the page.
    The crawl benchmark ran at 0.47 of the bare spider that way (both processes
    ~70 % busy, the worker always 20 pages behind) and at 0.65 with 1 MiB pipes.
    """
    if fcntl is None or not hasattr(fcntl, "F_SETPIPE_SZ"):
        return 0  # not Linux: the platform's default
    try:
        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
    except (OSError, ValueError):
        limit = size
    try:
        return fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, max(min(size, limit), 4096))
    except OSError:
        return int(fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ))


class ParsePool:
    """Runs registered parser functions in ``workers`` processes (inline when 0)."""

    def __init__(
        self, workers: int, stats: StatsCollector | None = None, timeout: float = 120.0
    ) -> None:
        self.workers = workers
        self.stats = stats
        self.timeout = timeout
        self._pool: list[_Worker] = []
        self._starting: asyncio.Future[None] | None = None  # shared by the first callers
        self._restarts = 0
        self._replacing = asyncio.Lock()  # one replacement at a time for many lost pages
        self._next_id = 0
        self._inline = workers == 0

    @classmethod
    def from_settings(cls, settings: BaseSettings, stats: StatsCollector | None) -> ParsePool:
        return cls(
            worker_count(settings.get("KW_PARSE_WORKERS", "auto")),
            stats,
            settings.getfloat("KW_PARSE_TIMEOUT", 120.0),
        )

    @property
    def inline(self) -> bool:
        """True when pages are parsed in the calling thread."""
        return self._inline

    def _inc(self, key: str) -> None:
        stats = _CALLER_STATS.get() or self.stats
        if stats is not None:
            stats.inc_value(key)

    async def _start(self) -> None:
        for _ in range(self.workers):
            self._pool.append(await self._spawn())

    async def _spawn(self) -> _Worker:
        loop = asyncio.get_running_loop()
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler.parseworker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=_worker_env(),
        )
        assert process.stdin is not None and process.stdout is not None
        for pipe in (process.stdin, process.stdout):
            widen_pipe(pipe.fileno())
        writer, _ = await loop.connect_write_pipe(asyncio.Protocol, process.stdin)
        worker = _Worker(process, writer)
        worker.reader, _ = await loop.connect_read_pipe(
            lambda: _Reader(worker),
            process.stdout,
        )
        return worker

    async def _replace_dead(self) -> None:
        """Put a new worker in the place of each dead one, up to ``MAX_RESTARTS`` in
        all; beyond that (a page that kills every worker) parse inline from now on."""
        async with self._replacing:
            for index, worker in enumerate(self._pool):
                if worker.alive:
                    continue
                worker.detach()
                worker.wait()
                if self._restarts >= MAX_RESTARTS:
                    self._fail_over(f"{self._restarts} workers replaced already")
                    return
                self._restarts += 1
                self._inc("kw/parse_pool/restarted")
                self._pool[index] = await self._spawn()

    async def _ensure_started(self) -> None:
        """Start the workers once, however many callers arrive while they start."""
        if self._starting is None:
            self._starting = asyncio.ensure_future(self._start())
        await self._starting

    def _fail_over(self, reason: str) -> None:
        if not self._inline:
            self._inline = True
            self._inc("kw/parse_pool/broken")
            logger.warning("parser worker failed (%s); parsing inline from now on", reason)
            self.close()

    async def run(self, fn: Callable[..., R], *args: Any, stats: StatsCollector | None = None) -> R:
        """``fn(*args)``, in a worker process unless the pool is inline (or ``fn`` is not
        a registered parser); what happens is counted in ``stats`` (else the pool's)."""
        token = _CALLER_STATS.set(stats)
        try:
            return await self._run(fn, *args)
        finally:
            _CALLER_STATS.reset(token)

    async def _run(self, fn: Callable[..., R], *args: Any) -> R:
        name = NAMES.get(fn)
        if self._inline or name is None:
            return fn(*args)
        try:
            await self._ensure_started()
            live = [w for w in self._pool if w.alive]
            if not live:
                raise WorkerGone("no parser worker is running")
            worker = min(live, key=lambda w: len(w.pending))
            self._next_id = task_id = (self._next_id + 1) % 2**32
            payload = pickle.dumps((name, args, {}), protocol=pickle.HIGHEST_PROTOCOL)
            future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
            worker.pending[task_id] = future
            worker.writer.write(HEADER.pack(task_id, len(payload)) + payload)
            try:
                result = await asyncio.wait_for(future, self.timeout)
            except TimeoutError:
                # a page that hangs the parser would hang an inline parse too: give it up
                self._inc("kw/parse_pool/timeout")
                worker.process.kill()
                raise ParseError(
                    f"{args[1] if len(args) > 1 else name}: parsing took longer than "
                    f"{self.timeout:g} s (KW_PARSE_TIMEOUT); page skipped"
                ) from None
        except UnreadableAnswer:
            self._inc("kw/parse_pool/parsed_inline")
            return fn(*args)  # raises the parser's own exception, if that was it
        except (WorkerGone, OSError) as exc:
            logger.warning("parser worker lost (%s); parsing this page inline", exc)
            self._inc("kw/parse_pool/parsed_inline")
            try:
                await self._replace_dead()
            except OSError as error:  # no new process can be started
                self._fail_over(str(error))
            if not any(worker.alive for worker in self._pool):
                self._fail_over(str(exc))  # none started at all: stop trying
            return fn(*args)
        self._inc("kw/parse_pool/pages")
        return result

    def close(self) -> None:
        """Stop the workers (they finish the frame at hand and exit on EOF)."""
        pool, self._pool = self._pool, []
        for worker in pool:
            worker.detach()
        for worker in pool:
            worker.wait()


# One pool per process, shared by every spider of a crawl (``run --live`` runs three).
_SHARED: dict[str, Any] = {"pool": None, "users": 0}


def shared_pool(settings: BaseSettings) -> ParsePool:
    """The process's pool (made from the first caller's settings); release it when done."""
    if _SHARED["pool"] is None:
        _SHARED["pool"] = ParsePool.from_settings(settings, None)
    _SHARED["users"] += 1
    pool: ParsePool = _SHARED["pool"]
    return pool


def release_pool(pool: ParsePool) -> None:
    """One user less; the last one stops the workers."""
    if _SHARED["pool"] is not pool:
        pool.close()
        return
    _SHARED["users"] -= 1
    if _SHARED["users"] <= 0:
        _SHARED.update(pool=None, users=0)
        pool.close()
