"""The nightly arrears run (``arrears/run.py``): balances, arose_on, episodes, instalments, retention,
the command and the periodic task; a randomized comparison with a Python model (fixed seeds)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import random
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from wijkpunt.arrears import run as arrears_run
from wijkpunt.arrears.models import (
    ArrearsEpisode,
    ArrearsRun,
    ArrearsSnapshot,
    Instalment,
    LedgerKind,
    LedgerLine,
    MunicipalityAgreement,
    Outcome,
    PaymentArrangement,
    Signal,
    SignalStatus,
)
from wijkpunt.arrears.run import ArrearsRunError, bare_arrears, run_arrears
from wijkpunt.core.models import Organisation
from wijkpunt.housing.models import Household, Municipality, Neighbourhood, Tenancy, Unit

RENT = 70000  # cents, the default rent of the fixture's tenancies
_numbers = itertools.count(1)


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture
def world(db):
    corp = Organisation.objects.create(name="Woonstichting Test", slug="test", kind="corporatie")
    other = Organisation.objects.create(name="Andere Corporatie", slug="ander", kind="corporatie")
    muni = Municipality.objects.create(code="GM0355", name="Zeist")
    buurt = Neighbourhood.objects.create(code="BU03550101", name="Vogelwijk", district_code="WK035501",
                                         district_name="Noord", municipality=muni)

    def tenancy(corporation=corp, rent="700.00") -> Tenancy:
        n = next(_numbers)
        unit = Unit.objects.create(corporation=corporation, neighbourhood=buurt, code=f"E{n}", street="Merelstraat",
                                   house_number=n, postcode="3701AB", city="Zeist")
        household = Household.objects.create(corporation=corporation, name=f"Huishouden {n}", composition="gezin")
        return Tenancy.objects.create(contract_number=f"HO{n:06d}", unit=unit, household=household,
                                      start_date=d(1, 1, 2020), monthly_rent=Decimal(rent))

    return SimpleNamespace(corp=corp, other=other, muni=muni, tenancy=tenancy)


def book(tenancy: Tenancy, day: dt.date, cents: int, kind: str | None = None, corporation=None) -> LedgerLine:
    kind = kind or (LedgerKind.CHARGE if cents > 0 else LedgerKind.PAYMENT)
    return LedgerLine.objects.create(
        corporation=corporation or tenancy.unit.corporation, tenancy=tenancy, transaction_id=f"T{next(_numbers)}",
        kind=kind, booked_on=day, effective_on=day, amount_cents=cents,
    )


def snapshot(run: ArrearsRun, tenancy: Tenancy) -> ArrearsSnapshot | None:
    return ArrearsSnapshot.objects.filter(run=run, tenancy=tenancy).first()


def open_episode(tenancy: Tenancy) -> ArrearsEpisode | None:
    return ArrearsEpisode.objects.filter(tenancy=tenancy, status="open").first()


def test_balance_arose_on_and_months(world):
    partial = world.tenancy(rent="650.00")
    for month in (9, 10, 11):
        book(partial, d(month, 1), 65000)
        book(partial, d(month, 5), -40000)  # pays 400 of 650 every month: never back to zero
    paid = world.tenancy()
    book(paid, d(11, 1), RENT)
    book(paid, d(11, 2), -RENT)
    run = run_arrears(world.corp, d(11, 21))
    snap = snapshot(run, partial)
    assert (snap.amount_cents, snap.arose_on, snap.months) == (75000, d(9, 1), Decimal("1.15"))
    assert snapshot(run, paid) is None
    assert (run.tenancies_in_arrears, run.total_cents, run.finished_at is not None) == (1, 75000, True)
    assert bare_arrears(world.corp.pk, d(11, 21)) == [(partial.pk, 75000, d(9, 1))]


def test_same_day_charge_and_payment_count_as_one_day(world):
    settled = world.tenancy()
    book(settled, d(10, 1), RENT)
    book(settled, d(10, 1), -RENT)  # the same day: the end-of-day balance is 0, never in arrears
    short = world.tenancy()
    book(short, d(10, 1), RENT)
    book(short, d(11, 1), -RENT)
    book(short, d(11, 1), RENT)
    book(short, d(11, 1), -60000)  # 100 short: never back to 0 since 1 October
    payment_first = world.tenancy()
    book(payment_first, d(11, 1), -RENT)  # the payment booked before the charge, same day
    book(payment_first, d(11, 1), RENT + 5000)
    run = run_arrears(world.corp, d(11, 21))
    assert snapshot(run, settled) is None
    assert (snapshot(run, short).amount_cents, snapshot(run, short).arose_on) == (10000, d(10, 1))
    assert (snapshot(run, payment_first).amount_cents, snapshot(run, payment_first).arose_on) == (5000, d(11, 1))


def test_arose_on_is_after_the_last_day_at_or_below_zero(world):
    relapsed = world.tenancy()
    book(relapsed, d(8, 1), RENT)
    book(relapsed, d(9, 1), RENT)
    book(relapsed, d(9, 10), -2 * RENT)  # cleared on 10 September
    book(relapsed, d(10, 1), RENT)
    book(relapsed, d(10, 3), -RENT)
    book(relapsed, d(11, 1), RENT)  # unpaid since 1 November
    credit = world.tenancy()
    book(credit, d(9, 20), -RENT - 20000)  # paid ahead: a credit of 200
    book(credit, d(10, 1), RENT)  # -200 at the end of the day
    book(credit, d(11, 1), RENT)  # 500 owed from 1 November
    run = run_arrears(world.corp, d(11, 21))
    assert (snapshot(run, relapsed).amount_cents, snapshot(run, relapsed).arose_on) == (RENT, d(11, 1))
    assert (snapshot(run, credit).amount_cents, snapshot(run, credit).arose_on) == (50000, d(11, 1))


def test_corrections_and_future_lines(world):
    corrected = world.tenancy()
    book(corrected, d(10, 1), RENT)
    book(corrected, d(10, 15), -RENT, kind=LedgerKind.CORRECTION)  # rent waived: nothing owed
    book(corrected, d(11, 1), RENT)
    book(corrected, d(11, 3), -RENT)
    surcharge = world.tenancy()
    book(surcharge, d(11, 1), RENT)
    book(surcharge, d(11, 2), -RENT)
    book(surcharge, d(11, 10), 12345, kind=LedgerKind.CORRECTION)  # a positive correction
    future = world.tenancy()
    book(future, d(11, 1), RENT)
    book(future, d(11, 2), -RENT)
    book(future, d(12, 1), RENT)  # pre-booked December rent: not counted on 21 November
    book(future, d(11, 21), 100)  # a line on the reference date itself counts
    run = run_arrears(world.corp, d(11, 21))
    assert snapshot(run, corrected) is None
    assert (snapshot(run, surcharge).amount_cents, snapshot(run, surcharge).arose_on) == (12345, d(11, 10))
    assert (snapshot(run, future).amount_cents, snapshot(run, future).arose_on) == (100, d(11, 21))


@pytest.mark.parametrize(("rent", "cents", "months"), [
    ("650.00", 97500, "1.50"),
    ("650.00", 325, "0.01"),  # 0.005: half up
    ("650.00", 324, "0.00"),
    ("612.35", 61235, "1.00"),
    ("0.00", 5000, "0.00"),  # no rent known: 0, not a division by zero
    ("0.01", 10**9, "9999.99"),  # capped at the column's maximum
])
def test_months_of_rent(world, rent, cents, months):
    tenancy = world.tenancy(rent=rent)
    book(tenancy, d(11, 1), cents)
    run = run_arrears(world.corp, d(11, 21))
    assert snapshot(run, tenancy).months == Decimal(months)


def test_other_corporations_lines_and_episodes_are_ignored(world):
    ours = world.tenancy()
    book(ours, d(11, 1), RENT)
    book(ours, d(11, 1), -99999, corporation=world.other)  # a line of the other corporation on our tenancy
    theirs = world.tenancy(corporation=world.other)
    book(theirs, d(11, 1), RENT)
    run_arrears(world.other, d(11, 20))
    their_episode = open_episode(theirs)
    run = run_arrears(world.corp, d(11, 21))
    assert [(s.tenancy_id, s.amount_cents) for s in run.snapshots.all()] == [(ours.pk, RENT)]
    assert open_episode(ours).corporation_id == world.corp.pk
    their_episode.refresh_from_db()
    assert (their_episode.status, their_episode.last_run_on) == ("open", d(11, 20))
    assert ArrearsRun.objects.filter(corporation=world.other).count() == 1


def test_episode_opens_updates_keeps_peak_and_closes_recovered(world):
    tenancy = world.tenancy()
    book(tenancy, d(10, 1), RENT)
    first = run_arrears(world.corp, d(10, 2))
    episode = open_episode(tenancy)
    assert (episode.arose_on, episode.opened_on, episode.amount_cents, episode.peak_cents, episode.last_run_on,
            episode.corporation_id) == (d(10, 1), d(10, 2), RENT, RENT, d(10, 2), world.corp.pk)
    assert snapshot(first, tenancy).episode_id == episode.pk
    assert (first.episodes_opened, first.episodes_closed) == (1, 0)

    book(tenancy, d(11, 1), RENT)
    run_arrears(world.corp, d(11, 2))
    book(tenancy, d(11, 10), -RENT)
    third = run_arrears(world.corp, d(11, 11))
    episode.refresh_from_db()
    assert (episode.status, episode.amount_cents, episode.peak_cents, episode.months, episode.last_run_on) == (
        "open", RENT, 2 * RENT, Decimal("1.00"), d(11, 11))
    assert snapshot(third, tenancy).episode_id == episode.pk
    assert (third.episodes_opened, third.episodes_closed) == (0, 0)

    book(tenancy, d(11, 15), -RENT)
    last = run_arrears(world.corp, d(11, 16))
    episode.refresh_from_db()
    assert (episode.status, episode.closed_on, episode.outcome, episode.outcome_on) == (
        "closed", d(11, 16), Outcome.RECOVERED, d(11, 16))
    assert (last.tenancies_in_arrears, last.episodes_opened, last.episodes_closed) == (0, 0, 1)


def _episode_with(world, tenancy, *, outcome: str = "") -> ArrearsEpisode:
    book(tenancy, d(10, 1), RENT)
    run_arrears(world.corp, d(10, 2))
    episode = open_episode(tenancy)
    if outcome:
        ArrearsEpisode.objects.filter(pk=episode.pk).update(outcome=outcome, outcome_on=d(10, 20))
    return episode


def test_outcomes_when_an_episode_closes(world):
    with_arrangement, with_debt_help, with_both, decided, cancelled = (world.tenancy() for _ in range(5))
    episodes = {t: _episode_with(world, t) for t in (with_arrangement, with_debt_help, with_both, cancelled)}
    episodes[decided] = _episode_with(world, decided, outcome=Outcome.TERMINATION_REQUESTED)
    active = PaymentArrangement.objects.create(episode=episodes[with_arrangement], agreed_on=d(10, 5),
                                               total_cents=RENT)
    PaymentArrangement.objects.create(episode=episodes[with_both], agreed_on=d(10, 5), total_cents=RENT,
                                      status=PaymentArrangement.Status.COMPLETED)
    PaymentArrangement.objects.create(episode=episodes[cancelled], agreed_on=d(10, 5), total_cents=RENT,
                                      status=PaymentArrangement.Status.CANCELLED)
    agreement = MunicipalityAgreement.objects.create(corporation=world.corp, municipality=world.muni,
                                                     valid_from=d(1, 1))
    for tenancy, status in ((with_debt_help, SignalStatus.FOLLOW_UP_FINANCIAL), (with_both, SignalStatus.KNOWN_DEBT_HELP),
                            (cancelled, SignalStatus.NO_HELP_WANTED)):
        Signal.objects.create(episode=episodes[tenancy], agreement=agreement, municipality=world.muni,
                              amount_cents=RENT, arose_on=d(10, 1), signal_date=d(10, 10), status=status)
    for tenancy in episodes:
        book(tenancy, d(10, 25), -RENT)
    run = run_arrears(world.corp, d(10, 26))
    got = {t: ArrearsEpisode.objects.get(pk=e.pk) for t, e in episodes.items()}
    assert {t: (e.status, e.closed_on) for t, e in got.items()} == {t: ("closed", d(10, 26)) for t in episodes}
    assert {t: (e.outcome, e.outcome_on) for t, e in got.items()} == {
        with_arrangement: (Outcome.ARRANGEMENT, d(10, 26)),
        with_both: (Outcome.ARRANGEMENT, d(10, 26)),
        with_debt_help: (Outcome.DEBT_HELP, d(10, 26)),
        cancelled: (Outcome.RECOVERED, d(10, 26)),
        decided: (Outcome.TERMINATION_REQUESTED, d(10, 20)),  # an outcome already recorded stays
    }
    active.refresh_from_db()
    assert active.status == PaymentArrangement.Status.COMPLETED
    assert run.episodes_closed == 5


def test_relapse_between_runs_closes_the_old_episode_and_opens_a_new_one(world):
    tenancy = world.tenancy()
    book(tenancy, d(10, 1), RENT)
    run_arrears(world.corp, d(10, 2))
    old = open_episode(tenancy)
    book(tenancy, d(10, 20), -RENT)  # paid off ...
    book(tenancy, d(11, 1), RENT)  # ... and in arrears again before the next run
    run = run_arrears(world.corp, d(11, 2))
    old.refresh_from_db()
    new = open_episode(tenancy)
    assert (old.status, old.closed_on, old.outcome) == ("closed", d(11, 2), Outcome.RECOVERED)
    assert (new.pk != old.pk, new.arose_on, new.opened_on, new.peak_cents) == (True, d(11, 1), d(11, 2), RENT)
    assert snapshot(run, tenancy).episode_id == new.pk
    assert (run.episodes_opened, run.episodes_closed) == (1, 1)


def _state():
    episodes = list(ArrearsEpisode.objects.order_by("pk").values())
    runs = list(ArrearsRun.objects.order_by("run_on").values(
        "corporation_id", "run_on", "tenancies_in_arrears", "total_cents", "episodes_opened", "episodes_closed"))
    snaps = sorted(ArrearsSnapshot.objects.values_list(
        "run__run_on", "tenancy_id", "amount_cents", "months", "arose_on", "episode_id"))
    arrangements = list(PaymentArrangement.objects.order_by("pk").values_list("pk", "status"))
    instalments = list(Instalment.objects.order_by("pk").values_list("pk", "status", "checked_on"))
    return episodes, runs, snaps, arrangements, instalments


def test_rerun_for_the_same_date_is_idempotent(world):
    steady, relapse, recovering = world.tenancy(), world.tenancy(), world.tenancy()
    for tenancy in (steady, relapse, recovering):
        book(tenancy, d(10, 1), RENT)
    run_arrears(world.corp, d(10, 2))
    book(relapse, d(10, 20), -RENT)
    book(relapse, d(11, 1), RENT)
    book(recovering, d(11, 1), -RENT)
    arrangement = PaymentArrangement.objects.create(episode=open_episode(steady), agreed_on=d(10, 5),
                                                    total_cents=RENT)
    Instalment.objects.create(arrangement=arrangement, number=1, due_on=d(10, 25), amount_cents=RENT)
    first = run_arrears(world.corp, d(11, 2))
    before = _state()
    again = run_arrears(world.corp, d(11, 2))
    assert again.pk != first.pk and not ArrearsRun.objects.filter(pk=first.pk).exists()
    assert _state() == before
    assert (again.episodes_opened, again.episodes_closed) == (1, 2)


def test_a_run_for_an_earlier_date_is_refused(world):
    tenancy = world.tenancy()
    book(tenancy, d(10, 1), RENT)
    run_arrears(world.corp, d(11, 2))
    with pytest.raises(ArrearsRunError):
        run_arrears(world.corp, d(11, 1))
    run_arrears(world.other, d(11, 1))  # another corporation has its own sequence


def test_instalments_kept_and_broken(world):
    kept, broken = world.tenancy(), world.tenancy()
    arrangements = {}
    for tenancy in (kept, broken):
        book(tenancy, d(9, 1), RENT)
        book(tenancy, d(10, 1), RENT)
        run_arrears(world.corp, d(10, 2))
        arrangements[tenancy] = arrangement = PaymentArrangement.objects.create(
            episode=open_episode(tenancy), agreed_on=d(10, 10), total_cents=2 * RENT, grace_days=5)
        Instalment.objects.create(arrangement=arrangement, number=1, due_on=d(11, 1), amount_cents=RENT)
        Instalment.objects.create(arrangement=arrangement, number=2, due_on=d(12, 1), amount_cents=RENT)
        book(tenancy, d(11, 1), RENT)  # the rent goes on
    frozen = PaymentArrangement.objects.create(episode=open_episode(broken), agreed_on=d(10, 3), total_cents=RENT,
                                               status=PaymentArrangement.Status.FROZEN)
    Instalment.objects.create(arrangement=frozen, number=1, due_on=d(10, 10), amount_cents=RENT)  # left alone
    book(kept, d(11, 6), -2 * RENT)  # rent + instalment, on the last day of grace
    book(broken, d(11, 4), -RENT)  # rent only
    book(broken, d(11, 7), -RENT)  # the instalment, a day too late
    run_arrears(world.corp, d(11, 5))
    assert set(Instalment.objects.values_list("status", flat=True)) == {"open"}  # grace runs until 6 November
    run_arrears(world.corp, d(11, 7))
    got = {(i.arrangement_id, i.number): (i.status, i.checked_on) for i in Instalment.objects.all()}
    assert got == {
        (frozen.pk, 1): ("open", None),
        (arrangements[kept].pk, 1): ("kept", d(11, 7)),
        (arrangements[kept].pk, 2): ("open", None),
        (arrangements[broken].pk, 1): ("broken", d(11, 7)),
        (arrangements[broken].pk, 2): ("open", None),
    }
    # Checked instalments are not checked again.
    book(broken, d(11, 8), -5 * RENT)
    run_arrears(world.corp, d(12, 7))
    assert Instalment.objects.get(arrangement=arrangements[broken], number=1).status == "broken"


def test_retention_keeps_month_end_runs(world):
    tenancy = world.tenancy()
    book(tenancy, d(1, 1, 2025), RENT)
    days = [d(9, 10, 2025), d(9, 20, 2025), d(9, 29, 2025), d(10, 1, 2025), d(10, 16, 2025), d(10, 17, 2025),
            d(10, 18, 2025), d(11, 1, 2025)]
    old = {}
    for day in days:
        old[day] = ArrearsRun.objects.create(corporation=world.corp, run_on=day, finished_at=timezone.now())
        ArrearsSnapshot.objects.create(run=old[day], tenancy=tenancy, amount_cents=RENT, months=1, arose_on=day)
    other = ArrearsRun.objects.create(corporation=world.other, run_on=d(9, 10, 2025))
    run_arrears(world.corp, d(11, 21))  # cutoff: 17 October 2025
    kept = set(ArrearsRun.objects.filter(corporation=world.corp).values_list("run_on", flat=True))
    assert kept == {d(9, 29, 2025), d(10, 17, 2025), d(10, 18, 2025), d(11, 1, 2025), d(11, 21)}
    assert ArrearsSnapshot.objects.filter(run__run_on__lt=d(11, 21)).count() == 4
    assert ArrearsRun.objects.filter(pk=other.pk).exists()  # another corporation's runs are not ours to prune


def test_command_runs_and_prints_the_counts(world):
    tenancy = world.tenancy()
    book(tenancy, d(11, 1), 123456)
    out = io.StringIO()
    call_command("arrears_run", "--corporation", "test", "--date", "2026-11-21", stdout=out)
    assert "1 huurders met achterstand, totaal € 1.234,56; 1 nieuwe dossiers, 0 afgesloten" in out.getvalue()
    assert ArrearsRun.objects.get().run_on == d(11, 21)


@pytest.mark.parametrize(("args", "message"), [
    (["--corporation", "bestaat-niet"], "Onbekende corporatie"),
    (["--date", "21-11-2026"], "Ongeldige datum"),
    (["--date", "2026-02-30"], "Ongeldige datum"),
    (["--date", "2999-01-01"], "in de toekomst"),
])
def test_command_refuses_bad_input(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("arrears_run", *args)
    assert not ArrearsRun.objects.exists()


def test_command_refuses_a_non_corporation_and_an_earlier_date(world):
    Organisation.objects.create(name="Wijkteam", slug="wijkteam", kind="partner")
    with pytest.raises(CommandError, match="geen woningcorporatie"):
        call_command("arrears_run", "--corporation", "wijkteam")
    book(world.tenancy(), d(10, 1), RENT)
    call_command("arrears_run", "--corporation", "test", "--date", "2026-11-02", stdout=io.StringIO())
    with pytest.raises(CommandError, match="2026-11-02"):
        call_command("arrears_run", "--corporation", "test", "--date", "2026-11-01")


def test_nightly_task_runs_every_active_corporation_with_ledger_lines(world):
    from wijkpunt.arrears.tasks import nightly_arrears_run

    book(world.tenancy(), d(10, 1), RENT)
    inactive = Organisation.objects.create(name="Opgeheven", slug="opgeheven", kind="corporatie", is_active=False)
    book(world.tenancy(corporation=inactive), d(10, 1), RENT)
    assert nightly_arrears_run.call_local() == 1
    run = ArrearsRun.objects.get()
    assert (run.corporation_id, run.run_on, run.tenancies_in_arrears) == (world.corp.pk, timezone.localdate(), 1)


def test_runs_of_one_corporation_are_serialised_on_postgresql(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers with the write lock taken at BEGIN IMMEDIATE")
    import psycopg

    settings = connection.settings_dict
    with transaction.atomic(), connection.cursor() as cursor:
        arrears_run._lock(cursor, world.corp.pk)
        with psycopg.connect(dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"] or None,
                             host=settings["HOST"] or None, port=settings["PORT"] or None, autocommit=True) as other:
            try_lock = "SELECT pg_try_advisory_lock(%s, %s)"
            assert other.execute(try_lock, [arrears_run.LOCK_NAMESPACE, world.corp.pk]).fetchone()[0] is False
            assert other.execute(try_lock, [arrears_run.LOCK_NAMESPACE, world.other.pk]).fetchone()[0] is True


def model_arrears(lines, run_on):
    """The definition, written plainly: per tenancy, per day, in date order."""
    per_day = defaultdict(lambda: defaultdict(int))
    for tenancy_id, day, cents in lines:
        if day <= run_on:
            per_day[tenancy_id][day] += cents
    result = {}
    for tenancy_id, days in per_day.items():
        balance, arose = 0, None
        for day in sorted(days):
            balance += days[day]
            if balance <= 0:
                arose = None
            elif arose is None:
                arose = day
        if balance > 0:
            result[tenancy_id] = (balance, arose)
    return result


def model_episodes(episodes, arrears, run_on):
    for episode in episodes:
        if episode["status"] == "open" and arrears.get(episode["tenancy_id"], (0, None))[1] != episode["arose_on"]:
            episode.update(status="closed", closed_on=run_on, outcome="recovered", outcome_on=run_on)
    open_by_tenancy = {e["tenancy_id"]: e for e in episodes if e["status"] == "open"}
    for tenancy_id, (balance, arose) in arrears.items():
        episode = open_by_tenancy.get(tenancy_id)
        if episode is None:
            episodes.append({"tenancy_id": tenancy_id, "status": "open", "arose_on": arose, "opened_on": run_on,
                             "closed_on": None, "outcome": "", "outcome_on": None, "peak_cents": balance})
            episode = episodes[-1]
        episode.update(amount_cents=balance, last_run_on=run_on, peak_cents=max(episode["peak_cents"], balance))


def _by_opening(row: tuple):
    return row[0], row[3]  # tenancy, opened_on: at most one episode a tenancy opens per run


FIELDS = ("tenancy_id", "status", "arose_on", "opened_on", "closed_on", "amount_cents", "peak_cents", "last_run_on",
          "outcome", "outcome_on")


@pytest.mark.parametrize("seed", [4, 2026])
def test_randomized_ledgers_match_the_model_and_the_bare_query(world, seed):
    rng = random.Random(seed)
    rents = {}
    lines = []
    for _ in range(40):
        tenancy = world.tenancy(rent=rng.choice(["450.00", "612.35", "700.00", "899.99"]))
        rent = rents[tenancy.pk] = int(tenancy.monthly_rent * 100)
        for month in range(1, 6):
            lines.append((tenancy, d(month, 1), rent))
            for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
                day = d(month, rng.choice([1, 1, 2, 3, 10, 15, 28]))
                amount = -rng.choice([rent, rent, rent // 2, 2 * rent, rng.randint(1, rent)])
                if rng.random() < 0.1:
                    lines.append((tenancy, day, rng.choice([-1, 1]) * rng.randint(1, 5000)))  # a correction
                lines.append((tenancy, day, amount))
    book(world.tenancy(corporation=world.other), d(1, 1), RENT, corporation=world.other)
    for tenancy, day, cents in lines:
        kind = LedgerKind.CORRECTION if abs(cents) <= 5000 else None
        book(tenancy, day, cents, kind=kind)
    plain = [(t.pk, day, cents) for t, day, cents in lines]
    expected_episodes = []
    run_dates = [d(1, 1), d(1, 2), d(1, 20), d(2, 1), d(2, 16), d(3, 3), d(3, 31), d(4, 15), d(5, 2)]
    for run_on in run_dates:
        run = run_arrears(world.corp, run_on)
        want = model_arrears(plain, run_on)
        got = {s.tenancy_id: s for s in run.snapshots.all()}
        assert {t: (s.amount_cents, s.arose_on) for t, s in got.items()} == want
        assert {t: (b, a) for t, b, a in bare_arrears(world.corp.pk, run_on)} == want
        for tenancy_id, (balance, _arose) in want.items():
            hundredths = (balance * 200 + rents[tenancy_id]) // (2 * rents[tenancy_id])
            assert got[tenancy_id].months == min(Decimal(hundredths) / 100, Decimal("9999.99"))
        model_episodes(expected_episodes, want, run_on)
        rows = ArrearsEpisode.objects.filter(corporation=world.corp).values_list(*FIELDS)
        assert sorted(rows, key=_by_opening) == sorted((tuple(e[f] for f in FIELDS) for e in expected_episodes),
                                                       key=_by_opening)
        open_ids = dict(ArrearsEpisode.objects.filter(status="open").values_list("tenancy_id", "pk"))
        assert {t: s.episode_id for t, s in got.items()} == {t: open_ids[t] for t in got}
        assert (run.tenancies_in_arrears, run.total_cents) == (len(want), sum(b for b, _ in want.values()))
    before = _state()
    run_arrears(world.corp, run_dates[-1])
    assert _state() == before
