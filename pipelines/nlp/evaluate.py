"""Score facts against gold annotations (precision, recall, F1, micro-averaged).

Gold lines: ``{doc_id, chambers_affected, chambers_not_affected,
chambers_mentioned, dates: [{value, precision}], claims: [{type, polarity,
chambers}]}``.  Per document both sides are turned into sets and the counts of
true positives, false positives and false negatives are summed over all gold
documents (documents only in the predictions are ignored; gold documents
missing from the predictions count as all false negatives).

Metrics: ``chambers_affected``, ``chambers_not_affected``, ``chambers_mentioned``,
``dates`` (value + precision), ``claims`` (type + polarity) and
``claim_triples`` (type + polarity + chamber; one triple per chamber of a
claim, ``(type, polarity, None)`` for a claim without chambers).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

METRICS = (
    "chambers_affected",
    "chambers_not_affected",
    "chambers_mentioned",
    "dates",
    "claims",
    "claim_triples",
)
Item = tuple[Any, ...]


def _claim_triples(claims: Iterable[dict[str, Any]]) -> set[Item]:
    out: set[Item] = set()
    for c in claims:
        chambers = c.get("chambers") or []
        if not chambers:
            out.add((c["type"], c["polarity"], None))
        out.update((c["type"], c["polarity"], cid) for cid in chambers)
    return out


def gold_sets(gold: dict[str, Any]) -> dict[str, set[Item]]:
    """The per-metric sets of one gold line."""
    return {
        "chambers_affected": {(c,) for c in gold.get("chambers_affected", [])},
        "chambers_not_affected": {(c,) for c in gold.get("chambers_not_affected", [])},
        "chambers_mentioned": {(c,) for c in gold.get("chambers_mentioned", [])},
        "dates": {(d["value"], d["precision"]) for d in gold.get("dates", [])},
        "claims": {(c["type"], c["polarity"]) for c in gold.get("claims", [])},
        "claim_triples": _claim_triples(gold.get("claims", [])),
    }


def pred_sets(facts: dict[str, Any]) -> dict[str, set[Item]]:
    """The per-metric sets of one facts line."""
    chambers = facts.get("chambers", [])
    return {
        "chambers_affected": {(c["id"],) for c in chambers if c["status"] == "affected"},
        "chambers_not_affected": {(c["id"],) for c in chambers if c["status"] == "not_affected"},
        "chambers_mentioned": {(c["id"],) for c in chambers if c["status"] == "mentioned"},
        "dates": {(d["value"], d["precision"]) for d in facts.get("dates", []) if d.get("value")},
        "claims": {(c["type"], c["polarity"]) for c in facts.get("claims", [])},
        "claim_triples": _claim_triples(facts.get("claims", [])),
    }


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def evaluate(
    gold: Iterable[dict[str, Any]], predictions: Iterable[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Micro-averaged P/R/F1 per metric (see module docstring)."""
    pred_by_id = {p["doc_id"]: p for p in predictions}
    counts = {m: [0, 0, 0] for m in METRICS}
    errors: dict[str, list[dict[str, Any]]] = {m: [] for m in METRICS}
    n = 0
    for g in gold:
        n += 1
        gs = gold_sets(g)
        p = pred_by_id.get(g["doc_id"])
        ps = pred_sets(p) if p else {m: set() for m in METRICS}
        for m in METRICS:
            tp = len(gs[m] & ps[m])
            counts[m][0] += tp
            counts[m][1] += len(ps[m] - gs[m])
            counts[m][2] += len(gs[m] - ps[m])
            if gs[m] != ps[m]:
                errors[m].append(
                    {"doc_id": g["doc_id"], "missing": sorted(map(str, gs[m] - ps[m])),
                     "extra": sorted(map(str, ps[m] - gs[m]))}
                )  # fmt: skip
    scores: dict[str, dict[str, Any]] = {m: _prf(*counts[m]) for m in METRICS}
    scores["_documents"] = {"gold": n}
    scores["_errors"] = errors
    return scores


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """All JSON lines of a file (blank lines skipped)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate_files(
    gold_path: Path, pred: Path | Iterable[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Score a gold file against a facts file or an iterable of facts dicts."""
    predictions = read_jsonl(pred) if isinstance(pred, Path) else pred
    return evaluate(read_jsonl(gold_path), predictions)


def format_table(scores: dict[str, dict[str, Any]]) -> str:
    """A fixed-width table of the scores."""
    lines = [f"{'metric':<24}{'P':>8}{'R':>8}{'F1':>8}{'TP':>6}{'FP':>6}{'FN':>6}"]
    for m in METRICS:
        s = scores[m]
        lines.append(
            f"{m:<24}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}"
            f"{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}"
        )
    lines.append(f"documents: {scores['_documents']['gold']}")
    return "\n".join(lines)
