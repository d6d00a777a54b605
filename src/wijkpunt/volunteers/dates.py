"""The range of dates the volunteer programme accepts (workshops, meetings, actions, start dates).

Forms accept any year the input formats parse (0001-9999); dates at the edges overflow when they are
converted to UTC or when a month's end is computed, so they are refused with a field message instead.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

MIN_YEAR = 2000
MAX_YEAR = 2099


def in_range(value: dt.date | dt.datetime | None) -> bool:
    return value is None or MIN_YEAR <= value.year <= MAX_YEAR


def range_message() -> str:
    return _("Kies een datum tussen %(min)s en %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
