"""spaCy components of the Kammerwatch pipeline; importing this registers their factories."""

from pipelines.nlp.components import (
    chambers,
    claims,
    cues,
    lemmas,
    orgs,
    people,
    sentences,
    temporal,
)

__all__ = ["chambers", "claims", "cues", "lemmas", "orgs", "people", "sentences", "temporal"]
