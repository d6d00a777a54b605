"""Teams: routing, the life cycle (one service), who may take which step, mail, yearly counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from wijkpunt.teams import selectors, services
from wijkpunt.teams.demo import seed_teams_demo
from wijkpunt.teams.models import JobEvent, JobRequest, Kind, Team

from .helpers import make_job, team_world, today, tomorrow

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return team_world()


def step(job, user, action, **kw):
    return services.job_transition(job=job, actor=user, action=action, **kw)


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# --- routing ------------------------------------------------------------------------------------

def test_job_goes_to_the_team_of_its_kind_covering_the_neighbourhood(w):
    assert make_job(w).team == w.klus  # Vogelwijk, through the programme
    assert make_job(w, kind=Kind.GREENERY).team == w.groen
    assert make_job(w, kind=Kind.GREENERY, unit=w.visser.unit).team == w.groen  # Bomenbuurt, by neighbourhood
    assert make_job(w, unit=w.yilmaz.unit).team == w.lombok_klus
    elders = make_job(w, unit=w.elders.unit)
    assert elders.team == w.other_klus and elders.corporation == w.other_corp


def test_no_covering_team_leaves_the_job_unassigned_and_staff_route_it(w):
    job = make_job(w, unit=w.visser.unit)  # no Klusteam in Bomenbuurt
    assert job.team is None and job.status == JobRequest.Status.REQUESTED
    assert "Nog geen team" in job.events.get().text
    with pytest.raises(ValidationError) as exc:
        step(job, w.staff, services.ACCEPT)
    assert "nog geen team" in messages_of(exc)
    with pytest.raises(ValidationError):
        services.job_route(job=job, team=w.groen, actor=w.staff)  # wrong kind
    with pytest.raises(ValidationError):
        services.job_route(job=job, team=w.other_klus, actor=w.staff)  # other corporation
    with pytest.raises(ValidationError):
        services.job_route(job=job, team=w.klus, actor=w.henk.user)  # not staff
    services.job_route(job=job, team=w.klus, actor=w.staff)
    job.refresh_from_db()
    assert job.team == w.klus and job.events.count() == 2


def test_inactive_team_gets_no_jobs(w):
    Team.objects.filter(pk=w.klus.pk).update(is_active=False)
    assert make_job(w).team is None


def test_idempotency_key_returns_the_first_request(w):
    first, created = services.job_request_create(
        unit=w.jansen.unit, kind=Kind.ODD_JOBS, description="Kastje ophangen", requester_name="Ria",
        requester_phone="+31611112222", idempotency_key="web:k1")
    again, created_again = services.job_request_create(
        unit=w.jansen.unit, kind=Kind.ODD_JOBS, description="Kastje ophangen", requester_name="Ria",
        requester_phone="+31611112222", idempotency_key="web:k1")
    assert created and not created_again and first.pk == again.pk
    with pytest.raises(services.IdempotencyConflict):
        services.job_request_create(unit=w.jansen.unit, kind=Kind.ODD_JOBS, description="Iets anders",
                                    requester_name="Ria", requester_phone="+31611112222", idempotency_key="web:k1")


def test_create_refuses_missing_fields(w):
    with pytest.raises(ValidationError) as exc:
        services.job_request_create(unit=w.jansen.unit, kind="sloopteam", description=" ", requester_name="",
                                    requester_phone="")
    assert set(exc.value.message_dict) == {"kind", "description", "requester_name", "requester_phone"}
    assert JobRequest.objects.count() == 0


# --- the life cycle -----------------------------------------------------------------------------

def test_member_accepts_plans_and_completes_and_the_tenant_gets_three_mails(w, django_capture_on_commit_callbacks):
    job = make_job(w)
    with django_capture_on_commit_callbacks(execute=True):
        step(job, w.gulsen.user, services.ACCEPT)
        step(job, w.gulsen.user, services.PLAN, planned_for=tomorrow(), members=[w.henk, w.gulsen])
        step(job, w.henk.user, services.COMPLETE, done_on=today(), hours=Decimal("2.5"), notes="Lamp hangt")
    job.refresh_from_db()
    assert job.status == JobRequest.Status.DONE and job.done_on == today() and job.hours == Decimal("2.5")
    assert job.accepted_by == w.gulsen.user and job.closed_at is not None
    assert set(job.planned_members.all()) == {w.henk, w.gulsen}
    assert list(job.events.values_list("status", flat=True)) == ["aangevraagd", "aangenomen", "gepland", "klaar"]
    assert [m.to for m in mail.outbox] == [["huurder@example.nl"]] * 3
    assert [m.subject for m in mail.outbox] == [
        f"Uw klusaanvraag {job.reference} is aangenomen", f"Uw klus {job.reference} is ingepland",
        f"Uw klus {job.reference} is klaar"]
    planned_mail = mail.outbox[1].body
    assert tomorrow().strftime("%Y") in planned_mail and "/klus/volgen/" + job.tracking_token in planned_mail
    for message in mail.outbox:  # no volunteer's name goes to the tenant
        assert "Henk" not in message.body and "Gulsen" not in message.body and "Bosman" not in message.body


def test_no_mail_without_an_email_address(w, django_capture_on_commit_callbacks):
    job = make_job(w, email="")
    with django_capture_on_commit_callbacks(execute=True):
        step(job, w.henk.user, services.ACCEPT)
        step(job, w.henk.user, services.PLAN, planned_for=tomorrow(), members=[w.henk])
    assert mail.outbox == []


@pytest.mark.parametrize(("action", "expected"), [
    (services.COMPLETE, "Plan de klus eerst"),
    (services.PLAN, "Neem de klus eerst aan"),
    ("repaint", "Onbekende stap"),
])
def test_bad_transitions_from_requested_give_a_clear_message(w, action, expected):
    job = make_job(w)
    with pytest.raises(ValidationError) as exc:
        step(job, w.staff, action, planned_for=tomorrow(), members=[w.henk])
    assert expected in messages_of(exc)
    job.refresh_from_db()
    assert job.status == JobRequest.Status.REQUESTED and job.events.count() == 1


def test_closed_jobs_take_no_more_steps(w):
    job = make_job(w)
    step(job, w.henk.user, services.ACCEPT)
    with pytest.raises(ValidationError) as exc:
        step(job, w.gulsen.user, services.ACCEPT)
    assert "al aangenomen" in messages_of(exc)
    step(job, w.henk.user, services.PLAN, planned_for=today(), members=[w.gulsen])
    step(job, w.gulsen.user, services.COMPLETE)
    for action in services.ACTIONS:
        with pytest.raises(ValidationError) as exc:
            step(job, w.staff, action)
        assert "al klaar" in messages_of(exc) or action == services.ACCEPT
    declined = make_job(w, description="Kraan lekt")
    step(declined, w.henk.user, services.DECLINE, reason="vakwerk")
    with pytest.raises(ValidationError) as exc:
        step(declined, w.staff, services.ACCEPT)
    assert "afgesloten" in messages_of(exc)


def test_plan_checks_date_and_members(w):
    job = make_job(w)
    step(job, w.henk.user, services.ACCEPT)
    cases = [
        ({"planned_for": None, "members": [w.henk]}, "planned_for"),
        ({"planned_for": today() - dt.timedelta(days=1), "members": [w.henk]}, "planned_for"),
        ({"planned_for": today() + dt.timedelta(days=400), "members": [w.henk]}, "planned_for"),
        ({"planned_for": tomorrow(), "members": []}, "members"),
        ({"planned_for": tomorrow(), "members": [w.lotte]}, "members"),  # not in this team
        ({"planned_for": tomorrow(), "members": [w.elders_volunteer]}, "members"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as exc:
            step(job, w.henk.user, services.PLAN, **kwargs)
        assert field in exc.value.message_dict, kwargs
    job.refresh_from_db()
    assert job.status == JobRequest.Status.ACCEPTED and not job.planned_members.exists()


def test_complete_and_decline_check_their_input(w):
    job = make_job(w)
    step(job, w.henk.user, services.ACCEPT)
    step(job, w.henk.user, services.PLAN, planned_for=today(), members=[w.henk])
    with pytest.raises(ValidationError) as exc:
        step(job, w.henk.user, services.COMPLETE, done_on=tomorrow())
    assert "done_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        step(job, w.henk.user, services.COMPLETE, hours=Decimal("0"))
    assert "hours" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        step(job, w.henk.user, services.DECLINE, reason="")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        step(job, w.henk.user, services.DECLINE, reason="anders", reason_text=" ")
    assert "reason_text" in exc.value.message_dict
    step(job, w.henk.user, services.DECLINE, reason="anders", reason_text="Huurder heeft het zelf gedaan")
    job.refresh_from_db()
    assert job.status == "afgewezen" and job.events.last().text.endswith("zelf gedaan")


def test_who_may_take_which_step(w):
    job = make_job(w)
    assert services.allowed_actions(w.henk.user, job) == ["accept", "decline"]
    assert services.allowed_actions(w.staff, job) == ["accept", "decline", "withdraw"]
    for outsider in (w.lotte.user, w.elders_volunteer.user, w.volunteer, w.other_consultant, w.manager,
                     w.partner, w.nobody):
        assert services.allowed_actions(outsider, job) == []
        with pytest.raises(ValidationError) as exc:
            step(job, outsider, services.ACCEPT)
        assert "Alleen een lid van het team" in messages_of(exc)
    job = step(job, w.henk.user, services.ACCEPT)
    # gulsen is a member but neither coordinator nor the one who accepted
    assert services.allowed_actions(w.gulsen.user, job) == []
    with pytest.raises(ValidationError):
        step(job, w.gulsen.user, services.PLAN, planned_for=tomorrow(), members=[w.gulsen])
    job = step(job, w.henk.user, services.PLAN, planned_for=today(), members=[w.gulsen])
    assert services.allowed_actions(w.gulsen.user, job) == ["complete"]  # planned member
    with pytest.raises(ValidationError):
        step(job, w.gulsen.user, services.WITHDRAW)
    # a volunteer who stopped loses the right
    w.gulsen.ended_on = today()
    w.gulsen.save()
    assert services.allowed_actions(w.gulsen.user, job) == []


def test_staff_withdraw_for_the_tenant(w):
    job = make_job(w)
    step(job, w.staff, services.WITHDRAW, reason_text="Huurder belde: niet meer nodig")
    job.refresh_from_db()
    assert job.status == "ingetrokken" and job.closed_at and "niet meer nodig" in job.events.last().text


# --- teams --------------------------------------------------------------------------------------

def test_team_members_must_be_active_volunteers_of_the_corporation(w):
    with pytest.raises(ValidationError):
        services.team_add_member(team=w.klus, volunteer=w.elders_volunteer)
    with pytest.raises(ValidationError):
        services.team_add_member(team=w.klus, volunteer=w.henk)  # already a member
    w.lotte.ended_on = today() - dt.timedelta(days=1)
    w.lotte.save()
    with pytest.raises(ValidationError):
        services.team_add_member(team=w.klus, volunteer=w.lotte)
    with pytest.raises(ValidationError) as exc:
        services.team_create(corporation=w.corp, kind=Kind.ODD_JOBS, name="klusteam vogelwijk", programme=w.programme)
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.team_create(corporation=w.corp, kind=Kind.ODD_JOBS, name="Zonder gebied")
    assert "neighbourhoods" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.team_create(corporation=w.corp, kind=Kind.ODD_JOBS, name="X", programme=w.other_programme)
    assert "programme" in exc.value.message_dict


# --- yearly count -------------------------------------------------------------------------------

def _done(w, team, day: dt.date, kind=Kind.ODD_JOBS, unit=None):
    job = make_job(w, kind=kind, email="", unit=unit)
    JobRequest.objects.filter(pk=job.pk).update(status="klaar", done_on=day, team=team)
    return job


def test_yearly_count_per_team_and_kind(w):
    for day in (dt.date(2024, 3, 1), dt.date(2024, 12, 31), dt.date(2025, 1, 1)):
        _done(w, w.klus, day)
    _done(w, w.groen, dt.date(2025, 6, 1), kind=Kind.GREENERY)
    make_job(w)  # open: not counted
    declined = make_job(w, description="Kraan")
    step(declined, w.henk.user, services.DECLINE, reason="vakwerk")
    _done(w, w.other_klus, dt.date(2025, 2, 1), unit=w.elders.unit)  # other corporation
    counts = selectors.yearly_counts([w.klus.pk, w.groen.pk])
    assert counts == {w.klus.pk: [(2025, 1), (2024, 2)], w.groen.pk: [(2025, 1)]}
    assert selectors.kind_year_counts([w.corp.pk]) == [
        {"year": 2025, "klusteam": 1, "groenteam": 1, "total": 2},
        {"year": 2024, "klusteam": 2, "groenteam": 0, "total": 2},
    ]


# --- demo ---------------------------------------------------------------------------------------

def test_demo_seeds_teams_and_a_realistic_yearly_count(w):
    Team.objects.all().delete()  # the demo starts from the volunteers only
    counts = seed_teams_demo(w.corp, today=today())
    assert counts["teams"] == 2 and counts["done_last_year"] == 34 and counts["jobs"] == 49
    klus = Team.objects.get(corporation=w.corp, kind=Kind.ODD_JOBS)
    per_year = dict(selectors.yearly_counts([klus.pk])[klus.pk])
    assert per_year[today().year - 1] == 25
    assert klus.members.filter(is_coordinator=True).count() == 1
    assert JobRequest.objects.filter(corporation=w.corp, status__in=JobRequest.OPEN_STATUSES).count() == 6
    assert selectors.past_their_date(JobRequest.objects.filter(corporation=w.corp)).count() == 1  # shown flagged
    assert JobEvent.objects.filter(job__corporation=w.corp).count() > counts["jobs"]
    assert seed_teams_demo(w.corp, today=today())["teams"] == 0  # idempotent
    assert seed_teams_demo(w.wijkteam, today=today())["teams"] == 0  # no volunteers: nothing, no crash
