"""Property-based tests of the teams API (/api/v1/jobs/, /api/v1/teams/) per role.

The world of wijkpunt/teams/tests/helpers.py: a Klusteam job planned with henk, a Groenteam job still
requested, and a job of another corporation. Roles: staff of the corporation, henk (Klusteam
coordinator, planned on the first job), gulsen (in both teams, not planned), lotte (a volunteer of
another team) and staff of the other corporation. For every request: no 5xx, documented responses
conform, a job outside the user's reach is 404, nothing of another job comes back, and the requester's
contact details only reach staff and the planned member.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from apifuzz import (
    SCHEMA,
    fuzz_operation_as,
    fuzz_settings,
    modes_for,
    operations,
    rolled_back,
    token_header,
)
from apistrategies import non_object_json
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from wijkpunt.teams import services
from wijkpunt.teams.tests.helpers import make_job, team_world

pytestmark = pytest.mark.django_db

TEAMS_OPERATIONS = operations("/api/v1/jobs/") + operations("/api/v1/teams/")
ROLES = ["staff", "henk", "gulsen", "lotte", "other_staff"]


@pytest.fixture
def fuzz_teams(db):
    w = team_world()
    klus = make_job(w)
    services.job_transition(job=klus, actor=w.henk.user, action="accept")
    services.job_transition(job=klus, actor=w.henk.user, action="plan",
                            planned_for=timezone.localdate() + dt.timedelta(days=2), members=[w.henk])
    groen = make_job(w, kind="groenteam", description="Heg snoeien")
    elders = make_job(w, unit=w.elders.unit, description="Elders een lamp")
    users = {"staff": w.staff, "henk": w.henk.user, "gulsen": w.gulsen.user, "lotte": w.lotte.user,
             "other_staff": w.other_consultant}
    reach = {"staff": {klus.pk, groen.pk}, "henk": {klus.pk}, "gulsen": {klus.pk, groen.pk}, "lotte": set(),
             "other_staff": {elders.pk}}
    contact = {"staff": {klus.pk, groen.pk}, "henk": {klus.pk}, "gulsen": set(), "lotte": set(),
               "other_staff": {elders.pk}}
    team_reach = {"staff": {w.klus.pk, w.groen.pk, w.lombok_klus.pk}, "henk": {w.klus.pk},
                  "gulsen": {w.klus.pk, w.groen.pk}, "lotte": {w.lombok_klus.pk}, "other_staff": {w.other_klus.pk}}
    return SimpleNamespace(w=w, users=users, reach=reach, contact=contact, team_reach=team_reach,
                           ids=[klus.pk, groen.pk, elders.pk],
                           volunteer_ids=[w.henk.pk, w.gulsen.pk, w.lotte.pk, w.elders_volunteer.pk])


def test_every_teams_operation_is_here():
    assert {op.label for op in TEAMS_OPERATIONS} == {
        "GET /api/v1/jobs/", "GET /api/v1/jobs/{id}/", "POST /api/v1/jobs/{id}/transition/", "GET /api/v1/teams/"}


def check_scope(case, response, *, role: str, ft) -> None:
    __tracebackhide__ = True
    code, label = response.status_code, case.operation.label
    job_id = case.path_parameters.get("id")
    if isinstance(job_id, int) and not isinstance(job_id, bool) and job_id in ft.ids:
        if job_id not in ft.reach[role]:
            assert code == 404, f"{role} got {code} for a job it cannot reach ({label})"
        elif case.method == "GET":
            assert code == 200, f"{role} got {code} for job {job_id}"
    if not 200 <= code < 300:
        return
    data = response.json()
    if label == "GET /api/v1/jobs/":
        leaked = {row["id"] for row in data["results"]} - ft.reach[role]
        assert not leaked, f"{role} sees jobs {leaked}"
        assert all("requester_phone" not in row for row in data["results"])
    elif label in ("GET /api/v1/jobs/{id}/", "POST /api/v1/jobs/{id}/transition/"):
        assert data["id"] in ft.reach[role]
        sees_contact = role in ("staff", "other_staff") or (data["id"] in ft.contact[role]
                                                             and data["status"] == "gepland")
        if not sees_contact:
            assert data["requester_phone"] is None and data["requester_name"] is None, f"{role} sees the contact"
        if role not in ("staff", "other_staff"):
            assert data["requester_email"] is None
    elif label == "GET /api/v1/teams/":
        leaked = {t["id"] for t in data} - ft.team_reach[role]
        assert not leaked, f"{role} sees teams {leaked}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("operation", "mode"), modes_for(TEAMS_OPERATIONS))
def test_teams_operation_per_role(api, fuzz_teams, operation, mode, role):
    fuzz_operation_as(api, operation, mode, user=fuzz_teams.users[role], ids=fuzz_teams.ids, max_examples=25,
                      check=lambda case, response: check_scope(case, response, role=role, ft=fuzz_teams))


def transition_bodies(volunteer_ids):
    day = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)).map(dt.date.isoformat)
    return st.fixed_dictionaries({"action": st.sampled_from([*services.ACTIONS, "", "dance", None])}, optional={
        "planned_for": day | st.sampled_from(["", "31-02-2026", None]),
        "members": st.lists(st.sampled_from(volunteer_ids) | st.integers(min_value=-3, max_value=2**70), max_size=4),
        "done_on": day | st.sampled_from(["", None]),
        "hours": st.sampled_from(["1.5", "0", "-1", "500.1", "2,5", 3, None, "1.25"]),
        "notes": st.sampled_from(["Klaar", "", "x" * 2001, "nul\x00teken"]) | st.text(max_size=20),
        "reason": st.sampled_from(["vakwerk", "anders", "", "geheim", None]),
        "reason_text": st.sampled_from(["", "  ", "Zelf gedaan", "r" * 501]),
    })


@pytest.mark.parametrize("role", ["staff", "henk", "gulsen"])
def test_transitions_with_plausible_bodies(api, fuzz_teams, role):
    operation = SCHEMA["/api/v1/jobs/{id}/transition/"]["POST"]
    headers = token_header(fuzz_teams.users[role])
    codes = []

    @fuzz_settings(max_examples=50)
    @given(body=transition_bodies(fuzz_teams.volunteer_ids), job_id=st.sampled_from(fuzz_teams.ids))
    def run(body, job_id):
        case = operation.Case(body=body, path_parameters={"id": job_id}, media_type="application/json")
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                check_scope(case, response, role=role, ft=fuzz_teams)
                codes.append(response.status_code)

    run()
    assert 400 in codes


def test_job_list_queries(api, fuzz_teams):
    operation = SCHEMA["/api/v1/jobs/"]["GET"]
    headers = token_header(fuzz_teams.users["gulsen"])

    @fuzz_settings(max_examples=20)
    @given(query=st.fixed_dictionaries({}, optional={
        "status": st.sampled_from(["open", "klaar", "afgesloten", "alle", "", "gisteren"]) | st.text(max_size=5)}))
    def run(query):
        case = operation.Case(query=query)
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                check_scope(case, response, role="gulsen", ft=fuzz_teams)

    run()


def test_transition_with_a_body_that_is_not_an_object(api, fuzz_teams):
    operation = SCHEMA["/api/v1/jobs/{id}/transition/"]["POST"]
    headers = token_header(fuzz_teams.users["staff"])

    @fuzz_settings(max_examples=15)
    @given(body=non_object_json())
    def run(body):
        case = operation.Case(body=body, media_type="application/json", path_parameters={"id": fuzz_teams.ids[1]})
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                assert response.status_code == 400

    run()
