"""kw_sentences: sentence boundaries and the shared token arrays, in one pass.

Sets the same sentence starts as spaCy's punctuation ``sentencizer`` (a token
that is not punctuation after a token in its ``punct_chars`` starts a sentence)
plus three rules it misses: a line break starts a new sentence (headlines,
paragraphs and comment lines carry no final full stop), and so does a
capitalised word after a year written with a full stop (``... am 5. Januar
2024. Die Kammer ...``: the German tokenizer keeps ``2024.`` as one token),
and a sentence-opening function word after a number with a full stop (``...
mehr als 30. In Bayern ...``; never after an ordinal: ``am 5. Januar``).

The starts are written with ``Doc.from_array`` (``doc.sents`` works as usual)
and, with the token texts and offsets, into ``doc._.kw_view``
(:class:`pipelines.nlp.tokens.TokenView`) so that the later components need
no Token or Span objects.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

import numpy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from pipelines.nlp.extensions import doc_state, register_extensions
from pipelines.nlp.tokens import TokenView, build_view

_YEAR_DOT = re.compile(r"^(?:19|20)\d\d\.$")
_YEAR_DOT_IN_TEXT = re.compile(r"(?:19|20)\d\d\.")
_NUMBER_DOT = re.compile(r"^\d{1,3}\.$")
_NUMBER_DOT_IN_TEXT = re.compile(r"(?<![\d.])\d{1,3}\.\s")
# words that open a sentence but never follow an ordinal ("am 5. Januar", "zum 3. Mal"):
# after "mehr als 30." one of them starts the next sentence
SENTENCE_OPENERS = frozenset(
    {"In", "Im", "Die", "Der", "Das", "Den", "Dem", "Ein", "Eine", "Auch", "Am", "Auf", "Aus",
     "Bei", "Nach", "Seit", "Es", "Sie", "Er", "Wir", "Ich", "Zum", "Zur", "Für", "Mit",
     "Laut", "Wie", "Ob", "Wer", "Was", "Dabei", "Doch", "Aber", "Damit", "Dort", "Dann",
     "Denn", "Nun", "Jetzt", "Noch", "Bis", "Unter", "Von", "Vor", "Zudem", "Außerdem",
     "Allerdings", "Wann", "Warum", "Welche", "Diese", "Dieser", "Man", "Während", "Weil",
     "Wenn", "Betroffen", "Nicht", "Darunter", "Insgesamt", "Davon"}
)  # fmt: skip


class SentenceMarker:
    """Writes sentence starts and ``doc._.kw_view``."""

    def __init__(self, nlp: Language, name: str, punct_chars: list[str] | None = None) -> None:
        register_extensions()
        self.name = name
        self.punct_chars = frozenset(punct_chars or Sentencizer.default_punct_chars)
        # every default mark is a punctuation token: only those need a look
        self._marks_are_punct = all(nlp.vocab[c].is_punct for c in self.punct_chars)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            doc_state(doc).kw_view = build_view(doc)
            return doc
        cols = doc.to_array([ORTH, LOWER, IDX, IS_PUNCT, IS_SPACE]).T.tolist()
        view = build_view(doc, (cols[0], cols[1], cols[2]))
        doc_state(doc).kw_view = view
        texts = view.texts
        punct = cols[3]
        pc = self.punct_chars
        last = n - 1
        marks = [0]
        # sentencizer: the first token after a sentence-final mark (one of punct_chars)
        # that is neither punctuation nor such a mark starts a sentence.  Only the marks
        # are visited: from each, walk over the punctuation that follows it.
        at = [i for i, t in enumerate(texts) if t in pc]
        nxt = -1
        for i in at:
            if i < nxt:
                continue  # inside the punctuation run of the mark before
            j = i + 1
            while j < n and (punct[j] or (not self._marks_are_punct and texts[j] in pc)):
                j += 1
            if j < n:
                marks.append(j)
            nxt = j
        text = view.text
        if "\n" in text:
            # a line break (a whitespace token with a newline) before a non-space token
            space = cols[4]
            for i, t in enumerate(texts):
                if space[i] and i < last and not space[i + 1] and "\n" in t:
                    marks.append(i + 1)
        if "." in text:
            # "2024." followed by a capitalised word (the tokenizer keeps "2024." whole),
            # "... sind es mehr als 30. In Bayern ...": a number ends the sentence
            marks += _after_numbers(view, _YEAR_DOT_IN_TEXT, _YEAR_DOT, _capitalised)
            marks += _after_numbers(view, _NUMBER_DOT_IN_TEXT, _NUMBER_DOT, _opens_sentence)
        starts = sorted(set(marks))
        values = numpy.full(n, -1, dtype="int64")
        values[starts] = 1
        column: Any = values.astype("uint64").reshape(n, 1)
        doc.from_array([SENT_START], column)
        starts.append(n)
        view.sents = [(starts[k], starts[k + 1]) for k in range(len(starts) - 1)]
        return doc


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _opens_sentence(word: str) -> bool:
    return word in SENTENCE_OPENERS


def _after_numbers(
    view: TokenView, in_text: re.Pattern[str], token: re.Pattern[str], opens: Any
) -> list[int]:
    """Tokens after a number token with a full stop (``token``, found in the text by
    ``in_text``) for which ``opens(word)`` holds: they start a sentence."""
    idx, texts = view.idx, view.texts
    out = []
    for m in in_text.finditer(view.text):
        k = bisect.bisect_left(idx, m.start())
        if (
            k < len(texts) - 1
            and idx[k] == m.start()
            and token.match(texts[k])
            and opens(texts[k + 1])
        ):
            out.append(k + 1)
    return out


@Language.factory(
    "kw_sentences",
    assigns=["token.is_sent_start"],
    default_config={"punct_chars": None},
)
def make_sentence_marker(nlp: Language, name: str, punct_chars: list[str] | None) -> SentenceMarker:
    """Factory of the sentence marker (punctuation sentencizer + line/year rules)."""
    return SentenceMarker(nlp, name, punct_chars)
