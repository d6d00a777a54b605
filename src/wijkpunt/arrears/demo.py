"""Demo rent ledger and covenants: a realistic year of bookings, imported through the real import.

``generate_ledger_rows`` writes, for every tenancy of a corporation, the monthly rent charge
(VOR/PRO, due on the 1st, booked on the 25th of the month before) and the payments (ONT/BAN) of
the last ``months`` months in the CSV format of ``docs/arrears-ledger.md``. Each contract gets a
payment profile from its own random stream (``seed`` + contract number), so a contract behaves
the same whatever else is in the register:

- ~85% pay on time (direct debit on the 1st–3rd, or a transfer a few days before or after);
- ~8% pay late but within the month, sometimes in two parts; a failed direct debit is reversed
  (MEM/STO) and paid by transfer later;
- ~4% slide into arrears from some month on: they stop paying, pay part of the rent, or skip
  months, and end up 1, 2, 3 or more months behind;
- ~3% fell behind and pay it off with a payment arrangement: the rent plus a monthly instalment
  (ONT/BRT) until the arrears are gone.

The profile months are counted back from ``until``; the same arguments always give the same
file (transaction ids are ``<contract>-<yyyymm>-<kind>``), so generating and importing twice is
harmless. A later ``until`` moves the arrears histories, so import such a file into a database
that has not seen the earlier one (``seed_arrears_demo`` imports only once).
"""

from __future__ import annotations

import calendar
import csv
import io
import random
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from wijkpunt.core.models import Organisation
from wijkpunt.housing.demo import REFERENCE_DATE
from wijkpunt.housing.importers import write_csv
from wijkpunt.housing.models import Municipality, Tenancy

from .ledger_import import LEDGER_COLUMNS, euros, import_ledger_csv
from .models import ArrearsEpisode, ArrearsRun, LedgerLine, MunicipalityAgreement

ON_TIME, LATE, ARREARS, ARRANGEMENT = "op_tijd", "te_laat", "achterstand", "regeling"
PROFILE_SHARES: tuple[tuple[str, float], ...] = ((ON_TIME, 0.85), (LATE, 0.08), (ARREARS, 0.04), (ARRANGEMENT, 0.03))
MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
    "november", "december",
)


# --------------------------------------------------------------------------- months


def _index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _first_day(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _label(index: int) -> str:
    return f"{MONTHS_NL[index % 12]} {index // 12}"


# --------------------------------------------------------------------------- profiles


@dataclass(frozen=True)
class Plan:
    """How one contract pays. Month numbers are month indexes (year * 12 + month - 1)."""

    profile: str
    direct_debit: bool
    onset: int = 0  # ARREARS / ARRANGEMENT: the first month not paid in full
    pattern: str = ""  # ARREARS: "gestopt" (stopped), "deels" (part of the rent), "wisselend" (skips months)
    share: float = 1.0  # ARREARS "deels": the part of the rent paid
    missed: int = 0  # ARRANGEMENT: months not paid before the arrangement
    arrangement_from: int = 0  # ARRANGEMENT: the month of the first instalment
    instalments: int = 0  # ARRANGEMENT: agreed number of instalments


def contract_plan(contract: str, *, seed: int, until: date, months: int = 12, in_arrears: bool = False) -> Plan:
    """The payment profile of one contract (deterministic); ``in_arrears`` forces 2–4 months behind."""
    rng = random.Random(f"ledger:{seed}:{contract}")
    roll, cumulative, profile = rng.random(), 0.0, ON_TIME
    for name, share in PROFILE_SHARES:
        cumulative += share
        if roll < cumulative:
            profile = name
            break
    direct_debit = rng.random() < (0.65 if profile == ON_TIME else 0.35)
    now = _index(until)
    if in_arrears:
        return Plan(ARREARS, direct_debit, onset=now - min(rng.randint(2, 4), months) + 1, pattern="gestopt")
    if profile == ARREARS:
        pattern = rng.choices(["gestopt", "deels", "wisselend"], [45, 35, 20])[0]
        behind = {"gestopt": rng.randint(1, 4), "deels": rng.randint(3, 10), "wisselend": rng.randint(4, 11)}[pattern]
        return Plan(
            ARREARS, direct_debit, onset=now - min(behind, months) + 1, pattern=pattern,
            share=round(rng.uniform(0.45, 0.85), 2),
        )
    if profile == ARRANGEMENT:
        onset = now - min(rng.randint(4, 11), months - 1) + 1
        missed = rng.randint(2, 3)
        return Plan(
            ARRANGEMENT, direct_debit, onset=onset, missed=missed,
            arrangement_from=onset + missed + rng.randint(0, 1), instalments=rng.randint(3, 10),
        )
    return Plan(profile, direct_debit)


# --------------------------------------------------------------------------- rows


def _row(contract: str, index: int, suffix: str, kind: str, detail: str, booked: date, cents: int,
         description: str, due: date | None = None) -> dict[str, str]:
    return {
        "boekingsnummer": f"{contract}-{index // 12}{index % 12 + 1:02d}-{suffix}",
        "contractnummer": contract,
        "boekingsoort": kind,
        "boekingdetailsoort": detail,
        "boekdatum": booked.isoformat(),
        "vervaldatum": due.isoformat() if due else "",
        "bedrag": euros(cents),
        "omschrijving": description,
    }


def _charge(start: date, end: date | None, index: int, rent_cents: int) -> tuple[date, date, int] | None:
    """(booked, due, cents) of the month's rent, pro rata in a first or last month; None when not let."""
    first = _first_day(index)
    days = calendar.monthrange(first.year, first.month)[1]
    last = first + timedelta(days=days - 1)
    if start > last or (end is not None and end < first):
        return None
    active_from, active_to = max(start, first), min(end or last, last)
    cents = rent_cents * ((active_to - active_from).days + 1) // days
    booked = (first - timedelta(days=1)).replace(day=25) if start <= first else start  # prolongation run
    return booked, active_from, cents


def _contract_rows(contract: str, start: date, end: date | None, rent_cents: int, plan: Plan, *,
                   seed: int, first: int, last: int, until: date) -> Iterator[dict[str, str]]:
    debt = left = per = 0  # ARRANGEMENT: arrears at the start, still to pay, per instalment
    for index in range(first, last + 1):
        charge = _charge(start, end, index, rent_cents)
        if charge is None or charge[2] <= 0:
            continue
        booked, due, cents = charge
        rng = random.Random(f"ledger:{seed}:{contract}:{index}")
        label = _label(index)
        rows = [_row(contract, index, "H", "VOR", "PRO", booked, cents, f"Huur {label}", due)]
        # (days after the due date, cents) of this month's rent payments
        payments: list[tuple[int, int]] = []
        storno = debit = False
        if plan.profile == ON_TIME or index < plan.onset:
            late = rng.random() < 0.03  # now and then a week late, by transfer
            debit = plan.direct_debit and not late
            offset = rng.choice((0, 0, 1, 1, 2)) if debit else rng.randint(-6, 4) + (rng.randint(4, 10) if late else 0)
            payments.append((offset, cents))
        elif plan.profile == LATE:
            storno = plan.direct_debit and rng.random() < 0.35  # paid after the reversal, below
            if not storno and rng.random() < 0.2:
                part = cents // 2
                payments += [(rng.randint(6, 11), part), (rng.randint(17, 26), cents - part)]
            elif not storno:
                payments.append((rng.randint(7, 26), cents))
        elif plan.profile == ARREARS:
            if plan.pattern == "deels":
                payments.append((rng.randint(3, 20), int(cents * plan.share) // 100 * 100))
            elif plan.pattern == "wisselend" and rng.random() < 0.55:
                payments.append((rng.randint(5, 25), cents))
            elif plan.pattern == "gestopt" and rng.random() < 0.25:
                payments.append((rng.randint(5, 25), rng.randint(5, 20) * 1000))
        elif index < plan.onset + plan.missed:  # ARRANGEMENT: behind
            debt += cents
        else:  # ARRANGEMENT: back on track, then instalments
            payments.append((rng.randint(0, 3), cents))
            if index == plan.arrangement_from and debt:
                left, per = debt, -(-debt // plan.instalments)
            if index >= plan.arrangement_from and left > 0:
                instalment = min(left, per)
                left -= instalment
                rows.append(_row(
                    contract, index, "R", "ONT", "BRT", due + timedelta(days=rng.randint(12, 16)), instalment,
                    f"Termijn {index - plan.arrangement_from + 1} van {-(-debt // per)} betalingsregeling",
                ))
        if storno:
            rows.append(_row(contract, index, "B1", "ONT", "BAN", due + timedelta(days=1), cents, f"Incasso huur {label}"))
            rows.append(_row(contract, index, "S", "MEM", "STO", due + timedelta(days=4), cents,
                             f"Storno incasso huur {label}"))
            payments.append((rng.randint(10, 25), cents))
        kind_of_payment = "Incasso" if debit else "Betaling"
        for number, (offset, amount) in enumerate(payments, start=2 if storno else 1):
            if amount > 0:
                rows.append(_row(contract, index, f"B{number}", "ONT", "BAN", due + timedelta(days=offset), amount,
                                 f"{kind_of_payment} huur {label}"))
        for row in rows:
            if row["boekdatum"] <= until.isoformat():
                yield row


def generate_ledger_rows(corporation: Organisation, *, months: int = 12, until: date, seed: int = 4,
                         arrears_contracts: Collection[str] = ()) -> Iterator[dict[str, str]]:
    """Ledger rows (import format) for every tenancy of ``corporation`` over the last ``months`` months.

    Only bookings dated on or before ``until`` are yielded (next month's rent appears once it is
    booked on the 25th). ``arrears_contracts`` are put 2–4 months behind whatever their profile.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    first, last = _index(until) - months + 1, _index(until) + 1
    tenancies = (
        Tenancy.objects.filter(unit__corporation=corporation, start_date__lte=until)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=_first_day(first)))
        .order_by("contract_number")
        .values_list("contract_number", "start_date", "end_date", "monthly_rent")
    )
    forced = frozenset(arrears_contracts)
    for contract, start, end, rent in tenancies.iterator(chunk_size=2000):
        plan = contract_plan(contract, seed=seed, until=until, months=months, in_arrears=contract in forced)
        yield from _contract_rows(
            contract, start, end, int(rent * 100), plan, seed=seed, first=first, last=last, until=until
        )


def write_ledger_csv(path, rows: Iterable[dict[str, str]], *, delimiter: str = ";") -> None:
    """Write rows to a file in the import format (UTF-8, header row)."""
    write_csv(path, LEDGER_COLUMNS, rows, delimiter=delimiter)


def ledger_csv_bytes(rows: Iterable[dict[str, str]], *, delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(LEDGER_COLUMNS), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- the demo


# (municipality code, min days, min amount in cents, debt help name, phone, url); one municipality
# of the demo corporation is left without a covenant so the UI shows that blocker.
AGREEMENTS: dict[str, tuple[int, int, str, str, str]] = {
    "GM0355": (30, 30000, "Schuldhulpverlening gemeente Zeist", "14 030", "https://www.zeist.nl/geldzorgen"),
    "GM0310": (45, 20000, "Team Geldzaken De Bilt", "14 030", "https://www.debilt.nl/geldzorgen"),
    "GM0312": (30, 30000, "Schuldhulp Bunnik", "14 030", "https://www.bunnik.nl/geldzorgen"),
}
FALLBACK_AGREEMENT = (30, 30000, "Schuldhulpverlening van de gemeente", "14 030", "")
ARREARS_HOUSEHOLDS_WITH_REPORTS = 4
DEMO_SEED = 4
DEMO_MONTHS = 12


def _mail_domain(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum()) + ".nl"


def report_contracts(corporation: Organisation, *, limit: int = ARREARS_HOUSEHOLDS_WITH_REPORTS) -> list[str]:
    """Current contracts on units with nuisance or welfare-concern reports (for "Ken uw huurder")."""
    try:
        from wijkpunt.reports.models import Report
    except ImportError:  # pragma: no cover - the reports app is always installed
        return []
    units = (
        Report.objects.filter(organisation=corporation, unit__isnull=False,
                              main_category__slug__in=("overlast", "zorgsignaal"))
        .values("unit").annotate(n=Count("pk")).order_by("-n", "unit")
    )
    unit_ids = [row["unit"] for row in units[: limit * 3]]
    contracts = Tenancy.objects.filter(
        unit_id__in=unit_ids, end_date__isnull=True, start_date__lte=REFERENCE_DATE
    ).order_by("contract_number").values_list("contract_number", flat=True)
    return list(contracts[:limit])


def _agreements(corporation: Organisation) -> tuple[int, str]:
    municipalities = list(
        Municipality.objects.filter(neighbourhoods__units__corporation=corporation)
        .annotate(units=Count("neighbourhoods__units")).order_by("-units", "code")
    )
    if not municipalities:
        return 0, ""
    left_out = municipalities[-1] if len(municipalities) > 1 else None
    made = 0
    for municipality in municipalities:
        if municipality == left_out:
            continue
        days, cents, name, phone, url = AGREEMENTS.get(municipality.code, FALLBACK_AGREEMENT)
        domain = _mail_domain(municipality.name)
        if municipality.code == "GM0355":  # an earlier version with other thresholds, to show dating
            MunicipalityAgreement.objects.update_or_create(
                corporation=corporation, municipality=municipality, valid_from=date(REFERENCE_DATE.year - 2, 1, 1),
                defaults={"valid_until": REFERENCE_DATE - timedelta(days=1), "min_days": 60, "min_amount_cents": 0,
                          "objection_days": 14, "contact_email": f"vroegsignalering@{domain}",
                          "debt_help_name": name, "debt_help_phone": phone, "debt_help_url": url},
            )
        MunicipalityAgreement.objects.update_or_create(
            corporation=corporation, municipality=municipality, valid_from=REFERENCE_DATE,
            defaults={"valid_until": None, "min_days": days, "min_amount_cents": cents, "objection_days": 14,
                      "contact_email": f"vroegsignalering@{domain}", "debt_help_name": name,
                      "debt_help_phone": phone, "debt_help_url": url},
        )
        made += 1
    return made, left_out.name if left_out else ""


def _runs(corporation: Organisation, today: date) -> int | None:
    """Month-end runs for the past year and one for today (episodes and figures then have a history);
    None when the run is not there."""
    try:
        from wijkpunt.arrears.run import run_arrears
    except ImportError:
        return None
    if ArrearsRun.objects.filter(corporation=corporation, run_on__gt=today).exists():
        return None
    # Month-end runs over the past year (the management figures read those), then today.
    history: list[date] = []
    if not ArrearsRun.objects.filter(corporation=corporation).exists():
        month_end = today.replace(day=1) - timedelta(days=1)
        for _ in range(11):
            history.insert(0, month_end)
            month_end = month_end.replace(day=1) - timedelta(days=1)
    run = None
    for run_on in [*history, today]:
        run = run_arrears(corporation, run_on)
    return run.tenancies_in_arrears if run else None


def seed_arrears_demo(corporation: Organisation, *, today: date) -> dict[str, object]:
    """A year of bookings (imported once, through the import), covenants and the arrears runs.

    Idempotent: the ledger is generated and imported only when the corporation has none yet,
    covenants are updated in place and the run for ``today`` replaces an earlier one.
    """
    created = present = 0
    if not LedgerLine.objects.filter(corporation=corporation).exists():
        rows = generate_ledger_rows(
            corporation, months=DEMO_MONTHS, until=today, seed=DEMO_SEED,
            arrears_contracts=report_contracts(corporation),
        )
        result = import_ledger_csv(corporation, ledger_csv_bytes(rows))
        created, present = result.created, result.already_present
    agreements, left_out = _agreements(corporation)
    in_arrears = _runs(corporation, today)
    return {
        "ledger_created": created,
        "ledger_present": present,
        "ledger_lines": LedgerLine.objects.filter(corporation=corporation).count(),
        "agreements": agreements,
        "municipality_without_agreement": left_out,
        "in_arrears": in_arrears,
        "open_episodes": ArrearsEpisode.objects.filter(corporation=corporation, status="open").count(),
    }
