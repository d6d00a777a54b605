"""Helpers for the property-based API tests (schemathesis + Hypothesis); fixtures are in conftest.py.

The schema is the committed ``docs/openapi.yaml``; every request goes in-process to Django's WSGI
handler through schemathesis' WSGI transport (no server, no network). The test database of
pytest-django is used as is: each Hypothesis example runs inside a savepoint that is rolled back,
so examples never see each other's reports, rate-limit counters or used captcha challenges.
"""

from __future__ import annotations

import base64
import json
import re
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import schemathesis
import yaml
from django.core.handlers.wsgi import WSGIHandler
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"

# Response properties that the API returns as null but the committed schema declares as plain
# (non-nullable) strings. Each is pinned by a strict xfail in test_api_findings.py; the fuzz
# tests validate against a copy of the schema with these marked nullable, so that they keep
# checking everything else. Once `make schema` emits them as nullable, the xfails turn into
# XPASS failures: then delete the entries here.
NULLABLE_GAPS: dict[str, tuple[str, ...]] = {}  # all fixed (allow_null in reports/serializers.py)


def _load(*, patched: bool):
    raw = yaml.safe_load(SCHEMA_PATH.read_text(encoding="utf-8"))
    if patched:
        components = raw["components"]["schemas"]
        for component, names in NULLABLE_GAPS.items():
            for name in names:
                components[component]["properties"][name]["nullable"] = True
    schema = schemathesis.openapi.from_dict(raw, config=schemathesis.Config())
    schema.location = SCHEMA_PATH.as_uri()
    # Credentials are sent by the tests themselves (per role); random Authorization headers and
    # session cookies would only turn every private request into a 401/403.
    schema.config.generation.update(with_security_parameters=False)
    return schema


COMMITTED_SCHEMA = _load(patched=False)  # docs/openapi.yaml exactly as committed
SCHEMA = _load(patched=True)  # the same, with the known NULLABLE_GAPS marked nullable

PUBLIC_PREFIX = "/api/public/v1/"
PRIVATE_PREFIX = "/api/v1/"

# Checks that need no extra requests; no timing check (max_response_time) on purpose.
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance, response_headers_conformance]

# drf-spectacular documents only the success responses. These error statuses are part of the
# API's contract (field-level 400s, 401/403 without rights, 404 outside the user's scope, 409 for
# an idempotency-key conflict, 429 rate limit, 405/415 from DRF) but are missing from the schema:
# see test_error_statuses_are_documented (strict xfail) in test_api_findings.py.
UNDOCUMENTED_ERROR_STATUSES = frozenset({405, 415})  # DRF's method / media-type answers; the rest is documented

# Success statuses the app returns but the schema does not list; each has a strict xfail in
# test_api_findings.py, and is only tolerated here so the fuzzing keeps looking for 5xx.
KNOWN_UNDOCUMENTED_SUCCESS: dict[str, frozenset[int]] = {}  # none left


def fuzz_settings(max_examples: int = 30) -> settings:
    """Small, deterministic, no deadline: bounded run time and the same examples on every run."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=False,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
                               HealthCheck.large_base_example],
    )


def operations(prefix: str) -> list:
    found = []
    for result in SCHEMA.get_all_operations():
        operation = result.ok()
        if operation.path.startswith(prefix):
            found.append(operation)
    return sorted(found, key=lambda op: (op.path, op.method))


def has_inputs(operation) -> bool:
    """Negative generation needs something that can be invalid: a request body or a non-string
    parameter (any text is a valid optional string parameter, so those alone cannot be negated)."""
    return len(operation.body) > 0 or any(
        parameter.definition.get("schema", {}).get("type") != "string" for parameter in operation.iter_parameters()
    )


def modes_for(operations_: list) -> list:
    """(operation, generation mode) pairs, as pytest params with readable ids."""
    params = []
    for operation in operations_:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if mode is GenerationMode.NEGATIVE and not has_inputs(operation):
                continue
            params.append(pytest.param(operation, mode, id=f"{operation.label}-{mode.value}"))
    return params


def with_path_values(operation, mode, **choices) -> st.SearchStrategy:
    """Cases for ``operation``; about half of them get a known value (an existing report id or
    tracking token) for the named path parameters instead of a random one, so that the deeper code
    paths (and the scoping of other users' reports) are actually exercised."""
    base = operation.as_strategy(generation_mode=mode)
    path_names = {parameter.name for parameter in operation.path_parameters}
    choices = {name: values for name, values in choices.items() if name in path_names}
    if not choices:
        return base
    names = sorted(choices)
    overrides = st.tuples(*[st.none() | st.sampled_from(choices[name]) for name in names])

    def apply(pair):
        case, values = pair
        for name, value in zip(names, values, strict=True):
            if value is not None:
                case.path_parameters[name] = value
        return case

    return st.tuples(base, overrides).map(apply)


@contextmanager
def rolled_back() -> Iterator[None]:
    """One savepoint per example, always rolled back (also when a check fails)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@dataclass(frozen=True)
class Finding:
    """A server error found by these tests and not fixed yet (app code is not ours to change).

    test_api_findings.py replays ``request`` as a strict xfail per finding; the fuzz tests treat a
    5xx whose traceback matches (operation, innermost project frame, exception) as this known
    finding and go on looking for others. When the fix lands the xfail turns into an XPASS
    failure: then delete the entry."""

    key: str
    operation: str  # schemathesis label, e.g. "GET /api/v1/reports/"
    frame: str  # innermost frame in src/wijkpunt, as "reports/selectors.py:_decode_cursor"
    error: str  # regex for the exception's last traceback line, e.g. "^ValueError: day is out of range"
    request: dict = field(default_factory=dict)  # keyword arguments for APIOperation.Case()
    role: str | None = None  # world.users key for a token; None is anonymous
    backends: tuple[str, ...] = ("sqlite", "postgresql")  # where it happens
    fix: str = ""


_PROJECT_FRAME = re.compile(r'File "[^"]*/src/wijkpunt/([^"]+)", line \d+, in (\w+)')


def traceback_signature(text: str) -> tuple[str, str]:
    """(innermost project frame, last line) of a formatted traceback."""
    frames = _PROJECT_FRAME.findall(text)
    frame = f"{frames[-1][0]}:{frames[-1][1]}" if frames else ""
    return frame, text.strip().splitlines()[-1]


def known_finding(operation_label: str, tracebacks: list[str]) -> Finding | None:
    for text in tracebacks:
        frame, last = traceback_signature(text)
        for finding in FINDINGS:
            if finding.operation == operation_label and finding.frame == frame and re.search(finding.error, last):
                return finding
    return None


class InProcessAPI:
    """Sends schemathesis cases to Django's WSGI handler and validates the responses."""

    def __init__(self) -> None:
        self.app = WSGIHandler()
        self.tracebacks: list[str] = []
        self.statuses: Counter = Counter()
        self.known: Counter = Counter()  # Finding.key -> times hit

    def on_exception(self, sender, request=None, **kwargs) -> None:
        self.tracebacks.append(traceback.format_exc())

    def call(self, case, *, headers: dict | None = None):
        self.tracebacks.clear()
        response = case.call(app=self.app, headers=headers)
        self.statuses[(case.operation.label, response.status_code)] += 1
        return response

    def validate(self, case, response, *, headers: dict | None = None) -> bool:
        """No 5xx (with the server traceback in the message), schemathesis' conformance checks
        for documented responses, and only documented or known error statuses.

        Returns False (and checks nothing else) for a 5xx that is a known Finding."""
        __tracebackhide__ = True

        def described() -> str:
            return f"{case.operation.label} -> {response.status_code}\n{case.as_curl_command(headers=headers)}"

        if response.status_code >= 500 or self.tracebacks:
            finding = known_finding(case.operation.label, self.tracebacks)
            if finding is not None and response.status_code == 500:
                self.known[finding.key] += 1
                return False
            pytest.fail(f"Server error: {described()}\n\n" + "\n".join(self.tracebacks), pytrace=False)
        case.validate_response(response, checks=CHECKS, headers=headers)
        documented = {int(code) for code in case.operation.responses.status_codes if code.isdigit()}
        code = response.status_code
        if code in documented or code in UNDOCUMENTED_ERROR_STATUSES:
            return True
        if code in KNOWN_UNDOCUMENTED_SUCCESS.get(case.operation.label, ()):
            return True
        pytest.fail(f"Status {code} is not in the schema ({sorted(documented)}): {described()}", pytrace=False)


def token_header(user) -> dict[str, str]:
    token, _ = Token.objects.get_or_create(user=user)
    return {"Authorization": f"Token {token.key}"}


def fuzz_operation_as(api, operation, mode, *, user, ids, check, max_examples: int = 30) -> None:
    """Schema-driven cases for one operation, sent as ``user`` with path ids drawn from ``ids``, each
    in a transaction that is rolled back; ``check(case, response)`` runs on every response that
    conforms to the schema."""
    headers = token_header(user)
    strategy = with_path_values(operation, mode, id=ids)

    @fuzz_settings(max_examples=max_examples)
    @given(case=strategy)
    def run(case):
        with rolled_back():
            response = api.call(case, headers=headers)
            if api.validate(case, response, headers=headers):
                check(case, response)

    run()


def cursor(values: list) -> str:
    """A keyset cursor (`na`) as selectors._encode_cursor makes it, with any values."""
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


_REPORT = {"description": "Lekkage in de badkamer, het plafond is nat.",
           "location": {"kind": "adres", "postcode": "3701AB", "house_number": 12}}

FIXED_FINDINGS = [
    Finding(
        key="suggest-body-not-an-object",
        operation="POST /api/public/v1/suggest/",
        frame="reports/api.py:post",
        error=r"^AttributeError: '\w+' object has no attribute 'get'",
        request={"body": ["lekkage", "badkamer"], "media_type": "application/json"},
        fix="PublicSuggestView.post calls request.data.get(); a JSON array, string, number or null body "
            "has no .get(). Reject non-objects first: `if not isinstance(request.data, Mapping): raise "
            "serializers.ValidationError({'non_field_errors': ['Stuur een JSON-object met \"text\".']})` "
            "(or validate with the SuggestRequest serializer).",
    ),
    Finding(
        key="queue-assignee-out-of-range",
        operation="GET /api/v1/reports/",
        frame="reports/selectors.py:queue_page",
        error=r"^OverflowError: Python int too large to convert to SQLite INTEGER",
        request={"query": {"behandelaar": "9" * 19}},
        role="staff",
        backends=("sqlite",),
        fix="selectors.apply_filters: `elif f.assignee.isascii() and f.assignee.isdigit():` has no length "
            "bound (views_staff.as_int has `len(value) <= 18` for buurt/complex), so 19+ digits overflow "
            "SQLite's 64-bit integer: add `and len(f.assignee) <= 18`.",
    ),
    Finding(
        key="public-create-occurred-at-year-one",
        operation="POST /api/public/v1/reports/",
        frame="reports/api.py:post",
        error=r"^OverflowError: date value out of range",
        request={"body": {**_REPORT, "occurred_at": "0001-01-01T00:00"}, "media_type": "application/json"},
        fix="DRF's DateTimeField.enforce_timezone turns OverflowError into a validation error only for "
            "aware input (encode/django-rest-framework#5546); a naive time before 0001-01-01T00:19:32 "
            "overflows in rest_framework.utils.timezone.valid_datetime. In reports/serializers.py use "
            "for occurred_at a subclass: `def enforce_timezone(self, value): try: return "
            "super().enforce_timezone(value) except OverflowError: self.fail('overflow')`.",
    ),
    Finding(
        key="staff-create-occurred-at-year-one",
        operation="POST /api/v1/reports/",
        frame="reports/api.py:post",
        error=r"^OverflowError: date value out of range",
        request={"body": {**_REPORT, "occurred_at": "0001-01-01T00:00"}, "media_type": "application/json"},
        role="staff",
        fix="Same serializer field as public-create-occurred-at-year-one (StaffReportCreateSerializer "
            "inherits occurred_at from ReportCreateSerializer); the same fix covers both.",
    ),
    # PostgreSQL cannot store or compare text with NUL characters: psycopg raises DataError.
    Finding(
        key="staff-create-category-nul",
        operation="POST /api/v1/reports/",
        frame="reports/api.py:post",
        error=r"DataError: PostgreSQL text fields cannot contain NUL",
        request={"body": {**_REPORT, "category": "gas\x00lucht"}, "media_type": "application/json"},
        role="staff",
        backends=("postgresql",),
        fix="StaffReportCreateSerializer.category (SlugRelatedField) queries with the raw value and does not "
            "catch DataError; DRF's NUL validator only runs after the lookup. Use a subclass whose "
            "to_internal_value first does `if isinstance(data, str) and '\\x00' in data: "
            "self.fail('does_not_exist', slug_name=self.slug_field, value=data)`.",
    ),
]

# Server errors found and not fixed yet (tolerated by the fuzzing, pinned by strict xfails).
FINDINGS: list[Finding] = []
