"""Door-to-door consultation in a real browser on a phone: from visit to decision.

Staff open the consultation, ring at a door (not home), ring at the next one (answers and a
housing wish), look at the results, record the decision for the street, close and publish, and
the public page shows the street's figures and decision without any personal data. Screenshots
at phone and desktop width (``WIJKPUNT_SCREENSHOTS=docs`` writes them to docs/screenshots/)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from wijkpunt.cases.tests.factories import PASSWORD
from wijkpunt.consultation.models import HousingWish, StreetDecision, Visit
from wijkpunt.consultation.tests.factories import addr, answers, consultation_world, make_consultation, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def cw(transactional_db):
    w = consultation_world()
    w.c = make_consultation(w.corp, w.complex, actor=w.users["staff"])
    # five neighbours in the Merelstraat already answered (so the public page may show the street)
    for n, choice in [(5, "sloop"), (7, "sloop"), (9, "sloop"), (2, "renovatie"), (4, "sloop")]:
        visit(w.c, addr(w.c, "Merelstraat", n), w.users["consultant"], answers=answers(w.c, choice))
    return w


def test_from_visit_to_decision_on_a_phone(cw, phone, desktop, login, live_server, watch, shot):
    problems: list[str] = []
    c, staff = cw.c, cw.users["staff"]
    page = phone.new_page()
    login(page, staff, password=PASSWORD)
    watch(page, problems)

    # 1. open the consultation and go along the doors
    page.goto(f"{live_server.url}/werk/raadplegingen/")
    page.get_by_role("link", name=c.title).click()
    expect(page.get_by_test_id("consultation-status")).to_contain_text("Open")
    page.get_by_test_id("go-visits").click()
    door1 = page.locator(f"[data-testid=door][data-address='{addr(c, 'Merelstraat', 1).pk}']")
    expect(door1).to_have_attribute("data-state", "niet-bezocht")
    shot(page, "consultation-visits", "phone")

    # 2. Merelstraat 1: not home
    door1.click()
    expect(page.get_by_test_id("address")).to_have_text("Merelstraat 1")
    expect(page.get_by_text("Renovatie of sloop?")).to_be_hidden()  # questions only for "answered"
    page.get_by_label("Niet thuis — nog eens proberen").check()
    page.get_by_label("Opmerkingen").fill("Briefje in de bus gedaan")
    page.get_by_test_id("save-visit").click()
    expect(door1).to_have_attribute("data-state", "niet-thuis")
    expect(door1).to_contain_text("1 poging")

    # 3. Merelstraat 3: answers and a housing wish
    page.locator(f"[data-testid=door][data-address='{addr(c, 'Merelstraat', 3).pk}']").click()
    page.get_by_label("Beantwoord").check()
    expect(page.get_by_text("Renovatie of sloop?")).to_be_visible()
    page.get_by_label("Sloop", exact=True).check()
    page.get_by_label("Meer ruimte").check()
    page.get_by_label("Terugkeren in de buurt").check()
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Kleiner wonen").check()
    page.get_by_label("Toelichting bij de woonwens").fill("Kinderen zijn het huis uit")
    shot(page, "consultation-visit-form", "phone")
    page.get_by_test_id("save-visit").click()
    expect(page.locator(f"[data-testid=door][data-address='{addr(c, 'Merelstraat', 3).pk}']")).to_have_attribute(
        "data-state", "beantwoord")
    assert Visit.objects.filter(consultation=c).count() == 7
    wish = HousingWish.objects.get()
    assert wish.wish == "kleiner" and wish.unit == addr(c, "Merelstraat", 3).unit

    # 4. the results: Merelstraat has a majority for demolition, on a low response (6 of 12)
    page.goto(f"{live_server.url}/werk/raadplegingen/{c.pk}/uitslag/")
    merel = page.locator("[data-testid=street-results][data-street=Merelstraat]")
    expect(merel.get_by_test_id("response-rate")).to_have_text("50%")
    expect(merel.get_by_test_id("verdict").first).to_contain_text("Meerderheid: Sloop")
    expect(merel.get_by_test_id("remarks")).to_contain_text("1 opmerking")
    kievit = page.locator("[data-testid=street-results][data-street=Kievitstraat]")
    expect(kievit.get_by_test_id("low-response")).to_be_visible()
    shot(page, "consultation-results", "phone")

    # 5. the decision for the Merelstraat
    merel.get_by_test_id("decide-link").click()
    expect(page.get_by_test_id("decide-results")).to_contain_text("Merelstraat")
    page.get_by_label("Besluit", exact=True).select_option("sloop")
    page.get_by_label("Besluit in één zin").fill("De Merelstraat wordt gesloopt; er komt nieuwbouw.")
    page.get_by_label("Onderbouwing").fill("Vijf van de zes huishoudens die antwoordden kozen sloop.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(merel.get_by_test_id("decision")).to_contain_text("Sloop en nieuwbouw")
    decision = StreetDecision.objects.get()
    assert decision.snapshot["answered"] == 6

    # desktop views of the staff pages for the docs (while the consultation is open)
    wide = desktop.new_page()
    login(wide, staff, password=PASSWORD)
    wide.goto(f"{live_server.url}/werk/raadplegingen/{c.pk}/bezoeken/")
    shot(wide, "consultation-visits", "desktop")
    wide.goto(f"{live_server.url}/werk/raadplegingen/{c.pk}/adressen/{addr(c, 'Merelstraat', 6).pk}/")
    wide.get_by_label("Beantwoord").check()
    shot(wide, "consultation-visit-form", "desktop")
    wide.goto(f"{live_server.url}/werk/raadplegingen/{c.pk}/uitslag/")
    shot(wide, "consultation-results", "desktop")

    # 6. close, publish, and the public page (no login) shows figures and the decision only
    page.goto(f"{live_server.url}/werk/raadplegingen/{c.pk}/")
    page.get_by_test_id("close").click()
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("public-link")).to_be_visible()
    public = desktop.new_page()
    watch(public, problems)
    public.goto(f"{live_server.url}/raadpleging/{c.slug}/")
    street = public.locator("[data-testid=public-street][data-street=Merelstraat]")
    expect(street.get_by_test_id("public-decision")).to_contain_text("De Merelstraat wordt gesloopt")
    expect(street.get_by_test_id("response-rate")).to_have_text("50%")
    expect(public.locator("[data-testid=public-street][data-street=Kievitstraat]").get_by_test_id("suppressed")
           ).to_have_text("Te weinig antwoorden om te tonen.")
    html = public.content()
    for secret in ("Briefje in de bus", "Kinderen zijn het huis uit", "Familie", "Merelstraat 3", "Kleiner wonen"):
        assert secret not in html
    shot(public, "consultation-public", "desktop")
    phone_public = phone.new_page()
    phone_public.goto(f"{live_server.url}/raadpleging/{c.slug}/")
    shot(phone_public, "consultation-public", "phone")
    assert problems == []
