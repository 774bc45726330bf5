"""Date values as the facts give them (value + precision), their ranges and German words.

Precisions: ``day`` ``YYYY-MM-DD``, ``week`` ``YYYY-Www`` (ISO), ``month``
``YYYY-MM``, ``year`` ``YYYY``.  A value is turned into the closed range of
days it covers, so that "a day inside a reported week" is a range test.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

PRECISIONS = ("day", "week", "month", "year")
RANK = {p: i for i, p in enumerate(PRECISIONS)}  # finer first

MONTHS_DE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")

Range = tuple[date, date]


def date_range(value: str | None, precision: str | None) -> Range | None:
    """The first and last day a value covers; None when it cannot be read."""
    if not value or precision not in RANK:
        return None
    try:
        if precision == "day" and (m := _DAY.match(value)):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if precision == "week" and (m := _WEEK.match(value)):
            start = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return start, start + timedelta(days=6)
        if precision == "month" and (m := _MONTH.match(value)):
            year, month = int(m[1]), int(m[2])
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last)
        if precision == "year" and (m := _YEAR.match(value)):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    except ValueError:
        return None
    return None


def contains(outer: Range, inner: Range) -> bool:
    """True when ``inner`` lies inside ``outer``."""
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def overlaps(a: Range, b: Range) -> bool:
    """True when the two ranges share at least one day."""
    return a[0] <= b[1] and b[0] <= a[1]


def day_of(timestamp: str | None) -> str | None:
    """The local calendar day (``YYYY-MM-DD``) of an ISO 8601 timestamp with offset."""
    if not timestamp or not _DAY.match(timestamp[:10]):
        return None
    return timestamp[:10]


def german_date(value: str | None, precision: str | None) -> str:
    """``9. Januar 2024``, ``KW 2/2024``, ``Januar 2024``, ``2024``; empty when unknown."""
    rng = date_range(value, precision)
    if rng is None:
        return ""
    start = rng[0]
    if precision == "day":
        return f"{start.day}. {MONTHS_DE[start.month - 1]} {start.year}"
    if precision == "week":
        year, week, _ = start.isocalendar()
        return f"KW {week}/{year}"
    if precision == "month":
        return f"{MONTHS_DE[start.month - 1]} {start.year}"
    return str(start.year)


def german_timestamp(timestamp: str | None) -> str:
    """The day of a timestamp in German words (``10. Januar 2024``); empty when unknown."""
    return german_date(day_of(timestamp), "day")
