"""Validates the NLP development set (tests/nlp/data/dev_docs.jsonl + dev_gold.jsonl).

The set is the quality gate's ground truth, so its shape is pinned here: documents and gold
lines match one to one, every chamber id exists in the chambers table, every label is in the
vocabulary of ../shared/INCIDENT.md, dates are well-formed calendar values, and the mix of
document kinds and phenomena stays as documented in tests/nlp/data/README.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

DATA_DIR = Path(__file__).resolve().parent / "data"
REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS_PATH = DATA_DIR / "dev_docs.jsonl"
GOLD_PATH = DATA_DIR / "dev_gold.jsonl"

CLAIM_TYPES = frozenset(
    {"attack", "outage", "services_continue", "data_breach", "authority_notified", "restored"}
)
POLARITIES = frozenset({"asserted", "negated", "uncertain"})
PRECISIONS = frozenset({"day", "week", "month", "year"})
STATUS_KEYS = ("chambers_affected", "chambers_not_affected", "chambers_mentioned")
GOLD_KEYS = frozenset({"doc_id", *STATUS_KEYS, "dates", "claims"})
DOC_KEYS = frozenset({"id", "kind", "url", "published", "text"})
ID_RE = re.compile(r"^dev-\d{3}$")
# Official notices are published on the chambers' own sites (www.hwk-<name>.de).
NOTICE_HOST_RE = re.compile(r"^(www\.)?hwk-[a-z-]+\.de$")
VALUE_RE = {
    "day": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "week": re.compile(r"^(\d{4})-W(\d{2})$"),
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "year": re.compile(r"^\d{4}$"),
}
# Phrases that quantify over every chamber of a state (see README, rule C4).
STATE_QUANTIFIERS = {
    "alle sechs bayerischen Kammern": "Bayern",
    "sämtliche Handwerkskammern in Bayern": "Bayern",
    "sämtliche Handwerkskammern in Rheinland-Pfalz": "Rheinland-Pfalz",
    "Die Kammern in Rheinland-Pfalz sind alle": "Rheinland-Pfalz",
    "sämtliche Handwerkskammern in Baden-Württemberg": "Baden-Württemberg",
    "Die sächsischen Handwerkskammern": "Sachsen",
}


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every line of a JSON Lines file as a dict (blank lines are an error)."""
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            assert line.strip(), f"{path.name}:{number} is blank"
            row = json.loads(line)
            assert isinstance(row, dict), f"{path.name}:{number} is not a JSON object"
            rows.append(row)
    return rows


def chambers_csv_path(repo_root: Path = REPO_ROOT) -> Path:
    """The project's chambers table, or the shared original when the copy does not exist yet."""
    project_copy = repo_root / "pipelines" / "nlp" / "data" / "chambers.csv"
    if project_copy.exists():
        return project_copy
    return repo_root.parent / "shared" / "data" / "chambers.csv"


def load_chamber_states(path: Path) -> dict[str, str]:
    """chamber id -> state, from the `id` and `state` columns."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["state"] for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    return load_jsonl(DOCS_PATH)


@pytest.fixture(scope="module")
def gold() -> list[dict[str, Any]]:
    return load_jsonl(GOLD_PATH)


@pytest.fixture(scope="module")
def chamber_states() -> dict[str, str]:
    path = chambers_csv_path()
    assert path.exists(), f"chambers table not found at {path}"
    states = load_chamber_states(path)
    assert len(states) == 53, f"expected the 53 Handwerkskammern in {path}, got {len(states)}"
    return states


def is_notice(doc: dict[str, Any]) -> bool:
    """An official chamber notice: an article on a chamber's own domain."""
    return doc["kind"] == "article" and bool(NOTICE_HOST_RE.match(urlparse(doc["url"]).netloc))


def all_chambers(g: dict[str, Any]) -> list[str]:
    """Every chamber of a gold line, over the three status lists."""
    return [c for key in STATUS_KEYS for c in g[key]]


def test_ids_match_one_to_one(docs: list[dict[str, Any]], gold: list[dict[str, Any]]) -> None:
    doc_ids = [d["id"] for d in docs]
    gold_ids = [g["doc_id"] for g in gold]
    assert len(doc_ids) == len(set(doc_ids)), "duplicate document ids"
    assert len(gold_ids) == len(set(gold_ids)), "duplicate gold doc_ids"
    assert doc_ids == gold_ids, "documents and gold lines must match one to one, in order"
    assert all(ID_RE.match(i) for i in doc_ids), [i for i in doc_ids if not ID_RE.match(i)]


def test_documents_have_the_crawl_format(docs: list[dict[str, Any]]) -> None:
    for d in docs:
        assert set(d) == DOC_KEYS, (d["id"], sorted(d))
        assert d["kind"] in {"article", "comment"}, d["id"]
        assert urlparse(d["url"]).scheme == "https" and urlparse(d["url"]).netloc, d["id"]
        assert isinstance(d["text"], str) and len(d["text"].strip()) >= 20, d["id"]
        if d["published"] is not None:
            published = dt.datetime.fromisoformat(d["published"])
            assert published.tzinfo is not None, f"{d['id']}: published needs a UTC offset"
    assert len({d["url"] for d in docs}) == len(docs), "document URLs must be unique"


def test_gold_uses_the_vocabulary(
    gold: list[dict[str, Any]], chamber_states: dict[str, str]
) -> None:
    for g in gold:
        assert set(g) == GOLD_KEYS, (g["doc_id"], sorted(g))
        for key in STATUS_KEYS:
            ids = g[key]
            assert ids == sorted(set(ids)), f"{g['doc_id']}.{key} must be sorted and unique"
            unknown = set(ids) - set(chamber_states)
            assert not unknown, f"{g['doc_id']}.{key}: unknown chamber ids {unknown}"
        listed = all_chambers(g)
        assert len(listed) == len(set(listed)), f"{g['doc_id']}: chamber in more than one list"
        seen: set[tuple[str, str, tuple[str, ...]]] = set()
        for claim in g["claims"]:
            assert set(claim) == {"type", "polarity", "chambers"}, g["doc_id"]
            assert claim["type"] in CLAIM_TYPES, (g["doc_id"], claim)
            assert claim["polarity"] in POLARITIES, (g["doc_id"], claim)
            chambers = claim["chambers"]
            assert chambers == sorted(set(chambers)), (g["doc_id"], claim)
            assert set(chambers) <= set(listed), f"{g['doc_id']}: claim chamber without status"
            claim_key = (claim["type"], claim["polarity"], tuple(chambers))
            assert claim_key not in seen, f"{g['doc_id']}: duplicate claim {claim_key}"
            seen.add(claim_key)


def check_date_value(value: str, precision: str) -> None:
    """Raise AssertionError/ValueError unless value is a real date of that precision."""
    match = VALUE_RE[precision].match(value)
    assert match, f"{value!r} is not a {precision} value"
    if precision == "day":
        dt.date.fromisoformat(value)
    elif precision == "week":
        dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    elif precision == "month":
        assert 1 <= int(match.group(2)) <= 12, value


def test_dates_are_well_formed(gold: list[dict[str, Any]]) -> None:
    for g in gold:
        values = [(d["value"], d["precision"]) for d in g["dates"]]
        assert len(values) == len(set(values)), f"{g['doc_id']}: duplicate date"
        for item in g["dates"]:
            assert set(item) == {"value", "precision"}, g["doc_id"]
            assert item["precision"] in PRECISIONS, (g["doc_id"], item)
            check_date_value(item["value"], item["precision"])


@pytest.mark.parametrize(
    ("value", "precision"),
    [("2024-02-30", "day"), ("2024-W54", "week"), ("2024-13", "month"), ("24", "year"),
     ("2024-01-05", "month"), ("2024-W2", "week")],
)  # fmt: skip
def test_date_check_rejects_malformed_values(value: str, precision: str) -> None:
    with pytest.raises((AssertionError, ValueError)):
        check_date_value(value, precision)


def test_set_size_and_mix(docs: list[dict[str, Any]], gold: list[dict[str, Any]]) -> None:
    assert len(docs) >= 80
    kinds = Counter(d["kind"] for d in docs)
    notices = [d for d in docs if is_notice(d)]
    news = kinds["article"] - len(notices)
    by_id = {g["doc_id"]: g for g in gold}
    hard_negatives = [
        d for d in docs
        if d["kind"] == "article" and not by_id[d["id"]]["claims"]
        and not by_id[d["id"]]["chambers_affected"] and not by_id[d["id"]]["chambers_not_affected"]
    ]  # fmt: skip
    assert news >= 30, news
    assert len(notices) >= 12, len(notices)
    assert kinds["comment"] >= 35, kinds["comment"]
    assert len(hard_negatives) >= 8, [d["id"] for d in hard_negatives]
    assert sum(d["published"] is None for d in docs) >= 3, "need a few documents without a date"


def test_annotation_volume_and_coverage(gold: list[dict[str, Any]]) -> None:
    chamber_annotations = sum(len(all_chambers(g)) for g in gold)
    dates = [d for g in gold for d in g["dates"]]
    claims = [c for g in gold for c in g["claims"]]
    assert chamber_annotations >= 150, chamber_annotations
    assert len(dates) >= 120, len(dates)
    assert len(claims) >= 200, len(claims)
    assert {d["precision"] for d in dates} == PRECISIONS
    assert {c["type"] for c in claims} == CLAIM_TYPES
    polarity_counts = Counter(c["polarity"] for c in claims)
    assert min(polarity_counts[p] for p in POLARITIES) >= 15, polarity_counts
    for key in STATUS_KEYS:
        assert sum(len(g[key]) for g in gold) >= 10, key


def test_state_quantifiers_expand_to_the_whole_state(
    docs: list[dict[str, Any]], gold: list[dict[str, Any]], chamber_states: dict[str, str]
) -> None:
    by_id = {g["doc_id"]: g for g in gold}
    checked = 0
    for d in docs:
        for phrase, state in STATE_QUANTIFIERS.items():
            if phrase.lower() in d["text"].lower():
                expected = {c for c, s in chamber_states.items() if s == state}
                missing = expected - set(all_chambers(by_id[d["id"]]))
                assert not missing, f"{d['id']}: {phrase!r} must cover {sorted(missing)}"
                checked += 1
    assert checked >= 7, checked
