"""Per-document token arrays shared by the kw_* components (built once per Doc).

Creating spaCy ``Token`` objects (``for tok in doc``, ``doc[i]``, ``doc.sents``,
``doc.text``) costs far more than the rules run on them.  The first component
(``kw_sentences``) therefore reads the token attributes once with
``Doc.to_array`` into plain Python lists and stores them as ``doc._.kw_view``;
the later components work on these lists and on the sentence bounds instead of
Token and Span objects.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import IDX, LOWER, ORTH
from spacy.tokens import Doc

from pipelines.nlp.extensions import doc_state


@dataclass
class TokenView:
    """Plain lists of one Doc's tokens (index i = token i).

    ``sents`` holds ``(start, end)`` token offsets of the sentences; it is
    filled by ``kw_sentences`` (empty until then).
    """

    text: str
    texts: list[str]
    lowers: list[str]
    lower_ids: list[int]
    idx: list[int]
    sents: list[tuple[int, int]]

    def char_span(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of tokens ``start`` to ``end`` (exclusive, ``end > start``)."""
        return self.idx[start], self.idx[end - 1] + len(self.texts[end - 1])

    def sent_index(self) -> list[int]:
        """Per token, the index of its sentence in ``sents``."""
        out = [0] * len(self.texts)
        for k, (s, e) in enumerate(self.sents):
            out[s:e] = [k] * (e - s)
        return out


# hash -> str of the words seen so far: ``StringStore[h]`` decodes a new str object
# on every call, a dict hit returns the one made before.  Cleared when it gets big
# so that memory stays flat on a long stream of new words.
_STRINGS: dict[int, str] = {}
_STRINGS_MAX = 500_000


def _string(doc: Doc, h: int) -> str:
    if len(_STRINGS) >= _STRINGS_MAX:
        _STRINGS.clear()
    text: str = doc.vocab.strings[h]
    _STRINGS[h] = text
    return text


def build_view(
    doc: Doc, columns: tuple[list[int], list[int], list[int]] | None = None
) -> TokenView:
    """Read the token arrays of ``doc`` (text from ``doc._.kw_meta`` when present).

    ``columns`` are the ORTH, LOWER and IDX columns when the caller has read them already.
    """
    n = len(doc)
    if n:
        if columns is None:
            arr = doc.to_array([ORTH, LOWER, IDX])
            columns = arr[:, 0].tolist(), arr[:, 1].tolist(), arr[:, 2].tolist()
        orth_ids, lower_ids, idx = columns
        get = _STRINGS.get
        texts = [get(h) or _string(doc, h) for h in orth_ids]
        lowers = [get(h) or _string(doc, h) for h in lower_ids]
    else:
        texts, lowers, lower_ids, idx = [], [], [], []
    meta = doc_state(doc).kw_meta or {}
    text = meta.get("text") if isinstance(meta.get("text"), str) else None
    if text is None or len(text) != (idx[-1] + len(doc[-1].text_with_ws) if n else 0):
        text = doc.text
    return TokenView(text, texts, lowers, lower_ids, idx, [])


def get_view(doc: Doc) -> TokenView:
    """The cached :class:`TokenView` of ``doc`` (built, with sentences, when missing)."""
    st = doc_state(doc)
    view: TokenView | None = st.kw_view
    if view is None:
        view = build_view(doc)
        view.sents = [(s.start, s.end) for s in doc.sents] if len(doc) else []
        st.kw_view = view
    elif not view.sents and len(doc):
        view.sents = [(s.start, s.end) for s in doc.sents]
    return view
