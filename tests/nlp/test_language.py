"""Pipeline construction: config-driven, fast to load, trained NER used when installed."""

from __future__ import annotations

import time
from typing import Any

import pytest
import spacy
from spacy.language import Language

from pipelines.nlp import language
from pipelines.nlp.facts import guess_language, normalize_record


def test_pipeline_components_from_config(nlp: Language) -> None:
    assert nlp.pipe_names == [
        "kw_sentences", "lemmatizer", "kw_cues", "kw_orgs", "kw_chambers",
        "kw_people", "kw_dates", "kw_claims",
    ]  # fmt: skip
    assert getattr(nlp.get_pipe("kw_claims"), "sarcasm", None) == "uncertain"
    assert nlp("Die Daten wurden gestohlen.")[1].lemma_ == "Datum"


def test_get_nlp_is_cached_and_english_exists(nlp: Language) -> None:
    t0 = time.perf_counter()
    assert language.get_nlp("de") is nlp
    assert time.perf_counter() - t0 < 0.01
    en = language.get_nlp("en")
    assert en.lang == "en" and "kw_chambers" in en.pipe_names


def test_language_guess_for_records_without_language() -> None:
    assert guess_language("The chamber said that the website has been offline.") == "en"
    assert guess_language("Die Kammer ist offline und nicht erreichbar.") == "de"
    record = normalize_record({"id": "x", "kind": "article", "url": "u", "text": "Hallo"})
    assert record == {"id": "x", "kind": "article", "url": "u", "published": None,
                      "language": "de", "text": "Hallo"}  # fmt: skip


def test_trained_ner_is_added_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    source = spacy.blank("de")
    ner = source.add_pipe("ner")
    ner.add_label("ORG")  # type: ignore[attr-defined]
    source.initialize()
    loaded: list[str] = []

    def fake_load(name: str, **kwargs: Any) -> Language:
        loaded.append(name)
        return source

    monkeypatch.setattr(language, "find_trained_pipeline", lambda names=(): "de_core_news_sm")
    monkeypatch.setattr(language.spacy, "load", fake_load)
    built = language.build_nlp("de")
    assert loaded == ["de_core_news_sm"]
    assert built.pipe_names.index("ner") == built.pipe_names.index("kw_cues") - 1
    doc = built("Die Handwerkskammer Aachen ist offline.")
    assert doc._.kw_chamber_mentions[0].ids == ("hwk-aachen",)


def test_no_trained_pipeline_here() -> None:
    assert language.find_trained_pipeline(("kw_no_such_pipeline_pkg",)) is None
