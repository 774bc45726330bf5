"""kw_orgs: organisations (provider, authorities, media, other incidents, other chambers).

Aliases come from ``data/orgs.json``; they are matched with two PhraseMatchers:
short all-caps acronyms (``SIT``, ``BR``, ``LKA``) case-sensitively on ORTH so that
ordinary words are not hit, everything else on LOWER.  Authority names are
widened by a following state or city (``Landesbeauftragte für Datenschutz
Rheinland-Pfalz``, ``Polizei Köln``) or a preceding adjective (``Kölner Polizei``)
so that these place names are never read as chambers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipelines.nlp.components.base import data_path
from pipelines.nlp.extensions import doc_state, register_extensions
from pipelines.nlp.gazetteer import Gazetteer, load_gazetteer
from pipelines.nlp.model import OrgMention

WIDEN_TYPES = ("authority", "other_chamber", "association")
_LINKERS = {"des", "in", "von", "für", "im", "zu", "der", "aus"}


def _is_acronym(alias: str) -> bool:
    return len(alias) <= 4 and alias.isupper()


# claim cues that a word loses inside an organisation's name (AUTHORITY stays: it names one)
NAME_STRIPPED = frozenset(
    {"ATTACK", "OUTAGE", "AVAIL", "RESTORED", "BREACH", "DATA", "EXFIL", "SERVICE", "CHANNEL",
     "EMAIL", "WEBSITE", "NEG", "AFFECTED", "NOT_AFFECTED", "AGAIN", "SPEECH"}
)  # fmt: skip


class OrgRecognizer:
    """Writes ``doc._.kw_orgs`` (list of :class:`OrgMention`, token offsets)."""

    def __init__(self, nlp: Language, name: str) -> None:
        register_extensions()
        self.name = name
        self.nlp = nlp
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.entries: dict[str, tuple[str, str]] = {}
        self.blockers: frozenset[str] = frozenset()
        self.gazetteer: Gazetteer | None = None
        self.ready = False

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        data_dir: str = "",
    ) -> None:
        """Compile the alias lists from ``orgs.json``."""
        spec = json.loads(data_path(data_dir, "orgs.json").read_text(encoding="utf-8"))
        self.gazetteer = load_gazetteer(data_dir or None)
        self.lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        for i, org in enumerate(spec["organizations"]):
            key = f"ORG{i}"
            self.entries[key] = (org["name"], org["type"])
            acronyms = [a for a in org["aliases"] if _is_acronym(a)]
            others = [a for a in org["aliases"] if not _is_acronym(a)]
            if acronyms:
                self.orth.add(key, [self.nlp.make_doc(a) for a in acronyms])
            if others:
                self.lower.add(key, [self.nlp.make_doc(a) for a in others])
        self.blockers = frozenset(spec.get("city_blockers", ()))
        self.ready = True

    def __call__(self, doc: Doc) -> Doc:
        if not self.ready:
            self.initialize()
        strings = self.nlp.vocab.strings
        found = [(strings[m], s, e) for m, s, e in self.lower(doc)]
        found += [(strings[m], s, e) for m, s, e in self.orth(doc)]
        found.sort(key=lambda f: (f[1], -(f[2] - f[1])))
        mentions: list[OrgMention] = []
        last_end = -1
        for key, start, end in found:
            if start < last_end:
                continue
            name, typ = self.entries[key]
            if typ in WIDEN_TYPES:
                start, end = self._widen(doc, start, end)
            mentions.append(OrgMention(name, typ, start, end))
            last_end = end
        doc_state(doc).kw_orgs = mentions
        cues = doc_state(doc).kw_cues
        if mentions and cues is not None:
            # the words of a name say nothing: "heise online" is not online, the
            # "Zentralstelle Cybercrime" no attack, "Südwestfalen IT" no outage
            labels = cues.labels
            for m in mentions:
                for i in range(m.start, min(m.end, len(labels))):
                    if not labels[i].isdisjoint(NAME_STRIPPED):
                        labels[i] = labels[i] - NAME_STRIPPED
        return doc

    def _widen(self, doc: Doc, start: int, end: int) -> tuple[int, int]:
        gaz = self.gazetteer
        assert gaz is not None
        if start > 0:
            prev = doc[start - 1].lower_
            if gaz.state_of(prev) or (gaz.exact(prev) and doc[start - 1].is_title):
                start -= 1
        j = end
        while j < len(doc) and j - end < 4:
            low = doc[j].lower_
            if low in _LINKERS and j + 1 < len(doc):
                nxt = doc[j + 1].lower_
                if gaz.state_of(nxt) or gaz.exact(nxt) or nxt == "landes":
                    j += 2
                    continue
                break
            if gaz.state_of(low) or (gaz.exact(low) and doc[j].is_title):
                j += 1
                continue
            break
        return start, j


@Language.factory("kw_orgs", requires=["doc._.kw_cues"], assigns=["doc._.kw_orgs"])
def make_org_recognizer(nlp: Language, name: str) -> OrgRecognizer:
    """Factory of the organisation recogniser."""
    return OrgRecognizer(nlp, name)
