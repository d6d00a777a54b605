"""CSV import of the housing register: reading files and validating every line (no database writes)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

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

from .import_records import (
    AMOUNT_RE,
    CODE_RE,
    COMPOSITION_LOOKUP,
    COMPOSITION_SIZES,
    COORD_RE,
    DATE_RE,
    DIGITS_RE,
    KIND_VALUES,
    LAT_RANGE,
    LNG_RANGE,
    MAX_RENT,
    TENANCIES_LABEL,
    UNITS_LABEL,
    ImportLineError,
    TenancyRecord,
    UnitRecord,
    _Parsed,
)
from .models import Household

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
