"""kw_chambers: which of the 53 Handwerkskammern a text names, and where.

Rules, in order (a token belongs to at most one mention):

1. **Chamber word + key**: a chamber word (``Handwerkskammer``, ``HWK``, ``Hwk``,
   ``Kammer`` and their plurals, typos and hyphen compounds such as
   ``HWK-Aachen``) followed by a chain of keys (seat, office city, region) joined
   by ``,``/``und``/``sowie``/``zu``/``für``/``der``/``in`` ...: ``die Kammern in
   Aachen, Köln und Dortmund`` names three chambers; preceded by adjective or
   genitive keys: ``die Aachener und Kölner Handwerkskammern``, ``Kölns HWK``.
2. **State quantifiers**: a plural chamber word with a state (``alle sechs
   bayerischen Kammern``, ``sämtliche Handwerkskammern in NRW``) names all of
   the state's chambers when the quantifier is total (``alle``, ``sämtliche``,
   the definite article, or the exact number); vague quantifiers (``mehrere``,
   ``über 30``, a different number) name none.
3. **Domains**: ``hwk-aachen.de``.
4. **Context**: a bare key (``Aachen``, ``Kölner``, ``Pfalz``) counts only when its
   sentence or the previous one speaks of a chamber, it is not part of an
   organisation name (IHK Köln, Kölner Stadt-Anzeiger, Südwestfalen IT, Polizei
   Köln) and a city is not preceded by an article (``in der Halle``).

Other chambers (IHK, Ärzte-, Steuerberaterkammer ...) are organisations of type
``other_chamber``; keys after them are consumed and never become Handwerkskammern.
A key that opens its sentence as a dateline ("Gera, 9. Januar 2024 –",
"Kaiserslautern.") is where the report was written, not a chamber.
A bare ``Kammer`` after such a chamber (no Handwerkskammer named in between) is
that other chamber, and so is the chamber a bare key in context would name.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipelines.nlp.components.base import data_path
from pipelines.nlp.extensions import doc_state, register_extensions
from pipelines.nlp.gazetteer import Gazetteer, Key, load_gazetteer
from pipelines.nlp.model import ChamberMention
from pipelines.nlp.tokens import get_view

HWK, GENERIC, CONTEXT, OTHER = "hwk", "generic", "context", "other"
PLURAL_WORDS = frozenset({"handwerkskammern", "kammern", "hwks", "hwk's", "hwk´s"})
CHAIN_CONNECTORS = frozenset(
    {
        ",", "und", "sowie", "oder", "bzw.", "bzw", "/", "&", "zu", "für", "der", "des",
        "die", "in", "im", "aus", "von", "vom", "region", "auch", "etwa", "wie", "z.b.",
        "u.a.", "unter", "anderem", "(", ")", "–", "-", "den", "dem", "bezirk", "namentlich",
        "nämlich", ":", "beispielsweise", "zum", "beispiel", "insbesondere", "vor", "allem",
        "hwk", "hwks", "handwerkskammer", "handwerkskammern", "kammer", "kammern", "teils",
        "of", "crafts", "for", "the", "and", "chamber", "chambers", "at",
    }
)  # fmt: skip
BACK_CONNECTORS = frozenset({",", "und", "sowie", "oder", "bzw.", "/", "&"})
ELLIPSIS_CUES = frozenset({"ELLIPSIS_SENT", "NEG"})  # "Aachen auch.", "Köln noch nicht."
STATUS_CUES = frozenset({"OUTAGE", "AVAIL", "RESTORED", "AFFECTED", "NOT_AFFECTED"})
ARTICLES = frozenset({"der", "die", "das", "dem", "den", "des", "ein", "eine", "einer", "einem"})
ARTICLE_OK_KINDS = frozenset({"region", "abbrev", "adjective"})
_HWK_RX = re.compile(r"^(?:handwerks?kam+er(?:n|s)?|hwk(?:s|'s|´s)?)$")
# words that make a sentence one about a chamber ("Kammersprecher", "die Geschäftsstellen in ...")
_CTX_RX = re.compile(r"^(?:handwerks?kam+er|hwk|kammer|geschäftsstelle)")
_OTHER_RX = re.compile(r"(?:kammer|kammern)$")
_HANDLE_RX = re.compile(r"^[@#]?(?:hwk|handwerkskammer)_?([a-zäöüß]{3,})$")
# compounds that name Handwerkskammern by their relation ("die Nachbarkammern in Koblenz")
_SAME_KIND_RX = re.compile(r"^(?:nachbar|schwester|partner|mitglieds|kollegen)kammer(?:n|s)?$")
_NOTHING: tuple[None, None, None] = (None, None, None)


class ChamberRecognizer:
    """Writes ``doc._.kw_chamber_mentions`` (list of :class:`ChamberMention`)."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        max_chain: int = 30,
        comment_kinds: tuple[str, ...] = ("comment",),
    ) -> None:
        register_extensions()
        self.name = name
        self.nlp = nlp
        self.max_chain = max_chain
        self.comment_kinds = frozenset(comment_kinds)
        self.gaz: Gazetteer | None = None
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.key_of: dict[str, Key] = {}
        self.blockers: frozenset[str] = frozenset()
        # "das Rechenzentrum in Niederbayern": where the provider is, not a chamber
        self.provider_places: frozenset[str] = frozenset()
        self.numbers: dict[str, int] = {}
        self._word_cache: dict[int, tuple[str | None, Key | None, str | None]] = {}
        self._known: Callable[[str], bool] = lambda s: False

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        data_dir: str = "",
    ) -> None:
        """Load the gazetteer and compile the multi-token keys into a PhraseMatcher."""
        self.gaz = load_gazetteer(data_dir or None)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        multi = []
        for text, key in self.gaz.keys.items():
            doc = self.nlp.make_doc(text)
            if len(doc) > 1:
                self.key_of[text] = key
                multi.append(doc)
        self.matcher.add("KEY", multi)
        orgs = json.loads(data_path(data_dir, "orgs.json").read_text(encoding="utf-8"))
        self.blockers = frozenset(orgs.get("city_blockers", ()))
        self.provider_places = frozenset(orgs.get("provider_place_words", ()))
        cues = json.loads(data_path(data_dir, "cues.de.json").read_text(encoding="utf-8"))
        self.numbers = dict(cues.get("numbers", {}))
        self._word_cache = {}
        if "lemmatizer" in self.nlp.pipe_names:
            lemmatizer = self.nlp.get_pipe("lemmatizer")
            lookups = getattr(lemmatizer, "lookups", None)
            if lookups is not None and lookups.has_table("lemma_lookup"):
                table = lookups.get_table("lemma_lookup")
                self._known = lambda s: s in table or s.capitalize() in table

    # -- token classification ------------------------------------------------------
    def classify(self, h: int) -> tuple[str | None, Key | None, str | None]:
        """(chamber word class, gazetteer key, state) of one lower-cased word hash."""
        got = self._word_cache.get(h)
        if got is None:
            got = self._classify(self.nlp.vocab.strings[h])
            if got == _NOTHING:
                got = _NOTHING  # one shared tuple: ``is`` tells the plain words apart
            self._word_cache[h] = got
        return got

    def _classify(self, low: str) -> tuple[str | None, Key | None, str | None]:
        gaz = self.gaz
        assert gaz is not None
        state = gaz.state_of(low)
        key = gaz.exact(low)
        if state and (key is None or low not in ("berlin", "hamburg", "bremen", "saarland")):
            return None, None, state
        if key is not None:
            return None, key, state
        if _HWK_RX.match(low):
            return HWK, None, None
        handle = _HANDLE_RX.match(low)
        if handle is not None:
            # "#HWKReutlingen", "@hwk_ulm", "@HWK_Muenchen": a chamber's social-media name
            named = gaz.exact(handle.group(1))
            if named is not None:
                return HWK, named, None
        if low in ("kammer", "kammern", "kammer's", "chamber", "chambers") or _SAME_KIND_RX.match(
            low
        ):
            return GENERIC, None, None
        if "-" in low and len(low) > 3:
            parts = [p for p in low.split("-") if p]
            word = None
            found: Key | None = None
            for part in parts:
                cls, k, _ = self._classify(part)
                if cls in (HWK, GENERIC, CONTEXT):
                    word = word or CONTEXT
                    if cls == HWK:
                        word = HWK
                if k is not None and found is None:
                    found = k
            if word == HWK and found is not None:
                return HWK, found, None  # HWK-Aachen: chamber word and key in one token
            if word is not None:
                return CONTEXT, None, None
            if found is not None and parts[0] == found.text.split()[0]:
                return None, Key(low, found.chambers, found.kind), None
            return None, None, None
        if _CTX_RX.match(low):
            return CONTEXT, None, None
        if _OTHER_RX.search(low) and len(low) > 7:
            return OTHER, None, None
        if low.isalpha() and len(low) >= 7 and not self._known(low):
            fuzzy = gaz.lookup(low)
            if fuzzy is not None:
                return None, fuzzy, None
            if any(_one_edit(low, t) for t in ("handwerkskammer", "handwerkskammern")):
                return HWK, None, None
        return None, None, None

    # -- the component ---------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if self.gaz is None:
            self.initialize()
        n = len(doc)
        view = get_view(doc)
        lowers = view.lower_ids
        strings = self.nlp.vocab.strings
        words: list[str | None] = [None] * n
        keys: list[tuple[Key, int] | None] = [None] * n  # key and its end token
        states: list[str | None] = [None] * n
        get = self._word_cache.get
        classes = [got if (got := get(h)) is not None else self.classify(h) for h in lowers]
        for i in [i for i, c in enumerate(classes) if c is not _NOTHING]:
            word, key, state = classes[i]
            words[i] = word
            states[i] = state
            if key is not None:
                keys[i] = (key, i + 1)
        for _m, start, end in self.matcher(doc):
            a, b = view.char_span(start, end)
            text = view.text[a:b].lower()
            key = self.key_of.get(text)
            current = keys[start]
            if key is not None and (current is None or current[1] < end):
                keys[start] = (key, end)
                for j in range(start + 1, end):
                    keys[j] = None
        if OTHER in words:
            words = _other_chamber_words(words)
        blocked = [False] * n
        for org in doc_state(doc).kw_orgs or ():
            for j in range(org.start, min(org.end, n)):
                blocked[j] = True
        used = [False] * n
        mentions: list[ChamberMention] = []
        worded = [i for i in range(n) if words[i] is not None]
        for i in worded:
            if blocked[i]:
                continue
            if words[i] == OTHER:
                # keys right after another kind of chamber belong to it
                j = i + 1
                while j < n and (
                    strings[lowers[j]] in ("zu", "für", "der", "des", "in") or keys[j]
                ):
                    blocked[j] = True
                    j += 1
        for i in worded:
            if blocked[i] or words[i] not in (HWK, GENERIC):
                continue
            if keys[i] is not None:  # HWK-Aachen
                key, end = keys[i]  # type: ignore[misc]
                mentions.append(ChamberMention(tuple(sorted(key.chambers)), i, end, "name"))
                used[i] = True
                continue
            mentions.extend(self._forward(doc, i, lowers, keys, blocked, used))
            mentions.extend(self._backward(i, lowers, keys, blocked, used))
            if strings[lowers[i]] in PLURAL_WORDS or words[i] == HWK:
                state_mention = self._state(i, lowers, states, words)
                if state_mention is not None:
                    mentions.append(state_mention)
        texts = view.texts
        dotted = (
            [i for i, t in enumerate(texts) if "." in t and len(t) > 5] if "." in view.text else []
        )
        for i in dotted:
            if not used[i] and not blocked[i]:
                cid = self.gaz.domain(view.lowers[i]) if self.gaz else None
                if cid:
                    mentions.append(ChamberMention((cid,), i, i + 1, "domain"))
                    used[i] = True
        mentions.extend(self._context(doc, lowers, words, keys, blocked, used))
        mentions.sort(key=lambda m: (m.start, m.end))
        doc_state(doc).kw_chamber_mentions = mentions
        return doc

    def _forward(
        self,
        doc: Doc,
        i: int,
        lowers: list[int],
        keys: list[tuple[Key, int] | None],
        blocked: list[bool],
        used: list[bool],
    ) -> list[ChamberMention]:
        strings = self.nlp.vocab.strings
        out: list[ChamberMention] = []
        j = i + 1
        n = len(lowers)
        while j < n and j - i <= self.max_chain:
            if blocked[j]:
                break
            entry = keys[j]
            if entry is not None and not used[j]:
                key, end = entry
                out.append(ChamberMention(tuple(sorted(key.chambers)), j, end, "list"))
                for t in range(j, end):
                    used[t] = True
                j = end
                continue
            low = strings[lowers[j]]
            if low in CHAIN_CONNECTORS:
                j += 1
                continue
            break
        if out:
            used[i] = True
            if len(out) == 1:
                m = out[0]
                out[0] = ChamberMention(m.ids, m.start, m.end, "name")
        return out

    def _backward(
        self,
        i: int,
        lowers: list[int],
        keys: list[tuple[Key, int] | None],
        blocked: list[bool],
        used: list[bool],
    ) -> list[ChamberMention]:
        strings = self.nlp.vocab.strings
        out: list[ChamberMention] = []
        j = i - 1
        while j >= 0 and i - j <= self.max_chain:
            if blocked[j] or used[j]:
                break
            entry = keys[j]
            if entry is not None and entry[0].kind in ("adjective", "genitive") and entry[1] <= i:
                key, end = entry
                out.append(ChamberMention(tuple(sorted(key.chambers)), j, end, "name"))
                for t in range(j, end):
                    used[t] = True
                j -= 1
                continue
            if strings[lowers[j]] in BACK_CONNECTORS and out:
                j -= 1
                continue
            break
        if out:
            used[i] = True
        return out

    def _state(
        self, i: int, lowers: list[int], states: list[str | None], words: list[str | None]
    ) -> ChamberMention | None:
        assert self.gaz is not None
        strings = self.nlp.vocab.strings
        n = len(lowers)
        state = None
        far = False  # the state stands apart from the chamber word: only "alle", a number
        span_start, span_end = i, i + 1
        for j in range(i - 1, max(-1, i - 3), -1):
            if states[j]:
                state, span_start = states[j], j
                break
        if state is None:
            for j in range(i + 1, min(n, i + 3)):
                if states[j] and strings[lowers[j - 1]] in ("in", "aus", "im", "von"):
                    state, span_end = states[j], j + 1
                    break
        if state is None:
            # "In Rheinland-Pfalz trifft es alle vier Handwerkskammern": the state opens
            # the clause, the total quantifier stands before the chamber word
            for j in range(i - 3, max(0, i - 9), -1):
                low = strings[lowers[j]]
                if low in (".", "!", "?", ";", ","):
                    break
                if states[j] and strings[lowers[j - 1]] in ("in", "im"):
                    state, far = states[j], True
                    break
        if state is None:
            return None
        total = False
        for j in range(span_start - 1, max(-1, span_start - 4), -1):
            low = strings[lowers[j]]
            if low in (
                "mehrere",
                "einige",
                "viele",
                "zahlreiche",
                "etliche",
                "weitere",
                "manche",
                "diverse",
                "verschiedene",
                "über",
                "mehr",
                "rund",
                "etwa",
                "knapp",
                "fast",
                "mindestens",
                "einzelne",
                "teils",
            ):
                return None  # fmt: skip
            number = self.numbers.get(low) if not low.isdigit() else int(low)
            if number is not None:
                if number != len(self.gaz.state_chambers.get(state, ())):
                    return None
                if (
                    j > 1
                    and strings[lowers[j - 1]] in ("der", "von")
                    and (strings[lowers[j - 2]] in self.numbers or strings[lowers[j - 2]].isdigit())
                ):
                    return None  # "nur eine der drei Handwerkskammern": a part, not all
                total = True
                span_start = j
                continue
            if low in (
                "alle",
                "allen",
                "aller",
                "sämtliche",
                "sämtlichen",
                "sämtlicher",
                "jede",
                "jeder",
                "jeden",
                "die",
                "den",
                "der",
            ):
                total = not far or low not in ("die", "den", "der")
                span_start = j
                break  # fmt: skip
            break
        if not total:
            return None
        ids = tuple(sorted(self.gaz.state_chambers.get(state, ())))
        return ChamberMention(ids, span_start, span_end, "state") if ids else None

    def _context(
        self,
        doc: Doc,
        lowers: list[int],
        words: list[str | None],
        keys: list[tuple[Key, int] | None],
        blocked: list[bool],
        used: list[bool],
    ) -> list[ChamberMention]:
        strings = self.nlp.vocab.strings
        candidates = [
            j for j, k in enumerate(keys) if k is not None and not used[j] and not blocked[j]
        ]
        if not candidates:
            return []
        view = get_view(doc)
        texts = view.texts
        sent_starts = [s for s, _e in view.sents]
        chamber_sents = set()
        for j, w in enumerate(words):
            if w in (HWK, GENERIC, CONTEXT) and not blocked[j]:
                chamber_sents.add(bisect.bisect_right(sent_starts, j) - 1)
        meta = doc_state(doc).kw_meta or {}
        on_topic = bool(chamber_sents) or meta.get("kind") in self.comment_kinds
        cues = doc_state(doc).kw_cues
        status_sents = set()
        if on_topic and cues is not None:
            for j, labs in enumerate(cues.labels):
                if labs & STATUS_CUES:
                    status_sents.add(bisect.bisect_right(sent_starts, j) - 1)
        elliptic_sents = set()
        if on_topic and cues is not None:
            for k, (s, e) in enumerate(view.sents):
                if e - s <= 8 and any(ELLIPSIS_CUES & cues.labels[i] for i in range(s, e)):
                    elliptic_sents.add(k)
        chamber_words = [j for j, w in enumerate(words) if w in (HWK, OTHER)]
        lower_case: bool | None = None
        out = []
        for j in candidates:
            k = bisect.bisect_left(chamber_words, j) - 1
            if k >= 0 and words[chamber_words[k]] == OTHER:
                continue  # "Ärztekammer ... in Westfalen-Lippe": the other chamber's region
            si = bisect.bisect_right(sent_starts, j) - 1
            near = si in chamber_sents or si - 1 in chamber_sents
            # "Dortmund und Düsseldorf sind wieder da. Aachen und Köln noch nicht.": a short
            # elliptical sentence right after a status sentence
            elliptic = si in elliptic_sents and si - 1 in status_sents
            if not near and si not in status_sents and not elliptic:
                continue
            key, end = keys[j]  # type: ignore[misc]
            if not texts[j][:1].isupper() and key.kind != "abbrev":
                # a text written in lower case ("in rostock lief alles normal") names a
                # city after a preposition
                if lower_case is None:
                    lower_case = _written_in_lower_case(texts)
                if not (lower_case and j > 0 and strings[lowers[j - 1]] in PLACE_PREPOSITIONS):
                    continue
            if _dateline(texts, j, end, sent_starts):
                continue  # "Gera, 9. Januar 2024 – ...": where the report was written
            prev = strings[lowers[j - 1]] if j > 0 else ""
            nxt = strings[lowers[end]] if end < len(lowers) else ""
            if prev in self.blockers or nxt in self.blockers:
                continue
            if (
                prev in ("in", "im", "aus")
                and j > 1
                and strings[lowers[j - 2]] in self.provider_places
            ):
                continue  # "am selben Rechenzentrum in Niederbayern": the provider's place
            if prev in ARTICLES and key.kind not in ARTICLE_OK_KINDS:
                continue
            if end < len(lowers) and texts[end].startswith("-"):
                continue
            if j > 1 and texts[j - 1] == "-" and texts[j - 2][:1].isalpha():
                continue  # the second half of a split compound: "Rhineland-Palatinate"
            out.append(ChamberMention(tuple(sorted(key.chambers)), j, end, "context"))
        return out


PLACE_PREPOSITIONS = frozenset({"in", "bei", "aus", "nach", "für"})


def _written_in_lower_case(texts: list[str]) -> bool:
    """German capitalises every noun: a text (of 8 words or more) with almost no
    capitalised word was typed in lower case."""
    words = [t for t in texts if t[:1].isalpha()]
    if len(words) < 8:
        return False
    return sum(t[0].isupper() for t in words) <= len(words) // 20


def _dateline(texts: list[str], start: int, end: int, sent_starts: list[int]) -> bool:
    """The key opens its sentence as a dateline: "Gera, 9. Januar 2024 –",
    "Bielefeld (dpa) –", "Kaiserslautern." (a sentence of its own)."""
    if start not in sent_starts and not (start > 0 and "\n" in texts[start - 1]):
        return False
    nxt = texts[end] if end < len(texts) else ""
    after = texts[end + 1] if end + 1 < len(texts) else ""
    if nxt == "," and after[:1].isdigit():
        return True
    if nxt in ("(", "–", "—", "/"):
        return True
    return nxt == "." and (end + 1 >= len(texts) or end + 1 in sent_starts)


def _other_chamber_words(words: list[str | None]) -> list[str | None]:
    """``words`` with each bare ``Kammer`` that follows another kind of chamber (with
    no Handwerkskammer between) marked as that chamber: "Die Ärztekammer Westfalen-Lippe
    ... teilte die Kammer in Münster mit"."""
    out = list(words)
    last: str | None = None
    for i, w in enumerate(words):
        if w in (HWK, OTHER):
            last = w
        elif w == GENERIC and last == OTHER:
            out[i] = OTHER
    return out


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:k] + long_[k + 1 :] == short for k in range(len(long_)))


@Language.factory(
    "kw_chambers",
    requires=["doc.sents", "doc._.kw_orgs"],
    assigns=["doc._.kw_chamber_mentions"],
    default_config={"max_chain": 30},
)
def make_chamber_recognizer(nlp: Language, name: str, max_chain: int) -> ChamberRecognizer:
    """Factory of the chamber recogniser."""
    return ChamberRecognizer(nlp, name, max_chain)
