"""A small world for the case, household-picture and figures tests (plain functions, no fixtures,
so the arrears tests can use it too).

Corporation "Woonstichting Lindehof" with units in Zeist (Vogelwijk, Bomenbuurt) and Utrecht
(Lombok), one household per unit, a second corporation with its own household, and a user per role.
Tenancies started on 1 January 2020; rent € 600 a month unless said otherwise."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth.models import Group
from django.utils import timezone

from wijkpunt.arrears.models import ArrearsEpisode
from wijkpunt.core.models import Membership, Organisation, User
from wijkpunt.housing.models import Complex, Household, Municipality, Neighbourhood, Tenancy, Unit
from wijkpunt.reports.models import Category, Report

PASSWORD = "wijkpunt-test-123"
TENANCY_START = dt.date(2020, 1, 1)
_numbers = itertools.count(1)


def make_user(username: str, org: Organisation | None, role: str | None, **extra) -> User:
    extra.setdefault("email", f"{username}@example.nl")
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username.capitalize(),
                                    **extra)
    if org is not None and role is not None:
        Membership.objects.create(user=user, organisation=org, role=Group.objects.get(name=role))
    return user


def make_home(corp: Organisation, neighbourhood: Neighbourhood, street: str, number: int, postcode: str,
              city: str, household_name: str, *, rent: str = "600.00", start: dt.date = TENANCY_START,
              end: dt.date | None = None) -> Tenancy:
    n = next(_numbers)
    unit = Unit.objects.create(corporation=corp, neighbourhood=neighbourhood, code=f"E{n}", street=street,
                               house_number=number, postcode=postcode, city=city)
    household = Household.objects.create(corporation=corp, name=household_name, composition="gezin", size=3)
    return Tenancy.objects.create(contract_number=f"HC{n:05d}", unit=unit, household=household, start_date=start,
                                  end_date=end, monthly_rent=Decimal(rent))


def build_world() -> SimpleNamespace:
    from wijkpunt.core.roles import sync_roles
    from wijkpunt.reports.taxonomy import load_taxonomy

    # A transactional test before this one may have flushed what the data migrations filled.
    sync_roles()
    load_taxonomy(Category)
    corp = Organisation.objects.create(name="Woonstichting Lindehof", slug="lindehof", kind="corporatie",
                                       email="info@lindehof.example")
    other_corp = Organisation.objects.create(name="Andere Corporatie", slug="ander", kind="corporatie")
    wijkteam = Organisation.objects.create(name="Wijkteam Noord", slug="wijkteam", kind="partner",
                                           partner_type="wijkteam")
    zeist = Municipality.objects.create(code="GM0355", name="Zeist")
    utrecht = Municipality.objects.create(code="GM0344", name="Utrecht")
    vogelwijk = Neighbourhood.objects.create(code="BU03550101", name="Vogelwijk", district_code="WK035501",
                                             district_name="Noord", municipality=zeist)
    bomen = Neighbourhood.objects.create(code="BU03550102", name="Bomenbuurt", district_code="WK035501",
                                         district_name="Noord", municipality=zeist)
    lombok = Neighbourhood.objects.create(code="BU03440101", name="Lombok", district_code="WK034401",
                                          district_name="West", municipality=utrecht)
    Complex.objects.create(corporation=corp, code="C001", name="Merelhof", neighbourhood=vogelwijk)
    homes = SimpleNamespace(
        jansen=make_home(corp, vogelwijk, "Merelstraat", 12, "3701AB", "Zeist", "Familie Jansen"),
        bakker=make_home(corp, vogelwijk, "Merelstraat", 14, "3701AB", "Zeist", "Familie Bakker"),
        visser=make_home(corp, bomen, "Eikenlaan", 3, "3702AB", "Zeist", "Familie Visser"),
        yilmaz=make_home(corp, lombok, "Kanaalstraat", 40, "3531CJ", "Utrecht", "Familie Yılmaz"),
        elders=make_home(other_corp, vogelwijk, "Lijsterlaan", 3, "3702CD", "Zeist", "Familie Elders"),
    )
    users = {
        "regisseur": make_user("regisseur", corp, "regisseur-sociaal-beheer"),
        "incasso": make_user("incasso", corp, "incasso-medewerker"),
        "consultant": make_user("anna", corp, "wijkconsulent", last_name="de Vries"),
        "consultant2": make_user("cees", corp, "wijkconsulent", last_name="Jansen"),
        "staff": make_user("complexbeheerder", corp, "complexbeheerder"),
        "admin": make_user("beheerder", corp, "beheerder"),
        "manager": make_user("manager", corp, "management"),
        "volunteer": make_user("vrijwilliger", corp, "bewonerskracht"),
        "partner": make_user("wijkteam", wijkteam, "partner-medewerker"),
        "other_regisseur": make_user("anderregisseur", other_corp, "regisseur-sociaal-beheer"),
        "other_consultant": make_user("anderconsulent", other_corp, "wijkconsulent"),
        "nobody": make_user("niemand", None, None),
    }
    return SimpleNamespace(corp=corp, other_corp=other_corp, wijkteam=wijkteam, zeist=zeist, utrecht=utrecht,
                           vogelwijk=vogelwijk, bomen=bomen, lombok=lombok, homes=homes, **homes.__dict__,
                           **users, users=users)


def days_ago(days: int, hour: int = 10) -> dt.datetime:
    moment = timezone.localtime() - dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def make_report(tenancy: Tenancy, category_slug: str | None, *, at: dt.datetime | None = None, channel: str = "INT",
                status: str = "nieuw", user: User | None = None) -> Report:
    category = Category.objects.get(slug=category_slug) if category_slug else None
    unit = tenancy.unit
    return Report.objects.create(
        reference=f"T-{next(_numbers):06d}", organisation=unit.corporation, description="Testmelding bij de woning",
        category=category, main_category=category.main if category else None, channel=channel, status=status,
        location_kind="adres", unit=unit, neighbourhood=unit.neighbourhood, reporter_user=user,
        created_at=at or days_ago(5),
    )


def make_episode(tenancy: Tenancy, *, amount_cents: int = 123456, months: str = "2.06",
                 arose_on: dt.date | None = None, opened_on: dt.date | None = None, status: str = "open",
                 peak_cents: int | None = None, outcome: str = "", outcome_on: dt.date | None = None,
                 closed_on: dt.date | None = None) -> ArrearsEpisode:
    today = timezone.localdate()
    arose_on = arose_on or today - dt.timedelta(days=70)
    return ArrearsEpisode.objects.create(
        corporation=tenancy.unit.corporation, tenancy=tenancy, status=status, arose_on=arose_on,
        opened_on=opened_on or arose_on + dt.timedelta(days=30), amount_cents=amount_cents,
        months=Decimal(months), peak_cents=amount_cents if peak_cents is None else peak_cents,
        outcome=outcome, outcome_on=outcome_on, closed_on=closed_on,
    )
