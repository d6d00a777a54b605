"""Layout checks found by looking at the screenshots. Each one measures what a person would see,
so that a fixed defect (wrapping URL, stretched photos, overlapping queue cards, …) stays fixed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from wijkpunt.reports import services
from wijkpunt.reports.models import Category
from wijkpunt.reports.photos import clean_photos
from wijkpunt.reports.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.browser

CONTRAST_JS = """el => {
    const rgb = s => (s.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
    const lum = ([r, g, b]) => {
        const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const cs = getComputedStyle(el);
    const a = lum(rgb(cs.color)), b = lum(rgb(cs.backgroundColor));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.fixture
def report(bworld):
    report, _ = services.report_create(
        description="Er lekt water door het plafond van de badkamer, het druppelt al de hele dag.",
        channel="INT", location_kind="adres", unit=bworld.unit, reporter_email="melder@example.nl",
        photos=clean_photos([SimpleUploadedFile("f.jpg", jpeg_bytes((800, 600)), "image/jpeg")]),
        category=Category.objects.get(slug="lekkage"), urgency="spoed", suggestion={},
        at=timezone.now() - dt.timedelta(days=3),  # overdue
    )
    return report


def test_home_call_to_action_is_readable(live_server, bworld, phone):
    page = phone.new_page()
    page.goto(f"{live_server.url}/")
    button = page.get_by_role("link", name="Doe een melding")
    expect(button).to_be_visible()
    assert button.evaluate(CONTRAST_JS) >= 4.5


def test_confirmation_page_fits_a_phone(live_server, report, phone):
    page = phone.new_page()
    page.goto(f"{live_server.url}/melden/ontvangen/{report.tracking_token}/")
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 360


@pytest.mark.parametrize("path", ["tracking", "staff"])
def test_photos_are_shown_as_thumbnails(live_server, report, bworld, desktop, login, path):
    page = desktop.new_page()
    if path == "staff":
        login(page, bworld.staff)
        page.goto(f"{live_server.url}/werk/meldingen/{report.pk}/")
        img = page.get_by_role("img", name="Foto 1")
    else:
        page.goto(f"{live_server.url}/volgen/{report.tracking_token}/")
        img = page.get_by_role("img", name="Uw foto 1")
    expect(img).to_be_visible()
    assert img.bounding_box()["width"] <= 200


def test_queue_cards_do_not_overlap_on_a_phone(live_server, report, bworld, phone, login):
    page = phone.new_page()
    login(page, bworld.staff)
    page.goto(f"{live_server.url}/werk/werkvoorraad/")
    overflowing = page.evaluate("""() => [...document.querySelectorAll('#queue-rows td')]
        .filter(td => td.scrollHeight > td.clientHeight + 1).map(td => td.dataset.label)""")
    assert overflowing == []


def test_overdue_row_is_marked(live_server, report, bworld, desktop, login):
    page = desktop.new_page()
    login(page, bworld.staff)
    page.goto(f"{live_server.url}/werk/werkvoorraad/")
    first_cell = page.locator("#queue-rows tr").first.locator("td").first
    assert first_cell.evaluate("td => getComputedStyle(td).boxShadow") != "none"


def test_untouched_form_shows_no_errors(live_server, bworld, desktop):
    page = desktop.new_page()
    page.goto(f"{live_server.url}/melden/")
    textarea = page.locator("#id_description")
    other = page.locator("#id_reporter_name")
    assert textarea.evaluate("e => getComputedStyle(e).borderTopColor") == other.evaluate(
        "e => getComputedStyle(e).borderTopColor")


def test_address_fields_are_not_labelled_optional(live_server, bworld, phone):
    page = phone.new_page()
    page.goto(f"{live_server.url}/melden/")
    for field in ("postcode", "house_number"):
        expect(page.locator(f"label[for=id_{field}]")).not_to_contain_text("niet verplicht")


def test_captcha_error_link_leads_somewhere(live_server, bworld, phone):
    page = phone.new_page()
    page.route("**/altcha/**", lambda route: route.abort())  # script blocked or too slow: no solution
    page.goto(f"{live_server.url}/melden/")
    page.get_by_label("Wat is er aan de hand?").fill("Er lekt water door het plafond van de badkamer.")
    page.get_by_label("Postcode").fill("3701 AB")
    page.get_by_label("Huisnummer").fill("12")
    with page.expect_navigation():
        page.get_by_role("button", name="Melding versturen").click()
    link = page.locator("#foutmeldingen a", has_text="Controle tegen spam")
    expect(link).to_have_count(1)
    target = page.locator(link.get_attribute("href"))
    expect(target).to_be_visible()


def test_header_navigation_fits_one_row_on_a_phone_for_residents(live_server, bworld, phone):
    """Melden · Inloggen · English: the resident's header should not push the form below the fold."""
    page = phone.new_page()
    page.goto(f"{live_server.url}/melden/")
    header = page.locator("header.wp-header").bounding_box()
    assert header["height"] <= 130, f"header is {header['height']}px of a 740px screen"
