"""Import of units (eenheden) and tenancies (huurovereenkomsten) from CSV: all or nothing.

Every line is validated and *all* errors are collected (line, column, Dutch message) before
anything is written; only a file pair without a single error is applied, in one transaction,
with bulk operations. Units are matched on ``eenheidnummer`` (per corporation), tenancies on
``contractnummer``, so importing the same files twice updates instead of duplicating.

The file formats are documented in ``docs/import.md``.
"""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Iterable, Mapping, Sequence

from django.db import IntegrityError, transaction

from wijkpunt.core.models import Organisation

from .import_applying import apply_import, check_against_database
from .import_parsing import Source, detect_delimiter, parse_rows, read_csv
from .import_records import (
    TENANCIES_LABEL,
    TENANCY_COLUMNS,
    TENANCY_OPTIONAL_COLUMNS,
    UNIT_COLUMNS,
    UNIT_OPTIONAL_COLUMNS,
    UNITS_LABEL,
    ImportFailed,
    ImportLineError,
    ImportResult,
)

# --------------------------------------------------------------------------- entry points


__all__ = [
    "TENANCY_COLUMNS", "UNIT_COLUMNS", "ImportFailed", "ImportLineError", "ImportResult",
    "detect_delimiter", "import_housing_csv", "import_housing_rows", "parse_rows", "write_csv",
]


def _resolve_corporation(corporation: Organisation | str) -> Organisation:
    if isinstance(corporation, Organisation):
        return corporation
    try:
        return Organisation.objects.get(slug=corporation, kind=Organisation.Kind.CORPORATION)
    except Organisation.DoesNotExist:
        raise ImportFailed([ImportLineError(0, "", f"Er is geen corporatie met code '{corporation}'.")]) from None


def _run(
    *,
    corporation: Organisation | str,
    unit_rows: list[tuple[int, Mapping[str, str]]],
    tenancy_rows: list[tuple[int, Mapping[str, str]]],
    read_errors: list[ImportLineError],
    dry_run: bool,
) -> ImportResult:
    started = time.perf_counter()
    corporation = _resolve_corporation(corporation)
    parsed = parse_rows(unit_rows=unit_rows, tenancy_rows=tenancy_rows)
    parsed.errors[:0] = read_errors
    result = ImportResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            state = check_against_database(parsed, corporation)
            if parsed.errors:
                raise ImportFailed(parsed.errors)
            apply_import(parsed, corporation, state, result)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:
        raise ImportFailed(
            [ImportLineError(0, "", f"De database weigerde de gegevens (er is niets opgeslagen): {exc}")]
        ) from exc
    result.seconds = time.perf_counter() - started
    return result


def import_housing_csv(
    *,
    corporation: Organisation | str,
    units_file: Source | None,
    tenancies_file: Source | None,
    dry_run: bool = False,
) -> ImportResult:
    """Validate both files completely, then apply them in one transaction (or raise ImportFailed).

    ``units_file`` / ``tenancies_file`` are paths, open files (text or binary) or bytes; either may
    be ``None`` to import only the other one. Tenancies may refer to units already in the database.
    """
    if units_file is None and tenancies_file is None:
        raise ImportFailed([ImportLineError(0, "", "Geef een eenhedenbestand, een huurovereenkomstenbestand of beide.")])
    read_errors: list[ImportLineError] = []
    unit_rows: list = []
    tenancy_rows: list = []
    if units_file is not None:
        unit_rows, errs = read_csv(units_file, label=UNITS_LABEL, columns=UNIT_COLUMNS, optional=UNIT_OPTIONAL_COLUMNS)
        read_errors += errs
    if tenancies_file is not None:
        tenancy_rows, errs = read_csv(
            tenancies_file, label=TENANCIES_LABEL, columns=TENANCY_COLUMNS, optional=TENANCY_OPTIONAL_COLUMNS
        )
        read_errors += errs
    return _run(
        corporation=corporation, unit_rows=unit_rows, tenancy_rows=tenancy_rows, read_errors=read_errors,
        dry_run=dry_run,
    )


def import_housing_rows(
    *,
    corporation: Organisation | str,
    units: Sequence[Mapping[str, str]],
    tenancies: Sequence[Mapping[str, str]],
    dry_run: bool = False,
) -> ImportResult:
    """The same import from rows already in memory (column name → text), numbered as in a CSV file."""
    return _run(
        corporation=corporation,
        unit_rows=[(index + 2, row) for index, row in enumerate(units)],
        tenancy_rows=[(index + 2, row) for index, row in enumerate(tenancies)],
        read_errors=[],
        dry_run=dry_run,
    )


def write_csv(path: str | os.PathLike, columns: Sequence[str], rows: Iterable[Mapping[str, str]], *, delimiter: str = ";") -> None:
    """Write rows in the import format (UTF-8, header row)."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), delimiter=delimiter, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

