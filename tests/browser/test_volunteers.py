"""The volunteer programme in a real browser: staff nominate a key figure and select them at desktop
width (the account and welcome mail are made); a volunteer opens their own page on a phone and sees
their training with the certificate, their rounds, their reports with what happened, thanks and the
contacts staff shared; screenshots of the main pages at both widths."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from wijkpunt.cases.tests.factories import PASSWORD, make_report
from wijkpunt.core.models import OutboxMessage
from wijkpunt.network.models import ContactPoint
from wijkpunt.reports import services as report_services
from wijkpunt.rounds.models import Round
from wijkpunt.volunteers import meetings, services, training
from wijkpunt.volunteers.models import Candidate, Volunteer
from wijkpunt.volunteers.tests.factories import volunteer_world

pytestmark = pytest.mark.browser


@pytest.fixture
def vw(transactional_db):
    return volunteer_world()


def test_staff_nominate_and_select_at_desktop(vw, desktop, login, live_server, watch, shot):
    problems: list[str] = []
    page = desktop.new_page()
    login(page, vw.consultant, password=PASSWORD)
    watch(page, problems)
    page.goto(f"{live_server.url}/werk/bewonerskrachten/")
    page.get_by_role("link", name="Bewonerskrachten Vogelwijk").click()
    page.get_by_test_id("nominate-link").click()

    form = page.get_by_test_id("candidate-form")
    form.get_by_label("Voornaam").fill("Ria")
    form.get_by_label("Achternaam").fill("Kok")
    form.get_by_label("Telefoon").fill("06 12345670")
    form.get_by_label("E-mail").fill("ria.kok@example.nl")
    form.get_by_label("Straat").fill("Merelstraat")
    form.get_by_label("Hoe gevonden").select_option("bewonersavond")
    form.get_by_label("Toelichting").fill("Organiseert de buurtbarbecue.")
    form.get_by_role("button", name="Voordragen", exact=True).click()
    expect(page.get_by_test_id("counts")).to_contain_text("1 voorgedragen, 0 geselecteerd van de beoogde 6")

    page.get_by_test_id("candidates").get_by_role("link", name="Ria Kok").click()
    decision = page.get_by_test_id("decision-form")
    decision.get_by_label("Geselecteerd: wordt Bewonerskracht").check()
    decision.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator("#foutmeldingen")).to_contain_text("Geef een reden voor dit besluit.")  # reason required
    decision = page.get_by_test_id("decision-form")
    decision.get_by_label("Geselecteerd: wordt Bewonerskracht").check()
    decision.get_by_label("Reden").fill("Kent iedereen in de straat en heeft tijd.")
    decision.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_test_id("counts")).to_contain_text("1 voorgedragen, 1 geselecteerd van de beoogde 6")
    expect(page.get_by_test_id("volunteers")).to_contain_text("Ria Kok")

    candidate = Candidate.objects.get(last_name="Kok")
    volunteer = Volunteer.objects.get(candidate=candidate)
    assert candidate.status == "geselecteerd" and volunteer.user.username == "ria.kok"
    assert OutboxMessage.objects.filter(idempotency_key=f"volunteers:welcome:{volunteer.pk}").exists()
    shot(page, "volunteers-programme", "desktop")

    page.get_by_role("link", name="Training").click()
    expect(page.get_by_test_id("workshops")).to_contain_text("Signaleren en melden met Wijkpunt")
    shot(page, "volunteers-training", "desktop")
    # the one 400 is the decision refused without a reason, on purpose
    expected = ("HTTP 400: ", "console error: Failed to load resource: the server responded with a status of 400")
    assert [p for p in problems if not p.startswith(expected)] == []
    assert len([p for p in problems if p.startswith("HTTP 400")]) == 1


def _henks_world(vw):
    track = training.track_ensure(vw.programme)
    first = timezone.localdate() - dt.timedelta(days=80)
    for i, workshop in enumerate(track.workshops.order_by("number")):
        training.workshop_update(workshop=workshop, title=workshop.title, location="Buurthuis De Merel",
                                 starts_at=timezone.make_aware(dt.datetime.combine(first + dt.timedelta(days=14 * i),
                                                                                   dt.time(19, 30))))
    training.attendance_save(track=track, actor=vw.consultant,
                             present={(w.pk, vw.henk.pk) for w in track.workshops.all()})
    Round.objects.create(programme=vw.programme, volunteer=vw.henk, partner=vw.gulsen.user,
                         planned_for=timezone.now() + dt.timedelta(days=2), route="Merelstraat en Lijsterlaan")
    Round.objects.create(programme=vw.programme, volunteer=vw.gulsen, partner=vw.henk.user,
                         planned_for=timezone.now() - dt.timedelta(days=12), route="Vinkenplein", status="gelopen")
    report = make_report(vw.jansen, None, channel="BEZ", user=vw.henk.user, at=timezone.now() - dt.timedelta(days=9))
    report.description = "Portieklamp Merelstraat 10-20 is al een week kapot."
    report.save(update_fields=["description"])
    report_services.report_transition(report=report, actor=vw.staff, to_status="opgelost",
                                      note="De aannemer heeft de lamp vervangen. Dank voor uw melding!", public=True)
    make_report(vw.bakker, None, channel="BEZ", user=vw.henk.user, at=timezone.now() - dt.timedelta(days=20))
    services.thanks_send(volunteer=vw.henk, actor=vw.consultant,
                         text="Henk, dank voor je scherpe oog bij de portiekverlichting!")
    cp = ContactPoint.objects.create(owner=vw.corp, kind="wijkagent", name="Wijkagent Vogelwijk: Sanne de Vries",
                                     handles="Overlast, veiligheid in de buurt; geen spoed.",
                                     phone_office_hours="0900-8844", phone_out_of_hours="112",
                                     shared_with_volunteers=True)
    cp.neighbourhoods.set([vw.vogelwijk])
    ContactPoint.objects.create(owner=vw.corp, kind="wijkagent", name="Interne lijn opzichter", handles="Intern")
    meeting = meetings.meeting_create(programme=vw.programme, actor=vw.consultant,
                                      month=timezone.localdate().replace(day=1),
                                      starts_at=timezone.now() + dt.timedelta(days=10), location="Buurthuis De Merel")
    meetings.action_add(meeting=meeting, actor=vw.consultant, text="Wijkagent uitnodigen", owner=vw.consultant,
                        due_date=timezone.localdate() + dt.timedelta(days=14))
    return report, meeting


def test_volunteer_sees_their_page_on_a_phone(vw, phone, desktop, login, live_server, watch, shot):
    report, meeting = _henks_world(vw)
    problems: list[str] = []
    page = phone.new_page()
    login(page, vw.henk.user, password=PASSWORD)
    watch(page, problems)
    page.goto(f"{live_server.url}/werk/bewonerskrachten/")  # the staff home sends a volunteer to their own page
    expect(page.get_by_test_id("volunteer-name")).to_contain_text("Hallo Henk")
    expect(page.get_by_test_id("training")).to_contain_text("6 van de 6 workshops gevolgd")
    expect(page.get_by_test_id("rounds")).to_contain_text("met Gulsen")
    expect(page.get_by_test_id("reports")).to_contain_text("De aannemer heeft de lamp vervangen.")
    expect(page.get_by_test_id("thanks")).to_contain_text("scherpe oog")
    expect(page.get_by_test_id("contacts")).to_contain_text("Wijkagent Vogelwijk")
    body = page.locator("body")
    expect(body).not_to_contain_text("Interne lijn opzichter")
    expect(body).not_to_contain_text("Demir")
    expect(body).not_to_contain_text("Familie Jansen")
    with page.expect_download() as download:
        page.get_by_test_id("certificate-link").click()
    assert download.value.suggested_filename.endswith(".pdf")
    shot(page, "volunteers-me", "phone")
    # another volunteer's page: 404
    response = page.goto(f"{live_server.url}/werk/bewonerskrachten/bewonerskracht/{vw.gulsen.pk}/")
    assert response.status == 404
    # expected: the download (Chromium reports it as an aborted request) and the 404 just above
    assert [p for p in problems if "/certificaat.pdf" not in p and "/bewonerskracht/" not in p
            and "status of 404" not in p] == []

    big = desktop.new_page()
    login(big, vw.henk.user, password=PASSWORD)
    big.goto(f"{live_server.url}/werk/bewonerskrachten/ik/")
    shot(big, "volunteers-me", "desktop")
    staff = desktop.browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL",
                                        timezone_id="Europe/Amsterdam").new_page()
    login(staff, vw.consultant, password=PASSWORD)
    staff.goto(f"{live_server.url}/werk/bewonerskrachten/overleg/{meeting.pk}/")
    expect(staff.get_by_test_id("actions")).to_contain_text("Wijkagent uitnodigen")
    shot(staff, "volunteers-meeting", "desktop")
    staff.goto(f"{live_server.url}/werk/bewonerskrachten/{vw.programme.pk}/")
    staff.set_viewport_size({"width": 360, "height": 740})
    shot(staff, "volunteers-programme", "phone")
    staff.context.close()
