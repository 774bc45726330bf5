"""`kammerwatch run` on the bundled sample corpus: the facts name every affected chamber.

Truth per document: tests/fixtures/sample_expected.json (written with the corpus, not
with the rules).  Recall-oriented: each chamber the truth lists as affected must come
out ``affected``; chambers the truth lists as not affected must not come out affected.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.crawlrun import crawl, read_jsonl

EXPECTED = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "sample_expected.json").read_text("utf-8")
)
DOCUMENTS = {d["url"]: d for d in EXPECTED["documents"]}


@pytest.fixture(scope="module")
def sample_facts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("nlp-sample")
    result = crawl(out=out, command="run")
    assert result.returncode == 0, result.stderr[-2000:]
    facts = read_jsonl(out / "facts.jsonl")
    return {f["url"]: f for f in facts if f["kind"] == "article"}


def test_every_document_has_facts(sample_facts: dict[str, dict[str, Any]]) -> None:
    assert set(DOCUMENTS) <= set(sample_facts)


@pytest.mark.parametrize("url", sorted(DOCUMENTS))
def test_affected_chambers_per_document(sample_facts: dict[str, dict[str, Any]], url: str) -> None:
    doc = DOCUMENTS[url]
    status = {c["id"]: c["status"] for c in sample_facts[url]["chambers"]}
    missing = {cid for cid in doc["affected_chambers"] if status.get(cid) != "affected"}
    assert missing == set(), (doc["title"], status)
    wrongly = {cid for cid in doc["not_affected_chambers"] if status.get(cid) == "affected"}
    assert wrongly == set(), doc["title"]
