"""Import of the rent ledger (huurboekingen) from CSV: all or nothing, idempotent per boekingsnummer.

Mirrors the housing import (``wijkpunt.housing.importers``): every line is validated and *all*
errors are collected (line, column, Dutch message) before anything is written; a file without a
single error is applied in one transaction with batched inserts. A ``boekingsnummer`` already
imported with the same content is skipped, so importing the same (or a growing) export again is
harmless; one imported with *different* content is an error, because a correction is a new line.

The format is documented in ``docs/arrears-ledger.md``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, OperationalError, connections, router, transaction
from django.utils import timezone

from wijkpunt.core.models import Organisation
from wijkpunt.housing.import_parsing import Source, _Row, read_csv
from wijkpunt.housing.import_records import ImportFailed, ImportLineError
from wijkpunt.housing.importers import _resolve_corporation
from wijkpunt.housing.models import Tenancy

from .models import LedgerKind, LedgerLine

__all__ = [
    "DETAIL_CODES", "LEDGER_COLUMNS", "LEDGER_LABEL", "ImportFailed", "ImportLineError", "LedgerImportResult",
    "import_ledger_csv",
]

LEDGER_LABEL = "huurboekingen"
LEDGER_COLUMNS: tuple[str, ...] = (
    "boekingsnummer", "contractnummer", "boekingsoort", "boekingdetailsoort", "boekdatum", "vervaldatum",
    "bedrag", "omschrijving",
)
LEDGER_OPTIONAL_COLUMNS = frozenset({"boekingdetailsoort", "vervaldatum", "omschrijving"})

# VERA BOEKINGDETAILSOORT (Referentiedata.csv, informatiedomein Financiën), copied so that the
# import does not depend on the shared data folder at run time; a test compares the two.
DETAIL_CODES: dict[str, str] = {
    "AAN": "Aanmaning",
    "AFB": "Afboeking",
    "BAN": "Bank",
    "BET": "Betalingsregeling",
    "BOR": "Borg",
    "BRT": "Betalingsregelingtermijn",
    "CRE": "Creditnota",
    "EIN": "Eindafrekening",
    "EVN": "Eerste verhuurnota",
    "FAC": "Factuur",
    "PRO": "Prolongatie",
    "STO": "Storno",
    "TER": "Terugbetaling",
    "VOU": "Voucher",
}
# plain strings: comparing with the enum members costs a descriptor call per access (100k lines)
CHARGE, PAYMENT = str(LedgerKind.CHARGE.value), str(LedgerKind.PAYMENT.value)
KIND_VALUES = frozenset(str(value) for value in LedgerKind.values)
KIND_HELP = "VOR (vordering), ONT (ontvangst) of MEM (memoriaal/correctie)"

# euros (at most 6 digits, no thousands separator) with an optional decimal part; MEM may be negative
LEDGER_AMOUNT_RE = re.compile(r"^(-?)(\d{1,6})(?:[.,](\d{1,2}))?$")
EARLIEST = date(2000, 1, 1)
FUTURE_DAYS = 365
BATCH = 5000


@dataclass(slots=True)
class _Record:
    line: int
    transaction_id: str
    contract: str
    kind: str
    detail: str
    booked_on: date
    effective_on: date
    amount_cents: int
    description: str


@dataclass
class LedgerImportResult:
    created: int = 0
    already_present: int = 0
    lines: int = 0
    tenancies: int = 0
    seconds: float = 0.0
    dry_run: bool = False

    def summary(self) -> str:
        head = "Proefimport huurboekingen (er is niets opgeslagen)" if self.dry_run else "Import huurboekingen voltooid"
        return (
            f"{head} in {self.seconds:.1f} s: {self.lines} regels voor {self.tenancies} huurovereenkomsten; "
            f"{self.created} nieuw, {self.already_present} al aanwezig."
        )


def euros(cents: int) -> str:
    """612,50 / -12,00: an amount in cents as Dutch text (no float)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole},{part:02d}"


# --------------------------------------------------------------------------- validating lines


class _Dates:
    """Checked dates, cached by text: a ledger has few distinct dates, each on thousands of lines."""

    def __init__(self, today: date):
        self.latest = today + timedelta(days=FUTURE_DAYS)
        self.valid: dict[str, date] = {}

    def __call__(self, row: _Row, column: str, *, required: bool) -> date | None:
        known = self.valid.get(row.values.get(column) or "")
        if known is not None:
            return known
        value = row.date(column, required=required)
        if value is None:
            return None
        if value < EARLIEST:
            row.error(column, f"De datum {value:%Y-%m-%d} ligt vóór {EARLIEST.year}; controleer de datum.")
            return None
        if value > self.latest:
            row.error(column, f"De datum {value:%Y-%m-%d} ligt meer dan een jaar in de toekomst; controleer de datum.")
            return None
        self.valid[row.values[column]] = value
        return value


def _amount(row: _Row, kind: str) -> int | None:
    raw = row.text("bedrag", required=True)
    if not raw:
        return None
    match = LEDGER_AMOUNT_RE.match(raw)
    if not match:
        row.error(
            "bedrag",
            f"'{raw}' is geen bedrag; gebruik bijvoorbeeld 612,50 of 612.50 "
            "(zonder €-teken of punt voor duizendtallen).",
        )
        return None
    sign, whole, part = match.groups()
    cents = int(whole) * 100 + int((part or "0").ljust(2, "0"))
    if cents == 0:
        row.error("bedrag", "Het bedrag mag niet 0 zijn.")
        return None
    if sign and kind in (CHARGE, PAYMENT):
        label = "Een vordering (VOR)" if kind == CHARGE else "Een ontvangst (ONT)"
        row.error(
            "bedrag",
            f"{label} heeft een positief bedrag; boek een correctie als memoriaal (MEM) met een min-teken.",
        )
        return None
    return -cents if sign else cents


def _parse_line(row: _Row, dates: _Dates) -> _Record | None:
    transaction_id = row.code("boekingsnummer", max_length=40)
    contract = row.code("contractnummer", max_length=30)
    kind = row.text("boekingsoort", required=True).upper()
    if kind and kind not in KIND_VALUES:
        row.error("boekingsoort", f"Onbekende boekingsoort '{kind}'; gebruik {KIND_HELP}.")
        kind = ""
    detail = row.text("boekingdetailsoort").upper()
    if detail and detail not in DETAIL_CODES:
        row.error(
            "boekingdetailsoort",
            f"Onbekende boekingdetailsoort '{detail}'; gebruik een VERA-code zoals PRO (prolongatie), "
            "BAN (bank), BRT (betalingsregelingtermijn) of STO (storno), of laat het veld leeg.",
        )
    booked_on = dates(row, "boekdatum", required=True)
    due_on = dates(row, "vervaldatum", required=False)
    if kind == CHARGE and not str(row.values.get("vervaldatum") or "").strip():
        row.error("vervaldatum", "Een vordering (VOR) heeft een vervaldatum; vul die in (JJJJ-MM-DD).")
    amount = _amount(row, kind)
    description = row.text("omschrijving", max_length=200)
    if not row.ok:
        return None
    assert booked_on is not None and amount is not None  # row.ok guarantees both
    effective_on = due_on if kind == CHARGE else booked_on
    return _Record(
        line=row.line, transaction_id=transaction_id, contract=contract, kind=kind, detail=detail,
        booked_on=booked_on, effective_on=effective_on,  # type: ignore[arg-type]
        amount_cents=amount if kind != PAYMENT else -amount, description=description,
    )


def _parse(rows: Iterable[tuple[int, Mapping[str, str]]], errors: list[ImportLineError], today: date) -> list[_Record]:
    records: list[_Record] = []
    seen: dict[str, int] = {}
    dates = _Dates(today)
    for line, values in rows:
        transaction_id = str(values.get("boekingsnummer") or "").strip()
        if transaction_id in seen:
            errors.append(
                ImportLineError(
                    line, "boekingsnummer",
                    f"Boekingsnummer {transaction_id} staat ook op regel {seen[transaction_id]}.", LEDGER_LABEL,
                )
            )
        elif transaction_id:
            seen[transaction_id] = line
        if values.get("__broken__"):
            continue
        record = _parse_line(_Row(LEDGER_LABEL, line, values, errors), dates)
        if record:
            records.append(record)
    return records


# --------------------------------------------------------------------------- checks against the database


def _chunks(values: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _chunk_size() -> int:
    """How many values fit in one ``__in`` query (SQLite allows 999 variables per statement)."""
    limit = connections[router.db_for_read(LedgerLine)].features.max_query_params
    return min(limit - 10, 5000) if limit else 5000


def _contracts(numbers: Sequence[str]) -> dict[str, tuple[int, int]]:
    """contract number → (tenancy id, corporation id) for the numbers that exist."""
    found: dict[str, tuple[int, int]] = {}
    for chunk in _chunks(numbers, _chunk_size()):
        for number, tenancy_id, corporation_id in Tenancy.objects.filter(contract_number__in=chunk).values_list(
            "contract_number", "id", "unit__corporation_id"
        ):
            found[number] = (tenancy_id, corporation_id)
    return found


def _existing_lines(corporation: Organisation, transaction_ids: Sequence[str]) -> dict[str, tuple]:
    """boekingsnummer → (tenancy id, kind, cents, booked_on, effective_on) of lines already imported."""
    found: dict[str, tuple] = {}
    for chunk in _chunks(transaction_ids, _chunk_size()):
        for transaction_id, *content in LedgerLine.objects.filter(
            corporation=corporation, transaction_id__in=chunk
        ).values_list("transaction_id", "tenancy_id", "kind", "amount_cents", "booked_on", "effective_on"):
            found[transaction_id] = tuple(content)
    return found


def _content(rec: _Record, tenancy_id: int) -> tuple:
    return (tenancy_id, rec.kind, rec.amount_cents, rec.booked_on, rec.effective_on)


def _differences(old: tuple, new: _Record, contract_of: Mapping[int, str]) -> list[str]:
    tenancy_id, kind, cents, booked_on, effective_on = old
    changes = []
    if contract_of.get(tenancy_id) != new.contract:
        changes.append(f"contract {contract_of.get(tenancy_id, '?')} → {new.contract}")
    if kind != new.kind:
        changes.append(f"boekingsoort {kind} → {new.kind}")
    if cents != new.amount_cents:
        as_written = {PAYMENT: -1}  # an ONT line is written positive and stored negative
        changes.append(
            f"bedrag {euros(cents * as_written.get(kind, 1))} → {euros(new.amount_cents * as_written.get(new.kind, 1))}"
        )
    if booked_on != new.booked_on:
        changes.append(f"boekdatum {booked_on:%Y-%m-%d} → {new.booked_on:%Y-%m-%d}")
    if effective_on != new.effective_on and kind == new.kind == CHARGE:
        changes.append(f"vervaldatum {effective_on:%Y-%m-%d} → {new.effective_on:%Y-%m-%d}")
    return changes


def _check_database(
    records: list[_Record], corporation: Organisation, errors: list[ImportLineError]
) -> tuple[list[_Record], dict[str, int], int]:
    """Return the records to insert, contract → tenancy id and how many lines are already present."""
    contracts = _contracts(sorted({rec.contract for rec in records}))
    tenancy_ids: dict[str, int] = {}
    for number, (tenancy_id, corporation_id) in contracts.items():
        if corporation_id == corporation.pk:
            tenancy_ids[number] = tenancy_id
    existing = _existing_lines(corporation, [rec.transaction_id for rec in records])
    contract_of = {tenancy_id: number for number, tenancy_id in tenancy_ids.items()}
    new: list[_Record] = []
    changed: list[tuple[_Record, tuple]] = []
    present = 0
    for rec in records:
        if rec.contract not in contracts:
            errors.append(
                ImportLineError(
                    rec.line, "contractnummer",
                    f"Contractnummer {rec.contract} bestaat niet in Wijkpunt; importeer eerst de huurovereenkomsten.",
                    LEDGER_LABEL,
                )
            )
            continue
        if rec.contract not in tenancy_ids:
            errors.append(
                ImportLineError(
                    rec.line, "contractnummer",
                    f"Contractnummer {rec.contract} hoort bij een andere corporatie.", LEDGER_LABEL,
                )
            )
            continue
        old = existing.get(rec.transaction_id)
        if old is None:
            new.append(rec)
        elif old == _content(rec, tenancy_ids[rec.contract]):
            present += 1
        else:
            changed.append((rec, old))
    unknown = sorted({old[0] for _rec, old in changed} - set(contract_of))
    for chunk in _chunks(unknown, _chunk_size()):
        contract_of.update(Tenancy.objects.filter(pk__in=chunk).values_list("id", "contract_number"))
    for rec, old in changed:
        errors.append(
            ImportLineError(
                rec.line, "boekingsnummer",
                f"Boekingsnummer {rec.transaction_id} is al geïmporteerd met andere gegevens "
                f"({'; '.join(_differences(old, rec, contract_of))}). Een geïmporteerde boeking verandert niet: "
                "een correctie is een nieuwe boeking (bijvoorbeeld een memoriaalboeking, MEM) met een eigen "
                "boekingsnummer.",
                LEDGER_LABEL,
            )
        )
    return new, tenancy_ids, present


# --------------------------------------------------------------------------- writing

INSERT_FIELDS = (
    "corporation", "tenancy", "transaction_id", "kind", "detail", "booked_on", "effective_on", "amount_cents",
    "description", "imported_at",
)


def _insert(records: Sequence[_Record], corporation: Organisation, tenancy_ids: Mapping[str, int]) -> None:
    """Write the new lines without model instances: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

    ``bulk_create`` builds a model instance per line and compiles every value of every row into
    SQL: a 140k-line import on SQLite took 58 s with it and 7–11 s without it (the same reasoning
    as ``housing.import_applying._update_rows``). On SQLite ``executemany`` runs one prepared
    statement in a loop in C. On PostgreSQL Django's client-side parameter binding is the cost
    (multi-row ``INSERT … VALUES`` took ~15 s for those lines); ``COPY`` lets psycopg send the rows
    as data (~2.5 s). Only the dates and the timestamp need the backend's adaptation.
    """
    if not records:
        return
    connection = connections[router.db_for_write(LedgerLine)]
    meta = LedgerLine._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(meta.get_field(name).column) for name in INSERT_FIELDS)
    imported_at = meta.get_field("imported_at").get_db_prep_save(timezone.now(), connection)
    adapt_date = connection.ops.adapt_datefield_value
    corporation_id = corporation.pk

    def values(batch: Iterable[_Record]) -> Iterator[tuple]:
        for rec in batch:
            yield (corporation_id, tenancy_ids[rec.contract], rec.transaction_id, rec.kind, rec.detail,
                   adapt_date(rec.booked_on), adapt_date(rec.effective_on), rec.amount_cents, rec.description,
                   imported_at)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # the raw psycopg cursor: wrap its errors so an IntegrityError is Django's, as elsewhere
            with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values(records):
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(INSERT_FIELDS))
        # only quoted identifiers from the model's own metadata go into the text; values are parameters
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        for batch in _chunks(records, BATCH):
            cursor.executemany(sql, list(values(batch)))


# --------------------------------------------------------------------------- entry point


def import_ledger_csv(corporation: Organisation | str, source: Source, *, dry_run: bool = False) -> LedgerImportResult:
    """Validate the whole file, then insert its new lines in one transaction (or raise ImportFailed).

    ``source`` is a path, an open file (text or binary) or bytes. Lines whose boekingsnummer is
    already imported with the same content are counted as ``already_present`` and left alone.
    """
    started = time.perf_counter()
    corporation = _resolve_corporation(corporation)
    rows, errors = read_csv(source, label=LEDGER_LABEL, columns=LEDGER_COLUMNS, optional=LEDGER_OPTIONAL_COLUMNS)
    if errors and not rows:
        raise ImportFailed(errors)
    if not rows and not errors:
        raise ImportFailed([ImportLineError(2, "", "Het bestand bevat alleen de kopregel: er staan geen boekingen in.",
                                            LEDGER_LABEL)])
    result = LedgerImportResult(dry_run=dry_run, lines=len(rows))
    records = _parse(rows, errors, timezone.localdate())
    del rows
    try:
        with transaction.atomic():
            new, tenancy_ids, result.already_present = _check_database(records, corporation, errors)
            if errors:
                raise ImportFailed(errors)
            result.tenancies = len({rec.contract for rec in records})
            _insert(new, corporation, tenancy_ids)
            result.created = len(new)
            if dry_run:
                transaction.set_rollback(True)
    except OperationalError as exc:  # SQLite: another import holds the write lock for too long
        if "locked" not in str(exc):
            raise
        raise ImportFailed([ImportLineError(
            0, "", "De database is bezig met een andere import; er is niets opgeslagen. Probeer het over een minuut "
                   "opnieuw.", LEDGER_LABEL)]) from exc
    except IntegrityError as exc:
        raise ImportFailed(
            [
                ImportLineError(
                    0, "",
                    "De database weigerde de boekingen; er is niets opgeslagen. Waarschijnlijk importeerde "
                    f"iemand tegelijk hetzelfde bestand: probeer het opnieuw. ({exc})",
                    LEDGER_LABEL,
                )
            ]
        ) from exc
    result.seconds = time.perf_counter() - started
    return result
