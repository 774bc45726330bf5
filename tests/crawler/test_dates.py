"""Page timestamps → Berlin ISO strings."""

import pytest

from crawler.dates import parse_datetime, utc_to_local


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("29. Mai 2019 um 17:39", "2019-05-29T17:39:00+02:00"),
        ("1. November 2023 um 11:54 Uhr", "2023-11-01T11:54:00+01:00"),
        ("9. Januar 2024 um 10:15", "2024-01-09T10:15:00+01:00"),
        ("Juli 30, 2013 um 2:33 pm", "2013-07-30T14:33:00+02:00"),
        ("5. Jan. 2024", "2024-01-05T00:00:00+01:00"),
        ("Freitag, den 5. Januar 2024", "2024-01-05T00:00:00+01:00"),
        ("9.1.2024", "2024-01-09T00:00:00+01:00"),  # never September
        ("09.01.24", "2024-01-09T00:00:00+01:00"),
        ("Stand: 09.01.2024, 17:05 Uhr", "2024-01-09T17:05:00+01:00"),
        ("2024-01-10 14:20:00", "2024-01-10T14:20:00+01:00"),  # naive → Berlin
        ("2024-01-09T13:19+02:00", "2024-01-09T12:19:00+01:00"),
        ("2024-01-09T09:00:00Z", "2024-01-09T10:00:00+01:00"),
        ("2024-01-09", "2024-01-09T00:00:00+01:00"),
        ("17.07, 2011 @ 13:04", None),
        ("", None),
        ("kein Datum", None),
        ("gestern", None),  # relative page dates are not guessed against the wall clock
        ("vor 2 Stunden", None),
    ],
)
def test_parse_datetime(raw: str, expected: str | None) -> None:
    assert parse_datetime(raw) == expected


def test_json_ld_zulu_read_as_local_when_the_site_mislabels_it() -> None:
    assert parse_datetime("2024-01-09T14:26:01Z", assume_local=True) == "2024-01-09T14:26:01+01:00"


def test_wordpress_gmt_to_local() -> None:
    assert utc_to_local("2024-01-09T09:15:12") == "2024-01-09T10:15:12+01:00"
    assert utc_to_local("2019-05-29T15:39:12") == "2019-05-29T17:39:12+02:00"
    assert utc_to_local(None) is None


def test_rfc2822_dates_of_feeds_and_headers_are_utc_aware() -> None:
    assert parse_datetime("Wed, 10 Jan 2024 11:00:00 GMT") == "2024-01-10T12:00:00+01:00"
    assert parse_datetime("10 Jan 2024 11:00:00 +0100") == "2024-01-10T11:00:00+01:00"
