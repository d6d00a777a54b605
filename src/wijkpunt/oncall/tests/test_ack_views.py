"""The acknowledge link on a phone, without logging in: valid, forged, expired, reused, prefetched."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from wijkpunt.oncall import services
from wijkpunt.oncall.models import Escalation, Page
from wijkpunt.oncall.tokens import ack_token
from wijkpunt.reports.models import ReportEvent

from .engine_fixtures import NIGHT, keep_links_valid, urgent_report


@pytest.fixture
def paged(engine):
    report = urgent_report(engine)
    escalation = Escalation.objects.get(report=report)
    services.escalation_fire(escalation.pk, now=NIGHT)
    keep_links_valid(escalation)
    page = Page.objects.get(escalation=escalation, step=0)
    return engine, report, escalation, page


def url(page, token=None):
    return reverse("ack", args=[token or ack_token(page)])


def test_link_in_the_sms_opens_the_page_and_get_does_not_acknowledge(client, paged):
    engine, report, escalation, page = paged
    from wijkpunt.core.models import OutboxMessage

    sms = OutboxMessage.objects.get(channel="sms", recipient="+31612345671")
    assert url(page) in sms.body
    response = client.get(url(page))
    assert response.status_code == 200
    assert report.reference in response.content.decode() and "Ik pak dit op" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin" and "no-store" in response["Cache-Control"]
    escalation.refresh_from_db()
    assert escalation.status == "actief"  # a link previewer fetching the URL acknowledges nothing


def test_pressing_the_button_acknowledges_and_then_take_assigns(client, paged):
    engine, report, escalation, page = paged
    response = client.post(url(page), {"stap": "bevestigen"})
    assert response.status_code == 200 and "Bevestigd" in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.status == "bevestigd" and escalation.acknowledged_by == engine.anna
    token = response.context["decision_token"]
    response = client.post(url(page), {"stap": "besluit", "besluit_token": token, "besluit": "genomen",
                                       "notitie": "Ben er over 10 minuten"})
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.assignee == engine.anna
    assert ReportEvent.objects.filter(report=report, text="Ben er over 10 minuten").exists()
    # the link is spent now
    again = client.get(url(page))
    assert again.status_code == 410 and "al gebruikt" in again.content.decode()
    assert client.post(url(page), {"stap": "bevestigen"}).status_code == 410


def test_decision_needs_a_valid_decision_token(client, paged):
    engine, report, escalation, page = paged
    client.post(url(page), {"stap": "bevestigen"})
    response = client.post(url(page), {"stap": "besluit", "besluit_token": "nep", "besluit": "genomen"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.assignee is None


def test_bad_decision_value_is_a_clear_message_not_a_500(client, paged):
    engine, report, escalation, page = paged
    token = client.post(url(page), {"stap": "bevestigen"}).context["decision_token"]
    response = client.post(url(page), {"stap": "besluit", "besluit_token": token, "besluit": "weggooien"})
    assert response.status_code == 400 and "Kies wat u met de melding doet" in response.content.decode()


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature altered
    lambda t: t.split(".")[0] + ".xxxxxxxxxxxx." + t.split(".")[2],  # nonce altered
    lambda t: str(int(t.split(".")[0]) + 1) + "." + ".".join(t.split(".")[1:]),  # other page id
    lambda t: "garbage",
    lambda t: "1.2.3.4",
    lambda t: "%00",
])
def test_forged_links_are_refused(client, paged, mangle):
    engine, report, escalation, page = paged
    response = client.post(url(page, mangle(ack_token(page))), {"stap": "bevestigen"})
    assert response.status_code == 404 and "ongeldig" in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.status == "actief"


def test_expired_link_is_refused(client, paged):
    engine, report, escalation, page = paged
    Page.objects.filter(pk=page.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(url(page)).status_code == 410
    response = client.post(url(page), {"stap": "bevestigen"})
    assert response.status_code == 410 and "verlopen" in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.status == "actief"


def test_a_second_person_is_told_who_has_it(client, paged):
    engine, report, escalation, page = paged
    services.escalation_fire(escalation.pk, now=NIGHT + dt.timedelta(minutes=10))
    keep_links_valid(escalation)
    second = Page.objects.get(escalation=escalation, step=1)
    assert client.post(url(second), {"stap": "bevestigen"}).status_code == 200
    response = client.post(url(page), {"stap": "bevestigen"})
    assert response.status_code == 409 and "Bram" in response.content.decode()


def test_reporter_tracking_page_shows_on_call_pickup(client, paged):
    engine, report, escalation, page = paged
    track = reverse("public:track", args=[report.tracking_token])
    body = client.get(track).content.decode()
    assert "doorgezet naar de dienstdoende medewerker" in body and "Nog niet opgepakt" in body
    client.post(url(page), {"stap": "bevestigen"})
    body = client.get(track).content.decode()
    assert "Opgepakt om" in body and "Anna" not in body  # no staff names to the public


def test_link_of_a_deactivated_account_no_longer_works(client, paged):
    engine, report, escalation, page = paged
    engine.anna.is_active = False
    engine.anna.save()
    assert client.post(url(page), {"stap": "bevestigen"}).status_code == 410
    escalation.refresh_from_db()
    assert escalation.status == "actief"


def test_help_page_link_shows_the_volunteer_on_a_map(client, engine):
    from decimal import Decimal

    help_request, _ = services.help_request_create(
        volunteer=engine.volunteer, organisation=engine.corp, latitude=Decimal("52.089100"),
        longitude=Decimal("5.233200"), accuracy_m=12)
    services.escalation_fire(help_request.escalation.pk)
    page = Page.objects.get(escalation=help_request.escalation)
    body = client.get(url(page)).content.decode()
    assert 'href="https://www.openstreetmap.org/?mlat=52.089100&amp;mlon=5.233200' in body  # not 52,089100
