"""Publication deadlines the LEP assurance rules set, in working days.

Agenda and papers are published five clear working days before a meeting; minutes within ten
clear working days after it. "Clear" days leave out the day of the meeting and the day of
publication; working days leave out Saturdays, Sundays and England and Wales bank holidays.

Bank holidays come from govuk-bank-holidays' bundled copy of GOV.UK's list (never the network).
Past the last year that copy covers, only weekends are counted out, and the deadline says so
(`Deadline.holidays_known` is False) so a page can warn that it may fall a day or two late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from govuk_bank_holidays.bank_holidays import BankHolidays  # type: ignore[import-untyped]

PAPERS_CLEAR_WORKING_DAYS = 5
MINUTES_CLEAR_WORKING_DAYS = 10


@dataclass(frozen=True)
class Deadline:
    day: date
    holidays_known: bool


@cache
def _bank_holidays() -> tuple[frozenset[date], date]:
    """England and Wales bank holidays, and the last day the bundled list covers."""
    source = BankHolidays(use_cached_holidays=True)
    days = frozenset(h["date"] for h in source.get_holidays(division=BankHolidays.ENGLAND_AND_WALES))
    return days, date(max(days).year, 12, 31)


def holidays_known_until() -> date:
    return _bank_holidays()[1]


def is_working_day(day: date) -> bool:
    holidays, _ = _bank_holidays()
    return day.weekday() < 5 and day not in holidays


def _step_working_days(start: date, count: int, direction: int) -> tuple[date, date]:
    """Walk `count` working days from `start` (not counting it) in `direction`; return the day
    reached and the farthest day looked at."""
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=direction)
        if is_working_day(day):
            remaining -= 1
    return day, day


def papers_deadline(meeting_day: date) -> Deadline:
    """The last working day on which papers can be published and still leave five clear working
    days before the meeting: the sixth working day before it."""
    day, farthest = _step_working_days(meeting_day, PAPERS_CLEAR_WORKING_DAYS + 1, -1)
    return Deadline(day=day, holidays_known=max(meeting_day, farthest) <= holidays_known_until())


def minutes_deadline(meeting_day: date) -> Deadline:
    """The last day minutes may be published: the tenth working day after the meeting."""
    day, farthest = _step_working_days(meeting_day, MINUTES_CLEAR_WORKING_DAYS, 1)
    return Deadline(day=day, holidays_known=farthest <= holidays_known_until())


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day` (for reminders ahead of a deadline)."""
    return _step_working_days(day, count, -1)[0]
