"""Property-based tests of the private API (/api/v1/), per role, driven by docs/openapi.yaml.

Staff (complexbeheerder of the corporation) and a partner (wijkteam) with a DRF token, and an
anonymous client. For every generated request: no 5xx, documented parts conform, and a report id
outside the user's scope gives 404 (never someone else's data); anonymous never gets a 2xx.
"""

from __future__ import annotations

import pytest
from apifuzz import (
    PRIVATE_PREFIX,
    SCHEMA,
    fuzz_settings,
    modes_for,
    operations,
    rolled_back,
    token_header,
    with_path_values,
)
from apistrategies import non_object_json, queue_queries, staff_report_bodies
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

PRIVATE_OPERATIONS = operations(PRIVATE_PREFIX)
ROLES = ["staff", "partner", "anonymous"]
ACTIVATION_RESOURCES = {"volunteers", "rounds", "jobs", "teams", "consultations"}


def test_every_private_operation_is_fuzzed():
    assert {op.label for op in PRIVATE_OPERATIONS} == {
        "GET /api/v1/reports/",
        "POST /api/v1/reports/",
        "GET /api/v1/reports/{id}/",
        "POST /api/v1/reports/{id}/notes/",
        "POST /api/v1/reports/{id}/transition/",
        "POST /api/v1/reports/{id}/accept/",
        "POST /api/v1/reports/{id}/decline/",
        "GET /api/v1/oncall/",
        "POST /api/v1/oncall/escalations/{id}/acknowledge/",
        "GET /api/v1/help-requests/",
        "POST /api/v1/help-requests/",
        "GET /api/v1/arrears/episodes/",
        "GET /api/v1/arrears/episodes/{id}/",
        "POST /api/v1/arrears/episodes/{id}/steps/",
        "POST /api/v1/arrears/episodes/{id}/signal/",
        "POST /api/v1/arrears/ledger/",
        "GET /api/v1/arrears/signals/export/",
        "POST /api/v1/arrears/signals/answers/",
        "GET /api/v1/cases/",
        "GET /api/v1/cases/{id}/",
        "POST /api/v1/cases/{id}/notes/",
        "POST /api/v1/cases/{id}/answer/",
        # issue 6: fuzzed in test_api_fuzz_volunteers/rounds/teams/consultation.py with their own worlds
        "GET /api/v1/volunteers/",
        "GET /api/v1/volunteers/me/",
        "GET /api/v1/volunteers/{id}/",
        "GET /api/v1/rounds/",
        "POST /api/v1/rounds/",
        "GET /api/v1/rounds/{id}/",
        "POST /api/v1/rounds/{id}/checks/",
        "POST /api/v1/rounds/{id}/status/",
        "POST /api/v1/rounds/{id}/reports/",
        "GET /api/v1/jobs/",
        "GET /api/v1/jobs/{id}/",
        "POST /api/v1/jobs/{id}/transition/",
        "GET /api/v1/teams/",
        "GET /api/v1/consultations/",
        "GET /api/v1/consultations/{id}/addresses/",
        "POST /api/v1/consultations/{id}/visits/",
        "GET /api/v1/consultations/{id}/results/",
    }


def headers_for(world, role: str) -> dict[str, str]:
    return {} if role == "anonymous" else token_header(world.users[role])


def check_scope(case, response, *, role: str, visible: set[int], existing: list[int]) -> None:
    """The user's scope, whatever else was generated."""
    __tracebackhide__ = True
    code = response.status_code
    label = case.operation.label
    if role == "anonymous":
        assert not 200 <= code < 300, f"anonymous got {code} from {label}"
        return
    if "/arrears/" in label:
        # neither staff (complexbeheerder) nor partners hold an arrears permission; the arrears roles
        # are fuzzed in test_api_fuzz_arrears.py
        assert not 200 <= code < 300, f"{role} got {code} from {label}"
        return
    if "/cases/" in label:
        # staff (complexbeheerder) hold no case permission; the partner takes part in no case here, so
        # only its (empty) list may answer 2xx; the case roles are fuzzed in test_api_fuzz_cases.py
        if role == "partner" and label == "GET /api/v1/cases/":
            assert code != 200 or response.json()["results"] == [], f"partner sees cases ({code})"
        else:
            assert not 200 <= code < 300, f"{role} got {code} from {label}"
        return
    if "/oncall/" in label or "/help-requests/" in label:
        # partners hold no on-call permission; staff hold no help-request permission; the ids are
        # escalation ids (none exist in this world), so nothing may come back but their own lists
        if role == "partner" or label == "POST /api/v1/help-requests/" or "acknowledge" in label:
            assert not 200 <= code < 300, f"{role} got {code} from {label}"
        return
    if label.split(" ")[1].split("/")[3] in ACTIVATION_RESOURCES:
        # issue 6: fuzzed with their own worlds in test_api_fuzz_{volunteers,rounds,teams,consultation}.py;
        # nothing of them exists here, so staff may only list (empty) and partners get nothing
        if 200 <= code < 300:
            assert role == "staff" and case.method == "GET" and "{id}" not in label, f"{role} got {code} from {label}"
            body = response.json()
            items = body.get("results", body) if isinstance(body, dict) else body
            assert items == [], f"{role} sees {label} items in a world without them"
        return
    report_id = case.path_parameters.get("id")
    if isinstance(report_id, int) and not isinstance(report_id, bool) and report_id in existing:
        if report_id not in visible:
            assert code == 404, f"{role} got {code} for someone else's report {report_id} ({label})"
        elif case.method == "GET":
            assert code == 200, f"{role} got {code} for its own report {report_id}"
    if not 200 <= code < 300:
        return
    data = response.json()
    if label == "GET /api/v1/reports/":
        leaked = {r["id"] for r in data["results"]} - visible
        assert not leaked, f"{role} sees reports {leaked} in the queue"
    elif label == "POST /api/v1/reports/":
        assert role == "staff", f"{role} may not file reports through the API ({code})"
    else:
        assert data["id"] in visible, f"{role} got report {data['id']} ({label})"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("operation", "mode"), modes_for(PRIVATE_OPERATIONS))
def test_private_operation_per_role(api, world, fuzz_reports, operation, mode, role):
    """Schema-driven cases, positive and negative; about half of the ids are existing reports,
    in and outside the user's scope."""
    headers = headers_for(world, role)
    visible = fuzz_reports.visible[role]
    strategy = with_path_values(operation, mode, id=fuzz_reports.ids)

    @fuzz_settings(max_examples=10 if role == "anonymous" else 25)
    @given(case=strategy)
    def run(case):
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                check_scope(case, response, role=role, visible=visible, existing=fuzz_reports.ids)

    run()


# -- Deeper variants: plausible intake data, tricky queue filters and cursors, non-object bodies.


@pytest.mark.parametrize("role", ["staff", "partner"])
def test_queue_filters_and_cursors(api, world, fuzz_reports, role):
    operation = SCHEMA["/api/v1/reports/"]["GET"]
    headers = headers_for(world, role)
    visible = fuzz_reports.visible[role]

    @fuzz_settings(max_examples=60)
    @given(query=queue_queries())
    def run(query):
        case = operation.Case(query=query)
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                check_scope(case, response, role=role, visible=visible, existing=fuzz_reports.ids)

    run()


@pytest.mark.parametrize("role", ["staff", "partner"])
def test_staff_intake_with_plausible_data(api, world, fuzz_reports, role):
    """Reaches the intake itself (the schema alone hardly ever produces a known address)."""
    operation = SCHEMA["/api/v1/reports/"]["POST"]
    headers = headers_for(world, role)
    complex_ids = [world.complex.pk, world.other_unit.complex_id]
    created = []

    @fuzz_settings(max_examples=40)
    @given(body=staff_report_bodies(complex_ids), key=st.none() | st.just("telefoon-1"))
    def run(body, key):
        case = operation.Case(body=body, headers={"Idempotency-Key": key} if key else {},
                              media_type="application/json")
        with rolled_back():
            response = api.call(case, headers=headers)
            if not api.validate(case, response, headers=headers):
                return
            check_scope(case, response, role=role, visible=set(), existing=fuzz_reports.ids)
            if response.status_code == 201:
                data = response.json()
                created.append(data["organisation"])
                assert data["channel"] == body.get("channel", "TEL")
                detail = SCHEMA["/api/v1/reports/{id}/"]["GET"].Case(path_parameters={"id": data["id"]})
                shown = api.call(detail, headers=headers)
                assert api.validate(detail, shown, headers=headers) and shown.status_code == 200

    run()
    if role == "staff":
        assert len(created) >= 3, "the strategy should file some reports"
    else:
        assert not created


# (arrears: test_api_fuzz_arrears.py, cases: test_api_fuzz_cases.py, issue 6: test_api_fuzz_<app>.py, with
# users who hold the permissions and objects to post to)
BODY_POSTS = [op for op in PRIVATE_OPERATIONS
              if op.method == "post" and "acknowledge" not in op.path and "/arrears/" not in op.path
              and "/cases/" not in op.path and op.path.split("/")[3] not in ACTIVATION_RESOURCES]


@pytest.mark.parametrize("operation", BODY_POSTS, ids=lambda op: op.label)
def test_private_post_with_a_body_that_is_not_an_object(api, world, fuzz_reports, operation):
    # the help request is a volunteer's operation; acknowledging takes no body at all
    headers = token_header(world.volunteer) if "help-requests" in operation.path else headers_for(world, "staff")
    report_id = fuzz_reports.by_name["plain"].pk

    @fuzz_settings(max_examples=15)
    @given(body=non_object_json())
    def run(body):
        case = operation.Case(body=body, media_type="application/json", path_parameters=(
            {"id": report_id} if "{id}" in operation.path else {}))
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                assert response.status_code == 400

    run()


def test_queue_cursor_walks_the_scope(api, world, fuzz_reports):
    """Sanity check of the oracle: staff's queue is exactly its three reports."""
    operation = SCHEMA["/api/v1/reports/"]["GET"]
    headers = headers_for(world, "staff")
    case = operation.Case(query={"status": "alle"})
    response = api.call(case, headers=headers)
    assert api.validate(case, response, headers=headers)
    assert {r["id"] for r in response.json()["results"]} == fuzz_reports.visible["staff"]
