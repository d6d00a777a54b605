"""The network directory: who sees which directory (guarantee 5), the selector for the cases app,
editing rules and bad input (guarantee 7)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from wijkpunt.network import selectors
from wijkpunt.network.models import ContactPoint
from wijkpunt.network.validators import validate_directory_phone
from wijkpunt.reports import services
from wijkpunt.reports.tests.helpers import make_report

pytestmark = pytest.mark.django_db

URL = "/werk/netwerk/"


def names(response) -> set[str]:
    return {p.name for p in response.context["points"]}


@pytest.mark.parametrize("value", ["112", "144", "0900-8844", "030-6981234", "030 698 12 34", "06 12345678",
                                   "088-8781000", "+31 30 698 1234", ""])
def test_directory_phone_accepts_dutch_and_short_service_numbers(value):
    validate_directory_phone(value)


@pytest.mark.parametrize("value", ["12", "1122", "abc", "030-12", "0900"])
def test_directory_phone_refuses_nonsense(value):
    with pytest.raises(ValidationError):
        validate_directory_phone(value)


# role -> the directory entries it sees (all others hidden)
MATRIX = {
    "staff": {"everywhere", "agent", "elsewhere"},
    "consultant": {"everywhere", "agent", "elsewhere"},
    "admin": {"everywhere", "agent", "elsewhere"},
    "other_staff": {"other_corp"},
    # the wijkteam is the partner organisation of a contact point in the corporation's directory
    "partner": {"everywhere", "agent", "elsewhere"},
    # so is the police (the wijkagent's contact point)
    "police": {"everywhere", "agent", "elsewhere"},
}


@pytest.mark.parametrize("role", MATRIX)
def test_directory_per_role(client, world, directory, role):
    client.force_login(world.users[role])
    response = client.get(URL)
    assert response.status_code == 200
    expected = {getattr(directory, n).name for n in MATRIX[role]}
    assert names(response) == expected, role
    hidden = {getattr(directory, n).name for n in ("everywhere", "agent", "elsewhere", "inactive", "other_corp")}
    html = response.content.decode()
    for name in hidden - expected:
        assert name not in html


@pytest.mark.parametrize("role", ["volunteer", "nobody"])
def test_volunteers_and_people_without_a_role_get_403(client, world, directory, role):
    client.force_login(world.users[role])
    assert client.get(URL).status_code == 403
    assert client.get(URL + "nieuw/").status_code == 403
    assert client.get(URL + f"{directory.agent.pk}/bewerken/").status_code == 403


def test_anonymous_goes_to_the_login_page(client, directory):
    for url in (URL, URL + "nieuw/", URL + f"{directory.agent.pk}/bewerken/"):
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_partner_without_a_relationship_sees_nothing_until_a_report_is_forwarded(client, world, directory,
                                                                                care_partner):
    client.force_login(care_partner)
    assert names(client.get(URL)) == set()
    report = make_report(world)
    services.report_forward(report=report, actor=world.staff, partner=care_partner.memberships.get().organisation)
    care_partner.__dict__.pop("_wp_org_perms", None)
    assert names(client.get(URL)) == {"Wijkteam Zeist", "Wijkagent Vogelwijk: Sanne de Vries",
                                      "Jongerenwerk Kerckebosch"}
    # a declined forward still counts: the relationship is the history, not the current forward
    services.report_forward_decline(report=report, actor=care_partner, reason="Niet onze doelgroep")
    assert len(names(client.get(URL))) == 3


def test_filters_neighbourhood_kind_and_search(client, world, directory):
    client.force_login(world.staff)
    assert names(client.get(URL, {"buurt": world.buurt.pk})) == {"Wijkteam Zeist",
                                                                 "Wijkagent Vogelwijk: Sanne de Vries"}
    # the corporation has no homes in Kerckebosch: only what is listed for it
    assert names(client.get(URL, {"buurt": directory.other_buurt.pk})) == {"Jongerenwerk Kerckebosch"}
    assert names(client.get(URL, {"soort": "wijkagent"})) == {"Wijkagent Vogelwijk: Sanne de Vries"}
    assert names(client.get(URL, {"q": "hennep"})) == {"Wijkagent Vogelwijk: Sanne de Vries"}
    assert names(client.get(URL, {"q": "kerckebosch"})) == {"Jongerenwerk Kerckebosch"}
    # nonsense filters never fail
    for query in ({"buurt": "x"}, {"buurt": "999999999999999999999"}, {"soort": "<script>"}, {"q": "a\x00b"}):
        assert client.get(URL, query).status_code == 200


def test_the_number_to_call_now_follows_the_owners_office_hours(client, world, directory, monkeypatch):
    from wijkpunt.network import views

    client.force_login(world.staff)
    tuesday_noon = dt.datetime(2026, 11, 17, 11, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(views, "now", lambda: tuesday_noon)
    html = client.get(URL, {"soort": "wijkagent"}).content.decode()
    assert 'data-testid="call-now"><a class="utrecht-link" href="tel:09008844"' in html
    sunday = dt.datetime(2026, 11, 22, 11, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(views, "now", lambda: sunday)
    html = client.get(URL, {"soort": "wijkagent"}).content.decode()
    assert 'data-testid="call-now"><a class="utrecht-link" href="tel:112"' in html


def test_contact_points_for_a_neighbourhood(world, directory):
    got = list(selectors.contact_points_for(neighbourhood=world.buurt, owner=world.corp))
    assert got == [directory.agent, directory.everywhere]  # ordered by kind (wijkagent, wijkteam), then name
    assert list(selectors.contact_points_for(neighbourhood=world.buurt, kinds=["wijkagent"])) == [directory.agent]
    # 'all neighbourhoods' means all of the owner's: the other corporation has homes in the buurt too
    assert set(selectors.contact_points_for(neighbourhood=world.buurt)) == {
        directory.everywhere, directory.agent, directory.other_corp}
    # Kerckebosch: neither corporation has homes there, so only what is listed for it
    assert list(selectors.contact_points_for(neighbourhood=directory.other_buurt)) == [directory.elsewhere]
    assert list(selectors.contact_points_for(neighbourhood=world.buurt, linked_only=True)) == [
        directory.agent, directory.everywhere]
    # no neighbourhood: only those for all neighbourhoods; never inactive ones
    assert set(selectors.contact_points_for(neighbourhood=None)) == {directory.everywhere, directory.other_corp}


VALID = {"kind": "buurtbemiddeling", "name": "Buurtbemiddeling Zeist", "handles": "Burenruzies",
         "phone_office_hours": "030-6982300", "phone_out_of_hours": "", "email": "bb@example.nl",
         "hours_text": "ma–do 9–17", "out_of_hours_text": "", "website": "https://bb.example.nl",
         "is_active": "on"}


@pytest.mark.parametrize("role", ["staff", "partner", "other_staff"])
def test_only_directory_managers_edit(client, world, directory, role):
    client.force_login(world.users[role])
    assert client.get(URL + "nieuw/").status_code == 403
    assert client.post(URL + "nieuw/", VALID).status_code == 403
    assert not ContactPoint.objects.filter(name=VALID["name"]).exists()


@pytest.mark.parametrize("role", ["consultant", "admin"])
def test_managers_add_and_edit(client, world, directory, role):
    client.force_login(world.users[role])
    response = client.post(URL + "nieuw/", {**VALID, "neighbourhoods": [world.buurt.pk]})
    assert response.status_code == 302, response.content.decode()[:2000]
    point = ContactPoint.objects.get(name=VALID["name"])
    assert point.owner == world.corp and list(point.neighbourhoods.all()) == [world.buurt]
    response = client.post(URL + f"{point.pk}/bewerken/", {**VALID, "name": "Buurtbemiddeling Zeist e.o."})
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.name == "Buurtbemiddeling Zeist e.o." and not point.neighbourhoods.exists()
    # deactivate: gone from the directory, kept in the database
    response = client.post(URL + f"{point.pk}/bewerken/", {k: v for k, v in VALID.items() if k != "is_active"})
    assert response.status_code == 302
    point.refresh_from_db()
    assert not point.is_active and point.name not in names(client.get(URL))
    assert point.name in names(client.get(URL, {"inactief": "1"}))


def test_another_organisations_contact_point_is_404(client, world, directory):
    client.force_login(world.consultant)
    assert client.get(URL + f"{directory.other_corp.pk}/bewerken/").status_code == 404
    assert client.post(URL + f"{directory.other_corp.pk}/bewerken/", VALID).status_code == 404
    assert client.get(URL + "999999/bewerken/").status_code == 404
    directory.other_corp.refresh_from_db()
    assert directory.other_corp.name == "Brandweer (andere corporatie)"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name": ""}, "name", "Vul een naam in."),
    ({"handles": " "}, "handles", "Schrijf kort waarvoor men hier terecht kan."),
    ({"kind": "aannemerx"}, "kind", "Kies een soort uit de lijst."),
    ({"phone_office_hours": "12"}, "phone_office_hours", "Vul een geldig telefoonnummer in"),
    ({"phone_out_of_hours": "bel maar"}, "phone_out_of_hours", "Vul een geldig telefoonnummer in"),
    ({"email": "geen-mail"}, "email", "Vul een geldig e-mailadres in."),
    ({"website": "javascript:alert(1)"}, "website", "Vul een geldig webadres in"),
    ({"organisation": "999999"}, "organisation", "Kies een partnerorganisatie uit de lijst."),
    ({"neighbourhoods": ["999999"]}, "neighbourhoods", "Kies buurten uit de lijst."),
])
def test_bad_input_gets_field_messages_and_saves_nothing(client, world, directory, changes, field, message):
    client.force_login(world.consultant)
    before = ContactPoint.objects.count()
    response = client.post(URL + "nieuw/", {**VALID, **changes})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert ContactPoint.objects.count() == before
    # editing with the same input: 400 too, and the row is unchanged
    response = client.post(URL + f"{directory.everywhere.pk}/bewerken/", {**VALID, **changes})
    assert response.status_code == 400
    directory.everywhere.refresh_from_db()
    assert directory.everywhere.name == "Wijkteam Zeist"


def test_a_neighbourhood_of_another_corporation_cannot_be_chosen(client, world, directory):
    client.force_login(world.consultant)
    response = client.post(URL + "nieuw/", {**VALID, "neighbourhoods": [directory.other_buurt.pk]})
    assert response.status_code == 400 and "neighbourhoods" in response.context["form"].errors


def test_default_roles_carry_the_directory_permissions(world):
    def perms(role):
        return set(Group.objects.get(name=role).permissions.filter(content_type__app_label="network")
                   .values_list("codename", flat=True))

    for role in ("beheerder", "regisseur-sociaal-beheer", "wijkconsulent"):
        assert perms(role) == {"view_directory", "manage_directory"}, role
    for role in ("complexbeheerder", "incasso-medewerker", "management", "partner-medewerker"):
        assert perms(role) == {"view_directory"}, role
    assert perms("bewonerskracht") == {"view_shared_contacts"}  # only what staff shared with volunteers (issue 6)


def test_demo_directory_is_valid_and_covers_every_kind(world):
    from wijkpunt.network.demo import DIRECTORY, seed_network

    assert seed_network(corporation=world.corp) == len(DIRECTORY)
    assert seed_network(corporation=world.corp) == 0  # idempotent
    points = ContactPoint.objects.filter(owner=world.corp)
    for point in points:
        point.full_clean()
    assert {"wijkteam", "schuldhulpverlening", "zorgaanbieder", "wijkagent", "buurtbemiddeling", "brandweer",
            "dierenambulance", "jeugdwerk"} <= set(points.values_list("kind", flat=True))
