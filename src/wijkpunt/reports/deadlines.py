"""Handling deadlines, counted in working days of the corporation's office calendar."""

from __future__ import annotations

import datetime as dt

from wijkpunt.core.calendar import OfficeCalendar

from .models import Urgency

SPOED_HOURS = 4


def compute_deadline(*, organisation, urgency: str, category, start: dt.datetime) -> dt.datetime:
    if urgency == Urgency.SPOED:
        return start + dt.timedelta(hours=SPOED_HOURS)
    calendar = OfficeCalendar.for_organisation(organisation)
    if urgency == Urgency.HOOG:
        return calendar.add_working_days(start, 1)
    days = category.handling_days if category is not None else 5
    if urgency == Urgency.LAAG:
        days *= 2
    return calendar.add_working_days(start, max(days, 1))
