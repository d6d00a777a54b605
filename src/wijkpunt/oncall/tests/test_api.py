"""The on-call API: scoped reads, acknowledge, help requests with idempotency, bad input."""

from __future__ import annotations

from django.utils import timezone
from rest_framework.test import APIClient

from wijkpunt.oncall.models import Escalation, HelpRequest

from .engine_fixtures import page_at_any_hour, urgent_report


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_duty_overview_lists_rosters_and_live_chains(engine):
    page_at_any_hour(engine)
    report = urgent_report(engine, at=timezone.now())
    data = api(engine.cees).get("/api/v1/oncall/").json()
    assert data["rosters"][0]["name"] == "Achtervang Lindehof" and data["rosters"][0]["now"]["person"]["name"]
    assert [e["report"] for e in data["live"]] == [report.reference]
    assert api(engine.other_staff).get("/api/v1/oncall/").json()["live"] == []
    assert api(engine.volunteer).get("/api/v1/oncall/").status_code == 403
    assert api().get("/api/v1/oncall/").status_code in (401, 403)


def test_acknowledge_once_then_conflict(engine):
    page_at_any_hour(engine)
    report = urgent_report(engine, at=timezone.now())
    escalation = Escalation.objects.get(report=report)
    url = f"/api/v1/oncall/escalations/{escalation.pk}/acknowledge/"
    first = api(engine.cees).post(url)
    assert first.status_code == 200 and first.json()["acknowledged"] is True
    second = api(engine.bram).post(url)
    assert second.status_code == 409 and second.json()["escalation"]["acknowledged_by"] == "Cees"
    assert api(engine.other_staff).post(url).status_code == 404
    assert api(engine.volunteer).post(url).status_code == 404


def test_help_request_by_api(engine):
    client = api(engine.volunteer)
    response = client.post("/api/v1/help-requests/", {"message": "Agressieve bewoner", "latitude": "52.1",
                                                      "longitude": "5.2", "accuracy_m": 20},
                           format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 201 and response.json()["status"] == "open"
    again = client.post("/api/v1/help-requests/", {}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    assert HelpRequest.objects.count() == 1 and Escalation.objects.filter(help_request__isnull=False).count() == 1
    assert [h["id"] for h in client.get("/api/v1/help-requests/").json()] == [response.json()["id"]]
    bad = client.post("/api/v1/help-requests/", {"latitude": "200", "longitude": "x"}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"latitude", "longitude"}
    assert "54" in bad.json()["latitude"][0]
    assert api(engine.cees).post("/api/v1/help-requests/", {}, format="json").status_code == 403
