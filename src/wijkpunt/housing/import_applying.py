"""CSV import of the housing register: checks against the database and the all-or-nothing write."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connections, models, router

from wijkpunt.core.models import Organisation

from .import_records import (
    TENANCIES_LABEL,
    UNITS_LABEL,
    ImportLineError,
    ImportResult,
    _Parsed,
)
from .models import Complex, Household, Municipality, Neighbourhood, Tenancy, Unit

# --------------------------------------------------------------------------- checks against the database


@dataclass
class _DbState:
    units: dict[str, Unit]  # this corporation's units by code
    tenancies: dict[str, Tenancy]  # this corporation's tenancies by contract number (with household)


def check_against_database(parsed: _Parsed, corporation: Organisation) -> _DbState:
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


def apply_import(parsed: _Parsed, corporation: Organisation, state: _DbState, result: ImportResult) -> None:
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
