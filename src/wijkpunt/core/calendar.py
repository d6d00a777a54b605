"""Office calendar: working days per organisation (weekly office hours, Dutch public holidays
and extra closed days). Used for handling deadlines (and later for on-call office hours)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEFAULT_HOURS = {d: [(dt.time(8, 30), dt.time(17, 0))] for d in range(5)}


@lru_cache(maxsize=64)
def dutch_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("NL", years=year, language="nl"))


@dataclass(frozen=True)
class OfficeCalendar:
    """A snapshot of one organisation's office calendar, cheap to query repeatedly."""

    hours: dict[int, list[tuple[dt.time, dt.time]]]
    closed_days: frozenset[dt.date] = frozenset()

    @classmethod
    def for_organisation(cls, organisation) -> OfficeCalendar:
        if organisation is None:
            return cls(hours=DEFAULT_HOURS)
        hours: dict[int, list[tuple[dt.time, dt.time]]] = {}
        for row in organisation.office_hours.all():
            hours.setdefault(row.weekday, []).append((row.opens, row.closes))
        closed = frozenset(organisation.closed_days.values_list("date", flat=True))
        return cls(hours=hours or DEFAULT_HOURS, closed_days=closed)

    def holiday_name(self, day: dt.date) -> str | None:
        return dutch_holidays(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.hours.get(day.weekday())) and day not in self.closed_days and not self.holiday_name(day)

    def is_open(self, moment: dt.datetime) -> bool:
        local = moment.astimezone(AMSTERDAM)
        if not self.is_working_day(local.date()):
            return False
        return any(opens <= local.time() < closes for opens, closes in self.hours[local.weekday()])

    def closing_time(self, day: dt.date) -> dt.datetime:
        closes = max(c for _o, c in self.hours[day.weekday()])
        return dt.datetime.combine(day, closes, tzinfo=AMSTERDAM)

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The close of business on the ``days``-th working day after the day of ``start``.

        As with legal time limits, counting starts the day after receipt: a report made on Friday,
        during or after office hours, with one working day gets Monday's closing time. ``days=0``
        means "by the end of today's office hours" (or the next working day when already closed).
        """
        local = start.astimezone(AMSTERDAM)
        day = local.date()
        if days <= 0:
            if self.is_working_day(day) and local < self.closing_time(day):
                return self.closing_time(day)
            return self.closing_time(self.next_working_day(day))
        for _ in range(days):
            day = self.next_working_day(day)
        return self.closing_time(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        for _ in range(400):
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError("no working day within a year: check the office hours")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count
