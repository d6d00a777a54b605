"""Screenshots of the main pages at phone and desktop width.

Runs in the normal suite (it doubles as a smoke test: every page loads without a console error
or a failed request) and writes to test-results/screenshots/; `make screenshots` sets
WIJKPUNT_SCREENSHOTS=docs to refresh the committed ones in docs/screenshots/.
File names: ``<page>-<phone|desktop>.png``."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from wijkpunt.reports import services
from wijkpunt.reports.models import Category
from wijkpunt.reports.photos import clean_photos

pytestmark = pytest.mark.browser



def _photo() -> SimpleUploadedFile:
    image = Image.new("RGB", (800, 600), (214, 221, 226))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 800, 140), fill=(240, 240, 236))  # ceiling
    draw.ellipse((300, 40, 520, 170), fill=(150, 120, 80))  # the stain
    for x in (360, 410, 460):
        draw.line((x, 170, x, 420), fill=(90, 130, 190), width=6)  # drips
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile("lekkage.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def demo(bworld):
    """A report in progress with a photo and a public note, among a realistic queue."""
    now = timezone.now()
    report, _ = services.report_create(
        description="Er lekt water door het plafond van de badkamer. Het druppelt al sinds vanochtend "
                    "en er zit een bruine vlek rond de lamp.",
        channel="INT", location_kind="adres", unit=bworld.unit, reporter_email="melder@example.nl",
        reporter_name="J. de Vries", contact_consent=True, photos=clean_photos([_photo()]),
        category=Category.objects.get(slug="lekkage"), urgency="hoog", suggestion={}, at=now - dt.timedelta(hours=3),
    )
    services.report_assign(report=report, actor=bworld.staff, assignee=bworld.staff, team=bworld.team)
    services.report_add_note(report=report, actor=bworld.staff, public=True,
                             text="De loodgieter komt morgen tussen 8:00 en 12:00 uur langs.")
    services.report_add_note(report=report, actor=bworld.staff, public=False,
                             text="Bovenburen (nr. 14A) vragen of de afvoer van hun douche lekt.")
    others = [
        ("gaslucht", "spoed", "Het ruikt sterk naar gas in het trappenhuis bij de kelderdeur.", bworld.unit_a),
        ("geluid", "normaal", "Elke nacht harde muziek van de bovenburen, ook doordeweeks.", bworld.unit_b),
        ("zwerfvuil-grofvuil", "normaal", "Grofvuil staat al een week naast de containers.", bworld.unit),
        ("verlichting", "hoog", "De lamp in de galerij op de tweede verdieping is kapot, het is daar erg donker.",
         bworld.unit_a),
        ("graffiti", "laag", "Graffiti op de muur van de fietsenstalling.", bworld.unit_b),
        ("eenzaamheid", "normaal", "Mijn buurvrouw komt de deur niet meer uit en lijkt erg alleen.", bworld.unit),
    ]
    for i, (slug, urgency, text, unit) in enumerate(others):
        services.report_create(description=text, channel="PHO", location_kind="adres", unit=unit,
                               category=Category.objects.get(slug=slug), urgency=urgency, suggestion={},
                               at=now - dt.timedelta(days=i, hours=5 + i))
    return report


@pytest.mark.parametrize("width_name", ["phone", "desktop"])
def test_screenshots(width_name, request, live_server, demo, bworld, login, wait_for_captcha, watch, shot):
    context = request.getfixturevalue(width_name)
    problems: list[str] = []

    # public pages
    page = context.new_page()
    watch(page, problems)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot(page, "home", width_name)

    page.goto(f"{live_server.url}/melden/")
    wait_for_captcha(page)
    with page.expect_response(lambda r: "/melden/suggestie/" in r.url and "trappenhuis" in (r.request.post_data or ""),
                              timeout=60_000):
        page.get_by_label("Wat is er aan de hand?").press_sequentially(
            "De lamp in het trappenhuis is kapot, het is 's avonds helemaal donker", delay=2)
    page.get_by_label("Postcode").fill("3701 AB")
    page.get_by_label("Huisnummer").fill("12")
    page.locator("#id_photos").set_input_files(files=[{"name": "trappenhuis.jpg", "mimeType": "image/jpeg",
                                                       "buffer": _photo().read()}])
    page.wait_for_timeout(300)  # let the thumbnail and the suggestion settle
    shot(page, "report-form", width_name)

    page.goto(f"{live_server.url}/melden/")
    wait_for_captcha(page)
    page.wait_for_load_state("networkidle")  # the form's first suggestion request is done before we leave
    with page.expect_navigation():
        page.get_by_role("button", name="Melding versturen").click()
    expect(page.locator("#foutmeldingen")).to_be_focused()
    problems[:] = [p for p in problems if "400" not in p]  # the invalid form answers 400, as it should
    shot(page, "report-form-errors", width_name)

    page.goto(f"{live_server.url}/melden/ontvangen/{demo.tracking_token}/")
    shot(page, "confirmation", width_name)

    page.goto(f"{live_server.url}/volgen/{demo.tracking_token}/")
    expect(page.get_by_role("img", name="Uw foto 1")).to_be_visible()
    shot(page, "tracking", width_name)

    # staff pages
    staff = context.new_page()
    watch(staff, problems)
    login(staff, bworld.staff)
    staff.goto(f"{live_server.url}/werk/werkvoorraad/")
    expect(staff.locator("#queue-rows tr")).to_have_count(7)
    shot(staff, "queue", width_name)

    staff.goto(f"{live_server.url}/werk/meldingen/{demo.pk}/")
    staff.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    shot(staff, "report", width_name)

    assert not problems, "\n".join(problems)
