"""The JSON API: public create/follow with idempotency and proof-of-work; private queue and actions."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from wijkpunt.reports.models import Report

from .conftest import solved_altcha
from .helpers import make_report

pytestmark = pytest.mark.django_db
URL = "/api/public/v1/reports/"


def body(**overrides):
    data = {
        "description": "De verwarming doet het niet meer en het is ijskoud in huis.",
        "location": {"kind": "adres", "postcode": "3701AB", "house_number": 12},
        "reporter": {"email": "bewoner@example.nl", "phone": "06 12345678"},
        "altcha": solved_altcha(),
    }
    data.update(overrides)
    return data


def test_public_create_and_follow(world):
    api = APIClient()
    response = api.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["reference"].startswith("M") and data["status"] == "nieuw"
    report = Report.objects.get()
    assert report.reporter_phone == "+31612345678" and report.channel == "APP"
    followed = api.get(f"{URL}{data['tracking_token']}/").json()
    assert followed["reference"] == data["reference"]
    assert "tracking_token" not in followed and "description" not in followed


def test_public_create_is_idempotent(world):
    api = APIClient()
    payload = body()
    first = api.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    second = api.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["reference"] == second.json()["reference"]
    assert Report.objects.count() == 1
    other = api.post(URL, body(description="Een heel andere melding over de lift"), format="json",
                     HTTP_IDEMPOTENCY_KEY="retry-1")
    assert other.status_code == 409
    assert Report.objects.count() == 1


def test_public_create_requires_proof_of_work(world):
    api = APIClient()
    payload = body()
    payload.pop("altcha")
    response = api.post(URL, payload, format="json")
    assert response.status_code == 400 and "altcha" in response.json()
    assert Report.objects.count() == 0


@pytest.mark.parametrize(("payload", "path"), [
    ({"description": ""}, ["description"]),
    ({"location": {"kind": "adres", "postcode": "12", "house_number": 12}}, ["location", "postcode"]),
    ({"location": {"kind": "adres", "postcode": "3701AB", "house_number": 999}}, ["location", "house_number"]),
    ({"location": {"kind": "kaart"}}, ["location", "latitude"]),
    ({"location": {"kind": "ufo"}}, ["location", "kind"]),
    ({"reporter": {"email": "nope"}}, ["reporter", "email"]),
    ({"reporter": {"phone": "123"}}, ["reporter", "phone"]),
    ({"occurred_at": "morgen"}, ["occurred_at"]),
])
def test_public_create_bad_input_is_field_level_400(world, payload, path):
    response = APIClient().post(URL, body(**payload), format="json", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    node = response.json()
    for key in path:
        assert key in node, (path, response.json())
        node = node[key]
    assert Report.objects.count() == 0


def test_malformed_json_and_oversized_key(world):
    api = APIClient()
    response = api.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    response = api.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="x" * 200)
    assert response.status_code == 400


def test_challenge_and_categories_are_public(world):
    api = APIClient()
    assert "challenge" in api.get("/api/public/v1/challenge/").json()
    slugs = {c["slug"] for c in api.get("/api/public/v1/categories/").json()}
    assert {"reparatie", "gaslucht", "niet-gezien", "agressie-intimidatie"} <= slugs


def test_private_queue_and_transition(world):
    report = make_report(world)
    api = APIClient()
    api.force_authenticate(world.staff)
    page = api.get("/api/v1/reports/").json()
    assert [r["reference"] for r in page["results"]] == [report.reference]
    bad = api.post(f"/api/v1/reports/{report.pk}/transition/", {"to_status": "heropend"}, format="json")
    assert bad.status_code == 403
    empty = api.post(f"/api/v1/reports/{report.pk}/transition/", {"to_status": "opgelost"}, format="json")
    assert empty.status_code == 400 and "note" in empty.json()
    ok = api.post(f"/api/v1/reports/{report.pk}/transition/",
                  {"to_status": "opgelost", "note": "Gerepareerd", "public": True}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "opgelost"
    note = api.post(f"/api/v1/reports/{report.pk}/notes/", {"text": ""}, format="json")
    assert note.status_code == 400


def test_private_intake_by_phone_and_by_volunteer(world):
    api = APIClient()
    api.force_authenticate(world.staff)
    payload = {"description": "Bewoner belt: gaslucht in de meterkast", "channel": "TEL",
               "location": {"kind": "adres", "postcode": "3701AB", "house_number": 12}, "category": "gaslucht",
               "urgency": "spoed"}
    response = api.post("/api/v1/reports/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "TEL" and response.json()["urgency"] == "spoed"
    api.force_authenticate(world.volunteer)
    response = api.post("/api/v1/reports/", {**payload, "channel": "TEL"}, format="json")
    assert response.status_code == 201 and response.json()["channel"] == "BEZ"
    api.force_authenticate(world.partner)
    assert api.post("/api/v1/reports/", payload, format="json").status_code == 403


def test_private_queue_keyset_pagination_walks_everything_once(world):
    from wijkpunt.reports import selectors

    for i in range(7):
        make_report(world, text=f"Melding nummer {i} over een kapotte lamp")
    seen, cursor = [], ""
    while True:
        page = selectors.queue_page(world.staff, selectors.QueueFilters(sort="urgentie"), cursor=cursor, page_size=3)
        seen += [r.pk for r in page.reports]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 7
    garbage = selectors.queue_page(world.staff, selectors.QueueFilters(), cursor="%%%not-base64")
    assert len(garbage.reports) == 7  # a broken cursor starts from the top, never a 500
