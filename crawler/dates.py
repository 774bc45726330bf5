"""Timestamps as sites print them → ISO 8601 strings with an explicit offset.

Everything is normalised to Europe/Berlin local time with its offset
(``2024-01-09T10:15:00+01:00``).  Naive values (WordPress REST ``date``,
handwerksblatt's ``content="2024-01-10 14:20:00"``, heise 2019, text dates
such as "29. Mai 2019 um 17:39") are read as Europe/Berlin.  Aware values are
converted, except where a caller knows the offset label is wrong (golem's
JSON-LD says "Z" for local time) and passes ``assume_local=True``.

Our own rules come first (they are exact and fast); dateparser is only the
last resort, restricted to German and English with day-first order, so that
"9.1.2024" can never turn into September.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import dateparser

BERLIN = ZoneInfo("Europe/Berlin")

MONTHS = {
    "januar": 1, "jänner": 1, "jan": 1, "january": 1,
    "februar": 2, "feb": 2, "february": 2,
    "märz": 3, "maerz": 3, "mär": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mai": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11,
    "dezember": 12, "dez": 12, "dec": 12, "december": 12,
}  # fmt: skip

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_TIME_RE = (
    r"(?:\s*(?:,|um|@|-|–)?\s*(?P<hh>\d{1,2})[:.](?P<mm>\d{2})(?::(?P<ss>\d{2}))?"
    r"\s*(?P<ampm>am|pm)?(?:\s*Uhr)?)?"
)

# "29. Mai 2019 um 17:39", "1. November 2023 um 11:54 Uhr", "5. Jan. 2024"
_DAY_MONTH_YEAR = re.compile(
    rf"(?P<d>\d{{1,2}})\.?\s*(?P<mon>{_MONTH_RE})\.?\s+(?P<y>\d{{4}})" + _TIME_RE, re.I
)
# "Juli 30, 2013 um 2:33 pm", "January 9, 2024"
_MONTH_DAY_YEAR = re.compile(
    rf"(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})" + _TIME_RE, re.I
)
# "09.01.2024, 17:05 Uhr", "9.1.24"
_NUMERIC = re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.\s?(?P<y>\d{4}|\d{2})\b" + _TIME_RE)
# "2024-01-10 14:20:00", "2024-01-09T17:05+01:00", "2024-04-28T14:26:01Z", "2024-01-09"
_ISO = re.compile(
    r"^\s*(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<hh>\d{2}):(?P<mm>\d{2})(?::(?P<ss>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?\s*$"
)


_RFC2822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}")


def isoformat(value: datetime) -> str:
    """Europe/Berlin ISO 8601 with offset, whole seconds."""
    return value.astimezone(BERLIN).replace(microsecond=0).isoformat()


def now_iso() -> str:
    return isoformat(datetime.now(UTC))


def _local(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime | None:
    try:
        return datetime(y, m, d, hh, mm, ss, tzinfo=BERLIN)
    except ValueError:
        return None


def _time_parts(match: re.Match[str]) -> tuple[int, int, int]:
    if not match.group("hh"):
        return 0, 0, 0
    hh, mm = int(match.group("hh")), int(match.group("mm"))
    ss = int(match.group("ss") or 0)
    ampm = (match.group("ampm") or "").lower()
    if ampm == "pm" and hh < 12:
        hh += 12
    elif ampm == "am" and hh == 12:
        hh = 0
    return hh, mm, ss


def parse_iso(value: str, *, assume_local: bool = False) -> tuple[datetime, bool] | None:
    """Parse an ISO-like timestamp; returns (aware datetime, date_only) or None."""
    match = _ISO.match(value)
    if not match:
        return None
    y, m, d = int(match.group("y")), int(match.group("m")), int(match.group("d"))
    if not match.group("hh"):
        local = _local(y, m, d)
        return (local, True) if local else None
    hh, mm, ss = int(match.group("hh")), int(match.group("mm")), int(match.group("ss") or 0)
    tz = match.group("tz")
    try:
        if tz is None or assume_local:
            parsed = datetime(y, m, d, hh, mm, ss, tzinfo=BERLIN)
        elif tz == "Z":
            parsed = datetime(y, m, d, hh, mm, ss, tzinfo=UTC)
        else:
            parsed = datetime.fromisoformat(
                f"{y:04d}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}{tz}"
            )
    except ValueError:
        return None
    return parsed, False


def parse_text_date(value: str) -> datetime | None:
    """German (or English) date text as printed on a page, read as Europe/Berlin."""
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        match = pattern.search(value)
        if match:
            month = MONTHS[match.group("mon").lower().rstrip(".")]
            return _local(int(match.group("y")), month, int(match.group("d")), *_time_parts(match))
    match = _NUMERIC.search(value)
    if match:
        year = int(match.group("y"))
        if year < 100:
            year += 2000
        return _local(year, int(match.group("m")), int(match.group("d")), *_time_parts(match))
    return None


def parse_datetime(value: str | None, *, assume_local: bool = False) -> str | None:
    """Any timestamp a page gives → Berlin ISO string, or None when unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if _RFC2822.match(value):  # feeds and HTTP headers: "Wed, 10 Jan 2024 11:00:00 GMT"
        try:
            return isoformat(parsedate_to_datetime(value))
        except (TypeError, ValueError):
            pass
    iso = parse_iso(value, assume_local=assume_local)
    if iso:
        return isoformat(iso[0])
    text = parse_text_date(value)
    if text:
        return isoformat(text)
    parsed = dateparser.parse(
        value,
        languages=["de", "en"],
        settings={
            "DATE_ORDER": "DMY",
            "TIMEZONE": "Europe/Berlin",
            "RETURN_AS_TIMEZONE_AWARE": True,
            "PREFER_DAY_OF_MONTH": "first",
            "STRICT_PARSING": True,
            # no "gestern"/"vor 2 Stunden": relative to what? (the fetch, an archive's capture?)
            "PARSERS": ["timestamp", "absolute-time", "custom-formats"],
        },
    )
    return isoformat(parsed) if parsed else None


def utc_to_local(value: str | None) -> str | None:
    """A naive UTC timestamp (WordPress ``date_gmt``) → Berlin ISO string."""
    if not value:
        return None
    iso = _ISO.match(value)
    if not iso or not iso.group("hh"):
        return parse_datetime(value)
    parsed = datetime.fromisoformat(value.strip().rstrip("Z")[:19]).replace(tzinfo=UTC)
    return isoformat(parsed)
