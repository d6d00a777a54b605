"""The shared factories build valid objects."""

from __future__ import annotations

import pytest

from wijkpunt.core.permissions import has_org_perm
from wijkpunt.core.tests.factories import (
    DEFAULT_PASSWORD,
    ClosedDayFactory,
    CorporationFactory,
    MembershipFactory,
    MunicipalityOrganisationFactory,
    OfficeHoursFactory,
    PartnerFactory,
    TeamFactory,
    UserFactory,
    membership,
    office_week,
)

from .factories import (
    ComplexFactory,
    HouseholdFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
    TenancyFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "factory",
    [CorporationFactory, PartnerFactory, MunicipalityOrganisationFactory, UserFactory, TeamFactory,
     MembershipFactory, OfficeHoursFactory, ClosedDayFactory, MunicipalityFactory, NeighbourhoodFactory,
     ComplexFactory, UnitFactory, HouseholdFactory, TenancyFactory],
    ids=lambda f: f.__name__,
)
def test_factory_builds_valid_objects(factory):
    first, second = factory(), factory()
    for obj in (first, second):
        obj.full_clean()


def test_user_password_and_membership_helper():
    user = UserFactory(phone="+31612345678")
    assert user.check_password(DEFAULT_PASSWORD)
    assert UserFactory(password="iets-anders-123").check_password("iets-anders-123")
    corp = CorporationFactory()
    assert not has_org_perm(user, "reports.triage_report", corp.id)
    m = membership(user, corp, "complexbeheerder")
    assert membership(user, corp, "complexbeheerder") == m  # idempotent
    assert has_org_perm(user, "reports.triage_report", corp.id)
    assert MembershipFactory(role_slug="bewonerskracht").role.name == "bewonerskracht"


def test_tenancy_household_belongs_to_the_unit_corporation():
    tenancy = TenancyFactory()
    assert tenancy.household.corporation == tenancy.unit.corporation
    unit = UnitFactory()
    assert unit.complex.corporation == unit.corporation
    assert unit.neighbourhood == unit.complex.neighbourhood


def test_office_week():
    corp = CorporationFactory()
    office_week(corp)
    office_week(corp)
    assert corp.office_hours.count() == 5
