"""kw_people: named people with role and affiliation, and the speaker of each sentence.

A name is ``[Dr.|Prof.] FIRST LAST`` where FIRST is a known first name (list in
``data/people.json``) or the name follows ``Herr``/``Frau``/a title.  The role is
a role word right before the name (``Hauptgeschäftsführer Peter Müller``) or in
an apposition after it (``Peter Müller, Sprecher der Handwerkskammer Aachen,``);
the affiliation is the chamber or organisation named in that role phrase.

Per sentence, ``doc._.kw_speakers[sent.start]`` is ``(speaker, attribution,
official)``: the speaker is a named person, an unnamed role phrase (``ein
Sprecher der Kammer``) or an official organisation used as a source (``teilte
die Kammer mit``, ``laut ODAV``); the attribution is the media outlet the
sentence cites (``laut WDR``, ``berichtet die Rheinpfalz``).  ``official`` marks
statements by the chamber, the provider or an authority (used for Konjunktiv
reported speech).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipelines.nlp.components.base import data_path
from pipelines.nlp.extensions import doc_state, register_extensions
from pipelines.nlp.model import ChamberMention, OrgMention, Person
from pipelines.nlp.tokens import TokenView, get_view

_NAME_RX = re.compile(r"^[A-ZÄÖÜ][a-zäöüßéèáàçñ]+(?:-[A-ZÄÖÜ][a-zäöüßéèáàçñ]+)?$")
OFFICIAL_ORG_TYPES = frozenset({"provider", "authority"})
ORG_SOURCE_CUES = frozenset(
    {"laut", "zufolge", "angaben", "teilte", "teilt", "sagte", "sagt", "erklärte", "erklärt",
     "bestätigte", "bestätigt", "so", "betonte", "heißt", "hieß", "mitteilte", "mitteilung"}
)  # fmt: skip


def _prefix_regex(terms: Iterable[str]) -> re.Pattern[str]:
    """Role terms: ``stem*`` also matches inside compounds (``Kammersprecherin``)."""
    alts = []
    for term in terms:
        if term.endswith("*"):
            alts.append(r".*" + re.escape(term[:-1]) + r".*")
        else:
            alts.append(re.escape(term))
    return re.compile("^(?:" + "|".join(alts) + ")$")


class PeopleRecognizer:
    """Writes ``doc._.kw_people`` and ``doc._.kw_speakers``."""

    def __init__(self, nlp: Language, name: str) -> None:
        register_extensions()
        self.name = name
        self.nlp = nlp
        self.ready = False
        self.first_names: frozenset[str] = frozenset()
        self.titles: frozenset[str] = frozenset()
        self.honorifics: frozenset[str] = frozenset()
        self.role_rx = re.compile("^$")
        self.official_rx = re.compile("^$")
        self.official_subjects: frozenset[str] = frozenset()
        self.speech: frozenset[str] = frozenset()
        self.attrib: frozenset[str] = frozenset()

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        data_dir: str = "",
    ) -> None:
        """Load names, roles and speech verbs from ``people.json``."""
        spec = json.loads(data_path(data_dir, "people.json").read_text(encoding="utf-8"))
        self.first_names = frozenset(spec["first_names"])
        self.titles = frozenset(spec["titles"])
        self.honorifics = frozenset(spec["honorifics"])
        self.role_rx = _prefix_regex(spec["roles"])
        self.official_rx = _prefix_regex(spec["official_roles"])
        self.official_subjects = frozenset(spec["official_subjects"])
        self.speech = frozenset(spec["speech_verbs"])
        self.attrib = frozenset(spec["attribution_verbs"])
        self.ready = True

    def is_role(self, lower: str) -> bool:
        """True when ``lower`` is a role word (``sprecherin``, ``hauptgeschäftsführer``)."""
        return bool(self.role_rx.match(lower))

    def __call__(self, doc: Doc) -> Doc:
        if not self.ready:
            self.initialize()
        people: dict[str, Person] = {}
        view = get_view(doc)
        texts, lowers = view.texts, view.lowers
        n = len(texts)
        first_names, titles, honorifics = self.first_names, self.titles, self.honorifics
        if (
            first_names.isdisjoint(texts)
            and titles.isdisjoint(lowers)
            and honorifics.isdisjoint(lowers)
        ):
            starts: list[int] = []  # no name can start anywhere
        else:
            starts = [
                i
                for i in range(n)
                if texts[i] in first_names
                or lowers[i] in titles
                or (i > 0 and lowers[i - 1] in honorifics)
            ]
        pos = 0
        for i in starts:
            if i < pos:
                continue  # inside the name found before
            found = self._name_at(view, i)
            if found is None:
                continue
            start, end = found
            name = " ".join(t for t, w in zip(texts[start:end], lowers[start:end], strict=True)
                            if w not in titles)  # fmt: skip
            role, affiliation = self._role(doc, view, start, end)
            person = people.get(name)
            if person is None:
                # a later mention by surname only is the same person
                person = people.setdefault(name, Person(name, role, affiliation))
            if role and not person.role:
                person.role, person.affiliation = role, affiliation
            person.mentions.append((start, end))
            pos = end
        doc_state(doc).kw_people = list(people.values())
        doc_state(doc).kw_speakers = self._speakers(doc, list(people.values()))
        return doc

    def _name_at(self, view: TokenView, i: int) -> tuple[int, int] | None:
        texts, lowers = view.texts, view.lowers
        n = len(texts)
        start = i
        j = i
        cue = False
        while j < n and lowers[j] in self.titles:
            j += 1
            cue = True
        if i > 0 and lowers[i - 1] in self.honorifics:
            cue = True
        if j >= n:
            return None
        first = texts[j]
        if first not in self.first_names and not (cue and _NAME_RX.match(first)):
            return None
        if j != i and lowers[i] not in self.titles:
            return None
        k = j + 1
        while k < n and k - j <= 2 and _NAME_RX.match(texts[k]):
            if lowers[k] in self.speech or self.is_role(lowers[k]):
                break
            k += 1
        if k == j + 1 and not cue:
            return None  # a first name alone is not enough
        return start, k

    def _role(
        self, doc: Doc, view: TokenView, start: int, end: int
    ) -> tuple[str | None, str | None]:
        texts, lowers = view.texts, view.lowers
        n = len(texts)
        # role before the name: "Hauptgeschäftsführer Peter Müller", "HWK-Sprecherin Anna Berg"
        j = start - 1
        if j >= 0 and self.is_role(lowers[j].split("-")[-1]):
            role = texts[j]
            return role, self._affiliation(doc, view, j + 1, start, before=j)
        # apposition: "Peter Müller, Sprecher der Handwerkskammer Aachen,"
        if end + 1 < n and texts[end] == ",":
            k = end + 1
            if lowers[k] in ("der", "die", "ein", "eine"):
                k += 1
            if k < n and self.is_role(lowers[k].split("-")[-1]):
                stop = k + 1
                while stop < n and texts[stop] not in (",", ".", ";", ":") and stop - k < 9:
                    stop += 1
                return texts[k], self._affiliation(doc, view, k, stop, before=k)
        return None, None

    def _affiliation(
        self, doc: Doc, view: TokenView, start: int, end: int, *, before: int
    ) -> str | None:
        chambers: list[ChamberMention] = doc_state(doc).kw_chamber_mentions or []
        orgs: list[OrgMention] = doc_state(doc).kw_orgs or []
        for m in chambers:
            if start <= m.start < end or m.start <= before < m.end:
                return m.ids[0]
        for o in orgs:
            if start <= o.start < end or o.start <= before < o.end:
                return o.name
        word = view.lowers[before]
        if word.startswith(("hwk-", "kammer", "handwerkskammer")):
            return "Handwerkskammer"
        return None

    def _speakers(
        self, doc: Doc, people: list[Person]
    ) -> dict[int, tuple[str | None, str | None, bool]]:
        orgs: list[OrgMention] = doc_state(doc).kw_orgs or []
        out: dict[int, tuple[str | None, str | None, bool]] = {}
        view = get_view(doc)
        all_lowers = view.lowers
        speech = self.speech
        for sent_start, sent_end in view.sents:
            lowers = all_lowers[sent_start:sent_end]
            has_speech = not speech.isdisjoint(lowers)
            if not has_speech and not orgs:
                out[sent_start] = (None, None, False)
                continue
            speaker: str | None = None
            official = False
            for person in people:
                if has_speech and any(sent_start <= s < sent_end for s, _e in person.mentions):
                    speaker = person.name
                    official = bool(person.role and self.official_rx.match(person.role.lower()))
                    official = official or bool(person.affiliation)
                    break
            attribution = None
            for org in orgs:
                if not sent_start <= org.start < sent_end:
                    continue
                window = all_lowers[max(sent_start, org.start - 4) : org.end + 3]
                cited = any(w in self.attrib or w in self.speech for w in window)
                if org.type in OFFICIAL_ORG_TYPES:
                    cited = any(w in ORG_SOURCE_CUES for w in window) and not (
                        org.start > 0
                        and all_lowers[org.start - 1] in ("den", "dem", "das", "die")
                        and all_lowers[org.start - 2] not in ("laut", "so", "teilte", "erklärte")
                    )
                if org.type == "media" and cited and attribution is None:
                    attribution = org.name
                elif org.type in OFFICIAL_ORG_TYPES and cited and speaker is None:
                    speaker, official = org.name, True
            if speaker is None and has_speech:
                for idx, w in enumerate(lowers):
                    if self.official_rx.match(w.split("-")[-1]) and w not in ("mitarbeiter",):
                        stop = idx + 1
                        while (
                            stop < len(lowers)
                            and stop - idx < 6
                            and lowers[stop] not in (",", ".", "?", "!", ";")
                        ):
                            stop += 1
                        a, b = view.char_span(sent_start + idx, sent_start + stop)
                        speaker = view.text[a:b]
                        official = True
                        break
                    if w in self.official_subjects:
                        window = lowers[max(0, idx - 3) : idx + 4]
                        if any(v in self.speech for v in window):
                            a, b = view.char_span(
                                sent_start + max(0, idx - 1), sent_start + idx + 1
                            )
                            speaker = view.text[a:b]
                            official = True
                            break
            out[sent_start] = (speaker, attribution, official)
        return out


@Language.factory(
    "kw_people",
    requires=["doc.sents", "doc._.kw_orgs", "doc._.kw_chamber_mentions"],
    assigns=["doc._.kw_people", "doc._.kw_speakers"],
)
def make_people_recognizer(nlp: Language, name: str) -> PeopleRecognizer:
    """Factory of the people recogniser."""
    return PeopleRecognizer(nlp, name)
