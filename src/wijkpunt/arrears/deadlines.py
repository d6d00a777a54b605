"""Deadlines in the arrears letters: the 14-day letter and the objection window of the reminder.

The rules and the assumptions behind them are in ``docs/arrears-letters.md``. In short:

* Art. 6:96 lid 6 BW: collection costs may be charged only after a letter (aanmaning) that gives
  the debtor fourteen days to pay. HR 13 juni 2014, ECLI:NL:HR:2014:1405: the term starts the day
  after the debtor RECEIVED the letter.
* Receipt of a posted letter is an assumption: the Nth postal delivery day after posting, N from a
  dated parameter table. Letters are not delivered on Sundays, Mondays or public holidays.
* Algemene termijnenwet (Atw) art. 1 and 3: a statutory term ending on a Saturday, Sunday or
  generally recognised holiday is extended to the next day that is none of these.

Where a rule is uncertain the code picks the later date: a deadline that is a day too late costs
the corporation a day; one that is a day too early makes the collection costs unenforceable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays

# Dated parameter table: (valid from, number of postal delivery days until a letter is taken as
# received). Since the 2024 change of the universal postal service (Postwet), PostNL's standard
# for ordinary letters is delivery within two delivery days ("D+2"); we take the letter as received
# on the second delivery day. This is an ASSUMPTION for evidence purposes, not a PostNL promise.
# A new row (e.g. when the delivery standard changes again) applies to letters posted on or after
# its date. Letters posted before the first row use the first row (conservative: D+1 applied then).
POSTAL_DELIVERY_DAYS: list[tuple[dt.date, int]] = [(dt.date(2024, 1, 1), 2)]

POST = "BRI"  # VERA COMMUNICATIEKANAAL "Brief"
EMAIL = "EMA"  # VERA COMMUNICATIEKANAAL "E-mail"
SUPPORTED_CHANNELS = (POST, EMAIL)

TERM_DAYS = 14

_ORDINALS_NL = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde", 5: "vijfde"}

WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)

# Holidays from the ``holidays`` package (English names, stable across its translations) that are
# NOT generally recognised holidays under Atw art. 3: Good Friday is not listed in the Act; Easter
# Sunday and Whit Sunday are Sundays anyway (the Act names only the second days).
_NOT_ATW = {"Good Friday", "Easter Sunday", "Whit Sunday", "Pentecost"}


@dataclass(frozen=True)
class DeadlineResult:
    received_on: dt.date  # the day the letter is taken as received
    starts_on: dt.date  # the first day of the term: the day after receipt
    deadline: dt.date  # the last day on which the tenant can still act (pay / object)
    explanation_nl: str  # how the dates were found, in Dutch, for the staff screen and the file


def format_date_nl(day: dt.date, *, weekday: bool = False) -> str:
    """``"24 maart 2026"`` or, with ``weekday``, ``"dinsdag 24 maart 2026"`` (no locale needed)."""
    text = f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"
    return f"{WEEKDAYS_NL[day.weekday()]} {text}" if weekday else text


@lru_cache(maxsize=64)
def _package_holidays(year: int) -> dict[dt.date, str]:
    """All Dutch public holidays known to the ``holidays`` package, English names."""
    return dict(holidays.country_holidays("NL", years=year, language="en_US"))


@lru_cache(maxsize=64)
def _package_holidays_nl(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("NL", years=year, language="nl"))


def atw_holiday_names(year: int) -> dict[dt.date, str]:
    """The generally recognised holidays of Atw art. 3 in ``year`` with their Dutch names.

    Nieuwjaarsdag, Tweede Paasdag, Koningsdag (26 April when 27 April is a Sunday), 5 mei
    (Bevrijdingsdag, every year, not only in lustrum years), Hemelvaartsdag, Tweede Pinksterdag,
    Eerste en Tweede Kerstdag. Not Goede Vrijdag."""
    return dict(_atw_holiday_names(year))


@lru_cache(maxsize=64)
def _atw_holiday_names(year: int) -> dict[dt.date, str]:
    english = _package_holidays(year)
    dutch = _package_holidays_nl(year)
    names = {day: dutch.get(day, name) for day, name in english.items() if name not in _NOT_ATW}
    names[dt.date(year, 5, 5)] = "Bevrijdingsdag"
    return names


def atw_holidays(year: int) -> set[dt.date]:
    return set(_atw_holiday_names(year))


def is_atw_closed_day(day: dt.date) -> bool:
    """Saturday, Sunday or an Atw holiday: a statutory term cannot end on such a day."""
    return day.weekday() >= 5 or day in _atw_holiday_names(day.year)


def is_postal_delivery_day(day: dt.date) -> bool:
    """PostNL delivers letters Tuesday to Saturday, not on public holidays.

    Conservative: every holiday in the ``holidays`` package (including Good Friday) and every Atw
    holiday (including 5 May in every year) counts as a day without delivery. A day wrongly taken
    as "no delivery" only makes the assumed receipt, and so the deadline, later."""
    if day.weekday() in (6, 0):  # Sunday, Monday
        return False
    return day not in _package_holidays(day.year) and day not in _atw_holiday_names(day.year)


def postal_delivery_days(sent_on: dt.date) -> int:
    """The number of delivery days after posting, from ``POSTAL_DELIVERY_DAYS`` valid on ``sent_on``."""
    rows = sorted(POSTAL_DELIVERY_DAYS)
    days = rows[0][1]
    for valid_from, value in rows:
        if valid_from <= sent_on:
            days = value
    return days


def _check_channel(channel: str) -> str:
    channel = str(channel)
    if channel not in SUPPORTED_CHANNELS:
        raise ValueError(f"channel must be one of {SUPPORTED_CHANNELS} (letter or e-mail), not {channel!r}")
    return channel


def received_on(sent_on: dt.date, channel: str) -> tuple[dt.date, str]:
    """The day the letter is taken as received, and a Dutch sentence saying why."""
    channel = _check_channel(channel)
    if channel == EMAIL:
        return sent_on, (
            f"De brief is op {format_date_nl(sent_on, weekday=True)} per e-mail verstuurd; "
            "we gaan ervan uit dat hij dezelfde dag is ontvangen."
        )
    count = postal_delivery_days(sent_on)
    day, delivered = sent_on, 0
    while delivered < count:
        day += dt.timedelta(days=1)
        delivered += is_postal_delivery_day(day)
    return day, (
        f"De brief is op {format_date_nl(sent_on, weekday=True)} per post verstuurd. We gaan ervan uit "
        f"dat hij op de {_ORDINALS_NL.get(count, f'{count}e')} bezorgdag daarna is ontvangen (geen postbezorging op zondag, maandag "
        f"en feestdagen): {format_date_nl(day, weekday=True)}."
    )


def roll_forward(day: dt.date) -> tuple[dt.date, str]:
    """Atw art. 1: move ``day`` past Saturdays, Sundays and Atw holidays; with the reason in Dutch."""
    if not is_atw_closed_day(day):
        return day, ""
    original = day
    holiday = _atw_holiday_names(day.year).get(day)
    reason = holiday or f"een {WEEKDAYS_NL[day.weekday()]}"
    while is_atw_closed_day(day):
        day += dt.timedelta(days=1)
    return day, (
        f" Die dag ({format_date_nl(original, weekday=True)}) is {reason}; volgens de Algemene "
        f"termijnenwet schuift de termijn door naar {format_date_nl(day, weekday=True)}."
    )


def fourteen_day_deadline(sent_on: dt.date, channel: str) -> DeadlineResult:
    """The last day to pay after a 14-day letter (art. 6:96 lid 6 BW), for a letter sent on ``sent_on``.

    ``channel`` is the VERA code: ``"BRI"`` (post) or ``"EMA"`` (e-mail)."""
    received, why_received = received_on(sent_on, channel)
    starts = received + dt.timedelta(days=1)
    last = received + dt.timedelta(days=TERM_DAYS)
    deadline, why_moved = roll_forward(last)
    explanation = (
        f"{why_received} De termijn van {TERM_DAYS} dagen begint de dag na ontvangst, op "
        f"{format_date_nl(starts, weekday=True)}, en loopt tot en met "
        f"{format_date_nl(last, weekday=True)}.{why_moved}"
    )
    return DeadlineResult(received_on=received, starts_on=starts, deadline=deadline, explanation_nl=explanation)


def reminder_objection_result(sent_on: dt.date, channel: str, objection_days: int) -> DeadlineResult:
    """Like :func:`fourteen_day_deadline` for the objection window of the written reminder.

    The window is ``objection_days`` (from the municipality agreement) counted from the day after
    receipt. It is not a statutory term, but a window ending on a weekend or holiday is extended the
    same way (conservative: the corporation waits a little longer before it signals)."""
    if objection_days < 1:
        raise ValueError("objection_days must be at least 1")
    received, why_received = received_on(sent_on, channel)
    starts = received + dt.timedelta(days=1)
    last = received + dt.timedelta(days=objection_days)
    deadline, why_moved = roll_forward(last)
    explanation = (
        f"{why_received} De huurder kan {objection_days} dagen na ontvangst bezwaar maken tegen het "
        f"doorgeven van de gegevens, tot en met {format_date_nl(last, weekday=True)}.{why_moved}"
    )
    return DeadlineResult(received_on=received, starts_on=starts, deadline=deadline, explanation_nl=explanation)


def reminder_objection_deadline(sent_on: dt.date, channel: str, objection_days: int) -> dt.date:
    """The last day on which the tenant can object to the signal after the reminder sent on ``sent_on``.

    ``received_on + objection_days``, moved past a Saturday, Sunday or Atw holiday. The signal may be
    sent from the day after this date (if no objection was recorded)."""
    return reminder_objection_result(sent_on, channel, objection_days).deadline
