"""Property-based tests of the public API (/api/public/v1/), anonymous, driven by docs/openapi.yaml.

Project rule: bad input never gives a 500. Every generated request (valid and invalid per the
schema) must get a non-5xx answer whose documented parts (status, content type, body) conform.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import quote

import pytest
from apifuzz import PUBLIC_PREFIX, SCHEMA, fuzz_settings, modes_for, operations, rolled_back, with_path_values
from apistrategies import non_object_json, public_report_bodies
from hypothesis import given
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

PUBLIC_OPERATIONS = operations(PUBLIC_PREFIX)


def test_every_public_operation_is_fuzzed():
    assert {op.label for op in PUBLIC_OPERATIONS} == {
        "GET /api/public/v1/categories/",
        "GET /api/public/v1/challenge/",
        "POST /api/public/v1/reports/",
        "GET /api/public/v1/reports/{token}/",
        "POST /api/public/v1/suggest/",
    }


@pytest.mark.parametrize(("operation", "mode"), modes_for(PUBLIC_OPERATIONS))
def test_public_operation_never_fails_on_generated_input(api, fuzz_reports, operation, mode):
    """Schema-driven cases, positive and negative; half of the tracking tokens are real ones."""
    strategy = with_path_values(operation, mode, token=fuzz_reports.tokens)

    @fuzz_settings(max_examples=30)
    @given(case=strategy)
    def run(case):
        with rolled_back():
            response = api.call(case)
            if api.validate(case, response) and case.path_parameters.get("token") in fuzz_reports.tokens:
                assert response.status_code == 200, "a real tracking token must find its report"

    run()


def test_public_track_with_odd_tokens(api, fuzz_reports):
    """Real tokens, near misses (too long, control characters) and arbitrary text."""
    operation = SCHEMA["/api/public/v1/reports/{token}/"]["GET"]
    odd = ["x" * 64, "x" * 65, fuzz_reports.tokens[0][:-1], fuzz_reports.tokens[0].upper(), " ", "..", "%00", "a\x00b",
           "\u00e9\u00e9n"]
    tokens = st.sampled_from(fuzz_reports.tokens) | st.sampled_from(odd) | st.text(min_size=1, max_size=70)

    @fuzz_settings(max_examples=30)
    @given(token=tokens)
    def run(token):
        # explicit path values are sent as given; percent-encode them like generated ones are
        case = operation.Case(path_parameters={"token": quote(token, safe="")})
        with rolled_back():
            response = api.call(case)
            if api.validate(case, response):
                assert response.status_code == (200 if token in fuzz_reports.tokens else 404)

    run()


@pytest.mark.parametrize("operation", [op for op in PUBLIC_OPERATIONS if op.method == "post"], ids=lambda op: op.label)
def test_public_post_with_a_body_that_is_not_an_object(api, operation):
    """Valid JSON, but an array, string, number, boolean or null instead of an object."""

    @fuzz_settings(max_examples=15)
    @given(body=non_object_json())
    def run(body):
        case = operation.Case(body=body, media_type="application/json")
        with rolled_back():
            response = api.call(case)
            if api.validate(case, response):
                assert response.status_code == 400

    run()


# -- A deeper variant for POST /api/public/v1/reports/: a solved proof-of-work and plausible data.


def test_public_create_with_solved_proof_of_work(api, world):
    """Reaches validation of the location, reporter and idempotency (not just the captcha). A
    created report must be followable with its token; a retry with the same key gives the same report."""
    operation = SCHEMA["/api/public/v1/reports/"]["POST"]
    track = SCHEMA["/api/public/v1/reports/{token}/"]["GET"]
    complex_ids = [world.complex.pk, world.other_unit.complex_id]
    outcomes: Counter = Counter()

    @fuzz_settings(max_examples=60)
    @given(body=public_report_bodies(complex_ids), key=st.none() | st.sampled_from(["sleutel-1", "x" * 100, "x" * 101]))
    def run(body, key):
        headers = {"Idempotency-Key": key} if key else {}
        case = operation.Case(body=body, headers=headers, media_type="application/json")
        with rolled_back():
            response = api.call(case)
            api.validate(case, response)
            outcomes[response.status_code] += 1
            if response.status_code != 201:
                return
            created = response.json()
            follow = track.Case(path_parameters={"token": created["tracking_token"]})
            followed = api.call(follow)
            assert api.validate(follow, followed)
            assert followed.json()["reference"] == created["reference"]
            if key:
                retry = operation.Case(body=body, headers=headers, media_type="application/json")
                again = api.call(retry)
                assert api.validate(retry, again)
                assert again.status_code == 200 and again.json()["reference"] == created["reference"]

    run()
    assert outcomes[201] >= 3, f"the strategy should file some reports: {dict(outcomes)}"
    assert outcomes[400] >= 3, f"and be rejected for bad data too: {dict(outcomes)}"
