"""Appreciation: the volunteer's page (rounds, reports and what became of them, training, thanks),
thanks by staff stored and e-mailed, and the "waiting too long" list in working days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from wijkpunt.cases.tests.factories import make_report
from wijkpunt.core.models import OutboxMessage
from wijkpunt.reports import services as report_services
from wijkpunt.rounds.models import Round, RoundReport
from wijkpunt.volunteers import selectors
from wijkpunt.volunteers.models import Thanks

pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def rounds(vw):
    soon = timezone.now() + dt.timedelta(days=2)
    own = Round.objects.create(programme=vw.programme, volunteer=vw.henk, partner=vw.gulsen.user, planned_for=soon,
                               route="Merelstraat en Lijsterlaan")
    along = Round.objects.create(programme=vw.programme, volunteer=vw.gulsen, partner=vw.henk.user,
                                 planned_for=soon - dt.timedelta(days=7), route="Vinkenplein", status="gelopen")
    alone = Round.objects.create(programme=vw.programme, volunteer=vw.henk, partner=None,
                                 planned_for=soon - dt.timedelta(days=14), route="Spreeuwenhof")
    other = Round.objects.create(programme=vw.lombok_programme, volunteer=vw.lotte, partner=None,
                                 planned_for=soon, route="Kanaalstraat")
    return {"own": own, "along": along, "alone": alone, "other": other}


def test_volunteer_page_shows_rounds_reports_and_outcomes(client, vw, rounds):
    report = make_report(vw.jansen, None, channel="BEZ", user=vw.henk.user)
    RoundReport.objects.create(round=rounds["along"], report=report)
    report_services.report_transition(report=report, actor=vw.staff, to_status="opgelost",
                                      note="De losse tegel is vastgezet.", public=True)
    client.force_login(vw.henk.user)
    page = client.get(reverse("volunteers:me"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Merelstraat en Lijsterlaan" in body and "Vinkenplein" in body and "Spreeuwenhof" in body
    assert "Kanaalstraat" not in body  # lotte's round
    assert "met Gulsen" in body and "zonder loopmaatje" in body and "meegelopen" in body
    assert report.reference in body and "De losse tegel is vastgezet." in body and "tijdens een ronde" in body
    # only the partner's first name: no last name, phone or e-mail of another volunteer
    assert "Demir" not in body and "+31612345672" not in body and "gulsen@example.nl" not in body
    # no household data
    assert "Familie Jansen" not in body and "Merelstraat 12" not in body


def test_staff_see_the_volunteer_page(client, vw, rounds):
    client.force_login(vw.consultant)
    page = client.get(reverse("volunteers:volunteer", args=[vw.henk.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Merelstraat en Lijsterlaan" in body and "+31612345678" in body
    assert 'data-testid="thanks-form"' in body


def test_thanks_are_stored_and_mailed(client, vw, django_capture_on_commit_callbacks):
    client.force_login(vw.consultant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("volunteers:thank", args=[vw.henk.pk]),
                               {"text": "Dank voor je scherpe oog bij de portiekverlichting!"})
    assert response.status_code == 302
    thanks = Thanks.objects.get()
    assert thanks.volunteer == vw.henk and thanks.sent_by == vw.consultant
    assert OutboxMessage.objects.filter(idempotency_key=f"volunteers:thanks:{thanks.pk}").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [vw.henk.user.email] and "portiekverlichting" in mail.outbox[0].body
    client.force_login(vw.henk.user)
    assert "Dank voor je scherpe oog" in client.get(reverse("volunteers:me")).content.decode()


def test_thanks_bad_input(client, vw):
    client.force_login(vw.consultant)
    response = client.post(reverse("volunteers:thank", args=[vw.henk.pk]), {"text": "   "})
    assert response.status_code == 400 and "Schrijf een bedankje." in response.content.decode()
    response = client.post(reverse("volunteers:thank", args=[vw.henk.pk]), {"text": "x" * 2001})
    assert response.status_code == 400 and "hoogstens 2000" in response.content.decode()
    assert not Thanks.objects.exists() and not OutboxMessage.objects.exists()


def test_waiting_too_long_counts_working_days(vw, settings):
    settings.WIJKPUNT_VOLUNTEER_ANSWER_DAYS = 5
    friday = dt.date(2026, 10, 2)
    report = make_report(vw.jansen, None, at=_at(friday), channel="BEZ", user=vw.henk.user)
    # next Friday: 5 working days (one weekend in between, 7 calendar days): not yet too long
    assert selectors.waiting_reports([vw.henk], today=dt.date(2026, 10, 9)) == {}
    # Monday after: 6 working days
    waiting = selectors.waiting_reports([vw.henk], today=dt.date(2026, 10, 12))
    assert [(w.report, w.working_days) for w in waiting[vw.henk.pk]] == [(report, 6)]
    # a public update on Wednesday 7 October restarts the count
    report_services.report_add_note(report=report, actor=vw.staff, text="We kijken ernaar.", public=True,
                                    at=_at(dt.date(2026, 10, 7)))
    assert selectors.waiting_reports([vw.henk], today=dt.date(2026, 10, 12)) == {}
    # an internal note does not count
    report_services.report_add_note(report=report, actor=vw.staff, text="intern", public=False,
                                    at=_at(dt.date(2026, 10, 14)))
    waiting = selectors.waiting_reports([vw.henk], today=dt.date(2026, 10, 15))
    assert waiting[vw.henk.pk][0].working_days == 6
    # a resolved report is not waiting
    report_services.report_transition(report=report, actor=vw.staff, to_status="opgelost",
                                      note="Gerepareerd.", public=True, at=_at(dt.date(2026, 10, 15)))
    assert selectors.waiting_reports([vw.henk], today=dt.date(2026, 11, 30)) == {}


def test_waiting_skips_public_holidays(vw):
    # Thursday 24 December 2026; Christmas (25, 26 Dec) and the weekend do not count
    report = make_report(vw.jansen, None, at=_at(dt.date(2026, 12, 24)), channel="BEZ", user=vw.henk.user)
    waiting = selectors.waiting_reports([vw.henk], today=dt.date(2026, 12, 31), days=3)  # 28-31 Dec: 4 days
    assert [(w.report, w.working_days) for w in waiting[vw.henk.pk]] == [(report, 4)]
    assert selectors.waiting_reports([vw.henk], today=dt.date(2026, 12, 31), days=4) == {}
    waiting = selectors.waiting_reports([vw.henk], today=dt.date(2027, 1, 4), days=4)  # + 1 Jan holiday, 4 Jan
    assert waiting[vw.henk.pk][0].working_days == 5


def test_staff_waiting_list_page(client, vw, settings):
    settings.WIJKPUNT_VOLUNTEER_ANSWER_DAYS = 5
    old = make_report(vw.jansen, None, at=timezone.now() - dt.timedelta(days=30), channel="BEZ", user=vw.gulsen.user)
    make_report(vw.jansen, None, at=timezone.now() - dt.timedelta(hours=2), channel="BEZ", user=vw.henk.user)
    make_report(vw.elders, None, at=timezone.now() - dt.timedelta(days=30), channel="BEZ",
                user=vw.elders_volunteer.user)
    client.force_login(vw.consultant)
    page = client.get(reverse("volunteers:waiting"))
    body = page.content.decode()
    assert page.status_code == 200 and old.reference in body
    assert f'data-volunteer="{vw.gulsen.pk}"' in body and f'data-volunteer="{vw.henk.pk}"' not in body
    assert f'data-volunteer="{vw.elders_volunteer.pk}"' not in body
    assert "1 Bewonerskracht wacht te lang op antwoord" in client.get(reverse("volunteers:home")).content.decode()
    # the volunteer sees the same on their own page
    client.force_login(vw.gulsen.user)
    assert 'data-testid="waiting"' in client.get(reverse("volunteers:me")).content.decode()


def test_the_page_shows_the_newest_ten_reports_and_points_to_all_of_them(client, vw):
    for day in range(12):
        make_report(vw.jansen, "verlichting", channel="BEZ", user=vw.henk.user,
                    at=timezone.now() - dt.timedelta(days=day + 1))
    client.force_login(vw.henk.user)
    page = client.get(reverse("volunteers:me")).content.decode()
    assert page.count('class="wp-card"><h3') == 10
    assert "De 10 nieuwste van 12 meldingen." in page and reverse("staff:my_reports") in page
    client.force_login(vw.consultant)  # staff see the same ten and the total, no link to Henk's own list
    page = client.get(reverse("volunteers:volunteer", args=[vw.henk.pk])).content.decode()
    assert "De 10 nieuwste van 12 meldingen." in page
    # the API keeps the longer list
    api = client.get(f"/api/v1/volunteers/{vw.henk.pk}/").json()
    assert len(api["reports"]) == 12
