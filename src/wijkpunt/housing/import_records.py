"""CSV import of the housing register: constants, error and result types, parsed records."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .models import Household, Unit

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
