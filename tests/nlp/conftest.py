"""Fixtures of the NLP tests: the pipeline is built once per session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from spacy.language import Language

from pipelines.nlp.facts import extract_records
from pipelines.nlp.language import get_nlp

Facts = dict[str, Any]


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The German pipeline (process-wide, built once)."""
    return get_nlp("de")


@pytest.fixture(scope="session")
def facts(nlp: Language) -> Callable[..., Facts]:
    """facts(text, kind="article", published=...) -> the facts dict of one text."""

    def run(
        text: str, kind: str = "article", published: str | None = "2024-01-10T12:00:00+01:00"
    ) -> Facts:
        record = {"id": "t1", "kind": kind, "url": "https://example.org/t1", "published": published,
                  "text": text}  # fmt: skip
        return next(extract_records([record]))

    return run


def statuses(f: Facts) -> dict[str, str]:
    """chamber id -> status of a facts dict."""
    return {c["id"]: c["status"] for c in f["chambers"]}


def claim_set(f: Facts) -> set[tuple[str, str]]:
    """(type, polarity) of every claim."""
    return {(c["type"], c["polarity"]) for c in f["claims"]}
