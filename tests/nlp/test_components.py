"""The fast components give what spaCy's own components give, on the same texts."""

from __future__ import annotations

import spacy
from spacy.language import Language

from pipelines.nlp.components.lemmas import CachedLookupLemmatizer
from pipelines.nlp.extensions import doc_state
from pipelines.nlp.tokens import get_view

TEXTS = [
    "Die Kammer ist offline. Seit Montag geht nichts!\n\nZweiter Absatz ohne Punkt\nDritte Zeile",
    "Am 5. Januar 2024. Danach war alles anders... Oder? „Ja.“ Sagte er.",
    "Update 12.1.2024: Die Seiten laufen wieder ;-) Mails gingen die ganze Zeit.",
    "  \n Führende Leerzeichen. Und ein Satz — mit Gedankenstrich. Ende",
    "",
]


def spacy_sentences(text: str) -> list[tuple[int, int]]:
    """spaCy's sentencizer plus the two kw rules, the way the pipeline used to run them."""
    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    doc = nlp.make_doc(text)
    for i in range(len(doc) - 1):
        tok, nxt = doc[i], doc[i + 1]
        line_break = tok.is_space and "\n" in tok.text and not nxt.is_space
        year_end = tok.text[:-1].isdigit() and len(tok.text) == 5 and tok.text.endswith(".")
        if line_break or (year_end and tok.text[:2] in ("19", "20") and nxt.text[:1].isupper()):
            nxt.is_sent_start = True
    doc = nlp.get_pipe("sentencizer")(doc)
    return [(s.start, s.end) for s in doc.sents]


def test_sentence_marker_matches_sentencizer_and_rules(nlp: Language) -> None:
    for text in TEXTS:
        doc = nlp(text)
        ours = [(s.start, s.end) for s in doc.sents] if len(doc) else []
        assert ours == (spacy_sentences(text) if len(doc) else []), text
        assert get_view(doc).sents == ours


def test_cached_lemmatizer_matches_spacy_lookup_lemmatizer(nlp: Language) -> None:
    stock = spacy.blank("de")
    stock.add_pipe("lemmatizer", config={"mode": "lookup"})
    stock.initialize()
    assert isinstance(nlp.get_pipe("lemmatizer"), CachedLookupLemmatizer)
    for text in [*TEXTS, "Die Daten wurden gestohlen, Kammern meldeten Ausfälle."]:
        assert [t.lemma_ for t in nlp(text)] == [t.lemma_ for t in stock(text)]


def test_extensions_read_and_write_the_doc_state(nlp: Language) -> None:
    doc = nlp("Die HWK Aachen ist offline.")
    assert doc._.kw_chamber_mentions is doc_state(doc).kw_chamber_mentions
    assert doc._.kw_chamber_mentions[0].ids == ("hwk-aachen",)
    doc._.kw_claims = []
    assert doc_state(doc).kw_claims == []
    view = get_view(doc)
    assert view.texts == [t.text for t in doc] and view.idx == [t.idx for t in doc]
    assert view.lowers == [t.lower_ for t in doc]
    assert view.char_span(1, 3) == (4, 14) and view.text[4:14] == "HWK Aachen"
