"""Races on one escalation, in threads with their own database connections (guarantee 2).

Two people press "bevestigen" at the same moment; two sweeps fire the same due steps; one
acknowledge link is used twice at once; an acknowledgement races the sweep. Each race starts at a
``threading.Barrier`` and is repeated, so an interleaving that doubles something would show.

These need a server database: the in-memory SQLite test database runs in shared-cache mode, where
a second writer gets "database table is locked" at once instead of waiting for the lock, so the
threads would fail rather than race. They run in the PostgreSQL pass. The same sweep race on a real
SQLite file (two processes, IMMEDIATE transactions, busy timeout) is in
``tests/worker/test_sweep_race.py``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from wijkpunt.core.tests.concurrency import race
from wijkpunt.oncall import services
from wijkpunt.oncall.models import Escalation, Page
from wijkpunt.reports.models import ReportEvent

from .engine_fixtures import NIGHT, urgent_report

MIN = dt.timedelta(minutes=1)
ROUNDS = 20
SQLITE_REASON = (
    "concurrent writers need a server database: the in-memory SQLite test database locks instead of "
    "waiting (runs in the PostgreSQL pass; the SQLite file variant of the sweep race is in tests/worker)"
)


def two_pages(world, text: str) -> tuple[Escalation, Page, Page]:
    """An escalation whose first two steps have fired (on call and backup both hold a link)."""
    report = urgent_report(world, text=text)
    escalation = Escalation.objects.get(report=report)
    services.escalation_fire(escalation.pk, now=NIGHT)
    services.escalation_fire(escalation.pk, now=NIGHT + 10 * MIN)
    first, second = Page.objects.filter(escalation=escalation).order_by("step")
    return escalation, first, second


@pytest.fixture
def server_db():
    if connection.vendor == "sqlite":
        pytest.skip(SQLITE_REASON)


@pytest.mark.django_db(transaction=True)
def test_two_people_acknowledging_at_once_give_one_owner(server_db, engine):
    for i in range(ROUNDS):
        escalation, first, second = two_pages(engine, f"Gaslucht bij de voordeur, ronde {i}")
        at = NIGHT + 11 * MIN
        results = race(lambda p=first, at=at: services.page_acknowledge(page=p, at=at),
                       lambda p=second, at=at: services.page_acknowledge(page=p, at=at))
        assert sorted(results, key=repr) == [False, True], results  # no exception, one owner
        escalation.refresh_from_db()
        winner = (first if results[0] is True else second).recipient
        assert escalation.status == Escalation.Status.ACKNOWLEDGED and escalation.acknowledged_by == winner
        picked_up = ReportEvent.objects.filter(report=escalation.report, kind="oncall", is_public=True,
                                               text__contains="opgepakt")
        assert picked_up.count() == 1
        assert Page.objects.filter(escalation=escalation, used_at__isnull=False).count() == 2  # both links spent


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_racing_fire_each_step_once(server_db, engine):
    escalations = [Escalation.objects.get(report=urgent_report(engine, text=f"Gaslucht in portiek {i}"))
                   for i in range(8)]
    fired_total = 0
    for moment in (NIGHT, NIGHT + 10 * MIN, NIGHT + 20 * MIN, NIGHT + 35 * MIN):
        for _ in range(3):  # the same moment again: nothing more is due
            results = race(lambda m=moment: services.escalation_sweep(now=m),
                           lambda m=moment: services.escalation_sweep(now=m),
                           lambda m=moment: services.escalation_sweep(now=m))
            assert all(isinstance(r, int) for r in results), results
            fired_total += sum(results)
    assert fired_total == 3 * len(escalations)
    for escalation in escalations:
        escalation.refresh_from_db()
        assert escalation.status == Escalation.Status.EXHAUSTED
        assert list(Page.objects.filter(escalation=escalation).values_list("step", flat=True).order_by("step")) == [0, 1, 2]
    # one "niemand heeft gereageerd" mail per escalation, not one per sweep
    from wijkpunt.core.models import OutboxMessage

    assert OutboxMessage.objects.filter(idempotency_key__endswith="-exhausted").count() == len(escalations)


@pytest.mark.django_db(transaction=True)
def test_a_sweep_racing_the_per_escalation_tasks_fires_once(server_db, engine):
    """The after-commit task, the eta task and the sweep can all run at the due moment."""
    for i in range(ROUNDS):
        escalation = Escalation.objects.get(report=urgent_report(engine, text=f"Gaslucht in de kelder {i}"))
        results = race(lambda: services.escalation_sweep(now=NIGHT),
                       lambda e=escalation: services.escalation_fire(e.pk, now=NIGHT),
                       lambda e=escalation: services.escalation_fire(e.pk, now=NIGHT))
        assert all(isinstance(r, int) for r in results), results
        assert Page.objects.filter(escalation=escalation).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_link_used_twice_at_once_acknowledges_once(server_db, engine):
    for i in range(ROUNDS):
        escalation, first, _second = two_pages(engine, f"Gaslucht op de galerij, ronde {i}")
        at = NIGHT + 11 * MIN
        results = race(lambda p=first, at=at: services.page_acknowledge(page=p, at=at),
                       lambda p=first, at=at: services.page_acknowledge(page=p, at=at))
        assert sorted(map(type, results), key=lambda t: t.__name__) == [ValidationError, bool], results
        assert True in results
        escalation.refresh_from_db()
        assert escalation.acknowledged_by == first.recipient


@pytest.mark.django_db(transaction=True)
def test_acknowledging_while_the_sweep_fires_the_next_step(server_db, engine):
    """Either the next step fires before the acknowledgement or not at all; never after, never twice."""
    for i in range(ROUNDS):
        escalation = Escalation.objects.get(report=urgent_report(engine, text=f"Gaslucht in de lift {i}"))
        services.escalation_fire(escalation.pk, now=NIGHT)
        results = race(lambda e=escalation: services.escalation_acknowledge(escalation=e, user=engine.cees,
                                                                            at=NIGHT + 10 * MIN),
                       lambda: services.escalation_sweep(now=NIGHT + 10 * MIN))
        assert results[0] is True and isinstance(results[1], int), results
        escalation.refresh_from_db()
        assert escalation.status == Escalation.Status.ACKNOWLEDGED
        steps = list(Page.objects.filter(escalation=escalation).values_list("step", flat=True))
        assert sorted(steps) in ([0], [0, 1])
        # after the acknowledgement nothing fires any more
        assert services.escalation_sweep(now=NIGHT + 60 * MIN) == 0
        assert Page.objects.filter(escalation=escalation).count() == len(steps)


def test_a_long_sweep_stamps_each_page_with_the_moment_it_fired(engine, monkeypatch):
    """A sweep over a backlog takes a while (about 10 ms a step; 1,000 due steps take 10-15 s). Each
    page must carry the moment it really went out, and the next person gets the full wait from then:
    not the moment the sweep started. Runs on SQLite too (no threads)."""
    escalations = [Escalation.objects.get(report=urgent_report(engine, text=f"Gaslucht in blok {i}"))
                   for i in range(3)]
    ticks = iter(NIGHT + k * MIN for k in range(1, 1000))
    monkeypatch.setattr(services.timezone, "now", lambda: next(ticks))  # every reading of the clock: a minute on
    assert services.escalation_sweep() == 3
    pages = list(Page.objects.filter(escalation__in=escalations).order_by("created_at"))
    assert len({p.created_at for p in pages}) == 3, [p.created_at for p in pages]
    for page in pages:
        page.escalation.refresh_from_db()
        assert page.escalation.due_at == page.created_at + 10 * MIN  # step 0 waits 10 minutes
        assert page.created_at > page.due_at
