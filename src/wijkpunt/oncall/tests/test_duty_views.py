"""The duty dashboard and the volunteer help button, per role."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from wijkpunt.oncall import services
from wijkpunt.oncall.models import Escalation, HelpRequest, Page

from .engine_fixtures import anna_on_call_now, page_at_any_hour, urgent_report


def test_dashboard_shows_live_chains_on_call_people_and_urgent_reports(client, engine):
    page_at_any_hour(engine)
    report = urgent_report(engine, at=timezone.now())
    client.force_login(engine.cees)
    body = client.get(reverse("oncall:dashboard")).content.decode()
    assert report.reference in body and "Achtervang Lindehof" in body
    live = client.get(reverse("oncall:dashboard_live"))
    assert live.status_code == 200 and report.reference in live.content.decode()
    assert "<html" not in live.content.decode()  # a fragment for htmx


def test_dashboard_is_scoped_and_forbidden_to_others(client, engine):
    page_at_any_hour(engine)
    report = urgent_report(engine, at=timezone.now())
    client.force_login(engine.other_staff)
    assert report.reference not in client.get(reverse("oncall:dashboard")).content.decode()
    escalation = Escalation.objects.get(report=report)
    assert client.post(reverse("oncall:acknowledge", args=[escalation.pk])).status_code == 404
    client.force_login(engine.volunteer)
    assert client.get(reverse("oncall:dashboard")).status_code == 403
    client.logout()
    assert client.get(reverse("oncall:dashboard")).status_code == 302


def test_acknowledge_from_the_dashboard(client, engine):
    page_at_any_hour(engine)
    report = urgent_report(engine, at=timezone.now())
    escalation = Escalation.objects.get(report=report)
    client.force_login(engine.cees)
    response = client.post(reverse("oncall:acknowledge", args=[escalation.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("staff:report", args=[report.pk])
    escalation.refresh_from_db()
    assert escalation.status == "bevestigd" and escalation.acknowledged_by == engine.cees
    response = client.post(reverse("oncall:decide", args=[escalation.pk]), {"besluit": "genomen"})
    report.refresh_from_db()
    assert report.assignee == engine.cees
    client.force_login(engine.bram)
    client.post(reverse("oncall:acknowledge", args=[escalation.pk]))
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == engine.cees
    assert client.post(reverse("oncall:decide", args=[escalation.pk]), {"besluit": "genomen"}).status_code == 403


def test_volunteer_presses_help_and_sees_who_picked_it_up(client, engine):
    anna_on_call_now(engine)
    client.force_login(engine.volunteer)
    page = client.get(reverse("help:home"))
    assert page.status_code == 200 and "Ik heb nu hulp nodig" in page.content.decode()
    response = client.post(reverse("help:home"), {"message": "Bewoner dreigt met mes", "latitude": "52.089100",
                                                 "longitude": "5.233200", "accuracy": "15", "key": "abc"})
    help_request = HelpRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("help:status", args=[help_request.pk])
    again = client.post(reverse("help:home"), {"key": "abc"})  # a double tap pages once
    assert again["Location"] == response["Location"] and HelpRequest.objects.count() == 1
    escalation = help_request.escalation
    services.escalation_fire(escalation.pk)
    paged = Page.objects.get(escalation=escalation)
    services.page_acknowledge(page=paged)
    body = client.get(reverse("help:status_live", args=[help_request.pk])).content.decode()
    assert "Opgepakt door Anna" in body
    client.post(reverse("help:close", args=[help_request.pk]))
    help_request.refresh_from_db()
    assert help_request.status == "afgesloten"


def test_help_bad_input_and_forbidden_paths(client, engine):
    client.force_login(engine.volunteer)
    response = client.post(reverse("help:home"), {"latitude": "abc", "longitude": "999", "message": "x" * 400})
    assert response.status_code == 400 and HelpRequest.objects.count() == 0
    client.force_login(engine.cees)  # staff, no request_help permission
    assert client.get(reverse("help:home")).status_code == 403
    client.force_login(engine.volunteer)
    client.post(reverse("help:home"), {})
    own = HelpRequest.objects.get()
    client.force_login(engine.other_staff)
    assert client.get(reverse("help:status", args=[own.pk])).status_code == 404
    assert client.post(reverse("help:close", args=[own.pk])).status_code == 404


def test_exhausted_chain_stands_out_on_the_dashboard(client, engine):
    page_at_any_hour(engine)
    report = urgent_report(engine, at=timezone.now() - dt.timedelta(hours=2))
    escalation = Escalation.objects.get(report=report)
    for minutes in (0, 10, 20, 35):
        services.escalation_sweep(now=escalation.started_at + dt.timedelta(minutes=minutes))
    client.force_login(engine.cees)
    assert "Niemand heeft bevestigd" in client.get(reverse("oncall:dashboard_live")).content.decode()
