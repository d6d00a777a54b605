"""A forwarded report: the partner accepts, or declines with a reason (issue 5). Append-only history,
the report back in the corporation's queue, the partner's access ending at once, a mail to the handler."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from wijkpunt.network.models import ContactPoint
from wijkpunt.reports import services
from wijkpunt.reports.models import ForwardState, ReportEvent, Status

from .helpers import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def forwarded(world):
    report = make_report(world, text="Jongeren hangen elke avond bij de ingang", category="jongeren")
    services.report_assign(report=report, actor=world.staff, assignee=world.consultant)
    services.report_forward(report=report, actor=world.staff, partner=world.wijkteam, note="Graag contact")
    report.refresh_from_db()
    assert report.forward_state == ForwardState.PENDING
    return report


def test_accept_records_who_and_when(world, forwarded):
    services.report_forward_accept(report=forwarded, actor=world.partner)
    forwarded.refresh_from_db()
    assert forwarded.forward_state == ForwardState.ACCEPTED and forwarded.status == Status.FORWARDED
    event = forwarded.events.get(kind=ReportEvent.Kind.FORWARD_ACCEPTED)
    assert event.actor == world.partner and event.created_at and event.data["partner"] == world.wijkteam.pk
    with pytest.raises(ValidationError):  # answered once
        services.report_forward_accept(report=forwarded, actor=world.partner)
    with pytest.raises(services.NotAllowed):
        services.report_forward_accept(report=forwarded, actor=world.staff)


def test_decline_needs_a_reason(world, forwarded):
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            services.report_forward_decline(report=forwarded, actor=world.partner, reason=reason)
        assert "reason" in exc.value.message_dict
    forwarded.refresh_from_db()
    assert forwarded.status == Status.FORWARDED and forwarded.forward_state == ForwardState.PENDING


def test_decline_hands_back_ends_access_and_mails_the_handler(world, forwarded, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_forward_decline(report=forwarded, actor=world.partner, reason="Geen zorgvraag, wel overlast")
    forwarded.refresh_from_db()
    assert forwarded.status == Status.IN_PROGRESS and forwarded.vera_status == "INB"
    assert forwarded.forward_state == ForwardState.DECLINED and forwarded.forwarded_to is None
    kinds = list(forwarded.events.values_list("kind", flat=True))
    assert kinds[-2:] == [ReportEvent.Kind.FORWARD_DECLINED, ReportEvent.Kind.STATUS]  # appended, nothing edited
    declined = forwarded.events.get(kind=ReportEvent.Kind.FORWARD_DECLINED)
    assert declined.text == "Geen zorgvraag, wel overlast" and declined.actor == world.partner
    assert not declined.is_public
    handler_mail = [m for m in mail.outbox if m.to == [world.consultant.email]]
    assert len(handler_mail) == 1 and "Geen zorgvraag, wel overlast" in handler_mail[0].body
    assert forwarded.reference in handler_mail[0].subject
    # the partner may no longer act on it either
    with pytest.raises(services.NotAllowed):
        services.report_add_note(report=forwarded, actor=world.partner, text="nog iets", public=False)


def test_handler_mail_goes_to_the_corporation_when_nobody_is_assigned(world, django_capture_on_commit_callbacks):
    report = make_report(world)
    services.report_forward(report=report, actor=world.staff, partner=world.wijkteam)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_forward_decline(report=report, actor=world.partner, reason="Niet voor ons")
    assert [m.to for m in mail.outbox] == [[world.corp.email]]


def test_partner_may_hand_back_after_accepting(world, forwarded):
    services.report_forward_accept(report=forwarded, actor=world.partner)
    services.report_forward_decline(report=forwarded, actor=world.partner, reason="Toch geen zorgvraag")
    forwarded.refresh_from_db()
    assert forwarded.forward_state == ForwardState.DECLINED and forwarded.status == Status.IN_PROGRESS
    assert forwarded.events.get(kind=ReportEvent.Kind.FORWARD_DECLINED).data["after_accept"] is True


def test_corporation_taking_it_back_also_ends_the_partners_access(client, world, forwarded):
    services.report_transition(report=forwarded, actor=world.staff, to_status=Status.IN_PROGRESS, note="Zelf doen")
    forwarded.refresh_from_db()
    assert forwarded.forward_state == ForwardState.WITHDRAWN and forwarded.forwarded_to is None
    client.force_login(world.partner)
    assert client.get(reverse("staff:report", args=[forwarded.pk])).status_code == 404


def test_a_partner_that_resolved_keeps_seeing_its_work(client, world, forwarded):
    services.report_forward_accept(report=forwarded, actor=world.partner)
    services.report_transition(report=forwarded, actor=world.partner, to_status=Status.RESOLVED, note="Gesproken")
    client.force_login(world.partner)
    assert client.get(reverse("staff:report", args=[forwarded.pk])).status_code == 200


# -- pages -----------------------------------------------------------------------------------------


def test_partner_page_offers_accept_and_decline(client, world, forwarded):
    client.force_login(world.partner)
    html = client.get(reverse("staff:report", args=[forwarded.pk])).content.decode()
    assert "Accepteren" in html and "Weigeren" in html
    client.force_login(world.staff)  # staff see the state, not the buttons
    html = client.get(reverse("staff:report", args=[forwarded.pk])).content.decode()
    assert "Wacht op antwoord partner" in html and 'data-testid="forward-answer"' not in html


def test_accept_on_the_page(client, world, forwarded):
    client.force_login(world.partner)
    response = client.post(reverse("staff:forward_accept", args=[forwarded.pk]))
    assert response.status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.forward_state == ForwardState.ACCEPTED
    html = client.get(reverse("staff:report", args=[forwarded.pk])).content.decode()
    assert "Accepteren" not in html and "Teruggeven" in html


def test_decline_on_the_page_without_and_with_reason(client, world, forwarded):
    client.force_login(world.partner)
    url = reverse("staff:forward_decline", args=[forwarded.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert response.context["decline_form"].errors["reason"] == ["Geef aan waarom uw organisatie deze melding "
                                                                  "niet oppakt."]
    forwarded.refresh_from_db()
    assert forwarded.forward_state == ForwardState.PENDING
    response = client.post(url, {"reason": "Dit is overlast, geen zorgvraag"})
    assert response.status_code == 302 and response["Location"] == reverse("staff:queue")
    # at once: no page, no photo, no queue row, no API
    assert client.get(reverse("staff:report", args=[forwarded.pk])).status_code == 404
    assert forwarded.pk not in {r.pk for r in client.get(reverse("staff:queue"), {"status": "alle"})
                                .context["page"].reports}
    api = APIClient()
    api.force_authenticate(world.partner)
    assert api.get(f"/api/v1/reports/{forwarded.pk}/").status_code == 404
    assert client.post(url, {"reason": "nog eens"}).status_code == 404
    # the corporation sees it back in its queue, with the reason in the history
    client.force_login(world.staff)
    queue = client.get(reverse("staff:queue")).context["page"].reports
    assert forwarded.pk in {r.pk for r in queue}
    html = client.get(reverse("staff:report", args=[forwarded.pk])).content.decode()
    assert "Dit is overlast, geen zorgvraag" in html and "Geweigerd door partner" in html


@pytest.mark.parametrize("role", ["staff", "police", "volunteer", "other_staff"])
def test_others_cannot_answer(client, world, forwarded, role):
    client.force_login(world.users[role])
    accept = client.post(reverse("staff:forward_accept", args=[forwarded.pk]))
    decline = client.post(reverse("staff:forward_decline", args=[forwarded.pk]), {"reason": "x"})
    expected = 403 if role == "staff" else 404  # staff see the report but are not the partner
    assert accept.status_code == expected and decline.status_code == expected
    forwarded.refresh_from_db()
    assert forwarded.forward_state == ForwardState.PENDING


def test_forward_by_choosing_from_the_network_directory(client, world):
    report = make_report(world)
    point = ContactPoint.objects.create(owner=world.corp, organisation=world.wijkteam, kind="wijkteam",
                                        name="Wijkteam Oost-Zeist", handles="Zorgen over bewoners en vereenzaming")
    ContactPoint.objects.create(owner=world.other_corp, organisation=world.wijkteam, kind="wijkteam",
                                name="Wijkteam van een ander", handles="Niet zichtbaar")
    client.force_login(world.staff)
    html = client.get(reverse("staff:report", args=[report.pk])).content.decode()
    assert "Wijkteam Oost-Zeist (Wijkteam Oost) · Wijkteam: Zorgen over bewoners en vereenzaming" in html
    assert "Wijkteam van een ander" not in html
    response = client.post(reverse("staff:report_action", args=[report.pk, "forward"]),
                           {"contact_point": point.pk, "note": "Graag langs"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.forwarded_to == world.wijkteam and report.status == Status.FORWARDED
    # the plain organisation choice still works; neither given is a clear message
    other = make_report(world, text="Nog een melding over overlast in de portiek")
    client.post(reverse("staff:report_action", args=[other.pk, "forward"]), {"partner": world.wijkteam.pk})
    other.refresh_from_db()
    assert other.forwarded_to == world.wijkteam
    third = make_report(world, text="Derde melding over geluidsoverlast")
    response = client.post(reverse("staff:report_action", args=[third.pk, "forward"]), {"note": "x"}, follow=True)
    assert "Kies een partnerorganisatie." in response.content.decode()
    # a contact point of another corporation is not a valid choice
    foreign = ContactPoint.objects.get(name="Wijkteam van een ander")
    client.post(reverse("staff:report_action", args=[third.pk, "forward"]), {"contact_point": foreign.pk})
    third.refresh_from_db()
    assert third.forwarded_to is None


# -- API ---------------------------------------------------------------------------------------------


def test_api_accept_and_decline(world, forwarded):
    api = APIClient()
    api.force_authenticate(world.partner)
    response = api.post(f"/api/v1/reports/{forwarded.pk}/accept/", {}, format="json")
    assert response.status_code == 200 and response.json()["forward_state"] == "geaccepteerd"
    response = api.post(f"/api/v1/reports/{forwarded.pk}/decline/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = api.post(f"/api/v1/reports/{forwarded.pk}/decline/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = api.post(f"/api/v1/reports/{forwarded.pk}/decline/", {"reason": "Niet onze taak"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id": forwarded.pk, "reference": forwarded.reference, "status": "in_behandeling",
                               "forward_state": "geweigerd"}
    assert api.get(f"/api/v1/reports/{forwarded.pk}/").status_code == 404
    assert api.post(f"/api/v1/reports/{forwarded.pk}/accept/", {}, format="json").status_code == 404


def test_api_forbidden(world, forwarded):
    api = APIClient()
    api.force_authenticate(world.police)  # another partner
    assert api.post(f"/api/v1/reports/{forwarded.pk}/accept/", {}, format="json").status_code == 404
    assert api.post(f"/api/v1/reports/{forwarded.pk}/decline/", {"reason": "x"}, format="json").status_code == 404
    api.force_authenticate(world.staff)  # the corporation: sees it, but is not the partner
    assert api.post(f"/api/v1/reports/{forwarded.pk}/accept/", {}, format="json").status_code == 403
    assert api.post(f"/api/v1/reports/{forwarded.pk}/decline/", {"reason": "x"}, format="json").status_code == 403
    assert APIClient().post(f"/api/v1/reports/{forwarded.pk}/accept/", {}, format="json").status_code in (401, 403)
    forwarded.refresh_from_db()
    assert forwarded.forward_state == ForwardState.PENDING
