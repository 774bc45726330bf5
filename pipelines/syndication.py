"""Syndication dedup: republished and near-identical copies of the same text.

Agency copy (dpa) appears on several regional sites with small edits; scraper
sites copy whole articles and wrap them in their own boilerplate.  For the
timeline such copies are one source, not several.  This module finds them and
records ``duplicate_of`` (the earliest published document of each group), so
later stages count independent sources.

Method: word 5-gram shingles of the normalised text (lower case, umlauts
folded, punctuation dropped), hashed to 64-bit integers.  Two documents are
near-duplicates when

- their Jaccard similarity is at least ``JACCARD`` (0.5): an edited
  republication shares most of its 5-grams, a rewrite of the same facts in
  other words shares few; or
- the shorter one is contained in the longer one for at least ``CONTAINMENT``
  (0.8) of its shingles (a copy wrapped in a scraper's boilerplate), provided
  it has ``MIN_SHINGLES`` shingles (short texts share stock phrases).

Up to ``EXACT_LIMIT`` documents every pair is compared exactly; above, a
MinHash signature (128 hash functions built from ``hashlib.blake2b`` and
universal hashing, no third-party package) and LSH banding propose candidate
pairs that are then checked exactly.

:class:`SyndicationPipeline` is the Scrapy side: when the crawl closes (after
the store has committed) it recomputes the groups over every article in the
store and rewrites its own table ``duplicates(doc_id PRIMARY KEY,
duplicate_of, similarity, method)``.  :func:`load_duplicates` reads it back
for the timeline.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Self

import numpy as np
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.items import Thread

SHINGLE = 5
JACCARD = 0.5
CONTAINMENT = 0.8
MIN_SHINGLES = 25
EXACT_LIMIT = 600
NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: pairs with Jaccard >= 0.5 become candidates with p > 0.86
_EMPTY = 1 << 32  # above every hash value: the signature of an empty set
BUCKET_WINDOW = 20  # earlier members a document is compared with in one LSH bucket
_FOLD = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"))
_WORD = re.compile(r"\w+")

SCHEMA = """
CREATE TABLE IF NOT EXISTS duplicates (
  doc_id TEXT PRIMARY KEY,
  duplicate_of TEXT NOT NULL,
  similarity REAL NOT NULL,
  method TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS duplicates_of ON duplicates(duplicate_of);
"""


@dataclass(frozen=True)
class Doc:
    """A document to compare: id, main text and publication time (ISO 8601 or None)."""

    id: str
    text: str
    published: str | None = None


# -- shingles and similarity -----------------------------------------------------
def words(text: str) -> list[str]:
    """Normalised word tokens: lower case, umlauts folded, punctuation dropped."""
    folded = text.lower()
    if not folded.isascii():  # str.replace is many times faster than str.translate
        for umlaut, ascii_form in _FOLD:
            folded = folded.replace(umlaut, ascii_form)
    return _WORD.findall(folded)


def _hash64(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "big")


_WORD_HASHES: dict[str, int] = {}
_ROLL = np.uint64(0x100000001B3)  # the FNV-1a 64-bit prime: multiplier of the rolling hash


def _word_hash(word: str) -> int:
    value = _WORD_HASHES.get(word)
    if value is None:
        if len(_WORD_HASHES) > 500_000:
            _WORD_HASHES.clear()  # bounded memory on endless vocabularies
        value = _WORD_HASHES[word] = _hash64(word)
    return value


def shingles(text: str, k: int = SHINGLE) -> frozenset[int]:
    """Hashed word k-grams of a text (a text shorter than k words is one shingle).

    Each word is hashed once (blake2b, cached); a k-gram's hash combines its
    words' hashes as a polynomial modulo 2**64 (vectorised with numpy), so the
    values are the same in every run and process.
    """
    tokens = words(text)
    if not tokens:
        return frozenset()
    hashes = np.fromiter((_word_hash(t) for t in tokens), dtype=np.uint64, count=len(tokens))
    if len(tokens) < k:
        k = len(tokens)
    combined = np.zeros(len(tokens) - k + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrapping modulo 2**64 is the point
        for offset in range(k):
            combined = combined * _ROLL + hashes[offset : offset + len(combined)]
    return frozenset(combined.tolist())


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """|A ∩ B| / |A ∪ B| (0 for two empty sets)."""
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """|A ∩ B| / min(|A|, |B|): how much of the shorter text the longer one contains."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def similarity(a: frozenset[int], b: frozenset[int]) -> tuple[float, str] | None:
    """``(score, method)`` when the two shingle sets are near-duplicates, else None."""
    j = jaccard(a, b)
    if j >= JACCARD:
        return round(j, 4), f"jaccard-{SHINGLE}"
    if min(len(a), len(b)) >= MIN_SHINGLES:
        c = containment(a, b)
        if c >= CONTAINMENT:
            return round(c, 4), f"containment-{SHINGLE}"
    return None


# -- MinHash / LSH -------------------------------------------------------------------
class MinHasher:
    """MinHash signatures with ``num_perm`` hash functions.

    Each function is multiply-add-shift hashing of the low 32 bits ``x`` of a
    shingle hash: ``((a·x + b) mod 2**64) >> 32`` with random 64-bit ``a, b``
    (universal for 32-bit keys); numpy computes all functions at once.
    """

    def __init__(self, num_perm: int = NUM_PERM, seed: int = 1) -> None:
        self.num_perm = num_perm
        params = [
            struct.unpack(">QQ", hashlib.blake2b(f"{seed}:{n}".encode(), digest_size=16).digest())
            for n in range(num_perm)
        ]
        self._a = np.array([a | 1 for a, _ in params], dtype=np.uint64)[:, None]
        self._b = np.array([b for _, b in params], dtype=np.uint64)[:, None]

    def signature(self, items: frozenset[int]) -> tuple[int, ...]:
        """The minimum of each hash function over the set (all ``2**32`` for an empty set)."""
        if not items:
            return (_EMPTY,) * self.num_perm
        values = np.fromiter(items, dtype=np.uint64, count=len(items)) & np.uint64(0xFFFFFFFF)
        with np.errstate(over="ignore"):  # wrapping modulo 2**64 is the point
            hashed = (self._a * values[None, :] + self._b) >> np.uint64(32)
        return tuple(hashed.min(axis=1).tolist())

    @staticmethod
    def estimate(sig_a: tuple[int, ...], sig_b: tuple[int, ...]) -> float:
        """Estimated Jaccard similarity: the share of equal signature positions."""
        return sum(x == y for x, y in zip(sig_a, sig_b, strict=True)) / len(sig_a)


def lsh_candidates(
    signatures: list[tuple[int, ...]], bands: int = BANDS, window: int = BUCKET_WINDOW
) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, sharing at least one band of their signatures.

    Signatures come in publication order.  In a bucket of more than ``window``
    members (many near-identical texts) each member is paired with the
    ``window`` members before it only: the group still chains to its earliest
    document, and the work stays linear instead of quadratic.
    """
    if not signatures:
        return set()
    rows = len(signatures[0]) // bands
    pairs: set[tuple[int, int]] = set()
    for band in range(bands):
        buckets: dict[tuple[int, ...], list[int]] = {}
        for index, sig in enumerate(signatures):
            buckets.setdefault(sig[band * rows : (band + 1) * rows], []).append(index)
        for members in buckets.values():
            for x in range(1, len(members)):
                j = members[x]
                for i in members[max(0, x - window) : x]:
                    pairs.add((i, j))
    return pairs


# -- grouping --------------------------------------------------------------------------
def _as_doc(value: Doc | Mapping[str, Any]) -> Doc:
    if isinstance(value, Doc):
        return value
    return Doc(str(value["id"]), str(value.get("text") or ""), value.get("published"))


def _order_key(doc: Doc) -> tuple[int, float, str]:
    """Earliest first; documents without a (valid) date after all dated ones."""
    if doc.published:
        try:
            return (0, datetime.fromisoformat(doc.published).timestamp(), doc.id)
        except ValueError:
            pass
    return (1, 0.0, doc.id)


def find_duplicates(
    docs: Iterable[Doc | Mapping[str, Any]], *, exact_limit: int = EXACT_LIMIT
) -> list[tuple[str, str, float]]:
    """Near-duplicate documents as ``(doc_id, duplicate_of, similarity)``.

    ``docs`` are :class:`Doc` objects or mappings with ``id``, ``text`` and
    ``published``.  ``duplicate_of`` is the earliest published document of the
    group (chains are resolved: a copy of a copy points to the original);
    ``similarity`` is that of the closest earlier document.  Documents are
    ordered by publication time, undated ones last.  Sorted by ``doc_id``.
    """
    return [(d, o, s) for d, o, s, _ in find_duplicates_detailed(docs, exact_limit=exact_limit)]


def find_duplicates_detailed(
    docs: Iterable[Doc | Mapping[str, Any]], *, exact_limit: int = EXACT_LIMIT
) -> list[tuple[str, str, float, str]]:
    """Like :func:`find_duplicates`, with the method as a fourth element."""
    ordered = sorted((_as_doc(d) for d in docs), key=_order_key)
    seen: set[str] = set()
    unique: list[Doc] = []
    for doc in ordered:
        if doc.id not in seen and doc.text.strip():
            seen.add(doc.id)
            unique.append(doc)
    sets = [shingles(doc.text) for doc in unique]
    if len(unique) <= exact_limit:
        earlier: dict[int, list[int]] = {j: list(range(j)) for j in range(len(unique))}
        via = ""
    else:
        hasher = MinHasher()
        earlier = {}
        for i, j in lsh_candidates([hasher.signature(s) for s in sets]):
            earlier.setdefault(j, []).append(i)
        via = "minhash+"
    root: dict[int, int] = {}
    results: list[tuple[str, str, float, str]] = []
    for j in range(len(unique)):
        best: tuple[float, str, int] | None = None
        for i in earlier.get(j, ()):
            found = similarity(sets[i], sets[j])
            if found and (best is None or found[0] > best[0]):
                best = (found[0], found[1], i)
        if best is None:
            continue
        original = root.get(best[2], best[2])
        root[j] = original
        results.append((unique[j].id, unique[original].id, best[0], via + best[1]))
    return sorted(results)


# -- the store table and the Scrapy pipeline ------------------------------------------
def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(SCHEMA)
    return db


def write_duplicates(path: str | Path, rows: list[tuple[str, str, float, str]]) -> int:
    """Replace the ``duplicates`` table of the store at ``path`` with ``rows``."""
    db = _connect(Path(path))
    try:
        with db:
            db.execute("DELETE FROM duplicates")
            db.executemany(
                "INSERT OR REPLACE INTO duplicates (doc_id, duplicate_of, similarity, method) "
                "VALUES (?, ?, ?, ?)",
                rows,
            )
    finally:
        db.close()
    return len(rows)


def stored_documents(path: str | Path) -> list[Doc]:
    """Every article of a store (id, text, published); [] without a store or table."""
    path = Path(path)
    if not path.exists():
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        rows = db.execute("SELECT id, text, published FROM articles").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        db.close()
    return [Doc(str(i), str(t or ""), p) for i, t, p in rows]


def load_duplicates(db_path: str | Path) -> dict[str, str]:
    """``{doc_id: duplicate_of}`` from a store; {} when there is no store or table."""
    path = Path(db_path)
    if not path.exists():
        return {}
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        rows = db.execute("SELECT doc_id, duplicate_of FROM duplicates").fetchall()
    except sqlite3.OperationalError:
        return {}
    finally:
        db.close()
    return {str(doc_id): str(original) for doc_id, original in rows}


class SyndicationPipeline:
    """Collects this crawl's articles; at ``spider_closed`` (the store has
    committed by then) groups every stored and collected article and rewrites
    the ``duplicates`` table.  Items pass through unchanged."""

    def __init__(self, path: Path, stats: StatsCollector) -> None:
        self.path = path
        self.stats = stats
        self.docs: dict[str, Doc] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        from pipelines.store import db_path

        assert crawler.stats is not None
        pipeline = cls(db_path(crawler.settings), crawler.stats)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, Thread) and item.article.text:
            article = item.article
            self.docs[article.id] = Doc(article.id, article.text, article.published)
        return item

    def spider_closed(self, spider: Any = None) -> None:
        docs = {doc.id: doc for doc in stored_documents(self.path)}
        docs.update(self.docs)
        if not docs:
            return
        rows = find_duplicates_detailed(docs.values())
        try:
            write_duplicates(self.path, rows)
        except sqlite3.Error as exc:
            self.stats.inc_value("kw/syndication/write_failed")
            if spider is not None:
                spider.logger.error("syndication: cannot write %s: %s", self.path, exc)
            return
        self.stats.set_value("kw/syndication/documents", len(docs))
        self.stats.set_value("kw/syndication/duplicates", len(rows))
        in_run = sum(1 for doc_id, *_ in rows if doc_id in self.docs)
        self.stats.set_value("kw/syndication/duplicates_this_run", in_run)
