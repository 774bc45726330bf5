"""Main-text extraction quality: our extractor vs trafilatura on the news fixtures.

For every ``tests/fixtures/news/<name>.html`` with a ``<name>.expected.json`` the
script runs :func:`crawler.parsers.maintext.extract_main_text` and
:func:`crawler.parsers.maintext.extract_main_text_trafilatura`, and scores each
output against the hand-written expected text:

* token-level precision, recall and F1 (lowercased word tokens, multiset overlap),
  per page and as a macro average;
* "noise leaked": how many of the page's planted noise strings
  (``tests/fixtures/news/noise.json``) appear in the output;
* milliseconds per page (best of ``--repeat`` runs).

It prints a table and a verdict (ours at least as good as trafilatura on macro F1
or not).  Run::

    PYTHONPATH=. python benchmarks/extraction_quality.py [--repeat 3]

trafilatura needs ``lxml_html_clean`` (via justext); if it cannot be imported
its column is reported as unavailable.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crawler.parsers.maintext import extract_main_text, extract_main_text_trafilatura

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "news"
_TOKEN = re.compile(r"\w+")

Extractor = Callable[[str, str | None], str]


@dataclass
class Score:
    """Quality of one extraction against the expected text."""

    precision: float
    recall: float
    f1: float
    leaked: list[str]
    ms: float


def tokens(text: str) -> Counter[str]:
    """Lowercased word tokens as a multiset."""
    return Counter(_TOKEN.findall(text.lower()))


def prf(expected: str, got: str) -> tuple[float, float, float]:
    """Token-level precision, recall and F1 (1.0 each when both are empty)."""
    exp, out = tokens(expected), tokens(got)
    if not exp and not out:
        return 1.0, 1.0, 1.0
    overlap = sum((exp & out).values())
    precision = overlap / sum(out.values()) if out else 0.0
    recall = overlap / sum(exp.values()) if exp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def leaked_noise(text: str, noise: list[str]) -> list[str]:
    """The planted noise strings found in ``text`` (case- and whitespace-insensitive)."""
    flat = " ".join(text.split()).lower()
    return [n for n in noise if " ".join(n.split()).lower() in flat]


def load_cases() -> list[tuple[str, str, dict[str, object], list[str]]]:
    """(name, html, expected, noise) for every fixture with an expected file."""
    noise: dict[str, list[str]] = json.loads((FIXTURES / "noise.json").read_text("utf-8"))
    cases = []
    for exp_path in sorted(FIXTURES.glob("*.expected.json")):
        name = exp_path.name.removesuffix(".expected.json")
        html = (FIXTURES / f"{name}.html").read_bytes().decode("utf-8")
        cases.append((name, html, json.loads(exp_path.read_text("utf-8")), noise.get(name, [])))
    return cases


def score(
    extractor: Extractor, html: str, expected: dict[str, object], noise: list[str], repeat: int
) -> Score:
    """Run ``extractor`` ``repeat`` times (best time) and score its output."""
    best = float("inf")
    out = ""
    for _ in range(repeat):
        start = time.perf_counter()
        out = extractor(html, str(expected["url"]))
        best = min(best, time.perf_counter() - start)
    p, r, f = prf(str(expected["text"]), out)
    return Score(p, r, f, leaked_noise(out, noise), best * 1000)


def main(argv: list[str] | None = None) -> int:
    """Print the comparison table and the verdict; exit 1 if ours is worse."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per page (best time)")
    args = parser.parse_args(argv)

    extractors: dict[str, Extractor] = {"ours": extract_main_text}
    try:
        import trafilatura  # noqa: F401

        extractors["trafilatura"] = extract_main_text_trafilatura
    except ImportError as exc:
        print(f"trafilatura unavailable: {exc}", file=sys.stderr)

    cases = load_cases()
    results: dict[str, dict[str, Score]] = {name: {} for name in extractors}
    for case_name, html, expected, noise in cases:
        for name, fn in extractors.items():
            results[name][case_name] = score(fn, html, expected, noise, args.repeat)

    header = f"{'page':<16}" + "".join(
        f" | {name[:11]:>11}   P     R     F1  leak    ms" for name in extractors
    )
    print(header)
    print("-" * len(header))
    for case_name, _html, _exp, noise in cases:
        row = f"{case_name:<16}"
        for name in extractors:
            s = results[name][case_name]
            row += (
                f" | {'':>11} {s.precision:5.3f} {s.recall:5.3f} {s.f1:5.3f} "
                f"{len(s.leaked):2d}/{len(noise):<2d} {s.ms:5.1f}"
            )
        print(row)
    print("-" * len(header))
    macro: dict[str, tuple[float, float, float, int, float]] = {}
    for name in extractors:
        scores = list(results[name].values())
        n = len(scores)
        macro[name] = (
            sum(s.precision for s in scores) / n,
            sum(s.recall for s in scores) / n,
            sum(s.f1 for s in scores) / n,
            sum(len(s.leaked) for s in scores),
            sum(s.ms for s in scores) / n,
        )
        p, r, f, leaks, ms = macro[name]
        print(
            f"{name:<12} macro P {p:.3f}  R {r:.3f}  F1 {f:.3f}  leaked {leaks}  {ms:.1f} ms/page"
        )
    for name in extractors:
        for case_name, s in results[name].items():
            if s.leaked:
                print(f"  {name} leaked on {case_name}: {s.leaked}")

    if "trafilatura" not in macro:
        print("verdict: no trafilatura baseline")
        return 0
    ours_f1, traf_f1 = macro["ours"][2], macro["trafilatura"][2]
    ours_leaks, traf_leaks = macro["ours"][3], macro["trafilatura"][3]
    ok = ours_f1 >= traf_f1
    print(
        f"verdict: ours {'>=' if ok else '<'} trafilatura on macro F1 "
        f"({ours_f1:.3f} vs {traf_f1:.3f}; leaks {ours_leaks} vs {traf_leaks}; "
        f"{macro['ours'][4]:.1f} vs {macro['trafilatura'][4]:.1f} ms/page)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
