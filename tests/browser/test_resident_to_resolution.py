"""The whole path in a real browser: a resident reports a leak on a phone, a complexbeheerder resolves
it at a desk, the resident sees it on the tracking page and in the e-mail, says "no" and reopens it."""

from __future__ import annotations

import importlib.util
import re
import time

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from wijkpunt.core.models import OutboxMessage
from wijkpunt.reports.models import Category, Report

pytestmark = pytest.mark.browser

DESCRIPTION = "Er lekt water door het plafond van de badkamer, het druppelt al de hele dag op de vloer."
RESOLUTION = "De lekkage is verholpen door de loodgieter."


def classifier_present() -> bool:
    try:
        return importlib.util.find_spec("wijkpunt.triage.classifier") is not None
    except ModuleNotFoundError:
        return False


def wait_for_mail(predicate, timeout: float = 10.0):
    """The live server sends mail from its own thread (outbox after commit, huey immediate)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in mail.outbox if predicate(m)]
        if found:
            return found
        time.sleep(0.1)
    subjects = [m.subject for m in mail.outbox]
    raise AssertionError(f"no matching e-mail within {timeout}s; outbox: {subjects}")


def test_resident_reports_staff_resolves_resident_reopens(live_server, bworld, phone, desktop, login,
                                                         wait_for_captcha, jpeg_with_gps):
    # --- 1. The resident, on a phone, opens the form -------------------------------------------
    resident = phone.new_page()
    resident.goto(f"{live_server.url}/melden/")
    expect(resident.get_by_role("heading", level=1)).to_have_text("Doe een melding")

    expected = {}
    if classifier_present():
        from wijkpunt.reports.classification import suggest_for_text

        # Same process as the live server: this loads (or trains) the model once, up front.
        expected = suggest_for_text(DESCRIPTION)

    description = resident.get_by_label("Wat is er aan de hand?")
    with resident.expect_response(lambda r: "/melden/suggestie/" in r.url and r.request.method == "POST"
                                  and "vloer" in (r.request.post_data or ""), timeout=60_000) as suggestion_response:
        description.press_sequentially(DESCRIPTION, delay=5)
    assert suggestion_response.value.status == 200

    suggestion_box = resident.locator("#suggestie")
    if classifier_present():
        assert expected, "the classifier is installed but gave no suggestion for a clear leak"
        if expected.get("category") or expected.get("urgency"):
            expect(suggestion_box.locator(".wp-suggestion")).to_be_visible()
            expect(suggestion_box).to_contain_text("Wij denken dat het gaat om:")
            category = Category.objects.filter(slug=expected.get("subcategory") or "").first()
            if category is not None:
                expect(suggestion_box.locator(".wp-suggestion__value")).to_have_text(str(category))
    else:
        # No classifier yet: the suggestion must stay quiet rather than break the form.
        expect(suggestion_box.locator(".wp-suggestion")).to_have_count(0)

    # --- 2. Where, a photo, an e-mail address --------------------------------------------------
    expect(resident.get_by_label("Adres", exact=True)).to_be_checked()
    expect(resident.locator("[data-location=kaart]")).to_be_hidden()
    resident.get_by_label("Postcode").fill("3701 AB")
    resident.get_by_label("Huisnummer").fill("12")
    resident.locator("#id_photos").set_input_files(str(jpeg_with_gps))
    expect(resident.locator(".wp-photo-thumbs img").first).to_be_visible()
    expect(resident.locator("[data-wp-photos-error]")).to_be_empty()
    resident.get_by_label("E-mailadres").fill("melder@example.nl")

    # --- 3. The captcha solves itself; submit --------------------------------------------------
    assert wait_for_captcha(resident)
    with resident.expect_navigation(url=re.compile(r"/melden/ontvangen/")):
        resident.get_by_role("button", name="Melding versturen").click()

    report = Report.objects.get()
    assert report.unit == bworld.unit
    assert report.reporter_email == "melder@example.nl"
    attachment = report.attachments.get()
    with Image.open(attachment.file.path) as img:
        assert not img.getexif().get_ifd(0x8825), "GPS data must be stripped from the stored photo"

    expect(resident.get_by_role("heading", level=1)).to_have_text("Bedankt, uw melding is ontvangen")
    expect(resident.locator("strong", has_text=report.reference)).to_be_visible()
    tracking_link = resident.locator("a.wp-tracking-link")
    expect(tracking_link).to_have_attribute("href", f"/volgen/{report.tracking_token}/")
    expect(tracking_link).to_contain_text(report.tracking_token)
    expect(resident.get_by_text("Wij hebben de link ook gemaild naar melder@example.nl")).to_be_visible()
    tracking_url = f"{live_server.url}/volgen/{report.tracking_token}/"

    [created_mail] = wait_for_mail(lambda m: report.reference in m.subject and "ontvangen" in m.subject)
    assert created_mail.to == ["melder@example.nl"]
    assert f"/volgen/{report.tracking_token}/" in created_mail.body

    # --- 4. Staff at a desk: queue -> report -> photo -> resolve -------------------------------
    staff = desktop.new_page()
    login(staff, bworld.staff)
    staff.goto(f"{live_server.url}/werk/werkvoorraad/")
    row = staff.locator("#queue-rows tr", has=staff.get_by_role("link", name=report.reference))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Merelstraat 12")
    expect(row).to_contain_text("Nieuw")
    row.get_by_role("link", name=report.reference).click()
    staff.wait_for_url(f"**/werk/meldingen/{report.pk}/")
    expect(staff.get_by_role("heading", level=1)).to_contain_text(report.reference)
    expect(staff.get_by_text(DESCRIPTION)).to_be_visible()

    photo = staff.get_by_role("img", name="Foto 1")
    expect(photo).to_be_visible()
    staff.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert staff.evaluate("img => img.naturalWidth", photo.element_handle()) == 640

    actions = staff.locator("form", has=staff.get_by_role("heading", name="Status wijzigen"))
    actions.get_by_label("Nieuwe status").select_option(label="Opgelost")
    actions.get_by_role("textbox", name=re.compile(r"^Toelichting")).fill(RESOLUTION)
    expect(actions.get_by_label("Toelichting zichtbaar voor de melder")).to_be_checked()
    with staff.expect_navigation():
        actions.get_by_role("button", name="Status opslaan").click()
    expect(staff.get_by_role("status")).to_contain_text("Status gewijzigd naar Opgelost.")
    expect(staff.get_by_test_id("status")).to_have_text("Opgelost")
    expect(staff.get_by_test_id("timeline")).to_contain_text(RESOLUTION)

    # --- 5. The resident sees it: tracking page and e-mail -------------------------------------
    resident.goto(tracking_url)
    expect(resident.get_by_test_id("status")).to_have_text("Opgelost")
    expect(resident.locator(".wp-timeline")).to_contain_text(RESOLUTION)
    expect(resident.get_by_role("img", name="Uw foto 1")).to_be_visible()

    [update_mail] = wait_for_mail(lambda m: "Nieuws over uw melding" in m.subject and "Opgelost" in m.body)
    assert update_mail.to == ["melder@example.nl"]
    assert RESOLUTION in update_mail.body
    assert f"/volgen/{report.tracking_token}/" in update_mail.body
    assert not OutboxMessage.objects.exclude(status="sent").exists()

    # --- 6. Not satisfied: "Nee" + reopen ------------------------------------------------------
    feedback = resident.locator("section", has=resident.get_by_role("heading", name="Uw mening"))
    feedback.get_by_label("Nee").check()
    feedback.get_by_label("Het probleem is niet opgelost: open de melding opnieuw").check()
    feedback.get_by_label("Toelichting (niet verplicht)").fill("Het druppelt nog steeds.")
    with resident.expect_navigation():
        feedback.get_by_role("button", name="Versturen").click()
    expect(resident.get_by_role("status").first).to_contain_text("Dank u wel voor uw reactie.")
    expect(resident.get_by_test_id("status")).to_have_text("Heropend")
    expect(resident.get_by_role("heading", name="Uw mening")).to_have_count(0)

    # --- 7. Staff see it back in their queue as reopened ---------------------------------------
    staff.reload()
    expect(staff.get_by_test_id("status")).to_have_text("Heropend")
    staff.goto(f"{live_server.url}/werk/werkvoorraad/")
    expect(staff.locator("#queue-rows tr", has=staff.get_by_role("link", name=report.reference))).to_contain_text(
        "Heropend")
    report.refresh_from_db()
    assert report.status == "heropend" and report.satisfied is False
