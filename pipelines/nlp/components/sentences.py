"""kw_sentences: sentence starts the punctuation sentencizer misses.

Runs before spaCy's sentencizer (which keeps starts that are already set):
a line break starts a new sentence (headlines, paragraphs, comment lines carry
no final full stop), and so does a capitalised word after a year written with a
full stop (``... am 5. Januar 2024. Die Kammer ...``: the German tokenizer keeps
``2024.`` as one ordinal-like token).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

_YEAR_DOT = re.compile(r"^(?:19|20)\d\d\.$")


@Language.component("kw_sentences", assigns=["token.is_sent_start"])
def mark_sentence_starts(doc: Doc) -> Doc:
    """Mark sentence starts after line breaks and after ``<year>.``."""
    n = len(doc)
    for i in range(n - 1):
        tok = doc[i]
        nxt = doc[i + 1]
        line_break = "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text)
        year_end = bool(_YEAR_DOT.match(tok.text)) and nxt.text[:1].isupper()
        if (line_break and not nxt.is_space) or year_end:
            nxt.is_sent_start = True
    return doc
