"""Cue lexicon: label every token with the cue classes it belongs to.

The cue data (``data/cues.<lang>.json``) lists terms per label.  Single-token
terms (exact words, prefixes, suffixes, substrings of compounds, lemmas) are
compiled once into lookup tables and applied per *distinct* lower-cased word
(the result is cached by the word's hash, so a token costs one dict lookup);
multi-token terms (exact words only) are compiled into one spaCy
:class:`~spacy.matcher.PhraseMatcher` on LOWER.  :meth:`CueLexicon.label`
returns, per token, a frozenset of labels and marks the tokens of multi-word
cues as *bound* (so the ``nicht`` in ``nicht erreichbar`` is not read as a
free negation).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipelines.nlp.extensions import doc_state

EMPTY: frozenset[str] = frozenset()
_MISS: Any = object()
# labels a hyphen compound inherits from its parts ("Cyber-Angriff", "E-Mail-Server");
# not AVAIL or NEG: "Online-Portal" says nothing about being online
COMPOUND_LABELS = frozenset(
    {"ATTACK", "OUTAGE", "WEBSITE", "SERVICE", "DATA", "BREACH", "AUTHORITY", "ANCHOR",
     "EMAIL"}
)  # fmt: skip

# labels of multi-word hedges (and of "ohne Einschränkungen": no outage), and the claim
# cues their words lose
HEDGE_PHRASE_LABELS = frozenset({"UNC", "NOT_RULED_OUT", "OPEN", "WITHOUT_TROUBLE"})
HEDGED_AWAY = frozenset({"OUTAGE", "AVAIL", "CRIME_REPORT", "INVESTIGATE", "NEG"})
# phrases naming a thing ("kein Abfluss"): their article-negation still negates the clause
NEG_KEEPING_LABELS = frozenset({"BREACH"})


@dataclass
class Labels:
    """Per-token cue labels of one document."""

    labels: list[frozenset[str]]
    bound: list[bool]
    phrases: list[tuple[str, int, int]]  # (label, start, end) of multi-token cues


def _term_regex(items: list[str], kind: str) -> re.Pattern[str] | None:
    if not items:
        return None
    alts = "|".join(re.escape(s) for s in sorted(set(items), key=len, reverse=True))
    if kind == "prefix":
        return re.compile(f"^(?:{alts})")
    if kind == "suffix":
        return re.compile(f"(?:{alts})$")
    return re.compile(f"(?:{alts})")


class CueLexicon:
    """Compiled cue terms for one language (see module docstring)."""

    def __init__(self, vocab: Vocab, spec: dict[str, Any]) -> None:
        self.vocab = vocab
        self.spec = spec
        self.numbers: dict[str, int] = dict(spec.get("numbers", {}))
        # words that are cues only in lower case ("weg"; capitalised mid-sentence: "der Weg")
        self.lowercase_only = frozenset(
            vocab.strings.add(w.lower()) for w in spec.get("lowercase_only", {}).get("words", ())
        )
        self.exact: dict[str, set[str]] = {}
        self.lemmas: dict[str, set[str]] = {}
        per_kind: dict[str, dict[str, list[str]]] = {"prefix": {}, "suffix": {}, "contains": {}}
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        for label, terms in spec["labels"].items():
            phrase_patterns = []
            for term in terms:
                if len(term.split()) > 1:
                    phrase_patterns.append(Doc(vocab, words=term.split()))
                else:
                    self._add_single(label, term, per_kind)
            if phrase_patterns:
                self.matcher.add(label, phrase_patterns)
        self.regexes: list[tuple[str, str, re.Pattern[str]]] = []
        for kind, by_label in per_kind.items():
            for label, items in by_label.items():
                rx = _term_regex(items, kind)
                if rx is not None:
                    self.regexes.append((kind, label, rx))
        self._cache: dict[int, frozenset[str]] = {}
        self._lemma_cache: dict[int, set[str] | None] = {}  # lemma hash -> its ~lemma labels

    def _add_single(self, label: str, term: str, per_kind: dict[str, dict[str, list[str]]]) -> None:
        if term.startswith("~"):
            self.lemmas.setdefault(term[1:].lower(), set()).add(label)
        elif term.startswith("*") and term.endswith("*") and len(term) > 2:
            per_kind["contains"].setdefault(label, []).append(term[1:-1])
        elif term.endswith("*") and len(term) > 1:
            per_kind["prefix"].setdefault(label, []).append(term[:-1])
        elif term.startswith("*") and len(term) > 1:
            per_kind["suffix"].setdefault(label, []).append(term[1:])
        else:
            self.exact.setdefault(term, set()).add(label)

    def word_labels(self, lower: str) -> frozenset[str]:
        """Labels of one lower-cased word (exact, prefix, suffix, substring terms)."""
        found = set(self.exact.get(lower, ()))
        for _kind, label, rx in self.regexes:
            if label not in found and rx.search(lower):
                found.add(label)
        if "-" in lower and len(lower) > 2:
            for part in lower.split("-"):
                if part:
                    found |= self.exact.get(part, set()) & COMPOUND_LABELS
        return frozenset(found) if found else EMPTY

    def _word_labels(self, h: int) -> frozenset[str]:
        got = self._cache[h] = self.word_labels(self.vocab.strings[h])
        return got

    def _lemma_labels(self, h: int) -> set[str] | None:
        extra = self.lemmas.get(self.vocab.strings[h].lower()) if h else None
        self._lemma_cache[h] = extra
        return extra

    def _drop_nouns(self, doc: Doc, lowers: list[int], out: list[frozenset[str]]) -> None:
        """No labels for a lower-case-only cue word written capitalised inside a sentence."""
        starts = _sentence_starts(doc)
        view = doc_state(doc).kw_view
        for i, h in enumerate(lowers):
            if h in self.lowercase_only and i not in starts:
                text = view.texts[i] if view is not None else doc[i].text
                if text[:1].isupper():
                    out[i] = EMPTY

    def label(self, doc: Doc) -> Labels:
        """Cue labels for every token of ``doc``."""
        cache = self._cache
        strings = self.vocab.strings
        view = doc_state(doc).kw_view
        if view is not None:
            lowers = view.lower_ids
        else:
            lowers = doc.to_array(LOWER).tolist() if len(doc) else []
        get = cache.get
        word_labels = self._word_labels
        out: list[frozenset[str]] = [
            got if (got := get(h)) is not None else word_labels(h) for h in lowers
        ]
        if self.lemmas and lowers:
            lget = self._lemma_cache.get
            lemma_labels = self._lemma_labels
            lemmas = doc.to_array(LEMMA).tolist()
            extras = [lget(h, _MISS) for h in lemmas]
            for i in [i for i, x in enumerate(extras) if x is not None]:
                extra = extras[i]
                if extra is _MISS:
                    extra = lemma_labels(lemmas[i])
                if extra:
                    out[i] = out[i] | extra
        if self.lowercase_only and not self.lowercase_only.isdisjoint(lowers):
            self._drop_nouns(doc, lowers, out)
        bound = [False] * len(out)
        phrases: list[tuple[str, int, int]] = []
        hedges: list[tuple[int, int]] = []
        for match_id, start, end in self.matcher(doc):
            label = strings[match_id]
            phrases.append((label, start, end))
            if label in HEDGE_PHRASE_LABELS:
                hedges.append((start, end))
            for i in range(start, end):
                out[i] = out[i] | {label}
                if label == "NEG" or (label in NEG_KEEPING_LABELS and "NEG" in out[i]):
                    continue
                bound[i] = True
        for start, end in hedges:
            # "geht nicht davon aus", "Gegenstand der Ermittlungen": the words of a hedge
            # are not also an outage ("geht nicht") or an investigation
            for i in range(start, end):
                out[i] = out[i] - HEDGED_AWAY
        return Labels(out, bound, phrases)


def _sentence_starts(doc: Doc) -> set[int]:
    view = doc_state(doc).kw_view
    if view is not None and view.sents:
        return {start for start, _end in view.sents}
    return {sent.start for sent in doc.sents} if doc.has_annotation("SENT_START") else {0}


def load_spec(path: Path) -> dict[str, Any]:
    """Read a cue file (JSON)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def orth_texts(doc: Doc) -> list[str]:
    """The token texts of ``doc`` via the ORTH array (cheap)."""
    strings = doc.vocab.strings
    return [strings[h] for h in doc.to_array(ORTH).tolist()] if len(doc) else []
