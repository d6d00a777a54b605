"""Property-based tests of the cases API (/api/v1/cases/) with users who take part in cases.

The world of wijkpunt/cases/tests/test_api.py: one case with every kind of information and a second
case the partner is not part of. Roles: the owner's consultant, a care professional of the partner
organisation that takes part with the resident's consent for everything, a colleague of the partner
organisation whose invitation is still open (second case), and a user of a partner organisation
that takes part in nothing. For every request: no 5xx, documented responses conform, a case outside
the user's reach is 404, and nothing of another case comes back.
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
from apistrategies import cursors, non_object_json
from hypothesis import given
from hypothesis import strategies as st

from wijkpunt.cases.models import CaseParticipant
from wijkpunt.cases.tests.test_api import CATEGORY_ORDER, case_world, consent, participate

pytestmark = pytest.mark.django_db

CASES_OPERATIONS = operations("/api/v1/cases/")
ROLES = ["consultant", "zorgprofessional", "invited", "outsider"]


@pytest.fixture
def fuzz_cases(db):
    cw = case_world()
    participate(cw, CaseParticipant.Status.ACCEPTED)
    consent(cw, CATEGORY_ORDER)
    CaseParticipant.objects.create(case=cw.other_case, organisation=cw.partner, request="Meedenken?",
                                   invited_by=cw.w.consultant)
    case, other = cw.case.pk, cw.other_case.pk
    users = {"consultant": cw.users["consultant"], "zorgprofessional": cw.users["zorgprofessional"],
             "invited": cw.users["partner_medewerker"], "outsider": cw.users["outsider"]}
    # what each may reach: the partner organisation takes part in the first case, is invited to the second
    reach = {"consultant": {case, other}, "zorgprofessional": {case, other}, "invited": {case, other},
             "outsider": set()}
    return SimpleNamespace(cw=cw, users=users, reach=reach, ids=[case, other])


def test_every_cases_operation_is_here():
    assert {op.label for op in CASES_OPERATIONS} == {
        "GET /api/v1/cases/", "GET /api/v1/cases/{id}/", "POST /api/v1/cases/{id}/notes/",
        "POST /api/v1/cases/{id}/answer/"}


def check_scope(case, response, *, role: str, fc) -> None:
    __tracebackhide__ = True
    code, label = response.status_code, case.operation.label
    case_id = case.path_parameters.get("id")
    if isinstance(case_id, int) and not isinstance(case_id, bool) and case_id in fc.ids:
        if case_id not in fc.reach[role]:
            assert code == 404, f"{role} got {code} for a case it cannot reach ({label})"
        elif case.method == "GET":
            assert code == 200, f"{role} got {code} for case {case_id}"
    if not 200 <= code < 300:
        return
    data = response.json()
    if label == "GET /api/v1/cases/":
        leaked = {row["id"] for row in data["results"]} - fc.reach[role]
        assert not leaked, f"{role} sees cases {leaked}"
        if role != "consultant":
            assert all(row["title"] is None for row in data["results"])
    elif label == "GET /api/v1/cases/{id}/":
        assert data["id"] in fc.reach[role]
        if role != "consultant" and data["id"] == fc.cw.other_case.pk:
            assert data["person"] is None and data["title"] is None  # invited: no consent yet
    elif label == "POST /api/v1/cases/{id}/answer/":
        assert role in ("zorgprofessional", "invited") and case_id == fc.cw.other_case.pk


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("operation", "mode"), modes_for(CASES_OPERATIONS))
def test_cases_operation_per_role(api, fuzz_cases, operation, mode, role):
    fuzz_operation_as(api, operation, mode, user=fuzz_cases.users[role], ids=fuzz_cases.ids, max_examples=25,
                      check=lambda case, response: check_scope(case, response, role=role, fc=fuzz_cases))


NOTE_BODIES = st.fixed_dictionaries({}, optional={
    "text": st.sampled_from(["Huisbezoek gedaan", "", "   ", "x" * 10_001, "nul\x00teken"]) | st.text(max_size=20),
    "category": st.sampled_from(["persoon", "situatie", "zorg", "schulden", "", "geheim", None]),
    "visibility": st.sampled_from(["eigen", "deelnemers", "", "iedereen", None]),
})
ANSWER_BODIES = st.fixed_dictionaries({}, optional={
    "accept": st.booleans() | st.sampled_from(["ja", "true", 0, 2, None]),
    "reason": st.sampled_from(["Geen capaciteit", "", "  ", "r" * 2001, None]) | st.text(max_size=20),
})


@pytest.mark.parametrize("role", ["consultant", "zorgprofessional", "invited"])
@pytest.mark.parametrize(("path", "bodies"), [("/api/v1/cases/{id}/notes/", NOTE_BODIES),
                                              ("/api/v1/cases/{id}/answer/", ANSWER_BODIES)], ids=["notes", "answer"])
def test_writes_with_plausible_bodies(api, fuzz_cases, role, path, bodies):
    operation = SCHEMA[path]["POST"]
    headers = token_header(fuzz_cases.users[role])
    codes = []

    @fuzz_settings(max_examples=40)
    @given(body=bodies, case_id=st.sampled_from(fuzz_cases.ids))
    def run(body, case_id):
        case = operation.Case(body=body, path_parameters={"id": case_id}, media_type="application/json")
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                check_scope(case, response, role=role, fc=fuzz_cases)
                codes.append(response.status_code)

    run()
    assert 400 in codes or 403 in codes


def test_list_queries(api, fuzz_cases):
    operation = SCHEMA["/api/v1/cases/"]["GET"]
    headers = token_header(fuzz_cases.users["zorgprofessional"])
    queries = st.fixed_dictionaries({}, optional={"status": st.sampled_from(["open", "closed", "all", "alle", ""]),
                                                  "na": cursors()})

    @fuzz_settings(max_examples=40)
    @given(query=queries)
    def run(query):
        case = operation.Case(query=query)
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                check_scope(case, response, role="zorgprofessional", fc=fuzz_cases)

    run()


@pytest.mark.parametrize("path", ["/api/v1/cases/{id}/notes/", "/api/v1/cases/{id}/answer/"])
def test_cases_post_with_a_body_that_is_not_an_object(api, fuzz_cases, path):
    operation = SCHEMA[path]["POST"]
    # the consultant may write notes in the case; the invited colleague may answer the second one
    role, case_id = (("consultant", fuzz_cases.cw.case.pk) if path.endswith("notes/")
                     else ("invited", fuzz_cases.cw.other_case.pk))
    headers = token_header(fuzz_cases.users[role])

    @fuzz_settings(max_examples=15)
    @given(body=non_object_json())
    def run(body):
        case = operation.Case(body=body, media_type="application/json", path_parameters={"id": case_id})
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                assert response.status_code == 400

    run()
