"""Chamber gazetteer: the 53 Handwerkskammern and every way text names them.

Data lives in ``pipelines/nlp/data``:

* ``chambers.csv``          id, official name, seat, state, other offices (copied from shared data)
* ``chamber_aliases.csv``   id, alias, kind (city, region, adjective, abbrev)
* web domain -> id: from the crawler's ``crawler/data/chamber_sites.csv``
* ``states.json``           state names and adjective stems for state quantifiers

From these the :class:`Gazetteer` derives lower-cased lookup keys with inflected
(genitive ``Kölns``), transliterated (``Koeln``, ``Koln``) and ``-isch`` adjective
forms, plus a one-edit "symmetric delete" index for small typos.  Everything is
computed once per process.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipelines.resources import package_dir

DATA_DIR = package_dir("pipelines.nlp") / "data"  # on disk, also from a zipped egg

ADJ_ENDINGS = ("", "e", "en", "er", "es", "em")
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_STRIP = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


@dataclass(frozen=True)
class Chamber:
    """One Handwerkskammer from ``chambers.csv``."""

    id: str
    official_name: str
    seat: str
    state: str
    other_offices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Key:
    """A lower-cased gazetteer key and what it names.

    kind is ``city``, ``region``, ``adjective``, ``genitive`` or ``abbrev``.
    """

    text: str
    chambers: frozenset[str]
    kind: str


@dataclass
class Gazetteer:
    """Lookup tables built from the data files (see module docstring)."""

    chambers: dict[str, Chamber]
    keys: dict[str, Key]
    domains: dict[str, str]
    state_names: dict[str, str]
    state_adjectives: list[tuple[str, str]]
    state_chambers: dict[str, frozenset[str]]
    deletes: dict[str, set[str]] = field(default_factory=dict)

    # -- single-token lookups ------------------------------------------------
    def lookup(self, lower: str) -> Key | None:
        """The key for a lower-cased token or phrase, allowing one typo for long words."""
        key = self.keys.get(lower)
        if key is not None:
            return key
        return self._fuzzy(lower)

    def exact(self, lower: str) -> Key | None:
        """The key for a lower-cased token or phrase, exact forms only."""
        return self.keys.get(lower)

    def _fuzzy(self, lower: str) -> Key | None:
        if len(lower) < 7 or not lower.isalpha():
            return None
        return _fuzzy_cached(self, lower)

    def state_of(self, lower: str) -> str | None:
        """The state a token names (``bayern``, ``nrw``) or qualifies (``bayerischen``)."""
        if lower in self.state_names:
            return self.state_names[lower]
        for stem, state in self.state_adjectives:
            if lower.startswith(stem) and lower != stem.rstrip("-"):
                rest = lower[len(stem) :]
                if rest in ADJ_ENDINGS or stem.endswith("-"):
                    return state
        return None

    def domain(self, lower: str) -> str | None:
        """The chamber a web domain or URL token belongs to."""
        host = lower.split("//", 1)[-1].split("/", 1)[0]
        if host.startswith("www."):
            host = host[4:]
        return self.domains.get(host)

    def __hash__(self) -> int:  # identity hash so the lru_cache can key on it
        return id(self)


@lru_cache(maxsize=65536)
def _fuzzy_cached(gaz: Gazetteer, lower: str) -> Key | None:
    candidates: set[str] = set(gaz.deletes.get(lower, ()))
    for variant in _deletes(lower):
        candidates |= gaz.deletes.get(variant, set())
        if variant in gaz.keys and len(variant) >= 7:
            candidates.add(variant)
    found = {gaz.keys[c] for c in candidates if c in gaz.keys}
    ids = {cid for k in found for cid in k.chambers}
    if len(ids) != 1:
        return None
    best = min(found, key=lambda k: k.text)
    return Key(lower, best.chambers, best.kind)


def _deletes(word: str) -> Iterable[str]:
    return (word[:i] + word[i + 1 :] for i in range(len(word)))


def fold(text: str) -> str:
    """Lower-case and transliterate umlauts (``Köln`` -> ``koeln``)."""
    return text.lower().translate(_TRANSLIT)


def strip_accents(text: str) -> str:
    """Lower-case and drop umlaut dots (``Köln`` -> ``koln``)."""
    lowered = text.lower().translate(_STRIP)
    return "".join(
        c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c)
    )


def _variants(alias: str, kind: str) -> list[tuple[str, str]]:
    base = alias.lower()
    out = [(base, kind)]
    if kind == "adjective" and base.endswith("isch"):
        out = [(base + end, kind) for end in ADJ_ENDINGS]
    if kind in ("city", "region") and " " not in base and not base.endswith(("s", "z", "x", "ß")):
        out.append((base + "s", "genitive"))
    more = []
    for text, k in out:
        for form in (text.translate(_TRANSLIT), strip_accents(text)):
            if form != text:
                more.append((form, k))
    return out + more


def load_chambers(path: Path | str | None = None) -> dict[str, Chamber]:
    """All chambers of a ``chambers.csv`` (default: the package's) by id, in the file's order.

    This is the one chamber table of the project; the timeline stage reads it through here.
    """
    chambers: dict[str, Chamber] = {}
    with Path(path or DATA_DIR / "chambers.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            offices = tuple(o.strip() for o in (row.get("other_offices") or "").split(";") if o)
            chambers[row["id"]] = Chamber(
                row["id"], row["official_name"], row["seat"], row["state"], offices
            )
    return chambers


def load_domains(path: Path | str | None = None) -> dict[str, str]:
    """Web domain -> chamber id from the crawler's chamber site list (``domain``,
    ``other_domains`` and ``alias_domains`` of ``crawler/data/chamber_sites.csv``,
    or the file at ``path``): one list of the chambers' domains for both.

    Only the listed domains; :func:`load_gazetteer` adds ``<id>.de`` for every chamber.
    """
    source = Path(path) if path else package_dir("crawler") / "data" / "chamber_sites.csv"
    domains: dict[str, str] = {}
    with source.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            hosts = [row.get("domain") or ""]
            for column in ("other_domains", "alias_domains"):
                hosts += (row.get(column) or "").split(";")
            for host in hosts:
                if host.strip():
                    domains[host.strip().lower()] = row["id"].strip()
    return domains


def load_gazetteer(data_dir: Path | str | None = None) -> Gazetteer:
    """Read the chamber data files from ``data_dir`` (default: the package data)."""
    return _load(str(Path(data_dir) if data_dir else DATA_DIR))


@lru_cache(maxsize=4)
def _load(data_dir: str) -> Gazetteer:
    root = Path(data_dir)
    chambers = load_chambers(root / "chambers.csv")
    raw: list[tuple[str, str, str]] = []  # (chamber id, alias, kind)
    for ch in chambers.values():
        raw.append((ch.id, ch.seat, "city"))
        short = re.sub(r"\s*\(.*?\)|\s+(im|am|an der)\s+.*$", "", ch.seat).strip()
        if short != ch.seat:
            raw.append((ch.id, short, "city"))
        raw.extend((ch.id, office, "city") for office in ch.other_offices)
        tail = re.sub(r"^Handwerkskammer\s+((für|zu|der|des)\s+)?", "", ch.official_name)
        if tail != ch.official_name and "–" not in tail and "(" not in tail:
            raw.append((ch.id, tail, "region" if tail != ch.seat else "city"))
    with (root / "chamber_aliases.csv").open(encoding="utf-8", newline="") as fh:
        raw.extend((r["id"], r["alias"], r["kind"]) for r in csv.DictReader(fh))

    collected: dict[str, tuple[set[str], str]] = {}
    for cid, alias, kind in raw:
        for text, k in _variants(alias, kind):
            ids, _kind = collected.setdefault(text, (set(), k))
            ids.add(cid)
    keys = {t: Key(t, frozenset(ids), k) for t, (ids, k) in collected.items()}
    # "Frankfurt" alone means Frankfurt am Main in German news.
    for text in ("frankfurt", "frankfurter", "frankfurts"):
        if text in keys:
            keys[text] = Key(text, frozenset({"hwk-frankfurt-rhein-main"}), keys[text].kind)

    domains = load_domains()
    for cid in chambers:
        domains.setdefault(cid + ".de", cid)

    states = json.loads((root / "states.json").read_text(encoding="utf-8"))
    state_names: dict[str, str] = {}
    state_adjectives: list[tuple[str, str]] = []
    for state, spec in states.items():
        if state.startswith("_"):
            continue
        for name in spec["names"]:
            state_names[name] = state
        state_adjectives.extend((stem, state) for stem in spec["adjectives"])
    state_adjectives.sort(key=lambda p: -len(p[0]))
    by_state: dict[str, set[str]] = {}
    for ch in chambers.values():
        by_state.setdefault(ch.state, set()).add(ch.id)

    deletes: dict[str, set[str]] = {}
    for text in keys:
        if len(text) >= 7 and text.isalpha():
            for variant in _deletes(text):
                deletes.setdefault(variant, set()).add(text)
    return Gazetteer(
        chambers=chambers,
        keys=keys,
        domains=domains,
        state_names=state_names,
        state_adjectives=state_adjectives,
        state_chambers={s: frozenset(ids) for s, ids in by_state.items()},
        deletes=deletes,
    )
