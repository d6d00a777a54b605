"""factory-boy factories for organisations, users, teams and memberships (usable by every app).

    corp = CorporationFactory()
    user = UserFactory(phone="+31612345678")
    membership(user, corp, "complexbeheerder")
"""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import Group

from wijkpunt.core.models import ClosedDay, Membership, OfficeHours, Organisation, Team, User
from wijkpunt.core.roles import sync_roles

DEFAULT_PASSWORD = "wijkpunt-test-123"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = Organisation.Kind.PARTNER
    partner_type = ""
    email = factory.LazyAttribute(lambda o: f"{o.slug}@example.nl")


class CorporationFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Woonstichting Test {n}")
    slug = factory.Sequence(lambda n: f"corporatie-{n}")
    kind = Organisation.Kind.CORPORATION


class MunicipalityOrganisationFactory(OrganisationFactory):
    name = "Gemeente Zeist"
    slug = "gemeente-zeist"
    kind = Organisation.Kind.MUNICIPALITY
    municipality_code = "GM0355"


class PartnerFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Wijkteam {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = Organisation.Kind.PARTNER
    partner_type = Organisation.PartnerType.WIJKTEAM


class UserFactory(factory.django.DjangoModelFactory):
    """A user with password ``DEFAULT_PASSWORD`` (or ``password=...``)."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Iterator(["Anna", "Mohamed", "Sanne", "Kees", "Fatma", "Piotr", "Rajesh", "Els"])
    last_name = factory.Iterator(["de Vries", "El Amrani", "Jansen", "Bakker", "Yılmaz", "Nowak", "Ramdin", "Visser"])
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.nl")
    phone = ""
    is_active = True

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # noqa: N805 (factory-boy hook signature)
        obj.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("organisation", "slug")

    organisation = factory.SubFactory(CorporationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


def role(slug: str) -> Group:
    """The role group with this slug (creating the default roles first if needed)."""
    group = Group.objects.filter(name=slug).first()
    if group is None:
        sync_roles()
        group = Group.objects.get(name=slug)
    return group


class MembershipFactory(factory.django.DjangoModelFactory):
    """``MembershipFactory(role_slug="wijkconsulent")`` or ``role=<Group>``."""

    class Meta:
        model = Membership
        django_get_or_create = ("user", "organisation", "role")

    class Params:
        role_slug = "complexbeheerder"

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(CorporationFactory)
    role = factory.LazyAttribute(lambda o: role(o.role_slug))


def membership(user: User, org: Organisation, role_slug: str) -> Membership:
    """Give ``user`` the role ``role_slug`` in ``org`` (idempotent)."""
    obj, _ = Membership.objects.get_or_create(user=user, organisation=org, role=role(role_slug))
    user.__dict__.pop("_wp_org_perms", None)  # permission cache of core.permissions
    return obj


class OfficeHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeHours

    organisation = factory.SubFactory(CorporationFactory)
    weekday = 0
    opens = dt.time(8, 30)
    closes = dt.time(17, 0)


class ClosedDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosedDay

    organisation = factory.SubFactory(CorporationFactory)
    date = dt.date(2026, 5, 15)
    reason = "Dag na Hemelvaart"


def office_week(org: Organisation, opens: dt.time = dt.time(8, 30), closes: dt.time = dt.time(17, 0)) -> None:
    """Monday to Friday office hours for ``org``."""
    for weekday in range(5):
        OfficeHours.objects.get_or_create(organisation=org, weekday=weekday, opens=opens, closes=closes)
