"""Demo data: a fictional corporation with its homes, tenants, partners and users.

Everything is derived from ``random.Random(seed)`` and a fixed reference date, so the same seed
gives the same addresses, BAG ids, households and contracts on every machine. The homes and
tenancies are generated as rows in the CSV import format (``build_housing_rows``) and go through
the normal importer, so the demo data is validated like any real import;
``manage.py generate_housing_csv`` writes the same rows to files.
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from datetime import time as dtime
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from wijkpunt.core.models import ClosedDay, Membership, OfficeHours, Organisation, Team, User
from wijkpunt.core.roles import DEFAULT_ROLES, role_label, sync_roles

from . import demo_names
from .import_applying import _update_rows
from .importers import TENANCY_COLUMNS, UNIT_COLUMNS, import_housing_rows
from .models import Complex, Household, Municipality, Neighbourhood, Tenancy, Unit

CORPORATION_SLUG = "lindehof"
CORPORATION_NAME = "Woonstichting Lindehof"
# All generated dates are relative to this day, never to "today" (determinism).
REFERENCE_DATE = date(2026, 1, 1)
HOMES_PER_COMPLEX = 50
VACANCY_RATE = 0.03
PREVIOUS_TENANCY_RATE = 0.2


# --------------------------------------------------------------------------- geography

@dataclass(frozen=True)
class Buurt:
    code: str
    name: str
    postcode: int  # the 4-digit part of its postcodes
    weight: float  # share of the corporation's homes (relative)


@dataclass(frozen=True)
class Wijk:
    code: str
    name: str
    city: str
    centre: tuple[float, float]
    buurten: tuple[Buurt, ...]


@dataclass(frozen=True)
class Gemeente:
    code: str
    name: str
    slug: str
    centre: tuple[float, float]
    wijken: tuple[Wijk, ...]


# Real CBS municipality codes, real postcode areas; wijk and buurt codes follow the CBS format.
GEMEENTEN: tuple[Gemeente, ...] = (
    Gemeente("GM0355", "Zeist", "gemeente-zeist", (52.089, 5.233), (
        Wijk("WK035501", "Zeist-Centrum", "Zeist", (52.089, 5.233), (
            Buurt("BU03550101", "Centrum", 3701, 1.0),
        )),
        Wijk("WK035502", "Zeist-West", "Zeist", (52.086, 5.214), (
            Buurt("BU03550201", "Vollenhove", 3706, 1.2),
            Buurt("BU03550202", "Kerckebosch", 3705, 1.2),
        )),
        Wijk("WK035503", "Zeist-Noord", "Zeist", (52.100, 5.243), (
            Buurt("BU03550301", "Crosestein", 3707, 1.0),
        )),
        Wijk("WK035504", "Den Dolder", "Den Dolder", (52.140, 5.243), (
            Buurt("BU03550401", "Den Dolder", 3734, 0.6),
        )),
    )),
    Gemeente("GM0310", "De Bilt", "gemeente-de-bilt", (52.110, 5.180), (
        Wijk("WK031001", "De Bilt", "De Bilt", (52.110, 5.180), (
            Buurt("BU03100101", "De Bilt-Dorp", 3731, 0.8),
            Buurt("BU03100102", "Weltevreden", 3732, 0.8),
        )),
        Wijk("WK031002", "Bilthoven", "Bilthoven", (52.128, 5.200), (
            Buurt("BU03100201", "Bilthoven-Centrum", 3721, 0.8),
            Buurt("BU03100202", "Brandenburg", 3722, 0.9),
        )),
        Wijk("WK031003", "Maartensdijk", "Maartensdijk", (52.155, 5.175), (
            Buurt("BU03100301", "Maartensdijk", 3738, 0.5),
        )),
    )),
    Gemeente("GM0312", "Bunnik", "gemeente-bunnik", (52.066, 5.198), (
        Wijk("WK031201", "Bunnik", "Bunnik", (52.066, 5.198), (
            Buurt("BU03120101", "Bunnik-Noord", 3981, 0.6),
            Buurt("BU03120102", "Bunnik-Zuid", 3982, 0.6),
        )),
        Wijk("WK031202", "Odijk", "Odijk", (52.053, 5.235), (
            Buurt("BU03120201", "Odijk", 3984, 0.5),
        )),
        Wijk("WK031203", "Werkhoven", "Werkhoven", (52.025, 5.244), (
            Buurt("BU03120301", "Werkhoven", 3985, 0.3),
        )),
    )),
)

# Letter pairs that PostNL does not use.
_UNUSED_PAIRS = {"SA", "SD", "SS"}
_LETTER_PAIRS = tuple(
    a + b for a in "ABCDEFGHJKLMNPRSTVWXZ" for b in "ABCDEFGHJKLMNPRSTVWXZ" if a + b not in _UNUSED_PAIRS
)

KIND_WEIGHTS = {"EGW": 0.35, "MGW": 0.48, "SEN": 0.17}
COMPOSITION_SHARES = {
    Household.Composition.SINGLE: 0.38,
    Household.Composition.SINGLE_SENIOR: 0.12,
    Household.Composition.COUPLE: 0.20,
    Household.Composition.FAMILY: 0.18,
    Household.Composition.SINGLE_PARENT: 0.08,
    Household.Composition.OTHER: 0.04,
}
# How well a household composition fits a kind of home (relative weights when assigning).
AFFINITY = {
    "EGW": {"alleenstaand": 0.4, "alleenstaand-oudere": 0.4, "paar": 1.5, "gezin": 4.0, "eenoudergezin": 2.5, "overig": 2.0},
    "MGW": {"alleenstaand": 2.0, "alleenstaand-oudere": 0.8, "paar": 1.0, "gezin": 0.6, "eenoudergezin": 1.0, "overig": 0.8},
    "SEN": {"alleenstaand": 0.8, "alleenstaand-oudere": 6.0, "paar": 2.0, "gezin": 0.02, "eenoudergezin": 0.05, "overig": 0.1},
}
RENT_RANGES = {"EGW": (640, 900), "MGW": (500, 820), "SEN": (450, 700)}
# Age of the contract holder on REFERENCE_DATE by composition: (youngest, oldest).
HOLDER_AGES = {"alleenstaand": (20, 78), "alleenstaand-oudere": (67, 94), "paar": (24, 86), "gezin": (27, 56),
               "eenoudergezin": (22, 55), "overig": (20, 70)}


# --------------------------------------------------------------------------- the generator

@dataclass
class HousingRows:
    """Generated rows in the CSV import format (see ``docs/import.md``)."""

    units: list[dict[str, str]] = field(default_factory=list)
    tenancies: list[dict[str, str]] = field(default_factory=list)
    vacant_units: int = 0
    # contract number → the contract holder (initials, surname prefix, surname, birth date)
    holders: dict[str, tuple[str, str, str, date]] = field(default_factory=dict)


def _ascii(text: str) -> str:
    text = text.replace("ı", "i").replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _holder(seed: int, contract: str, initial: str, surname: str, composition: str, start: date) -> tuple:
    """The contract holder of a generated household, from its own random stream (the main one is untouched)."""
    rng = random.Random(f"holder:{seed}:{contract}")
    initials = initial + "".join(rng.choice(demo_names.INITIALS) for _ in range(rng.choices([0, 1, 2], [57, 35, 8])[0]))
    prefix = next((p for p in demo_names.DUTCH_SURNAME_PREFIXES if surname.startswith(p)), "")
    low, high = HOLDER_AGES.get(composition, (20, 75))
    born = REFERENCE_DATE - timedelta(days=rng.randint(low * 365, high * 365 + 364))
    born = min(born, start - timedelta(days=18 * 366 + rng.randint(0, 5 * 365)))  # adult at the start
    return "".join(f"{letter}." for letter in initials), prefix.strip(), surname[len(prefix):], born


def _fill_holders(corporation: Organisation, holders: dict[str, tuple[str, str, str, date]]) -> None:
    households = []
    for contract, household in Tenancy.objects.filter(unit__corporation=corporation).values_list(
        "contract_number", "household"
    ):
        if contract in holders:
            initials, prefix, surname, born = holders[contract]
            households.append(
                Household(pk=household, initials=initials, surname_prefix=prefix, surname=surname, birth_date=born)
            )
    _update_rows(Household, households, ("initials", "surname_prefix", "surname", "birth_date"))


def _capitalise_prefix(surname: str) -> str:
    """'de Vries' → 'De Vries' when the surname stands alone (Dutch spelling rule)."""
    return surname[0].upper() + surname[1:]


class _Generator:
    def __init__(self, seed: int, homes: int):
        self.rng = random.Random(seed)
        self.homes = homes
        self.rows = HousingRows()
        self.postcode_pairs: dict[int, list[str]] = {}
        self.street_pools: dict[str, list[str]] = {}
        self.street_next_number: dict[tuple[str, str], int] = {}
        self.bag_counter: dict[str, int] = {}
        self.contract_seq = 0
        self.seed = seed
        self.holder = ("J", "Jansen")  # (initial, surname) of the last household_name()

    # ---- names
    def surname(self) -> str:
        groups = [group for group, _ in demo_names.SURNAME_GROUPS]
        weights = [weight for _, weight in demo_names.SURNAME_GROUPS]
        return self.rng.choice(self.rng.choices(groups, weights)[0])

    def household_name(self, composition: str) -> tuple[str, str]:
        surname = self.surname()
        initial = self.rng.choice(demo_names.INITIALS)
        if composition in ("paar", "gezin", "overig") and self.rng.random() < 0.8:
            name = f"Fam. {_capitalise_prefix(surname)}"
        else:
            name = f"{initial}. {surname}"
        self.holder = (initial, surname)
        return name, f"{initial.lower()}.{_ascii(surname).lower().replace(' ', '').replace(chr(39), '')}"

    def phone(self) -> str:
        digits = f"6{self.rng.choice('12345')}{self.rng.randrange(10**7):07d}"
        style = self.rng.random()
        if style < 0.5:
            return f"0{digits}"
        if style < 0.8:
            return f"0{digits[:1]}-{digits[1:]}"
        return f"+31 {digits[:1]} {digits[1:5]} {digits[5:]}"

    # ---- addresses
    def new_postcode(self, number: int) -> str:
        pairs = self.postcode_pairs.get(number)
        if pairs is None:
            pairs = list(_LETTER_PAIRS)
            self.rng.shuffle(pairs)
            self.postcode_pairs[number] = pairs
        if not pairs:
            raise ValueError(f"Postcodegebied {number} is vol; kies minder woningen.")
        return f"{number}{pairs.pop()}"

    def street(self, city: str) -> str:
        pool = self.street_pools.get(city)
        if not pool:
            pool = list(demo_names.STREET_NAMES)
            self.rng.shuffle(pool)
            self.street_pools[city] = pool
        return pool.pop()

    def bag_id(self, gemeente: Gemeente) -> str:
        counter = self.bag_counter.get(gemeente.code)
        if counter is None:
            counter = self.rng.randrange(100_000, 900_000) * 1000
        counter += self.rng.randint(1, 9)
        self.bag_counter[gemeente.code] = counter
        return f"{gemeente.code[2:]}01{counter:010d}"

    def addresses(self, kind: str, count: int, city: str, postcode_number: int):
        """Yield (street, number, letter, addition, postcode) for ``count`` homes of one complex."""
        made = 0
        while made < count:
            street = self.street(city)
            run = min(count - made, self.rng.randint(12, 60))
            number = self.street_next_number.get((city, street), 1 + 2 * self.rng.randint(0, 10))
            style = self.rng.random()
            postcode, on_postcode = self.new_postcode(postcode_number), 0
            for _ in range(run):
                if on_postcode >= self.rng.randint(14, 24):
                    postcode, on_postcode = self.new_postcode(postcode_number), 0
                if kind == "MGW" and style < 0.3:  # portiekflat: one number, floors as addition
                    floors = 4
                    floor = made % floors + 1
                    yield street, number, "", str(floor), postcode
                    if floor == floors:
                        number += 2
                elif kind in ("MGW", "SEN") and style < 0.5:  # letters A–D per number
                    letter = "ABCD"[made % 4]
                    yield street, number, letter, "", postcode
                    if letter == "D":
                        number += 2
                else:
                    yield street, number, "", "", postcode
                    number += 2 if self.rng.random() < 0.9 else 1
                made += 1
                on_postcode += 1
            # a new street starts a fresh numbering block on the next use
            self.street_next_number[(city, street)] = number + 2

    # ---- the whole data set
    def build(self) -> HousingRows:
        rng = self.rng
        buurten = [(g, w, b) for g in GEMEENTEN for w in g.wijken for b in w.buurten]
        n_complexes = max(1, round(self.homes / HOMES_PER_COMPLEX))
        # every buurt gets a complex first (when there are enough), the rest by weight
        weights = [b.weight for _, _, b in buurten]
        order = list(range(len(buurten)))
        rng.shuffle(order)
        placement = order[:n_complexes] + rng.choices(range(len(buurten)), weights, k=max(0, n_complexes - len(buurten)))
        placement.sort()
        raw_sizes = [rng.uniform(0.3, 1.9) for _ in placement]
        scale = self.homes / sum(raw_sizes)
        sizes = [max(1, int(size * scale)) for size in raw_sizes]
        index = 0
        while sum(sizes) != self.homes:  # fix rounding so the total is exact
            step = 1 if sum(sizes) < self.homes else -1
            if sizes[index % len(sizes)] + step >= 1:
                sizes[index % len(sizes)] += step
            index += 1

        unit_seq = 0
        unit_kinds: list[str] = []
        for complex_index, (buurt_index, size) in enumerate(zip(placement, sizes, strict=True)):
            gemeente, wijk, buurt = buurten[buurt_index]
            kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
            complex_code = f"{1001 + complex_index}"
            centre_lat = wijk.centre[0] + rng.gauss(0, 0.004)
            centre_lng = wijk.centre[1] + rng.gauss(0, 0.006)
            first_street = None
            for street, number, letter, addition, postcode in self.addresses(kind, size, wijk.city, buurt.postcode):
                first_street = first_street or street
                unit_seq += 1
                self.rows.units.append({
                    "eenheidnummer": f"{100000 + unit_seq}",
                    "soort": kind,
                    "straat": street,
                    "huisnummer": str(number),
                    "huisletter": letter,
                    "toevoeging": addition,
                    "postcode": f"{postcode[:4]} {postcode[4:]}",
                    "plaats": wijk.city,
                    "bag_verblijfsobject_id": self.bag_id(gemeente),
                    "complexnummer": complex_code,
                    "complexnaam": "",
                    "buurtcode": buurt.code,
                    "buurtnaam": buurt.name,
                    "wijkcode": wijk.code,
                    "wijknaam": wijk.name,
                    "gemeentecode": gemeente.code,
                    "gemeentenaam": gemeente.name,
                    "latitude": f"{centre_lat + rng.gauss(0, 0.0006):.6f}",
                    "longitude": f"{centre_lng + rng.gauss(0, 0.0009):.6f}",
                })
                unit_kinds.append(kind)
            label = {"EGW": "Eengezinswoningen", "MGW": "Flats", "SEN": "Seniorenwoningen"}[kind]
            name = f"{label} {first_street} ({buurt.name})"
            for row in self.rows.units[-size:]:
                row["complexnaam"] = name

        self._tenancies(unit_kinds)
        return self.rows

    def _tenancies(self, unit_kinds: Sequence[str]) -> None:
        rng = self.rng
        units = self.rows.units
        n_vacant = round(len(units) * VACANCY_RATE)
        vacant = set(rng.sample(range(len(units)), n_vacant))
        self.rows.vacant_units = n_vacant
        occupied = len(units) - n_vacant
        # exact shares, consumed while assigning so the totals match the intended mix
        remaining = {comp: round(share * occupied) for comp, share in COMPOSITION_SHARES.items()}
        remaining[Household.Composition.SINGLE] += occupied - sum(remaining.values())

        for index, unit in enumerate(units):
            kind = unit_kinds[index]
            lo, hi = RENT_RANGES[kind]
            if index in vacant:
                # the last tenant left a few months before the reference date
                end = REFERENCE_DATE - timedelta(days=rng.randint(10, 150))
                start = end - timedelta(days=rng.randint(2 * 365, 20 * 365))
                self._add_tenancy(unit, start, end, self._historic_household(), rng.uniform(lo, hi))
                continue
            comps = [c for c, n in remaining.items() if n > 0]
            comp = rng.choices(comps, [remaining[c] * AFFINITY[kind][c] for c in comps])[0]
            remaining[comp] -= 1
            size = self._size(comp)
            years = 30 if comp in ("alleenstaand-oudere", "paar") else 22
            start = self._first_of_month(REFERENCE_DATE - timedelta(days=rng.randint(30, years * 365)))
            years_ago = (REFERENCE_DATE - start).days / 365
            rent = rng.uniform(lo, hi) - years_ago * 4
            if rng.random() < PREVIOUS_TENANCY_RATE and start.year > 1998:
                prev_start = self._first_of_month(start - timedelta(days=rng.randint(365, 12 * 365)))
                prev_start = max(prev_start, date(REFERENCE_DATE.year - 30, 1, 1))
                self._add_tenancy(
                    unit, prev_start, start - timedelta(days=1), self._historic_household(), rent - rng.uniform(20, 80)
                )
            name, email_stem = self.household_name(comp)
            household = {
                "huishouden_naam": name,
                "samenstelling": comp,
                "aantal_personen": str(size),
                "telefoon": self.phone() if rng.random() < 0.75 else "",
                "email": f"{email_stem}{rng.randint(1, 99)}@example.nl" if rng.random() < 0.5 else "",
            }
            self._add_tenancy(unit, start, None, household, rent)

    def _first_of_month(self, day: date) -> date:
        return day.replace(day=1) if self.rng.random() < 0.85 else day

    def _size(self, comp: str) -> int:
        rng = self.rng
        if comp in ("alleenstaand", "alleenstaand-oudere"):
            return 1
        if comp == "paar":
            return 2
        if comp == "gezin":
            return rng.choices([3, 4, 5, 6, 7], [40, 35, 15, 7, 3])[0]
        if comp == "eenoudergezin":
            return rng.choices([2, 3, 4], [55, 33, 12])[0]
        return rng.choices([2, 3, 4, 5], [45, 30, 15, 10])[0]

    def _historic_household(self) -> dict[str, str]:
        comp = self.rng.choices(["alleenstaand", "alleenstaand-oudere", "paar", "gezin"], [45, 20, 25, 10])[0]
        name, _stem = self.household_name(comp)
        return {
            "huishouden_naam": name, "samenstelling": comp, "aantal_personen": str(self._size(comp)),
            "telefoon": "", "email": "",
        }

    def _add_tenancy(self, unit: dict, start: date, end: date | None, household: dict, rent: float) -> None:
        self.contract_seq += 1
        rent = min(900.0, max(450.0, rent))
        contract = f"HO{self.contract_seq:07d}"
        self.rows.holders[contract] = _holder(self.seed, contract, *self.holder, household["samenstelling"], start)
        self.rows.tenancies.append({
            "contractnummer": contract,
            "eenheidnummer": unit["eenheidnummer"],
            **household,
            "ingangsdatum": start.isoformat(),
            "einddatum": end.isoformat() if end else "",
            "kale_huur": f"{Decimal(str(rent)).quantize(Decimal('0.01'))}".replace(".", ","),
        })


def build_housing_rows(*, seed: int = 2026, homes: int = 6000) -> HousingRows:
    """Units and tenancies for ``homes`` homes, as rows in the CSV import format (deterministic)."""
    if homes < 1:
        raise ValueError("homes must be at least 1")
    rows = _Generator(seed, homes).build()
    assert all(set(r) == set(UNIT_COLUMNS) for r in rows.units[:1])
    assert all(set(r) == set(TENANCY_COLUMNS) for r in rows.tenancies[:1])
    return rows


# --------------------------------------------------------------------------- organisations and people

@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # role slug (Group name)
    role_label: str
    organisation: str
    can_do: str


@dataclass
class DemoSummary:
    created: bool
    corporation_slug: str
    corporation_name: str
    seed: int
    homes: int
    municipalities: int
    neighbourhoods: int
    complexes: int
    units: int
    households: int
    tenancies: int
    vacant_units: int
    partners: list[str]
    logins: list[DemoLogin]
    seconds: float = 0.0

    def login_table(self) -> str:
        """The accounts as a plain-text table (all share the password given to generate_demo)."""
        headers = ("gebruikersnaam", "rol", "organisatie", "wat kan deze gebruiker")
        rows = [(lg.username, lg.role_label, lg.organisation, lg.can_do) for lg in self.logins]
        widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        out = [line.format(*headers), line.format(*("-" * w for w in widths))]
        out += [line.format(*row) for row in rows]
        return "\n".join(text.rstrip() for text in out)

    def __str__(self) -> str:
        state = "aangemaakt" if self.created else "was al aanwezig"
        return (
            f"{self.corporation_name} ({state}): {self.units} eenheden in {self.complexes} complexen, "
            f"{self.neighbourhoods} buurten, {self.municipalities} gemeenten; {self.tenancies} "
            f"huurovereenkomsten, {self.vacant_units} leegstaand."
        )


PARTNERS: tuple[tuple[str, str, str, str, str], ...] = (
    # slug, name, kind, partner_type, e-mail
    ("wijkteam-zeist", "Wijkteam Zeist", Organisation.Kind.PARTNER, Organisation.PartnerType.WIJKTEAM, "wijkteam.zeist@example.nl"),
    ("schuldhulp-kromme-rijn", "Schuldhulpverlening Kromme Rijn", Organisation.Kind.PARTNER, Organisation.PartnerType.DEBT_HELP, "schuldhulp@example.nl"),
    ("politie-zeist-de-bilt", "Politie basisteam Zeist-De Bilt (wijkagent)", Organisation.Kind.PARTNER, Organisation.PartnerType.POLICE, "wijkagent.zeist@example.nl"),
    ("buurtbemiddeling-zeist", "Buurtbemiddeling Zeist", Organisation.Kind.PARTNER, Organisation.PartnerType.MEDIATION, "buurtbemiddeling@example.nl"),
    ("wending", "Stichting Wending Begeleid Wonen", Organisation.Kind.CARE_PROVIDER, Organisation.PartnerType.CARE, "aanmelding.wending@example.nl"),
    ("installatiebedrijf-van-den-brink", "Installatiebedrijf Van den Brink", Organisation.Kind.PARTNER, Organisation.PartnerType.CONTRACTOR, "storingen.vandenbrink@example.nl"),
)
TEAMS: tuple[tuple[str, str], ...] = (
    ("reparatie", "Team Reparatieverzoeken"),
    ("leefbaarheid", "Team Leefbaarheid"),
    ("sociaal-beheer", "Team Sociaal Beheer"),
)
# username, first name, last name, role slug, organisation slug, teams, phone, is_staff, what they can do
USERS: tuple[tuple[str, str, str, str, str, tuple[str, ...], str, bool, str], ...] = (
    ("beheerder", "Marieke", "van Dijk", "beheerder", CORPORATION_SLUG, ("reparatie", "leefbaarheid", "sociaal-beheer"), "", True,
     "alles van de corporatie; categorieën en eenheden beheren; beheeromgeving (/beheer/)"),
    ("complexbeheerder", "Ruud", "Verhoeven", "complexbeheerder", CORPORATION_SLUG, ("reparatie", "leefbaarheid"),
     "+31612340001", False,
     "meldingen van de corporatie triëren en afhandelen, telefonische intake; draait achtervangdiensten"),
    ("wijkconsulent", "Fatima", "Ouali", "wijkconsulent", CORPORATION_SLUG, ("leefbaarheid", "sociaal-beheer"),
     "+31612340002", False,
     "overlast- en woonomgevingsmeldingen, telefonische intake, achtervang; Bewonerskrachten en huisbezoeken"),
    ("opzichter", "Jeroen", "Smit", "complexbeheerder", CORPORATION_SLUG, ("reparatie",), "+31612340003", False,
     "reparatieverzoeken behandelen; draait achtervangdiensten"),
    ("regisseur", "Annemiek", "Schouten", "regisseur-sociaal-beheer", CORPORATION_SLUG, ("sociaal-beheer",),
     "+31612340004", False,
     "zorgsignalen en sociaal beheer, Bewonerskrachten begeleiden; coördinator van de achtervang"),
    ("incasso", "Youssef", "El Amrani", "incasso-medewerker", CORPORATION_SLUG, (), "+31612340005", False,
     "huurachterstanden: stappen vastleggen, brieven maken, vroegsignalen aan gemeenten, boekingen importeren"),
    ("manager", "Ingrid", "Hoekstra", "management", CORPORATION_SLUG, (), "", False,
     "managementcijfers huurachterstand (geen persoonsgegevens)"),
    ("vrijwilliger", "Henk", "Bosman", "bewonerskracht", CORPORATION_SLUG, (), "+31612345671", False,
     "Bewonerskracht: wijkrondes in tweetallen (ook offline melden), Mijn Bewonerskracht, Klusteam/Groenteam"),
    ("vrijwilliger2", "Gülsen", "Demir", "bewonerskracht", CORPORATION_SLUG, (), "+31612345672", False,
     "Bewonerskracht: wijkrondes in tweetallen (ook offline melden), Mijn Bewonerskracht, Klusteam/Groenteam"),
    ("wijkteam", "Sanne", "Kuipers", "partner-medewerker", "wijkteam-zeist", (), "", False,
     "meldingen die naar Wijkteam Zeist zijn doorgestuurd; casussen waarvoor het wijkteam is uitgenodigd (alleen wat de bewoner deelt)"),
    ("aannemer", "Dennis", "van Leeuwen", "partner-medewerker", "installatiebedrijf-van-den-brink", (), "", False,
     "alleen reparatieverzoeken die naar het installatiebedrijf zijn doorgestuurd zien en afhandelen"),
)


def _logins() -> list[DemoLogin]:
    names = {slug: name for slug, name, *_ in PARTNERS} | {CORPORATION_SLUG: CORPORATION_NAME}
    return [
        DemoLogin(username=u[0], role=u[3], role_label=role_label(u[3]), organisation=names[u[4]], can_do=u[8])
        for u in USERS
    ]


def _summary(*, created: bool, seed: int, homes: int, vacant: int, seconds: float) -> DemoSummary:
    corporation = Organisation.objects.get(slug=CORPORATION_SLUG)
    units = Unit.objects.filter(corporation=corporation)
    occupied = units.filter(tenancies__end_date__isnull=True).distinct().count()
    return DemoSummary(
        created=created,
        corporation_slug=corporation.slug,
        corporation_name=corporation.name,
        seed=seed,
        homes=homes,
        municipalities=Municipality.objects.filter(neighbourhoods__units__corporation=corporation).distinct().count(),
        neighbourhoods=Neighbourhood.objects.filter(units__corporation=corporation).distinct().count(),
        complexes=Complex.objects.filter(corporation=corporation).count(),
        units=units.count(),
        households=Household.objects.filter(corporation=corporation).count(),
        tenancies=Tenancy.objects.filter(unit__corporation=corporation).count(),
        vacant_units=vacant if created else units.count() - occupied,
        partners=[name for _slug, name, *_ in PARTNERS],
        logins=_logins(),
        seconds=seconds,
    )


def _roles() -> dict[str, Group]:
    groups = {g.name: g for g in Group.objects.filter(name__in=DEFAULT_ROLES)}
    if len(groups) < len(DEFAULT_ROLES):
        sync_roles()
        groups = {g.name: g for g in Group.objects.filter(name__in=DEFAULT_ROLES)}
    return groups


def generate_demo(*, seed: int = 2026, homes: int = 6000, password: str, verbosity: int = 1) -> DemoSummary:
    """Create the demo corporation, partners, users and ``homes`` homes with tenants.

    Deterministic for a given seed. Does nothing (and says so) when the corporation already exists.
    """
    started = time.perf_counter()
    if Organisation.objects.filter(slug=CORPORATION_SLUG).exists():
        if verbosity:
            print("demo data already present")
        return _summary(created=False, seed=seed, homes=homes, vacant=0, seconds=time.perf_counter() - started)

    rows = build_housing_rows(seed=seed, homes=homes)
    with transaction.atomic():
        corporation = Organisation.objects.create(
            slug=CORPORATION_SLUG, name=CORPORATION_NAME, kind=Organisation.Kind.CORPORATION,
            email="meldpunt.lindehof@example.nl",
        )
        OfficeHours.objects.bulk_create(
            OfficeHours(organisation=corporation, weekday=day, opens=dtime(8, 30), closes=dtime(17, 0))
            for day in range(5)
        )
        ClosedDay.objects.create(organisation=corporation, date=date(2026, 5, 15), reason="Dag na Hemelvaart")
        for gemeente in GEMEENTEN:
            Organisation.objects.update_or_create(
                slug=gemeente.slug,
                defaults={
                    "name": f"Gemeente {gemeente.name}", "kind": Organisation.Kind.MUNICIPALITY,
                    "municipality_code": gemeente.code,
                },
            )
        orgs = {CORPORATION_SLUG: corporation}
        for slug, name, kind, partner_type, email in PARTNERS:
            orgs[slug], _ = Organisation.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name, "kind": kind, "partner_type": partner_type, "email": email,
                    "municipality_code": "GM0355" if slug.endswith("zeist") else "",
                },
            )
        teams = {
            slug: Team.objects.create(organisation=corporation, slug=slug, name=name) for slug, name in TEAMS
        }

        roles = _roles()
        hashed = make_password(password)  # hash once: the demo accounts share one password
        for username, first, last, role, org_slug, team_slugs, phone, is_staff, _can in USERS:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first, "last_name": last, "phone": phone, "is_staff": is_staff,
                    "is_superuser": False, "is_active": True, "password": hashed,
                    "email": f"{_ascii(first).lower()}.{_ascii(last).lower().replace(' ', '')}@example.nl",
                },
            )
            Membership.objects.get_or_create(user=user, organisation=orgs[org_slug], role=roles[role])
            if is_staff:
                # Django's admin checks model permissions through user.groups, not memberships
                user.groups.add(roles[role])
            for team_slug in team_slugs:
                teams[team_slug].members.add(user)

        import_housing_rows(corporation=corporation, units=rows.units, tenancies=rows.tenancies)
        _fill_holders(corporation, rows.holders)

    summary = _summary(
        created=True, seed=seed, homes=homes, vacant=rows.vacant_units, seconds=time.perf_counter() - started
    )
    if verbosity:
        print(summary)
    return summary
