"""Directory fixtures on top of the reports ``world`` (corporation, partners, a user per role)."""

from __future__ import annotations

import pytest

from wijkpunt.core.models import Organisation
from wijkpunt.housing.models import Neighbourhood
from wijkpunt.network.models import ContactPoint
from wijkpunt.reports.tests.conftest import make_user, world  # noqa: F401 - re-exported fixture


@pytest.fixture
def directory(world):  # noqa: F811 - the re-exported fixture
    other_buurt = Neighbourhood.objects.create(code="BU03550202", name="Kerckebosch", district_code="WK035502",
                                               district_name="West", municipality=world.buurt.municipality)
    everywhere = ContactPoint.objects.create(
        owner=world.corp, organisation=world.wijkteam, kind="wijkteam", name="Wijkteam Zeist",
        handles="Zorgen over bewoners, vereenzaming", phone_office_hours="030-6981200",
        phone_out_of_hours="", hours_text="ma–vr 9–17")
    police = Organisation.objects.get(slug="politie")  # world.police is the police user
    agent = ContactPoint.objects.create(
        owner=world.corp, organisation=police, kind="wijkagent", name="Wijkagent Vogelwijk: Sanne de Vries",
        handles="Overlast, hennep, veiligheid", phone_office_hours="0900-8844", phone_out_of_hours="112")
    agent.neighbourhoods.set([world.buurt])
    elsewhere = ContactPoint.objects.create(
        owner=world.corp, kind="jeugdwerk", name="Jongerenwerk Kerckebosch", handles="Hangjongeren",
        phone_office_hours="030-6953350")
    elsewhere.neighbourhoods.set([other_buurt])
    inactive = ContactPoint.objects.create(
        owner=world.corp, kind="dierenambulance", name="Oude dierenambulance", handles="Dieren", is_active=False)
    other_corp = ContactPoint.objects.create(
        owner=world.other_corp, kind="brandweer", name="Brandweer (andere corporatie)", handles="Brandveiligheid",
        phone_out_of_hours="112")
    return type("Directory", (), {
        "everywhere": everywhere, "agent": agent, "elsewhere": elsewhere, "inactive": inactive,
        "other_corp": other_corp, "other_buurt": other_buurt,
    })


@pytest.fixture
def care_partner(world):  # noqa: F811 - the re-exported fixture
    org = Organisation.objects.create(name="Zorg BV", slug="zorg", kind="zorgaanbieder", partner_type="zorgaanbieder")
    return make_user("zorg", org, "partner-medewerker")
