"""The 14-day deadline and the objection window (``arrears/deadlines.py``).

Every case names its dates and the calendar reasoning. Postal rule: received on the 2nd delivery
day after posting; no delivery on Sundays, Mondays and holidays. Atw: a term ending on a Saturday,
Sunday or Atw holiday moves to the next day that is none of these."""

from __future__ import annotations

import datetime as dt

import pytest

from wijkpunt.arrears import deadlines
from wijkpunt.arrears.deadlines import (
    atw_holidays,
    fourteen_day_deadline,
    is_postal_delivery_day,
    reminder_objection_deadline,
    reminder_objection_result,
)

D = dt.date


def test_posted_on_friday_is_received_on_tuesday():
    # Fri 6 Mar 2026 posted. Delivery day 1 = Sat 7 Mar; Sun 8 and Mon 9 no delivery;
    # delivery day 2 = Tue 10 Mar -> received. Term: Wed 11 Mar .. Tue 24 Mar (10 + 14), a weekday.
    result = fourteen_day_deadline(D(2026, 3, 6), "BRI")
    assert result.received_on == D(2026, 3, 10)
    assert result.starts_on == D(2026, 3, 11)
    assert result.deadline == D(2026, 3, 24)


def test_posted_on_saturday_is_received_on_wednesday():
    # Sat 7 Mar 2026 posted. Sun 8, Mon 9 no delivery; day 1 = Tue 10; day 2 = Wed 11 -> received.
    # Deadline Wed 11 + 14 = Wed 25 Mar.
    result = fourteen_day_deadline(D(2026, 3, 7), "BRI")
    assert result.received_on == D(2026, 3, 11)
    assert result.deadline == D(2026, 3, 25)


def test_posted_before_easter():
    # Thu 2 Apr 2026 posted. Fri 3 Apr is Good Friday: treated as no delivery (conservative);
    # day 1 = Sat 4; Sun 5 (Easter), Mon 6 (Easter Monday) no delivery; day 2 = Tue 7 -> received.
    # Deadline Tue 7 + 14 = Tue 21 Apr.
    result = fourteen_day_deadline(D(2026, 4, 2), "BRI")
    assert result.received_on == D(2026, 4, 7)
    assert result.deadline == D(2026, 4, 21)


def test_posted_before_ascension_deadline_on_saturday_moves_to_monday():
    # Wed 13 May 2026 posted. Thu 14 May is Ascension Day: no delivery; day 1 = Fri 15; day 2 =
    # Sat 16 -> received. Sat 16 + 14 = Sat 30 May -> Sun 31 -> Mon 1 Jun 2026.
    result = fourteen_day_deadline(D(2026, 5, 13), "BRI")
    assert result.received_on == D(2026, 5, 16)
    assert result.starts_on == D(2026, 5, 17)
    assert result.deadline == D(2026, 6, 1)
    assert "zaterdag 30 mei 2026" in result.explanation_nl
    assert "maandag 1 juni 2026" in result.explanation_nl


def test_posted_before_pentecost():
    # Fri 22 May 2026 posted. Day 1 = Sat 23; Sun 24 (Whit Sunday) and Mon 25 (Whit Monday) no
    # delivery; day 2 = Tue 26 -> received. Deadline Tue 26 + 14 = Tue 9 Jun.
    result = fourteen_day_deadline(D(2026, 5, 22), "BRI")
    assert result.received_on == D(2026, 5, 26)
    assert result.deadline == D(2026, 6, 9)


def test_deadline_on_whit_monday_moves_to_tuesday():
    # E-mail Mon 11 May 2026: received the same day. 11 + 14 = Mon 25 May = Tweede Pinksterdag
    # (Atw holiday) -> Tue 26 May.
    result = fourteen_day_deadline(D(2026, 5, 11), "EMA")
    assert result.received_on == D(2026, 5, 11)
    assert result.deadline == D(2026, 5, 26)
    assert "Tweede pinksterdag" in result.explanation_nl


def test_posted_before_christmas():
    # Wed 23 Dec 2026 posted. Day 1 = Thu 24; Fri 25 and Sat 26 (Christmas) no delivery; Sun 27,
    # Mon 28 no delivery; day 2 = Tue 29 Dec -> received. Deadline Tue 29 + 14 = Tue 12 Jan 2027.
    result = fourteen_day_deadline(D(2026, 12, 23), "BRI")
    assert result.received_on == D(2026, 12, 29)
    assert result.deadline == D(2027, 1, 12)


def test_deadline_on_christmas_moves_past_the_weekend():
    # E-mail Fri 11 Dec 2026: 11 + 14 = Fri 25 Dec (Eerste Kerstdag) -> Sat 26 (Tweede Kerstdag
    # and Saturday) -> Sun 27 -> Mon 28 Dec 2026.
    assert fourteen_day_deadline(D(2026, 12, 11), "EMA").deadline == D(2026, 12, 28)


def test_year_boundary():
    # Wed 30 Dec 2026 posted. Day 1 = Thu 31 Dec; Fri 1 Jan 2027 (Nieuwjaarsdag) no delivery;
    # day 2 = Sat 2 Jan 2027 -> received. Sat 2 + 14 = Sat 16 Jan -> Sun 17 -> Mon 18 Jan 2027.
    result = fourteen_day_deadline(D(2026, 12, 30), "BRI")
    assert result.received_on == D(2027, 1, 2)
    assert result.starts_on == D(2027, 1, 3)
    assert result.deadline == D(2027, 1, 18)


def test_kings_day_2025_is_26_april():
    # 27 Apr 2025 is a Sunday, so Koningsdag is Sat 26 Apr 2025 (also in 2031).
    assert D(2025, 4, 26) in atw_holidays(2025)
    assert D(2025, 4, 27) not in atw_holidays(2025)
    assert D(2031, 4, 26) in atw_holidays(2031)
    # Thu 24 Apr 2025 posted. Day 1 = Fri 25; Sat 26 (Koningsdag) no delivery; Sun 27, Mon 28 no
    # delivery; day 2 = Tue 29 Apr -> received. Deadline Tue 29 + 14 = Tue 13 May 2025.
    assert not is_postal_delivery_day(D(2025, 4, 26))
    result = fourteen_day_deadline(D(2025, 4, 24), "BRI")
    assert result.received_on == D(2025, 4, 29)
    assert result.deadline == D(2025, 5, 13)


def test_deadline_on_kings_day_moves():
    # E-mail Mon 13 Apr 2026: 13 + 14 = Mon 27 Apr 2026 = Koningsdag -> Tue 28 Apr.
    assert fourteen_day_deadline(D(2026, 4, 13), "EMA").deadline == D(2026, 4, 28)


def test_deadline_on_sunday_moves_to_monday():
    # E-mail Sun 1 Mar 2026: 1 + 14 = Sun 15 Mar -> Mon 16 Mar.
    assert fourteen_day_deadline(D(2026, 3, 1), "EMA").deadline == D(2026, 3, 16)


def test_good_friday_is_not_an_atw_holiday():
    # E-mail Fri 20 Mar 2026: 20 + 14 = Fri 3 Apr 2026 = Good Friday: not in the Atw, so it stays.
    assert D(2026, 4, 3) not in atw_holidays(2026)
    assert fourteen_day_deadline(D(2026, 3, 20), "EMA").deadline == D(2026, 4, 3)


def test_liberation_day_every_year():
    # 5 May is an Atw holiday in every year, not only in lustrum years (2026 is not one).
    assert D(2026, 5, 5) in atw_holidays(2026)
    # E-mail Tue 21 Apr 2026: 21 + 14 = Tue 5 May 2026 -> Wed 6 May.
    assert fourteen_day_deadline(D(2026, 4, 21), "EMA").deadline == D(2026, 5, 6)


def test_atw_holidays_2026_exactly():
    assert atw_holidays(2026) == {
        D(2026, 1, 1), D(2026, 4, 6), D(2026, 4, 27), D(2026, 5, 5), D(2026, 5, 14),
        D(2026, 5, 25), D(2026, 12, 25), D(2026, 12, 26),
    }


def test_email_is_received_the_same_day():
    # E-mail Tue 10 Mar 2026: received Tue 10, term Wed 11 .. Tue 24 Mar.
    result = fourteen_day_deadline(D(2026, 3, 10), "EMA")
    assert (result.received_on, result.starts_on, result.deadline) == (D(2026, 3, 10), D(2026, 3, 11), D(2026, 3, 24))
    assert "per e-mail" in result.explanation_nl


def test_unknown_channel_is_refused():
    with pytest.raises(ValueError):
        fourteen_day_deadline(D(2026, 3, 6), "TEL")


def test_postal_days_are_a_dated_parameter(monkeypatch):
    # A (hypothetical) D+3 standard from 1 Jul 2026 applies to letters posted from that day only.
    monkeypatch.setattr(deadlines, "POSTAL_DELIVERY_DAYS", [(D(2024, 1, 1), 2), (D(2026, 7, 1), 3)])
    # Tue 30 Jun 2026 (D+2): Wed 1 Jul (1), Thu 2 Jul (2) -> received Thu 2 Jul.
    assert fourteen_day_deadline(D(2026, 6, 30), "BRI").received_on == D(2026, 7, 2)
    # Wed 1 Jul 2026 (D+3): Thu 2 (1), Fri 3 (2), Sat 4 (3) -> received Sat 4 Jul.
    assert fourteen_day_deadline(D(2026, 7, 1), "BRI").received_on == D(2026, 7, 4)


def test_objection_deadline():
    # Fri 6 Mar 2026 posted -> received Tue 10 Mar; 14 days -> Tue 24 Mar.
    assert reminder_objection_deadline(D(2026, 3, 6), "BRI", 14) == D(2026, 3, 24)
    # 7 days -> Tue 17 Mar.
    assert reminder_objection_deadline(D(2026, 3, 6), "BRI", 7) == D(2026, 3, 17)
    # E-mail Fri 6 Mar 2026: received Fri 6; 14 days -> Fri 20 Mar.
    assert reminder_objection_deadline(D(2026, 3, 6), "EMA", 14) == D(2026, 3, 20)


def test_objection_deadline_on_saturday_is_extended():
    # Wed 13 May 2026 posted -> received Sat 16 May (see Ascension above); 16 + 14 = Sat 30 May ->
    # extended (conservative) to Mon 1 Jun 2026.
    result = reminder_objection_result(D(2026, 5, 13), "BRI", 14)
    assert result.received_on == D(2026, 5, 16)
    assert result.deadline == D(2026, 6, 1)
    assert "bezwaar" in result.explanation_nl


def test_objection_days_must_be_positive():
    with pytest.raises(ValueError):
        reminder_objection_deadline(D(2026, 3, 6), "BRI", 0)
