"""The demo ledger generator and seed_arrears_demo: deterministic, plausible, importable, idempotent."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from datetime import date

import pytest
from django.core.management import call_command

from wijkpunt.arrears import demo as arrears_demo
from wijkpunt.arrears.demo import (
    ARRANGEMENT,
    ARREARS,
    LATE,
    ON_TIME,
    Plan,
    contract_plan,
    generate_ledger_rows,
    ledger_csv_bytes,
    seed_arrears_demo,
)
from wijkpunt.arrears.ledger_import import LEDGER_COLUMNS, import_ledger_csv
from wijkpunt.arrears.models import ArrearsEpisode, ArrearsRun, LedgerLine, MunicipalityAgreement
from wijkpunt.core.models import Organisation
from wijkpunt.housing.demo import build_housing_rows, generate_demo
from wijkpunt.housing.models import Household, Municipality, Tenancy

UNTIL = date(2026, 11, 21)
HOMES = 240


@pytest.fixture
def corporation(db) -> Organisation:
    summary = generate_demo(seed=2026, homes=HOMES, password="demo-wachtwoord", verbosity=0)
    return Organisation.objects.get(slug=summary.corporation_slug)


def signed_cents(row: dict[str, str]) -> int:
    cents = int(row["bedrag"].replace(",", "").replace("-", ""))
    sign = -1 if row["bedrag"].startswith("-") else 1
    return {"VOR": cents, "ONT": -cents, "MEM": sign * cents}[row["boekingsoort"]]


def balances(rows, on: date) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        effective = row["vervaldatum"] if row["boekingsoort"] == "VOR" else row["boekdatum"]
        if effective <= on.isoformat():
            totals[row["contractnummer"]] += signed_cents(row)
    return totals


def synthetic_rows(contract: str, plan: Plan, *, rent_cents: int = 60000, months: int = 12):
    first = arrears_demo._index(UNTIL) - months + 1
    return list(arrears_demo._contract_rows(
        contract, date(2010, 1, 1), None, rent_cents, plan, seed=4, first=first, last=first + months, until=UNTIL,
    ))


# --------------------------------------------------------------------------- the generator


@pytest.mark.django_db
def test_generator_is_deterministic(corporation):
    rows = list(generate_ledger_rows(corporation, until=UNTIL))
    assert rows == list(generate_ledger_rows(corporation, until=UNTIL))
    assert rows != list(generate_ledger_rows(corporation, until=UNTIL, seed=5))
    assert ledger_csv_bytes(rows) == ledger_csv_bytes(generate_ledger_rows(corporation, until=UNTIL))


@pytest.mark.django_db
def test_rows_are_in_the_import_format(corporation):
    rows = list(generate_ledger_rows(corporation, months=6, until=UNTIL))
    assert all(tuple(row) == LEDGER_COLUMNS for row in rows)
    ids = [row["boekingsnummer"] for row in rows]
    assert len(ids) == len(set(ids)) and max(map(len, ids)) <= 40
    assert max(row["boekdatum"] for row in rows) <= UNTIL.isoformat()
    charges = [row for row in rows if row["boekingsoort"] == "VOR"]
    assert {row["boekingdetailsoort"] for row in charges} == {"PRO"}
    assert Counter(row["vervaldatum"][8:] for row in charges).most_common(1)[0][0] == "01"
    months = {row["vervaldatum"][:7] for row in charges}
    assert min(months) == "2026-06" and max(months) == "2026-11"  # December is booked on the 25th
    assert {row["boekingdetailsoort"] for row in rows} <= {"PRO", "BAN", "BRT", "STO"}
    current = Tenancy.objects.filter(unit__corporation=corporation, end_date__isnull=True).count()
    assert len({row["contractnummer"] for row in charges}) >= current


@pytest.mark.django_db
def test_profile_shares_are_roughly_right(corporation):
    contracts = list(Tenancy.objects.filter(unit__corporation=corporation).values_list("contract_number", flat=True))
    shares = Counter(contract_plan(c, seed=4, until=UNTIL).profile for c in contracts)
    total = len(contracts)
    assert 0.78 < shares[ON_TIME] / total < 0.92
    assert 0.04 < shares[LATE] / total < 0.13
    assert 0.01 < shares[ARREARS] / total < 0.08
    assert 0.005 < shares[ARRANGEMENT] / total < 0.07
    # the ledger shows it: most accounts are settled on the 21st, a few are a month or more behind
    rents = dict(Tenancy.objects.filter(unit__corporation=corporation, end_date__isnull=True)
                 .values_list("contract_number", "monthly_rent"))
    owed = balances(generate_ledger_rows(corporation, until=UNTIL), UNTIL)
    behind = [c for c, rent in rents.items() if owed.get(c, 0) >= rent * 100]
    settled = [c for c in rents if owed.get(c, 0) <= 0]
    assert 0.02 < len(behind) / len(rents) < 0.10
    assert len(settled) / len(rents) > 0.85


def test_arrears_profiles_reach_one_two_and_three_months():
    depths = Counter()
    for i in range(4000):
        plan = contract_plan(f"X{i:06d}", seed=4, until=UNTIL)
        if plan.profile == ARREARS:
            owed = balances(synthetic_rows(f"X{i:06d}", plan), UNTIL)[f"X{i:06d}"]
            depths[min(owed // 60000, 3)] += 1
    assert sum(depths.values()) > 100
    assert all(depths[months] >= 10 for months in (1, 2, 3)), depths


def test_arrangements_are_paid_off_in_instalments():
    finished = 0
    for i in range(3000):
        contract = f"R{i:06d}"
        plan = contract_plan(contract, seed=4, until=UNTIL)
        if plan.profile != ARRANGEMENT:
            continue
        rows = synthetic_rows(contract, plan)
        instalments = [row for row in rows if row["boekingdetailsoort"] == "BRT"]
        missed = plan.missed * 60000
        paid = -sum(signed_cents(row) for row in instalments)
        assert paid <= missed
        owed = balances(rows, UNTIL)[contract]
        assert owed == missed - paid  # apart from the instalments, the rent is paid
        if plan.arrangement_from + plan.instalments <= arrears_demo._index(UNTIL):
            assert owed == 0 and len(instalments) == plan.instalments
            finished += 1
    assert finished > 10


def test_late_payers_pay_within_the_month_and_stornos_are_corrections():
    kinds = Counter()
    for i in range(2000):
        contract = f"L{i:06d}"
        plan = contract_plan(contract, seed=4, until=UNTIL)
        if plan.profile != LATE:
            continue
        rows = synthetic_rows(contract, plan)
        assert balances(rows, date(2026, 10, 31))[contract] == 0
        kinds.update(row["boekingdetailsoort"] for row in rows)
    assert kinds["STO"] > 10 and kinds["BAN"] > kinds["PRO"]


@pytest.mark.django_db
def test_generated_file_imports_without_errors_and_twice_idempotently(corporation):
    data = ledger_csv_bytes(generate_ledger_rows(corporation, until=UNTIL))
    lines = data.count(b"\n") - 1
    first = import_ledger_csv(corporation, data)
    assert (first.created, first.already_present) == (lines, 0)
    total = sum(LedgerLine.objects.values_list("amount_cents", flat=True))
    second = import_ledger_csv(corporation, data)
    assert (second.created, second.already_present) == (0, lines)
    assert sum(LedgerLine.objects.values_list("amount_cents", flat=True)) == total


@pytest.mark.django_db
def test_forced_contracts_are_two_to_four_months_behind(corporation):
    tenancies = Tenancy.objects.filter(unit__corporation=corporation, end_date__isnull=True, start_date__lt="2025-06-01")
    forced = {t.contract_number: t.monthly_rent for t in tenancies.order_by("contract_number")[:5]}
    owed = balances(generate_ledger_rows(corporation, until=UNTIL, arrears_contracts=forced), UNTIL)
    for contract, rent in forced.items():
        assert rent * 100 < owed[contract] <= 4 * rent * 100, contract


@pytest.mark.django_db
def test_generate_ledger_command_writes_an_importable_file(corporation, tmp_path):
    path = tmp_path / "boekingen.csv"
    out = io.StringIO()
    call_command("generate_ledger", str(path), corporation=corporation.slug, months=3, until="2026-11-21",
                 delimiter=",", stdout=out)
    assert "boekingen voor" in out.getvalue() and path.read_text(encoding="utf-8").startswith("boekingsnummer,")
    call_command("import_ledger", str(path), corporation=corporation.slug, stdout=out)
    assert LedgerLine.objects.filter(corporation=corporation).exists()


# --------------------------------------------------------------------------- the demo


def test_contract_holders_are_deterministic_and_plausible():
    rows = build_housing_rows(seed=2026, homes=300)
    assert rows.holders == build_housing_rows(seed=2026, homes=300).holders
    starts = {t["contractnummer"]: date.fromisoformat(t["ingangsdatum"]) for t in rows.tenancies}
    assert set(rows.holders) == set(starts)
    for contract, (initials, prefix, surname, born) in rows.holders.items():
        assert initials[0].isupper() and initials.endswith(".") and len(initials) <= 6
        assert surname and surname[0].isupper() or prefix == "" and surname
        assert prefix == prefix.lower()
        assert (starts[contract] - born).days >= 18 * 365, contract
    assert any(prefix for _i, prefix, _s, _b in rows.holders.values())


@pytest.mark.django_db
def test_demo_households_have_holder_details(corporation):
    households = Household.objects.filter(corporation=corporation)
    assert not households.filter(surname="").exists() and not households.filter(birth_date__isnull=True).exists()
    de_vries = households.filter(surname_prefix="de").first()
    assert de_vries is not None and de_vries.surname[0].isupper()


@pytest.mark.django_db
def test_seed_arrears_demo_is_idempotent(corporation):
    from wijkpunt.reports.demo import seed_reports

    seed_reports(corporation=corporation, count=80, seed=2026)
    first = seed_arrears_demo(corporation, today=UNTIL)
    lines = LedgerLine.objects.filter(corporation=corporation).count()
    assert first["ledger_created"] == lines > 0
    municipalities = Municipality.objects.filter(neighbourhoods__units__corporation=corporation).distinct()
    covered = set(MunicipalityAgreement.objects.values_list("municipality", flat=True))
    assert len(covered) == municipalities.count() - 1 == first["agreements"]
    assert first["municipality_without_agreement"] in set(municipalities.values_list("name", flat=True))
    agreement = MunicipalityAgreement.objects.filter(valid_until__isnull=True).first()
    assert agreement.contact_email.startswith("vroegsignalering@") and agreement.debt_help_name
    agreements = list(MunicipalityAgreement.objects.order_by("pk").values())

    again = seed_arrears_demo(corporation, today=UNTIL)
    assert again["ledger_created"] == 0 and again["ledger_lines"] == lines
    assert list(MunicipalityAgreement.objects.order_by("pk").values()) == agreements
    assert again["in_arrears"] == first["in_arrears"] and again["open_episodes"] == first["open_episodes"]


@pytest.mark.django_db
def test_seed_arrears_demo_runs_the_arrears_run(corporation):
    from wijkpunt.reports.demo import seed_reports

    seed_reports(corporation=corporation, count=80, seed=2026)
    result = seed_arrears_demo(corporation, today=UNTIL)
    assert ArrearsRun.objects.filter(corporation=corporation).count() == 12  # eleven month-ends and today
    assert result["in_arrears"] and result["open_episodes"] > 0
    with_reports = arrears_demo.report_contracts(corporation)
    assert with_reports
    open_contracts = set(
        ArrearsEpisode.objects.filter(status="open").values_list("tenancy__contract_number", flat=True)
    )
    assert set(with_reports) <= open_contracts
    seed_arrears_demo(corporation, today=UNTIL)
    assert ArrearsRun.objects.filter(corporation=corporation).count() == 12


@pytest.mark.django_db
def test_seed_demo_command_seeds_the_arrears_demo_once():
    out = io.StringIO()
    call_command("seed_demo", homes=120, reports=30, stdout=out)
    assert "Huurachterstand: " in out.getvalue() and "convenanten (geen met " in out.getvalue()
    lines = LedgerLine.objects.count()
    assert lines > 0
    call_command("seed_demo", homes=120, reports=30, stdout=out)
    assert "Huurachterstand: 0 nieuwe boekingen" in out.getvalue()
    assert LedgerLine.objects.count() == lines
