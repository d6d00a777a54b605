"""Property-based tests of the arrears API (/api/v1/arrears/) with users who hold its permissions.

Roles: the rent collector of the world's corporation (view_financial, handle_arrears,
import_ledger) and a read-only user (view_financial only). test_api_fuzz_private.py covers
staff, partners and anonymous clients, who get no 2xx here. For every request: no 5xx, documented
responses conform, an episode of the other corporation is 404, and nothing outside the user's
corporation comes back; a write by the read-only user is 403.
"""

from __future__ import annotations

import datetime as dt
import json
import math

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

pytestmark = pytest.mark.django_db

ARREARS_OPERATIONS = operations("/api/v1/arrears/")
ROLES = ["collector", "reader"]
WRITES = ("steps/", "signal/", "ledger/", "answers/")


def test_every_arrears_operation_is_here():
    assert len(ARREARS_OPERATIONS) == 7


def check_scope(case, response, *, role: str, aw) -> None:
    __tracebackhide__ = True
    code, label = response.status_code, case.operation.label
    episode_id = case.path_parameters.get("id")
    if isinstance(episode_id, int) and not isinstance(episode_id, bool) and episode_id in aw.ids:
        if episode_id not in aw.own_ids:
            assert code in (403, 404), f"{role} got {code} for another corporation's episode ({label})"
            if role == "collector" or case.method == "GET":
                assert code == 404, f"{role} got {code} for another corporation's episode ({label})"
        elif case.method == "GET":
            assert code == 200, f"{role} got {code} for its own episode {episode_id}"
    if role == "reader" and label.endswith(WRITES):
        routed = "{id}" not in case.operation.path or (
            isinstance(episode_id, int) and not isinstance(episode_id, bool) and episode_id >= 0)
        # a path that does not route (id not a number) is 404 before any permission check
        assert code == 403 if routed else code == 404, f"the read-only user got {code} from {label}"
    if not 200 <= code < 300:
        return
    if label == "GET /api/v1/arrears/episodes/":
        leaked = {row["id"] for row in response.json()["results"]} - aw.own_ids
        assert not leaked, f"{role} sees episodes {leaked}"
    elif label == "GET /api/v1/arrears/episodes/{id}/":
        assert response.json()["id"] in aw.own_ids
    elif label == "GET /api/v1/arrears/signals/export/" and "json" in "".join(response.headers.get("content-type", [])):
        exported = {record["signaalId"] for record in json.loads(response.content)["vroegsignalen"]}
        assert exported <= {str(aw.signals["own"].public_id)}, f"{role} exported {exported}"
    elif label == "POST /api/v1/arrears/ledger/":
        assert response.json()["corporation"] == "test"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("operation", "mode"), modes_for(ARREARS_OPERATIONS))
def test_arrears_operation_per_role(api, fuzz_arrears, operation, mode, role):
    """Schema-driven cases, positive and negative; about half of the ids are existing episodes of
    both corporations."""
    fuzz_operation_as(api, operation, mode, user=fuzz_arrears.users[role], ids=fuzz_arrears.ids, max_examples=25,
                      check=lambda case, response: check_scope(case, response, role=role, aw=fuzz_arrears))


# -- Plausible bodies and queries: they reach the services, the rules and the imports.

DATES = st.sampled_from(["", "2024-02-30", "0001-01-01", "9999-12-31", "31-12-2025", "morgen", "2026-13-01"]) | st.dates(
    min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)).map(dt.date.isoformat)


def recent_dates() -> st.SearchStrategy[str]:
    today = dt.date.today()
    return st.dates(min_value=today - dt.timedelta(days=150), max_value=today).map(dt.date.isoformat) | DATES


def step_bodies() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"kind": st.sampled_from(["contact_attempt", "debt_help_referral", "reminder_letter", "objection",
                                  "fourteen_day_letter", "note", "signal", "outcome", ""])},
        optional={
            "occurred_on": recent_dates(),
            "channel": st.sampled_from(["TEL", "BEZ", "BAL", "BRI", "EMA", "SMS", "APP", "INT", "tel", ""]),
            "reached": st.booleans() | st.sampled_from(["ja", "true", 0, 2, None]),
            "daypart": st.sampled_from(["OCH", "MID", "AVO", "", "NACHT"]),
            "note": st.sampled_from(["Gebeld, geen gehoor", "", "   "]) | st.text(max_size=30),
        },
    )


def signal_bodies() -> st.SearchStrategy[dict]:
    flags = st.booleans() | st.sampled_from(["ja", "1", None, 2])
    return st.fixed_dictionaries({}, optional={"signal_date": recent_dates(), "crisis": flags,
                                               "warm_handover": flags})


@pytest.mark.parametrize(("path", "bodies"), [
    ("/api/v1/arrears/episodes/{id}/steps/", step_bodies()),
    ("/api/v1/arrears/episodes/{id}/signal/", signal_bodies()),
], ids=["steps", "signal"])
def test_steps_and_signals_with_plausible_bodies(api, fuzz_arrears, path, bodies):
    operation = SCHEMA[path]["POST"]
    headers = token_header(fuzz_arrears.users["collector"])
    codes = []

    @fuzz_settings(max_examples=60)
    @given(body=bodies, episode=st.sampled_from(fuzz_arrears.ids))
    def run(body, episode):
        case = operation.Case(body=body, path_parameters={"id": episode}, media_type="application/json")
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                check_scope(case, response, role="collector", aw=fuzz_arrears)
                codes.append(response.status_code)

    run()
    assert 201 in codes and 400 in codes, "the strategy should reach both the services and the validation"


def ledger_csv(lines: list[list[str]], delimiter: str) -> bytes:
    header = ["boekingsnummer", "contractnummer", "boekingsoort", "boekingdetailsoort", "boekdatum", "vervaldatum",
              "bedrag", "omschrijving"]
    return "\n".join(delimiter.join(row) for row in [header, *lines]).encode()


LEDGER_LINE = st.tuples(
    st.sampled_from(["L1", "L2", "L3", "", "L" * 50]),
    st.sampled_from(["HO0000001", "HO0000002", "HO0000005", "HO9", ""]),
    st.sampled_from(["VOR", "ONT", "MEM", "vor", "XXX", ""]),
    st.sampled_from(["PRO", "BAN", "", "ZZZ"]),
    recent_dates(), recent_dates(),
    st.sampled_from(["612,45", "612.45", "-12", "0", "1e5", "9" * 20, "0,001", ""]),
    st.text(max_size=10).filter(lambda text: not set(text) & set(";,\n\r\"")),
).map(list)


def ledger_files() -> st.SearchStrategy[bytes]:
    return st.builds(ledger_csv, st.lists(LEDGER_LINE, max_size=4), st.sampled_from([";", ","])) | st.binary(
        max_size=40)


def answer_files(aw) -> st.SearchStrategy[bytes]:
    ids = st.sampled_from([str(aw.signals["own"].public_id), str(aw.signals["elsewhere"].public_id),
                           "00000000-0000-0000-0000-000000000000", "nope", ""])
    statuses = st.sampled_from(["opgepakt", "Opgepakt", "geen_contact", "nog_niet_opgepakt", "raar", ""])
    line = st.tuples(ids, statuses, recent_dates()).map(";".join)
    return st.lists(line, max_size=3).map(lambda lines: "\n".join(["signaal_id;status;datum", *lines]).encode())


@pytest.mark.parametrize("role", ["collector", "importer"])
def test_ledger_with_plausible_files(api, fuzz_arrears, role):
    operation = SCHEMA["/api/v1/arrears/ledger/"]["POST"]
    headers = token_header(fuzz_arrears.users[role])

    @fuzz_settings(max_examples=40)
    @given(content=ledger_files(), dry_run=st.sampled_from([None, "true", "false", "ja"]),
           corporation=st.sampled_from([None, "test", "ander", "bestaat-niet", ""]))
    def run(content, dry_run, corporation):
        body = {"file": content}
        if dry_run is not None:
            body["dry_run"] = dry_run
        if corporation is not None:
            body["corporation"] = corporation
        case = operation.Case(body=body, media_type="multipart/form-data")
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers) and 200 <= response.status_code < 300:
                assert response.json()["corporation"] in ("test", "ander")

    run()


def test_answers_with_plausible_files(api, fuzz_arrears):
    operation = SCHEMA["/api/v1/arrears/signals/answers/"]["POST"]
    headers = token_header(fuzz_arrears.users["collector"])

    @fuzz_settings(max_examples=40)
    @given(content=answer_files(fuzz_arrears))
    def run(content):
        case = operation.Case(body={"file": content}, media_type="multipart/form-data")
        with rolled_back():
            response = api.call(case, headers=headers)
            api.validate(case, response, headers=headers)

    run()


def test_list_and_export_queries(api, fuzz_arrears):
    episodes = SCHEMA["/api/v1/arrears/episodes/"]["GET"]
    export = SCHEMA["/api/v1/arrears/signals/export/"]["GET"]
    headers = token_header(fuzz_arrears.users["collector"])
    list_queries = st.fixed_dictionaries({}, optional={
        "status": st.sampled_from(["open", "closed", "all", "alle", ""]),
        "min_months": st.sampled_from(["0", "1,5", "1.5", "2", "-1", "1e9", "nan", "Infinity", "9" * 30, ""]),
        "na": cursors(),
    })
    export_queries = st.fixed_dictionaries({}, optional={
        "format": st.sampled_from(["json", "csv", "xml", ""]),
        "municipality": st.sampled_from(["GM0355", "GM0001", "gm0355", "GM\u0663\u0663\u0665\u0665", ""]),
        "only_new": st.sampled_from(["true", "false", "1", "ja", ""]),
    })

    @fuzz_settings(max_examples=60)
    @given(query=list_queries | export_queries)
    def run(query):
        operation = export if {"format", "municipality", "only_new"} & set(query) else episodes
        case = operation.Case(query=query)
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                check_scope(case, response, role="collector", aw=fuzz_arrears)

    run()


JSON_POSTS = ["/api/v1/arrears/episodes/{id}/steps/", "/api/v1/arrears/episodes/{id}/signal/"]


@pytest.mark.parametrize("path", JSON_POSTS)
def test_arrears_post_with_a_body_that_is_not_an_object(api, fuzz_arrears, path):
    operation = SCHEMA[path]["POST"]
    headers = token_header(fuzz_arrears.users["collector"])
    episode = fuzz_arrears.episodes["ready"].pk

    @fuzz_settings(max_examples=15)
    @given(body=non_object_json().filter(lambda body: not (isinstance(body, float) and math.isinf(body))))
    def run(body):
        case = operation.Case(body=body, media_type="application/json", path_parameters={"id": episode})
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                assert response.status_code == 400

    run()


def test_oracle_sees_the_collectors_scope(api, fuzz_arrears):
    """Sanity check of the oracle: the list is the corporation's episodes, the export its signal."""
    headers = token_header(fuzz_arrears.users["collector"])
    case = SCHEMA["/api/v1/arrears/episodes/"]["GET"].Case(query={"status": "all"})
    response = api.call(case, headers=headers)
    assert api.validate(case, response, headers=headers)
    assert {row["id"] for row in response.json()["results"]} == fuzz_arrears.own_ids
    case = SCHEMA["/api/v1/arrears/signals/export/"]["GET"].Case(query={"format": "json"})
    with rolled_back():
        response = api.call(case, headers=headers)
        assert api.validate(case, response, headers=headers)
    assert "json" in "".join(response.headers.get("content-type", []))
    exported = [record["signaalId"] for record in json.loads(response.content)["vroegsignalen"]]
    assert exported == [str(fuzz_arrears.signals["own"].public_id)]
