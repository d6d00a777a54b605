"""Two-factor authentication in a real browser: a member of staff logs in, is sent to set up TOTP,
types the code computed from the secret shown on the page, reaches the work pages; logs out and logs
in again with password and code."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from wijkpunt.accounts.tests.helpers import totp_code

pytestmark = pytest.mark.browser


def test_staff_sets_up_totp_and_logs_in_with_it(bworld, desktop, login, live_server, settings, shot):
    settings.WIJKPUNT_MFA_REQUIRED = True
    settings.MFA_TOTP_TOLERANCE = 1  # a code made at the very end of its 30 s window is still taken
    page = desktop.new_page()
    login(page, bworld.staff, next_url="/werk/werkvoorraad/")
    expect(page).to_have_url(re.compile(r"/account/2fa/totp/activate/$"))
    expect(page.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()
    expect(page.locator("img.wp-totp-qr")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    shot(page, "mfa-activate", "desktop")

    page.get_by_label("Code uit de app").fill(totp_code(secret))
    page.get_by_role("button", name="Activeren").click()
    expect(page).to_have_url(re.compile(r"/account/2fa/recovery-codes/$"))
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="Ik heb de codes bewaard: verder").click()
    expect(page).to_have_url(re.compile(r"/werk/werkvoorraad/"))

    page.locator("header form button", has_text="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/$"))

    login(page, bworld.staff)
    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))
    page.get_by_label("Code uit de app of herstelcode").fill("000000" if totp_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("Deze code klopt niet.").first).to_be_visible()
    page.get_by_label("Code uit de app of herstelcode").fill(totp_code(secret))
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/werk/"))
    expect(page.get_by_role("link", name="Tweestapsverificatie")).to_be_visible()
