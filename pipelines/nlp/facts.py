"""From documents to facts: run the pipeline over records and build the facts dicts.

A *record* is a document dict with at least ``id``, ``kind``, ``url`` and
``text`` (``published`` and ``language`` optional).  The facts dict of one
document (schema: ``data/facts.schema.json``)::

    {"doc_id", "url", "kind",
     "chambers": [{"id", "status", "mentions": [{"text", "start", "end"}]}],
     "dates": [{"value", "precision", "text", "start", "end", "relative"}],
     "claims": [{"type", "polarity", "chambers", "date", "speaker", "attribution",
                 "evidence": {"text", "start", "end"}}],
     "organizations": [{"name", "type", "mentions": [...]}],
     "people": [{"name", "role", "affiliation", "mentions": [...]}]}

All offsets are character offsets into the record's ``text``.  Processing
streams: records are read lazily and processed in batches (``nlp.pipe``), so
memory does not grow with the number of documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipelines.nlp.extensions import doc_state
from pipelines.nlp.language import SUPPORTED, get_nlp
from pipelines.nlp.tokens import TokenView, get_view

REQUIRED = ("id", "kind", "url", "text")
BATCH_SIZE = 64


class RecordError(ValueError):
    """A record lacks a required field or has the wrong type."""


def normalize_record(obj: Any) -> dict[str, Any]:
    """Check and trim one input record; raises :class:`RecordError` when unusable."""
    if not isinstance(obj, dict):
        raise RecordError("not a JSON object")
    missing = [k for k in REQUIRED if k not in obj]
    if missing:
        raise RecordError("missing " + ", ".join(missing))
    if not isinstance(obj["text"], str) or not isinstance(obj["id"], str):
        raise RecordError("id and text must be strings")
    published = obj.get("published")
    return {
        "id": obj["id"],
        "kind": str(obj["kind"]),
        "url": str(obj["url"]),
        "published": published if isinstance(published, str) else None,
        "language": str(obj.get("language") or guess_language(obj["text"])).lower()[:2],
        "text": obj["text"],
    }


_EN = frozenset(
    ["the", "and", "of", "is", "has", "have", "been", "were", "was", "with", "said", "that",
     "to", "a", "an", "its", "their"]
)  # fmt: skip
_DE = frozenset(
    ["der", "die", "das", "und", "ist", "nicht", "mit", "sind", "von", "den", "ein", "eine",
     "auf", "für", "auch", "es"]
)  # fmt: skip


def guess_language(text: str) -> str:
    """``en`` when English function words clearly outnumber German ones, else ``de``."""
    words = text[:2000].lower().split()
    en = sum(w in _EN for w in words)
    de = sum(w in _DE for w in words)
    return "en" if en >= 3 and en > 2 * de else "de"


def make_doc(nlp: Language, record: dict[str, Any]) -> Doc:
    """Tokenise ``record["text"]`` and attach the record's metadata (``doc._.kw_meta``)."""
    doc = nlp.make_doc(record["text"])
    doc_state(doc).kw_meta = {
        k: record.get(k) for k in ("id", "kind", "url", "published", "language", "text")
    }
    return doc


def extract_records(
    records: Iterable[dict[str, Any]], batch_size: int = BATCH_SIZE, jobs: int = 1
) -> Iterator[dict[str, Any]]:
    """Facts for each record, in input order, processed in batches of ``batch_size``.

    With ``jobs > 1`` the batches are extracted by that many worker processes
    (:func:`extract_parallel`); the facts are the same and come in the same order.
    """
    if jobs > 1:
        yield from extract_parallel(records, batch_size, jobs)
        return
    it = iter(records)
    while chunk := list(islice(it, batch_size)):
        yield from extract_batch(chunk, batch_size)


def extract_batch(
    chunk: list[dict[str, Any]], batch_size: int = BATCH_SIZE
) -> list[dict[str, Any]]:
    """Facts for one list of records, in order (grouped by language for ``nlp.pipe``)."""
    by_lang: dict[str, list[int]] = {}
    for i, rec in enumerate(chunk):
        lang = rec.get("language") or "de"
        by_lang.setdefault(lang if lang in SUPPORTED else "de", []).append(i)
    results: list[dict[str, Any] | None] = [None] * len(chunk)
    for lang, idxs in by_lang.items():
        nlp = get_nlp(lang)
        docs = (make_doc(nlp, chunk[i]) for i in idxs)
        for i, doc in zip(idxs, nlp.pipe(docs, batch_size=batch_size), strict=True):
            results[i] = doc_to_facts(doc)
    out = [res for res in results if res is not None]
    assert len(out) == len(chunk)
    return out


def extract_parallel(
    records: Iterable[dict[str, Any]], batch_size: int = BATCH_SIZE, jobs: int = 2
) -> Iterator[dict[str, Any]]:
    """``extract_records`` in ``jobs`` worker processes, streaming and in input order.

    The German pipeline is loaded before the workers start (with ``fork`` they
    share it); at most ``2 * jobs`` batches are in flight, so memory stays flat
    however long the input is.
    """
    import multiprocessing as mp
    from collections import deque

    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else methods[0])
    get_nlp("de")
    it = iter(records)
    with ctx.Pool(jobs) as pool:
        pending: deque[Any] = deque()
        exhausted = False
        while True:
            while not exhausted and len(pending) < 2 * jobs:
                chunk = list(islice(it, batch_size))
                if not chunk:
                    exhausted = True
                    break
                pending.append(pool.apply_async(extract_batch, (chunk, batch_size)))
            if not pending:
                return
            yield from pending.popleft().get()


def _span(view: TokenView, start: int, end: int) -> dict[str, Any]:
    a, b = view.char_span(start, end)
    return {"text": view.text[a:b], "start": a, "end": b}


def doc_to_facts(doc: Doc) -> dict[str, Any]:
    """The facts dict (see module docstring) of a processed Doc."""
    meta = doc_state(doc).kw_meta or {}
    view = get_view(doc)
    status: dict[str, str] = doc_state(doc).kw_chamber_status or {}
    chambers: dict[str, list[dict[str, Any]]] = {}
    for m in doc_state(doc).kw_chamber_mentions or ():
        for cid in m.ids:
            chambers.setdefault(cid, []).append(_span(view, m.start, m.end))
    for claim in doc_state(doc).kw_claims or ():
        for cid in claim.chambers:
            chambers.setdefault(cid, [])
    chamber_list = [
        {"id": cid, "status": status.get(cid, "mentioned"), "mentions": spans}
        for cid, spans in sorted(chambers.items())
    ]
    dates = []
    for d in doc_state(doc).kw_dates or ():
        item = {
            "value": d.value,
            "precision": d.precision,
            "text": d.text,
            "start": d.start,
            "end": d.end,
            "relative": d.relative,
        }
        if getattr(d, "flags", ()):
            item["flags"] = list(d.flags)
        dates.append(item)
    claims = []
    for c in doc_state(doc).kw_claims or ():
        if c.incident != "this":
            continue
        evidence = _span(view, c.sent_start, c.sent_end)
        stripped = evidence["text"].rstrip()
        evidence["text"], evidence["end"] = stripped, evidence["start"] + len(stripped)
        claims.append(
            {
                "type": c.type,
                "polarity": c.polarity,
                "chambers": list(c.chambers),
                "date": c.date,
                "speaker": c.speaker,
                "attribution": c.attribution,
                "evidence": evidence,
            }
        )
    orgs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for o in doc_state(doc).kw_orgs or ():
        orgs.setdefault((o.name, o.type), []).append(_span(view, o.start, o.end))
    people = [
        {
            "name": p.name,
            "role": p.role,
            "affiliation": p.affiliation,
            "mentions": [_span(view, s, e) for s, e in p.mentions],
        }
        for p in doc_state(doc).kw_people or ()
    ]
    return {
        "doc_id": meta.get("id"),
        "url": meta.get("url"),
        "kind": meta.get("kind"),
        "chambers": chamber_list,
        "dates": dates,
        "claims": claims,
        "organizations": [
            {"name": n, "type": t, "mentions": spans} for (n, t), spans in orgs.items()
        ],
        "people": people,
    }


def extract_text(
    text: str, *, published: str | None = None, kind: str = "article"
) -> dict[str, Any]:
    """Facts for a single text (convenience for tests and the REPL)."""
    record = {"id": "text", "kind": kind, "url": "", "published": published, "text": text}
    return next(extract_records([record]))
