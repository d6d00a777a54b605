"""Round mode on a phone in a real browser: reports made without reception wait on the phone and
arrive exactly once when the connection returns (also after a reload without network, and when a
send is repeated or its answer is lost), plus screenshots of the walking page and the staff list."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from wijkpunt.reports.models import Channel, Report
from wijkpunt.rounds.models import RoundReport
from wijkpunt.rounds.tests.factories import plan_round, round_world

pytestmark = pytest.mark.browser

# As in tests/browser/conftest.py. Not imported from "conftest": run together with tests/api/, that
# name is tests/api/conftest.py and the module would not even be collected.
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}
TIMEOUT_MS = 15_000
_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS_OUT = (_ROOT / "docs" / "screenshots" if os.environ.get("WIJKPUNT_SCREENSHOTS") == "docs"
                   else _ROOT / "test-results" / "screenshots")


@pytest.fixture
def rw(transactional_db):
    w = round_world()
    w.round = plan_round(w, days=0.02)
    w.alone = plan_round(w, partner=None, route="Rondje Vogelwijk-oost")
    return w


def walk_url(live_server, rnd) -> str:
    return f"{live_server.url}/werk/rondes/{rnd.pk}/lopen/"


def wait_for_rows(page, model, count: int, timeout: float = TIMEOUT_MS / 1000) -> int:
    """Poll the database; waiting through Playwright keeps its event loop (and page.route handlers) running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if model.objects.count() >= count:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)  # and nothing more arrives
    return model.objects.count()


def wait_until(page, condition, timeout: float = TIMEOUT_MS / 1000) -> bool:
    """Poll a Python-side condition while Playwright's event loop (and page.route handlers) keep running."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(100)
    return True


def wait_until_cached(page) -> None:
    """The service worker controls the page and keeps a copy of it."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        if page.evaluate("() => caches.match(location.pathname).then(r => !!r)"):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the walking page was not cached by the service worker")


def file_report(page, description: str, where_label: str, place: str = "") -> None:
    form = page.get_by_test_id("report-form")
    form.get_by_label("Wat ziet u?").fill(description)
    form.get_by_label("Waar?").select_option(label=where_label)
    if place:
        form.get_by_label("Omschrijving van de plek").fill(place)
    form.get_by_test_id("report-submit").click()
    expect(form.get_by_label("Wat ziet u?")).to_have_value("")  # queued: the form is empty for the next one


def test_offline_two_reports_are_queued_and_exactly_two_arrive(rw, phone, login, live_server, shot):
    page = phone.new_page()
    login(page, rw.henk.user)
    page.goto(walk_url(live_server, rw.round))
    expect(page.get_by_test_id("help-link")).to_be_visible()
    wait_until_cached(page)

    phone.set_offline(True)
    expect(page.locator("[data-wp-net]")).to_be_visible()
    file_report(page, "Lamp in de portiek is kapot", "Merelstraat 12", "portiek")
    file_report(page, "Grofvuil naast de containers", "Merelhof — algemene ruimten", "bij de containers")
    queue = page.get_by_test_id("queue")
    expect(queue).to_contain_text("2 meldingen wachten op verbinding")
    expect(queue.get_by_test_id("queued-report")).to_have_count(2)
    keys = page.locator("[data-testid=queued-report]").evaluate_all("els => els.map(e => e.dataset.key)")
    assert len(set(keys)) == 2  # a key per report, made when the report was made
    page.wait_for_timeout(1000)
    assert Report.objects.count() == 0
    shot_offline(page, shot, "rounds-walk-queued", "phone")

    phone.set_offline(False)
    expect(queue).to_be_hidden(timeout=TIMEOUT_MS)
    assert wait_for_rows(page, Report, 2) == 2
    assert RoundReport.objects.filter(round=rw.round).count() == 2
    reports = list(Report.objects.order_by("pk"))
    assert {r.channel for r in reports} == {Channel.VOLUNTEER} and {r.reporter_user for r in reports} == {rw.henk.user}
    assert reports[0].unit == rw.jansen.unit and reports[1].complex == rw.merelhof
    listed = page.get_by_test_id("round-reports")
    for report in reports:
        expect(listed).to_contain_text(report.reference)


def test_a_reload_without_network_still_shows_the_page_and_the_queue(rw, phone, login, live_server):
    page = phone.new_page()
    login(page, rw.gulsen.user)  # the partner
    page.goto(walk_url(live_server, rw.round))
    wait_until_cached(page)
    phone.set_offline(True)
    file_report(page, "Heg steekt over het trottoir", "Merelstraat 14")
    expect(page.get_by_test_id("queue")).to_contain_text("1 melding wacht op verbinding")

    response = page.reload()
    assert response is not None and response.from_service_worker  # the cached page, not the server
    expect(page.get_by_test_id("walk")).to_be_visible()
    expect(page.get_by_test_id("queue")).to_contain_text("1 melding wacht op verbinding")
    expect(page.get_by_test_id("queued-report")).to_contain_text("Heg steekt over het trottoir")
    assert Report.objects.count() == 0

    phone.set_offline(False)
    expect(page.get_by_test_id("queue")).to_be_hidden(timeout=TIMEOUT_MS)
    assert wait_for_rows(page, Report, 1) == 1 and RoundReport.objects.count() == 1
    assert Report.objects.get().reporter_user == rw.gulsen.user


def test_checklist_made_offline_is_saved_when_back_online(rw, phone, login, live_server):
    page = phone.new_page()
    login(page, rw.henk.user)
    page.goto(walk_url(live_server, rw.round))
    phone.set_offline(True)
    checklist = page.get_by_test_id("checklist")
    checklist.locator("fieldset[data-item=verlichting]").get_by_label("Aandacht nodig").check()
    checklist.locator("fieldset[data-item=verlichting]").get_by_label("Toelichting").fill("Lamp bij nummer 12 kapot")
    checklist.locator("fieldset[data-item=verlichting]").get_by_label("Toelichting").blur()
    expect(checklist.locator("[data-wp-checks-status]")).to_contain_text("bewaard op deze telefoon")
    phone.set_offline(False)
    expect(checklist.locator("[data-wp-checks-status]")).to_contain_text("Checklist opgeslagen", timeout=TIMEOUT_MS)
    # "check" and "blur" each queue a save; the first may arrive before the one with the remark
    assert wait_until(page, lambda: rw.round.checks.filter(
        item="verlichting", result="aandacht", remark="Lamp bij nummer 12 kapot").exists())


@pytest.fixture
def phone_without_sw(browser):
    """Page routes do not see requests a service worker handles: block it for the interception test."""
    context = browser.new_context(**PHONE, service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


def test_a_repeated_or_interrupted_send_still_makes_one_report_per_item(rw, phone_without_sw, login, live_server):
    page = phone_without_sw.new_page()
    login(page, rw.henk.user)
    page.goto(walk_url(live_server, rw.round))
    answers: list[int] = []

    def lose_the_answer(route):
        # the first send reaches the server twice (a repeated request) and then the answer is lost
        if not answers:
            answers.append(route.fetch().status)
            answers.append(route.fetch().status)
            route.abort("internetdisconnected")
        else:
            response = route.fetch()
            answers.append(response.status)
            route.fulfill(response=response)

    page.route("**/api/v1/rounds/*/reports/", lose_the_answer)
    file_report(page, "Voordeur van de flat valt niet in het slot", "Merelstraat 12")
    expect(page.get_by_test_id("queue")).to_contain_text("1 melding wacht op verbinding")
    assert wait_for_rows(page, Report, 1) == 1
    assert wait_until(page, lambda: len(answers) >= 2)  # the repeated request is a second round trip
    assert answers[:2] == [201, 200]  # the server made it once; the phone still thinks it is waiting

    page.reload()  # the page is reloaded before the queue was flushed again: the item is still there
    # the queue box starts hidden on every load, so "hidden" proves nothing until the replay was seen
    assert wait_until(page, lambda: len(answers) >= 3)  # flushed on page load, same key -> 200
    expect(page.get_by_test_id("queue")).to_be_hidden(timeout=TIMEOUT_MS)
    assert answers[:2] == [201, 200] and len(answers) >= 3 and set(answers[2:]) == {200}  # replays only
    assert Report.objects.count() == 1 and RoundReport.objects.count() == 1
    expect(page.get_by_test_id("round-reports")).to_contain_text(Report.objects.get().reference)


def test_refused_item_shows_the_errors_and_can_be_fixed(rw, phone_without_sw, login, live_server):
    page = phone_without_sw.new_page()
    login(page, rw.henk.user)
    page.goto(walk_url(live_server, rw.round))
    form = page.get_by_test_id("report-form")
    form.get_by_label("Wat ziet u?").fill("Graffiti op de garagedeuren")
    form.get_by_label("Waar?").select_option(label="Ander adres")
    form.get_by_label("Postcode").fill("9999ZZ")
    form.get_by_label("Huisnummer").fill("1")
    form.get_by_test_id("report-submit").click()
    item = page.get_by_test_id("queued-report")
    expect(item).to_contain_text("Dit adres kennen wij niet")
    assert Report.objects.count() == 0
    item.get_by_role("button", name="Aanpassen").click()
    form.get_by_label("Postcode").fill("3701AB")
    form.get_by_label("Huisnummer").fill("12")
    form.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("queue")).to_be_hidden(timeout=TIMEOUT_MS)
    assert wait_for_rows(page, Report, 1) == 1 and Report.objects.get().unit == rw.jansen.unit


def test_screenshots_walk_desktop_and_staff_list(rw, browser, desktop, phone, login, live_server, shot, watch):
    page = desktop.new_page()
    login(page, rw.henk.user)
    page.goto(walk_url(live_server, rw.round))
    wait_until_cached(page)
    desktop.set_offline(True)
    file_report(page, "Lamp in de portiek is kapot", "Merelstraat 12", "portiek")
    expect(page.get_by_test_id("queue")).to_contain_text("1 melding wacht op verbinding")
    shot_offline(page, shot, "rounds-walk-queued", "desktop")
    desktop.set_offline(False)
    expect(page.get_by_test_id("queue")).to_be_hidden(timeout=TIMEOUT_MS)

    staff_desktop = browser.new_context(**DESKTOP)
    for context, width in ((staff_desktop, "desktop"), (phone, "phone")):
        staff = context.new_page()
        problems: list[str] = []
        login(staff, rw.consultant)
        watch(staff, problems)
        staff.goto(f"{live_server.url}/werk/rondes/")
        rows = staff.get_by_test_id("staff-rounds")
        expect(rows.locator(f"[data-round='{rw.alone.pk}']")).to_contain_text("Zonder loopmaatje")
        expect(rows.locator(f"[data-round='{rw.round.pk}']")).not_to_contain_text("Zonder loopmaatje")
        shot(staff, "rounds-staff-list", width)
        assert problems == []
    staff_desktop.close()


def shot_offline(page, shot, name, width):
    """``shot`` waits for network idle, which an offline page never reaches: take it directly."""
    SCREENSHOTS_OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS_OUT / f"{name}-{width}.png"), full_page=True, animations="disabled",
                    caret="hide")


# --- regression tests of the privacy/security review ----------------------------------------------

def log_out(page, live_server, start: str = "/werk/bewonerskrachten/ik/") -> None:
    """Log out through the header's button (from a page outside round mode unless told otherwise)."""
    if start:
        page.goto(f"{live_server.url}{start}")
    with page.expect_navigation():
        page.locator("form[action='/uitloggen/'] button[type=submit]").click()


def queue_size(page) -> int:
    return page.evaluate("() => WijkpuntQueue.list().then(items => items.length)")


def test_a_shared_phone_never_sends_one_users_queue_in_another_users_name(rw, phone_without_sw, login, live_server):
    page = phone_without_sw.new_page()
    login(page, rw.henk.user)
    page.goto(walk_url(live_server, rw.round))
    page.route("**/api/v1/rounds/*/reports/", lambda route: route.abort("internetdisconnected"))
    file_report(page, "Lamp bij de fietsenstalling is kapot", "Merelstraat 12")
    expect(page.get_by_test_id("queue")).to_contain_text("1 melding wacht op verbinding")
    log_out(page, live_server)
    page.unroute("**/api/v1/rounds/*/reports/")

    login(page, rw.gulsen.user)  # the partner picks up the same phone: the walking page of the same round
    page.goto(walk_url(live_server, rw.round))
    expect(page.get_by_test_id("queue")).to_have_attribute("data-count", "0")  # the queue was read and rendered
    page.wait_for_timeout(1500)
    expect(page.get_by_test_id("queue")).to_be_hidden()  # Henk's item is neither shown ...
    assert Report.objects.count() == 0  # ... nor sent in Gülsen's name
    assert queue_size(page) == 1  # but kept on the phone
    file_report(page, "Heg steekt over het trottoir", "Merelstraat 14")
    assert wait_for_rows(page, Report, 1) == 1 and Report.objects.get().reporter_user == rw.gulsen.user

    log_out(page, live_server)
    login(page, rw.henk.user)
    page.goto(walk_url(live_server, rw.round))
    assert wait_for_rows(page, Report, 2) == 2
    henks = Report.objects.get(description__startswith="Lamp bij de fietsenstalling")
    assert henks.reporter_user == rw.henk.user and henks.round_link.round == rw.round
    expect(page.get_by_test_id("queue")).to_be_hidden(timeout=TIMEOUT_MS)


def test_a_2xx_answer_that_is_not_the_apis_keeps_the_item(rw, phone_without_sw, login, live_server):
    """A login page, proxy or captive portal answering 200 is not an arrival: the item stays queued."""
    page = phone_without_sw.new_page()
    login(page, rw.henk.user)
    page.goto(walk_url(live_server, rw.round))
    answers: list[str] = []

    def portal_first(route):
        if not answers:
            answers.append("portal")
            route.fulfill(status=200, content_type="text/html", body="<html><body>Log in op de wifi</body></html>")
        else:
            answers.append("server")
            route.continue_()

    page.route("**/api/v1/rounds/*/reports/", portal_first)
    file_report(page, "Voordeur van de flat valt niet in het slot", "Merelstraat 12")
    assert wait_for_rows(page, Report, 1) == 1  # sent again after the fake answer (backoff), not dropped
    assert answers[:2] == ["portal", "server"] and Report.objects.count() == 1
    expect(page.get_by_test_id("queue")).to_be_hidden(timeout=TIMEOUT_MS)


def test_an_item_the_server_fails_on_does_not_hold_up_the_others(rw, phone_without_sw, login, live_server):
    page = phone_without_sw.new_page()
    login(page, rw.henk.user)
    page.goto(walk_url(live_server, rw.round))

    def fail_the_first(route):
        if "Kapotte" in (route.request.post_data or ""):
            route.fulfill(status=500, content_type="text/html", body="Server Error")
        else:
            route.continue_()

    page.route("**/api/v1/rounds/*/reports/", fail_the_first)
    phone_without_sw.set_offline(True)
    file_report(page, "Kapotte stoeptegel voor nummer 12", "Merelstraat 12")
    file_report(page, "Grofvuil naast de containers", "Merelhof — algemene ruimten")
    phone_without_sw.set_offline(False)
    assert wait_for_rows(page, Report, 1) == 1
    assert Report.objects.get().description == "Grofvuil naast de containers"
    expect(page.get_by_test_id("queue")).to_contain_text("1 melding wacht op verbinding")  # kept for later


def cached(page, path: str) -> bool:
    return page.evaluate("p => caches.match(p).then(r => !!r)", path)


def wait_not_cached(page, path: str) -> None:
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        if not cached(page, path):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{path} is still kept by the service worker")


def test_the_service_worker_drops_a_users_pages_for_the_next_user(rw, phone, login, live_server):
    page = phone.new_page()
    login(page, rw.henk.user)
    page.goto(walk_url(live_server, rw.alone))  # only Henk walks this one
    wait_until_cached(page)
    henks_page = f"/werk/rondes/{rw.alone.pk}/lopen/"
    # the session ends without the logout button (it expired, or was ended elsewhere): the page stays kept
    phone.clear_cookies()
    assert cached(page, henks_page)

    login(page, rw.gulsen.user)
    page.goto(f"{live_server.url}/werk/rondes/")  # Gülsen's own list, kept for her ...
    wait_not_cached(page, henks_page)  # ... and Henk's page is gone
    phone.set_offline(True)
    offline = page.goto(f"{live_server.url}{henks_page}")
    assert offline is not None and offline.status == 503 and "Geen verbinding" in page.content()
    phone.set_offline(False)


def test_logging_out_from_the_walking_page_drops_the_kept_pages(rw, phone, login, live_server):
    page = phone.new_page()
    login(page, rw.henk.user)
    page.goto(walk_url(live_server, rw.round))
    wait_until_cached(page)
    path = f"/werk/rondes/{rw.round.pk}/lopen/"
    log_out(page, live_server, start="")
    wait_not_cached(page, path)
    phone.set_offline(True)
    offline = page.goto(f"{live_server.url}{path}")
    assert offline is not None and offline.status == 503 and "Ronde lopen" not in page.content()
    phone.set_offline(False)


def test_a_staff_list_is_never_kept_for_offline_use(rw, phone, login, live_server):
    page = phone.new_page()
    login(page, rw.gulsen.user)
    page.goto(walk_url(live_server, rw.round))  # registers the service worker on this phone
    wait_until_cached(page)
    log_out(page, live_server, start="")
    login(page, rw.consultant)
    page.goto(f"{live_server.url}/werk/rondes/")
    expect(page.get_by_test_id("staff-rounds")).to_be_visible()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.reload()
    page.wait_for_timeout(500)
    assert not cached(page, "/werk/rondes/")


def test_logging_out_from_any_page_drops_the_kept_pages(rw, phone, login, live_server):
    """The header's logout button (static/js/wijkpunt.js) asks the service worker to drop its pages."""
    page = phone.new_page()
    login(page, rw.henk.user)
    page.goto(walk_url(live_server, rw.alone))
    wait_until_cached(page)
    log_out(page, live_server)  # from a page outside round mode
    wait_not_cached(page, f"/werk/rondes/{rw.alone.pk}/lopen/")
