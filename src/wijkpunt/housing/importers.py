"""Import of units (eenheden) and tenancies (huurovereenkomsten) from CSV: all or nothing.

Every line is validated and *all* errors are collected (line, column, Dutch message) before
anything is written; only a file pair without a single error is applied, in one transaction,
with bulk operations. Units are matched on ``eenheidnummer`` (per corporation), tenancies on
``contractnummer``, so importing the same files twice updates instead of duplicating.

The file formats are documented in ``docs/import.md``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connections, models, router, transaction

from wijkpunt.core.models import Organisation
from wijkpunt.core.validators import (
    ADDITION_RE,
    BAG_VBO_RE,
    BUURT_RE,
    GEMEENTE_RE,
    HOUSE_LETTER_RE,
    POSTCODE_RE,
    WIJK_RE,
    normalise_phone,
    normalise_postcode,
)

from .models import Complex, Household, Municipality, Neighbourhood, Tenancy, Unit

UNITS_LABEL = "eenheden"
TENANCIES_LABEL = "huurovereenkomsten"

UNIT_COLUMNS: tuple[str, ...] = (
    "eenheidnummer", "soort", "straat", "huisnummer", "huisletter", "toevoeging", "postcode", "plaats",
    "bag_verblijfsobject_id", "complexnummer", "complexnaam", "buurtcode", "buurtnaam", "wijkcode",
    "wijknaam", "gemeentecode", "gemeentenaam", "latitude", "longitude",
)
UNIT_OPTIONAL_COLUMNS = frozenset(
    {"huisletter", "toevoeging", "bag_verblijfsobject_id", "complexnummer", "complexnaam", "latitude", "longitude"}
)
TENANCY_COLUMNS: tuple[str, ...] = (
    "contractnummer", "eenheidnummer", "huishouden_naam", "samenstelling", "aantal_personen", "telefoon",
    "email", "ingangsdatum", "einddatum", "kale_huur",
)
TENANCY_OPTIONAL_COLUMNS = frozenset({"telefoon", "email", "einddatum"})

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
DIGITS_RE = re.compile(r"^[0-9]{1,9}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AMOUNT_RE = re.compile(r"^\d{1,6}([.,]\d{1,2})?$")
COORD_RE = re.compile(r"^-?\d{1,3}([.,]\d+)?$")
# Bounding box of the Netherlands (with a margin): catches swapped or zero coordinates.
LAT_RANGE = (Decimal("50.6"), Decimal("53.7"))
LNG_RANGE = (Decimal("3.2"), Decimal("7.3"))
MAX_RENT = Decimal("99999.99")

# Which household sizes fit which composition: (minimum, maximum).
COMPOSITION_SIZES: dict[str, tuple[int, int]] = {
    Household.Composition.SINGLE: (1, 1),
    Household.Composition.SINGLE_SENIOR: (1, 1),
    Household.Composition.COUPLE: (2, 2),
    Household.Composition.FAMILY: (3, 20),
    Household.Composition.SINGLE_PARENT: (2, 20),
    Household.Composition.OTHER: (1, 20),
}
COMPOSITION_LOOKUP: dict[str, str] = {
    **{value: value for value in Household.Composition.values},
    **{str(label).lower(): value for value, label in Household.Composition.choices},
}
KIND_VALUES = tuple(Unit.Kind.values)


# --------------------------------------------------------------------------- results and errors


@dataclass(frozen=True)
class ImportLineError:
    """One problem in one field of one line. ``file`` is ``eenheden`` or ``huurovereenkomsten``."""

    line: int
    column: str
    message: str
    file: str = ""

    def __str__(self) -> str:
        where = f"regel {self.line}" if self.line else "bestand"
        if self.column:
            where += f", {self.column}"
        prefix = f"{self.file}: " if self.file else ""
        return f"{prefix}{where}: {self.message}"

    def sort_key(self) -> tuple[int, int, str]:
        return (0 if self.file == UNITS_LABEL else 1, self.line, self.column)


class ImportFailed(Exception):  # noqa: N818 (the name reads as a sentence: "import failed")
    """Raised with every error found; nothing has been written."""

    def __init__(self, errors: Sequence[ImportLineError]):
        self.errors: list[ImportLineError] = sorted(errors, key=ImportLineError.sort_key)
        super().__init__(f"{len(self.errors)} fout(en) gevonden; er is niets geïmporteerd.")


@dataclass
class ImportResult:
    dry_run: bool = False
    units_created: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    tenancies_created: int = 0
    tenancies_updated: int = 0
    tenancies_unchanged: int = 0
    households_created: int = 0
    households_updated: int = 0
    municipalities_created: int = 0
    neighbourhoods_created: int = 0
    complexes_created: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        head = "Proefimport (er is niets opgeslagen)" if self.dry_run else "Import voltooid"
        return (
            f"{head} in {self.seconds:.1f} s: "
            f"eenheden {self.units_created} nieuw, {self.units_updated} bijgewerkt, {self.units_unchanged} ongewijzigd; "
            f"huurovereenkomsten {self.tenancies_created} nieuw, {self.tenancies_updated} bijgewerkt, "
            f"{self.tenancies_unchanged} ongewijzigd; "
            f"{self.municipalities_created} gemeenten, {self.neighbourhoods_created} buurten en "
            f"{self.complexes_created} complexen aangemaakt."
        )


# --------------------------------------------------------------------------- parsed records


@dataclass
class UnitRecord:
    line: int
    code: str
    kind: str
    street: str
    house_number: int
    house_letter: str
    house_number_addition: str
    postcode: str
    city: str
    bag_id: str | None
    complex_code: str
    complex_name: str
    buurt_code: str
    buurt_name: str
    wijk_code: str
    wijk_name: str
    gemeente_code: str
    gemeente_name: str
    latitude: Decimal | None
    longitude: Decimal | None

    @property
    def address_key(self) -> tuple[str, int, str, str]:
        return (self.postcode, self.house_number, self.house_letter, self.house_number_addition)


@dataclass
class TenancyRecord:
    line: int
    contract_number: str
    unit_code: str
    household_name: str
    composition: str
    size: int
    phone: str
    email: str
    start_date: date
    end_date: date | None
    monthly_rent: Decimal


@dataclass
class _Parsed:
    units: list[UnitRecord] = field(default_factory=list)
    tenancies: list[TenancyRecord] = field(default_factory=list)
    # eenheidnummers seen in the units file, also on lines with other errors (avoids follow-up errors)
    unit_codes_seen: dict[str, int] = field(default_factory=dict)
    errors: list[ImportLineError] = field(default_factory=list)


# --------------------------------------------------------------------------- reading CSV

Source = str | os.PathLike | IO[str] | IO[bytes] | bytes


def _read_text(source: Source) -> str:
    if isinstance(source, bytes):
        raw: bytes | str = source
    elif isinstance(source, (str, os.PathLike)):
        raw = Path(source).read_bytes()
    else:
        raw = source.read()
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    return raw.decode("utf-8-sig")


def detect_delimiter(header_line: str) -> str:
    """``;`` or ``,``: whichever occurs more often in the header row (``;`` wins a tie)."""
    return ";" if header_line.count(";") >= header_line.count(",") and ";" in header_line else ","


def read_csv(
    source: Source, *, label: str, columns: Sequence[str], optional: frozenset[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[ImportLineError]]:
    """Read a CSV file into ``(line number, {column: value})`` rows; header problems are errors."""
    errors: list[ImportLineError] = []
    try:
        text = _read_text(source)
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        return [], [ImportLineError(line, "", "Het bestand is geen UTF-8-tekst. Sla het op als CSV (UTF-8).", label)]
    except OSError as exc:
        return [], [ImportLineError(0, "", f"Het bestand kan niet worden gelezen: {exc.strerror or exc}", label)]
    if not text.strip():
        return [], [ImportLineError(1, "", "Het bestand is leeg; de eerste regel moet de kolomnamen bevatten.", label)]

    delimiter = detect_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except csv.Error as exc:
        return [], [ImportLineError(1, "", f"De kopregel is geen geldige CSV: {exc}", label)]

    known = set(columns)
    seen: set[str] = set()
    for name in header:
        if name in seen:
            errors.append(ImportLineError(1, name, "Deze kolom staat twee keer in de kopregel.", label))
        seen.add(name)
        if name and name not in known:
            errors.append(
                ImportLineError(1, name, f"Onbekende kolom. Toegestaan zijn: {', '.join(columns)}.", label)
            )
    for name in columns:
        if name not in seen and name not in optional:
            errors.append(ImportLineError(1, name, "Deze verplichte kolom ontbreekt in de kopregel.", label))
    if errors:
        return [], errors

    rows: list[tuple[int, dict[str, str]]] = []
    previous_end = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(ImportLineError(reader.line_num, "", f"Deze regel is geen geldige CSV: {exc}", label))
            break
        line = previous_end + 1
        previous_end = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank line
        if len(cells) != len(header):
            errors.append(
                ImportLineError(
                    line, "", f"Deze regel heeft {len(cells)} kolommen, de kopregel {len(header)}.", label
                )
            )
            values = dict(zip(header, cells, strict=False))
            rows.append((line, {"__broken__": "1", **values}))
            continue
        rows.append((line, {name: cell.strip() for name, cell in zip(header, cells, strict=True)}))
    return rows, errors


# --------------------------------------------------------------------------- field validation


class _Row:
    def __init__(self, label: str, line: int, values: Mapping[str, Any], errors: list[ImportLineError]):
        self.label, self.line, self.values, self.errors = label, line, values, errors
        self.ok = True

    def error(self, column: str, message: str) -> None:
        self.ok = False
        self.errors.append(ImportLineError(self.line, column, message, self.label))

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = str(self.values.get(column) or "").strip()
        if required and not value:
            self.error(column, "Vul dit veld in.")
        elif max_length and len(value) > max_length:
            self.error(column, f"Gebruik hoogstens {max_length} tekens (nu {len(value)}).")
        return value

    def code(self, column: str, *, max_length: int) -> str:
        value = self.text(column, required=True, max_length=max_length)
        if value and len(value) <= max_length and not CODE_RE.match(value):
            self.error(column, "Gebruik alleen letters, cijfers, punt, streepje of schuine streep.")
        return value

    def integer(self, column: str, *, minimum: int, maximum: int, message: str) -> int:
        value = self.text(column, required=True)
        if not value:
            return 0
        if not DIGITS_RE.match(value) or not (minimum <= int(value) <= maximum):
            self.error(column, message)
            return 0
        return int(value)

    def date(self, column: str, *, required: bool) -> date | None:
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            if not DATE_RE.match(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.error(column, f"'{value}' is geen geldige datum; gebruik JJJJ-MM-DD, bijvoorbeeld 2024-03-01.")
            return None

    def coordinate(self, column: str, bounds: tuple[Decimal, Decimal]) -> Decimal | None:
        value = self.text(column)
        if not value:
            return None
        if not COORD_RE.match(value):
            self.error(column, f"'{value}' is geen getal; gebruik bijvoorbeeld 52.0907.")
            return None
        number = Decimal(value.replace(",", ".")).quantize(Decimal("0.000001"))
        if not bounds[0] <= number <= bounds[1]:
            self.error(column, f"{number} ligt niet in Nederland (verwacht tussen {bounds[0]} en {bounds[1]}).")
            return None
        return number


def _parse_unit(row: _Row) -> UnitRecord | None:
    code = row.code("eenheidnummer", max_length=20)

    kind = row.text("soort", required=True).upper()
    if kind and kind not in KIND_VALUES:
        row.error("soort", f"Onbekende soort '{kind}'; gebruik {', '.join(KIND_VALUES)} (VERA-codes).")

    street = row.text("straat", required=True, max_length=200)
    house_number = row.integer(
        "huisnummer", minimum=1, maximum=99999,
        message="Een huisnummer is een heel getal van 1 tot en met 99999; zet een letter in de kolom huisletter.",
    )
    letter = row.text("huisletter").upper()
    if letter and not HOUSE_LETTER_RE.match(letter):
        row.error("huisletter", "Een huisletter is één letter.")
    addition = row.text("toevoeging")
    if addition and not ADDITION_RE.match(addition):
        row.error("toevoeging", "Een toevoeging is 1 tot 4 letters of cijfers.")

    raw_postcode = row.text("postcode", required=True)
    postcode = normalise_postcode(raw_postcode)
    if raw_postcode and not (raw_postcode.isascii() and POSTCODE_RE.match(postcode)):
        row.error("postcode", f"Vul een geldige postcode in, bijvoorbeeld 3511 AB (niet '{raw_postcode}').")
    city = row.text("plaats", required=True, max_length=100)

    bag_id = row.text("bag_verblijfsobject_id") or None
    if bag_id and not BAG_VBO_RE.match(bag_id):
        row.error(
            "bag_verblijfsobject_id",
            "Een BAG-verblijfsobject-id heeft 16 cijfers met '01' op plaats 5 en 6, bijvoorbeeld 0344010000123456.",
        )

    complex_code = row.text("complexnummer", max_length=20)
    if complex_code and len(complex_code) <= 20 and not CODE_RE.match(complex_code):
        row.error("complexnummer", "Gebruik alleen letters, cijfers, punt, streepje of schuine streep.")
    complex_name = row.text("complexnaam", max_length=200)
    if complex_name and not complex_code:
        row.error("complexnummer", "Vul het complexnummer in als er een complexnaam is.")

    gemeente = row.text("gemeentecode", required=True).upper()
    gemeente_ok = bool(gemeente) and bool(GEMEENTE_RE.match(gemeente))
    if gemeente and not gemeente_ok:
        row.error("gemeentecode", "Een CBS-gemeentecode is GM met 4 cijfers, bijvoorbeeld GM0355.")
    gemeente_name = row.text("gemeentenaam", required=True, max_length=100)
    wijk = row.text("wijkcode", required=True).upper()
    if wijk and not WIJK_RE.match(wijk):
        row.error("wijkcode", "Een CBS-wijkcode is WK met 6 tekens, bijvoorbeeld WK035501.")
    elif wijk and gemeente_ok and wijk[2:6] != gemeente[2:6]:
        row.error("wijkcode", f"Wijk {wijk} hoort niet bij gemeente {gemeente} (de 4 cijfers moeten gelijk zijn).")
    wijk_name = row.text("wijknaam", required=True, max_length=100)
    buurt = row.text("buurtcode", required=True).upper()
    if buurt and not BUURT_RE.match(buurt):
        row.error("buurtcode", "Een CBS-buurtcode is BU met 8 tekens, bijvoorbeeld BU03550101.")
    elif buurt and wijk and WIJK_RE.match(wijk) and buurt[2:8] != wijk[2:8]:
        row.error("buurtcode", f"Buurt {buurt} hoort niet bij wijk {wijk} (de buurtcode begint met de wijkcode).")
    buurt_name = row.text("buurtnaam", required=True, max_length=100)

    latitude = row.coordinate("latitude", LAT_RANGE)
    longitude = row.coordinate("longitude", LNG_RANGE)
    if (latitude is None) != (longitude is None) and row.ok:
        row.error("latitude" if latitude is None else "longitude", "Vul latitude en longitude allebei in, of geen van beide.")

    if not row.ok:
        return None
    return UnitRecord(
        line=row.line, code=code, kind=kind, street=street, house_number=house_number, house_letter=letter,
        house_number_addition=addition, postcode=postcode, city=city, bag_id=bag_id,
        complex_code=complex_code, complex_name=complex_name or (f"Complex {complex_code}" if complex_code else ""),
        buurt_code=buurt, buurt_name=buurt_name, wijk_code=wijk, wijk_name=wijk_name,
        gemeente_code=gemeente, gemeente_name=gemeente_name, latitude=latitude, longitude=longitude,
    )


def _parse_tenancy(row: _Row) -> TenancyRecord | None:
    contract = row.code("contractnummer", max_length=30)
    unit_code = row.text("eenheidnummer", required=True, max_length=20)
    name = row.text("huishouden_naam", required=True, max_length=200)

    raw_composition = row.text("samenstelling", required=True)
    composition = COMPOSITION_LOOKUP.get(raw_composition.lower(), "")
    if raw_composition and not composition:
        row.error(
            "samenstelling",
            f"Onbekende samenstelling '{raw_composition}'; gebruik {', '.join(Household.Composition.values)}.",
        )
    size = row.integer(
        "aantal_personen", minimum=1, maximum=20, message="Het aantal personen is een heel getal van 1 tot en met 20."
    )
    if composition and size:
        low, high = COMPOSITION_SIZES[composition]
        if not low <= size <= high:
            if low == high:
                expected = "1 persoon" if low == 1 else f"{low} personen"
            else:
                expected = f"minstens {low} personen"
            row.error(
                "aantal_personen",
                f"Het aantal personen past niet bij samenstelling '{composition}': verwacht {expected}, niet {size}.",
            )

    phone = row.text("telefoon")
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValidationError:
            row.error("telefoon", f"'{phone}' is geen geldig telefoonnummer; gebruik bijvoorbeeld 06 12345678.")
    email = row.text("email", max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            row.error("email", f"'{email}' is geen geldig e-mailadres.")

    start = row.date("ingangsdatum", required=True)
    end = row.date("einddatum", required=False)
    if start and end and end < start:
        row.error("einddatum", f"De einddatum ({end:%Y-%m-%d}) ligt vóór de ingangsdatum ({start:%Y-%m-%d}).")

    raw_rent = row.text("kale_huur", required=True)
    rent = Decimal(0)
    if raw_rent:
        if not AMOUNT_RE.match(raw_rent):
            row.error("kale_huur", f"'{raw_rent}' is geen bedrag; gebruik bijvoorbeeld 612,45 (zonder €-teken of punt voor duizendtallen).")
        else:
            try:
                rent = Decimal(raw_rent.replace(",", ".")).quantize(Decimal("0.01"))
            except InvalidOperation:  # pragma: no cover - the pattern already rules this out
                row.error("kale_huur", f"'{raw_rent}' is geen bedrag.")
            else:
                if rent <= 0 or rent > MAX_RENT:
                    row.error("kale_huur", "De kale huur moet groter dan 0 zijn.")

    if not row.ok:
        return None
    return TenancyRecord(
        line=row.line, contract_number=contract, unit_code=unit_code, household_name=name,
        composition=composition, size=size, phone=phone, email=email, start_date=start,  # type: ignore[arg-type]
        end_date=end, monthly_rent=rent,
    )


def parse_rows(
    *,
    unit_rows: Iterable[tuple[int, Mapping[str, str]]],
    tenancy_rows: Iterable[tuple[int, Mapping[str, str]]],
) -> _Parsed:
    """Validate every field of every row (no database access) and the checks across lines."""
    parsed = _Parsed()
    errors = parsed.errors
    for line, values in unit_rows:
        code = str(values.get("eenheidnummer") or "").strip()
        if code in parsed.unit_codes_seen:
            errors.append(ImportLineError(line, "eenheidnummer", f"Eenheidnummer {code} staat ook op regel {parsed.unit_codes_seen[code]}.", UNITS_LABEL))
        elif code:
            parsed.unit_codes_seen[code] = line
        if values.get("__broken__"):
            continue
        record = _parse_unit(_Row(UNITS_LABEL, line, values, errors))
        if record:
            parsed.units.append(record)
    for line, values in tenancy_rows:
        if values.get("__broken__"):
            continue
        record = _parse_tenancy(_Row(TENANCIES_LABEL, line, values, errors))
        if record:
            parsed.tenancies.append(record)
    _check_units_across_lines(parsed)
    _check_tenancies_across_lines(parsed)
    return parsed


def _check_units_across_lines(parsed: _Parsed) -> None:
    errors = parsed.errors
    by_address: dict[tuple, int] = {}
    by_bag: dict[str, int] = {}
    buurten: dict[str, UnitRecord] = {}
    wijken: dict[str, UnitRecord] = {}
    gemeenten: dict[str, UnitRecord] = {}
    complexes: dict[str, UnitRecord] = {}
    for rec in parsed.units:
        if rec.address_key in by_address:
            errors.append(ImportLineError(rec.line, "postcode", f"Dit adres (postcode, huisnummer, huisletter, toevoeging) staat ook op regel {by_address[rec.address_key]}.", UNITS_LABEL))
        else:
            by_address[rec.address_key] = rec.line
        if rec.bag_id:
            if rec.bag_id in by_bag:
                errors.append(ImportLineError(rec.line, "bag_verblijfsobject_id", f"BAG-id {rec.bag_id} staat ook op regel {by_bag[rec.bag_id]}.", UNITS_LABEL))
            else:
                by_bag[rec.bag_id] = rec.line
        # the same code must mean the same thing on every line
        first = buurten.setdefault(rec.buurt_code, rec)
        if (first.buurt_name, first.wijk_code) != (rec.buurt_name, rec.wijk_code):
            errors.append(ImportLineError(rec.line, "buurtnaam", f"Buurt {rec.buurt_code} heeft op regel {first.line} een andere naam of wijk.", UNITS_LABEL))
        first = wijken.setdefault(rec.wijk_code, rec)
        if first.wijk_name != rec.wijk_name:
            errors.append(ImportLineError(rec.line, "wijknaam", f"Wijk {rec.wijk_code} heeft op regel {first.line} een andere naam ('{first.wijk_name}').", UNITS_LABEL))
        first = gemeenten.setdefault(rec.gemeente_code, rec)
        if first.gemeente_name != rec.gemeente_name:
            errors.append(ImportLineError(rec.line, "gemeentenaam", f"Gemeente {rec.gemeente_code} heeft op regel {first.line} een andere naam ('{first.gemeente_name}').", UNITS_LABEL))
        if rec.complex_code:
            first = complexes.setdefault(rec.complex_code, rec)
            if first.complex_name != rec.complex_name:
                errors.append(ImportLineError(rec.line, "complexnaam", f"Complex {rec.complex_code} heeft op regel {first.line} een andere naam ('{first.complex_name}').", UNITS_LABEL))


def _check_tenancies_across_lines(parsed: _Parsed) -> None:
    seen: dict[str, int] = {}
    for rec in parsed.tenancies:
        if rec.contract_number in seen:
            parsed.errors.append(ImportLineError(rec.line, "contractnummer", f"Contractnummer {rec.contract_number} staat ook op regel {seen[rec.contract_number]}.", TENANCIES_LABEL))
        else:
            seen[rec.contract_number] = rec.line


# --------------------------------------------------------------------------- checks against the database


@dataclass
class _DbState:
    units: dict[str, Unit]  # this corporation's units by code
    tenancies: dict[str, Tenancy]  # this corporation's tenancies by contract number (with household)


def _check_against_database(parsed: _Parsed, corporation: Organisation) -> _DbState:
    errors = parsed.errors
    own_units = {u.code: u for u in Unit.objects.filter(corporation=corporation)}
    own_ids = {u.id: code for code, u in own_units.items()}
    address_owner: dict[tuple, tuple[int, str]] = {}
    bag_owner: dict[str, tuple[int, str]] = {}
    for corp_id, code, pc, nr, letter, addition, bag in Unit.objects.values_list(
        "corporation_id", "code", "postcode", "house_number", "house_letter", "house_number_addition", "bag_id"
    ):
        address_owner[(pc, nr, letter, addition)] = (corp_id, code)
        if bag:
            bag_owner[bag] = (corp_id, code)

    def clash(owner: tuple[int, str] | None, code: str) -> str | None:
        if owner is None or owner == (corporation.id, code):
            return None
        if owner[0] != corporation.id:
            return "een eenheid van een andere corporatie"
        return f"eenheid {owner[1]}"

    for rec in parsed.units:
        other = clash(address_owner.get(rec.address_key), rec.code)
        if other:
            errors.append(ImportLineError(rec.line, "postcode", f"Dit adres is in de database al van {other}.", UNITS_LABEL))
        if rec.bag_id:
            other = clash(bag_owner.get(rec.bag_id), rec.code)
            if other:
                errors.append(ImportLineError(rec.line, "bag_verblijfsobject_id", f"BAG-id {rec.bag_id} is in de database al van {other}.", UNITS_LABEL))

    # tenancies: contract numbers are unique across corporations
    file_contracts = {rec.contract_number for rec in parsed.tenancies}
    own_tenancies: dict[str, Tenancy] = {}
    for tenancy in Tenancy.objects.select_related("household").filter(
        unit__corporation=corporation
    ):
        own_tenancies[tenancy.contract_number] = tenancy
    foreign = set(
        Tenancy.objects.exclude(unit__corporation=corporation).values_list("contract_number", flat=True)
    ) & file_contracts
    known_codes = set(parsed.unit_codes_seen) | set(own_units)
    intervals: dict[str, list[tuple[date, date, str, int | None]]] = defaultdict(list)
    for rec in parsed.tenancies:
        if rec.contract_number in foreign:
            errors.append(ImportLineError(rec.line, "contractnummer", f"Contractnummer {rec.contract_number} is al in gebruik bij een andere corporatie.", TENANCIES_LABEL))
        if rec.unit_code not in known_codes:
            errors.append(ImportLineError(rec.line, "eenheidnummer", f"Eenheid {rec.unit_code} staat niet in het eenhedenbestand en niet in de database.", TENANCIES_LABEL))
            continue
        intervals[rec.unit_code].append((rec.start_date, rec.end_date or date.max, rec.contract_number, rec.line))
    for contract, tenancy in own_tenancies.items():
        if contract not in file_contracts:
            code = own_ids[tenancy.unit_id]
            intervals[code].append((tenancy.start_date, tenancy.end_date or date.max, contract, None))

    for periods in intervals.values():
        if len(periods) < 2:
            continue
        periods.sort(key=lambda p: (p[0], p[3] or 0))
        latest = periods[0]
        for period in periods[1:]:
            if period[0] <= latest[1] and (period[3] is not None or latest[3] is not None):
                line = period[3] if period[3] is not None else latest[3]
                other = latest if period[3] is not None else period
                where = f"regel {other[3]}" if other[3] is not None else "in de database"
                errors.append(
                    ImportLineError(
                        line, "ingangsdatum",  # type: ignore[arg-type]
                        f"Deze huurovereenkomst overlapt met contract {other[2]} ({where}) op dezelfde eenheid.",
                        TENANCIES_LABEL,
                    )
                )
            if period[1] > latest[1]:
                latest = period
    return _DbState(units=own_units, tenancies=own_tenancies)


# --------------------------------------------------------------------------- applying

UNIT_FIELDS = (
    "kind", "street", "house_number", "house_letter", "house_number_addition", "postcode", "city", "bag_id",
    "latitude", "longitude", "complex_id", "neighbourhood_id",
)
HOUSEHOLD_FIELDS = ("name", "composition", "size", "contact_phone", "contact_email")
TENANCY_FIELDS = ("unit_id", "start_date", "end_date", "monthly_rent")
BATCH = 500


def _update_rows(model: type[models.Model], objects: Sequence[models.Model], fields: Sequence[str]) -> None:
    """UPDATE ... WHERE id = ? for many rows at once (executemany).

    Django's ``bulk_update`` builds one CASE expression per field and is several times slower
    for thousands of rows; this sends the same values through the fields' own conversion.
    """
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
    # only quoted identifiers from the model's own metadata go into the text; values are parameters
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns] + [obj.pk] for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _apply(parsed: _Parsed, corporation: Organisation, state: _DbState, result: ImportResult) -> None:
    # municipalities, neighbourhoods and complexes (small tables: compare row by row)
    municipalities = {m.code: m for m in Municipality.objects.all()}
    for rec in parsed.units:
        muni = municipalities.get(rec.gemeente_code)
        if muni is None:
            muni = municipalities[rec.gemeente_code] = Municipality.objects.create(code=rec.gemeente_code, name=rec.gemeente_name)
            result.municipalities_created += 1
        elif muni.name != rec.gemeente_name:
            muni.name = rec.gemeente_name
            muni.save(update_fields=["name"])
    neighbourhoods = {n.code: n for n in Neighbourhood.objects.all()}
    for rec in parsed.units:
        values = {
            "name": rec.buurt_name, "district_code": rec.wijk_code, "district_name": rec.wijk_name,
            "municipality_id": municipalities[rec.gemeente_code].id,
        }
        hood = neighbourhoods.get(rec.buurt_code)
        if hood is None:
            neighbourhoods[rec.buurt_code] = Neighbourhood.objects.create(code=rec.buurt_code, **values)
            result.neighbourhoods_created += 1
        elif any(getattr(hood, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(hood, key, value)
            hood.save()
    complexes = {c.code: c for c in Complex.objects.filter(corporation=corporation)}
    done: set[str] = set()
    for rec in parsed.units:
        if not rec.complex_code or rec.complex_code in done:
            continue
        done.add(rec.complex_code)
        values = {"name": rec.complex_name, "neighbourhood_id": neighbourhoods[rec.buurt_code].id}
        existing = complexes.get(rec.complex_code)
        if existing is None:
            complexes[rec.complex_code] = Complex.objects.create(corporation=corporation, code=rec.complex_code, **values)
            result.complexes_created += 1
        elif any(getattr(existing, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save()

    # units
    new_units: list[Unit] = []
    changed_units: list[Unit] = []
    changed_fields: set[str] = set()
    for rec in parsed.units:
        values = {
            "kind": rec.kind, "street": rec.street, "house_number": rec.house_number,
            "house_letter": rec.house_letter, "house_number_addition": rec.house_number_addition,
            "postcode": rec.postcode, "city": rec.city, "bag_id": rec.bag_id,
            "latitude": rec.latitude, "longitude": rec.longitude,
            "complex_id": complexes[rec.complex_code].id if rec.complex_code else None,
            "neighbourhood_id": neighbourhoods[rec.buurt_code].id,
        }
        unit = state.units.get(rec.code)
        if unit is None:
            new_units.append(Unit(corporation=corporation, code=rec.code, **values))
            continue
        fields = [k for k, v in values.items() if getattr(unit, k) != v]
        if fields:
            for key in fields:
                setattr(unit, key, values[key])
            changed_units.append(unit)
            changed_fields.update(fields)
        else:
            result.units_unchanged += 1
    Unit.objects.bulk_create(new_units, batch_size=BATCH)
    _update_rows(Unit, changed_units, sorted(changed_fields))
    result.units_created, result.units_updated = len(new_units), len(changed_units)

    unit_ids = dict(Unit.objects.filter(corporation=corporation).values_list("code", "id"))

    # households and tenancies: one household per tenancy, updated together with it
    new_households: list[Household] = []
    new_tenancies: list[Tenancy] = []
    changed_households: list[Household] = []
    changed_tenancies: list[Tenancy] = []
    for rec in parsed.tenancies:
        household_values = {
            "name": rec.household_name, "composition": rec.composition, "size": rec.size,
            "contact_phone": rec.phone, "contact_email": rec.email,
        }
        tenancy_values = {
            "unit_id": unit_ids[rec.unit_code], "start_date": rec.start_date, "end_date": rec.end_date,
            "monthly_rent": rec.monthly_rent,
        }
        tenancy = state.tenancies.get(rec.contract_number)
        if tenancy is None:
            household = Household(corporation=corporation, **household_values)
            new_households.append(household)
            new_tenancies.append(Tenancy(contract_number=rec.contract_number, household=household, **tenancy_values))
            continue
        household = tenancy.household
        touched = False
        if any(getattr(household, k) != v for k, v in household_values.items()):
            for key, value in household_values.items():
                setattr(household, key, value)
            changed_households.append(household)
            touched = True
        if any(getattr(tenancy, k) != v for k, v in tenancy_values.items()):
            for key, value in tenancy_values.items():
                setattr(tenancy, key, value)
            changed_tenancies.append(tenancy)
            touched = True
        if touched:
            result.tenancies_updated += 1
        else:
            result.tenancies_unchanged += 1

    Household.objects.bulk_create(new_households, batch_size=BATCH)
    if any(h.pk is None for h in new_households):  # pragma: no cover - databases without RETURNING
        for household in new_households:
            if household.pk is None:
                household.save()
    for tenancy in new_tenancies:
        tenancy.household_id = tenancy.household.pk  # the household got its key only just now
    Tenancy.objects.bulk_create(new_tenancies, batch_size=BATCH)
    _update_rows(Household, changed_households, HOUSEHOLD_FIELDS)
    _update_rows(Tenancy, changed_tenancies, TENANCY_FIELDS)
    result.households_created = len(new_households)
    result.households_updated = len(changed_households)
    result.tenancies_created = len(new_tenancies)


# --------------------------------------------------------------------------- entry points


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
            state = _check_against_database(parsed, corporation)
            if parsed.errors:
                raise ImportFailed(parsed.errors)
            _apply(parsed, corporation, state, result)
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


# The name the project brief uses; it shadows the builtin only inside this module, where the
# builtin is not needed. Prefer ImportLineError in new code.
ImportError = ImportLineError  # noqa: A001
