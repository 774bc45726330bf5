"""German (and some English) date expressions → normalised values with a precision.

``find_dates(text, anchor)`` returns every date expression of a text as a
:class:`DateMention`: ``value`` is ``YYYY-MM-DD`` (precision ``day``),
``YYYY-Www`` (ISO week, ``week``), ``YYYY-MM`` (``month``) or ``YYYY``
(``year``).  ``anchor`` is the document's own date (an article's publication
time, a comment's own timestamp); relative expressions ("gestern", "am
Montag", "vergangene Woche") are resolved against it.  Without an anchor they
are returned with ``value=None`` and the flag ``"unresolved"``, never guessed.

Design
------
* The lexicon (month and weekday names, relative words, ordinals, number
  words, holidays, ...) is data: ``data/date_patterns.json``.  The grammar
  that combines it is a list of rules built here once per language (priority =
  list order).  For every word that can start a rule (and for digits) the
  rules that can start with it are compiled into one alternation regex.
* Scanning: the text is split into letter/digit runs; a run that starts no
  rule costs one dict lookup, the others one anchored ``match``.  About
  0.2 ms per 1,000 characters of news text.
* German order is day-month-year, always: "9.1.2024" is 9 January.
* Span convention (as TimeML's TIMEX3): a leading preposition and its article
  ("am", "im", "seit", "in der", "vom") are not part of the mention; modifiers
  ("vergangenen", "gestrigen", "Anfang"), an attached weekday or clock time
  are.  ``text == doc_text[start:end]`` always holds.

Resolution rules
----------------
* Day and month without a year ("9.1.", "5. Januar", "im Dezember") take the
  anchor's year, or the year before if that would put them more than 183 days
  after the anchor (news mostly looks back); flagged ``"year_inferred"``.
* A bare or "am" weekday is the most recent such day on or before the anchor
  ("ab Mittwoch", "bis Freitag": the coming one, today included, unless the
  sentence is told in the past: "war bis Freitag offline");
  "vergangenen/letzten" = strictly before, "kommenden/nächsten" = strictly
  after, "diesen" = in the anchor's ISO week, "gestrigen" = anchor − 1 (its
  weekday is checked).  "in der Nacht von Donnerstag auf Freitag" and "in der
  Nacht zum Freitag" are the Friday.
* Weekday plus explicit date: the date wins; a mismatch adds
  ``"weekday_conflict"``.
* "vor zwei Tagen" → day, "vor einer Woche" → ISO week, "vor einem Monat" →
  month.  "drei Wochen danach", "zwei Tage später", "am Folgetag" resolve
  against the nearest preceding resolved date in the same text (not the
  anchor), otherwise they are ``"unresolved"``.
* Durations ("seit Tagen", "seit einer Woche", "für drei Wochen", "tagelang")
  and vague amounts ("mehr als zwei Monate später") are not dates.
* Flags: ``unresolved``, ``weekday_conflict``, ``two_digit_year``,
  ``year_inferred``, ``part_of_month:early|mid|late`` (also ``part_of_year``,
  ``part_of_week``), ``season:spring|summer|autumn|winter``, ``weekend``,
  ``range_start``/``range_end``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from pipelines.resources import package_dir

__all__ = ["DATA_FILE", "DateMention", "find_dates", "normalise_date"]

DATA_FILE = package_dir("pipelines.nlp") / "data" / "date_patterns.json"

#: A day/month without a year lies at most this many days after the anchor.
MAX_DAYS_AHEAD = 183

Anchor = datetime | date | str | None


@dataclass(frozen=True)
class DateMention:
    """One date expression found in a text.

    value:     ``YYYY-MM-DD`` | ``YYYY-Www`` | ``YYYY-MM`` | ``YYYY``; None if unresolvable
    precision: ``day`` | ``week`` | ``month`` | ``year``; None if unresolvable
    text:      the exact surface text, ``doc_text[start:end]``
    start/end: character offsets into the text
    relative:  resolved against the anchor or a preceding date of the same text
    flags:     e.g. ``("unresolved",)``, ``("weekday_conflict",)``, ``("two_digit_year",)``
    """

    value: str | None
    precision: str | None
    text: str
    start: int
    end: int
    relative: bool
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The fact-file form: value, precision, text, start, end, relative (+ flags)."""
        out: dict[str, Any] = {
            "value": self.value,
            "precision": self.precision,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "relative": self.relative,
        }
        if self.flags:
            out["flags"] = list(self.flags)
        return out


# --------------------------------------------------------------------------- regex helpers


def _alt(words: Iterable[str]) -> str:
    """An alternation of literal words, longest first; spaces match any whitespace."""
    uniq = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in uniq) + ")"


def _inflect(stems: Iterable[str], endings: Iterable[str]) -> dict[str, str]:
    """Every stem + ending (and the bare stem) → stem."""
    out: dict[str, str] = {}
    ends = list(endings)
    for stem in stems:
        for end in ends:
            out.setdefault(stem + end, stem)
    return out


_YEAR4 = r"(?:19|20)\d{2}(?!\d)"
_NOT_NUM_BEFORE = r"(?<![\w.])"


@dataclass
class _Lex:
    """The lexicon of one language, with lookup tables derived from the data file."""

    months: dict[str, int]
    month_full: list[str]
    month_abbr: list[str]
    weekdays: dict[str, int]
    weekday_abbr: dict[str, int]
    tod: list[str]
    rel_days: dict[str, int]
    day_adj: dict[str, int]  # inflected form → day offset
    rel_adj: dict[str, int]  # inflected form → unit offset
    units: dict[str, str]
    unit_words: dict[str, str]
    numbers: dict[str, int]
    ordinals: dict[str, int]  # inflected form → day
    parts: dict[str, str]
    seasons: dict[str, str]
    after_words: dict[str, int]
    vague_before: list[str]
    raw: dict[str, Any]


def _load_lex(raw: dict[str, Any]) -> _Lex:
    months: dict[str, int] = {}
    full: list[str] = []
    abbr: list[str] = []
    for num, entry in raw["months"].items():
        for w in entry["names"]:
            months[w] = int(num)
            full.append(w)
        for w in entry["abbr"]:
            months[w] = int(num)
            abbr.append(w)
    weekdays: dict[str, int] = {}
    wd_abbr: dict[str, int] = {}
    for num, entry in raw["weekdays"].items():
        for w in entry["names"]:
            weekdays[w] = int(num)
        for w in entry["abbr"]:
            wd_abbr[w] = int(num)
    endings = raw.get("adjective_endings", [""])
    day_adj = {
        form: raw["relative_day_adjectives"][stem]
        for form, stem in _inflect(raw.get("relative_day_adjectives", {}), endings).items()
    }
    rel_adj = {
        form: raw["relative_adjectives"][stem]
        for form, stem in _inflect(raw["relative_adjectives"], endings).items()
    }
    ordinals = {
        form: raw["ordinals"][stem]
        for form, stem in _inflect(raw.get("ordinals", {}), raw.get("ordinal_endings", [])).items()
    }
    return _Lex(
        months=months,
        month_full=full,
        month_abbr=abbr,
        weekdays=weekdays,
        weekday_abbr=wd_abbr,
        tod=list(raw["times_of_day"]),
        rel_days=dict(raw["relative_days"]),
        day_adj=day_adj,
        rel_adj=rel_adj,
        units=dict(raw["units"]),
        unit_words=dict(raw["unit_words"]),
        numbers=dict(raw["number_words"]),
        ordinals=ordinals,
        parts=dict(raw["part_of_period"]),
        seasons=dict(raw["seasons"]),
        after_words=dict(raw["after_words"]),
        vague_before=list(raw["vague_before"]),
        raw=raw,
    )


# --------------------------------------------------------------------------- grammars


@dataclass
class _Grammar:
    """One language: lexicon and, per word that can start a rule, the regex to try there."""

    lang: str
    lex: _Lex
    dispatch: dict[str, re.Pattern[str]]
    after_phrases: dict[str, int]
    part_compounds: dict[str, tuple[str, str]]
    rel_compounds: dict[str, tuple[str, int]]
    holidays: dict[str, tuple[int, int]]
    numeric_blockers: frozenset[str]
    # token as written -> its rule regex or None (filled by the scanner)
    seen: dict[str, re.Pattern[str] | None] = field(default_factory=dict)


_DIGIT = "#"  # first-word key of rules that start with a number


def _compile_rules(rules: list[tuple[str, str, set[str]]]) -> dict[str, re.Pattern[str]]:
    """First word (lower case, or ``_DIGIT``) → one regex of the rules that can start there.

    Each regex is an alternation of those rules in priority order; its top-level
    groups are named ``R_<rule>``.  Words sharing the same rule set share the
    compiled regex.
    """
    by_set: dict[tuple[int, ...], re.Pattern[str]] = {}
    dispatch: dict[str, re.Pattern[str]] = {}
    words = set().union(*(f for _, _, f in rules))
    for word in words:
        idx = tuple(i for i, (_, _, f) in enumerate(rules) if word in f)
        if idx not in by_set:
            body = "|".join(f"(?P<R_{rules[i][0]}>{rules[i][1]})" for i in idx)
            by_set[idx] = re.compile(rf"(?<!\w)(?:{body})", re.IGNORECASE)
        dispatch[word] = by_set[idx]
    return dispatch


def _build_de(lex: _Lex) -> _Grammar:
    raw = lex.raw
    month_any = rf"(?:{_alt(lex.month_full)}(?!\w)|{_alt(lex.month_abbr)}(?:\.|(?!\w)))"
    month_full = rf"{_alt(lex.month_full)}(?!\w)"
    wd = _alt(lex.weekdays)
    tod = _alt(lex.tod)
    mod_all = _alt(list(lex.day_adj) + list(lex.rel_adj)) + r"(?!\w)"
    mod_rel = _alt(lex.rel_adj) + r"(?!\w)"
    ordinal = _alt(lex.ordinals) + r"(?!\w)"
    time_word = raw["time_word"]
    time = (
        rf"(?:\s*,?\s*(?:{_alt(raw['time_prefixes'])}\s+)?"
        rf"(?:\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s*{time_word}(?!\w))?"
        rf"|\d{{1,2}}(?:\.\d{{2}})?\s*{time_word}(?!\w)))?"
    )
    rel_year = rf"\s+(?:des\s+)?(?P<{{p}}try>{mod_rel})\s+jahres(?!\w)"

    def date_pat(p: str) -> str:
        numeric = (
            rf"{_NOT_NUM_BEFORE}(?P<{p}nd>\d{{1,2}})\.\s?(?P<{p}nm>\d{{1,2}})\."
            rf"(?:\s?(?P<{p}ny4>(?:19|20)\d{{2}})|(?P<{p}ny2>\d{{2}}))?(?!\d)"
        )
        textual = (
            rf"(?:{_NOT_NUM_BEFORE}(?P<{p}td>\d{{1,2}})\.?|(?P<{p}to>{ordinal}))\s*"
            rf"(?P<{p}tm>{month_any})"
            rf"(?:\s*,?\s*(?P<{p}ty>{_YEAR4})|{rel_year.replace('{p}', p)})?"
        )
        return f"(?:{numeric}|{textual})"

    date_first = (
        rf"(?:(?:{mod_all}\s+)?{wd}(?!\w)(?:\s*,?\s*(?:den\s+)?\d{{1,2}}\.(?:\s?\d{{1,2}}\.|\s*{month_any})?)?"
        rf"|\d{{1,2}}\.(?:\s?\d{{1,2}}\.|\s*{month_any})?(?:\s*{_YEAR4})?)"
    )
    night = (
        rf"{_alt(raw['night_words'])}\s+(?:{_alt(raw['night_from'])}\s+{date_first}\s*,?\s+)?"
        rf"{_alt(raw['night_to'])}\s+(?:den\s+)?"
        rf"(?:(?:(?P<n_mod>{mod_all})\s+)?(?P<n_wd>{wd})(?!\w)"
        rf"(?:(?:\s*,\s*|\s+)(?:den\s+)?{date_pat('n_')})?|{date_pat('nt_')}){time}"
    )
    hours = (
        r"\s*,?\s*(?:jeweils\s+)?(?:von\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:uhr\s*)?"
        r"(?:-|–|bis)\s*\d{1,2}(?:[:.]\d{2})?\s*uhr"
    )
    wdspan = rf"(?P<s_wd1>{wd})(?!\w)\s*(?:bis|-|–|—)\s*(?P<s_wd2>{wd})(?!\w)(?P<s_hours>{hours})?"
    wd_art = _alt(raw["weekday_date_articles"])
    weekday = (
        rf"(?:(?P<w_mod>{mod_all})\s+)?(?P<w_wd>{wd})(?P<w_tod>{tod})?(?!\w)"
        rf"(?:(?P<w_sep>\s*\(\s*|\s*,\s*|\s+)(?:{wd_art}\s+)?{date_pat('w_')}"
        rf"|\s+(?:der\s+)?(?P<w_relwk>{mod_rel})\s+woche(?!\w)"
        rf"|\s+(?P<w_tod2>{tod})(?!\w))?{time}"
    )
    wd_abbr = (
        rf"(?-i:(?P<a_wd>{_alt(lex.weekday_abbr)}))(?:\.\s*,?|\s*,)\s*(?:den\s+)?"
        rf"{date_pat('a_')}{time}"
    )
    range_ = (
        rf"{_NOT_NUM_BEFORE}(?P<r_d1>\d{{1,2}})\.(?:\s?(?P<r_m1n>\d{{1,2}})\.|\s*(?P<r_m1w>{month_any}))?"
        rf"(?:\s*(?P<r_y1>{_YEAR4}))?(?P<r_conn>\s*{_alt(raw['range_connectors'])}\s*)"
        rf"(?:{_alt(raw['date_article'])}\s+)?{date_pat('r_')}{time}"
    )
    single = rf"{date_pat('d_')}{time}"
    iso = (
        rf"{_NOT_NUM_BEFORE}(?P<i_y>(?:19|20)\d{{2}})-(?P<i_m>\d{{2}})-(?P<i_d>\d{{2}})"
        r"(?:[t\s]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?(?![\d-])"
    )
    kw_words = _alt(raw["week_words"])
    kw = (
        rf"{kw_words}\s*(?P<k_w>\d{{1,2}})(?:\s*[/.]\s*(?P<k_y>(?:19|20)\d{{2}}|\d{{2}})"
        rf"|\s+(?P<k_y3>{_YEAR4}))?(?!\d)"
        rf"|{_NOT_NUM_BEFORE}(?P<k_w2>\d{{1,2}})\.\s*{kw_words}(?!\w)(?:\s+(?P<k_y2>{_YEAR4}))?"
    )
    unit_nw = _alt(k for k, v in lex.units.items() if v != "weekend") + r"(?!\w)"
    part = (
        rf"(?P<p_part>{_alt(lex.parts)})\s+(?:"
        rf"(?P<p_m>{month_full})(?:\s*(?P<p_my>{_YEAR4})|{rel_year.replace('{p}', 'p_m')})?"
        rf"|(?P<p_y>{_YEAR4})"
        rf"|(?:des\s+|der\s+)?(?P<p_rel>{mod_rel})\s+(?P<p_unit>{unit_nw})"
        rf"|(?:des|der)\s+(?P<p_cur>{unit_nw})(?:\s+(?P<p_cy>{_YEAR4}))?)"
    )
    part_compounds = {k: (v[0], v[1]) for k, v in raw["part_compounds"].items()}
    part_comp = rf"(?P<pc_w>{_alt(part_compounds)})(?!\w)"
    month_year = rf"(?P<my_m>{month_any})(?:\s*(?P<my_y>{_YEAR4})|{rel_year.replace('{p}', 'my_')})"
    month_range = (
        rf"(?:{_alt(raw['month_range_prefixes'])}\s+)?(?P<mr_m1>{month_full})"
        rf"\s*{_alt(raw['month_range_connectors'])}\s*(?P<mr_m2>{month_full})\s*(?P<mr_y>{_YEAR4})"
    )
    month_ctx = (
        rf"(?P<mc_pre>{_alt(raw['month_context'])})\s+(?P<mc_core>(?P<mc_m>{month_full})"
        rf"(?:\s*(?P<mc_y>{_YEAR4})|{rel_year.replace('{p}', 'mc_')})?)"
    )
    year_strong = (
        rf"(?P<ys_w>{_alt(list(raw['year_words']) + list(lex.seasons))})\s+"
        rf"(?P<ys_y>{_YEAR4})(?:/(?:\d{{4}}|\d{{2}})(?!\d))?"
    )
    year_weak = rf"(?P<yw_pre>{_alt(raw['year_context_weak'])})\s+(?P<yw_y>{_YEAR4})"
    rel_unit = rf"(?P<u_mod>{mod_rel})\s+(?P<u_unit>{_alt(lex.units)})(?!\w)"
    rel_compounds = {k: (v[0], int(v[1])) for k, v in raw["relative_compounds"].items()}
    rel_comp = rf"(?P<uc_w>{_alt(rel_compounds)})(?!\w)"
    weekend = (
        rf"(?P<we_pre>{_alt(raw['weekend_prefixes'])})\s+(?P<we_w>{_alt(raw['weekend_words'])})"
        r"(?!\w)"
    )
    rel_day = rf"(?P<rd_w>{_alt(lex.rel_days)})(?![\w-])(?:\s+(?P<rd_tod>{tod})(?!\w))?{time}"
    rel_day_adj = (
        rf"(?P<ra_adj>{_alt(lex.day_adj)})\s+(?P<ra_n>{_alt(raw['relative_day_nouns'])})(?!\w)"
        rf"{time}"
    )
    num = rf"(?:{_alt(lex.numbers)}(?!\w)|\d{{1,3}}(?!\d))"
    ago = (
        rf"{_alt(raw['ago_words'])}\s+(?:{_alt(raw['approximators'])}\s+)?"
        rf"(?P<v_n>{num})\s+(?P<v_u>{_alt(lex.unit_words)})(?!\w)"
    )
    after = (
        rf"(?P<af_n>{num})\s+(?P<af_u>{_alt(lex.unit_words)})\s+"
        rf"(?P<af_dir>{_alt(lex.after_words)})(?!\w)"
    )
    after_phrases = dict(raw["after_phrases"])
    after_fix = rf"(?P<ax_p>{_alt(after_phrases)})(?!\w)"
    holidays = {k: (int(v[0]), int(v[1])) for k, v in raw["holidays"].items()}
    holiday = rf"(?P<h_w>{_alt(holidays)})(?!\w)(?:\s+(?P<h_y>{_YEAR4}))?"

    def firsts(*groups: Iterable[str]) -> set[str]:
        return {w.split()[0].lower() for words in groups for w in words}

    weekday_first = firsts(lex.weekdays, lex.day_adj, lex.rel_adj)
    weekday_first |= {w + t for w in lex.weekdays for t in lex.tod}
    rules = [
        ("night", night, firsts(raw["night_words"])),
        ("wdspan", wdspan, firsts(lex.weekdays)),
        ("weekday", weekday, weekday_first),
        ("wdabbr", wd_abbr, firsts(lex.weekday_abbr)),
        ("range", range_, {_DIGIT}),
        ("date", single, {_DIGIT} | firsts(lex.ordinals)),
        ("iso", iso, {_DIGIT}),
        ("kw", kw, {_DIGIT} | firsts(raw["week_words"])),
        ("part", part, firsts(lex.parts)),
        ("partcomp", part_comp, firsts(part_compounds)),
        ("monthrange", month_range, firsts(lex.months, raw["month_range_prefixes"])),
        ("monthyear", month_year, firsts(lex.months)),
        ("monthctx", month_ctx, firsts(raw["month_context"])),
        ("yearstrong", year_strong, firsts(raw["year_words"], lex.seasons)),
        ("yearweak", year_weak, firsts(raw["year_context_weak"])),
        ("relunit", rel_unit, firsts(lex.rel_adj)),
        ("relcomp", rel_comp, firsts(rel_compounds)),
        ("weekend", weekend, firsts(raw["weekend_prefixes"])),
        ("relday", rel_day, firsts(lex.rel_days)),
        ("reldayadj", rel_day_adj, firsts(lex.day_adj)),
        ("ago", ago, firsts(raw["ago_words"])),
        ("after", after, {_DIGIT} | firsts(lex.numbers)),
        ("afterfix", after_fix, firsts(after_phrases)),
        ("holiday", holiday, firsts(holidays)),
    ]
    return _Grammar(
        lang="de",
        lex=lex,
        dispatch=_compile_rules(rules),
        after_phrases=after_phrases,
        part_compounds=part_compounds,
        rel_compounds=rel_compounds,
        holidays=holidays,
        numeric_blockers=frozenset(raw["numeric_date_not_after"]),
    )


def _cap_alt(words: Iterable[str]) -> str:
    """Case-sensitive alternation of capitalised words (English month/weekday names)."""
    return "(?-i:" + _alt(w.capitalize() for w in words) + ")"


def _build_en(lex: _Lex) -> _Grammar:
    raw = lex.raw
    month_any = rf"(?:{_cap_alt(lex.month_full)}(?!\w)|{_cap_alt(lex.month_abbr)}(?:\.|(?!\w)))"
    wd = _cap_alt(lex.weekdays)
    tod = _alt(lex.tod)
    mod_rel = _alt(lex.rel_adj) + r"(?!\w)"
    suffix = r"(?:st|nd|rd|th)?"
    time = (
        r"(?:,?\s*(?:at\s+)?(?:\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?!\w)"
        r"|\d{1,2}:\d{2}(?!\d)))?"
    )

    def date_pat(p: str) -> str:
        day_first = (
            rf"{_NOT_NUM_BEFORE}(?P<{p}td>\d{{1,2}}){suffix}\s+(?:of\s+)?(?P<{p}tm>{month_any})"
            rf"(?:,?\s*(?P<{p}ty>{_YEAR4}))?"
        )
        month_first = (
            rf"(?P<{p}tm2>{month_any})\s+(?P<{p}td2>\d{{1,2}}){suffix}(?![\d:])"
            rf"(?:,?\s*(?P<{p}ty2>{_YEAR4}))?"
        )
        return f"(?:{day_first}|{month_first})"

    weekday = (
        rf"(?:(?P<w_mod>{mod_rel})\s+)?(?P<w_wd>{wd})(?!\w)"
        rf"(?:(?P<w_sep>\s*\(\s*|\s*,\s*|\s+)(?:the\s+)?{date_pat('w_')}"
        rf"|\s+(?P<w_tod2>{tod})(?!\w))?{time}"
    )
    wd_abbr = rf"(?-i:(?P<a_wd>{_alt(lex.weekday_abbr)}))\.?,?\s+{date_pat('a_')}{time}"
    range_ = (
        rf"{_NOT_NUM_BEFORE}(?P<r_d1>\d{{1,2}}){suffix}(?:\s+(?P<r_m1w>{month_any}))?"
        rf"(?P<r_conn>\s*(?:-|–|—|to|and|until)\s*)(?:the\s+)?{date_pat('r_')}{time}"
    )
    single = rf"{date_pat('d_')}{time}"
    iso = (
        rf"{_NOT_NUM_BEFORE}(?P<i_y>(?:19|20)\d{{2}})-(?P<i_m>\d{{2}})-(?P<i_d>\d{{2}})"
        r"(?:[t\s]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?(?![\d-])"
    )
    units_nw = _alt(k for k, v in lex.units.items() if v != "weekend") + r"(?!\w)"
    part = (
        rf"(?P<p_part>{_alt(lex.parts)})[\s-]*(?:(?:the\s+)?(?P<p_m>{_cap_alt(lex.month_full)})"
        rf"(?!\w)(?:,?\s*(?P<p_my>{_YEAR4}))?|(?P<p_y>{_YEAR4})"
        rf"|(?P<p_rel>{mod_rel})\s+(?P<p_unit>{units_nw})|the\s+(?P<p_cur>{units_nw}))"
    )
    month_year = rf"(?P<my_m>{month_any}),?\s*(?P<my_y>{_YEAR4})"
    month_ctx = (
        rf"(?P<mc_pre>{_alt(raw['month_context'])})\s+(?P<mc_core>"
        rf"(?P<mc_m>{_cap_alt(lex.month_full)})(?!\w)"
        # not "since January 8": a day after the month makes it a date
        rf"(?!\s+\d{{1,2}}{suffix}(?![\d:]))(?:,?\s*(?P<mc_y>{_YEAR4}))?)"
    )
    year_strong = rf"(?P<ys_w>(?:the\s+)?year|{_alt(lex.seasons)})\s+(?:of\s+)?(?P<ys_y>{_YEAR4})"
    year_weak = rf"(?P<yw_pre>{_alt(raw['year_context_weak'])})\s+(?P<yw_y>{_YEAR4})"
    rel_unit = rf"(?P<u_mod>{mod_rel})\s+(?P<u_unit>{_alt(lex.units)})(?!\w)"
    rel_day = rf"(?P<rd_w>{_alt(lex.rel_days)})(?![\w-])(?:\s+(?P<rd_tod>{tod})(?!\w))?{time}"
    num = rf"(?:{_alt(lex.numbers)}(?!\w)|\d{{1,3}}(?!\d))"
    ago = rf"(?P<v_n>{num})\s+(?P<v_u>{_alt(lex.unit_words)})\s+ago(?!\w)"
    after = (
        rf"(?P<af_n>{num})\s+(?P<af_u>{_alt(lex.unit_words)})\s+"
        rf"(?P<af_dir>{_alt(lex.after_words)})(?!\w)"
    )

    def firsts(*groups: Iterable[str]) -> set[str]:
        return {w.split()[0].lower() for words in groups for w in words}

    rules = [
        ("weekday", weekday, firsts(lex.weekdays, lex.rel_adj)),
        ("wdabbr", wd_abbr, firsts(lex.weekday_abbr)),
        ("range", range_, {_DIGIT}),
        ("date", single, {_DIGIT} | firsts(lex.months)),
        ("iso", iso, {_DIGIT}),
        ("part", part, firsts(lex.parts)),
        ("monthyear", month_year, firsts(lex.months)),
        ("monthctx", month_ctx, firsts(raw["month_context"])),
        ("yearstrong", year_strong, {"the", "year"} | firsts(lex.seasons)),
        ("yearweak", year_weak, firsts(raw["year_context_weak"])),
        ("relunit", rel_unit, firsts(lex.rel_adj)),
        ("relday", rel_day, firsts(lex.rel_days)),
        ("ago", ago, {_DIGIT} | firsts(lex.numbers)),
        ("after", after, {_DIGIT} | firsts(lex.numbers)),
    ]
    return _Grammar(
        lang="en",
        lex=lex,
        dispatch=_compile_rules(rules),
        after_phrases={},
        part_compounds={},
        rel_compounds={},
        holidays={},
        numeric_blockers=frozenset(),
    )


@cache
def _grammar(lang: str) -> _Grammar:
    """The compiled grammar of a language (built once per process)."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        data = json.load(fh)
    if lang == "en":
        return _build_en(_load_lex(data["en"]))
    return _build_de(_load_lex(data["de"]))


_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_UNSEEN: Any = object()


# --------------------------------------------------------------------------- calendar helpers


def _iso_week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def _add_months(year: int, month: int, k: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + k
    return idx // 12, idx % 12 + 1


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _anchor_date(anchor: Anchor) -> date | None:
    if anchor is None:
        return None
    if isinstance(anchor, datetime):
        return anchor.date()
    if isinstance(anchor, date):
        return anchor
    try:
        return datetime.fromisoformat(anchor.strip()).date()
    except ValueError:
        return None


def _two_digit_year(yy: int) -> int:
    return 2000 + yy if yy < 70 else 1900 + yy


# --------------------------------------------------------------------------- the scanner


@dataclass
class _Date:
    """An explicit day and month with a year that may still be missing."""

    year: int | None
    month: int
    day: int
    flags: tuple[str, ...] = ()
    relative: bool = False  # the year came from a relative phrase ("vergangenen Jahres")


class _Run:
    """State of one find_dates call: the anchor and the mentions found so far."""

    def __init__(self, text: str, anchor: date | None, grammar: _Grammar) -> None:
        self.text = text
        self.anchor = anchor
        self.g = grammar
        self.lex = grammar.lex
        self.out: list[DateMention] = []

    # ---- driver

    def scan(self) -> list[DateMention]:
        text, dispatch = self.text, self.g.dispatch
        digit = dispatch[_DIGIT]
        handlers = _HANDLERS
        seen = self.g.seen
        if len(seen) > 200_000:
            seen.clear()  # a cache of words as written; bounded so memory stays flat
        pos = 0
        for tok in _TOKEN.finditer(text):
            word = tok.group()
            regex = seen.get(word, _UNSEEN)
            if regex is None:
                continue
            if regex is _UNSEEN:
                regex = seen[word] = digit if word[0].isdigit() else dispatch.get(word.lower())
                if regex is None:
                    continue
            start = tok.start()
            if start < pos:
                continue
            m = regex.match(text, start)
            if m is None or m.lastgroup is None:
                continue
            found = handlers[m.lastgroup[2:]](self, m)
            if found is None:  # the rule matched but the context rejects it
                continue
            self.out.extend(found)
            pos = m.end()
        return self.out

    # ---- mention builders

    def _mention(
        self,
        value: str | None,
        precision: str | None,
        start: int,
        end: int,
        relative: bool,
        flags: Iterable[str] = (),
    ) -> DateMention:
        fl = tuple(flags)
        if value is None:
            precision = None
            if "unresolved" not in fl:
                fl = ("unresolved", *fl)
        return DateMention(value, precision, self.text[start:end], start, end, relative, fl)

    def _unresolved(self, start: int, end: int, flags: Iterable[str] = ()) -> DateMention:
        return self._mention(None, None, start, end, True, flags)

    def _day(
        self, d: date | None, start: int, end: int, relative: bool, flags: Iterable[str] = ()
    ) -> DateMention:
        return self._mention(d.isoformat() if d else None, "day", start, end, relative, flags)

    def _infer_year(self, month: int, day: int) -> int | None:
        a = self.anchor
        if a is None:
            return None
        cand = _valid(a.year, month, day) or _valid(a.year - 1, month, day)
        if cand is None:
            return None
        if cand > a + timedelta(days=MAX_DAYS_AHEAD):
            return cand.year - 1
        return cand.year

    def _resolve_date(
        self, dt: _Date, start: int, end: int, extra: Iterable[str] = ()
    ) -> DateMention | None:
        """A day mention from an explicit date; None if the date does not exist."""
        flags = list(dt.flags) + list(extra)
        if dt.year is None:
            if _valid(2024, dt.month, dt.day) is None:  # 2024: a leap year
                return None
            year = self._infer_year(dt.month, dt.day)
            if year is None:
                return self._unresolved(start, end, flags)
            d = _valid(year, dt.month, dt.day)
            return self._day(d, start, end, True, ["year_inferred", *flags]) if d else None
        d = _valid(dt.year, dt.month, dt.day)
        if d is None:
            return None
        return self._day(d, start, end, dt.relative, flags)

    def _explicit(self, m: re.Match[str], p: str) -> _Date | None:
        """The day/month/year of a date sub-pattern with group prefix ``p``."""
        g = m.group
        gd = m.groupdict()
        flags: tuple[str, ...] = ()
        relative = False
        year: int | None = None
        if gd.get(p + "nd") is not None:
            day, month = int(g(p + "nd")), int(g(p + "nm"))
            if gd.get(p + "ny4"):
                year = int(g(p + "ny4"))
            elif gd.get(p + "ny2"):
                year = _two_digit_year(int(g(p + "ny2")))
                flags = ("two_digit_year",)
        else:
            suffix = "" if gd.get(p + "tm") else "2"
            month_word = gd.get(p + "tm" + suffix)
            if month_word is None:
                return None
            month = self.lex.months[month_word.lower().rstrip(".")]
            td = gd.get(p + "td" + suffix)
            day = int(td) if td is not None else self.lex.ordinals[g(p + "to").lower()]
            ty = gd.get(p + "ty" + suffix)
            if ty:
                year = int(ty)
            elif gd.get(p + "try"):
                relative = True
                if self.anchor is None:
                    return _Date(None, month, day, ("unresolved",), True)
                year = self.anchor.year + self.lex.rel_adj[g(p + "try").lower()]
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return _Date(year, month, day, flags, relative)

    def _date_mention(
        self, m: re.Match[str], p: str, start: int, end: int, weekday: int | None = None
    ) -> DateMention | None:
        dt = self._explicit(m, p)
        if dt is None:
            return None
        if "unresolved" in dt.flags:
            return self._unresolved(start, end)
        mention = self._resolve_date(dt, start, end)
        if (
            mention is not None
            and weekday is not None
            and mention.value is not None
            and date.fromisoformat(mention.value).weekday() != weekday
        ):
            mention = replace(mention, flags=(*mention.flags, "weekday_conflict"))
        return mention

    def _weekday_value(self, wd: int, mod: str | None) -> tuple[date | None, tuple[str, ...]]:
        """The date of a weekday named without a date, relative to the anchor."""
        a = self.anchor
        if a is None:
            return None, ()
        key = mod.lower() if mod else None
        if key is not None and key in self.lex.day_adj:  # "am gestrigen Dienstag"
            d = a + timedelta(days=self.lex.day_adj[key])
            return d, (() if d.weekday() == wd else ("weekday_conflict",))
        k = self.lex.rel_adj.get(key, None) if key is not None else None
        if k is None:  # bare / "am": on or before the anchor
            return a - timedelta(days=(a.weekday() - wd) % 7), ()
        if k == 0:
            return a - timedelta(days=a.weekday()) + timedelta(days=wd), ()
        if k < 0:
            back = (a.weekday() - wd) % 7 or 7
            return a - timedelta(days=back + 7 * (-k - 1)), ()
        ahead = (wd - a.weekday()) % 7 or 7
        return a + timedelta(days=ahead + 7 * (k - 1)), ()

    def _unit_value(self, unit: str, k: int) -> tuple[str | None, str]:
        """(value, precision) of the anchor's week/month/year shifted by ``k``."""
        a = self.anchor
        if unit == "weekend":
            if a is None:
                return None, "week"
            sat = a - timedelta(days=a.weekday()) + timedelta(days=5)
            if k < 0:
                sat -= timedelta(days=7 * -k)
            elif k > 0 and a.weekday() >= 5:
                sat += timedelta(days=7 * k)
            elif k > 1:
                sat += timedelta(days=7 * (k - 1))
            return _iso_week(sat), "week"
        if a is None:
            return None, unit
        if unit == "week":
            return _iso_week(a + timedelta(days=7 * k)), "week"
        if unit == "month":
            y, mo = _add_months(a.year, a.month, k)
            return f"{y:04d}-{mo:02d}", "month"
        return f"{a.year + k:04d}", "year"

    # ---- rule handlers (each returns mentions, or None to reject the match)

    def _night(self, m: re.Match[str]) -> list[DateMention] | None:
        start, end = m.start(), m.end()
        if m.group("n_wd") is not None:
            wd = self.lex.weekdays[m.group("n_wd").lower()]
            if m.group("n_nd") is not None or m.group("n_tm") is not None:
                mention = self._date_mention(m, "n_", start, end, weekday=wd)
                return [mention] if mention else None
            d, flags = self._weekday_value(wd, m.group("n_mod"))
            return [self._day(d, start, end, True, flags)]
        mention = self._date_mention(m, "nt_", start, end)
        return [mention] if mention else None

    def _wdspan(self, m: re.Match[str]) -> list[DateMention] | None:
        if m.group("s_hours"):  # opening hours: "Montag bis Freitag, 8 bis 16 Uhr"
            return []
        wd1 = self.lex.weekdays[m.group("s_wd1").lower()]
        wd2 = self.lex.weekdays[m.group("s_wd2").lower()]
        d1, _ = self._weekday_value(wd1, None)
        d2 = d1 + timedelta(days=(wd2 - wd1) % 7) if d1 is not None else None
        return [
            self._day(d1, m.start("s_wd1"), m.end("s_wd1"), True),
            self._day(d2, m.start("s_wd2"), m.end("s_wd2"), True),
        ]

    def _weekday(self, m: re.Match[str]) -> list[DateMention] | None:
        start, end = m.start(), m.end()
        wd = self.lex.weekdays[m.group("w_wd").lower()]
        sep = m.group("w_sep")
        if sep is not None:
            if "(" in sep:
                close = _CLOSE_PAREN.match(self.text, end)
                if close is not None:
                    end = close.end()
            mention = self._date_mention(m, "w_", start, end, weekday=wd)
            return [mention] if mention else None
        relwk = m.groupdict().get("w_relwk")
        if relwk is not None:  # "Freitag vergangener Woche"
            a = self.anchor
            if a is None:
                return [self._unresolved(start, end)]
            monday = (
                a
                - timedelta(days=a.weekday())
                + timedelta(days=7 * self.lex.rel_adj[relwk.lower()])
            )
            return [self._day(monday + timedelta(days=wd), start, end, True)]
        mod = m.group("w_mod")
        if mod is None and self._forward_before(start):
            # "ab Mittwoch", "bis Freitag": the coming one (today included)
            a = self.anchor
            d = a + timedelta(days=(wd - a.weekday()) % 7) if a is not None else None
            return [self._day(d, start, end, True)]
        d, flags = self._weekday_value(wd, mod)
        return [self._day(d, start, end, True, flags)]

    def _forward_before(self, start: int) -> bool:
        """The word right before ``start`` looks ahead ("ab", "bis") and the sentence is
        not told in the past ("war bis Freitag offline" is the Friday before)."""
        words = self.text[max(0, start - 12) : start].split()
        raw = self.g.lex.raw
        if not words or words[-1].lower() not in raw.get("forward_weekday_words", ()):
            return False
        begin = max(self.text.rfind(c, 0, start) for c in ".!?\n") + 1
        stop = min(
            (i for i in (self.text.find(c, start) for c in ".!?\n") if i >= 0),
            default=len(self.text),
        )
        past = frozenset(raw.get("past_markers", ()))
        return past.isdisjoint(_TOKEN.findall(self.text[begin:stop].lower()))

    def _wdabbr(self, m: re.Match[str]) -> list[DateMention] | None:
        wd = self.lex.weekday_abbr[m.group("a_wd")]
        mention = self._date_mention(m, "a_", m.start(), m.end(), weekday=wd)
        return [mention] if mention else None

    def _range(self, m: re.Match[str]) -> list[DateMention] | None:
        second = self._explicit(m, "r_")
        if second is None:
            return None
        gd = m.groupdict()
        d1 = int(m.group("r_d1"))
        if gd.get("r_m1n"):
            m1 = int(m.group("r_m1n"))
        elif gd.get("r_m1w"):
            m1 = self.lex.months[m.group("r_m1w").lower().rstrip(".")]
        else:
            m1 = second.month
        y1 = int(m.group("r_y1")) if gd.get("r_y1") else None
        if second.year is None and y1 is not None and "unresolved" not in second.flags:
            second = _Date(y1, second.month, second.day, second.flags, second.relative)
        first = _Date(y1 if y1 is not None else second.year, m1, d1, (), second.relative)
        if y1 is None and first.year is not None and (m1, d1) > (second.month, second.day):
            first = _Date(first.year - 1, m1, d1, (), first.relative)  # 28.12. bis 3.1.2024
        s1, e1 = m.start("r_d1"), m.start("r_conn")
        s2 = min(m.start(k) for k in ("r_nd", "r_td", "r_to", "r_tm2") if gd.get(k) is not None)
        if "unresolved" in second.flags:
            return [
                self._unresolved(s1, e1, ["range_start"]),
                self._unresolved(s2, m.end(), ["range_end"]),
            ]
        one = self._resolve_date(first, s1, e1, ["range_start"])
        two = self._resolve_date(second, s2, m.end(), ["range_end"])
        if one is None or two is None:
            return None
        return [one, two]

    def _numeric_blocked(self, m: re.Match[str], p: str) -> bool:
        """A yearless "9.1." after "Version", "Kapitel", "§" ... is not a date."""
        gd = m.groupdict()
        if gd.get(p + "nd") is None or gd.get(p + "ny4") or gd.get(p + "ny2"):
            return False
        words = self.text[max(0, m.start() - 15) : m.start()].lower().replace(".", " ").split()
        return bool(words) and words[-1] in self.g.numeric_blockers

    def _single(self, m: re.Match[str]) -> list[DateMention] | None:
        if self._numeric_blocked(m, "d_"):
            return None
        mention = self._date_mention(m, "d_", m.start(), m.end())
        return [mention] if mention else None

    def _iso(self, m: re.Match[str]) -> list[DateMention] | None:
        d = _valid(int(m.group("i_y")), int(m.group("i_m")), int(m.group("i_d")))
        return [self._day(d, m.start(), m.end(), False)] if d else None

    def _kw(self, m: re.Match[str]) -> list[DateMention] | None:
        gd = m.groupdict()
        week = int(gd["k_w"] or gd["k_w2"])
        ys = gd["k_y"] or gd["k_y3"] or gd["k_y2"]
        if not 1 <= week <= 53:
            return None
        if ys:
            year = int(ys) if len(ys) == 4 else _two_digit_year(int(ys))
            relative = False
        elif self.anchor is not None:
            year, relative = self.anchor.isocalendar()[0], True
        else:
            return [self._unresolved(m.start(), m.end())]
        try:
            monday = date.fromisocalendar(year, week, 1)
        except ValueError:
            return None
        return [self._mention(_iso_week(monday), "week", m.start(), m.end(), relative)]

    def _month_mention(
        self,
        month: int,
        year: int | None,
        start: int,
        end: int,
        flags: list[str],
        relative: bool = False,
    ) -> DateMention:
        if year is None:
            a = self.anchor
            if a is None:
                return self._unresolved(start, end, flags)
            year = a.year
            if date(year, month, 1) > a + timedelta(days=MAX_DAYS_AHEAD):
                year -= 1
            relative = True
            flags = ["year_inferred", *flags]
        return self._mention(f"{year:04d}-{month:02d}", "month", start, end, relative, flags)

    def _rel_year(self, word: str | None) -> tuple[int | None, bool]:
        """(year, ok) of "vergangenen Jahres" etc.; ok=False if no anchor."""
        if word is None:
            return None, True
        if self.anchor is None:
            return None, False
        return self.anchor.year + self.lex.rel_adj[word.lower()], True

    def _part(self, m: re.Match[str]) -> list[DateMention] | None:
        gd = m.groupdict()
        part = self.lex.parts[" ".join(m.group("p_part").lower().split())]
        start, end = m.start(), m.end()
        if gd.get("p_m"):
            month = self.lex.months[m.group("p_m").lower()]
            flag = [f"part_of_month:{part}"]
            if gd.get("p_my"):
                return [self._month_mention(month, int(m.group("p_my")), start, end, flag)]
            year, ok = self._rel_year(gd.get("p_mtry"))
            if not ok:
                return [self._unresolved(start, end, flag)]
            return [self._month_mention(month, year, start, end, flag, year is not None)]
        if gd.get("p_y"):
            return [
                self._mention(m.group("p_y"), "year", start, end, False, [f"part_of_year:{part}"])
            ]
        if gd.get("p_rel"):
            unit = self.lex.units[m.group("p_unit").lower()]
            k = self.lex.rel_adj[m.group("p_rel").lower()]
        else:
            unit = self.lex.units[m.group("p_cur").lower()]
            k = 0
            if gd.get("p_cy"):
                if unit != "year":
                    return None
                return [
                    self._mention(
                        m.group("p_cy"), "year", start, end, False, [f"part_of_year:{part}"]
                    )
                ]
        value, precision = self._unit_value(unit, k)
        return [self._mention(value, precision, start, end, True, [f"part_of_{unit}:{part}"])]

    def _partcomp(self, m: re.Match[str]) -> list[DateMention] | None:
        unit, part = self.g.part_compounds[m.group("pc_w").lower()]
        value, precision = self._unit_value(unit, 0)
        return [
            self._mention(value, precision, m.start(), m.end(), True, [f"part_of_{unit}:{part}"])
        ]

    def _monthyear(self, m: re.Match[str]) -> list[DateMention] | None:
        month = self.lex.months[m.group("my_m").lower().rstrip(".")]
        if m.group("my_y"):
            return [self._month_mention(month, int(m.group("my_y")), m.start(), m.end(), [])]
        year, ok = self._rel_year(m.groupdict().get("my_try"))
        if not ok:
            return [self._unresolved(m.start(), m.end())]
        return [self._month_mention(month, year, m.start(), m.end(), [], True)]

    def _monthrange(self, m: re.Match[str]) -> list[DateMention] | None:
        """ "Oktober bis Dezember 2023": two months, the year carried back."""
        m1 = self.lex.months[m.group("mr_m1").lower()]
        m2 = self.lex.months[m.group("mr_m2").lower()]
        y2 = int(m.group("mr_y"))
        y1 = y2 - 1 if m1 > m2 else y2
        return [
            self._month_mention(m1, y1, m.start("mr_m1"), m.end("mr_m1"), ["range_start"]),
            self._month_mention(m2, y2, m.start("mr_m2"), m.end(), ["range_end"]),
        ]

    def _monthctx(self, m: re.Match[str]) -> list[DateMention] | None:
        month = self.lex.months[m.group("mc_m").lower()]
        start, end = m.start("mc_core"), m.end()
        if m.group("mc_y"):
            return [self._month_mention(month, int(m.group("mc_y")), start, end, [])]
        year, ok = self._rel_year(m.groupdict().get("mc_try"))
        if not ok:
            return [self._unresolved(start, end)]
        return [self._month_mention(month, year, start, end, [], year is not None)]

    def _yearstrong(self, m: re.Match[str]) -> list[DateMention] | None:
        word = " ".join(m.group("ys_w").lower().split())
        season = self.lex.seasons.get(word)
        flags = [f"season:{season}"] if season else []
        return [self._mention(m.group("ys_y"), "year", m.start(), m.end(), False, flags)]

    def _yearweak(self, m: re.Match[str]) -> list[DateMention] | None:
        nxt = _NEXT_WORD.match(self.text, m.end())
        if nxt is not None:
            word = nxt.group(1)
            if word[0].isdigit() or word[0] in "%€$" or word[0].isupper():
                return None  # "seit 2023 Kunde", "bis 2000 Euro"
        return [self._mention(m.group("yw_y"), "year", m.start("yw_y"), m.end(), False)]

    def _relunit(self, m: re.Match[str]) -> list[DateMention] | None:
        unit = self.lex.units[m.group("u_unit").lower()]
        k = self.lex.rel_adj[m.group("u_mod").lower()]
        value, precision = self._unit_value(unit, k)
        flags = ["weekend"] if unit == "weekend" else []
        return [self._mention(value, precision, m.start(), m.end(), True, flags)]

    def _relcomp(self, m: re.Match[str]) -> list[DateMention] | None:
        unit, k = self.g.rel_compounds[m.group("uc_w").lower()]
        value, precision = self._unit_value(unit, k)
        return [self._mention(value, precision, m.start(), m.end(), True)]

    def _weekend(self, m: re.Match[str]) -> list[DateMention] | None:
        a = self.anchor
        k = 0 if a is not None and a.weekday() >= 5 else -1
        value, precision = self._unit_value("weekend", k)
        return [self._mention(value, precision, m.start("we_w"), m.end(), True, ["weekend"])]

    def _relday(self, m: re.Match[str]) -> list[DateMention] | None:
        word = m.group("rd_w")
        key = word.lower()
        if key == "morgen" and not self._is_tomorrow(m):
            return None
        a = self.anchor
        d = a + timedelta(days=self.lex.rel_days[key]) if a is not None else None
        return [self._day(d, m.start(), m.end(), True)]

    def _is_tomorrow(self, m: re.Match[str]) -> bool:
        """ "morgen" is tomorrow only in lower case and not after "am", "guten", ..."""
        if m.group("rd_w") != "morgen":
            return False
        before = self.text[max(0, m.start() - 20) : m.start()].lower().split()
        blockers = self.lex.raw.get("morgen_not_after", [])
        return not any(before[-len(b.split()) :] == b.split() for b in blockers)

    def _reldayadj(self, m: re.Match[str]) -> list[DateMention] | None:
        a = self.anchor
        k = self.lex.day_adj[m.group("ra_adj").lower()]
        d = a + timedelta(days=k) if a is not None else None
        return [self._day(d, m.start(), m.end(), True)]

    def _count(self, word: str) -> int:
        return int(word) if word.isdigit() else self.lex.numbers[word.lower()]

    def _ago(self, m: re.Match[str]) -> list[DateMention] | None:
        n = self._count(m.group("v_n"))
        unit = self.lex.unit_words[m.group("v_u").lower()]
        a = self.anchor
        start, end = m.start(), m.end()
        if a is None:
            return [self._unresolved(start, end)]
        if unit == "day":
            return [self._day(a - timedelta(days=n), start, end, True)]
        if unit == "week":
            return [self._mention(_iso_week(a - timedelta(days=7 * n)), "week", start, end, True)]
        value, precision = self._unit_value(unit, -n)
        return [self._mention(value, precision, start, end, True)]

    def _vague_before(self, start: int) -> bool:
        before = " ".join(self.text[max(0, start - 25) : start].lower().split())
        return any(before.endswith(v) for v in self.lex.vague_before)

    def _shift_from_reference(self, n: int, unit: str, start: int, end: int) -> DateMention:
        """``n`` units after (negative: before) the nearest preceding resolved date."""
        ref = next((x for x in reversed(self.out) if x.value is not None), None)
        if ref is None or ref.value is None:
            return self._unresolved(start, end)
        prec, v = ref.precision, ref.value
        if prec == "day":
            d = date.fromisoformat(v)
            if unit == "day":
                return self._day(d + timedelta(days=n), start, end, True)
            if unit == "week":
                return self._mention(_iso_week(d + timedelta(days=7 * n)), "week", start, end, True)
            if unit == "month":
                y, mo = _add_months(d.year, d.month, n)
                return self._mention(f"{y:04d}-{mo:02d}", "month", start, end, True)
            return self._mention(f"{d.year + n:04d}", "year", start, end, True)
        if prec == "week" and unit == "week":
            monday = date.fromisocalendar(int(v[:4]), int(v[6:]), 1)
            return self._mention(
                _iso_week(monday + timedelta(days=7 * n)), "week", start, end, True
            )
        if prec == "month" and unit in ("month", "year"):
            y, mo = _add_months(int(v[:4]), int(v[5:7]), n if unit == "month" else 12 * n)
            return self._mention(f"{y:04d}-{mo:02d}", "month", start, end, True)
        if prec in ("month", "year") and unit == "year":
            return self._mention(f"{int(v[:4]) + n:04d}", "year", start, end, True)
        return self._unresolved(start, end)

    def _after(self, m: re.Match[str]) -> list[DateMention] | None:
        if self._vague_before(m.start()):
            return []  # "mehr als zwei Monate später": not a point in time
        n = self._count(m.group("af_n"))
        unit = self.lex.unit_words[m.group("af_u").lower()]
        n *= self.lex.after_words[m.group("af_dir").lower()]
        return [self._shift_from_reference(n, unit, m.start(), m.end())]

    def _afterfix(self, m: re.Match[str]) -> list[DateMention] | None:
        n = self.g.after_phrases[" ".join(m.group("ax_p").lower().split())]
        return [self._shift_from_reference(n, "day", m.start(), m.end())]

    def _holiday(self, m: re.Match[str]) -> list[DateMention] | None:
        month, day = self.g.holidays[" ".join(m.group("h_w").lower().split())]
        year = int(m.group("h_y")) if m.group("h_y") else None
        return (
            [m2]
            if (m2 := self._resolve_date(_Date(year, month, day), m.start(), m.end()))
            else None
        )


# rule name -> handler of _Run (looked up once per class, not per document)
_HANDLERS: dict[str, Callable[[_Run, re.Match[str]], list[DateMention] | None]] = {
    "night": _Run._night,
    "wdspan": _Run._wdspan,
    "weekday": _Run._weekday,
    "wdabbr": _Run._wdabbr,
    "range": _Run._range,
    "date": _Run._single,
    "iso": _Run._iso,
    "kw": _Run._kw,
    "part": _Run._part,
    "partcomp": _Run._partcomp,
    "monthyear": _Run._monthyear,
    "monthctx": _Run._monthctx,
    "monthrange": _Run._monthrange,
    "yearstrong": _Run._yearstrong,
    "yearweak": _Run._yearweak,
    "relunit": _Run._relunit,
    "relcomp": _Run._relcomp,
    "weekend": _Run._weekend,
    "relday": _Run._relday,
    "reldayadj": _Run._reldayadj,
    "ago": _Run._ago,
    "after": _Run._after,
    "afterfix": _Run._afterfix,
    "holiday": _Run._holiday,
}

_CLOSE_PAREN = re.compile(r"\s*\)")
_NEXT_WORD = re.compile(r"\s*([^\s.,;:!?)\]]+)")


# --------------------------------------------------------------------------- public API


def _grammar_for(lang: str) -> _Grammar:
    return _grammar("en" if lang.lower().startswith("en") else "de")


def find_dates(text: str, anchor: Anchor, *, lang: str = "de") -> list[DateMention]:
    """Every date expression in ``text``, in text order, resolved against ``anchor``.

    ``anchor`` is the document's own date (datetime, date, or ISO 8601 string;
    a datetime counts in its own time zone).  ``lang`` starting with "en"
    selects the English grammar, anything else the German one.
    """
    if not text:
        return []
    return _Run(text, _anchor_date(anchor), _grammar_for(lang)).scan()


def normalise_date(expr: str, anchor: Anchor, *, lang: str = "de") -> DateMention | None:
    """The first date in one expression (offsets into ``expr``), or None.

    Unlike :func:`find_dates` a bare month name ("Januar") or year ("2024") is
    accepted, since the caller says the whole expression is a date.
    """
    found = find_dates(expr, anchor, lang=lang)
    if found:
        return found[0]
    stripped = expr.strip()
    lead = len(expr) - len(expr.lstrip())
    g = _grammar_for(lang)
    if re.fullmatch(_YEAR4, stripped):
        return DateMention(stripped, "year", stripped, lead, lead + len(stripped), False)
    if stripped.lower() in g.lex.months:
        prefix = "im " if g.lang == "de" else "in "
        again = find_dates(prefix + stripped.capitalize(), anchor, lang=lang)
        if again:
            x = again[0]
            return DateMention(
                x.value, x.precision, stripped, lead, lead + len(stripped), x.relative, x.flags
            )
    return None
