"""The monthly meeting: agenda from the month's reports of the programme's volunteers with their
current status and latest public update, refreshable; attendance, notes, actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from wijkpunt.cases.tests.factories import make_report
from wijkpunt.reports import services as report_services
from wijkpunt.volunteers import meetings
from wijkpunt.volunteers.models import MeetingAction, MonthlyMeeting

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def month_reports(vw):
    month = dt.date(2026, 10, 1)
    henk1 = make_report(vw.jansen, None, at=_at(dt.date(2026, 10, 3)), channel="BEZ",
                        user=vw.henk.user)
    gulsen1 = make_report(vw.bakker, None, at=_at(dt.date(2026, 10, 20)), channel="BEZ", user=vw.gulsen.user)
    before = make_report(vw.jansen, None, at=_at(dt.date(2026, 9, 30), 23), channel="BEZ", user=vw.henk.user)
    lotte = make_report(vw.yilmaz, None, at=_at(dt.date(2026, 10, 5)), channel="BEZ", user=vw.lotte.user)
    resident = make_report(vw.jansen, None, at=_at(dt.date(2026, 10, 6)))
    return month, {"henk1": henk1, "gulsen1": gulsen1, "before": before, "lotte": lotte, "resident": resident}


def test_meeting_agenda_is_the_months_volunteer_reports(client, vw, month_reports):
    month, r = month_reports
    client.force_login(vw.consultant)
    response = client.post(reverse("volunteers:meeting_create", args=[vw.programme.pk]), {
        "month": "2026-10", "starts_at": "2026-11-04T19:30", "location": "Buurthuis De Merel"})
    assert response.status_code == 302
    meeting = MonthlyMeeting.objects.get(programme=vw.programme)
    assert meeting.month == month
    assert set(meeting.items.values_list("report_id", flat=True)) == {r["henk1"].pk, r["gulsen1"].pk}
    # staff resolve one with a public note: the agenda shows the status and the latest update
    report_services.report_transition(report=r["henk1"], actor=vw.staff, to_status="opgelost",
                                      note="Lamp vervangen door de aannemer.", public=True)
    page = client.get(reverse("volunteers:meeting", args=[meeting.pk])).content.decode()
    assert r["henk1"].reference in page and r["gulsen1"].reference in page
    assert r["before"].reference not in page and r["lotte"].reference not in page
    assert "Lamp vervangen door de aannemer." in page and "Opgelost" in page


def test_refresh_adds_new_reports_and_a_held_meeting_is_fixed(client, vw, month_reports):
    month, r = month_reports
    meeting = meetings.meeting_create(programme=vw.programme, actor=vw.consultant, month=month,
                                      starts_at=_at(dt.date(2026, 11, 4), 19))
    late = make_report(vw.bakker, None, at=_at(dt.date(2026, 10, 31), 22), channel="BEZ", user=vw.gulsen.user)
    client.force_login(vw.consultant)
    response = client.post(reverse("volunteers:meeting_refresh", args=[meeting.pk]))
    assert response.status_code == 302
    assert late.pk in set(meeting.items.values_list("report_id", flat=True))
    change = meetings.meeting_refresh_agenda(meeting=meeting)
    assert (change.added, change.removed) == (0, 0)
    # notes + held: the agenda is fixed
    response = client.post(reverse("volunteers:meeting_notes", args=[meeting.pk]),
                           {"notes": "Besproken: verlichting Merelstraat.", "held": "on"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_held and meeting.notes == "Besproken: verlichting Merelstraat."
    response = client.post(reverse("volunteers:meeting_refresh", args=[meeting.pk]))
    assert response.status_code == 400 and "ligt vast" in response.content.decode()


def test_meeting_bad_input(client, vw, month_reports):
    month, _r = month_reports
    client.force_login(vw.consultant)
    url = reverse("volunteers:meeting_create", args=[vw.programme.pk])
    response = client.post(url, {"month": "oktober", "starts_at": "morgen"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vul een geldige maand in" in body and "Vul een geldige datum en tijd in" in body
    client.post(url, {"month": "2026-10", "starts_at": "2026-11-04T19:30"})
    response = client.post(url, {"month": "2026-10", "starts_at": "2026-11-05T19:30"})
    assert response.status_code == 400 and "Voor deze maand is al een overleg." in response.content.decode()
    assert MonthlyMeeting.objects.count() == 1
    meeting = MonthlyMeeting.objects.get()
    response = client.post(reverse("volunteers:meeting_notes", args=[meeting.pk]), {"notes": "", "held": "on"})
    assert response.status_code == 400 and "Schrijf een kort verslag" in response.content.decode()


def test_attendance_and_actions(client, vw, month_reports):
    month, _r = month_reports
    meeting = meetings.meeting_create(programme=vw.programme, actor=vw.consultant, month=month,
                                      starts_at=_at(dt.date(2026, 11, 4), 19))
    client.force_login(vw.consultant)
    response = client.post(reverse("volunteers:meeting_attendance", args=[meeting.pk]),
                           {"attendees": [vw.henk.pk, vw.gulsen.pk]})
    assert response.status_code == 302
    assert set(meeting.attendees.all()) == {vw.henk, vw.gulsen}
    # lotte is not of this programme
    response = client.post(reverse("volunteers:meeting_attendance", args=[meeting.pk]), {"attendees": [vw.lotte.pk]})
    assert response.status_code == 400
    assert set(meeting.attendees.all()) == {vw.henk, vw.gulsen}

    url = reverse("volunteers:action_add", args=[meeting.pk])
    response = client.post(url, {"text": "Wijkagent uitnodigen", "owner": vw.consultant.pk, "due_date": "2026-11-30"})
    assert response.status_code == 302
    response = client.post(url, {"text": "Lampen nalopen", "owner": vw.henk.user.pk, "due_date": ""})
    assert response.status_code == 302
    for bad in ({"text": ""}, {"text": "x", "owner": vw.lotte.user.pk}, {"text": "x", "owner": vw.other_consultant.pk},
                {"text": "x", "due_date": "gisteren"}):
        assert client.post(url, bad).status_code == 400
    assert MeetingAction.objects.count() == 2
    action = MeetingAction.objects.get(text="Wijkagent uitnodigen")
    response = client.post(reverse("volunteers:action_done", args=[action.pk]), {"done": "1"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.is_done and action.done_at is not None
    client.post(reverse("volunteers:action_done", args=[action.pk]), {"done": "0"})
    action.refresh_from_db()
    assert not action.is_done and action.done_at is None
    page = client.get(reverse("volunteers:meeting", args=[meeting.pk])).content.decode()
    assert "Wijkagent uitnodigen" in page and "Lampen nalopen" in page


def test_agenda_leaves_out_reports_filed_with_another_corporation(vw):
    # henk filed a report about a home of the other corporation: not on this corporation's agenda
    elsewhere = make_report(vw.elders, None, at=_at(dt.date(2026, 10, 8)), channel="BEZ", user=vw.henk.user)
    reports = meetings.agenda_reports(vw.programme, dt.date(2026, 10, 1))
    assert elsewhere not in list(reports)
