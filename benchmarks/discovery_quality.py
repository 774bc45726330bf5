"""Discovery relevance quality: precision, recall and F1 of :mod:`crawler.relevance`
on the labelled feed items in ``tests/data/discovery/labelled_feed_items.jsonl``.

The set has a ``dev`` split (the items the weights were tuned on) and a
``holdout`` split written after tuning and never tuned on; both are reported,
with the errors listed and a threshold sweep.  The target of issue 5 is
recall ≥ 0.95 at precision ≥ 0.9.  Run::

    PYTHONPATH=. python benchmarks/discovery_quality.py [--sweep]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from crawler.relevance import RelevanceConfig, load_config, score

ITEMS = (
    Path(__file__).resolve().parent.parent
    / "tests"
    / "data"
    / "discovery"
    / "labelled_feed_items.jsonl"
)
TARGET_RECALL = 0.95
TARGET_PRECISION = 0.9


@dataclass
class Metrics:
    """Confusion counts of one evaluation and the ids of its errors."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_items(path: Path = ITEMS) -> list[dict[str, Any]]:
    """The labelled items (one JSON object per line)."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(
    items: list[dict[str, Any]],
    config: RelevanceConfig | None = None,
    split: str | None = None,
) -> Metrics:
    """Score every item (of one split, or all) and count agreements with the labels."""
    config = config or load_config()
    metrics = Metrics()
    for item in items:
        if split is not None and item.get("split") != split:
            continue
        verdict = score(
            item["title"], item["summary"], item["url"], item.get("published"), config=config
        )
        gold = item["label"] == "relevant"
        if verdict.relevant and gold:
            metrics.tp += 1
        elif verdict.relevant:
            metrics.fp += 1
            metrics.false_positives.append(item["id"])
        elif gold:
            metrics.fn += 1
            metrics.false_negatives.append(item["id"])
        else:
            metrics.tn += 1
    return metrics


def _line(name: str, m: Metrics) -> str:
    return (
        f"{name:<8} n={m.total:<4} tp={m.tp:<4} fp={m.fp:<3} fn={m.fn:<3} "
        f"P={m.precision:.3f} R={m.recall:.3f} F1={m.f1:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="also print a threshold sweep")
    args = parser.parse_args(argv)
    items = load_items()
    config = load_config()
    by_id = {item["id"]: item for item in items}
    relevant = sum(item["label"] == "relevant" for item in items)
    print(f"{len(items)} labelled items ({relevant} relevant), threshold {config.threshold}")
    overall = evaluate(items, config)
    for split in ("dev", "holdout"):
        print(_line(split, evaluate(items, config, split)))
    print(_line("all", overall))
    for kind, ids in (("false positive", overall.false_positives),
                      ("false negative", overall.false_negatives)):  # fmt: skip
        for item_id in ids:
            item = by_id[item_id]
            print(f"  {kind}: {item_id} [{item['category']}] {item['title']}")
    if args.sweep:
        for threshold in (4.0, 5.0, 5.5, 6.0, 6.5, 7.0, 8.0):
            print(_line(f"t={threshold}", evaluate(items, replace(config, threshold=threshold))))
    ok = overall.recall >= TARGET_RECALL and overall.precision >= TARGET_PRECISION
    print(
        f"target recall >= {TARGET_RECALL} at precision >= {TARGET_PRECISION}: "
        f"{'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
