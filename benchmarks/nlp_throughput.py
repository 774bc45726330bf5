"""Throughput and memory of the NLP extraction (``make bench``; not a test).

Generates N synthetic documents (articles and comments built from templates
about the incident), then measures in the same run:

* docs/s and tokens/s of the extract path (records -> facts dicts, streaming,
  the same code as ``kammerwatch extract``) and of spaCy's bare German tokenizer
  (``spacy.blank("de").tokenizer``) on the same texts; the ratio is the figure
  of merit (target >= 0.3);
* peak memory (``resource.getrusage`` max RSS, in a fresh subprocess per size)
  of streaming extraction at 5,000 and 20,000 documents (target: flat).

Usage: python benchmarks/nlp_throughput.py [--docs 20000] [--no-memory]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CITIES = ["Aachen", "Köln", "Dortmund", "Düsseldorf", "Münster", "Flensburg", "Trier", "Koblenz"]
SENTENCES = [
    "Die Website der Handwerkskammer {c} ist seit {wd} nicht erreichbar.",
    "Grund ist ein Cyberangriff auf den IT-Dienstleister ODAV AG am {d}. Januar 2024.",
    "Prüfungen und Lehrgänge finden wie geplant statt, sagte ein Sprecher der Kammer.",
    "Ein Abfluss personenbezogener Daten kann nicht ausgeschlossen werden.",
    "Die Kammer hat den Landesbeauftragten für Datenschutz informiert.",
    "Betroffen sind auch die Kammern in {c} und {c2}.",
    "Laut WDR sollen die Systeme erst in einigen Wochen wieder online sein.",
    "Die Handwerkskammer {c} ist telefonisch und per E-Mail erreichbar.",
    "Am {d}.1.2024 war die Seite wieder erreichbar.",
    "Bislang gebe es keine Hinweise auf einen Datenabfluss, so Hauptgeschäftsführer Thomas Berg.",
]
COMMENTS = [
    "Na toll, bei meiner HWK in {c} geht auch nichts mehr.",
    "Ist die Seite in {c} immer noch offline?",
    "Gestern lief es wieder, heute wieder down. /s",
    "Das erinnert an Südwestfalen IT im Oktober 2023.",
]
WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"]


def generate(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """N synthetic records (4 of 5 articles, 1 of 5 comments), deterministic."""
    rnd = random.Random(seed)
    for i in range(n):
        comment = i % 5 == 4
        pool = COMMENTS if comment else SENTENCES
        k = rnd.randint(1, 3) if comment else rnd.randint(5, 12)
        parts = []
        for _ in range(k):
            c, c2 = rnd.sample(CITIES, 2)
            parts.append(
                rnd.choice(pool).format(c=c, c2=c2, wd=rnd.choice(WEEKDAYS), d=rnd.randint(5, 28))
            )
        yield {
            "id": f"bench:{i}",
            "kind": "comment" if comment else "article",
            "url": f"https://example.org/{i}",
            "published": f"2024-01-{rnd.randint(8, 31):02d}T10:00:00+01:00",
            "text": " ".join(parts),
        }


def bench_throughput(n: int) -> dict[str, float]:
    """Tokenizer vs extract on the same N texts."""
    import spacy

    from pipelines.nlp.facts import extract_records
    from pipelines.nlp.language import get_nlp

    get_nlp("de")  # load outside the timing
    tokenizer: Any = spacy.blank("de").tokenizer
    texts = [r["text"] for r in generate(n)]
    t0 = time.perf_counter()
    tokens: int = 0
    for doc in tokenizer.pipe(texts, batch_size=256):
        tokens += len(doc)
    t_tok = time.perf_counter() - t0
    t0 = time.perf_counter()
    count = 0
    for _facts in extract_records(generate(n)):
        count += 1
    t_ext = time.perf_counter() - t0
    return {
        "docs": n,
        "tokens": tokens,
        "tokenizer_docs_per_s": n / t_tok,
        "tokenizer_tokens_per_s": tokens / t_tok,
        "extract_docs_per_s": count / t_ext,
        "extract_tokens_per_s": tokens / t_ext,
        "ratio": t_tok / t_ext,
    }


def peak_memory_child(n: int) -> None:
    """In a subprocess: stream N docs through extraction, print max RSS in MiB."""
    from pipelines.nlp.facts import extract_records

    for _facts in extract_records(generate(n)):
        pass
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"docs": n, "peak_rss_mib": rss_kib / 1024}))


def bench_memory(sizes: list[int]) -> list[dict[str, float]]:
    out = []
    for n in sizes:
        proc = subprocess.run(
            [sys.executable, __file__, "--memory-child", str(n)],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )  # fmt: skip
        out.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--memory-child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        peak_memory_child(args.memory_child)
        return 0
    r = bench_throughput(args.docs)
    print(f"documents: {r['docs']:,}  tokens: {r['tokens']:,}")
    for label, key in (("bare tokenizer", "tokenizer"), ("extract", "extract")):
        docs_s, tok_s = r[f"{key}_docs_per_s"], r[f"{key}_tokens_per_s"]
        print(f"{label:<15}: {docs_s:10.0f} docs/s {tok_s:12.0f} tokens/s")
    print(f"ratio extract/tokenizer: {r['ratio']:.3f} (target >= 0.3)")
    if not args.no_memory:
        for m in bench_memory([5000, args.docs if args.docs > 5000 else 20000]):
            print(f"peak RSS at {m['docs']:>6,} docs: {m['peak_rss_mib']:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
