"""Fixtures for the property-based API tests (helpers in apifuzz.py)."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from apifuzz import InProcessAPI
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections

from wijkpunt.arrears.tests.test_api import arrears_world
from wijkpunt.reports import services
from wijkpunt.reports.tests.conftest import world  # noqa: F401 - re-exported fixture
from wijkpunt.reports.tests.helpers import make_report


@pytest.fixture
def api(db) -> Iterator[InProcessAPI]:
    """The in-process API. Like Django's test client, it keeps the request signals from closing
    the database connection, which would end the test transaction."""
    client = InProcessAPI()
    started = request_started.disconnect(close_old_connections)
    finished = request_finished.disconnect(close_old_connections)
    got_request_exception.connect(client.on_exception)
    try:
        yield client
    finally:
        got_request_exception.disconnect(client.on_exception)
        if started:
            request_started.connect(close_old_connections)
        if finished:
            request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_reports(request):
    """Reports with a known scope (as in reports/tests/test_visibility.py): staff of the corporation
    sees the first three; the wijkteam partner only the forwarded one; nobody here sees 'elsewhere'."""
    w = request.getfixturevalue("world")
    own = make_report(w, text="Lamp in de portiek is kapot", user=w.volunteer, email="vrijwilliger@x.nl")
    forwarded = make_report(w, text="Jongeren hangen elke avond bij de ingang", category="jongeren",
                            email="buurman@example.nl")
    services.report_forward(report=forwarded, actor=w.staff, partner=w.wijkteam)
    services.report_add_note(report=forwarded, actor=w.staff, text="INTERN: bekende bewoner", public=False)
    plain = make_report(w, text="Schimmel in de slaapkamer bij het raam", unit=w.unit_a)
    elsewhere = make_report(w, unit=w.other_unit, text="Lekkage bij een andere corporatie")
    by_name = {"own": own, "forwarded": forwarded, "plain": plain, "elsewhere": elsewhere}
    return SimpleNamespace(
        by_name=by_name,
        ids=sorted(r.pk for r in by_name.values()),
        tokens=sorted(r.tracking_token for r in by_name.values()),
        visible={"staff": {own.pk, forwarded.pk, plain.pk}, "partner": {forwarded.pk}, "anonymous": set()},
    )


@pytest.fixture
def fuzz_arrears(request):
    """Arrears episodes and signals in the world's corporation and one in the other corporation,
    with a rent collector, a read-only user and an importer (wijkpunt/arrears/tests/test_api.py)."""
    return arrears_world(request.getfixturevalue("world"))
