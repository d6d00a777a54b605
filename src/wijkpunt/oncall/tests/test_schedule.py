"""Who is on call when: rotation, local handover time (midnight, daylight saving), overrides,
absences, backup, area rosters, gap warnings; and the office calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from wijkpunt.core.calendar import AMSTERDAM, OfficeCalendar, dutch_holidays
from wijkpunt.core.models import ClosedDay, OfficeHours
from wijkpunt.oncall.gaps import roster_gap_warnings_send, roster_gaps
from wijkpunt.oncall.models import Absence, Roster, RosterMember, RosterOverride
from wijkpunt.oncall.schedule import RosterSchedule, handover_at, roster_for, roster_picture

UTC = dt.UTC
H = dt.timedelta(hours=1)


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMSTERDAM)


def hours(segment) -> dt.timedelta:
    """Real elapsed time. (Subtracting two datetimes with the same tzinfo gives wall-clock time.)"""
    return segment.end.astimezone(UTC) - segment.start.astimezone(UTC)


def on_call(roster, moment):
    return RosterSchedule(roster, moment - H, moment + H).on_call_at(moment)


def daily(world, *, starts_on, handover, members=None) -> Roster:
    roster = Roster.objects.create(organisation=world.corp, name="Dagrooster", starts_on=starts_on,
                                   handover_time=handover, rotation_days=Roster.Rotation.DAILY)
    for position, user in enumerate(members or world.members, start=1):
        RosterMember.objects.create(roster=roster, user=user, position=position)
    return roster


# -- rotation and handover -------------------------------------------------------------------------
def test_weekly_rotation_hands_over_on_monday_at_17(oncall_world):
    w = oncall_world
    assert on_call(w.roster, local(2026, 11, 2, 16, 59)) is None  # before the first handover: a gap
    assert on_call(w.roster, local(2026, 11, 2, 17, 0)) == w.anna
    assert on_call(w.roster, local(2026, 11, 9, 16, 59)) == w.anna
    assert on_call(w.roster, local(2026, 11, 9, 17, 0)) == w.bram
    assert on_call(w.roster, local(2026, 11, 18, 3, 0)) == w.cees
    assert on_call(w.roster, local(2026, 11, 23, 17, 0)) == w.anna  # round again


def test_handover_is_exactly_at_the_local_time_whatever_the_zone_of_the_question(oncall_world):
    w = oncall_world
    handover = local(2026, 11, 9, 17, 0)
    assert handover.astimezone(UTC) == dt.datetime(2026, 11, 9, 16, 0, tzinfo=UTC)  # winter: UTC+1
    assert on_call(w.roster, dt.datetime(2026, 11, 9, 15, 59, 59, tzinfo=UTC)) == w.anna
    assert on_call(w.roster, dt.datetime(2026, 11, 9, 16, 0, tzinfo=UTC)) == w.bram
    segments = RosterSchedule(w.roster, local(2026, 11, 9, 12, 0), local(2026, 11, 10, 12, 0)).timeline()
    assert [(s.start, s.user) for s in segments][1] == (handover, w.bram)


def test_handover_just_after_midnight(oncall_world):
    w = oncall_world
    roster = daily(w, starts_on=dt.date(2026, 11, 2), handover=dt.time(0, 30))
    # shift k starts at 00:30 on 2 November + k days: 10 November 00:30 starts shift 8
    first, second = on_call(roster, local(2026, 11, 10, 0, 29)), on_call(roster, local(2026, 11, 10, 0, 30))
    assert first == w.members[7 % 3] and second == w.members[8 % 3] and first != second
    assert on_call(roster, local(2026, 11, 9, 23, 59)) == first  # the evening before belongs to the old shift
    assert on_call(roster, local(2026, 11, 2, 0, 29)) is None  # before the very first handover
    timeline = RosterSchedule(roster, local(2026, 11, 9, 20, 0), local(2026, 11, 10, 20, 0)).timeline()
    assert [s.start for s in timeline[1:]] == [local(2026, 11, 10, 0, 30)]


def test_a_shift_spans_midnight(oncall_world):
    w = oncall_world
    roster = daily(w, starts_on=dt.date(2026, 11, 2), handover=dt.time(17, 0))
    evening, night, morning = local(2026, 11, 5, 23, 59), local(2026, 11, 6, 0, 1), local(2026, 11, 6, 16, 59)
    assert on_call(roster, evening) == on_call(roster, night) == on_call(roster, morning) == w.members[3 % 3]
    assert on_call(roster, local(2026, 11, 6, 17, 0)) == w.members[4 % 3]
    segment = RosterSchedule(roster, evening, evening + dt.timedelta(minutes=5)).timeline()
    assert len(segment) == 1 and segment[0].user == w.anna


# -- daylight saving time (Europe/Amsterdam: last Sunday of March and of October) -------------------
@pytest.mark.parametrize(("starts_on", "shift_start", "length"), [
    (dt.date(2026, 3, 2), local(2026, 3, 23, 17, 0), 167),    # Monday → Monday over 29 March (spring)
    (dt.date(2026, 3, 1), local(2026, 3, 22, 17, 0), 167),    # Sunday → Sunday 29 March 17:00
    (dt.date(2026, 3, 2), local(2026, 10, 19, 17, 0), 169),   # Monday → Monday over 25 October (autumn)
    (dt.date(2026, 3, 1), local(2026, 10, 18, 17, 0), 169),   # Sunday → Sunday 25 October 17:00
])
def test_weekly_shift_over_a_daylight_saving_change(oncall_world, starts_on, shift_start, length):
    w = oncall_world
    w.roster.starts_on = starts_on
    w.roster.save()
    schedule = RosterSchedule(w.roster, shift_start - H, shift_start + dt.timedelta(days=8))
    segment = next(s for s in schedule.timeline() if s.start == shift_start)
    assert hours(segment) == dt.timedelta(hours=length)
    end_local = segment.end.astimezone(AMSTERDAM)
    assert (end_local.weekday(), end_local.hour, end_local.minute) == (shift_start.weekday(), 17, 0)
    assert end_local.utcoffset() != shift_start.utcoffset()  # the clock changed in between


def test_daily_handover_at_0230_on_the_spring_forward_day(oncall_world):
    """On Sunday 29 March 2026 the clock jumps from 02:00 to 03:00: 02:30 does not exist. The
    handover is then read with the winter offset (zoneinfo, fold=0): 02:30+01:00 = 01:30 UTC =
    03:30 summer time. That shift lasts 24 hours from the day before, the next one 23 hours.
    On the autumn day 02:30 happens twice; the handover is at the first one (summer time)."""
    w = oncall_world
    roster = daily(w, starts_on=dt.date(2026, 3, 27), handover=dt.time(2, 30))
    before, after = w.members[1], w.members[2]  # shifts 1 (28 March) and 2 (29 March)
    assert handover_at(roster, 2).astimezone(UTC) == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert on_call(roster, dt.datetime(2026, 3, 29, 1, 29, tzinfo=UTC)) == before  # 03:29 summer time
    assert on_call(roster, dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)) == after   # 03:30 summer time
    start = dt.datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
    lengths = [hours(s) for s in RosterSchedule(roster, start, start + dt.timedelta(days=4)).timeline()]
    assert lengths[1:3] == [dt.timedelta(hours=24), dt.timedelta(hours=23)]
    autumn = daily(w, starts_on=dt.date(2026, 10, 20), handover=dt.time(2, 30))
    assert handover_at(autumn, 5).astimezone(UTC) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_the_answer_does_not_depend_on_the_zone_of_the_question(oncall_world):
    roster = daily(oncall_world, starts_on=dt.date(2026, 3, 27), handover=dt.time(2, 30))
    as_amsterdam = local(2026, 3, 29, 3, 0)
    assert on_call(roster, as_amsterdam) == on_call(roster, as_amsterdam.astimezone(UTC))


# -- overrides, absences, backup -------------------------------------------------------------------
NOW = local(2026, 11, 24, 12, 0)  # Tuesday, in the shift that began Monday 23 November 17:00 (anna's)


def override(roster, start, end, user, *, created, reason=""):
    return RosterOverride.objects.create(roster=roster, starts_at=start, ends_at=end, user=user, reason=reason,
                                         created_at=created)


def test_latest_override_wins_and_an_override_with_nobody_is_a_gap(oncall_world):
    w = oncall_world
    assert on_call(w.roster, NOW) == w.anna  # shift of Monday 23 November
    override(w.roster, NOW - 5 * H, NOW + 5 * H, w.cees, created=NOW - 48 * H, reason="ruil")
    override(w.roster, NOW - H, NOW + H, w.bram, created=NOW - 24 * H, reason="ruil 2")
    override(w.roster, NOW + 2 * H, NOW + 3 * H, None, created=NOW - 12 * H, reason="niemand beschikbaar")
    schedule = RosterSchedule(w.roster, NOW - 6 * H, NOW + 6 * H)
    assert schedule.on_call_at(NOW) == w.bram  # the later override wins where they overlap
    assert schedule.on_call_at(NOW - 2 * H) == w.cees
    gap = schedule.segment_at(NOW + 2 * H)
    assert gap.is_gap and gap.source == "wissel" and gap.reason == "niemand beschikbaar"
    assert [(s.user, s.source) for s in schedule.timeline()] == [
        (w.anna, "rotatie"), (w.cees, "wissel"), (w.bram, "wissel"), (w.cees, "wissel"), (None, "wissel"),
        (w.cees, "wissel"), (w.anna, "rotatie")]
    assert [(g.start, g.end) for g in schedule.gaps()] == [(NOW + 2 * H, NOW + 3 * H)]


def test_the_roster_picture_equals_a_schedule_loaded_for_the_view_alone(oncall_world):
    """roster_picture loads a wider window once (for whole gaps); its timeline of the view must be
    exactly what a schedule of just that window gives."""
    w = oncall_world
    override(w.roster, NOW - 5 * H, NOW + 5 * H, w.cees, created=NOW - 48 * H, reason="ruil")
    override(w.roster, NOW + 30 * H, NOW + 40 * H, None, created=NOW - 12 * H, reason="niemand beschikbaar")
    Absence.objects.create(user=w.bram, starts_at=NOW + 8 * 24 * H, ends_at=NOW + 9 * 24 * H, reason="Ziek")
    picture = roster_picture(w.roster, NOW)
    narrow = RosterSchedule(w.roster, NOW, NOW + dt.timedelta(days=14))
    assert picture.timeline == narrow.timeline()
    assert picture.backup == narrow.backup_at(NOW)
    assert picture.gaps == roster_gaps(w.roster, now=NOW)


def test_absence_without_override_is_a_gap_and_an_override_covers_it(oncall_world):
    w = oncall_world
    Absence.objects.create(user=w.anna, starts_at=NOW - H, ends_at=NOW + 10 * H, reason="Ziek")
    schedule = RosterSchedule(w.roster, NOW - 2 * H, NOW + 12 * H)
    segment = schedule.segment_at(NOW)
    assert segment.is_gap and segment.source == "afwezig" and segment.reason == "Ziek"
    assert [(g.start, g.end) for g in schedule.gaps()] == [(NOW - H, NOW + 10 * H)]

    override(w.roster, NOW - H, NOW + 10 * H, w.cees, created=NOW - 30 * H)
    schedule = RosterSchedule(w.roster, NOW - 2 * H, NOW + 12 * H)
    assert schedule.on_call_at(NOW) == w.cees and schedule.gaps() == []


def test_an_absent_replacement_is_a_gap_too(oncall_world):
    w = oncall_world
    override(w.roster, NOW - H, NOW + H, w.cees, created=NOW - 30 * H)
    Absence.objects.create(user=w.cees, starts_at=NOW - 2 * H, ends_at=NOW + 2 * H, reason="Vakantie")
    segment = RosterSchedule(w.roster, NOW - 3 * H, NOW + 3 * H).segment_at(NOW)
    assert segment.is_gap and segment.source == "afwezig"


def test_backup_is_the_next_in_rotation_who_is_not_absent(oncall_world):
    w = oncall_world
    schedule = RosterSchedule(w.roster, NOW - H, NOW + H)
    assert schedule.on_call_at(NOW) == w.anna and schedule.backup_at(NOW) == w.bram
    Absence.objects.create(user=w.bram, starts_at=NOW - H, ends_at=NOW + H, reason="Ziek")
    assert RosterSchedule(w.roster, NOW - H, NOW + H).backup_at(NOW) == w.cees
    Absence.objects.create(user=w.anna, starts_at=NOW - H, ends_at=NOW + H, reason="Ziek")
    schedule = RosterSchedule(w.roster, NOW - H, NOW + H)
    assert schedule.on_call_at(NOW) is None and schedule.backup_at(NOW) == w.cees


def test_inactive_user_is_a_gap(oncall_world):
    w = oncall_world
    w.anna.is_active = False
    w.anna.save()
    schedule = RosterSchedule(w.roster, NOW - H, NOW + H)
    assert schedule.segment_at(NOW).is_gap and schedule.backup_at(NOW) == w.bram


def test_roster_that_starts_in_the_future_is_a_gap_until_then(oncall_world):
    w = oncall_world
    w.roster.starts_on = dt.date(2026, 11, 30)
    w.roster.save()
    timeline = RosterSchedule(w.roster, NOW, NOW + dt.timedelta(days=14)).timeline()
    assert timeline[0].is_gap and timeline[0].end == local(2026, 11, 30, 17, 0)
    assert timeline[1].user == w.anna
    assert RosterSchedule(w.roster, NOW, NOW + H).backup_at(NOW) is None


def test_who_is_on_call_now_and_next(oncall_world):
    w = oncall_world
    picture = roster_picture(w.roster, NOW)
    now, following = picture.now, picture.next
    assert now.user == w.anna and following.user == w.bram and following.start == local(2026, 11, 30, 17, 0)


def test_area_roster_wins_over_the_general_one(oncall_world):
    w = oncall_world
    area = Roster.objects.create(organisation=w.corp, name="Vogelwijk", starts_on=dt.date(2026, 11, 2))
    area.neighbourhoods.add(w.buurt)
    assert roster_for(w.corp.pk, w.buurt.pk) == area
    assert roster_for(w.corp.pk, w.buurt2.pk) == w.roster
    assert roster_for(w.corp.pk, None) == w.roster
    assert roster_for(w.other_corp.pk, w.buurt.pk) == w.other_roster
    area.is_active = False
    area.save()
    assert roster_for(w.corp.pk, w.buurt.pk) == w.roster


# -- gap warnings ----------------------------------------------------------------------------------
def test_gaps_within_the_warning_days_only(oncall_world):
    w = oncall_world
    Absence.objects.create(user=w.bram, starts_at=local(2026, 12, 1, 9, 0), ends_at=local(2026, 12, 2, 9, 0))
    Absence.objects.create(user=w.cees, starts_at=local(2026, 12, 10, 9, 0), ends_at=local(2026, 12, 11, 9, 0))
    assert [g.start for g in roster_gaps(w.roster, now=NOW)] == [local(2026, 12, 1, 9, 0)]  # 14 days ahead
    assert len(roster_gaps(w.roster, now=NOW, days=21)) == 2


def test_gap_warning_mails_the_coordinator_once_per_gap(oncall_world, django_capture_on_commit_callbacks):
    w = oncall_world
    Absence.objects.create(user=w.bram, starts_at=local(2026, 12, 1, 9, 0), ends_at=local(2026, 12, 2, 9, 0),
                           reason="Vakantie")
    for now in (NOW, NOW + H):  # the daily job runs again: the same gap is not mailed twice
        with django_capture_on_commit_callbacks(execute=True):
            assert roster_gap_warnings_send(now=now) == 1
    to_coordinator = [m for m in mail.outbox if m.to == [w.coordinator.email]]
    assert len(to_coordinator) == 1 and len(mail.outbox) == 1
    message = to_coordinator[0]
    assert "Achtervang Lindehof" in message.subject and "Vakantie" in message.body
    assert f"/werk/dienst/roosters/{w.roster.pk}/" in message.body


def test_a_running_gap_is_mailed_once(oncall_world, django_capture_on_commit_callbacks):
    w = oncall_world
    Absence.objects.create(user=w.anna, starts_at=NOW - H, ends_at=NOW + 30 * H, reason="Ziek")
    for now in (NOW, NOW + H):
        with django_capture_on_commit_callbacks(execute=True):
            roster_gap_warnings_send(now=now)
    assert len(mail.outbox) == 1


def test_no_gap_warning_without_a_coordinator_address(oncall_world, django_capture_on_commit_callbacks):
    w = oncall_world
    w.coordinator.email = ""
    w.coordinator.save()
    Absence.objects.create(user=w.bram, starts_at=local(2026, 12, 1, 9, 0), ends_at=local(2026, 12, 2, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        roster_gap_warnings_send(now=NOW)
    assert mail.outbox == []


# -- office calendar -------------------------------------------------------------------------------
def test_dutch_public_holidays():
    holidays = dutch_holidays(2026)
    assert holidays[dt.date(2026, 4, 27)] == "Koningsdag"
    assert dutch_holidays(2025)[dt.date(2025, 4, 26)] == "Koningsdag"  # 27 April 2025 was a Sunday
    assert {holidays[dt.date(2026, 12, 25)], holidays[dt.date(2026, 12, 26)]} == {"Eerste kerstdag",
                                                                                   "Tweede kerstdag"}
    assert holidays[dt.date(2026, 5, 24)] == "Eerste pinksterdag"
    assert holidays[dt.date(2026, 5, 25)] == "Tweede pinksterdag"
    calendar = OfficeCalendar.for_organisation(None)
    assert not calendar.is_working_day(dt.date(2026, 5, 25))  # a Monday
    assert not calendar.is_open(local(2026, 4, 27, 10, 0))
    assert calendar.is_open(local(2026, 4, 28, 10, 0))


def test_closed_days_and_opening_boundaries(oncall_world):
    w = oncall_world
    OfficeHours.objects.create(organisation=w.corp, weekday=1, opens=dt.time(8, 30), closes=dt.time(12, 0))
    OfficeHours.objects.create(organisation=w.corp, weekday=1, opens=dt.time(13, 0), closes=dt.time(17, 0))
    ClosedDay.objects.create(organisation=w.corp, date=dt.date(2026, 12, 1), reason="Personeelsdag")
    calendar = OfficeCalendar.for_organisation(w.corp)
    tuesday = dt.date(2026, 11, 24)
    assert not calendar.is_open(local(2026, 11, 24, 8, 29, 59))
    assert calendar.is_open(local(2026, 11, 24, 8, 30))
    assert calendar.is_open(local(2026, 11, 24, 11, 59, 59))
    assert not calendar.is_open(local(2026, 11, 24, 12, 30))  # lunch
    assert calendar.is_open(local(2026, 11, 24, 16, 59, 59))
    assert not calendar.is_open(local(2026, 11, 24, 17, 0))
    assert not calendar.is_open(local(2026, 11, 23, 10, 0))  # Monday: no hours entered for that day
    assert not calendar.is_open(local(2026, 12, 1, 10, 0))  # the closed day, a Tuesday
    assert calendar.is_working_day(tuesday) and not calendar.is_working_day(dt.date(2026, 12, 1))
    # a moment in UTC is read as Amsterdam time (summer: UTC+2)
    assert calendar.is_open(dt.datetime(2026, 6, 2, 6, 30, tzinfo=UTC))
    assert not calendar.is_open(dt.datetime(2026, 6, 2, 6, 29, tzinfo=UTC))
