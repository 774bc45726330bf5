"""Plain result types shared by the pipeline components (stored in Doc extensions)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OrgMention:
    """An organisation named in the text (token offsets, end exclusive)."""

    name: str
    type: str
    start: int
    end: int


@dataclass(frozen=True)
class ChamberMention:
    """One or more chambers named by a stretch of tokens.

    how: ``name`` (chamber word + key), ``list`` (key in a list after a chamber
    word), ``state`` (state quantifier), ``domain`` (web domain) or ``context``
    (bare city/region in a sentence about chambers).
    """

    ids: tuple[str, ...]
    start: int
    end: int
    how: str


@dataclass
class Person:
    """A named person with role and affiliation where the text states them."""

    name: str
    role: str | None = None
    affiliation: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)  # token offsets


@dataclass
class Claim:
    """A sentence-level claim (see INCIDENT.md for types and polarities)."""

    type: str
    polarity: str
    chambers: list[str]
    sent_start: int  # token offsets of the evidence sentence
    sent_end: int
    date: dict[str, str] | None = None
    speaker: str | None = None
    attribution: str | None = None
    incident: str = "this"
