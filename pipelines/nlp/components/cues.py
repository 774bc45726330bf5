"""kw_cues: label tokens with cue classes from ``data/cues.<lang>.json``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipelines.nlp.components.base import lang_file
from pipelines.nlp.extensions import doc_state, register_extensions
from pipelines.nlp.lexicon import CueLexicon, load_spec


class CueTagger:
    """Writes :class:`pipelines.nlp.lexicon.Labels` to ``doc._.kw_cues``."""

    def __init__(self, nlp: Language, name: str) -> None:
        register_extensions()
        self.name = name
        self.nlp = nlp
        self.lexicon: CueLexicon | None = None

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        data_dir: str = "",
    ) -> None:
        """Compile the cue file for the pipeline's language."""
        spec = load_spec(lang_file(data_dir, "cues", self.nlp.lang or "de"))
        self.lexicon = CueLexicon(self.nlp.vocab, spec)

    def __call__(self, doc: Doc) -> Doc:
        if self.lexicon is None:
            self.initialize()
        assert self.lexicon is not None
        doc_state(doc).kw_cues = self.lexicon.label(doc)
        return doc


@Language.factory("kw_cues", requires=["token.lemma"], assigns=["doc._.kw_cues"])
def make_cue_tagger(nlp: Language, name: str) -> CueTagger:
    """Factory of the cue tagger."""
    return CueTagger(nlp, name)
