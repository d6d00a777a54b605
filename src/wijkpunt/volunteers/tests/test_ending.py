"""Ending a volunteer ("Stoppen als Bewonerskracht") and starting them again: the role, teams and
planned rounds in one transaction; the own page stays read-only; the forbidden paths."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from wijkpunt.core.models import Membership, OutboxMessage
from wijkpunt.core.permissions import clear_perm_cache, orgs_with_perm
from wijkpunt.rounds.models import Round
from wijkpunt.teams.models import Team, TeamMember
from wijkpunt.volunteers import ending, meetings, training
from wijkpunt.volunteers.models import Attendance, Volunteer, VolunteerChange

pytestmark = pytest.mark.django_db

VOLUNTEER_PERMS = ["rounds.walk_round", "teams.work_in_team", "reports.file_volunteer_report",
                   "oncall.request_help", "network.view_shared_contacts"]


def _perms(user) -> dict[str, bool]:
    clear_perm_cache(user)
    return {perm: bool(orgs_with_perm(user, perm)) for perm in VOLUNTEER_PERMS}


@pytest.fixture
def setup(vw):
    now = timezone.now()
    team = Team.objects.create(corporation=vw.corp, kind="klusteam", name="Klusteam Vogelwijk", programme=vw.programme)
    green = Team.objects.create(corporation=vw.corp, kind="groenteam", name="Groenteam Vogelwijk")
    TeamMember.objects.create(team=team, volunteer=vw.henk, is_coordinator=True)
    TeamMember.objects.create(team=green, volunteer=vw.henk)
    TeamMember.objects.create(team=team, volunteer=vw.gulsen)
    rounds = {
        "own_future": Round.objects.create(programme=vw.programme, volunteer=vw.henk, partner=vw.gulsen.user,
                                           planned_for=now + dt.timedelta(days=3), route="Merelstraat"),
        "own_walked": Round.objects.create(programme=vw.programme, volunteer=vw.henk, partner=None,
                                           planned_for=now - dt.timedelta(days=10), route="Lijsterlaan",
                                           status=Round.Status.WALKED),
        "own_old_planned": Round.objects.create(programme=vw.programme, volunteer=vw.henk, partner=None,
                                                planned_for=now - dt.timedelta(days=3), route="Vinkenplein"),
        "partner_future": Round.objects.create(programme=vw.programme, volunteer=vw.gulsen, partner=vw.henk.user,
                                               planned_for=now + dt.timedelta(days=5), route="Spreeuwenhof"),
        "partner_walked": Round.objects.create(programme=vw.programme, volunteer=vw.gulsen, partner=vw.henk.user,
                                               planned_for=now - dt.timedelta(days=20), route="Kwartelpad",
                                               status=Round.Status.WALKED),
    }
    return {"team": team, "green": green, "rounds": rounds}


def _end(client, vw, volunteer=None, follow=False, **data):
    data.setdefault("ended_on", timezone.localdate().isoformat())
    return client.post(reverse("volunteers:end", args=[(volunteer or vw.henk).pk]), data, follow=follow)


def test_ending_removes_role_teams_and_planned_rounds_at_once(client, vw, setup):
    henk = vw.henk.user
    assert all(_perms(henk).values())
    client.force_login(vw.consultant)
    page = client.get(reverse("volunteers:volunteer", args=[vw.henk.pk])).content.decode()
    assert 'data-testid="end-form"' in page and "Stoppen als Bewonerskracht" in page
    assert f'value="{timezone.localdate().isoformat()}"' in page  # the end date defaults to today
    response = _end(client, vw, reason="Verhuisd naar Amersfoort")
    assert response.status_code == 302
    vw.henk.refresh_from_db()
    assert vw.henk.ended_on == timezone.localdate() and vw.henk.end_reason == "Verhuisd naar Amersfoort"
    assert not vw.henk.is_active
    change = VolunteerChange.objects.get(volunteer=vw.henk)
    assert (change.kind, change.on, change.by) == ("gestopt", timezone.localdate(), vw.consultant)
    # every volunteer permission is gone; the account stays active
    assert not any(_perms(henk).values())
    assert not Membership.objects.filter(user=henk).exists()
    henk.refresh_from_db()
    assert henk.is_active
    # out of both teams; gulsen stays
    assert not TeamMember.objects.filter(volunteer=vw.henk).exists()
    assert TeamMember.objects.filter(volunteer=vw.gulsen).count() == 1
    r = {k: Round.objects.get(pk=v.pk) for k, v in setup["rounds"].items()}
    assert r["own_future"].status == Round.Status.CANCELLED
    assert r["own_walked"].status == Round.Status.WALKED
    assert r["own_old_planned"].status == Round.Status.PLANNED  # before the end date: left alone
    assert r["partner_future"].status == Round.Status.PLANNED and r["partner_future"].partner is None
    assert not r["partner_future"].is_pair  # flagged "zonder loopmaatje"
    assert r["partner_walked"].partner == henk  # history stays
    # nothing is sent
    assert not OutboxMessage.objects.exists() and not mail.outbox
    # others are untouched
    assert all(_perms(vw.gulsen.user).values())
    page = client.get(reverse("volunteers:volunteer", args=[vw.henk.pk])).content.decode()
    assert 'data-testid="restart-form"' in page and 'data-testid="end-form"' not in page
    assert "Verhuisd naar Amersfoort" in page


def test_ending_in_the_service_clears_the_cache_of_the_passed_user(vw):
    user = vw.henk.user
    assert orgs_with_perm(user, "rounds.walk_round")  # cached on the instance
    ending.volunteer_end(volunteer=vw.henk, actor=vw.consultant, ended_on=timezone.localdate())
    assert not orgs_with_perm(user, "rounds.walk_round")


def test_stopped_volunteer_still_sees_own_page_read_only(client, vw, setup):
    from wijkpunt.network.models import ContactPoint

    point = ContactPoint.objects.create(owner=vw.corp, kind="wijkagent", name="Wijkagent Vogelwijk",
                                        handles="Overlast", phone_office_hours="0900-8844",
                                        shared_with_volunteers=True)
    point.neighbourhoods.set([vw.vogelwijk])
    ending.volunteer_end(volunteer=vw.henk, actor=vw.consultant, ended_on=timezone.localdate(),
                         reason="Geen tijd meer")
    client.force_login(vw.henk.user)
    page = client.get(reverse("volunteers:me"))
    body = page.content.decode()
    assert page.status_code == 200 and 'data-testid="ended-notice"' in body
    assert "Merelstraat" in body and "Lijsterlaan" in body  # rounds stay visible
    assert "Wijkagent Vogelwijk" not in body and 'data-testid="contacts"' not in body
    assert "Geen tijd meer" not in body  # the reason is for staff
    assert 'data-testid="end-form"' not in body and 'data-testid="restart-form"' not in body and 'data-testid="thanks-form"' not in body
    # the overview sends them to their own page; the API works; the staff pages stay closed
    assert client.get(reverse("volunteers:home")).url == reverse("volunteers:me")
    api = client.get(reverse("api:volunteers-me"))
    assert api.status_code == 200 and api.json()["is_active"] is False and api.json()["contacts"] == []
    assert client.get(reverse("volunteers:volunteer", args=[vw.henk.pk])).status_code == 302  # → own page
    assert client.get(reverse("volunteers:volunteer", args=[vw.gulsen.pk])).status_code == 404
    assert client.get(reverse("rounds:plan")).status_code == 403
    assert client.post(reverse("volunteers:restart", args=[vw.henk.pk]), {"reason": "x"}).status_code == 404


def test_restart_gives_the_role_back_with_a_reason(client, vw, setup):
    ending.volunteer_end(volunteer=vw.henk, actor=vw.consultant, ended_on=timezone.localdate())
    client.force_login(vw.consultant)
    response = client.post(reverse("volunteers:restart", args=[vw.henk.pk]), {"reason": "  "})
    assert response.status_code == 400 and "Geef een reden." in response.content.decode()
    response = client.post(reverse("volunteers:restart", args=[vw.henk.pk]), {"reason": "x" * 2001})
    assert response.status_code == 400 and "hoogstens 2000" in response.content.decode()
    vw.henk.refresh_from_db()
    assert vw.henk.ended_on is not None
    response = client.post(reverse("volunteers:restart", args=[vw.henk.pk]), {"reason": "Toch weer tijd"})
    assert response.status_code == 302
    vw.henk.refresh_from_db()
    assert vw.henk.ended_on is None and vw.henk.end_reason == "" and vw.henk.is_active
    assert all(_perms(vw.henk.user).values())
    assert Membership.objects.filter(user=vw.henk.user, organisation=vw.corp,
                                     role=Group.objects.get(name="bewonerskracht")).count() == 1
    kinds = list(VolunteerChange.objects.filter(volunteer=vw.henk).values_list("kind", "reason"))
    assert kinds == [("herstart", "Toch weer tijd"), ("gestopt", "")]
    page = client.get(reverse("volunteers:volunteer", args=[vw.henk.pk])).content.decode()
    assert "Toch weer tijd" in page and 'data-testid="end-form"' in page
    # restarting twice: a message, no second membership
    response = client.post(reverse("volunteers:restart", args=[vw.henk.pk]), {"reason": "Nog eens"}, follow=True)
    assert response.status_code == 200 and "is nog actief als Bewonerskracht" in response.content.decode()
    assert VolunteerChange.objects.filter(volunteer=vw.henk).count() == 2
    # and ending again works
    ending.volunteer_end(volunteer=vw.henk, actor=vw.consultant, ended_on=timezone.localdate())
    assert not any(_perms(vw.henk.user).values())


def test_restart_refused_when_the_programme_is_inactive(vw):
    ending.volunteer_end(volunteer=vw.henk, actor=vw.consultant, ended_on=timezone.localdate())
    vw.programme.is_active = False
    vw.programme.save()
    with pytest.raises(Exception) as exc:
        ending.volunteer_restart(volunteer=vw.henk, actor=vw.consultant, reason="terug")
    assert "niet meer actief" in str(exc.value)
    assert Volunteer.objects.get(pk=vw.henk.pk).ended_on is not None


def test_ending_twice_gives_a_message(client, vw):
    client.force_login(vw.consultant)
    assert _end(client, vw).status_code == 302
    response = _end(client, vw, reason="dubbelklik", follow=True)
    assert response.status_code == 200 and "is al gestopt als Bewonerskracht" in response.content.decode()
    assert VolunteerChange.objects.filter(volunteer=vw.henk).count() == 1
    assert Volunteer.objects.get(pk=vw.henk.pk).end_reason == ""
    # also with an invalid form after the volunteer was ended: a message, never a 500
    response = _end(client, vw, ended_on="gisteren", follow=True)
    assert response.status_code == 200 and "is al gestopt" in response.content.decode()


@pytest.mark.parametrize(("value", "message"), [
    ("", "Vul een datum in."),
    ("morgen", "Vul een geldige datum in"),
    ("1999-12-31", "Kies een datum tussen 2000 en 2099."),
    ("2100-01-01", "Kies een datum tussen 2000 en 2099."),
    ("0001-01-01", "Kies een datum tussen 2000 en 2099."),
    ("9999-12-31", "Kies een datum tussen 2000 en 2099."),
    ("2001-01-01", "Kies een datum vanaf de start als Bewonerskracht"),
    ("future", "Kies vandaag of een eerdere datum"),
])
def test_bad_end_dates_are_field_errors(client, vw, value, message):
    if value == "future":
        value = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    client.force_login(vw.consultant)
    response = _end(client, vw, ended_on=value)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and 'id="id_ended_on_error"' in body
    vw.henk.refresh_from_db()
    assert vw.henk.ended_on is None and not VolunteerChange.objects.exists()
    assert all(_perms(vw.henk.user).values())


def test_end_date_between_start_and_today_and_reason_length(client, vw):
    Volunteer.objects.filter(pk=vw.henk.pk).update(started_on=timezone.localdate() - dt.timedelta(days=30))
    client.force_login(vw.consultant)
    response = _end(client, vw, reason="x" * 2001)
    assert response.status_code == 400 and "hoogstens 2000" in response.content.decode()
    day_before_start = (timezone.localdate() - dt.timedelta(days=31)).isoformat()
    assert _end(client, vw, ended_on=day_before_start).status_code == 400
    start = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert _end(client, vw, ended_on=start, reason="Toch niets voor mij").status_code == 302
    vw.henk.refresh_from_db()
    assert vw.henk.ended_on == timezone.localdate() - dt.timedelta(days=30)


def test_forbidden_paths(client, vw):
    url_end = reverse("volunteers:end", args=[vw.henk.pk])
    url_restart = reverse("volunteers:restart", args=[vw.henk.pk])
    today = timezone.localdate().isoformat()
    # another corporation's staff: 404, like an id that does not exist
    client.force_login(vw.users["other_regisseur"])
    assert client.post(url_end, {"ended_on": today}).status_code == 404
    assert client.post(url_restart, {"reason": "x"}).status_code == 404
    # volunteers, partners, management, nobody: not found / forbidden, nothing changes
    for user in (vw.gulsen.user, vw.henk.user, vw.users["partner"], vw.users["manager"], vw.users["nobody"]):
        client.force_login(user)
        assert client.post(url_end, {"ended_on": today}).status_code in (403, 404)
    client.force_login(vw.consultant)
    assert client.get(url_end).status_code == 405
    assert client.post(reverse("volunteers:end", args=[999999]), {"ended_on": today}).status_code == 404
    assert client.post(reverse("volunteers:end", args=[vw.elders_volunteer.pk]),
                       {"ended_on": today}).status_code == 404
    vw.henk.refresh_from_db()
    assert vw.henk.ended_on is None and Membership.objects.filter(user=vw.henk.user).exists()


def test_programme_page_lists_stopped_volunteers_separately(client, vw):
    ending.volunteer_end(volunteer=vw.gulsen, actor=vw.consultant, ended_on=timezone.localdate(),
                         reason="Verhuisd")
    client.force_login(vw.consultant)
    body = client.get(reverse("volunteers:programme", args=[vw.programme.pk])).content.decode()
    active, stopped = body.split('data-testid="stopped"')
    assert f'data-volunteer="{vw.henk.pk}"' in active.split('data-testid="volunteers"')[1]
    assert f'data-volunteer="{vw.gulsen.pk}"' not in active
    assert f'data-volunteer="{vw.gulsen.pk}"' in stopped and "Verhuisd" in stopped
    assert "Gestopte Bewonerskrachten" in body
    # the overview counts active volunteers only
    from wijkpunt.volunteers import selectors

    assert selectors.programmes_for(vw.consultant).get(pk=vw.programme.pk).volunteer_count == 1


def test_stopped_volunteer_cannot_be_partner_and_sees_no_help(client, vw):
    from wijkpunt.rounds import services as round_services

    ending.volunteer_end(volunteer=vw.gulsen, actor=vw.consultant, ended_on=timezone.localdate())
    others, _staff = round_services.partner_candidates(vw.henk)
    assert vw.gulsen not in others
    client.force_login(vw.gulsen.user)
    body = client.get(reverse("volunteers:me")).content.decode()
    assert "Hulp vragen" not in body


# --- a double click under concurrent requests (PostgreSQL pass) ----------------------------------

@pytest.fixture
def race_world(transactional_db):
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need a server database (the in-memory SQLite test database locks "
                    "instead of waiting); runs in the PostgreSQL pass")
    from wijkpunt.volunteers.tests.factories import volunteer_world

    yield volunteer_world()
    from wijkpunt.reports.models import Category
    from wijkpunt.reports.taxonomy import load_taxonomy

    load_taxonomy(Category)  # the flush after a transactional test wipes what the data migration loaded


def test_ending_twice_at_once_ends_once(race_world):
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connections

    w = race_world
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def run(i):
        try:
            barrier.wait()
            results[i] = ending.volunteer_end(volunteer=Volunteer.objects.get(pk=w.henk.pk), actor=w.consultant,
                                              ended_on=timezone.localdate(), reason=f"klik {i}")
        except Exception as exc:  # noqa: BLE001 - checked below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    won = [r for r in results if isinstance(r, ending.EndResult)]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].code == "already_ended"
    assert VolunteerChange.objects.filter(volunteer_id=w.henk.pk).count() == 1
    assert not Membership.objects.filter(user=w.henk.user).exists()


def test_ending_takes_the_volunteer_off_open_jobs_but_not_done_ones(vw, setup):
    from wijkpunt.teams.models import JobRequest
    from wijkpunt.teams.services import job_request_create

    jobs = {}
    for name, status in [("planned", JobRequest.Status.PLANNED), ("done", JobRequest.Status.DONE)]:
        job, _created = job_request_create(unit=vw.jansen.unit, kind="klusteam", description=f"Klus {name}",
                                           requester_name="Joke Jansen", requester_phone="0612345678",
                                           contact_consent=True)
        JobRequest.objects.filter(pk=job.pk).update(status=status)
        job.planned_members.add(vw.henk, vw.gulsen)
        jobs[name] = job
    ending.volunteer_end(volunteer=vw.henk, actor=vw.consultant, ended_on=timezone.localdate())
    assert set(jobs["planned"].planned_members.all()) == {vw.gulsen}  # the team plans someone else
    assert set(jobs["done"].planned_members.all()) == {vw.henk, vw.gulsen}  # history stays


def test_training_grid_lists_active_volunteers_and_keeps_what_stopped_ones_attended(client, vw):
    track = training.track_ensure(vw.programme)
    first = track.workshops.get(number=1)
    training.attendance_save(track=track, actor=vw.consultant, present={(first.pk, vw.henk.pk), (first.pk, vw.gulsen.pk)})
    ending.volunteer_end(volunteer=vw.gulsen, actor=vw.consultant, ended_on=timezone.localdate(), reason="Verhuisd")
    client.force_login(vw.consultant)
    url = reverse("volunteers:training", args=[vw.programme.pk])
    page = client.get(url).content.decode()
    assert f'data-volunteer="{vw.henk.pk}"' in page and f'data-volunteer="{vw.gulsen.pk}"' not in page
    assert 'data-testid="stopped-note"' in page and "1 gestopte Bewonerskracht" in page

    # saving the grid (which no longer shows her) keeps what she attended
    save = reverse("volunteers:attendance", args=[vw.programme.pk])
    assert client.post(save, {"aanwezig": [f"{first.pk}-{vw.henk.pk}"]}).status_code == 302
    assert Attendance.objects.filter(volunteer=vw.gulsen, workshop=first).exists()
    # and she can no longer be ticked (a stale page or a hand-made request)
    response = client.post(save, {"aanwezig": [f"{first.pk}-{vw.henk.pk}", f"{first.pk}-{vw.gulsen.pk}"]})
    assert response.status_code == 400 and "Bewonerskrachten van dit programma" in response.content.decode()


def test_meeting_attendance_offers_active_volunteers_and_keeps_who_was_there(client, vw):
    now = timezone.localtime()
    meeting = meetings.meeting_create(programme=vw.programme, actor=vw.consultant, month=now.date().replace(day=1),
                                      starts_at=now + dt.timedelta(days=1))
    meetings.meeting_save_attendance(meeting=meeting, volunteer_ids=[vw.gulsen.pk])  # she was there
    ending.volunteer_end(volunteer=vw.gulsen, actor=vw.consultant, ended_on=timezone.localdate(), reason="Verhuisd")
    client.force_login(vw.consultant)
    url = reverse("volunteers:meeting", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert f'name="attendees" value="{vw.gulsen.pk}"' in page  # still listed, still ticked
    assert f'name="attendees" value="{vw.henk.pk}"' in page
    save = reverse("volunteers:meeting_attendance", args=[meeting.pk])
    assert client.post(save, {"attendees": [vw.henk.pk, vw.gulsen.pk]}).status_code == 302
    assert set(meeting.attendees.all()) == {vw.henk, vw.gulsen}

    # a new meeting after she stopped does not offer her
    later = meetings.meeting_create(programme=vw.programme, actor=vw.consultant,
                                    month=(now.date().replace(day=1) + dt.timedelta(days=32)).replace(day=1),
                                    starts_at=now + dt.timedelta(days=33))
    page = client.get(reverse("volunteers:meeting", args=[later.pk])).content.decode()
    assert f'name="attendees" value="{vw.gulsen.pk}"' not in page
    response = client.post(reverse("volunteers:meeting_attendance", args=[later.pk]), {"attendees": [vw.gulsen.pk]})
    assert response.status_code == 400 and not later.attendees.exists()
