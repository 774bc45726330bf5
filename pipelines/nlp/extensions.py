"""Doc extensions written by the kw_* components (registered once, idempotent)."""

from __future__ import annotations

from spacy.tokens import Doc

DOC_EXTENSIONS = (
    "kw_meta",  # dict: the input record's id, kind, url, published, language
    "kw_cues",  # lexicon.Labels
    "kw_orgs",  # list[OrgMention]
    "kw_chamber_mentions",  # list[ChamberMention]
    "kw_people",  # list[Person]
    "kw_speakers",  # dict: sentence start -> (speaker, attribution, official)
    "kw_dates",  # list[DateMention] from pipelines.nlp.dates
    "kw_claims",  # list[Claim]
    "kw_chamber_status",  # dict[str, str]: chamber id -> affected / not_affected / mentioned
)


def register_extensions() -> None:
    """Register every kw_* Doc extension (default None) unless already present."""
    for name in DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
