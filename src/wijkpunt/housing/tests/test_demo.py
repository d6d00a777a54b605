"""The demo generator: deterministic, plausible, idempotent."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from wijkpunt.core.models import ClosedDay, Membership, OfficeHours, Organisation, Team, User
from wijkpunt.core.permissions import has_org_perm
from wijkpunt.core.validators import BAG_VBO_RE, BUURT_RE, POSTCODE_RE, WIJK_RE
from wijkpunt.housing.demo import (
    CORPORATION_SLUG,
    GEMEENTEN,
    PARTNERS,
    USERS,
    DemoSummary,
    build_housing_rows,
    generate_demo,
)
from wijkpunt.housing.models import Complex, Household, Municipality, Neighbourhood, Tenancy, Unit

PASSWORD = "demo-wachtwoord-2026"
HOMES = 300


def snapshot() -> list[tuple]:
    return list(
        Unit.objects.order_by("code").values_list(
            "code", "street", "house_number", "house_letter", "house_number_addition", "postcode", "city", "bag_id",
            "latitude", "longitude", "kind", "complex__code", "neighbourhood__code",
        )
    ) + list(
        Tenancy.objects.order_by("contract_number").values_list(
            "contract_number", "unit__code", "household__name", "household__composition", "household__size",
            "household__contact_phone", "start_date", "end_date", "monthly_rent",
        )
    )


def wipe_demo() -> None:
    Tenancy.objects.all().delete()
    Household.objects.all().delete()
    Unit.objects.all().delete()
    Complex.objects.all().delete()
    Neighbourhood.objects.all().delete()
    Municipality.objects.all().delete()
    Membership.objects.all().delete()
    User.objects.filter(username__in=[u[0] for u in USERS]).delete()
    Organisation.objects.all().delete()


@pytest.fixture
def demo(db) -> DemoSummary:
    return generate_demo(seed=2026, homes=HOMES, password=PASSWORD, verbosity=0)


def test_same_seed_gives_the_same_data_on_a_fresh_database(demo):
    first = snapshot()
    assert len(first) > HOMES
    wipe_demo()
    again = generate_demo(seed=2026, homes=HOMES, password=PASSWORD, verbosity=0)
    assert again.created
    assert snapshot() == first


def test_other_seed_gives_other_data():
    a = build_housing_rows(seed=1, homes=HOMES)
    b = build_housing_rows(seed=2, homes=HOMES)
    assert [r["bag_verblijfsobject_id"] for r in a.units] != [r["bag_verblijfsobject_id"] for r in b.units]
    assert build_housing_rows(seed=1, homes=HOMES) == a


def test_summary_and_counts(demo):
    assert demo.created and demo.corporation_slug == CORPORATION_SLUG
    assert demo.units == HOMES == Unit.objects.count()
    assert demo.municipalities == 3
    assert demo.complexes == Complex.objects.count() == round(HOMES / 50)
    assert demo.tenancies == Tenancy.objects.count() and demo.households == Household.objects.count()
    assert demo.vacant_units == round(HOMES * 0.03)
    occupied = Unit.objects.filter(tenancies__end_date__isnull=True).distinct().count()
    assert occupied == HOMES - demo.vacant_units
    table = demo.login_table()
    for username, *_ in USERS:
        assert username in table
    assert "Bewonerskracht" in table and "Medewerker partnerorganisatie" in table


def test_is_idempotent(demo, capsys):
    before = snapshot()
    again = generate_demo(seed=99, homes=10, password="ander-wachtwoord", verbosity=1)
    assert not again.created
    assert "demo data already present" in capsys.readouterr().out
    assert snapshot() == before
    assert again.units == HOMES and again.logins == demo.logins


def test_identifiers_are_valid_and_plausible(demo):
    centres = {g.code: g.centre for g in GEMEENTEN}
    postcode_areas = {g.code: {b.postcode for w in g.wijken for b in w.buurten} for g in GEMEENTEN}
    bag_ids = []
    for unit in Unit.objects.select_related("neighbourhood__municipality"):
        gm = unit.neighbourhood.municipality.code
        assert POSTCODE_RE.match(unit.postcode)
        assert int(unit.postcode[:4]) in postcode_areas[gm]
        assert BAG_VBO_RE.match(unit.bag_id) and unit.bag_id[:4] == gm[2:]
        assert BUURT_RE.match(unit.neighbourhood.code) and unit.neighbourhood.code[2:6] == gm[2:]
        assert WIJK_RE.match(unit.neighbourhood.district_code)
        lat, lng = centres[gm]
        assert abs(float(unit.latitude) - lat) < 0.1 and abs(float(unit.longitude) - lng) < 0.1
        unit.full_clean()
        bag_ids.append(unit.bag_id)
    assert len(set(bag_ids)) == len(bag_ids)
    assert {u.kind for u in Unit.objects.all()} <= {"EGW", "MGW", "SEN"}
    assert Municipality.objects.filter(code__in=["GM0355", "GM0310", "GM0312"]).count() == 3


def test_households_and_tenancies_are_realistic():
    rows = build_housing_rows(seed=2026, homes=6000)
    current = [t for t in rows.tenancies if not t["einddatum"]]
    assert len(current) == 6000 - rows.vacant_units
    shares = Counter(t["samenstelling"] for t in current)
    for comp, share in {"alleenstaand": 0.38, "alleenstaand-oudere": 0.12, "paar": 0.20, "gezin": 0.18,
                        "eenoudergezin": 0.08, "overig": 0.04}.items():
        assert abs(shares[comp] / len(current) - share) < 0.01, comp
    for t in rows.tenancies:
        size = int(t["aantal_personen"])
        assert {"alleenstaand": size == 1, "alleenstaand-oudere": size == 1, "paar": size == 2,
                "gezin": size >= 3, "eenoudergezin": size >= 2, "overig": size >= 2}[t["samenstelling"]]
        assert Decimal("450") <= Decimal(t["kale_huur"].replace(",", ".")) <= Decimal("900")
    starts = [date.fromisoformat(t["ingangsdatum"]) for t in rows.tenancies]
    assert min(starts).year <= 1997 and max(starts).year >= 2025
    names = " ".join(t["huishouden_naam"] for t in current)
    for origin in ("El ", "Yılmaz", "Kowalski", "Fam. De ", "Fam. Van "):
        assert origin in names or re.search(origin, names), origin


def test_organisations_teams_and_users(demo):
    corp = Organisation.objects.get(slug=CORPORATION_SLUG)
    assert corp.kind == "corporatie"
    assert OfficeHours.objects.filter(organisation=corp).count() == 5
    hours = OfficeHours.objects.filter(organisation=corp).first()
    assert (hours.opens.strftime("%H:%M"), hours.closes.strftime("%H:%M")) == ("08:30", "17:00")
    assert ClosedDay.objects.filter(organisation=corp).count() == 1
    assert set(Team.objects.filter(organisation=corp).values_list("slug", flat=True)) == {
        "reparatie", "leefbaarheid", "sociaal-beheer"
    }
    gemeenten = Organisation.objects.filter(kind="gemeente")
    assert set(gemeenten.values_list("municipality_code", flat=True)) == {"GM0355", "GM0310", "GM0312"}
    for slug, _name, kind, partner_type, _email in PARTNERS:
        org = Organisation.objects.get(slug=slug)
        assert (org.kind, org.partner_type) == (kind, partner_type)

    for username, *_rest in USERS:
        user = User.objects.get(username=username)
        assert user.check_password(PASSWORD)
        assert user.email.endswith("@example.nl") and not user.is_superuser
        user.full_clean()
    beheerder = User.objects.get(username="beheerder")
    assert beheerder.is_staff and beheerder.has_perm("housing.view_unit")
    assert User.objects.get(username="vrijwilliger2").phone.startswith("+316")
    assert Membership.objects.filter(user__username="wijkteam", organisation__slug="wijkteam-zeist",
                                     role__name="partner-medewerker").exists()
    assert Membership.objects.filter(user__username="aannemer", organisation__partner_type="aannemer").exists()
    assert Membership.objects.filter(user__username="regisseur", role__name="regisseur-sociaal-beheer").exists()
    assert Team.objects.get(slug="sociaal-beheer").members.filter(username="regisseur").exists()
    complexbeheerder = User.objects.get(username="complexbeheerder")
    assert has_org_perm(complexbeheerder, "reports.triage_report", corp.id)
    assert not has_org_perm(User.objects.get(username="vrijwilliger"), "reports.triage_report", corp.id)
