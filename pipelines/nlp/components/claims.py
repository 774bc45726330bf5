"""kw_claims: sentence-level claims with type, polarity, chambers, date and speaker.

Each sentence is cut into clauses (at ``;``, ``:``, dashes, brackets and commas
that are not inside a list of chambers or a date).  Claim types come from cue
labels (``data/cues.<lang>.json``) found in a clause:

=================== ========================================================
attack              ATTACK (Cyberangriff, gehackt, Sicherheitsvorfall ...)
outage              OUTAGE (offline, nicht erreichbar ...), AVAIL + free
                    negation; AVAIL + WEBSITE without negation = outage negated
services_continue   SERVICE + CONTINUE (Prüfungen finden statt), CHANNEL +
                    AVAIL (telefonisch erreichbar); SERVICE + SERVICE_STOP
                    (Kurse abgesagt) = negated
data_breach         BREACH (Datenabfluss) or DATA + EXFIL (Daten abgeflossen)
authority_notified  AUTHORITY + NOTIFY, or CRIME_REPORT (Strafanzeige)
restored            RESTORED, or AGAIN + AVAIL (wieder erreichbar)
=================== ========================================================

Polarity, strongest first: sarcasm in a comment (configurable: ``uncertain``
or ``drop``), "nicht ausgeschlossen" -> uncertain, question -> uncertain,
hedges (vermutlich, soll, ob, unklar) -> uncertain, Konjunktiv I without an
official speaker -> uncertain, "keine Hinweise auf" or a free negation ->
negated, else asserted.  A clause without a claim cue passes its hedge or
negation on to its neighbour (``Ob Daten abgeflossen sind, ist unklar``).

Chambers: those named in the clause (or its subject cut off before it), ``[]``
for a vague group, else the sentence's (with "die Kammer", "alle vier Kammern",
"wir" resolved), else the previous sentence's or the document's only chamber;
``attack`` keeps chambers only when a chamber is hit.  Sentences about another
incident (Südwestfalen IT, Kommunen, an outage dated before 2024), off-topic
chatter and articles about other incidents yield no claims for this incident.
The rules are listed in docs/NLP.md and tested in tests/nlp/test_rules.py.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc

from pipelines.nlp.extensions import doc_state, register_extensions
from pipelines.nlp.gazetteer import Gazetteer, load_gazetteer
from pipelines.nlp.lexicon import Labels
from pipelines.nlp.model import ChamberMention, Claim, OrgMention
from pipelines.nlp.tokens import TokenView, get_view

CLAIM_TYPES = (
    "attack",
    "outage",
    "services_continue",
    "data_breach",
    "authority_notified",
    "restored",
)
SPLIT_TOKENS = frozenset({";", ":", "–", "—", "(", ")", "-"})
THIS_ORG_TYPES = frozenset({"provider"})
OTHER_ORG_TYPES = frozenset({"other_incident", "other_chamber"})
ELLIPSIS_CUES = frozenset({"ELLIPSIS"})
# cue labels without which no clause of a sentence yields a claim or a status signal
CLAIM_CUES = frozenset(
    {"ATTACK", "OUTAGE", "SEP_FALL", "AVAIL", "RESTORED", "SERVICE", "CHANNEL", "BREACH", "DATA",
     "AUTHORITY", "CRIME_REPORT", "NOT_AFFECTED", "AFFECTED", "EMAIL", "NOTIFY", "TROUBLE",
     "WITHOUT_TROUBLE"}
)  # fmt: skip
RULE_OUT = ("ausschließ", "auszuschließ", "ausgeschlossen")
SERVICE_HEADS = frozenset({"SERVICE", "EMAIL", "CHANNEL"})
# clause-break words that are adverbs inside a clause without a comma: "Die HWK Wiesbaden
# ist dagegen erreichbar" is one clause (a comma before them still cuts)
SENTENCE_ADVERBS = frozenset({"dagegen", "hingegen", "allerdings", "jedoch"})
# after one of these verbs "aber"/"doch" is an adverb too: "Die Stuttgarter Kammer ist aber online"
COPULAS = frozenset(
    {"ist", "sind", "war", "waren", "bleibt", "bleiben", "blieb", "wird", "werden", "wurde",
     "is", "are", "was", "were"}
)  # fmt: skip
PLURAL_CHAMBER_WORDS = frozenset(
    {"kammern", "handwerkskammern", "hwks", "chambers", "kammerseiten", "kammerwebseiten"}
)
FIRST_PERSON_PRONOUNS = frozenset({"wir", "uns", "we", "us"})
ATTRIBUTIVE = frozenset({"betroffenen", "betroffene", "betroffener"})  # "die betroffenen Kammern"
SOURCE_WORDS = frozenset({"laut", "zufolge", "angaben", "according", "sagte", "sagt", "teilte"})
PRONOUNS = frozenset(
    {"sie", "ihr", "ihre", "ihren", "ihrer", "ihrem", "ihres", "dort", "deren", "dessen", "it",
     "its", "they", "their", "there", "ebenda"}
)  # fmt: skip
INDEFINITE = frozenset({"ein", "einem", "einer", "eines", "einen", "a", "an", "unbestätigten"})
WHY_WORDS = frozenset({"warum", "wieso", "weshalb", "why"})
# "laut einem Kumpel", "mein Bekannter bei der Kammer": hearsay from nobody in particular
HEARSAY_NOUNS = frozenset(
    {"kumpel", "kumpels", "bekannter", "bekannten", "bekannte", "freund", "freundes", "freundin",
     "kollege", "kollegen", "kollegin", "nachbar", "nachbarn", "schwager", "cousin", "insider",
     "insiders", "gerüchten", "hörensagen", "buddy", "friend", "colleague"}
)  # fmt: skip
HEARSAY_DETERMINERS = frozenset(
    {"ein", "einem", "einer", "eines", "einen", "mein", "meine", "meinem", "meinen", "meiner",
     "meines", "a", "my"}
)  # fmt: skip
# speech words that are verbs ("X erklärte", "teilte X mit"), not "so", "mit", "laut" ...
SPEECH_VERB_EXCLUDED = frozenset(
    {"so", "mit", "ein", "laut", "zufolge", "angaben", "klar", "bekannt", "mitteilung"}
)
CHAMBER_ARTICLES = frozenset({"die", "der", "the"})
# cue labels that make an article one about an IT incident even without a chamber named
INCIDENT_TOPIC = frozenset(
    {
        "ATTACK",
        "WEBSITE",
        "EMAIL",
        "DATA",
        "BREACH",
        "AUTHORITY",
        "FIRST_PERSON",
        "CHAMBER_WORD",
        "SERVICE",
    }
)
# cue labels that make a text one about IT at all: without one, an article's "entfällt",
# "nicht möglich" or "geschlossen" is about something else (a hairdresser's mask rule)
IT_SIGNALS = frozenset({"ATTACK", "BREACH", "WEBSITE", "EMAIL", "IT_TOPIC"})
# a notice of an office speaking for itself is at most this long (a report is longer)
NOTICE_MAX_SENTENCES = 12
# a text of fewer sentences is too short to tell that it is about something else
MIN_CONTEXT_SENTENCES = 4
# ... and, in a comment below an article on the incident, also data, the police and
# prosecutors, services and ways to reach a chamber ("Angeblich sollen Daten abgeflossen
# sein", "Wurde Anzeige erstattet?", "Die Prüfung findet statt", "Immerhin läuft das Telefon")
COMMENT_TOPIC = IT_SIGNALS | {
    "ANCHOR",
    "DATA",
    "AUTHORITY",
    "CRIME_REPORT",
    "RESTORED",
    "SERVICE",
    "CHANNEL",
}
KONJ_CLEAR = frozenset({"sei", "seien", "könne", "müsse", "dürfe", "wolle", "solle"})
GROUP_NUMBERS = {
    "beide": 2, "beiden": 2, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "both": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8,
}  # fmt: skip
GROUP_DETERMINERS = frozenset(
    {"die", "den", "der", "alle", "allen", "aller", "diese", "diesen", "dieser", "the", "all",
     "these", "those", "bei", "beiden"}
)  # fmt: skip
# "eine der drei Kammern", "zwei von vier", "keine der beiden": a part of a group
PARTITIVE_HEADS = frozenset(GROUP_NUMBERS) | {"eine", "einer", "einen", "keine", "keiner", "one"}
CAUSAL_PREPOSITIONS = frozenset({"wegen", "aufgrund", "infolge", "because", "due"})
# an attack named after one of these is the frame of the sentence, not what it negates
ATTACK_FRAME_PREPOSITIONS = CAUSAL_PREPOSITIONS | {"nach", "seit", "after", "since", "following"}
BARE_CHAMBER_WORDS = frozenset({"kammer", "handwerkskammer", "hwk"})
QUOTES = frozenset({'"', "„", "“", "”", "'", "‚", "‘"})


@dataclass(slots=True)
class Clause:
    """Token range of one clause and its cue summary."""

    start: int
    end: int
    labels: set[str]
    free_neg: bool
    types: dict[str, bool]  # claim type -> the cue already implies negation
    presupposed_attack: bool = False  # only "dem Angriff" (a definite reference)
    attack_on_chamber: bool = False  # a chamber is hit ("X ist vom Angriff betroffen", "auf X")
    outage_ref: bool = False  # "von den Ausfällen ... nicht betroffen": the outage is elsewhere
    vague: bool = False  # speaks of an unnamed group of chambers ("zahlreiche Kammern")
    has_named: bool = False  # names a chamber
    speculative: bool = False  # "könnten abgeflossen sein": a modal perfect, not reported speech
    starts_contrast: bool = False  # begins with "nur"/"sondern" after a comma
    starts_sub: bool = False  # begins with "dass"/"ob": a clause another one can govern
    colon: bool = False  # follows a colon ("Betroffen sind: Aachen, Köln")
    weak_channel: bool = False  # "per Mail" with nothing about a chamber or a service
    neg_nicht: bool = False  # negated by "nicht" (not by "keiner schreibt")
    outage_cause: bool = False  # "wegen des Ausfalls": the outage is a cause, not the claim
    attack_cause: bool = False  # "wegen/nach dem Angriff": the attack is the frame, a given

    @property
    def has_claim(self) -> bool:
        return bool(self.types)


class ClaimExtractor:
    """Writes ``doc._.kw_claims`` (list of :class:`Claim`)."""

    def __init__(self, nlp: Language, name: str, sarcasm: str, comment_kinds: list[str]) -> None:
        register_extensions()
        self.name = name
        self.nlp = nlp
        self.sarcasm = sarcasm
        self.comment_kinds = frozenset(comment_kinds)
        self._gaz: Gazetteer | None = None

    def __call__(self, doc: Doc) -> Doc:
        cues: Labels | None = doc_state(doc).kw_cues
        if cues is None or not len(doc):
            doc_state(doc).kw_claims = []
            return doc
        orgs: list[OrgMention] = doc_state(doc).kw_orgs or []
        mentions: list[ChamberMention] = doc_state(doc).kw_chamber_mentions or []
        speakers = doc_state(doc).kw_speakers or {}
        meta = doc_state(doc).kw_meta or {}
        is_comment = meta.get("kind") in self.comment_kinds
        labels = cues.labels
        view = get_view(doc)
        texts = view.texts
        date_spans = [(d.start, d.end) for d in doc_state(doc).kw_dates or ()]
        doc_chambers = sorted({cid for m in mentions for cid in m.ids if m.how != "state"})
        mention_starts = [m.start for m in mentions]

        lowers = view.lowers
        issuer = self._issuer(meta)
        if is_comment:
            off_topic = self._off_topic_comment(labels, mentions, orgs)
        else:
            off_topic = (
                self._elsewhere(lowers, labels, mentions, orgs)
                or (issuer is None and self._no_incident(lowers, labels, mentions, orgs, view))
                or (len(view.sents) >= MIN_CONTEXT_SENTENCES and self._not_it(labels, orgs))
            )
        if off_topic:
            doc_state(doc).kw_claims = []
            doc_state(doc).kw_chamber_status = {}
            return doc
        topic = _topic(mentions)
        doc_single = [issuer] if issuer else (doc_chambers if len(doc_chambers) == 1 else [])
        claims: list[Claim] = []
        signals: dict[str, set[str]] = {}
        prev_chambers: list[str] = []
        last_chambers: list[str] = []
        prev_claims: list[Claim] = []
        prev_speech = False
        prev_group = False
        person_starts = [a for p in doc_state(doc).kw_people or () for a, _b in p.mentions]
        prev_official = False
        prev_sarcastic = False
        prev_other = False
        for s, e in view.sents:
            sent_labels: set[str] = set().union(*labels[s:e])
            words = set(lowers[s:e])
            sent_orgs = {o.type for o in orgs if o.start < e and o.end > s} if orgs else set()
            lo = bisect.bisect_left(mention_starts, s)
            hi = bisect.bisect_left(mention_starts, e)
            sent_mentions = own_mentions = mentions[lo:hi]
            this_anchor = (
                bool(sent_mentions) or bool(sent_orgs & THIS_ORG_TYPES) or "ANCHOR" in sent_labels
            )
            other = not OTHER_ORG_TYPES.isdisjoint(sent_orgs) and not (
                sent_mentions or sent_orgs & THIS_ORG_TYPES
            )
            if not other and not this_anchor and "OTHER_INCIDENT_CUE" in sent_labels and prev_other:
                other = True
            if (
                not other
                and "OUTAGE" in sent_labels
                and self._earlier_fault(doc, view, s, e, sent_labels, sent_orgs)
            ):
                other = True  # "Anfang Dezember 2023 eine Störung des Mailservers"
            sarcastic = is_comment and (
                "SARC" in sent_labels
                or (not QUOTES.isdisjoint(texts[s:e]) and _ironic_quotes(texts, s, e))
            )
            sarcastic = sarcastic or (is_comment and prev_sarcastic and e - s < 25)
            # "In einer früheren Version hieß es, X sei betroffen": withdrawn, no claim
            offtopic = ("OFFTOPIC" in sent_labels and not this_anchor) or (
                "RETRACTED" in sent_labels
            )
            speaker, attribution, official = speakers.get(s, (None, None, False))
            if speaker is None and attribution is None and prev_official:
                official = True
            question = "?" in texts[max(s, e - 3) : e]
            if question and _first_word(lowers, s, e) in WHY_WORDS:
                question = False  # "Warum schreibt keiner, dass X betroffen ist?" presupposes it
            if "KONJ" in sent_labels and is_comment and KONJ_CLEAR.isdisjoint(words):
                # "arbeite da", "habe angerufen": first person in a comment, not reported speech
                sent_labels = sent_labels - {"KONJ"}
                cues = _without(cues, s, e, "KONJ")
            claimable = not CLAIM_CUES.isdisjoint(sent_labels)
            named_ids = {c for sm in sent_mentions for c in sm.ids}
            extra_ids: list[str] = []
            anaphor_at = -1
            if not BARE_CHAMBER_WORDS.isdisjoint(words):
                anaphor_at = self._bare_chamber_word(lowers, s, e, sent_mentions)
            if anaphor_at >= 0:
                # "die Kammer": the chamber named last, or the one the text is about; not
                # one named last only to say it is not affected ("X nutzt einen anderen
                # Anbieter. ... Die Kammer habe die Datenschutzbeauftragte informiert.")
                single = len(last_chambers) == 1 and not (
                    topic
                    and topic != last_chambers[0]
                    and signals.get(last_chambers[0]) == {"not_affected"}
                )
                extra_ids = last_chambers if single or not topic else [topic]
            plural = not PLURAL_CHAMBER_WORDS.isdisjoint(words)
            group_at, group = _numbered_group(lowers, s, e, mentions) if plural else (-1, [])
            if group:
                anaphor_at, extra_ids = group_at, group  # "bei allen vier Kammern"
            if anaphor_at >= 0 and extra_ids:
                sent_mentions = sent_mentions + [
                    m for m in _as_mentions(extra_ids, anaphor_at) if m.ids[0] not in named_ids
                ]
            vague = (
                self._vague_groups(lowers, labels, s, e, sent_mentions, group_at)
                if plural
                else set()
            )
            if not sent_mentions and issuer:
                fallback = [issuer]  # a chamber's own notice: "wir", agentless statements
            elif not sent_mentions and topic and not FIRST_PERSON_PRONOUNS.isdisjoint(words):
                fallback = [topic]  # "Das trifft uns", said by the chamber the text is about
            elif not sent_mentions and (vague or _reply_subject(lowers, s, e)):
                # "Wer die Seiten einzelner Kammern aufruft, ...": none named; "Re: Kammer-
                # Mails seit einer Woche tot": the subject of the posting answered
                fallback = []
            else:
                # the chambers of the sentence before (a paragraph stays on its subject),
                # else the only chamber of the text
                fallback = prev_chambers or (doc_chambers if len(doc_chambers) == 1 else [])
            new: list[Claim] = []
            if claimable and not other and not offtopic:
                # a named source makes Konjunktiv I and "soll" reported speech, not a hedge
                sourced = (
                    official
                    or speaker is not None
                    or attribution is not None
                    or prev_speech
                    or (not SOURCE_WORDS.isdisjoint(words) and _named_source(lowers, s, e))
                    # "Die Kammer X erklärte, sie sei nicht betroffen": the chamber reports
                    # on itself, its Konjunktiv is reported speech
                    or ("SPEECH" in sent_labels and _chamber_speaks(lowers, labels, own_mentions))
                )
                clauses = self._clauses(view, s, e, cues, date_spans, own_mentions, vague)
                self._spread_modality(clauses)
                if (
                    not HEARSAY_NOUNS.isdisjoint(words)
                    and speaker is None
                    and _hearsay(lowers, s, e)
                ):
                    # "Laut einem Kumpel bei der HWK sind Daten abgeflossen": a rumour
                    for clause in clauses:
                        clause.labels.add("UNC")
                other_at = (
                    [o.start for o in orgs if o.type == "other_incident" and s <= o.start < e]
                    if "other_incident" in sent_orgs
                    else []
                )
                new = self._sentence_claims(
                    view, s, e, clauses, sent_mentions, fallback, doc_single, sent_orgs, labels,
                    question=question, sarcastic=sarcastic, official=sourced,
                    sent_labels=sent_labels,
                    other_at=other_at,
                )  # fmt: skip
                if not sarcastic:
                    self._status_signals(
                        view,
                        clauses,
                        sent_mentions,
                        new,
                        signals,
                        question=question,
                        official=sourced,
                    )
            elif not claimable and not other and not offtopic and not sarcastic:
                # "Aachen und Köln noch nicht.", "Und in Koblenz wohl auch."
                new = self._ellipsis(
                    lowers, cues, s, e, sent_mentions, prev_claims, question, signals
                )
            if not new and prev_group and not other and not question and not sarcastic:
                named_here = sorted({c for m in sent_mentions if m.how != "anaphor" for c in m.ids})
                if len(named_here) >= 2:
                    # "Die Liste der betroffenen Kammern ist lang. Genannt wurden A, B und C."
                    new = [Claim("outage", "asserted", named_here, s, e)]
                    for cid in named_here:
                        signals.setdefault(cid, set()).add("affected")
            if new:
                sent_date = self._date(doc, view, s, e) if date_spans else None
                for claim in new:
                    claim.speaker, claim.attribution = speaker, attribution
                    claim.date = dict(sent_date) if sent_date else None
            claims.extend(new)
            if (
                not claimable
                and prev_claims
                and not sent_mentions
                and e - s <= 8
                and {"UNC", "OPEN"} & sent_labels
            ):
                # "Keine Ahnung, ob das stimmt.", "Ohne Gewähr.": the previous claims are hedged
                for claim in prev_claims:
                    if claim.polarity == "asserted":
                        claim.polarity = "uncertain"
            prev_claims = new
            prev_group = (
                not sent_mentions
                and plural
                and not ATTRIBUTIVE.isdisjoint(words)
                and _affected_group(lowers, s, e)
            )
            prev_speech = "SPEECH" in sent_labels and bool(
                sent_orgs or any(s <= a < e for a in person_starts)
            )
            for m in sent_mentions:
                for cid in m.ids:
                    signals.setdefault(cid, set())
            if sent_mentions:
                prev_chambers = sorted({cid for m in sent_mentions for cid in m.ids})
                named = [m for m in sent_mentions if m.how != "anaphor"]
                if named:
                    last_chambers = sorted({cid for m in named for cid in m.ids})
            elif sent_orgs & THIS_ORG_TYPES:
                prev_chambers = []
            prev_official = official and (speaker is not None or prev_official)
            prev_sarcastic = sarcastic and "SARC" in sent_labels and e - s <= 4
            prev_other = other
        doc_state(doc).kw_claims = claims
        status: dict[str, str] = {}
        for cid, sig in signals.items():
            if "affected" in sig:
                status[cid] = "affected"
            elif "not_affected" in sig:
                status[cid] = "not_affected"
            else:
                status[cid] = "mentioned"
        doc_state(doc).kw_chamber_status = status
        return doc

    # -- references ------------------------------------------------------------------------
    @staticmethod
    def _elsewhere(
        lowers: list[str],
        labels: list[frozenset[str]],
        mentions: list[ChamberMention],
        orgs: list[OrgMention],
    ) -> bool:
        """An article about something else: no Handwerkskammer, no provider, but another
        incident, another kind of chamber or another victim (hospital, municipality) named."""
        if mentions or any(o.type in THIS_ORG_TYPES for o in orgs):
            return False
        if any(w.startswith(("handwerkskammer", "hwk")) for w in lowers):
            return False
        if any(o.type in ("other_incident", "other_chamber") for o in orgs):
            return True
        return any("OTHER_INCIDENT_CUE" in lab for lab in labels) and not any(
            "ANCHOR" in lab for lab in labels
        )

    @staticmethod
    def _no_incident(
        lowers: list[str],
        labels: list[frozenset[str]],
        mentions: list[ChamberMention],
        orgs: list[OrgMention],
        view: TokenView,
    ) -> bool:
        """An article that names no Handwerkskammer and not the provider, and either says
        nothing of Handwerk or a (service) provider at all (phishing at a web host, a
        lawyer's office that never answers the phone) or nothing of an attack, of websites,
        e-mail or data and does not speak for itself ("wir", "uns"): a bakery with a broken
        heating; its "geschlossen" or "geöffnet" is no claim here."""
        if mentions or any(o.type in THIS_ORG_TYPES for o in orgs):
            return False
        if any(w.startswith(("handwerkskammer", "hwk", "kammer")) for w in lowers):
            return False
        sentences = len(view.sents)
        if (
            sentences >= MIN_CONTEXT_SENTENCES
            and all("ANCHOR" not in lab for lab in labels)
            and not (
                sentences <= NOTICE_MAX_SENTENCES and any("FIRST_PERSON" in lab for lab in labels)
            )
        ):
            # long enough to tell: nothing of chambers, Handwerk or a provider, and no
            # short notice of an unnamed office speaking for itself ("Wir sind per E-Mail
            # nicht erreichbar")
            return True
        return all(lab.isdisjoint(INCIDENT_TOPIC) for lab in labels)

    @staticmethod
    def _not_it(labels: list[frozenset[str]], orgs: list[OrgMention]) -> bool:
        """A text that says nothing of attacks, websites, e-mail, servers or being online,
        and does not name the provider: Handwerk news on another subject (a chamber's
        course calendar, hygiene rules for hairdressers) makes no claim on this incident."""
        if any(o.type in THIS_ORG_TYPES for o in orgs):
            return False
        return all(lab.isdisjoint(IT_SIGNALS) for lab in labels)

    @staticmethod
    def _off_topic_comment(
        labels: list[frozenset[str]],
        mentions: list[ChamberMention],
        orgs: list[OrgMention],
    ) -> bool:
        """A comment that names no chamber, no Handwerk and not the provider, and says
        nothing of attacks, websites, e-mail or being online: chatter in another thread."""
        if mentions or any(o.type in THIS_ORG_TYPES for o in orgs):
            return False
        return all(lab.isdisjoint(COMMENT_TOPIC) for lab in labels)

    def _issuer(self, meta: dict[str, object]) -> str | None:
        """The chamber whose own website published the document (``www.hwk-aachen.de``)."""
        url = meta.get("url")
        if not isinstance(url, str) or "." not in url:
            return None
        if self._gaz is None:
            self._gaz = load_gazetteer()
        return self._gaz.domain(url.lower())

    @staticmethod
    def _vague_groups(
        lowers: list[str],
        labels: list[frozenset[str]],
        s: int,
        e: int,
        sent_mentions: list[ChamberMention],
        group_at: int,
    ) -> set[int]:
        """Plural chamber words that name no chamber ("zahlreiche Kammern", "Dutzende HWKs")."""
        out: set[int] = set()
        for i in range(s, e):
            if lowers[i] not in PLURAL_CHAMBER_WORDS or i == group_at:
                continue
            if any(
                m.how != "anaphor" and m.start <= i + 4 and m.end >= i - 1 for m in sent_mentions
            ):
                continue  # "die Kammern in Aachen und Köln", "alle sechs bayerischen Kammern"
            out.add(i)
        return out

    def _ellipsis(
        self,
        lowers: list[str],
        cues: Labels,
        s: int,
        e: int,
        sent_mentions: list[ChamberMention],
        prev_claims: list[Claim],
        question: bool,
        signals: dict[str, set[str]],
    ) -> list[Claim]:
        """A short sentence naming chambers without a predicate repeats the previous claims."""
        named = [m for m in sent_mentions if m.how != "anaphor"]
        if not named or e - s > 12 or not prev_claims:
            return []
        labels, bound = cues.labels, cues.bound
        in_names = {i for m in named for i in range(m.start, m.end)}
        words = [i for i in range(s, e) if i not in in_names and lowers[i][:1].isalnum()]
        if len(words) > 5:
            return []  # a sentence of its own ("Die Kammer in X wollte sich nicht äußern")
        sent_labels: set[str] = set().union(*labels[s:e])
        negated = any("NEG" in labels[i] and not bound[i] for i in range(s, e))
        if not negated and "ELLIPSIS_SENT" not in sent_labels:
            return []
        ids = sorted({cid for m in named for cid in m.ids})
        hedged = bool({"UNC", "REPORTED"} & sent_labels)
        out: list[Claim] = []
        for prev in prev_claims:
            if not prev.chambers or prev.type == "attack":
                continue
            pol = prev.polarity
            if negated:
                pol = _negate(pol)
            if question or hedged:
                pol = "uncertain"
            out.append(Claim(prev.type, pol, ids, s, e))
            status_pol = "asserted" if hedged and not question and pol == "uncertain" else pol
            sig = _signal({prev.type: False}, status_pol)
            for cid in ids:
                if sig:
                    signals.setdefault(cid, set()).add(sig)
        return out

    @staticmethod
    def _earlier_fault(
        doc: Doc, view: TokenView, s: int, e: int, sent_labels: set[str], sent_orgs: set[str]
    ) -> bool:
        """An outage dated before the incident (2023 and earlier) is another incident."""
        if "OUTAGE" not in sent_labels or sent_orgs & THIS_ORG_TYPES or "ATTACK" in sent_labels:
            return False
        a, b = view.char_span(s, e)
        return any(
            a <= d.start < b and d.value and d.value[:4].isdigit() and d.value[:4] < "2024"
            for d in doc_state(doc).kw_dates or ()
        )

    # -- chamber status --------------------------------------------------------------------
    def _status_signals(
        self,
        view: TokenView,
        clauses: list[Clause],
        sent_mentions: list[ChamberMention],
        claims: list[Claim],
        signals: dict[str, set[str]],
        *,
        question: bool,
        official: bool,
    ) -> None:
        per_clause = []
        for c in clauses:
            pol = self._polarity(c, question=question, official=official)
            if pol == "uncertain" and not question and not {"OPEN", "NOT_RULED_OUT"} & c.labels:
                # "Dortmund wohl auch", "soll betroffen sein": hedged, affected; but "geht
                # davon aus, dass keine Daten abgeflossen sind" is a hedged denial
                negated = c.free_neg or not {"NEG_FIND", "RULED_OUT"}.isdisjoint(c.labels)
                pol = "negated" if negated else "asserted"
            types = c.types
            if c.attack_cause and "attack" in types:
                # "Nach dem Angriff ... nicht": the negation is not about the attack
                types = {t: v for t, v in types.items() if t != "attack"}
            per_clause.append(_signal(types, pol))
        sent_sigs = {sig for sig in per_clause if sig}
        sent_sig = next(iter(sent_sigs)) if len(sent_sigs) == 1 else None
        named: set[str] = set()
        for m in sent_mentions:
            k = next((k for k, c in enumerate(clauses) if c.start <= m.start < c.end), None)
            sig = per_clause[k] if k is not None else None
            if sig is None and k is not None and clauses[k].free_neg and not clauses[k].types:
                sig = _flip(sent_sig)  # "..., Münster nicht."
            elif sig is None:
                sig = sent_sig
            if _contrasted(view, m.start):
                sig = _flip(sent_sig if sig is None else sig)
            for cid in m.ids:
                named.add(cid)
                if sig:
                    signals.setdefault(cid, set()).add(sig)
        for claim in claims:
            # chambers inherited from earlier sentences, and a named chamber's other
            # clause ("X war erreichbar; dort seien nur Formulare ausgefallen")
            sig = _signal({claim.type: False}, claim.polarity)
            for cid in claim.chambers:
                if sig and (cid not in named or sig == "affected"):
                    signals.setdefault(cid, set()).add(sig)

    @staticmethod
    def _bare_chamber_word(
        lowers: list[str], s: int, e: int, sent_mentions: list[ChamberMention]
    ) -> int:
        """Where the sentence says "die Kammer"/"die HWK" without naming one (else -1)."""
        if BARE_CHAMBER_WORDS.isdisjoint(lowers[s:e]):
            return -1
        for i in range(s, e):
            if i > s and lowers[i - 1].startswith("dortig"):
                continue  # "die dortige Kammer": the place named in the sentence
            if lowers[i] in BARE_CHAMBER_WORDS and not any(
                i - 2 <= m.start <= i + 4 for m in sent_mentions
            ):
                return i
        return -1

    # -- clauses ------------------------------------------------------------------------
    def _clauses(
        self,
        view: TokenView,
        sent_start: int,
        sent_end: int,
        cues: Labels,
        date_spans: list[tuple[int, int]],
        mentions: list[ChamberMention],
        vague: set[int],
    ) -> list[Clause]:
        labels = cues.labels
        texts = view.texts
        protected: set[int] = set()
        named: set[int] = set()
        for m in mentions:  # the sentence's own mentions
            protected.update(range(m.start, m.end + 1))
            named.update(range(m.start, max(m.end, m.start + 1)))
        cuts = [sent_start]
        for i in range(sent_start + 1, sent_end - 1):
            text = texts[i]
            if text in SPLIT_TOKENS:
                if text in "()" and (i - 1 in named or i + 1 in named):
                    continue  # "Bielefeld (Ostwestfalen-Lippe)": a chamber in brackets
                cuts.append(i)
            elif text == ",":
                if i - 1 in protected and i + 1 in protected:
                    continue
                if date_spans:
                    ch = view.idx[i]
                    if any(a <= ch < b for a, b in date_spans):
                        continue  # "Montag, 8. Januar"
                cuts.append(i)
            elif (
                "CLAUSE_BREAK" in labels[i]
                and i - 1 > cuts[-1]
                and texts[i - 1] != ","
                and texts[i + 1] != ","
                and view.lowers[i] not in SENTENCE_ADVERBS
                and not (view.lowers[i] in ("aber", "doch") and view.lowers[i - 1] in COPULAS)
            ):
                cuts.append(i)  # not "rechnet damit, dass": there the comma cuts
        cuts.append(sent_end)
        clauses = []
        for a, b in pairwise(cuts):
            if b > a:
                clauses.append(self._summarise(view, cues, a, b, named, vague))
        authority = any("AUTHORITY" in c.labels for c in clauses)
        for k, c in enumerate(clauses):
            if k and c.colon and c.has_named and not c.types:
                head = clauses[k - 1]
                if not head.types and not head.free_neg and "AVAIL" in head.labels:
                    # "Erreichbar: @HWK_Berlin, Hwk Konstanz": the list is what is reachable
                    c.types["outage_negated"] = True
            if authority and "NOTIFY" in c.labels and "authority_notified" not in c.types:
                # "Der Landesbeauftragte, den die Kammer informiert hatte, ..."
                c.types["authority_notified"] = False
            if k and "affected" in c.types and "outage" not in c.types:
                prev = clauses[k - 1]
                if prev.has_named and not prev.types:
                    # "Die Kammer X, eine der am stärksten betroffenen, ...": X is the subject
                    c.types["outage"] = False
        return clauses

    def _summarise(
        self, view: TokenView, cues: Labels, a: int, b: int, named: set[int], vague: set[int]
    ) -> Clause:
        labels, bound = cues.labels, cues.bound
        lowers = view.lowers
        found: set[str] = set()
        free_neg = False
        avail: list[int] = []
        again: list[int] = []
        affected_at: list[int] = []
        attack_at: list[int] = []
        website = pronoun = rule_out = False
        first_named = b
        service_at = data_at = b
        for i in range(a, b):
            lab = labels[i]
            if i in named and first_named == b:
                first_named = i
            if lowers[i] in FIRST_PERSON_PRONOUNS:
                pronoun = True
            if lowers[i].startswith(RULE_OUT):
                rule_out = True
            if not lab:
                continue
            found |= lab
            if "NEG" in lab and not bound[i]:
                free_neg = True
            if "AVAIL" in lab and "OUTAGE" not in lab:
                avail.append(i)
            if "AGAIN" in lab:
                again.append(i)
            if "AFFECTED" in lab and lowers[i] not in ATTRIBUTIVE:
                affected_at.append(i)
            if "ATTACK" in lab:
                attack_at.append(i)
            if "WEBSITE" in lab and "EMAIL" not in lab and not _provider_word(lowers[i]):
                website = True
            if service_at == b and not lab.isdisjoint(SERVICE_HEADS):
                service_at = i
            if data_at == b and "DATA" in lab:
                data_at = i
        if avail and "AVAIL_VERB" in found:
            avail = [i for i in avail if not _idiom(lowers, labels, i, a, b)]
            if not avail:
                found.discard("AVAIL")
        if free_neg and rule_out:
            # "ausschließen könne man es nicht", "ausgeschlossen ist das nicht"
            found.add("NOT_RULED_OUT")
            free_neg = False
        elif free_neg and _refusal(lowers, a, b):
            # "wollte der Sprecher nicht sagen": a refusal to answer, not a denial
            found.add("UNC")
            free_neg = False
        elif rule_out and "NOT_RULED_OUT" not in found and {"BREACH", "EXFIL", "ATTACK"} & found:
            # "ein Datenabfluss kann ausgeschlossen werden": ruled out is a negation
            found.add("RULED_OUT")
        types: dict[str, bool] = {}
        named_here = first_named < b
        # the head noun comes first: "die Prüfungen der HWK Ulm", "Mitgliederdaten der Kammer"
        service_first = service_at < first_named
        data_first = data_at < first_named
        # a chamber is the subject or object: named, "die Kammer", "wir"/"uns"
        chamber_ref = named_here or "CHAMBER_WORD" in found or pronoun
        email_only = "EMAIL" in found and not website
        # "wieder erreichbar", "geht seit gestern wieder": AGAIN up to four words before
        # the verb or anywhere after it ("läuft die Kursbuchung seit letzter Woche wieder")
        again_avail = "RESTORED" in found or any(j >= i - 4 for i in avail for j in again)
        presupposed = False
        attack_on_chamber = False
        if attack_at:
            types["attack"] = False
            presupposed = all(
                any("DEF_DET" in labels[j] for j in range(max(a, i - 2), i)) for i in attack_at
            )
            # "Angriff auf die Kammer X", "auf die Rechner der Kammer", "X wurde gehackt"
            attack_on_chamber = any(
                lowers[j] in ("auf", "on")
                and _refers_to_chamber(view.texts, lowers, labels, named, j + 1, b)
                for i in attack_at
                for j in range(i + 1, min(b, i + 3))
            ) or ("ATTACK_VERB" in found and chamber_ref)
            presupposed = presupposed and not attack_on_chamber
        if "OUTAGE" in found:
            types["outage"] = False
        if "TROUBLE" in found and (website or "EMAIL" in found or "SERVICE" in found):
            types["outage"] = False  # "melden Probleme mit ihren Internetseiten"
        if "WITHOUT_TROUBLE" in found and "outage" not in types and (website or chamber_ref):
            types["outage_negated"] = True  # "die Internetseite arbeitet ohne Einschränkungen"
        if "SEP_FALL" in found and "SEP_PART" in found:
            verb = next(i for i in range(a, b) if "SEP_FALL" in labels[i])
            if any("SEP_PART" in labels[j] for j in range(verb + 1, b)):
                types["outage"] = False  # "fielen ... aus", "legte ... lahm"
        if not again_avail and again and not COPULAS.isdisjoint(lowers[a:b]):
            # "Noch immer sind nicht alle Portale zurück", "die Seite ist zurück"
            again_avail = any(lowers[j] in ("zurück", "back") for j in again)
        if again_avail:
            types["restored"] = False
        elif avail and ("CHANNEL" not in found or (website and free_neg)):
            # "weder über die Internetseite noch per E-Mail erreichbar": an outage, not a
            # service going on by other means
            if free_neg:
                types["outage"] = True  # "kann nicht aufgerufen werden": negation is the outage
            elif email_only and "outage" not in types:
                types["services_continue"] = False  # "E-Mails kommen normal an"
            elif (
                (website or "NORMAL" in found or named_here)
                and "outage" not in types
                and "SERVICE" not in found
            ):
                types["outage_negated"] = True  # "die Seite ist erreichbar", "Stuttgart lief"
            elif "CONTINUE" in found and "outage" not in types and "SERVICE" not in found:
                types["services_continue"] = False  # "wir sind weiterhin erreichbar"
        # "die Kammer ist per Telefon erreichbar", not "ein Leser schrieb mir per Mail"
        weak_channel = not (
            chamber_ref or {"FIRST_PERSON", "AVAIL", "SERVICE", "CONTINUE", "NORMAL"} & found
        )
        if ("SERVICE" in found and ("CONTINUE" in found or "NORMAL" in found)) or (
            "CHANNEL" in found and "OUTAGE" not in found and "outage" not in types
        ):
            types["services_continue"] = False
        if email_only and "NORMAL" in found and not free_neg and "outage" not in types:
            types["services_continue"] = False  # "E-Mails erreichen uns problemlos"
        if "SERVICE" in found and "SERVICE_STOP" in found:
            types["services_stopped"] = True
        if "BREACH" in found or ("DATA" in found and "EXFIL" in found):
            types["data_breach"] = False
        if ("AUTHORITY" in found and "NOTIFY" in found) or "CRIME_REPORT" in found:
            types["authority_notified"] = False
        outage_ref = False
        if "NOT_AFFECTED" in found:
            if data_first:
                types["data_not_affected"] = True  # "Daten seien nicht betroffen"
            elif service_first and not website:
                types["services_continue"] = False  # "E-Mail und Telefon nicht betroffen"
            else:
                types["not_affected"] = True
            # "von der Störung nicht betroffen": the outage is a reference, not a claim
            outage_ref = "outage" in types and not types["outage"]
            attack_on_chamber = False  # "X ist vom Angriff nicht betroffen": attack []
        elif affected_at:
            if data_first:
                types["data_breach"] = False  # "ob Daten betroffen sind"
            else:
                types["affected"] = False
                if chamber_ref or website or "EMAIL" in found:
                    types["outage"] = False  # "X ist betroffen", "betroffen sind die Seiten"
                if "ATTACK" in found and chamber_ref:
                    attack_on_chamber = True  # "X ist von dem Cyberangriff betroffen"
        clause = Clause(a, b, found, free_neg, types, presupposed)
        clause.attack_on_chamber = attack_on_chamber
        clause.outage_ref = outage_ref
        outage_at = [i for i in range(a, b) if "OUTAGE" in labels[i]]
        clause.outage_cause = bool(outage_at) and all(
            any(lowers[j] in CAUSAL_PREPOSITIONS for j in range(max(a, i - 3), i))
            for i in outage_at
        )
        clause.attack_cause = bool(attack_at) and all(
            any(lowers[j] in ATTACK_FRAME_PREPOSITIONS for j in range(max(a, i - 3), i))
            for i in attack_at
        )
        clause.vague = bool(vague) and any(i in vague for i in range(a, b))
        clause.has_named = named_here
        clause.speculative = "KONJ2" in found and any(
            lowers[i] in ("sein", "haben", "worden") for i in range(a, b)
        )
        first = a + 1 if lowers[a] in (",", ";", "–", "-") and a + 1 < b else a
        clause.starts_contrast = "CONTRAST_ONLY" in labels[first]
        clause.starts_sub = lowers[first] in ("dass", "ob", "that", "whether")
        clause.colon = lowers[a] == ":"
        clause.weak_channel = weak_channel and "SERVICE" not in found
        clause.neg_nicht = free_neg and any(
            lowers[i] in ("nicht", "not") and not bound[i] for i in range(a, b)
        )
        return clause

    @staticmethod
    def _spread_modality(clauses: list[Clause]) -> None:
        """Hand the hedge/negation of a cue-less clause to its neighbour clause."""
        carry = ("NOT_RULED_OUT", "UNC", "NEG_FIND", "KONJ", "KONJ2", "REPORTED", "COND")
        for k, clause in enumerate(clauses):
            if clause.has_claim:
                continue
            modal = {lab for lab in carry if lab in clause.labels}
            neg = clause.free_neg
            prv0 = clauses[k - 1] if k > 0 else None
            if prv0 is not None and prv0.types and clause.end - clause.start <= 12:
                if clause.has_named and ("ELLIPSIS_SENT" in clause.labels or neg or clause.colon):
                    # "..., Dortmund wohl auch", "..., Münster aber nicht": the same predicate
                    # for another chamber, with this clause's own hedge or negation
                    clause.types = _elliptic_types(prv0.types)
                    continue
                if (
                    clause.has_named
                    and clause.starts_contrast
                    and (prv0.free_neg or "not_affected" in prv0.types)
                ):
                    # "die IHK ist nicht betroffen, nur die Handwerkskammer": the opposite
                    clause.types = _contrast_types(prv0.types)
                    continue
                if neg and not modal and bool(ELLIPSIS_CUES & clause.labels):
                    # "..., Online-Portale aber noch nicht": the same claim, negated
                    clause.types = _elliptic_types(prv0.types)
                    continue
            if not modal and not neg:
                continue
            target = None
            nxt = clauses[k + 1] if k + 1 < len(clauses) else None
            prv = clauses[k - 1] if k > 0 else None
            if nxt is not None and nxt.has_claim and ("CLAUSE_BREAK" in nxt.labels or prv is None):
                target = nxt
            elif prv is not None and prv.has_claim:
                target = prv
            elif nxt is not None and nxt.has_claim:
                target = nxt
            if target is not None:
                target.labels |= modal
                if neg and any("EVIDENCE_NOUN" in c.labels for c in clauses[: k + 1]):
                    # "Hinweise darauf, dass Daten abgeflossen sind, gebe es nicht"
                    target.labels.add("NEG_FIND")
                # a negation reaches into the clause it introduces ("Wir glauben nicht, dass
                # ..."), or comes as a short tail ("..., nicht aber"); a clause with its own
                # verb ("..., können sie nichts einreichen") negates only itself
                if (
                    neg
                    and not modal
                    and (
                        (target is nxt and nxt.starts_sub and clause.neg_nicht)
                        or clause.end - clause.start <= 4
                    )
                ):
                    target.free_neg = True

    # -- claims --------------------------------------------------------------------------
    def _sentence_claims(
        self,
        view: TokenView,
        sent_start: int,
        sent_end: int,
        clauses: list[Clause],
        sent_mentions: list[ChamberMention],
        fallback: list[str],
        doc_single: list[str],
        sent_orgs: set[str],
        labels: list[frozenset[str]],
        *,
        question: bool,
        sarcastic: bool,
        official: bool,
        sent_labels: set[str],
        other_at: list[int] | None = None,
    ) -> list[Claim]:
        out: dict[tuple[str, str], Claim] = {}
        sent_chambers = self._chambers(view, sent_mentions)
        for k, clause in enumerate(clauses):
            if not clause.types:
                continue
            polarity = self._polarity(clause, question=question, official=official)
            if sarcastic:
                if self.sarcasm == "drop":
                    continue
                polarity = "uncertain"
            in_clause = [m for m in sent_mentions if clause.start <= m.start < clause.end]
            vague_subject = clause.vague
            if not in_clause and k > 0 and not clauses[k - 1].types:
                # "Die HWK Münster | dagegen ist nicht betroffen": the subject before the cut
                prev = clauses[k - 1]
                in_clause = [m for m in sent_mentions if prev.start <= m.start < prev.end]
                vague_subject = vague_subject or prev.vague  # "Andere Kammern | dagegen ..."
            if in_clause:
                chambers = self._chambers(view, in_clause)
            elif vague_subject:
                chambers = []  # "zahlreiche Kammern", "die betroffenen Kammern"
            else:
                chambers = sent_chambers
                if not chambers and not sent_mentions and not sent_orgs & THIS_ORG_TYPES:
                    chambers = fallback
            for typ, implied_neg in clause.types.items():
                ctype, pol, ids = typ, polarity, chambers
                if typ == "restored":
                    if "COND" in clause.labels:
                        continue  # "sobald die Systeme wieder verfügbar sind"
                    if _work_in_progress(view.lowers, clause.start, clause.end):
                        continue  # "arbeiten an der Wiederherstellung"
                    if _purpose(view.lowers, clause.start, clause.end):
                        continue  # "alles tun, um die Seite wieder online zu bringen"
                    if pol == "asserted" and _future(labels, view.lowers, clause):
                        pol = "uncertain"  # "soll bis Ende Januar wieder laufen"
                if typ == "attack":
                    if other_at and any(clause.start <= i < clause.end for i in other_at):
                        continue  # "mit dem Angriff auf die Südwestfalen IT": another incident
                    if clause.attack_cause and pol == "negated":
                        # "Wegen eines Angriffs ... ist die Kammer weder ... noch erreichbar",
                        # "Zwei Monate nach dem Hack: Noch immer nicht alle Portale zurück"
                        pol = "asserted"
                    if clause.presupposed_attack and pol != "asserted":
                        continue  # "ob bei dem Angriff Daten abflossen": the hedge is not about it
                    if not clause.attack_on_chamber:
                        ids = []  # "Angriff auf den Dienstleister": the provider was attacked
                if typ in ("outage_negated", "not_affected"):
                    if not in_clause and "FIRST_PERSON" not in clause.labels:
                        # the clause, or the clause cut off before it, opens with "sie"
                        opening = [clause]
                        if k > 0 and not clauses[k - 1].types:
                            opening.append(clauses[k - 1])
                        if (sent_chambers or fallback) and any(
                            _pronoun_subject(view.lowers, c.start, c.end) for c in opening
                        ):
                            # "Sie war nicht betroffen": the chamber named before
                            chambers = sent_chambers or fallback
                        elif not (doc_single and "WEBSITE" in clause.labels):
                            continue  # "Daten seien nicht betroffen", "die Seite läuft"
                        else:
                            chambers = doc_single  # "Die Website lief die ganze Zeit."
                    if "other_chamber" in sent_orgs:
                        continue  # "die IHK läuft normal"
                    if not in_clause:
                        ids = chambers  # "Wir sind kein Kunde": the issuing chamber
                    ctype, pol = "outage", _negate(polarity)
                elif typ == "data_not_affected":
                    ctype, pol = "data_breach", _negate(polarity)
                elif typ == "services_stopped":
                    ctype, pol = "services_continue", _negate(polarity)
                elif typ == "affected":
                    continue  # status only
                elif implied_neg and polarity == "negated":
                    pol = "asserted"  # "kann nicht aufgerufen werden": the negation is the outage
                if (
                    typ == "services_continue"
                    and clause.weak_channel
                    and (
                        "SPEECH" in clause.labels
                        or (
                            not sent_mentions
                            and not doc_single
                            and "CHAMBER_WORD" not in sent_labels
                        )
                    )
                ):
                    # "Ich wurde per Mail darauf aufmerksam gemacht", "hat die Dame am
                    # Telefon gesagt": the channel of a message, not a service going on
                    continue
                if typ == "outage" and clause.outage_cause and pol == "negated":
                    continue  # "Fristen, die wegen der Störung nicht eingehalten werden"
                if typ == "outage" and clause.outage_ref:
                    if not clause.vague:
                        continue  # "von der Störung nicht betroffen": no outage claimed
                    ids = []  # "von den Ausfällen bei zahlreichen Kammern nicht betroffen"
                if typ == "authority_notified" and not in_clause and not sent_mentions:
                    if "INVESTIGATE" in clause.labels and "NOTIFY" not in clause.labels:
                        ids = []  # "das LKA ermittelt": nobody's report
                    elif "FIRST_PERSON" not in sent_labels:
                        ids = doc_single  # "das BSI ist eingeschaltet": whose report is unsaid
                key = (ctype, pol)
                if key in out:
                    merged = sorted(set(out[key].chambers) | set(ids))
                    out[key].chambers = merged
                    continue
                out[key] = Claim(ctype, pol, sorted(set(ids)), sent_start, sent_end)
        return list(out.values())

    @staticmethod
    def _polarity(clause: Clause, *, question: bool, official: bool) -> str:
        """Polarity of a clause; ``official`` means the sentence names its source."""
        labs = clause.labels
        if "NOT_RULED_OUT" in labs or question:
            return "uncertain"
        if "UNC" in labs:
            return "uncertain"
        if ("KONJ" in labs or "REPORTED" in labs) and not official:
            return "uncertain"  # "soll", Konjunktiv I without a named source
        if "KONJ2" in labs and (not official or clause.speculative):
            return "uncertain"  # "könnte", "wäre"; reported speech when a source is named
        if "NEG_FIND" in labs or "RULED_OUT" in labs or clause.free_neg:
            return "negated"
        return "asserted"

    @staticmethod
    def _chambers(view: TokenView, mentions: Iterable[ChamberMention]) -> list[str]:
        ids: set[str] = set()
        for m in mentions:
            if _contrasted(view, m.start):
                continue
            ids.update(m.ids)
        return sorted(ids)

    @staticmethod
    def _date(doc: Doc, view: TokenView, s: int, e: int) -> dict[str, str] | None:
        a, b = view.char_span(s, e)
        for d in doc_state(doc).kw_dates or ():
            if a <= d.start < b and d.value:
                return {"value": d.value, "precision": d.precision}
        return None


AFFECTING = frozenset(
    {"attack", "outage", "data_breach", "restored", "authority_notified", "affected"}
)


def _signal(types: dict[str, bool], polarity: str) -> str | None:
    """Chamber status evidence of one clause: affected, not_affected or None."""
    if not types or polarity == "uncertain":
        return None
    if "not_affected" in types or "outage_negated" in types:
        return "not_affected" if polarity == "asserted" else None
    if polarity == "asserted" and AFFECTING & types.keys():
        return "affected"
    if polarity == "negated":
        if "restored" in types or types.get("outage"):
            return "affected"  # "noch nicht wieder da", "geht nichts": the negation is the outage
        if {"outage", "attack", "affected"} & types.keys():
            return "not_affected"
    return None


_CONTRAST = ("anders als", "im gegensatz zu", "außer", "bis auf")


def _contrasted(view: TokenView, start: int) -> bool:
    """A contrast cue ("anders als", "außer" ...) in the five tokens before ``start``."""
    lowers = view.lowers[max(0, start - 5) : start]
    if not lowers:
        return False
    before = f" {' '.join(lowers)} "
    return any(f" {c} " in before for c in _CONTRAST)  # words: "außerdem" is no "außer"


def _topic(mentions: list[ChamberMention]) -> str | None:
    """The chamber a text is about: named most often, the first named on a tie (else None)."""
    counts: dict[str, int] = {}
    for m in mentions:
        if m.how in ("name", "list", "context", "domain") and len(m.ids) == 1:
            counts[m.ids[0]] = counts.get(m.ids[0], 0) + 1
    if not counts:
        return None
    best = max(counts.values())
    return next(cid for cid, n in counts.items() if n == best)  # dicts keep the first-seen order


def _numbered_group(
    lowers: list[str], s: int, e: int, mentions: list[ChamberMention]
) -> tuple[int, list[str]]:
    """ "bei allen vier Kammern", "die beiden Kammern": the N chambers named last (else -1, [])."""
    for i in range(s + 1, e):
        if lowers[i] not in PLURAL_CHAMBER_WORDS:
            continue
        j = i - 1
        if lowers[j] not in GROUP_NUMBERS and j > s and lowers[j - 1] in GROUP_NUMBERS:
            j -= 1  # "die vier betroffenen Kammern"
        n = GROUP_NUMBERS.get(lowers[j])
        if n is None:
            continue
        definite = lowers[j] in ("beide", "beiden", "both") or (
            j > s and lowers[j - 1] in GROUP_DETERMINERS
        )
        if not definite:
            continue  # "vier Kammern melden Ausfälle": a count, not a reference
        if j > s + 1 and lowers[j - 1] in ("der", "von") and lowers[j - 2] in PARTITIVE_HEADS:
            continue  # "nur eine der drei Kammern": one of them, not all three
        ids: list[str] = []
        for m in reversed(mentions):
            if m.start >= j:
                continue
            new = [c for c in m.ids if c not in ids]
            if len(ids) + len(new) > n:
                break
            ids.extend(new)
            if len(ids) == n:
                return i, sorted(ids)
    return -1, []


def _refers_to_chamber(
    texts: list[str],
    lowers: list[str],
    labels: list[frozenset[str]],
    named: set[int],
    start: int,
    end: int,
) -> bool:
    """Whether the phrase after "auf" is about a chamber ("auf die Rechner der Kammer",
    "auf uns"), not another noun ("auf ihren Dienstleister")."""
    head_seen = False
    for j in range(start, min(end, start + 6)):
        if j in named or "CHAMBER_WORD" in labels[j] or lowers[j] in FIRST_PERSON_PRONOUNS:
            return True
        if "ATTACK" in labels[j] or lowers[j] in (",", ".", ";"):
            break
        if texts[j][:1].isupper():
            if head_seen or _provider_word(lowers[j]):
                break  # "auf ihren Dienstleister": another noun is the target
            head_seen = True  # "auf die Rechner der Kammer": the genitive may follow
        elif head_seen and lowers[j] not in ("der", "des", "von", "bei", "in", "the", "of"):
            break
    return False


def _work_in_progress(lowers: list[str], a: int, b: int) -> bool:
    """ "arbeiten an der Wiederherstellung", "mit dem Wiederaufbau beschäftigt", "jetzt
    geht es um die Wiederherstellung", "die Wiederherstellung dauert noch an": not done
    yet ("wird bis Mitte Februar dauern" is a forecast: an uncertain restoration)."""
    return any(
        lowers[i].startswith(("wiederherstellung", "wiederaufbau"))
        and (
            any(lowers[j] in ("an", "mit", "am", "um") for j in range(max(a, i - 3), i))
            or (
                any(lowers[j].startswith(("dauer", "andauer")) for j in range(i + 1, b))
                and not {"noch", "an"}.isdisjoint(lowers[i + 1 : b])
            )
        )
        for i in range(a, b)
    )


REFUSAL_MODALS = frozenset({"will", "wollte", "wollten", "wollen", "möchte", "mochte"})
REFUSAL_VERBS = frozenset(
    {"sagen", "äußern", "kommentieren", "mitteilen", "nennen", "angeben", "bestätigen"}
)


def _refusal(lowers: list[str], a: int, b: int) -> bool:
    """ "wollte ... nicht sagen", "will sich nicht äußern": someone declines to answer."""
    words = set(lowers[a:b])
    return bool(words & REFUSAL_MODALS) and bool(words & REFUSAL_VERBS) and "nicht" in words


def _purpose(lowers: list[str], a: int, b: int) -> bool:
    """ "um ... wieder ... zu bringen": an aim, not a restoration ("um 10 Uhr" is a time)."""
    for i in range(a, b - 1):
        if lowers[i] == "um" and not lowers[i + 1][:1].isdigit():
            return any(lowers[j] == "zu" for j in range(i + 2, b))
    return False


def _future(labels: list[frozenset[str]], lowers: list[str], clause: Clause) -> bool:
    """A FUTURE cue in the clause ("bis Ende Januar", "soll"), not counting "ab heute"."""
    if "FUTURE" not in clause.labels:
        return False
    for i in range(clause.start, clause.end):
        if "FUTURE" not in labels[i]:
            continue
        nxt = lowers[i + 1] if i + 1 < clause.end else ""
        if lowers[i] == "ab" and nxt in ("heute", "sofort", "jetzt", "sofort"):
            continue
        return True
    return False


def _affected_group(lowers: list[str], s: int, e: int) -> bool:
    """ "die betroffenen Kammern", "der betroffenen Handwerkskammern": an unnamed group."""
    return any(
        lowers[i] in ATTRIBUTIVE and lowers[i + 1] in PLURAL_CHAMBER_WORDS for i in range(s, e - 1)
    )


def _idiom(lowers: list[str], labels: list[frozenset[str]], i: int, a: int, b: int) -> bool:
    """``laufen``/``gehen`` at ``i`` that says nothing about something working: a
    separable verb ("die Frist läuft Ende Januar ab", "geht offen damit um"), "es geht
    um"/"wie geht es weiter", or a process that runs ("die Ermittlungen laufen")."""
    if "AVAIL_VERB" not in labels[i]:
        return False
    last = b - 1
    while last > i and not lowers[last][:1].isalnum():
        last -= 1
    if last > i and "SEP_PARTICLE" in labels[last]:
        return True
    if "es" in lowers[max(a, i - 1) : i + 2] and not {"um", "darum", "weiter"}.isdisjoint(
        lowers[i + 1 : b]
    ):
        return True  # "es geht um", "es ging nicht darum, ob", "wie geht es weiter"
    return any("PROCESS" in labels[j] for j in range(a, b))


SUBJECT_PRONOUNS = frozenset({"sie", "diese", "dort", "beide", "letztere", "they", "it"})


def _pronoun_subject(lowers: list[str], start: int, end: int) -> bool:
    """The clause opens with a pronoun subject ("Sie war nicht betroffen", "Auch dort
    läuft alles"), which stands for the chamber(s) named just before."""
    words = [w for w in lowers[start : min(end, start + 3)] if w not in (",", "auch", "doch")]
    return bool(words) and words[0] in SUBJECT_PRONOUNS


def _reply_subject(lowers: list[str], s: int, e: int) -> bool:
    """A forum or mail reply's subject line ("Re: ...", "AW: ...")."""
    return e - s > 2 and lowers[s] in ("re", "aw", "antwort") and lowers[s + 1] == ":"


def _first_word(lowers: list[str], s: int, e: int) -> str:
    """The first word of a sentence (skipping quotes, dashes, quote markers and a leading
    "und"/"aber": "Und warum musste man erst ... erfahren, dass ...?")."""
    for i in range(s, e):
        if lowers[i][:1].isalnum() and lowers[i] not in ("und", "aber", "doch", "also", "and"):
            return lowers[i]
    return ""


def _named_source(lowers: list[str], s: int, e: int) -> bool:
    """ "laut Kammer", "nach Angaben des ZDH", "sagte X": a source that is not "ein Bekannter"."""
    for i in range(s, e):
        if lowers[i] in SOURCE_WORDS:
            j = i + 1
            if j < e and lowers[j] in ("von", "of", "to"):
                j += 1
            if j < e and lowers[j] in INDEFINITE:
                continue  # "laut einem Bekannten": nobody in particular
            return True
    return False


def _hearsay(lowers: list[str], s: int, e: int) -> bool:
    """ "laut einem Kumpel", "mein Bekannter": a claim passed on by nobody in particular."""
    return any(
        lowers[i] in HEARSAY_NOUNS
        and (
            lowers[i - 1] in HEARSAY_DETERMINERS
            or (  # "einem guten Bekannten"
                i - 2 >= s
                and lowers[i - 2] in HEARSAY_DETERMINERS
                and lowers[i - 1].endswith(("en", "em", "er", "es"))
            )
        )
        for i in range(s + 1, e)
    )


def _chamber_speaks(
    lowers: list[str], labels: list[frozenset[str]], mentions: list[ChamberMention]
) -> bool:
    """A named chamber is the speaker: "Die HWK X erklärte", "teilte die Kammer X mit"."""
    n = len(lowers)
    for m in mentions:
        if m.how == "anaphor":
            continue
        after = [j for j in (m.end, m.end + 1) if j < n]
        if any(_speech_verb(lowers, labels, j) for j in after):
            return True
        j = m.start - 2
        if j >= 0 and lowers[m.start - 1] in CHAMBER_ARTICLES and _speech_verb(lowers, labels, j):
            return True
    return False


def _speech_verb(lowers: list[str], labels: list[frozenset[str]], i: int) -> bool:
    return "SPEECH" in labels[i] and lowers[i] not in SPEECH_VERB_EXCLUDED


def _without(cues: Labels, s: int, e: int, label: str) -> Labels:
    """A copy of ``cues`` with ``label`` removed from tokens ``s`` to ``e``."""
    labels = list(cues.labels)
    for i in range(s, e):
        if label in labels[i]:
            labels[i] = labels[i] - {label}
    return Labels(labels, cues.bound, cues.phrases)


def _elliptic_types(types: dict[str, bool]) -> dict[str, bool]:
    """The claim types an elliptical clause repeats ("Dortmund auch", "Aachen noch nicht")."""
    out = {t: False for t in types if t not in ("affected", "not_affected", "outage_negated")}
    if "not_affected" in types or "outage_negated" in types:
        out["not_affected"] = True
    if "affected" in types:
        out["affected"] = False
    return out


def _contrast_types(types: dict[str, bool]) -> dict[str, bool]:
    """ "X ist nicht betroffen, nur Y": Y is affected."""
    out = {t: False for t in types if t not in ("not_affected", "outage_negated", "attack")}
    out["outage"] = False
    out["affected"] = False
    return out


def _provider_word(lower: str) -> bool:
    """ "IT-Dienstleister", "Hosting-Provider": the provider, not a website of a chamber."""
    return "dienstleister" in lower or "provider" in lower or "anbieter" in lower


def _as_mentions(ids: list[str], at: int) -> list[ChamberMention]:
    return [ChamberMention((cid,), at, at, "anaphor") for cid in ids]


def _ironic_quotes(texts: list[str], s: int, e: int) -> bool:
    """A one- or two-word phrase in quotes ("sicher", „Experten“) in a comment."""
    idx = [i for i in range(s, e) if texts[i] in QUOTES]
    return any(0 < b - a <= 3 for a, b in pairwise(idx))


def _flip(sig: str | None) -> str | None:
    return {"affected": "not_affected", "not_affected": "affected"}.get(sig or "")


def _negate(polarity: str) -> str:
    return {"asserted": "negated", "negated": "asserted"}.get(polarity, polarity)


@Language.factory(
    "kw_claims",
    requires=["doc.sents", "doc._.kw_cues", "doc._.kw_chamber_mentions", "doc._.kw_dates"],
    assigns=["doc._.kw_claims", "doc._.kw_chamber_status"],
    default_config={"sarcasm": "uncertain", "comment_kinds": ["comment"]},
)
def make_claim_extractor(
    nlp: Language, name: str, sarcasm: str, comment_kinds: list[str]
) -> ClaimExtractor:
    """Factory of the claim extractor."""
    return ClaimExtractor(nlp, name, sarcasm, comment_kinds)
