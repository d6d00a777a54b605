"""Property-based tests of the consultation API (/api/v1/consultations/).

The world of wijkpunt/consultation/tests/factories.py: an open consultation of the corporation
(18 addresses, every question kind) and one of the other corporation. Roles: a consultant (every
consultation permission), management (results only), a consultant of the other corporation and a
volunteer (no consultation permission). For every request: no 5xx, documented responses conform,
another corporation's consultation is 404, and nothing of it comes back.

Until ``make schema`` has put these operations in docs/openapi.yaml, the schema of this app is
generated in process from the same views (drf-spectacular, with the project's hooks)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import schemathesis
import yaml
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

from wijkpunt.consultation.tests.factories import consultation_world, make_consultation

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/consultations/"
LABELS = {"GET /api/v1/consultations/", "GET /api/v1/consultations/{id}/addresses/",
          "POST /api/v1/consultations/{id}/visits/", "GET /api/v1/consultations/{id}/results/"}


def _schema_and_operations():
    found = operations(PREFIX)
    if found:
        return SCHEMA, found
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiYamlRenderer

    raw = yaml.safe_load(OpenApiYamlRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    schema = schemathesis.openapi.from_dict(raw, config=schemathesis.Config())
    schema.config.generation.update(with_security_parameters=False)
    ops = [r.ok() for r in schema.get_all_operations()]
    return schema, sorted((op for op in ops if op.path.startswith(PREFIX)), key=lambda op: (op.path, op.method))


CONSULTATION_SCHEMA, CONSULTATION_OPERATIONS = _schema_and_operations()
ROLES = ["consultant", "manager", "other", "volunteer"]


@pytest.fixture
def fc(db):
    w = consultation_world()
    own = make_consultation(w.corp, w.complex, actor=w.users["staff"])
    other = w.other_consultation
    users = {"consultant": w.users["consultant"], "manager": w.management, "other": w.users["other_consultant"],
             "volunteer": w.users["volunteer"]}
    reach = {"consultant": {own.pk}, "manager": {own.pk}, "other": {other.pk}, "volunteer": set()}
    return SimpleNamespace(w=w, own=own, other=other, users=users, reach=reach, ids=[own.pk, other.pk],
                           addresses=list(own.addresses.values_list("pk", flat=True)[:4])
                           + list(other.addresses.values_list("pk", flat=True)[:1]))


def test_every_consultation_operation_is_here():
    assert {op.label for op in CONSULTATION_OPERATIONS} == LABELS


def check_scope(case, response, *, role: str, fc) -> None:
    __tracebackhide__ = True
    code, label = response.status_code, case.operation.label
    if role == "volunteer":
        assert code in (400, 403, 404, 405, 415), f"volunteer got {code} for {label}"
    cid = case.path_parameters.get("id")
    if isinstance(cid, int) and not isinstance(cid, bool) and cid in fc.ids and role != "volunteer":
        if cid not in fc.reach[role]:
            assert code == 404, f"{role} got {code} for another corporation's consultation ({label})"
        elif case.method == "GET":
            allowed = 403 if role == "manager" and label.endswith("/addresses/") else 200
            assert code == allowed, f"{role} got {code} for {label}"
    if not 200 <= code < 300:
        return
    data = response.json()
    if label == "GET /api/v1/consultations/":
        assert {row["id"] for row in data} <= fc.reach[role]
    text = str(data)
    assert "Familie" not in text  # no household names anywhere in this API


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("operation", "mode"), modes_for(CONSULTATION_OPERATIONS))
def test_consultation_operation_per_role(api, fc, operation, mode, role):
    fuzz_operation_as(api, operation, mode, user=fc.users[role], ids=fc.ids, max_examples=20,
                      check=lambda case, response: check_scope(case, response, role=role, fc=fc))


def _bodies(fc):
    q = {x.kind: x.pk for x in fc.own.questions.all()}
    values = st.one_of(st.sampled_from(["sloop", "renovatie", "", "\x00", "x" * 2001, 3, 0, 6, True, None, 2.5]),
                       st.lists(st.sampled_from(["meer-ruimte", "zwembad", "", 1]), max_size=3), st.text(max_size=10))
    answers = st.dictionaries(st.sampled_from([str(v) for v in q.values()] + ["0", "abc", "-1", "9" * 30]), values,
                              max_size=5) | st.sampled_from([[], "sloop", None, 7])
    return st.fixed_dictionaries({}, optional={
        "address": st.sampled_from(fc.addresses) | st.sampled_from([0, -1, 2**63, "12", None]),
        "outcome": st.sampled_from(["beantwoord", "niet-thuis", "geweigerd", "verhuisd", "", "weg", None]),
        "answers": answers,
        "remarks": st.sampled_from(["Na 17 uur", "", "r" * 2001, "nul\x00", None]) | st.text(max_size=10),
        "housing_wish": st.sampled_from(["blijven", "kleiner", "groter", "aangepast", "", "villa", None]),
        "housing_wish_note": st.sampled_from(["", "Kinderen het huis uit", "n" * 501, None]),
    })


@pytest.mark.parametrize("role", ["consultant", "manager", "other"])
def test_visits_with_plausible_bodies(api, fc, role):
    operation = CONSULTATION_SCHEMA["/api/v1/consultations/{id}/visits/"]["POST"]
    headers = token_header(fc.users[role])
    codes = []

    @fuzz_settings(max_examples=60)
    @given(body=_bodies(fc), cid=st.sampled_from(fc.ids),
           key=st.sampled_from(["", "k-1", "k" * 101, "sleutel\x7f"]))
    def run(body, cid, key):
        case = operation.Case(body=body, path_parameters={"id": cid}, media_type="application/json",
                              headers={"Idempotency-Key": key} if key else {})
        with rolled_back():
            response = api.call(case, headers={**headers, **({"Idempotency-Key": key} if key else {})})
            if api.validate(case, response, headers=headers):
                check_scope(case, response, role=role, fc=fc)
                codes.append(response.status_code)

    run()
    assert 400 in codes or 403 in codes or 404 in codes


def test_visits_with_a_body_that_is_not_an_object(api, fc):
    operation = CONSULTATION_SCHEMA["/api/v1/consultations/{id}/visits/"]["POST"]
    headers = token_header(fc.users["consultant"])

    @fuzz_settings(max_examples=15)
    @given(body=non_object_json())
    def run(body):
        case = operation.Case(body=body, media_type="application/json", path_parameters={"id": fc.own.pk})
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                assert response.status_code == 400

    run()
