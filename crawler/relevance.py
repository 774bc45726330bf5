"""Is a feed item about the incident?  Keyword/entity scoring, configured as data.

The configuration lives in ``crawler/data/discovery.json`` under ``relevance``:
weighted regular expressions in groups (provider, chamber, attack, outage, …),
negative terms (other chambers such as IHK or Ärztekammer, other incidents
such as Südwestfalen-IT, hospitals, municipalities) that subtract unless an
anchor group (the provider's name) matched, a date window and a threshold.

Text is normalised before matching (lower case, ``ä→ae``, ``ö→oe``, ``ü→ue``,
``ß→ss``, any run of other characters → one space), so the same patterns match
titles, summaries and URL slugs (``/odav-bestaetigt-cyberangriff``) in German
and English.  Each group counts once, with its best weighted match over the
fields (title 1.0, summary 0.85, URL path 0.8, URL host 1.0 by default), and an
item needs a provider or chamber match to count at all.  Pure: no
I/O beyond loading the configuration once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import unquote, urlsplit

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e"})
_NON_WORD = re.compile(r"[\W_]+")
_URL_DATE = re.compile(r"/(20\d\d)[/-](\d\d)[/-](\d\d)(?:/|$|\D)")
DEFAULT_FIELDS = (("title", 1.0), ("summary", 0.85), ("url", 0.8), ("host", 1.0))


@dataclass(frozen=True)
class Term:
    """A weighted pattern of a group (positive) or a named penalty (negative)."""

    group: str
    weight: float
    pattern: re.Pattern[str]
    unless: tuple[tuple[str, float], ...] = ()  # (group, minimum weighted value)


@dataclass(frozen=True)
class RelevanceConfig:
    """Scoring configuration of one incident (see the module docstring)."""

    incident: str
    terms: tuple[Term, ...]
    negative: tuple[Term, ...]
    threshold: float
    window_start: date | None
    window_end: date | None
    fields: tuple[tuple[str, float], ...] = DEFAULT_FIELDS
    require_any: tuple[tuple[str, float], ...] = ()  # (group, minimum weighted value)


@dataclass(frozen=True)
class Score:
    """The verdict on one item.

    score:     sum of the best weighted match per group minus penalties
    relevant:  ``score >= threshold``, a required group (provider or chamber) matched,
               and the date is inside the window (or unknown)
    matched:   ``field:group:text`` of every counted match, then ``-name`` of penalties
    in_window: True/False, or None when the item has no date
    """

    score: float
    relevant: bool
    matched: tuple[str, ...]
    in_window: bool | None


def normalize(text: str) -> str:
    """Lower case, umlauts folded, non-alphanumeric runs → one space."""
    return _NON_WORD.sub(" ", text.lower().translate(_FOLD)).strip()


def url_text(url: str) -> str:
    """The part of a URL that describes the article: path and query, decoded."""
    parts = urlsplit(url)
    return unquote(f"{parts.path} {parts.query}")


def host_text(url: str) -> str:
    """The URL's host without ``www.``: a chamber's own site (``hwk-koeln.de``) says "chamber"."""
    host = urlsplit(url).hostname or ""
    return re.sub(r"^www\d*\.", "", host)


def _reaches(best: dict[str, tuple[float, str]], minimums: tuple[tuple[str, float], ...]) -> bool:
    return any(group in best and best[group][0] >= low for group, low in minimums)


def _minimums(value: Any) -> tuple[tuple[str, float], ...]:
    """``{"group": minimum}`` or a list of group names (minimum 0) → pairs."""
    if isinstance(value, dict):
        return tuple((str(k), float(v)) for k, v in value.items())
    return tuple((str(k), 0.0) for k in value or ())


def _term(entry: dict[str, Any], negative: bool) -> Term:
    return Term(
        group=str(entry["name"] if negative else entry["group"]),
        weight=float(entry["weight"]),
        pattern=re.compile(entry["pattern"]),
        unless=_minimums(entry.get("unless")),
    )


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def config_from_dict(data: dict[str, Any]) -> RelevanceConfig:
    """Build a configuration from the ``relevance`` object of discovery.json."""
    window = data.get("window") or {}
    fields = data.get("fields") or dict(DEFAULT_FIELDS)
    return RelevanceConfig(
        incident=str(data.get("incident", "")),
        terms=tuple(_term(t, False) for t in data["terms"]),
        negative=tuple(_term(t, True) for t in data.get("negative", [])),
        threshold=float(data["threshold"]),
        window_start=_date(window.get("start")),
        window_end=_date(window.get("end")),
        fields=tuple((str(k), float(v)) for k, v in fields.items()),
        require_any=_minimums(data.get("require_any")),
    )


@cache
def discovery_data() -> dict[str, Any]:
    """The parsed ``crawler/data/discovery.json``."""
    text = resources.files("crawler").joinpath("data/discovery.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def load_config() -> RelevanceConfig:
    """The incident configuration shipped in ``crawler/data/discovery.json``."""
    return config_from_dict(discovery_data()["relevance"])


def date_of(published: str | None, url: str = "") -> date | None:
    """The item's day: from ``published`` (ISO 8601), else from a ``/2024/01/09/`` URL."""
    if published:
        try:
            return date.fromisoformat(published[:10])
        except ValueError:
            pass
    match = _URL_DATE.search(urlsplit(url).path) if url else None
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    return None


def in_window(day: date | None, config: RelevanceConfig) -> bool | None:
    """Whether a day lies in the incident's window (inclusive); None when unknown."""
    if day is None:
        return None
    if config.window_start and day < config.window_start:
        return False
    return not (config.window_end and day > config.window_end)


def score(
    title: str = "",
    summary: str = "",
    url: str = "",
    published: str | None = None,
    *,
    config: RelevanceConfig | None = None,
) -> Score:
    """Score one item by its title, summary and URL (German or English)."""
    config = config or load_config()
    texts = {
        "title": normalize(title),
        "summary": normalize(summary),
        "url": normalize(url_text(url)) if url else "",
        "host": normalize(host_text(url)) if url else "",
    }
    weights = dict(config.fields)
    best: dict[str, tuple[float, str]] = {}
    for term in config.terms:
        for name, text in texts.items():
            if not text:
                continue
            match = term.pattern.search(text)
            if match is None:
                continue
            value = term.weight * weights.get(name, 0.0)
            if value > best.get(term.group, (0.0, ""))[0]:
                best[term.group] = (value, f"{name}:{term.group}:{match.group(0)}")
    total = sum(value for value, _ in best.values())
    matched = [label for _, label in sorted(best.values(), key=lambda v: -v[0])]
    everything = " | ".join(t for t in texts.values() if t)
    for penalty in config.negative:
        if _reaches(best, penalty.unless):
            continue
        if penalty.pattern.search(everything):
            total -= penalty.weight
            matched.append(f"-{penalty.group}")
    window = in_window(date_of(published, url), config)
    required = not config.require_any or _reaches(best, config.require_any)
    relevant = total >= config.threshold and required and window is not False
    return Score(round(total, 3), relevant, tuple(matched), window)


def score_entry(entry: Any, config: RelevanceConfig | None = None) -> Score:
    """Score a :class:`crawler.parsers.feeds.FeedEntry` (title, summary, keywords, URL).

    Without a publication date, a modification date before the window's start
    (sitemap ``lastmod``) puts the item out of the window: it cannot have been
    published later than it was last modified.
    """
    config = config or load_config()
    summary = entry.summary
    if entry.keywords:
        summary = f"{summary} {' '.join(entry.keywords)}".strip()
    verdict = score(entry.title, summary, entry.url, entry.published, config=config)
    modified = getattr(entry, "modified", None)
    if verdict.in_window is None and modified and config.window_start:
        day = date_of(modified)
        if day is not None and day < config.window_start:
            return Score(verdict.score, False, verdict.matched, False)
    return verdict
