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

Chambers: those named in the clause, else in the sentence, else (when the
sentence names no organisation of its own) the previous sentence's, else the
document's only chamber.  Sentences about another incident (Südwestfalen IT,
Kommunen) and off-topic chatter yield no claims for this incident.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipelines.nlp.extensions import register_extensions
from pipelines.nlp.lexicon import Labels, orth_texts
from pipelines.nlp.model import ChamberMention, Claim, OrgMention

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
ELLIPSIS_CUES = frozenset({"ELLIPSIS"})
BARE_CHAMBER_WORDS = frozenset({"kammer", "handwerkskammer", "hwk"})
QUOTES = frozenset({'"', "„", "“", "”", "'", "‚", "‘"})


@dataclass
class Clause:
    """Token range of one clause and its cue summary."""

    start: int
    end: int
    labels: set[str]
    free_neg: bool
    types: dict[str, bool]  # claim type -> the cue already implies negation
    presupposed_attack: bool = False  # only "dem Angriff" (a definite reference)

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

    def __call__(self, doc: Doc) -> Doc:
        cues: Labels | None = doc._.kw_cues
        if cues is None or not len(doc):
            doc._.kw_claims = []
            return doc
        orgs: list[OrgMention] = doc._.kw_orgs or []
        mentions: list[ChamberMention] = doc._.kw_chamber_mentions or []
        speakers = doc._.kw_speakers or {}
        meta = doc._.kw_meta or {}
        is_comment = meta.get("kind") in self.comment_kinds
        labels = cues.labels
        texts = orth_texts(doc)
        org_at: dict[int, OrgMention] = {}
        for org in orgs:
            for i in range(org.start, org.end):
                org_at[i] = org
        date_spans = [(d.start, d.end) for d in doc._.kw_dates or ()]
        doc_chambers = sorted({cid for m in mentions for cid in m.ids if m.how != "state"})
        mention_starts = [m.start for m in mentions]

        claims: list[Claim] = []
        signals: dict[str, set[str]] = {}
        prev_chambers: list[str] = []
        last_chambers: list[str] = []
        prev_official = False
        prev_sarcastic = False
        prev_other = False
        for sent in doc.sents:
            s, e = sent.start, sent.end
            sent_labels: set[str] = set()
            for i in range(s, e):
                sent_labels |= labels[i]
            sent_orgs = {org_at[i].type for i in range(s, e) if i in org_at}
            lo = bisect.bisect_left(mention_starts, s)
            hi = bisect.bisect_left(mention_starts, e)
            sent_mentions = mentions[lo:hi]
            this_anchor = (
                bool(sent_mentions) or bool(sent_orgs & THIS_ORG_TYPES) or "ANCHOR" in sent_labels
            )
            other = bool({"other_incident", "other_chamber"} & sent_orgs) and not (
                sent_mentions or sent_orgs & THIS_ORG_TYPES
            )
            if not other and not this_anchor and "OTHER_INCIDENT_CUE" in sent_labels and prev_other:
                other = True
            sarcastic = is_comment and ("SARC" in sent_labels or _ironic_quotes(texts, s, e))
            sarcastic = sarcastic or (is_comment and prev_sarcastic and len(sent) < 25)
            offtopic = "OFFTOPIC" in sent_labels and not this_anchor
            speaker, attribution, official = speakers.get(s, (None, None, False))
            if speaker is None and attribution is None and prev_official:
                official = True
            question = "?" in texts[max(s, e - 3) : e]
            clauses = self._clauses(doc, texts, sent, cues, date_spans, mentions)
            anaphor_at = self._bare_chamber_word(texts, s, e, sent_mentions)
            if anaphor_at >= 0 and last_chambers:
                extra = [m for m in _as_mentions(last_chambers, anaphor_at) if m.ids[0] not in
                         {c for sm in sent_mentions for c in sm.ids}]  # fmt: skip
                sent_mentions = sent_mentions + extra
            self._spread_modality(clauses)
            if not other and not offtopic:
                new = self._sentence_claims(
                    doc, sent, clauses, sent_mentions, prev_chambers, doc_chambers, sent_orgs,
                    question=question, sarcastic=sarcastic, official=official,
                    sent_labels=sent_labels,
                )  # fmt: skip
                for claim in new:
                    claim.speaker, claim.attribution = speaker, attribution
                    claim.date = self._date(doc, s, e)
                claims.extend(new)
                if not sarcastic:
                    self._status_signals(
                        doc,
                        clauses,
                        sent_mentions,
                        new,
                        signals,
                        question=question,
                        official=official,
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
            prev_sarcastic = sarcastic and "SARC" in sent_labels and len(sent) <= 4
            prev_other = other
        doc._.kw_claims = claims
        status: dict[str, str] = {}
        for cid, sig in signals.items():
            if "affected" in sig:
                status[cid] = "affected"
            elif "not_affected" in sig:
                status[cid] = "not_affected"
            else:
                status[cid] = "mentioned"
        doc._.kw_chamber_status = status
        return doc

    # -- chamber status --------------------------------------------------------------------
    def _status_signals(
        self,
        doc: Doc,
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
                pol = "asserted"  # "Dortmund wohl auch", "soll betroffen sein": hedged, affected
            per_clause.append(_signal(c.types, pol))
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
            before = " ".join(t.lower_ for t in doc[max(0, m.start - 5) : m.start])
            if any(c in before for c in ("anders als", "im gegensatz zu", "außer", "bis auf")):
                sig = _flip(sent_sig if sig is None else sig)
            for cid in m.ids:
                named.add(cid)
                if sig:
                    signals.setdefault(cid, set()).add(sig)
        for claim in claims:  # chambers inherited from earlier sentences
            sig = _signal({claim.type: False}, claim.polarity)
            for cid in claim.chambers:
                if cid not in named and sig:
                    signals.setdefault(cid, set()).add(sig)

    @staticmethod
    def _bare_chamber_word(
        texts: list[str], s: int, e: int, sent_mentions: list[ChamberMention]
    ) -> int:
        """Where the sentence says "die Kammer"/"die HWK" without naming one (else -1)."""
        for i in range(s, e):
            if texts[i].lower() in BARE_CHAMBER_WORDS and not any(
                i - 2 <= m.start <= i + 4 for m in sent_mentions
            ):
                return i
        return -1

    # -- clauses ------------------------------------------------------------------------
    def _clauses(
        self,
        doc: Doc,
        texts: list[str],
        sent: Span,
        cues: Labels,
        date_spans: list[tuple[int, int]],
        mentions: list[ChamberMention],
    ) -> list[Clause]:
        labels = cues.labels
        protected: set[int] = set()
        for m in mentions:
            if sent.start <= m.start < sent.end:
                protected.update(range(m.start, m.end + 1))
        cuts = [sent.start]
        for i in range(sent.start + 1, sent.end - 1):
            text = texts[i]
            if text in SPLIT_TOKENS:
                cuts.append(i)
            elif text == ",":
                if i - 1 in protected and i + 1 in protected:
                    continue
                ch = doc[i].idx
                if any(a <= ch < b for a, b in date_spans):
                    continue
                cuts.append(i)
            elif "CLAUSE_BREAK" in labels[i] and i - 1 > cuts[-1] and texts[i - 1] != ",":
                cuts.append(i)
        cuts.append(sent.end)
        clauses = []
        for a, b in pairwise(cuts):
            if b > a:
                clauses.append(self._summarise(doc, cues, a, b))
        return clauses

    def _summarise(self, doc: Doc, cues: Labels, a: int, b: int) -> Clause:
        labels, bound = cues.labels, cues.bound
        found: set[str] = set()
        free_neg = False
        for i in range(a, b):
            lab = labels[i]
            found |= lab
            if "NEG" in lab and not bound[i]:
                free_neg = True
        types: dict[str, bool] = {}
        avail = [i for i in range(a, b) if "AVAIL" in labels[i] and "OUTAGE" not in labels[i]]
        again_avail = (
            any("AGAIN" in labels[j] for i in avail for j in range(max(a, i - 4), i))
            or "RESTORED" in found
        )
        presupposed = False
        if "ATTACK" in found:
            types["attack"] = False
            attack_at = [i for i in range(a, b) if "ATTACK" in labels[i]]
            presupposed = all(
                any("DEF_DET" in labels[j] for j in range(max(a, i - 2), i)) for i in attack_at
            )
        if "OUTAGE" in found:
            types["outage"] = False
        if "SEP_FALL" in found and "SEP_PART" in found:
            verb = min(i for i in range(a, b) if "SEP_FALL" in labels[i])
            if any("SEP_PART" in labels[j] for j in range(verb + 1, b)):
                types["outage"] = False  # "fielen ... aus", "legte ... lahm"
        if again_avail:
            types["restored"] = False
        elif avail and "CHANNEL" not in found:
            if free_neg:
                types["outage"] = True  # "kann nicht aufgerufen werden": negation is the outage
            elif (
                ("WEBSITE" in found or "NORMAL" in found)
                and "outage" not in types
                and "SERVICE" not in found
            ):
                types["outage_negated"] = True
        if ("SERVICE" in found and ("CONTINUE" in found or "NORMAL" in found)) or (
            "CHANNEL" in found and "OUTAGE" not in found
        ):
            types["services_continue"] = False
        if "SERVICE" in found and "SERVICE_STOP" in found:
            types["services_stopped"] = True
        if "BREACH" in found or ("DATA" in found and "EXFIL" in found):
            types["data_breach"] = False
        if ("AUTHORITY" in found and "NOTIFY" in found) or "CRIME_REPORT" in found:
            types["authority_notified"] = False
        if "NOT_AFFECTED" in found:
            types["not_affected"] = True
        elif "AFFECTED" in found:
            types["affected"] = False
        return Clause(a, b, found, free_neg, types, presupposed)

    @staticmethod
    def _spread_modality(clauses: list[Clause]) -> None:
        """Hand the hedge/negation of a cue-less clause to its neighbour clause."""
        carry = ("NOT_RULED_OUT", "UNC", "NEG_FIND", "KONJ")
        for k, clause in enumerate(clauses):
            if clause.has_claim:
                continue
            modal = {lab for lab in carry if lab in clause.labels}
            neg = clause.free_neg
            if not modal and not neg:
                continue
            prv0 = clauses[k - 1] if k > 0 else None
            short = clause.end - clause.start <= 9 and bool(ELLIPSIS_CUES & clause.labels)
            if neg and not modal and short and prv0 is not None and prv0.types:
                # "..., Online-Portale aber noch nicht": the same claim, negated
                clause.types = {t: False for t in prv0.types if t != "affected"}
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
                if neg and not modal:
                    target.free_neg = True

    # -- claims --------------------------------------------------------------------------
    def _sentence_claims(
        self,
        doc: Doc,
        sent: Span,
        clauses: list[Clause],
        sent_mentions: list[ChamberMention],
        prev_chambers: list[str],
        doc_chambers: list[str],
        sent_orgs: set[str],
        *,
        question: bool,
        sarcastic: bool,
        official: bool,
        sent_labels: set[str],
    ) -> list[Claim]:
        out: dict[tuple[str, str], Claim] = {}
        sent_chambers = self._chambers(doc, sent_mentions)
        for clause in clauses:
            if not clause.types:
                continue
            polarity = self._polarity(clause, question=question, official=official)
            if sarcastic:
                if self.sarcasm == "drop":
                    continue
                polarity = "uncertain"
            in_clause = [m for m in sent_mentions if clause.start <= m.start < clause.end]
            chambers = self._chambers(doc, in_clause) or sent_chambers
            if not chambers and not sent_mentions and not sent_orgs & THIS_ORG_TYPES:
                chambers = prev_chambers or (doc_chambers if len(doc_chambers) == 1 else [])
            for typ, implied_neg in clause.types.items():
                ctype, pol = typ, polarity
                if typ == "restored" and pol == "asserted" and "FUTURE" in clause.labels:
                    pol = "uncertain"  # "soll bis Ende Januar wieder laufen"
                if typ == "attack" and clause.presupposed_attack and pol != "asserted":
                    continue  # "ob bei dem Angriff Daten abflossen": the hedge is not about it
                if typ in ("outage_negated", "not_affected"):
                    if not in_clause or "other_chamber" in sent_orgs:
                        continue  # "Daten seien nicht betroffen", "die IHK läuft normal"
                    ctype, pol = "outage", _negate(polarity)
                elif typ == "services_stopped":
                    ctype, pol = "services_continue", _negate(polarity)
                elif typ == "affected":
                    continue  # status only
                elif implied_neg and polarity == "negated":
                    pol = "asserted"  # "nicht ... nicht erreichbar" is rare; keep the cue's reading
                key = (ctype, pol)
                if key in out:
                    merged = sorted(set(out[key].chambers) | set(chambers))
                    out[key].chambers = merged
                    continue
                out[key] = Claim(ctype, pol, sorted(set(chambers)), sent.start, sent.end)
        return list(out.values())

    @staticmethod
    def _polarity(clause: Clause, *, question: bool, official: bool) -> str:
        labs = clause.labels
        if "NOT_RULED_OUT" in labs or question:
            return "uncertain"
        if "UNC" in labs:
            return "uncertain"
        if "KONJ" in labs and not official:
            return "uncertain"
        if "NEG_FIND" in labs or clause.free_neg:
            return "negated"
        return "asserted"

    @staticmethod
    def _chambers(doc: Doc, mentions: Iterable[ChamberMention]) -> list[str]:
        ids: set[str] = set()
        for m in mentions:
            before = " ".join(t.lower_ for t in doc[max(0, m.start - 5) : m.start])
            if any(c in before for c in ("anders als", "im gegensatz zu", "außer", "bis auf")):
                continue
            ids.update(m.ids)
        return sorted(ids)

    @staticmethod
    def _date(doc: Doc, s: int, e: int) -> dict[str, str] | None:
        a, b = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
        for d in doc._.kw_dates or ():
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
        if "restored" in types:
            return "affected"
        if {"outage", "attack", "affected"} & types.keys():
            return "not_affected"
    return None


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
