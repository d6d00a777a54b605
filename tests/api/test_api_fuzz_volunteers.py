"""Property-based tests of the volunteers API (/api/v1/volunteers/) per role.

The world of wijkpunt/volunteers/tests/factories.volunteer_world(): volunteers henk and gulsen
(Vogelwijk) and lotte (Lombok) of the world's corporation, and a volunteer of another corporation.
Roles: a staff member who manages the programme, a volunteer (henk), staff of the other
corporation, and a partner user. For every request: no 5xx, documented responses conform, a
volunteer outside the caller's corporation is 404, and nothing of another corporation comes back;
a volunteer's own page never carries another volunteer's last name or phone number.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from apifuzz import (
    fuzz_operation_as,
    modes_for,
    operations,
)

from wijkpunt.volunteers.tests.factories import volunteer_world

pytestmark = pytest.mark.django_db

VOLUNTEER_OPERATIONS = operations("/api/v1/volunteers/")
ROLES = ["staff", "volunteer", "other_staff", "partner"]


@pytest.fixture
def fuzz_volunteers(db):
    vw = volunteer_world()
    own = {vw.henk.pk, vw.gulsen.pk, vw.lotte.pk}
    users = {"staff": vw.consultant, "volunteer": vw.henk.user, "other_staff": vw.other_consultant,
             "partner": vw.partner}
    reach = {"staff": own, "volunteer": set(), "other_staff": {vw.elders_volunteer.pk}, "partner": set()}
    return SimpleNamespace(vw=vw, users=users, reach=reach, ids=sorted(own | {vw.elders_volunteer.pk}))


def test_every_volunteers_operation_is_here():
    assert {op.label for op in VOLUNTEER_OPERATIONS} == {
        "GET /api/v1/volunteers/", "GET /api/v1/volunteers/me/", "GET /api/v1/volunteers/{id}/"}


def check_scope(case, response, *, role: str, fv) -> None:
    __tracebackhide__ = True
    code, label = response.status_code, case.operation.label
    volunteer_id = case.path_parameters.get("id")
    if isinstance(volunteer_id, int) and not isinstance(volunteer_id, bool) and volunteer_id in fv.ids:
        if role in ("volunteer", "partner"):
            assert code == 403, f"{role} got {code} for a volunteer's page ({label})"
        elif volunteer_id not in fv.reach[role]:
            assert code == 404, f"{role} got {code} for another corporation's volunteer ({label})"
        else:
            assert code == 200, f"{role} got {code} for volunteer {volunteer_id}"
    if label == "GET /api/v1/volunteers/me/":
        assert code == (200 if role == "volunteer" else 403), f"{role} got {code} for me/"
    if label == "GET /api/v1/volunteers/":
        assert code == (200 if role in ("staff", "other_staff") else 403), f"{role} got {code} for the list"
    if not 200 <= code < 300:
        return
    data = response.json()
    if label == "GET /api/v1/volunteers/":
        leaked = {row["id"] for row in data["results"]} - fv.reach[role]
        assert not leaked, f"{role} sees volunteers {leaked}"
    elif label == "GET /api/v1/volunteers/{id}/":
        assert data["id"] in fv.reach[role] and data["contacts"] is None
    elif label == "GET /api/v1/volunteers/me/":
        assert data["id"] == fv.vw.henk.pk
        text = response.content.decode()
        assert "Demir" not in text and "+31612345672" not in text


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("operation", "mode"), modes_for(VOLUNTEER_OPERATIONS))
def test_volunteers_operation_per_role(api, fuzz_volunteers, operation, mode, role):
    fuzz_operation_as(api, operation, mode, user=fuzz_volunteers.users[role], ids=fuzz_volunteers.ids, max_examples=20,
                      check=lambda case, response: check_scope(case, response, role=role, fv=fuzz_volunteers))
