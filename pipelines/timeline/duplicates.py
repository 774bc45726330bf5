"""Republished copies in a timeline build.

The detection itself is the syndication stage's (:mod:`pipelines.syndication`:
word 5-gram shingles, Jaccard or containment, MinHash candidates for large
corpora); here it is applied to the documents of the build, comments left out,
and every copy gets ``duplicate_of`` its original (the first published), so
that ``independent_sources`` counts an agency text printed by two papers once.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipelines.syndication import Doc, jaccard, shingles
from pipelines.syndication import find_duplicates as _find_duplicates
from pipelines.timeline.documents import Document

__all__ = ["find_duplicates", "jaccard", "mark_duplicates", "shingles"]


def find_duplicates(docs: Iterable[Document]) -> dict[str, tuple[str, float]]:
    """``{copy_id: (original_id, similarity)}`` for every republished copy."""
    candidates = [Doc(d.id, d.text, d.published) for d in docs if d.kind != "comment" and d.text]
    return {copy: (original, round(sim, 3)) for copy, original, sim in _find_duplicates(candidates)}


def mark_duplicates(docs: dict[str, Document]) -> int:
    """Set ``duplicate_of`` on every copy; returns the number of copies."""
    found = find_duplicates(docs.values())
    for copy_id, (original, _sim) in found.items():
        docs[copy_id].duplicate_of = original
    return len(found)
