"""Facts lines for the bundled sample corpus, built from data/sample_claims.json.

The spec names each claim by a needle inside its sentence; this module finds
the sentence in the crawled document text and writes the facts line exactly as
``kammerwatch extract`` would (evidence text and character offsets).  Regenerate
the committed fixture after a change to the spec or the sample corpus with::

    python -m crawler.cli crawl --archive crawler/data/sample.warc.gz --out /tmp/kw
    python -m tests.timeline.sample_facts /tmp/kw
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
SPEC = DATA / "sample_claims.json"
FIXTURE = DATA / "sample_facts.jsonl"
HIT = ("outage", "attack", "data_breach")
_NOT_ORDINAL = r"(?<!\b\d)(?<!\b\d\d)"  # "5. Januar" does not end a sentence
_BOUNDARY = re.compile(_NOT_ORDINAL + r"[.!?][“”\"]?\s+|\n+")
_END = re.compile(_NOT_ORDINAL + r"[.!?][“”\"]?(?=\s+[A-ZÄÖÜ„\"]|\s*$)")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def sentence(text: str, needle: str) -> tuple[int, int]:
    """Offsets of the sentence containing ``needle`` (which must occur in ``text``)."""
    at = text.find(needle)
    if at < 0:
        raise KeyError(needle)
    start = 0
    for m in _BOUNDARY.finditer(text, 0, at):
        start = m.end()
    end_match = _END.search(text, at + len(needle))
    end = end_match.end() if end_match else len(text)
    return start, end


def span(text: str, start: int, end: int) -> dict[str, Any]:
    return {"text": text[start:end], "start": start, "end": end}


def facts_for(doc: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """One facts line (the NLP stage's format) for a document and its spec entry."""
    text = doc["text"]
    claims = []
    status: dict[str, str] = {}
    for row in spec.get("claims", []):
        type_, polarity, chambers, value, precision, needle, speaker, attribution = row[:8]
        extra = row[8] if len(row) > 8 else {}
        start, end = sentence(text, needle)
        claim = {
            "type": type_,
            "polarity": polarity,
            "chambers": chambers,
            "date": {"value": value, "precision": precision} if value else None,
            "speaker": speaker,
            "attribution": attribution,
            "evidence": span(text, start, end),
            **extra,
        }
        claims.append(claim)
        if extra.get("incident") == "other":
            continue
        for cid in chambers:
            if type_ in HIT and polarity != "negated":
                status[cid] = "affected"
            elif type_ == "outage" and polarity == "negated":
                status.setdefault(cid, "not_affected")
            else:
                status.setdefault(cid, "mentioned")
    orgs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for name, kind, needle in spec.get("orgs", []):
        at = text.index(needle)
        orgs.setdefault((name, kind), []).append(span(text, at, at + len(needle)))
    people = []
    for name, role, affiliation, needle in spec.get("people", []):
        at = text.index(needle)
        people.append(
            {
                "name": name,
                "role": role,
                "affiliation": affiliation,
                "mentions": [span(text, at, at + len(needle))],
            }
        )
    return {
        "doc_id": doc["id"],
        "url": doc["url"],
        "kind": doc["kind"],
        "chambers": [
            {"id": cid, "status": st, "mentions": []} for cid, st in sorted(status.items())
        ],
        "dates": [],
        "claims": claims,
        "organizations": [
            {"name": n, "type": t, "mentions": m} for (n, t), m in sorted(orgs.items())
        ],
        "people": people,
    }


def build(crawl_out: Path) -> list[dict[str, Any]]:
    """Facts for every document of the spec, in spec order, from a crawl's JSONL exports."""
    docs = {d["id"]: d for d in read_jsonl(crawl_out / "articles.jsonl")}
    docs.update({d["id"]: d for d in read_jsonl(crawl_out / "comments.jsonl")})
    spec = json.loads(SPEC.read_text("utf-8"))["documents"]
    return [facts_for(docs[doc_id], entry) for doc_id, entry in spec.items()]


def main(argv: list[str]) -> int:
    lines = build(Path(argv[0]))
    FIXTURE.write_text(
        "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in lines), encoding="utf-8"
    )
    print(f"{FIXTURE}: {len(lines)} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
