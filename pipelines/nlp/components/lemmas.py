"""kw_lemmatizer: spaCy's lookup lemmatizer (spacy-lookups-data), one table read per word.

spaCy's ``Lemmatizer`` in ``lookup`` mode creates a Token object per token and
looks its text up in ``lemma_lookup``.  This subclass gives the same lemmas
(``lemma_lookup[text]``, else the text itself; existing lemmas are kept unless
``overwrite``) but caches the lemma per word and writes the whole Doc with one
``Doc.from_array`` call.  It is registered under its own factory name and used
as the pipeline's ``lemmatizer`` component (``config.cfg``), so
``nlp.get_pipe("lemmatizer").lookups`` works as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy
from spacy.attrs import LEMMA, ORTH
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc


class CachedLookupLemmatizer(Lemmatizer):
    """Lookup-mode lemmatizer with a per-word cache (see module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lemma_of: dict[int, int] = {}

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        lookups: Lookups | None = None,
    ) -> None:
        """Load the tables (spacy-lookups-data) and reset the cache."""
        super().initialize(get_examples, nlp=nlp, lookups=lookups)
        self._lemma_of = {}

    def __call__(self, doc: Doc) -> Doc:
        if self.mode != "lookup":
            return super().__call__(doc)
        if not self._validated:
            self._validate_tables()
        n = len(doc)
        if not n:
            return doc
        table = self.lookups.get_table("lemma_lookup", {})
        strings = doc.vocab.strings
        cache = self._lemma_of
        arr = doc.to_array([ORTH, LEMMA])
        orths = arr[:, 0].tolist()
        if not self.overwrite and arr[:, 1].any():
            current = arr[:, 1].tolist()  # keep the lemmas set before (rare: a trained pipe)
            out = [lemma or self._lemma(orth, table, strings) for orth, lemma in zip(
                orths, current, strict=True)]  # fmt: skip
        else:
            get = cache.get
            out = [get(orth) or self._lemma(orth, table, strings) for orth in orths]
        values: Any = numpy.asarray(out, dtype="uint64").reshape(n, 1)
        doc.from_array([LEMMA], values)
        return doc

    def _lemma(self, orth: int, table: Any, strings: Any) -> int:
        """The lemma hash of a word not seen before (cached)."""
        found = table.get(orth, None)
        if isinstance(found, list):
            found = found[0] if found else None
        got: int = strings.add(found) if isinstance(found, str) else orth
        self._lemma_of[orth] = got
        return got


@Language.factory(
    "kw_lemmatizer",
    assigns=["token.lemma"],
    default_config={"model": None, "mode": "lookup", "overwrite": False},
)
def make_cached_lemmatizer(
    nlp: Language, name: str, model: Any, mode: str, overwrite: bool
) -> CachedLookupLemmatizer:
    """Factory of the cached lookup lemmatizer."""
    return CachedLookupLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite)
