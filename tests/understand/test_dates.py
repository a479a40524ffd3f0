from datetime import date

import pytest

from hangat.understand.dates import find_date

WEDNESDAY = date(2026, 3, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("besok ya kak", date(2026, 3, 5)),
        ("can it arrive tomorrow?", date(2026, 3, 5)),
        ("lusa bisa?", date(2026, 3, 6)),
        ("dipakai 3 hari lagi", date(2026, 3, 7)),
        ("in two days", date(2026, 3, 6)),
        ("acaranya Sabtu depan", date(2026, 3, 7)),
        ("party is next Friday", date(2026, 3, 6)),
        ("next Wednesday", date(2026, 3, 11)),  # strictly after today
        ("this Wednesday", date(2026, 3, 4)),  # on or after today
        ("Jumat ini", date(2026, 3, 6)),
        ("minggu depan aja", date(2026, 3, 9)),  # next week: its Monday
        ("hari Minggu depan", date(2026, 3, 8)),  # next Sunday
        ("ibu ulang tahun 12 Mei", date(2026, 5, 12)),
        ("May 3rd", date(2026, 5, 3)),
        ("tgl 2 Maret", date(2027, 3, 2)),  # already past this year
        ("sebelum akhir bulan", date(2026, 3, 31)),
        ("by the end of the month", date(2026, 3, 31)),
    ],
)
def test_dates_resolve_against_now(text: str, expected: date) -> None:
    found = find_date(text, WEDNESDAY)
    assert found is not None and found.value == expected


@pytest.mark.parametrize("text", ["minggu ini sibuk", "I may need two", "sepatu 42", "31 Februari"])
def test_no_date_where_there_is_none(text: str) -> None:
    assert find_date(text, WEDNESDAY) is None
