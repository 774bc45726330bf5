"""Republished copies: near-identical texts found by Jaccard similarity of word 5-grams.

An agency text printed by two papers, or a press release copied verbatim, is
one source, not two.  Every document whose word 5-gram set has a Jaccard
similarity of at least :data:`THRESHOLD` with an earlier one becomes
``duplicate_of`` that earlier document (the first published; ties by id).
Candidate pairs come from an inverted index of shingle hashes, so the cost
grows with shared shingles, not with the square of the number of documents.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable

from pipelines.timeline.documents import Document

SHINGLE = 5
THRESHOLD = 0.5
MIN_SHINGLES = 20  # shorter texts (most comments) are never called copies
_COMMON = 50  # a shingle in more documents than this is boilerplate, not evidence
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE) -> set[int]:
    """CRC32 hashes of the lower-cased word n-grams of a text."""
    words = _WORD.findall(text.lower())
    return {
        zlib.crc32(" ".join(words[i : i + size]).encode("utf-8"))
        for i in range(len(words) - size + 1)
    }


def jaccard(a: set[int], b: set[int]) -> float:
    """|a ∩ b| / |a ∪ b| (0 for two empty sets)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def find_duplicates(
    docs: Iterable[Document], threshold: float = THRESHOLD
) -> dict[str, tuple[str, float]]:
    """``{copy_id: (original_id, similarity)}`` for every republished copy."""
    ordered = sorted(
        (d for d in docs if d.kind != "comment" and d.text),
        key=lambda d: (d.published or "9999", d.id),
    )
    sets = {d.id: shingles(d.text) for d in ordered}
    sets = {k: v for k, v in sets.items() if len(v) >= MIN_SHINGLES}
    index: dict[int, list[str]] = defaultdict(list)
    result: dict[str, tuple[str, float]] = {}
    for doc in ordered:
        mine = sets.get(doc.id)
        if mine is None:
            continue
        shared: Counter[str] = Counter()
        for h in mine:
            earlier = index[h]
            if len(earlier) <= _COMMON:
                shared.update(earlier)
        best: tuple[float, str] | None = None
        for other, _count in shared.most_common(10):
            sim = jaccard(mine, sets[other])
            if sim >= threshold and (best is None or sim > best[0]):
                best = (sim, other)
        if best is not None:
            original = result.get(best[1], (best[1], 1.0))[0]
            result[doc.id] = (original, round(best[0], 3))
        for h in mine:
            index[h].append(doc.id)
    return result


def mark_duplicates(docs: dict[str, Document], threshold: float = THRESHOLD) -> int:
    """Set ``duplicate_of`` on every copy; returns the number of copies."""
    found = find_duplicates(docs.values(), threshold)
    for copy_id, (original, _sim) in found.items():
        docs[copy_id].duplicate_of = original
    return len(found)
