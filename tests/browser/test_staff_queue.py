"""The work queue at desktop width: filters, "Meer meldingen" (htmx keyset pagination that appends
rows), and a partner who sees only what was forwarded to them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wijkpunt.reports import services
from wijkpunt.reports.models import Category, Report

pytestmark = pytest.mark.browser

OPEN_NORMAL = 50
OPEN_SPOED = 3
OPEN_LAAG = 2


def _create(world, i: int, *, slug: str, urgency: str, unit=None, at=None) -> Report:
    report, _ = services.report_create(
        description=f"Testmelding {i:03d} voor de werkvoorraad ({slug})", channel="PHO",
        location_kind="adres", unit=unit or world.unit, category=Category.objects.get(slug=slug),
        urgency=urgency, suggestion={}, at=at or timezone.now() - dt.timedelta(minutes=i),
    )
    return report


@pytest.fixture
def queue_world(bworld):
    """56 open reports of the corporation (one forwarded to the wijkteam), one resolved report and
    one report of another corporation that must never show up."""
    reports = []
    i = 0
    for slug, urgency, count in (("geluid", "normaal", OPEN_NORMAL), ("gaslucht", "spoed", OPEN_SPOED),
                                 ("graffiti", "laag", OPEN_LAAG)):
        for _n in range(count):
            i += 1
            reports.append(_create(bworld, i, slug=slug, urgency=urgency))
    forwarded = _create(bworld, 900, slug="verward-gedrag", urgency="hoog")
    services.report_forward(report=forwarded, actor=bworld.staff, partner=bworld.wijkteam,
                            note="Graag contact opnemen met de bewoner.")
    resolved = _create(bworld, 901, slug="lekkage", urgency="hoog")
    services.report_transition(report=resolved, actor=bworld.staff, to_status="opgelost",
                               note="Kraan vervangen.", public=True)
    foreign = _create(bworld, 902, slug="geluid", urgency="normaal", unit=bworld.other_unit)
    return type("QueueWorld", (), {"world": bworld, "reports": reports, "forwarded": forwarded,
                                   "resolved": resolved, "foreign": foreign,
                                   "open_total": len(reports) + 1})


def row_refs(page) -> list[str]:
    return page.locator("#queue-rows tr:not(#meer) td:first-child a").all_inner_texts()


def apply_filters(page, **selects):
    """``Urgentie="Spoed"`` picks by visible text; ``Categorie={"value": "graffiti"}`` by value."""
    for label, option in selects.items():
        field = page.get_by_label(label, exact=True)
        field.select_option(**option) if isinstance(option, dict) else field.select_option(label=option)
    with page.expect_navigation():
        page.get_by_role("button", name="Filteren").click()


def test_filters_narrow_the_queue(live_server, queue_world, desktop, login):
    page = desktop.new_page()
    login(page, queue_world.world.staff)
    page.goto(f"{live_server.url}/werk/werkvoorraad/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkvoorraad")
    expect(page.get_by_test_id("queue-total")).to_have_text(f"{queue_world.open_total} meldingen")
    assert queue_world.foreign.reference not in row_refs(page)

    apply_filters(page, Urgentie="Spoed")
    assert "urgentie=spoed" in page.url
    expect(page.get_by_test_id("queue-total")).to_have_text(f"{OPEN_SPOED} meldingen")
    expect(page.locator("#queue-rows tr")).to_have_count(OPEN_SPOED)
    for row in page.locator("#queue-rows tr").all():
        expect(row).to_contain_text("Gaslucht")
    # the choice survives the reload
    expect(page.get_by_label("Urgentie", exact=True)).to_have_value("spoed")

    apply_filters(page, Urgentie="Alle", Categorie={"value": "graffiti"})
    expect(page.locator("#queue-rows tr")).to_have_count(OPEN_LAAG)
    expect(page.locator("#queue-rows")).to_contain_text("Graffiti")

    apply_filters(page, Categorie="Alle", Status="Opgelost")
    assert row_refs(page) == [queue_world.resolved.reference]

    apply_filters(page, Status="Doorgestuurd")
    assert row_refs(page) == [queue_world.forwarded.reference]
    expect(page.locator("#queue-rows")).to_contain_text("Wijkteam Oost")

    apply_filters(page, Status="Alle open")
    page.get_by_label("Zoeken").fill(queue_world.reports[7].reference)
    with page.expect_navigation():
        page.get_by_label("Zoeken").press("Enter")
    assert row_refs(page) == [queue_world.reports[7].reference]

    page.get_by_label("Zoeken").fill("bestaat-niet-xyz")
    with page.expect_navigation():
        page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_text("Geen meldingen die aan deze filters voldoen.")).to_be_visible()


def test_more_reports_appends_the_next_page_in_place(live_server, queue_world, desktop, login):
    page = desktop.new_page()
    login(page, queue_world.world.staff)
    page.goto(f"{live_server.url}/werk/werkvoorraad/?sorteer=oudste")
    url_before = page.url
    first_page = row_refs(page)
    assert len(first_page) == 50
    more = page.get_by_role("link", name="Meer meldingen")
    expect(more).to_be_visible()

    with page.expect_response(lambda r: "na=" in r.url and r.request.headers.get("hx-request") == "true"):
        more.click()
    expect(page.locator("#queue-rows tr:not(#meer)")).to_have_count(queue_world.open_total)
    expect(page.get_by_role("link", name="Meer meldingen")).to_have_count(0)
    assert page.url == url_before, "the rows are appended in place, not a new page"

    refs = row_refs(page)
    assert refs[:50] == first_page
    assert len(set(refs)) == len(refs), "no report twice"
    expected = sorted([*queue_world.reports, queue_world.forwarded], key=lambda r: (r.created_at, r.pk))
    assert refs == [r.reference for r in expected]


def test_more_reports_works_without_htmx(live_server, queue_world, desktop, login):
    """The link is a real link too: without JavaScript it opens the next page."""
    context = desktop.browser.new_context(java_script_enabled=False, locale="nl-NL", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        login(page, queue_world.world.staff)
        page.goto(f"{live_server.url}/werk/werkvoorraad/")
        with page.expect_navigation():
            page.get_by_role("link", name="Meer meldingen").click()
        assert "na=" in page.url
        assert len(row_refs(page)) == queue_world.open_total - 50
    finally:
        context.close()


def test_partner_sees_only_what_was_forwarded_to_them(live_server, queue_world, desktop, login):
    page = desktop.new_page()
    login(page, queue_world.world.partner)
    assert page.url.endswith("/werk/werkvoorraad/")
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Werkvoorraad")).to_be_visible()
    assert row_refs(page) == [queue_world.forwarded.reference]
    expect(page.get_by_role("link", name="Meer meldingen")).to_have_count(0)
    # filters the partner cannot use (the corporation's neighbourhoods and complexes) are not offered
    expect(page.get_by_label("Complex", exact=True)).to_have_count(0)

    page.get_by_role("link", name=queue_world.forwarded.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(queue_world.forwarded.reference)
    expect(page.get_by_test_id("status")).to_have_text("Doorgestuurd")
    # a partner may resolve what was forwarded to them
    expect(page.get_by_label("Nieuwe status")).to_be_visible()

    # anything else of the corporation is simply not there for them
    other = queue_world.reports[0]
    response = page.goto(f"{live_server.url}/werk/meldingen/{other.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/werk/werkvoorraad/?status=alle")
    assert row_refs(page) == [queue_world.forwarded.reference]
