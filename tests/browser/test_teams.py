"""Klusteam in a real browser: a tenant asks for an odd job on /klus/ on a phone; a team member
(volunteer, coordinator) accepts it, plans it with a colleague and reports it done, on a phone; the
tenant gets an e-mail at each step; staff see the job and the yearly count at a desk."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from wijkpunt.teams.models import JobRequest
from wijkpunt.teams.tests.helpers import team_world

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}
DESCRIPTION = "Graag een lamp ophangen in de gang, ik kan zelf niet meer op een trapje staan."


@pytest.fixture
def tworld(transactional_db, taxonomy):
    return team_world()


def wait_for_mail(count: int, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in mail.outbox if m.to == ["ria@example.nl"]]
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"expected {count} e-mails; outbox: {[m.subject for m in mail.outbox]}")


def test_tenant_requests_member_accepts_plans_and_completes(live_server, tworld, phone, desktop, login,
                                                            wait_for_captcha, watch, shot):
    w = tworld
    problems: list[str] = []

    # --- 1. The tenant, on a phone, asks for a job ---------------------------------------------
    tenant = phone.new_page()
    watch(tenant, problems)
    tenant.goto(f"{live_server.url}/klus/")
    expect(tenant.get_by_role("heading", level=1)).to_have_text("Vraag een klus aan")
    tenant.get_by_label("Een klus in of om het huis (Klusteam)").check()
    tenant.get_by_label("Postcode").fill("3701 AB")
    tenant.get_by_label("Huisnummer").fill("12")
    tenant.get_by_label("Wat moet er gebeuren?").fill(DESCRIPTION)
    tenant.get_by_label("Uw naam").fill("Ria Jansen")
    tenant.get_by_role("textbox", name="Telefoonnummer").fill("06 11112222")
    tenant.get_by_label("E-mailadres").fill("ria@example.nl")
    tenant.get_by_label("Het team mag mij bellen").check()
    wait_for_captcha(tenant)
    shot(tenant, "teams-request", "phone")
    tenant.get_by_role("button", name="Klus aanvragen").click()
    expect(tenant.get_by_role("heading", level=1)).to_have_text("Bedankt, uw aanvraag is ontvangen")
    job = JobRequest.objects.get()
    assert job.team == w.klus and job.requester_phone == "+31611112222"
    shot(tenant, "teams-request-done", "phone")

    # --- 2. Henk (coordinator of the Klusteam) accepts and plans it on his phone ------------------
    henk_context = phone.browser.new_context(**PHONE)
    henk_context.set_default_timeout(15_000)
    try:
        henk = henk_context.new_page()
        watch(henk, problems)
        login(henk, w.henk.user)
        henk.goto(f"{live_server.url}/werk/klussen/")
        expect(henk.get_by_test_id("open-jobs")).to_contain_text("Merelstraat 12")
        henk.get_by_test_id("open-jobs").get_by_role("link", name="Merelstraat 12").click()
        expect(henk.get_by_test_id("description")).to_contain_text("lamp ophangen")
        expect(henk.get_by_test_id("no-contact")).to_be_visible()  # not planned yet: no name or phone
        expect(henk.locator("body")).not_to_contain_text("11112222")
        henk.get_by_role("button", name="Klus aannemen").click()
        expect(henk.get_by_test_id("status")).to_have_text("Aangenomen")

        plan = henk.get_by_test_id("plan-form")
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        plan.get_by_label("Datum").fill(tomorrow.isoformat())
        plan.get_by_role("button", name="Inplannen").click()  # nobody chosen yet
        expect(henk.get_by_test_id("plan-form")).to_contain_text("minstens één teamlid")
        plan = henk.get_by_test_id("plan-form")
        plan.get_by_label("Henk Bosman").check()
        plan.get_by_label("Gulsen Demir").check()
        plan.get_by_role("button", name="Inplannen").click()
        expect(henk.get_by_test_id("status")).to_have_text("Gepland")
        expect(henk.get_by_test_id("contact")).to_contain_text("Ria")
        expect(henk.get_by_test_id("contact")).to_contain_text("+31611112222")
        expect(henk.get_by_test_id("contact")).not_to_contain_text("Jansen")
        shot(henk, "teams-job-planned", "phone")

        # --- 3. The job is done -------------------------------------------------------------------
        done = henk.get_by_test_id("complete-form")
        done.get_by_label("Uren (samen)").fill("1,5")
        done.get_by_label("Opmerkingen").fill("Lamp hangt, werkt.")
        done.get_by_role("button", name="Klus is klaar").click()
        expect(henk.get_by_test_id("status")).to_have_text("Klaar")
        expect(henk.locator("body")).not_to_contain_text("11112222")  # gone once done
        henk.goto(f"{live_server.url}/werk/klussen/")
        expect(henk.get_by_test_id("my-teams")).to_contain_text(f"{timezone.localdate().year}: 1")
        shot(henk, "teams-member-home", "phone")
    finally:
        henk_context.close()

    mails = wait_for_mail(3)
    assert [m.subject.split(" ")[-1] for m in mails] == ["aangenomen", "ingepland", "klaar"]
    assert all("Henk" not in m.body for m in mails)

    # the tenant follows it with the link: status only
    tenant.goto(f"{live_server.url}/klus/volgen/{job.tracking_token}/")
    expect(tenant.get_by_test_id("status")).to_have_text("Klaar")
    expect(tenant.locator("body")).not_to_contain_text("Henk")
    shot(tenant, "teams-tracking", "phone")

    # --- 4. Staff at a desk: the overview with the yearly count, and the job ------------------------
    staff = desktop.new_page()
    watch(staff, problems)
    login(staff, w.staff)
    staff.goto(f"{live_server.url}/werk/klussen/?filter=alle")
    expect(staff.get_by_test_id("per-year")).to_contain_text(str(timezone.localdate().year))
    expect(staff.get_by_test_id("teams")).to_contain_text("Klusteam Vogelwijk")
    shot(staff, "teams-overview", "desktop")
    staff.goto(f"{live_server.url}/werk/klussen/{job.pk}/")
    expect(staff.get_by_test_id("contact")).to_contain_text("Ria Jansen")
    expect(staff.get_by_test_id("history")).to_contain_text("Klaar")
    shot(staff, "teams-job", "desktop")
    staff.goto(f"{live_server.url}/klus/")
    shot(staff, "teams-request", "desktop")

    # the deliberate plan error is a 400 (and the browser logs it); nothing else may go wrong
    assert not [p for p in problems if "400" not in p], problems
