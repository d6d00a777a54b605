"""Working days: weekends, Dutch public holidays, extra closed days, office hours."""

import datetime as dt

import pytest

from wijkpunt.core.calendar import AMSTERDAM, OfficeCalendar
from wijkpunt.core.models import ClosedDay, OfficeHours, Organisation


def at(y, m, d, h=10, minute=0):
    return dt.datetime(y, m, d, h, minute, tzinfo=AMSTERDAM)


def test_friday_afternoon_plus_one_working_day_is_monday_close():
    cal = OfficeCalendar.for_organisation(None)
    assert cal.add_working_days(at(2026, 11, 20, 14), 1) == at(2026, 11, 23, 17)


def test_counting_starts_the_day_after_receipt_whatever_the_hour():
    cal = OfficeCalendar.for_organisation(None)
    # Friday after closing, Saturday and Sunday: one working day is Monday, like Friday afternoon
    assert cal.add_working_days(at(2026, 11, 20, 18), 1) == at(2026, 11, 23, 17)
    assert cal.add_working_days(at(2026, 11, 21, 11), 1) == at(2026, 11, 23, 17)
    assert cal.add_working_days(at(2026, 11, 22, 23), 1) == at(2026, 11, 23, 17)
    # zero days: today's closing time, or the next working day's when already closed
    assert cal.add_working_days(at(2026, 11, 20, 12), 0) == at(2026, 11, 20, 17)
    assert cal.add_working_days(at(2026, 11, 20, 18), 0) == at(2026, 11, 23, 17)


def test_christmas_and_new_year_are_skipped():
    cal = OfficeCalendar.for_organisation(None)
    # Wed 23 Dec 2026 + 2 working days: 24 Dec (Thu), skip 25+26 (Christmas) and the weekend -> Mon 28 Dec
    assert cal.add_working_days(at(2026, 12, 23, 9), 2) == at(2026, 12, 28, 17)
    assert not cal.is_working_day(dt.date(2027, 1, 1))
    assert cal.holiday_name(dt.date(2027, 4, 27))  # Koningsdag


def test_kings_day_on_sunday_moves_to_saturday():
    cal = OfficeCalendar.for_organisation(None)
    assert cal.holiday_name(dt.date(2025, 4, 26)) and not cal.holiday_name(dt.date(2025, 4, 27))


@pytest.mark.django_db
def test_organisation_office_hours_and_closed_days():
    org = Organisation.objects.create(name="C", slug="c", kind="corporatie")
    for day in range(4):  # Mon-Thu only, closes at 16:00
        OfficeHours.objects.create(organisation=org, weekday=day, opens=dt.time(9), closes=dt.time(16))
    ClosedDay.objects.create(organisation=org, date=dt.date(2026, 11, 23), reason="Personeelsdag")
    cal = OfficeCalendar.for_organisation(org)
    assert not cal.is_working_day(dt.date(2026, 11, 20))  # Friday: closed
    assert not cal.is_working_day(dt.date(2026, 11, 23))  # the extra closed day
    assert cal.add_working_days(at(2026, 11, 19, 10), 1) == at(2026, 11, 24, 16)
    assert cal.is_open(at(2026, 11, 24, 15, 59)) and not cal.is_open(at(2026, 11, 24, 16))
    assert cal.working_days_between(dt.date(2026, 11, 19), dt.date(2026, 11, 26)) == 3


def test_dst_change_does_not_shift_closing_time():
    cal = OfficeCalendar.for_organisation(None)
    # last Sunday of October 2026 is 25 Oct (clocks back); Friday 23 + 1 working day = Monday 26 at 17:00 local
    deadline = cal.add_working_days(at(2026, 10, 23, 12), 1)
    assert deadline == at(2026, 10, 26, 17) and deadline.utcoffset() == dt.timedelta(hours=1)


def test_non_ascii_postcode_is_not_normalised_into_a_valid_one():
    from django.core.exceptions import ValidationError

    from wijkpunt.core.validators import normalise_postcode, validate_postcode

    assert normalise_postcode("1234 ß") != "1234SS"
    with pytest.raises(ValidationError):
        validate_postcode("1234 ß")
    assert normalise_postcode(" 1234 ab ") == "1234AB"
