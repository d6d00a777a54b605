"""Property-based tests of the rounds API (/api/v1/rounds/) per role.

The world of wijkpunt/rounds/tests/factories.py: a paired round of Henk (partner Gülsen) and an
unpaired one in the Vogelwijk, and a round of another corporation. Roles: the volunteer, the partner,
a volunteer of the same corporation in another neighbourhood, staff of the corporation and staff of
the other corporation. For every request: no 5xx, documented responses conform, a round outside the
caller's reach is 404, writes to a round are only for its walkers, and no report is ever linked twice.
"""

from __future__ import annotations

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
from hypothesis import given
from hypothesis import strategies as st

from wijkpunt.reports.models import Report
from wijkpunt.rounds.models import RoundReport
from wijkpunt.rounds.tests.factories import REPORT, plan_round, round_world

pytestmark = pytest.mark.django_db

ROUNDS_OPERATIONS = operations("/api/v1/rounds/")
ROLES = ["volunteer", "partner", "other_volunteer", "staff", "other_staff"]


@pytest.fixture
def fuzz_rounds(db):
    w = round_world()
    paired = plan_round(w)
    alone = plan_round(w, partner=None)
    elsewhere = plan_round(w, volunteer=w.elders_volunteer, partner=None, complexes=[w.elders_cx])
    users = {"volunteer": w.henk.user, "partner": w.gulsen.user, "other_volunteer": w.lotte.user,
             "staff": w.consultant, "other_staff": w.other_consultant}
    ids = [paired.pk, alone.pk, elsewhere.pk]
    reach = {"volunteer": {paired.pk, alone.pk}, "partner": {paired.pk}, "other_volunteer": set(),
             "staff": {paired.pk, alone.pk}, "other_staff": {elsewhere.pk}}
    walks = {"volunteer": {paired.pk, alone.pk}, "partner": {paired.pk}, "other_volunteer": set(),
             "staff": set(), "other_staff": set()}
    return SimpleNamespace(w=w, users=users, reach=reach, walks=walks, ids=ids)


def test_every_rounds_operation_is_here():
    assert {op.label for op in ROUNDS_OPERATIONS} == {
        "GET /api/v1/rounds/", "POST /api/v1/rounds/", "GET /api/v1/rounds/{id}/",
        "POST /api/v1/rounds/{id}/checks/", "POST /api/v1/rounds/{id}/status/", "POST /api/v1/rounds/{id}/reports/"}


def check_scope(case, response, *, role: str, fr) -> None:
    __tracebackhide__ = True
    code, label = response.status_code, case.operation.label
    round_id = case.path_parameters.get("id")
    if isinstance(round_id, int) and not isinstance(round_id, bool) and round_id in fr.ids:
        if round_id not in fr.reach[role]:
            assert code == 404, f"{role} got {code} for a round it cannot see ({label})"
        elif case.method == "POST" and round_id not in fr.walks[role]:
            assert code == 404, f"{role} wrote to round {round_id} it does not walk ({label}): {code}"
        elif case.method == "GET":
            assert code == 200, f"{role} got {code} for round {round_id}"
    assert RoundReport.objects.count() == Report.objects.filter(round_link__isnull=False).count()
    if not 200 <= code < 300:
        return
    data = response.json()
    if label == "GET /api/v1/rounds/":
        leaked = {row["id"] for row in data["results"]} - fr.reach[role]
        assert not leaked, f"{role} sees rounds {leaked}"
    elif label == "GET /api/v1/rounds/{id}/":
        assert data["id"] in fr.reach[role]
        assert (data["places"] is not None) == (data["id"] in fr.walks[role])
        assert "Jansen" not in str(data) and "Bakker" not in str(data)  # households never
    elif label == "POST /api/v1/rounds/":
        assert role in ("volunteer", "partner", "other_volunteer")
    elif case.method == "POST":
        assert round_id in fr.walks[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("operation", "mode"), modes_for(ROUNDS_OPERATIONS))
def test_rounds_operation_per_role(api, fuzz_rounds, operation, mode, role):
    fuzz_operation_as(api, operation, mode, user=fuzz_rounds.users[role], ids=fuzz_rounds.ids, max_examples=20,
                      check=lambda case, response: check_scope(case, response, role=role, fr=fuzz_rounds))


REPORT_BODIES = st.fixed_dictionaries({}, optional={
    "description": st.sampled_from([REPORT["description"], "", "   ", "x" * 5001, "nul\x00teken", "kort"])
    | st.text(max_size=20),
    "location": st.sampled_from([REPORT["location"], {"kind": "kaart"}, {"kind": "complex", "complex": 10**12},
                                 {"kind": "adres", "postcode": "3702CD", "house_number": 3}, {"kind": "?"}, [], None,
                                 {"kind": "kaart", "latitude": "52.1", "longitude": "5.2", "text": "t" * 301}]),
    "occurred_at": st.sampled_from(["0001-01-01T00:00", "2999-01-01T00:00", "gisteren", None]),
})


@pytest.mark.parametrize("role", ["volunteer", "partner", "staff"])
def test_report_bodies_and_keys(api, fuzz_rounds, role):
    operation = SCHEMA["/api/v1/rounds/{id}/reports/"]["POST"]
    headers = token_header(fuzz_rounds.users[role])
    codes = []

    @fuzz_settings(max_examples=40)
    @given(body=REPORT_BODIES, round_id=st.sampled_from(fuzz_rounds.ids),
           key=st.sampled_from(["", "k1", "k1", "x" * 101, "tab\tkey", "0b5e3c1e-1111-4c1e-9b1e-000000000001"]))
    def run(body, round_id, key):
        case = operation.Case(body=body, path_parameters={"id": round_id}, media_type="application/json",
                              headers={"Idempotency-Key": key} if key else {})
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                check_scope(case, response, role=role, fr=fuzz_rounds)
                codes.append(response.status_code)
            if key and response.status_code in (200, 201):  # and the same again: the same report, no second link
                again = api.call(case, headers=headers)
                assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
                assert RoundReport.objects.filter(report_id=response.json()["id"]).count() == 1

    run()
    assert 400 in codes or 404 in codes


@pytest.mark.parametrize("path", ["/api/v1/rounds/", "/api/v1/rounds/{id}/checks/", "/api/v1/rounds/{id}/status/",
                                  "/api/v1/rounds/{id}/reports/"])
def test_rounds_post_with_a_body_that_is_not_an_object(api, fuzz_rounds, path):
    operation = SCHEMA[path]["POST"]
    headers = token_header(fuzz_rounds.users["volunteer"])

    @fuzz_settings(max_examples=10)
    @given(body=non_object_json())
    def run(body):
        case = operation.Case(body=body, media_type="application/json",
                              path_parameters={"id": fuzz_rounds.ids[0]} if "{id}" in path else {})
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                assert response.status_code == 400

    run()
