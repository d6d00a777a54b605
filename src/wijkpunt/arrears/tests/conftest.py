"""Fixtures for the arrears process: a corporation in two municipalities (one with an agreement),
households with contract-holder details, an open episode, and a user per role."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from wijkpunt.core.models import Membership, Organisation, User
from wijkpunt.housing.models import Household, Municipality, Neighbourhood, Tenancy, Unit

from ..models import ArrearsEpisode, MunicipalityAgreement

PASSWORD = "wijkpunt-test-123"


def make_user(username: str, org: Organisation, role: str, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, email=f"{username}@example.nl",
                                    first_name=username.capitalize(), **extra)
    Membership.objects.create(user=user, organisation=org, role=Group.objects.get(name=role))
    return user


def make_tenancy(corp, buurt, code: str, *, rent="600.00", surname="Jansen", birth=dt.date(1980, 5, 17)) -> Tenancy:
    unit = Unit.objects.create(corporation=corp, neighbourhood=buurt, code=f"E{code}", street="Merelstraat",
                               house_number=int(code), postcode="3701AB", city=buurt.municipality.name)
    household = Household.objects.create(
        corporation=corp, name=f"Fam. {surname}", composition="gezin", size=3, contact_phone="+31612345678",
        contact_email=f"{surname.lower()}@example.nl", initials="P.", surname=surname, birth_date=birth,
    )
    return Tenancy.objects.create(contract_number=f"HC-{code}", unit=unit, household=household,
                                  start_date=dt.date(2015, 1, 1), monthly_rent=Decimal(rent))


def make_episode(tenancy, *, amount_cents=120000, days_ago=60, months="2.00") -> ArrearsEpisode:
    today = timezone.localdate()
    return ArrearsEpisode.objects.create(
        corporation=tenancy.unit.corporation, tenancy=tenancy, arose_on=today - dt.timedelta(days=days_ago),
        opened_on=today - dt.timedelta(days=days_ago - 3), amount_cents=amount_cents, peak_cents=amount_cents,
        months=Decimal(months), last_run_on=today,
    )


@pytest.fixture
def aw(db):
    corp = Organisation.objects.create(name="Woonstichting Test", slug="test", kind="corporatie",
                                       email="info@test.example", phone="+31301234567")
    other_corp = Organisation.objects.create(name="Andere Corporatie", slug="ander", kind="corporatie")
    partner = Organisation.objects.create(name="Wijkteam Oost", slug="wijkteam", kind="partner",
                                          partner_type="wijkteam")
    zeist = Municipality.objects.create(code="GM0355", name="Zeist")
    bunnik = Municipality.objects.create(code="GM0312", name="Bunnik")
    buurt = Neighbourhood.objects.create(code="BU03550101", name="Vogelwijk", district_code="WK035501",
                                         district_name="Noord", municipality=zeist)
    buurt_bunnik = Neighbourhood.objects.create(code="BU03120001", name="Centrum", district_code="WK031200",
                                                district_name="Bunnik", municipality=bunnik)
    agreement = MunicipalityAgreement.objects.create(
        corporation=corp, municipality=zeist, valid_from=dt.date(2021, 1, 1), min_days=30, min_amount_cents=30000,
        objection_days=14, contact_email="vroegsignalering@zeist.example", debt_help_name="Geldzorgen Zeist",
        debt_help_phone="030 123 45 67", debt_help_url="https://geldzorgen.zeist.example",
    )
    tenancy = make_tenancy(corp, buurt, "12")
    tenancy_bunnik = make_tenancy(corp, buurt_bunnik, "14", surname="Özdemir")
    other_tenancy = make_tenancy(other_corp, buurt, "16", surname="Bakker")
    users = {
        "incasso": make_user("incasso", corp, "incasso-medewerker"),
        "regisseur": make_user("regisseur", corp, "regisseur-sociaal-beheer"),
        "staff": make_user("complexbeheerder", corp, "complexbeheerder"),
        "admin": make_user("beheerder", corp, "beheerder"),
        "manager": make_user("manager", corp, "management"),
        "partner": make_user("wijkteam", partner, "partner-medewerker"),
        "other_incasso": make_user("anderincasso", other_corp, "incasso-medewerker"),
    }
    return type("ArrearsWorld", (), {
        "corp": corp, "other_corp": other_corp, "zeist": zeist, "bunnik": bunnik, "buurt": buurt,
        "agreement": agreement, "tenancy": tenancy, "tenancy_bunnik": tenancy_bunnik,
        "other_tenancy": other_tenancy, "episode": make_episode(tenancy),
        "episode_bunnik": make_episode(tenancy_bunnik), "other_episode": make_episode(other_tenancy),
        **users,
    })
