"""Throughput and memory of the NLP extraction (``make bench``; not a test).

Generates N synthetic documents (the mix of a crawl: articles about the
incident with background sentences, chamber notices, short on-topic comments
and off-topic comments; names, cities, numbers and dates vary per document),
then measures in the same run:

* docs/s and tokens/s of the extract path (records -> facts dicts, streaming,
  the same code as ``kammerwatch extract``) and of spaCy's bare German tokenizer
  (``spacy.blank("de").tokenizer``) on the same texts; the ratio is the figure
  of merit (target >= 0.3);
* peak memory (``resource.getrusage`` max RSS, in a fresh subprocess per size)
  of streaming extraction at 5,000 and 20,000 documents (target: flat).

An extra line, not the headline, gives ``extract --jobs N`` (worker processes).

Usage: python benchmarks/nlp_throughput.py [--docs 20000] [--no-memory] [--jobs 2]
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

SEATS = [
    "Aachen", "Köln", "Dortmund", "Düsseldorf", "Münster", "Flensburg", "Trier", "Koblenz",
    "Bielefeld", "Arnsberg", "Kaiserslautern", "Braunschweig", "Lübeck", "Mainz", "Passau",
    "Ulm", "Konstanz", "Kassel", "Schwerin", "Erfurt", "Leipzig", "Chemnitz", "Oldenburg",
]  # fmt: skip
OTHER_CITIES = ["Bonn", "Essen", "Hagen", "Siegen", "Neuss", "Gütersloh", "Speyer", "Landau"]
FIRST = ["Thomas", "Anna", "Peter", "Julia", "Markus", "Sabine", "Jörg", "Claudia", "Stefan"]
LAST = ["Berg", "Krämer", "Hoffmann", "Schulte", "Wagner", "Neumann", "Brandt", "Vogel"]
ROLES = ["Hauptgeschäftsführer", "Sprecherin", "Pressesprecher", "Präsident", "IT-Leiterin"]
OUTLETS = ["WDR", "SWR", "NDR", "heise online", "Golem", "die Rheinpfalz", "das Handwerksblatt"]
MONTHS = ["Januar", "Februar", "März"]
WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"]
# Sentences of articles about the incident (claims, attribution, dates).
ARTICLE = [
    "Die Website der Handwerkskammer {c} ist seit {wd} nicht erreichbar.",
    "Grund ist ein Cyberangriff auf den IT-Dienstleister ODAV AG am {d}. Januar 2024.",
    "Prüfungen und Lehrgänge finden wie geplant statt, sagte {role} {name}.",
    "Ein Abfluss personenbezogener Daten kann derzeit nicht ausgeschlossen werden.",
    "Die Kammer hat den Landesbeauftragten für Datenschutz informiert.",
    "Betroffen sind auch die Kammern in {c}, {c2} und {c3}.",
    "Laut {outlet} sollen die Systeme erst in einigen Wochen wieder online sein.",
    "Die Handwerkskammer {c} ist telefonisch und per E-Mail erreichbar.",
    "Am {d}.1.2024 war die Seite der HWK {c} wieder erreichbar.",
    "Bislang gebe es keine Hinweise auf einen Datenabfluss, so {name}.",
    "Die Kammer in {c} ist nach eigenen Angaben nicht betroffen.",
    "Auch das E-Mail-Postfach der Kammer {c} war zeitweise gestört.",
    "Die Staatsanwaltschaft ermittelt, eine Strafanzeige wurde gestellt.",
    "Wann die Online-Dienste wieder verfügbar sind, ist noch offen.",
    "ODAV hat alle Systeme vorsorglich vom Netz genommen.",
]
# Background sentences of the same articles (no claim).
BACKGROUND = [
    "Die Handwerkskammer {c} vertritt nach eigenen Angaben rund {n}.{m:03d} Betriebe.",
    "Das Unternehmen mit Sitz in Straubing betreut zahlreiche Kunden im öffentlichen Sektor.",
    "{name} leitet die Abteilung seit {y} und war zuvor bei einem Softwarehaus in {o} tätig.",
    "Im vergangenen Jahr legten in der Region {n} Gesellen ihre Prüfung ab.",
    "Experten raten Betrieben seit Langem, Notfallpläne und Sicherungskopien vorzuhalten.",
    "Der Verband verweist auf die angespannte Lage am Ausbildungsmarkt.",
    "Weitere Informationen will die Kammer über ihre Kanäle in den sozialen Netzwerken geben.",
    "Die Zahl der Meisterprüfungen stieg zuletzt um {p} Prozent.",
    "Das Bildungszentrum in {o} wurde {y} eröffnet und bietet {n} Werkstattplätze.",
]
NOTICE = [
    "Aufgrund eines IT-Sicherheitsvorfalls bei unserem Dienstleister sind wir derzeit "
    "nicht per E-Mail erreichbar.",
    "Unsere Internetseite und die Online-Dienste stehen vorübergehend nicht zur Verfügung.",
    "Die Prüfungen finden wie geplant statt.",
    "Sie erreichen uns telefonisch unter 0{n}1 {n}{m:03d}.",
    "Nach derzeitigem Kenntnisstand sind keine Daten abgeflossen.",
    "Wir bitten um Ihr Verständnis und informieren Sie an dieser Stelle.",
    "Stand: {d}. {month} 2024, {h}:{mi:02d} Uhr",
]
COMMENT = [
    "Na toll, bei meiner HWK in {c} geht auch nichts mehr.",
    "Ist die Seite in {c} immer noch offline?",
    "gestern lief es wieder, heute wieder down /s",
    "Das erinnert an Südwestfalen IT im Oktober 2023.",
    "bei uns in {c} ist die kammer seit {wd} tot, telefon geht aber",
    "Kann ich bestätigen, {c} ist auch betroffen.",
    "{c} läuft bei mir ganz normal.",
    "Weiß jemand, ob die Gesellenprüfung am {d}.{mo}. stattfindet?",
    "Mich würde interessieren, ob da Daten abgeflossen sind.",
]
OFFTOPIC = [
    "Off-Topic: seit dem letzten Update hängt bei mir Outlook beim Start.",
    "Hat jemand einen Tipp für einen guten Router unter {n}0 Euro?",
    "Schöner Artikel, danke {name}!",
    "Bei uns in {o} regnet es seit Tagen, passt zur Stimmung.",
    "Ich warte seit {n} Wochen auf einen Termin beim Bürgeramt, das ist auch so eine Sache.",
    "Falscher Thread, aber weiß jemand, wann das nächste Treffen in {o} ist?",
    "Der {o}er Bäcker hat übrigens die besten Brötchen.",
    "LOL",
    "Genau meine Meinung.",
    "Wer hat gestern das Spiel gesehen? {n}:{p} nach Verlängerung!",
]


def _fill(rnd: random.Random, template: str) -> str:
    c, c2, c3 = rnd.sample(SEATS, 3)
    return template.format(
        c=c, c2=c2, c3=c3, o=rnd.choice(OTHER_CITIES), wd=rnd.choice(WEEKDAYS),
        d=rnd.randint(5, 28), mo=rnd.randint(1, 3), month=rnd.choice(MONTHS),
        y=rnd.randint(1995, 2022), n=rnd.randint(2, 9), m=rnd.randint(0, 999),
        p=rnd.randint(2, 19), h=rnd.randint(7, 18), mi=rnd.randint(0, 59),
        name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}", role=rnd.choice(ROLES),
        outlet=rnd.choice(OUTLETS),
    )  # fmt: skip


def _paragraphs(rnd: random.Random, sentences: list[str]) -> str:
    out, para = [], []
    for sentence in sentences:
        para.append(sentence)
        if len(para) >= rnd.randint(2, 4):
            out.append(" ".join(para))
            para = []
    if para:
        out.append(" ".join(para))
    return "\n\n".join(out)


def generate(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """N synthetic records, deterministic.

    The mix of a crawl: 30 % articles about the incident (a headline and 6-15
    sentences, a third of them background without a claim, in paragraphs),
    10 % chamber notices, 35 % short on-topic comments (1-3 sentences) and
    25 % off-topic comments.  Names, cities, numbers and dates vary per
    document so that neither side works on one repeated text.
    """
    rnd = random.Random(seed)
    for i in range(n):
        r = rnd.random()
        if r < 0.30:
            kind = "article"
            k = rnd.randint(6, 15)
            parts = [_fill(rnd, rnd.choice(BACKGROUND if rnd.random() < 0.35 else ARTICLE))
                     for _ in range(k)]  # fmt: skip
            head = _fill(rnd, "Cyberangriff: Handwerkskammer {c} seit Tagen offline")
            text = head + "\n\n" + _paragraphs(rnd, parts)
        elif r < 0.40:
            kind = "article"
            parts = [_fill(rnd, t) for t in rnd.sample(NOTICE, rnd.randint(3, len(NOTICE)))]
            text = "Eingeschränkte Erreichbarkeit\n\n" + _paragraphs(rnd, parts)
        elif r < 0.75:
            kind = "comment"
            text = " ".join(_fill(rnd, rnd.choice(COMMENT)) for _ in range(rnd.randint(1, 3)))
        else:
            kind = "comment"
            text = " ".join(_fill(rnd, rnd.choice(OFFTOPIC)) for _ in range(rnd.randint(1, 3)))
        yield {
            "id": f"bench:{i}",
            "kind": kind,
            "url": f"https://example.org/{i}",
            "published": f"2024-01-{rnd.randint(8, 31):02d}T{rnd.randint(6, 22):02d}:00:00+01:00",
            "text": text,
        }


def bench_jobs(n: int, jobs: int) -> float:
    """docs/s of the extract path with ``jobs`` worker processes (an extra figure only)."""
    from pipelines.nlp.facts import extract_records

    records = list(generate(n))
    t0 = time.perf_counter()
    count = sum(1 for _ in extract_records(iter(records), jobs=jobs))
    assert count == n
    return n / (time.perf_counter() - t0)


def bench_throughput(n: int, repeats: int = 3) -> dict[str, float]:
    """Tokenizer vs extract on the same N texts.

    The tokenizer side is the best of ``repeats`` runs, each with a fresh
    tokenizer (its cache starts cold, as in the pipeline); the extract side runs
    once after the pipeline is loaded.  Both see exactly the same texts.
    """
    import spacy

    from pipelines.nlp.facts import extract_records
    from pipelines.nlp.language import get_nlp

    get_nlp("de")  # load outside the timing
    records = list(generate(n))
    texts = [r["text"] for r in records]
    t_tok = float("inf")
    tokens = 0
    for _ in range(repeats):
        tokenizer: Any = spacy.blank("de").tokenizer
        t0 = time.perf_counter()
        tokens = 0
        for doc in tokenizer.pipe(texts, batch_size=256):
            tokens += len(doc)
        t_tok = min(t_tok, time.perf_counter() - t0)
    t0 = time.perf_counter()
    count = 0
    for _facts in extract_records(iter(records)):
        count += 1
    t_ext = time.perf_counter() - t0
    assert count == n
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
    parser.add_argument("--jobs", type=int, default=2, help="extra line: extract with N processes")
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
    if args.jobs > 1:
        jobs_s = bench_jobs(args.docs, args.jobs)
        print(
            f"extra, not the headline: extract --jobs {args.jobs}: {jobs_s:.0f} docs/s "
            f"({jobs_s / r['extract_docs_per_s']:.2f}x one process; ratio to the one-process "
            f"tokenizer {jobs_s / r['tokenizer_docs_per_s']:.3f})"
        )
    if not args.no_memory:
        for m in bench_memory([5000, args.docs if args.docs > 5000 else 20000]):
            print(f"peak RSS at {m['docs']:>6,} docs: {m['peak_rss_mib']:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
