"""Early signalling of rent arrears in a real browser: a collection officer imports the ledger,
runs the arrears run, works through the legal steps and sends the signal to the municipality."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wijkpunt.arrears.models import ArrearsEpisode, Signal
from wijkpunt.arrears.tests.conftest import PASSWORD, aw, make_tenancy  # noqa: F401 - re-exported fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def baw(transactional_db, request):
    """The arrears world in a transactional database, so that the live server thread sees it."""
    world = request.getfixturevalue("aw")
    world.devries = make_tenancy(world.corp, world.buurt, "20", rent="650.00", surname="Vries")
    world.devries.household.surname_prefix = "de"
    world.devries.household.name = "Fam. De Vries"
    world.devries.household.save()
    return world


def ledger_csv(tenancy) -> bytes:
    """Five monthly charges; only the first one paid: four months of rent in arrears."""
    today = timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=130)).replace(day=1)
    rows = ["boekingsnummer;contractnummer;boekingsoort;boekingdetailsoort;boekdatum;vervaldatum;bedrag;omschrijving"]
    month = first
    for n in range(5):
        rows.append(f"V-{n};{tenancy.contract_number};VOR;PRO;{month - dt.timedelta(days=5)};{month};650,00;Huur")
        month = (month + dt.timedelta(days=32)).replace(day=1)
    rows.append(f"B-0;{tenancy.contract_number};ONT;BAN;{first};;650,00;Betaling")
    return ("\n".join(rows) + "\n").encode()


def test_from_the_nightly_run_to_a_sent_signal(baw, desktop, login, live_server, watch, shot, tmp_path):
    problems: list[str] = []
    page = desktop.new_page()
    login(page, baw.incasso)
    watch(page, [])  # the login page itself is not under test here

    # 1. The ledger comes in from the financial system and the run computes the arrears.
    page.goto(f"{live_server.url}/werk/huur/import/")
    watch(page, problems)
    ledger = tmp_path / "boekingen.csv"
    ledger.write_bytes(ledger_csv(baw.devries))
    page.get_by_label("CSV-bestand").set_input_files(str(ledger))
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_test_id("import-result")).to_contain_text("6 nieuwe boekingen")
    page.get_by_test_id("run-now").click()
    expect(page.get_by_role("status")).to_contain_text("huurders met achterstand")

    # 2. The list shows the household; the episode page says what is missing for a signal.
    page.goto(f"{live_server.url}/werk/huur/")
    page.get_by_role("link", name="Fam. De Vries").click()
    expect(page.get_by_test_id("amount")).to_contain_text("2.600,00")
    expect(page.get_by_test_id("signal-not-ready")).to_be_visible()
    expect(page.locator('[data-code="contact_attempt"][data-ok="0"]')).to_be_visible()

    contact_day = (timezone.localdate() - dt.timedelta(days=45)).isoformat()
    page.locator("#actie-contact summary").click()
    form = page.get_by_test_id("form-contact")
    form.get_by_label("Datum").fill(contact_day)
    form.get_by_label("Hoe").select_option("TEL")
    form.get_by_label("Dagdeel").select_option("OCH")
    form.get_by_label("Nee, niet bereikt").check()
    form.get_by_role("button", name="Contactpoging vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("Contactpoging vastgelegd")

    page.locator("#actie-schuldhulp summary").click()
    form = page.get_by_test_id("form-schuldhulp")
    form.get_by_label("Datum").fill(contact_day)
    form.get_by_label("Hoe").select_option("TEL")
    form.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("schuldhulp")

    page.locator("#actie-herinnering summary").click()
    form = page.get_by_test_id("form-herinnering")
    form.get_by_label("Verzenddatum").fill((timezone.localdate() - dt.timedelta(days=40)).isoformat())
    form.get_by_role("button", name="Herinnering maken").click()
    expect(page.get_by_test_id("evidence").first).to_be_visible()
    with page.expect_download() as pdf:
        page.get_by_test_id("evidence").first.click()
    assert pdf.value.suggested_filename.endswith(".pdf")

    # 3. All conditions hold: the signal goes out and is ready for the municipality.
    expect(page.locator('[data-ok="0"]')).to_have_count(0)
    shot(page, "arrears-episode", "desktop")
    page.locator("#actie-signaal summary").click()
    page.get_by_test_id("form-signaal").get_by_label("Warme overdracht").check()
    page.get_by_role("button", name="Signaal vastleggen").click()
    expect(page.get_by_role("status")).to_contain_text("Vroegsignaal vastgelegd")
    expect(page.locator('[data-kind="signal"]')).to_contain_text("Zeist")

    page.goto(f"{live_server.url}/werk/huur/signalen/")
    expect(page.get_by_test_id("signals")).to_contain_text("Fam. De Vries")
    with page.expect_download() as export:
        page.get_by_test_id("export-csv").click()
    content = Path(export.value.path()).read_text(encoding="utf-8-sig")
    assert "Vries" in content and "2600.00" in content
    # A download ends its navigation request with "aborted": not a problem.
    problems = [p for p in problems if not p.startswith("request failed") or ("/bewijs/" not in p and "/export/" not in p)]
    assert not problems, problems

    episode = ArrearsEpisode.objects.get(tenancy=baw.devries, status="open")
    signal = Signal.objects.get(episode=episode)
    assert signal.amount_cents == 260000 and signal.warm_handover and signal.exported_at is not None
