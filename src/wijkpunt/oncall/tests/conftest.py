"""Shared fixtures of the on-call tests.

``oncall_world``: corporation "Woonstichting Lindehof" with a beheerder (manages the on-call backup),
three staff members on a weekly roster (handover Monday 17:00, started on Monday 2 November 2026),
a coordinator, a volunteer, and a second corporation with its own beheerder and roster. The
categories of the starter taxonomy are loaded. Keep the attribute names stable: others use them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group

from wijkpunt.core.models import Membership, Organisation, Team, User
from wijkpunt.housing.models import Complex, Municipality, Neighbourhood, Unit
from wijkpunt.oncall.models import Roster, RosterMember
from wijkpunt.oncall.tests.engine_fixtures import engine  # noqa: F401 - shared fixture

PASSWORD = "wijkpunt-test-123"
ROSTER_START = dt.date(2026, 11, 2)  # a Monday


def make_member(username: str, org: Organisation, role: str, **extra) -> User:
    extra.setdefault("email", f"{username}@example.nl")
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username.capitalize(),
                                    **extra)
    Membership.objects.create(user=user, organisation=org, role=Group.objects.get(name=role))
    return user


@pytest.fixture
def oncall_world(db):
    from wijkpunt.core.roles import sync_roles
    from wijkpunt.reports.models import Category
    from wijkpunt.reports.taxonomy import load_taxonomy

    # A transactional test before this one may have flushed what the data migrations filled.
    sync_roles()
    load_taxonomy(Category)
    corp = Organisation.objects.create(name="Woonstichting Lindehof", slug="lindehof", kind="corporatie",
                                       email="dienst@lindehof.example")
    other_corp = Organisation.objects.create(name="Andere Corporatie", slug="ander", kind="corporatie",
                                             email="info@ander.example")
    zeist = Municipality.objects.create(code="GM0355", name="Zeist")
    utrecht = Municipality.objects.create(code="GM0344", name="Utrecht")
    buurt = Neighbourhood.objects.create(code="BU03550101", name="Vogelwijk", district_code="WK035501",
                                         district_name="Noord", municipality=zeist)
    buurt2 = Neighbourhood.objects.create(code="BU03550102", name="Bomenbuurt", district_code="WK035501",
                                          district_name="Noord", municipality=zeist)
    elsewhere = Neighbourhood.objects.create(code="BU03440101", name="Lombok", district_code="WK034401",
                                             district_name="West", municipality=utrecht)
    cx = Complex.objects.create(corporation=corp, code="C001", name="Merelhof", neighbourhood=buurt)
    unit = Unit.objects.create(corporation=corp, complex=cx, neighbourhood=buurt, code="E1", street="Merelstraat",
                               house_number=12, postcode="3701AB", city="Zeist")
    unit2 = Unit.objects.create(corporation=corp, neighbourhood=buurt2, code="E2", street="Eikenlaan",
                                house_number=3, postcode="3702AB", city="Zeist")
    cx_other = Complex.objects.create(corporation=other_corp, code="X001", name="Elders", neighbourhood=elsewhere)
    team = Team.objects.create(organisation=corp, name="Team Noord", slug="noord")

    admin = make_member("beheerder", corp, "beheerder", phone="0612340000")
    anna = make_member("anna", corp, "wijkconsulent", phone="0612345671", last_name="de Vries")
    bram = make_member("bram", corp, "complexbeheerder", phone="0612345672", last_name="Bakker")
    cees = make_member("cees", corp, "wijkconsulent", phone="0612345673", last_name="Jansen")
    coordinator = make_member("coordinator", corp, "regisseur-sociaal-beheer", phone="0612345674")
    volunteer = make_member("vrijwilliger", corp, "bewonerskracht", phone="0687654321")
    other_admin = make_member("anderbeheerder", other_corp, "beheerder", phone="0611111111")
    other_staff = make_member("anderconsulent", other_corp, "wijkconsulent", phone="0611111112")

    roster = Roster.objects.create(organisation=corp, name="Achtervang Lindehof", starts_on=ROSTER_START,
                                   handover_time=dt.time(17, 0), rotation_days=Roster.Rotation.WEEKLY,
                                   coordinator=coordinator, warning_days=14)
    for position, user in enumerate((anna, bram, cees), start=1):
        RosterMember.objects.create(roster=roster, user=user, position=position)
    other_roster = Roster.objects.create(organisation=other_corp, name="Achtervang Ander", starts_on=ROSTER_START,
                                         coordinator=other_admin)
    RosterMember.objects.create(roster=other_roster, user=other_staff, position=1)

    return SimpleNamespace(
        corp=corp, other_corp=other_corp, zeist=zeist, buurt=buurt, buurt2=buurt2, elsewhere=elsewhere,
        complex=cx, unit=unit, unit2=unit2, other_complex=cx_other, team=team,
        admin=admin, anna=anna, bram=bram, cees=cees, coordinator=coordinator, volunteer=volunteer,
        other_admin=other_admin, other_staff=other_staff, roster=roster, other_roster=other_roster,
        members=[anna, bram, cees],
    )
