"""Tests for pipelines.nlp.dates: German date expressions → value + precision.

The anchor of most tests is Tuesday 2024-01-09 10:15 (Europe/Berlin), a
typical publication time of an article about the ODAV incident.  Every case
asserts the exact output dicts, offsets included.
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from pipelines.nlp.dates import DATA_FILE, DateMention, find_dates, normalise_date

BERLIN_WINTER = timezone(timedelta(hours=1))
ANCHOR = datetime(2024, 1, 9, 10, 15, tzinfo=BERLIN_WINTER)  # a Tuesday

Row = tuple[str | None, str | None, str, int, bool, tuple[str, ...]]


def expect(text: str, *rows: Row) -> list[dict[str, Any]]:
    """Expected dicts from (value, precision, surface, start, relative, flags) rows.

    The surface must occur at ``start`` in ``text``; that is checked here so a
    wrong offset in a test case fails loudly instead of testing nothing.
    """
    out = []
    for value, precision, surface, start, relative, flags in rows:
        assert text[start : start + len(surface)] == surface, (text, surface, start)
        d: dict[str, Any] = {
            "value": value,
            "precision": precision,
            "text": surface,
            "start": start,
            "end": start + len(surface),
            "relative": relative,
        }
        if flags:
            d["flags"] = list(flags)
        out.append(d)
    return out


def found(text: str, anchor: Any = ANCHOR, lang: str = "de") -> list[dict[str, Any]]:
    return [m.to_dict() for m in find_dates(text, anchor, lang=lang)]


YI = ("year_inferred",)

# --------------------------------------------------------------------------- absolute dates

ABSOLUTE: list[tuple[str, list[Row]]] = [
    ("12.1.2024", [("2024-01-12", "day", "12.1.2024", 0, False, ())]),
    ("am 09.01.24 fiel", [("2024-01-09", "day", "09.01.24", 3, False, ("two_digit_year",))]),
    ("am 9.1. war", [("2024-01-09", "day", "9.1.", 3, True, YI)]),
    (
        "Stand: 12.01.2024, 14:30 Uhr.",
        [("2024-01-12", "day", "12.01.2024, 14:30 Uhr", 7, False, ())],
    ),
    ("am 12.1. um 10 Uhr", [("2024-01-12", "day", "12.1. um 10 Uhr", 3, True, YI)]),
    ("seit dem 5. Januar 2024", [("2024-01-05", "day", "5. Januar 2024", 9, False, ())]),
    ("am 5. Jan. 2024", [("2024-01-05", "day", "5. Jan. 2024", 3, False, ())]),
    ("am 5.Januar", [("2024-01-05", "day", "5.Januar", 3, True, YI)]),
    ("am 5. Jänner 2024", [("2024-01-05", "day", "5. Jänner 2024", 3, False, ())]),
    ("am fünften Januar 2024", [("2024-01-05", "day", "fünften Januar 2024", 3, False, ())]),
    ("Januar 2024", [("2024-01", "month", "Januar 2024", 0, False, ())]),
    ("im Januar war", [("2024-01", "month", "Januar", 3, True, YI)]),
    ("seit März", [("2024-03", "month", "März", 5, True, YI)]),
    ("im Dezember", [("2023-12", "month", "Dezember", 3, True, YI)]),
    (
        "Ende Dezember vergangenen Jahres",
        [
            (
                "2023-12",
                "month",
                "Ende Dezember vergangenen Jahres",
                0,
                True,
                ("part_of_month:late",),
            )
        ],
    ),
    ("im Jahr 2024", [("2024", "year", "Jahr 2024", 3, False, ())]),
    ("seit 2023 ist ODAV", [("2023", "year", "2023", 5, False, ())]),
    ("im Herbst 2023", [("2023", "year", "Herbst 2023", 3, False, ("season:autumn",))]),
    ("2024-01-05", [("2024-01-05", "day", "2024-01-05", 0, False, ())]),
    ("KW 2", [("2024-W02", "week", "KW 2", 0, True, ())]),
    ("in der 2. KW 2024", [("2024-W02", "week", "2. KW 2024", 7, False, ())]),
    ("an Silvester", [("2023-12-31", "day", "Silvester", 3, True, YI)]),
    ("am Dreikönigstag", [("2024-01-06", "day", "Dreikönigstag", 3, True, YI)]),
]


@pytest.mark.parametrize(("text", "rows"), ABSOLUTE, ids=[c[0] for c in ABSOLUTE])
def test_absolute_dates(text: str, rows: list[Row]) -> None:
    assert found(text) == expect(text, *rows)


# "9.1." takes the anchor's year unless that is more than ~6 months ahead.
YEARLESS = [
    ("5.3.", "2024-03-05"),  # 56 days ahead: this year
    ("1.7.", "2024-07-01"),  # 174 days ahead: this year
    ("15.8.", "2023-08-15"),  # 219 days ahead: last year
    ("20.12.", "2023-12-20"),
    ("29.2.", "2024-02-29"),
]


@pytest.mark.parametrize(("text", "value"), YEARLESS)
def test_yearless_day_takes_year_from_anchor(text: str, value: str) -> None:
    assert found(text) == expect(text, (value, "day", text, 0, True, YI))


# --------------------------------------------------------------------------- weekday + date

WEEKDAY_DATE: list[tuple[str, list[Row]]] = [
    (
        "Freitag, den 5. Januar 2024",
        [("2024-01-05", "day", "Freitag, den 5. Januar 2024", 0, False, ())],
    ),
    ("Dienstag, 9. Januar", [("2024-01-09", "day", "Dienstag, 9. Januar", 0, True, YI)]),
    ("am Dienstag (9.1.) hieß es", [("2024-01-09", "day", "Dienstag (9.1.)", 3, True, YI)]),
    ("(Montag, 8. Januar)", [("2024-01-08", "day", "Montag, 8. Januar", 1, True, YI)]),
    ("seit Montag, dem 8. Januar", [("2024-01-08", "day", "Montag, dem 8. Januar", 5, True, YI)]),
    ("Di., 9.1.2024", [("2024-01-09", "day", "Di., 9.1.2024", 0, False, ())]),
    (
        "Freitag, 5. Januar 2024, 12:00 Uhr",
        [("2024-01-05", "day", "Freitag, 5. Januar 2024, 12:00 Uhr", 0, False, ())],
    ),
]


@pytest.mark.parametrize(("text", "rows"), WEEKDAY_DATE, ids=[c[0] for c in WEEKDAY_DATE])
def test_weekday_with_date(text: str, rows: list[Row]) -> None:
    assert found(text) == expect(text, *rows)


def test_regression_weekday_den_date_resolves() -> None:
    """dateparser returns None for "Freitag, den 5. Januar 2024"; we must not."""
    m = normalise_date("Freitag, den 5. Januar 2024", None)
    assert m is not None
    assert (m.value, m.precision, m.relative, m.flags) == ("2024-01-05", "day", False, ())


def test_regression_weekday_conflict_keeps_date_and_flags() -> None:
    text = "Montag, 9. Januar 2024"  # the 9th was a Tuesday
    assert found(text) == expect(text, ("2024-01-09", "day", text, 0, False, ("weekday_conflict",)))


def test_weekday_conflict_with_yearless_date() -> None:
    text = "am Mittwoch, 9.1., meldete"
    assert found(text) == expect(
        text,
        ("2024-01-09", "day", "Mittwoch, 9.1.", 3, True, ("year_inferred", "weekday_conflict")),
    )


# --------------------------------------------------------------------------- 9.1.2024 regression


@pytest.mark.parametrize("text", ["9.1.2024", "09.01.2024", "am 9.1.2024 um 8 Uhr", "9. 1. 2024"])
def test_regression_9_1_2024_is_january_not_september(text: str) -> None:
    """dateparser's failure: month-first reading of a German date."""
    (m,) = find_dates(text, ANCHOR)
    assert (m.value, m.precision) == ("2024-01-09", "day")
    assert text[m.start : m.end] == m.text


def test_regression_9_1_2024_without_anchor() -> None:
    (m,) = find_dates("9.1.2024", None)
    assert m.value == "2024-01-09"
    assert m.relative is False


# --------------------------------------------------------------------------- parts of periods

PARTS: list[tuple[str, list[Row]]] = [
    (
        "Anfang Januar",
        [("2024-01", "month", "Anfang Januar", 0, True, (*YI, "part_of_month:early"))],
    ),
    ("Mitte Januar", [("2024-01", "month", "Mitte Januar", 0, True, (*YI, "part_of_month:mid"))]),
    (
        "bis Ende Januar",
        [("2024-01", "month", "Ende Januar", 4, True, (*YI, "part_of_month:late"))],
    ),
    (
        "Mitte Januar 2024",
        [("2024-01", "month", "Mitte Januar 2024", 0, False, ("part_of_month:mid",))],
    ),
    ("Anfang 2024", [("2024", "year", "Anfang 2024", 0, False, ("part_of_year:early",))]),
    ("Ende 2023", [("2023", "year", "Ende 2023", 0, False, ("part_of_year:late",))]),
    (
        "Ende vergangener Woche",
        [("2024-W01", "week", "Ende vergangener Woche", 0, True, ("part_of_week:late",))],
    ),
    (
        "Anfang des Jahres",
        [("2024", "year", "Anfang des Jahres", 0, True, ("part_of_year:early",))],
    ),
    ("seit Jahresbeginn", [("2024", "year", "Jahresbeginn", 5, True, ("part_of_year:early",))]),
]


@pytest.mark.parametrize(("text", "rows"), PARTS, ids=[c[0] for c in PARTS])
def test_parts_of_periods(text: str, rows: list[Row]) -> None:
    assert found(text) == expect(text, *rows)


# --------------------------------------------------------------------------- relative to the anchor

RELATIVE: list[tuple[str, list[Row]]] = [
    ("heute", [("2024-01-09", "day", "heute", 0, True, ())]),
    ("Gestern", [("2024-01-08", "day", "Gestern", 0, True, ())]),
    ("vorgestern", [("2024-01-07", "day", "vorgestern", 0, True, ())]),
    ("bis morgen", [("2024-01-10", "day", "morgen", 4, True, ())]),
    ("gestern Abend um 20 Uhr", [("2024-01-08", "day", "gestern Abend um 20 Uhr", 0, True, ())]),
    ("heute Morgen", [("2024-01-09", "day", "heute Morgen", 0, True, ())]),
    (
        "am gestrigen Dienstag",
        [("2024-01-08", "day", "gestrigen Dienstag", 3, True, ("weekday_conflict",))],
    ),
    ("am gestrigen Montag", [("2024-01-08", "day", "gestrigen Montag", 3, True, ())]),
    ("am gestrigen Abend", [("2024-01-08", "day", "gestrigen Abend", 3, True, ())]),
    ("am Montag", [("2024-01-08", "day", "Montag", 3, True, ())]),
    ("Montag war alles weg", [("2024-01-08", "day", "Montag", 0, True, ())]),
    ("am Dienstag", [("2024-01-09", "day", "Dienstag", 3, True, ())]),  # the anchor's own day
    ("am Montagabend", [("2024-01-08", "day", "Montagabend", 3, True, ())]),
    ("seit Freitag", [("2024-01-05", "day", "Freitag", 5, True, ())]),
    ("am vergangenen Dienstag", [("2024-01-02", "day", "vergangenen Dienstag", 3, True, ())]),
    ("seit vergangenem Freitag", [("2024-01-05", "day", "vergangenem Freitag", 5, True, ())]),
    ("am kommenden Montag", [("2024-01-15", "day", "kommenden Montag", 3, True, ())]),
    # "ab"/"bis" look ahead (the anchor is a Tuesday: "ab Dienstag" is today) ...
    ("ab Mittwoch soll es wieder gehen", [("2024-01-10", "day", "Mittwoch", 3, True, ())]),
    ("bis Freitag", [("2024-01-12", "day", "Freitag", 4, True, ())]),
    ("ab Dienstag", [("2024-01-09", "day", "Dienstag", 3, True, ())]),
    # ... unless the sentence is told in the past
    ("Die Seite war bis Freitag offline.", [("2024-01-05", "day", "Freitag", 18, True, ())]),
    ("nächsten Dienstag", [("2024-01-16", "day", "nächsten Dienstag", 0, True, ())]),
    ("diesen Freitag", [("2024-01-12", "day", "diesen Freitag", 0, True, ())]),
    (
        "am Freitag vergangener Woche",
        [("2024-01-05", "day", "Freitag vergangener Woche", 3, True, ())],
    ),
    ("vergangene Woche", [("2024-W01", "week", "vergangene Woche", 0, True, ())]),
    ("letzte Woche", [("2024-W01", "week", "letzte Woche", 0, True, ())]),
    ("in der vergangenen Woche", [("2024-W01", "week", "vergangenen Woche", 7, True, ())]),
    ("diese Woche", [("2024-W02", "week", "diese Woche", 0, True, ())]),
    ("kommende Woche", [("2024-W03", "week", "kommende Woche", 0, True, ())]),
    ("vergangenen Monat", [("2023-12", "month", "vergangenen Monat", 0, True, ())]),
    ("im vergangenen Jahr", [("2023", "year", "vergangenen Jahr", 3, True, ())]),
    ("in diesem Jahr", [("2024", "year", "diesem Jahr", 3, True, ())]),
    ("im Vorjahr", [("2023", "year", "Vorjahr", 3, True, ())]),
    ("am Wochenende", [("2024-W01", "week", "Wochenende", 3, True, ("weekend",))]),
    ("vor zwei Tagen", [("2024-01-07", "day", "vor zwei Tagen", 0, True, ())]),
    ("vor 14 Tagen", [("2023-12-26", "day", "vor 14 Tagen", 0, True, ())]),
    ("vor einer Woche", [("2024-W01", "week", "vor einer Woche", 0, True, ())]),
    ("vor einem Monat", [("2023-12", "month", "vor einem Monat", 0, True, ())]),
]


@pytest.mark.parametrize(("text", "rows"), RELATIVE, ids=[c[0] for c in RELATIVE])
def test_relative_to_anchor(text: str, rows: list[Row]) -> None:
    assert found(text) == expect(text, *rows)


def test_vergangene_woche_crosses_iso_year() -> None:
    text = "vergangene Woche"
    assert found(text, date(2024, 1, 3)) == expect(text, ("2023-W52", "week", text, 0, True, ()))


# --------------------------------------------------------------------------- the night rule

NIGHT: list[tuple[str, list[Row]]] = [
    (
        "in der Nacht von Donnerstag auf Freitag",
        [("2024-01-05", "day", "Nacht von Donnerstag auf Freitag", 7, True, ())],
    ),
    ("in der Nacht zum Freitag", [("2024-01-05", "day", "Nacht zum Freitag", 7, True, ())]),
    ("in der Nacht zu Samstag", [("2024-01-06", "day", "Nacht zu Samstag", 7, True, ())]),
    (
        "in der Nacht vom 4. auf den 5. Januar",
        [("2024-01-05", "day", "Nacht vom 4. auf den 5. Januar", 7, True, YI)],
    ),
    (
        "in der Nacht zum Freitag, 5. Januar 2024",
        [("2024-01-05", "day", "Nacht zum Freitag, 5. Januar 2024", 7, False, ())],
    ),
]


@pytest.mark.parametrize(("text", "rows"), NIGHT, ids=[c[0] for c in NIGHT])
def test_regression_night_is_the_following_day(text: str, rows: list[Row]) -> None:
    assert found(text) == expect(text, *rows)


def test_regression_night_thursday_to_friday_on_the_friday_itself() -> None:
    """Published Friday morning: "in der Nacht auf Freitag" is that same Friday."""
    text = "Der Angriff erfolgte in der Nacht von Donnerstag auf Freitag."
    friday = datetime(2024, 1, 5, 9, 0, tzinfo=BERLIN_WINTER)
    assert found(text, friday) == expect(
        text, ("2024-01-05", "day", "Nacht von Donnerstag auf Freitag", 28, True, ())
    )


# --------------------------------------------------------------------------- "drei Wochen danach"


def test_danach_without_reference_is_unresolved() -> None:
    text = "Drei Wochen danach war die Seite wieder online."
    assert found(text) == expect(text, (None, None, "Drei Wochen danach", 0, True, ("unresolved",)))


def test_danach_resolves_against_preceding_date() -> None:
    text = (
        "Am 5. Januar 2024 fiel alles aus; zwei Tage später und drei Wochen danach ging es weiter."
    )
    assert found(text) == expect(
        text,
        ("2024-01-05", "day", "5. Januar 2024", 3, False, ()),
        ("2024-01-07", "day", "zwei Tage später", 34, True, ()),
        ("2024-W04", "week", "drei Wochen danach", 55, True, ()),
    )


def test_folgetag_resolves_against_preceding_date() -> None:
    text = "Am 8. Januar fiel alles aus. Am Folgetag kam die Mail."
    assert found(text) == expect(
        text,
        ("2024-01-08", "day", "8. Januar", 3, True, YI),
        ("2024-01-09", "day", "Folgetag", 32, True, ()),
    )


# --------------------------------------------------------------------------- no anchor


UNRESOLVABLE: list[tuple[str, str, int, tuple[str, ...]]] = [
    ("gestern", "gestern", 0, ()),
    ("am Montag", "Montag", 3, ()),
    ("vergangene Woche", "vergangene Woche", 0, ()),
    ("vor zwei Tagen", "vor zwei Tagen", 0, ()),
    ("im Januar", "Januar", 3, ()),
    ("am 9.1.", "9.1.", 3, ()),
    ("in der Nacht zum Freitag", "Nacht zum Freitag", 7, ()),
    ("Anfang Januar", "Anfang Januar", 0, ("part_of_month:early",)),
    ("KW 2", "KW 2", 0, ()),
]


@pytest.mark.parametrize(("text", "surface", "start", "extra"), UNRESOLVABLE)
def test_regression_unresolvable_relative_is_flagged_not_guessed(
    text: str, surface: str, start: int, extra: tuple[str, ...]
) -> None:
    assert found(text, None) == expect(
        text, (None, None, surface, start, True, ("unresolved", *extra))
    )


def test_absolute_date_needs_no_anchor() -> None:
    text = "am 5. Januar 2024 und gestern"
    assert found(text, None) == expect(
        text,
        ("2024-01-05", "day", "5. Januar 2024", 3, False, ()),
        (None, None, "gestern", 22, True, ("unresolved",)),
    )


# --------------------------------------------------------------------------- not dates

NOT_DATES = [
    "seit Tagen",
    "seit einer Woche",
    "tagelang",
    "seit über zwei Monaten",
    "für drei Wochen",
    "mehr als zwei Monate",
    "mehr als zwei Monate später",
    "in den vergangenen Tagen",
    "in den letzten Wochen",
    "der letzten Jahre",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_regression_durations_are_not_dates(text: str) -> None:
    assert found(text) == []


ORDINARY = [
    "die Kammer",
    "Die Handwerkskammer hat die Seite abgeschaltet.",
    "Dieter März sagte",
    "Thomas Mai sagte",
    "Maifeiertag",
    "Tag der offenen Tür",
    "2024 Kunden",
    "über 100 Kommunen",
    "seit 2023 Kunde",
    "bis 2000 Euro",
    "Guten Morgen",
    "am Morgen",
    "montags geschlossen",
    "Rosenmontag",
    "Montag bis Freitag, 8 bis 16 Uhr",
    "Version 9.1.",
    "192.168.1.1",
    "1.000 Betriebe",
    "12:30",
    "Fr. Müller",
    "seit Mo. offline",
    "Dieter von März",
    "Die heute-show",
    "31.2.2024",
    "30. Februar",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_words_are_not_dates(text: str) -> None:
    assert found(text) == []


def test_regression_die_is_not_a_date() -> None:
    """dateparser's search_dates reads "die" as a date; we must not."""
    assert find_dates("die Kammer", ANCHOR) == []
    assert normalise_date("die", ANCHOR) is None


# --------------------------------------------------------------------------- ranges

RANGES: list[tuple[str, list[Row]]] = [
    (
        "vom 8. bis 12. Januar 2024",
        [
            ("2024-01-08", "day", "8.", 4, False, ("range_start",)),
            ("2024-01-12", "day", "12. Januar 2024", 11, False, ("range_end",)),
        ],
    ),
    (
        "8.–12.1.2024",
        [
            ("2024-01-08", "day", "8.", 0, False, ("range_start",)),
            ("2024-01-12", "day", "12.1.2024", 3, False, ("range_end",)),
        ],
    ),
    (
        "vom 28. Dezember bis 3. Januar 2024",
        [
            ("2023-12-28", "day", "28. Dezember", 4, False, ("range_start",)),
            ("2024-01-03", "day", "3. Januar 2024", 21, False, ("range_end",)),
        ],
    ),
    (
        "am 8. und 9. Januar",
        [
            ("2024-01-08", "day", "8.", 3, True, (*YI, "range_start")),
            ("2024-01-09", "day", "9. Januar", 10, True, (*YI, "range_end")),
        ],
    ),
    (
        "Von Oktober bis Dezember 2023",
        [
            ("2023-10", "month", "Oktober", 4, False, ("range_start",)),
            ("2023-12", "month", "Dezember 2023", 16, False, ("range_end",)),
        ],
    ),
    (
        "von Montag bis Mittwoch",
        [
            ("2024-01-08", "day", "Montag", 4, True, ()),
            ("2024-01-10", "day", "Mittwoch", 15, True, ()),
        ],
    ),
]


@pytest.mark.parametrize(("text", "rows"), RANGES, ids=[c[0] for c in RANGES])
def test_ranges_give_two_mentions(text: str, rows: list[Row]) -> None:
    assert found(text) == expect(text, *rows)


# --------------------------------------------------------------------------- English sources

ENGLISH: list[tuple[str, list[Row]]] = [
    ("on 5 January 2024", [("2024-01-05", "day", "5 January 2024", 3, False, ())]),
    ("on January 5, 2024", [("2024-01-05", "day", "January 5, 2024", 3, False, ())]),
    (
        "on Friday, January 5, 2024",
        [("2024-01-05", "day", "Friday, January 5, 2024", 3, False, ())],
    ),
    ("in January", [("2024-01", "month", "January", 3, True, YI)]),
    (
        "mid-January 2024",
        [("2024-01", "month", "mid-January 2024", 0, False, ("part_of_month:mid",))],
    ),
    ("yesterday", [("2024-01-08", "day", "yesterday", 0, True, ())]),
    ("last week", [("2024-W01", "week", "last week", 0, True, ())]),
    ("two days ago", [("2024-01-07", "day", "two days ago", 0, True, ())]),
    ("on Monday", [("2024-01-08", "day", "Monday", 3, True, ())]),
    ("since 2023", [("2023", "year", "2023", 6, False, ())]),
    # a day after the month makes "since January" a date, not a month
    ("since January 8, 2024", [("2024-01-08", "day", "January 8, 2024", 6, False, ())]),
]


@pytest.mark.parametrize(("text", "rows"), ENGLISH, ids=[c[0] for c in ENGLISH])
def test_english(text: str, rows: list[Row]) -> None:
    assert found(text, lang="en") == expect(text, *rows)


def test_english_month_names_are_not_german_words() -> None:
    assert found("may march", lang="en") == []


# --------------------------------------------------------------------------- API details


@pytest.mark.parametrize(
    "anchor",
    [
        ANCHOR,
        date(2024, 1, 9),
        datetime(2024, 1, 9, 23, 59),
        "2024-01-09T10:15:00+01:00",
        "2024-01-09",
    ],
)
def test_anchor_forms(anchor: Any) -> None:
    (m,) = find_dates("gestern", anchor)
    assert m.value == "2024-01-08"


def test_anchor_is_read_in_its_own_time_zone() -> None:
    late = datetime(2024, 1, 9, 23, 30, tzinfo=BERLIN_WINTER)
    (m,) = find_dates("heute", late)
    assert m.value == "2024-01-09"


def test_to_dict_omits_empty_flags() -> None:
    plain = DateMention("2024-01-05", "day", "5.1.2024", 0, 8, False)
    assert plain.to_dict() == {
        "value": "2024-01-05",
        "precision": "day",
        "text": "5.1.2024",
        "start": 0,
        "end": 8,
        "relative": False,
    }
    flagged = DateMention(None, None, "gestern", 0, 7, True, ("unresolved",))
    assert flagged.to_dict()["flags"] == ["unresolved"]
    assert json.loads(json.dumps(flagged.to_dict()))["value"] is None


NORMALISE = [
    ("gestern", ("2024-01-08", "day", "gestern", 0, 7)),
    (" Januar", ("2024-01", "month", "Januar", 1, 7)),
    ("2024", ("2024", "year", "2024", 0, 4)),
    ("Mitte Januar", ("2024-01", "month", "Mitte Januar", 0, 12)),
    ("12.01.24", ("2024-01-12", "day", "12.01.24", 0, 8)),
]


@pytest.mark.parametrize(("expr", "want"), NORMALISE)
def test_normalise_date(expr: str, want: tuple[str, str, str, int, int]) -> None:
    m = normalise_date(expr, ANCHOR)
    assert m is not None
    assert (m.value, m.precision, m.text, m.start, m.end) == want


def test_normalise_date_rejects_non_dates() -> None:
    assert normalise_date("Kammer", ANCHOR) is None
    assert normalise_date("", ANCHOR) is None


ARTICLE = """\
Cyberangriff auf IT-Dienstleister: Kammern seit Tagen offline

Straubing/Kaiserslautern. Die Websites mehrerer Handwerkskammern sind seit Montag nicht
erreichbar. Wie die ODAV AG am gestrigen Montag bestätigte, wurde ihr Rechenzentrum in der
Nacht von Donnerstag auf Freitag (4./5. Januar) angegriffen. Die Kammer der Pfalz teilte
am 8.1.2024 mit, Prüfungen fänden wie geplant statt. Bereits vergangene Woche hatten Nutzer
Störungen gemeldet. Über 100 Kommunen waren im Herbst 2023 von einem anderen Angriff betroffen.
Die Kammer rechnet damit, dass die Portale erst Ende Januar wieder laufen."""


def test_article_mentions_and_offsets() -> None:
    mentions = find_dates(ARTICLE, ANCHOR)
    got = [(m.value, m.precision, m.text) for m in mentions]
    assert got == [
        ("2024-01-08", "day", "Montag"),
        ("2024-01-08", "day", "gestrigen Montag"),
        ("2024-01-05", "day", "Nacht von Donnerstag auf Freitag"),
        ("2024-01-04", "day", "4."),
        ("2024-01-05", "day", "5. Januar"),
        ("2024-01-08", "day", "8.1.2024"),
        ("2024-W01", "week", "vergangene Woche"),
        ("2023", "year", "Herbst 2023"),
        ("2024-01", "month", "Ende Januar"),
    ]
    for m in mentions:
        assert ARTICLE[m.start : m.end] == m.text
    ends = [m.end for m in mentions]
    starts = [m.start for m in mentions]
    assert all(e <= s for e, s in zip(ends, starts[1:], strict=False))


def test_lexicon_data_covers_all_months_and_weekdays() -> None:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for lang in ("de", "en"):
        assert sorted(int(k) for k in data[lang]["months"]) == list(range(1, 13))
        assert sorted(int(k) for k in data[lang]["weekdays"]) == list(range(7))
    assert "jänner" in data["de"]["months"]["1"]["names"]


def test_speed_well_under_one_ms_per_thousand_characters() -> None:
    text = (ARTICLE + "\n\n") * 4
    text = text[:3000]
    assert len(find_dates(text, ANCHOR)) > 10
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(20):
            find_dates(text, ANCHOR)
        best = min(best, (time.perf_counter() - t0) / 20)
    assert best * 1000 / len(text) < 1.0  # ms per 1,000 characters
