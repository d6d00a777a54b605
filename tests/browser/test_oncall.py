"""The on-call backup in a real browser: the duty dashboard updating itself, an acknowledgement
from a phone via the link in the SMS (no login), and a volunteer's help button with location."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wijkpunt.core.channels import sms
from wijkpunt.oncall.models import Escalation, HelpRequest
from wijkpunt.oncall.tests.engine_fixtures import anna_on_call_now, urgent_report

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "locale": "nl-NL",
         "timezone_id": "Europe/Amsterdam"}
LINK = re.compile(r"https?://\S+/a/[\w.-]+/")


@pytest.fixture
def oncall(engine, taxonomy, settings, live_server):
    settings.BASE_URL = live_server.url  # links in pages point at the test server
    settings.ONCALL_DASHBOARD_POLL_SECONDS = 1
    engine.paging.when = "altijd"  # page now, whatever the time of day the test runs
    engine.paging.save()
    anna_on_call_now(engine)
    return engine


def sms_to(number: str) -> list[str]:
    return [m.body for m in sms.outbox if m.to == number]


def test_on_call_person_acknowledges_from_the_sms_on_a_phone(oncall, phone, live_server):
    report = urgent_report(oncall, at=timezone.now())
    (body,) = sms_to("+31612345671")  # paged at once, through the outbox, after commit
    link = LINK.search(body).group(0)
    page = phone.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", name="Oproep achtervang")).to_be_visible()
    expect(page.get_by_text(report.reference)).to_be_visible()
    page.get_by_test_id("ack-button").click()
    expect(page.get_by_test_id("ack-result")).to_contain_text("De keten is gestopt")
    page.get_by_label("Ik neem de melding (op mijn naam)").check()
    page.get_by_label("Notitie").fill("Ik ga erheen")
    page.get_by_test_id("decide-button").click()
    expect(page.get_by_test_id("decision-result")).to_contain_text("op uw naam")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert not wide, wide  # no sideways scrolling on a phone
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 360
    report.refresh_from_db()
    assert report.assignee == oncall.anna
    page.goto(link)  # the link is spent
    expect(page.get_by_test_id("ack-error")).to_contain_text("Bevestigd door Anna")
    # and the reporter sees it on the tracking page
    page.goto(f"{live_server.url}/volgen/{report.tracking_token}/")
    expect(page.get_by_test_id("oncall-status")).to_contain_text("Opgepakt om")


def test_duty_dashboard_updates_itself_and_acknowledges(oncall, desktop, login, live_server):
    page = desktop.new_page()
    login(page, oncall.cees)
    page.goto(f"{live_server.url}/werk/dienst/")
    expect(page.get_by_test_id("no-live")).to_be_visible()
    expect(page.get_by_test_id("on-call-now").first).to_contain_text("Anna")
    report = urgent_report(oncall, at=timezone.now())  # arrives while the page is open
    row = page.get_by_test_id("live-row").filter(has_text=report.reference)
    expect(row).to_be_visible()  # htmx polling brought it in, no reload
    expect(row).to_contain_text("Anna")  # the first page went out
    expect(page.get_by_test_id("urgent-count")).to_have_text("1")
    row.get_by_role("button", name="Ik pak dit op").click()
    expect(page).to_have_url(re.compile(rf"/werk/meldingen/{report.pk}/$"))
    assert Escalation.objects.get(report=report).acknowledged_by == oncall.cees


def test_volunteer_help_button_with_location(oncall, browser, login, live_server):
    context = browser.new_context(**PHONE, geolocation={"latitude": 52.0891, "longitude": 5.2332, "accuracy": 12},
                                  permissions=["geolocation"])
    try:
        page = context.new_page()
        login(page, oncall.volunteer)
        page.goto(f"{live_server.url}/werk/hulp/")
        expect(page.get_by_text("Bel eerst 112")).to_be_visible()
        page.get_by_label("Wat is er aan de hand?").fill("Bewoner wordt agressief")
        page.get_by_test_id("help-button").click()
        expect(page.get_by_role("heading", name="Uw hulpvraag is verstuurd")).to_be_visible()
        help_request = HelpRequest.objects.get()
        assert (float(help_request.latitude), float(help_request.longitude)) == (52.0891, 5.2332)
        (body,) = sms_to("+31612345671")
        assert "0687654321" in body and "mlat=52.089100" in body
        other = context.browser.new_context(**PHONE).new_page()
        other.goto(LINK.search(body).group(0))
        expect(other.get_by_test_id("help-phone")).to_have_text("0687654321")
        other.get_by_test_id("ack-button").click()
        expect(page.get_by_test_id("help-status")).to_contain_text("Opgepakt door Anna")  # live update
        other.context.close()
    finally:
        context.close()


@pytest.mark.parametrize("width_name", ["phone", "desktop"])
def test_oncall_screenshots(width_name, request, oncall, login, live_server, watch, shot, settings):
    """The on-call pages at both widths (also a smoke test: no console errors, no failed requests)."""
    import datetime as dt

    # a refresh still running when the next page loads is cancelled, which ``watch`` counts as a failed request
    settings.ONCALL_DASHBOARD_POLL_SECONDS = 3600

    from wijkpunt.oncall import services
    from wijkpunt.oncall.models import Absence

    now = timezone.now()
    Absence.objects.create(user=oncall.anna, starts_at=now + dt.timedelta(days=3), ends_at=now + dt.timedelta(days=5),
                           reason="Vakantie")  # Anna's rotation week: a gap warning
    unanswered = urgent_report(oncall, at=now - dt.timedelta(hours=2), text="Rookmelder piept en er hangt rook in de gang")
    for minutes in (11, 22, 40):  # nobody answers the whole chain
        services.escalation_sweep(now=now + dt.timedelta(minutes=minutes))
    running = urgent_report(oncall, at=now - dt.timedelta(minutes=3))
    assert Escalation.objects.get(report=unanswered).status == "uitgeput"
    context = request.getfixturevalue(width_name)
    problems: list[str] = []
    staff = context.new_page()
    watch(staff, problems)
    login(staff, oncall.admin)
    for name, path in (("duty-dashboard", "/werk/dienst/"), ("roster", f"/werk/dienst/roosters/{oncall.roster.pk}/"),
                       ("policy", f"/werk/dienst/beleid/{oncall.paging.pk}/"),
                       ("office-calendar", "/werk/dienst/kantoortijden/")):
        staff.goto(live_server.url + path)
        expect(staff.get_by_role("heading", level=1)).to_be_visible()
        shot(staff, name, width_name)
    body = [m.body for m in sms.outbox if running.reference in m.body][0]
    phone_page = context.new_page()
    watch(phone_page, problems)
    phone_page.goto(LINK.search(body).group(0))
    shot(phone_page, "ack", width_name)
    phone_page.get_by_test_id("ack-button").click()
    expect(phone_page.get_by_test_id("ack-result")).to_be_visible()
    shot(phone_page, "ack-done", width_name)
    phone_page.goto(f"{live_server.url}/volgen/{running.tracking_token}/")
    shot(phone_page, "tracking-oncall", width_name)
    context.clear_cookies()  # log out the administrator
    volunteer = context.new_page()
    watch(volunteer, problems)
    login(volunteer, oncall.volunteer)
    volunteer.goto(f"{live_server.url}/werk/hulp/")
    shot(volunteer, "help", width_name)
    assert not problems, "\n".join(problems)
