"""Doc extensions written by the kw_* components (registered once, idempotent).

The values live in one :class:`DocState` object per Doc, kept in
``doc.user_data``; ``doc._.kw_*`` reads and writes its fields (getter/setter
extensions).  Components use :func:`doc_state` directly: a ``doc._`` access
builds a new ``Underscore`` object each time, which costs more than most rules.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

DOC_EXTENSIONS = (
    "kw_meta",  # dict: the input record's id, kind, url, published, language, text
    "kw_view",  # tokens.TokenView: token texts, offsets and sentence bounds as lists
    "kw_cues",  # lexicon.Labels
    "kw_orgs",  # list[OrgMention]
    "kw_chamber_mentions",  # list[ChamberMention]
    "kw_people",  # list[Person]
    "kw_speakers",  # dict: sentence start -> (speaker, attribution, official)
    "kw_dates",  # list[DateMention] from pipelines.nlp.dates
    "kw_claims",  # list[Claim]
    "kw_chamber_status",  # dict[str, str]: chamber id -> affected / not_affected / mentioned
)
_STATE_KEY = "kw_state"


class DocState:
    """The kw_* values of one Doc (all None until a component sets them)."""

    __slots__ = DOC_EXTENSIONS

    def __init__(self) -> None:
        for name in DOC_EXTENSIONS:
            setattr(self, name, None)

    # typed accessors for mypy (attributes are set dynamically through __slots__)
    kw_meta: dict[str, Any] | None
    kw_view: Any
    kw_cues: Any
    kw_orgs: Any
    kw_chamber_mentions: Any
    kw_people: Any
    kw_speakers: Any
    kw_dates: Any
    kw_claims: Any
    kw_chamber_status: Any


def doc_state(doc: Doc) -> DocState:
    """The :class:`DocState` of ``doc`` (created on first use)."""
    data = doc.user_data
    st: DocState | None = data.get(_STATE_KEY)
    if st is None:
        st = data[_STATE_KEY] = DocState()
    return st


def _accessors(name: str) -> tuple[Any, Any]:
    def getter(doc: Doc) -> Any:
        return getattr(doc_state(doc), name)

    def setter(doc: Doc, value: Any) -> None:
        setattr(doc_state(doc), name, value)

    return getter, setter


def register_extensions() -> None:
    """Register every kw_* Doc extension (backed by :class:`DocState`) unless present."""
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            getter, setter = _accessors(name)
            Doc.set_extension(name, getter=getter, setter=setter)
