"""Issue 5 in a real browser: staff forward a report to a partner chosen from the network directory;
the partner declines, first without a reason (and is told to give one), then with one; the report is
back in the corporation's queue with the reason in its history."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from wijkpunt.network.models import ContactPoint
from wijkpunt.reports import services
from wijkpunt.reports.models import Category

pytestmark = pytest.mark.browser


@pytest.fixture
def network_world(bworld):
    point = ContactPoint.objects.create(
        owner=bworld.corp, organisation=bworld.wijkteam, kind="wijkteam", name="Wijkteam Vogelwijk",
        handles="Zorgen over bewoners: vereenzaming, verwaarlozing", phone_office_hours="030-6981200",
        phone_out_of_hours="", hours_text="ma–vr 9–17")
    point.neighbourhoods.set([bworld.buurt])
    report, _ = services.report_create(
        description="Buurvrouw laat al dagen niemand binnen en de post stapelt zich op", channel="TEL",
        location_kind="adres", unit=bworld.unit, category=Category.objects.get(slug="verward-gedrag"),
        urgency="hoog", suggestion={},
    )
    return type("NetworkWorld", (), {"world": bworld, "point": point, "report": report})


def test_forward_from_directory_then_partner_declines_with_reason(network_world, desktop, login, live_server, shot):
    w = network_world.world
    report = network_world.report

    # staff: the directory shows the contact point; forward the report to it
    staff = desktop.new_page()
    login(staff, w.staff)
    staff.goto(f"{live_server.url}/werk/netwerk/")
    expect(staff.get_by_test_id("directory")).to_contain_text("Wijkteam Vogelwijk")
    staff.goto(f"{live_server.url}/werk/meldingen/{report.pk}/")
    staff.get_by_label("Uit de netwerkgids").select_option(label=(
        "Wijkteam Vogelwijk (Wijkteam Oost) · Wijkteam: Zorgen over bewoners: vereenzaming, verwaarlozing"))
    staff.get_by_label("Bericht aan de partner").fill("Wilt u langsgaan?")
    staff.get_by_role("button", name="Doorsturen").click()
    expect(staff.get_by_test_id("status")).to_have_text("Doorgestuurd")
    expect(staff.get_by_test_id("forward-state")).to_have_text("Wacht op antwoord partner")

    # the partner: decline without a reason, then with one
    partner_context = desktop.browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    try:
        partner = partner_context.new_page()
        login(partner, w.partner)
        partner.goto(f"{live_server.url}/werk/meldingen/{report.pk}/")
        answer = partner.get_by_test_id("forward-answer")
        expect(answer.get_by_role("button", name="Accepteren")).to_be_visible()
        answer.get_by_role("button", name="Weigeren").click()
        expect(partner.locator("#veld-reason")).to_contain_text("Geef aan waarom uw organisatie deze melding niet oppakt.")
        shot(partner, "network-decline-error", "desktop")
        partner.get_by_label("Reden").fill("Geen zorgvraag bij ons bekend; dit lijkt overlast.")
        partner.get_by_test_id("forward-answer").get_by_role("button", name="Weigeren").click()
        expect(partner).to_have_url(f"{live_server.url}/werk/werkvoorraad/")
        expect(partner.get_by_text("is teruggegeven aan")).to_be_visible()
        expect(partner.get_by_role("link", name=report.reference)).to_have_count(0)
        response = partner.goto(f"{live_server.url}/werk/meldingen/{report.pk}/")
        assert response.status == 404
    finally:
        partner_context.close()

    # staff: back in the queue, in behandeling, with the reason in the history
    staff.goto(f"{live_server.url}/werk/werkvoorraad/")
    expect(staff.get_by_role("link", name=report.reference)).to_be_visible()
    staff.get_by_role("link", name=report.reference).click()
    expect(staff.get_by_test_id("status")).to_have_text("In behandeling")
    expect(staff.get_by_test_id("timeline")).to_contain_text("Geweigerd door partner")
    expect(staff.get_by_test_id("timeline")).to_contain_text("Geen zorgvraag bij ons bekend; dit lijkt overlast.")
