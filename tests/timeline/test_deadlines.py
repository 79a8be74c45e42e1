"""Deadlines around Christmas, Easter and a bank-holiday Monday, checked against a calendar."""

from __future__ import annotations

from datetime import date

import pytest

from timeline.deadlines import (
    holidays_known_until,
    is_working_day,
    minutes_deadline,
    papers_deadline,
    working_days_before,
)


@pytest.mark.parametrize(
    ("meeting", "papers_by", "why"),
    [
        # An ordinary week: Thu 10 Oct 2019; clear working days 3, 4, 7, 8, 9 Oct; publish by Wed 2 Oct.
        (date(2019, 10, 10), date(2019, 10, 2), "weekend only"),
        # After Christmas: Thu 2 Jan 2020. Clear: 31 Dec, 30 Dec, 27 Dec, 24 Dec, 23 Dec
        # (25, 26 Dec and 1 Jan are bank holidays); publish by Fri 20 Dec 2019.
        (date(2020, 1, 2), date(2019, 12, 20), "Christmas, Boxing Day, New Year"),
        # After Easter 2020 (Good Friday 10 Apr, Easter Monday 13 Apr): Fri 17 Apr.
        # Clear: 16, 15, 14, 9, 8 Apr; publish by Tue 7 Apr.
        (date(2020, 4, 17), date(2020, 4, 7), "Good Friday and Easter Monday"),
        # After the early May bank holiday (Fri 8 May 2020, moved for VE day): Wed 13 May.
        # Clear: 12, 11, 7, 6, 5 May; publish by Mon 4 May.
        (date(2020, 5, 13), date(2020, 5, 4), "bank holiday moved to a Friday"),
        # After the spring bank-holiday Monday (27 May 2019): Tue 4 Jun.
        # Clear: 3 Jun, 31, 30, 29, 28 May; publish by Fri 24 May.
        (date(2019, 6, 4), date(2019, 5, 24), "bank-holiday Monday"),
    ],
)
def test_papers_deadline(meeting: date, papers_by: date, why: str) -> None:
    deadline = papers_deadline(meeting)
    assert deadline.day == papers_by, why
    assert deadline.holidays_known


@pytest.mark.parametrize(
    ("meeting", "minutes_by", "why"),
    [
        # Fri 4 Oct 2019 (the Strategic Board in the seed): 7–11 and 14–18 Oct; by Fri 18 Oct.
        (date(2019, 10, 4), date(2019, 10, 18), "two plain weeks"),
        # Thu 19 Dec 2019: 20, 23, 24, 27, 30, 31 Dec, 2, 3, 6, 7 Jan; by Tue 7 Jan 2020.
        (date(2019, 12, 19), date(2020, 1, 7), "Christmas and New Year"),
        # Thu 2 Apr 2020: 3, 6, 7, 8, 9, 14, 15, 16, 17, 20 Apr; by Mon 20 Apr.
        (date(2020, 4, 2), date(2020, 4, 20), "Easter"),
        # Fri 22 Aug 2025: 26–29 Aug (25 Aug is the summer bank holiday), 1–5, 8 Sep; by Mon 8 Sep.
        (date(2025, 8, 22), date(2025, 9, 8), "summer bank-holiday Monday"),
    ],
)
def test_minutes_deadline(meeting: date, minutes_by: date, why: str) -> None:
    assert minutes_deadline(meeting).day == minutes_by, why


def test_bank_holidays_are_not_working_days() -> None:
    assert not is_working_day(date(2019, 12, 25))
    assert not is_working_day(date(2019, 5, 27))
    assert not is_working_day(date(2019, 5, 25))  # a Saturday
    assert is_working_day(date(2019, 5, 28))


def test_past_the_bundled_holidays_only_weekends_count_and_the_deadline_says_so() -> None:
    last = holidays_known_until()
    later_meeting = date(last.year + 2, 1, 15)
    deadline = papers_deadline(later_meeting)
    assert not deadline.holidays_known
    assert deadline.day < later_meeting
    assert papers_deadline(date(2019, 10, 10)).holidays_known


def test_working_days_before() -> None:
    # Three working days before Wed 2 Oct 2019 is Fri 27 Sep.
    assert working_days_before(date(2019, 10, 2), 3) == date(2019, 9, 27)
