"""Admin pages for core and housing models render for a superuser; the demo beheerder can use them."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from wijkpunt.core.tests.factories import CorporationFactory, MembershipFactory, UserFactory, membership

from .factories import TenancyFactory, UnitFactory

pytestmark = pytest.mark.django_db

MODELS = [
    model for model in admin.site._registry
    if model._meta.app_label in ("core", "housing")
]


@pytest.fixture
def superuser_client(client):
    user = UserFactory(username="super", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def data():
    corp = CorporationFactory()
    tenancy = TenancyFactory(unit=UnitFactory(corporation=corp, postcode="3701SR", house_number=7))
    MembershipFactory(organisation=corp, role_slug="wijkconsulent")
    return tenancy


def test_core_and_housing_models_are_registered():
    names = {m.__name__ for m in MODELS}
    assert {"User", "Organisation", "Team", "Membership", "OfficeHours", "ClosedDay",
            "Municipality", "Neighbourhood", "Complex", "Unit", "Household", "Tenancy"} <= names


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages(superuser_client, data, model):
    meta = model._meta
    response = superuser_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert response.status_code == 200
    response = superuser_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist") + "?q=a")
    assert response.status_code == 200
    obj = model.objects.first()
    if obj is not None:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        assert superuser_client.get(url).status_code == 200
    add = superuser_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    assert add.status_code == (403 if model.__name__ == "OutboxMessage" else 200)


def test_user_admin_has_phone_and_membership_inline(superuser_client, data):
    user = data.unit.corporation.memberships.first().user
    response = superuser_client.get(reverse("admin:core_user_change", args=[user.pk]))
    content = response.content.decode()
    assert 'name="phone"' in content
    assert "memberships-TOTAL_FORMS" in content


def test_unit_search_by_postcode_with_space(superuser_client, data):
    response = superuser_client.get(reverse("admin:housing_unit_changelist"), {"q": "3701 sr"})
    assert response.status_code == 200
    assert data.unit.code in response.content.decode()


def test_occupancy_and_running_filters(superuser_client, data):
    for url, params in [
        ("admin:housing_unit_changelist", {"bewoning": "bewoond"}),
        ("admin:housing_unit_changelist", {"bewoning": "leeg"}),
        ("admin:housing_tenancy_changelist", {"looptijd": "lopend"}),
        ("admin:housing_tenancy_changelist", {"looptijd": "beeindigd"}),
    ]:
        assert superuser_client.get(reverse(url), params).status_code == 200


def test_staff_beheerder_sees_units_through_the_role_group(client, data):
    user = UserFactory(is_staff=True)
    membership(user, data.unit.corporation, "beheerder")
    user.groups.add(*[m.role for m in user.memberships.all()])
    client.force_login(user)
    assert client.get(reverse("admin:housing_unit_changelist")).status_code == 200
    assert client.get(reverse("admin:core_organisation_changelist")).status_code == 403
