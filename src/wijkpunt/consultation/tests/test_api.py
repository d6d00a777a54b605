"""The private API /api/v1/consultations/: scoping, visits with Idempotency-Key, bad input, results."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from wijkpunt.consultation.models import Visit

from .factories import addr, answers, consultation_world, make_consultation, questions, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = consultation_world()
    w.c = make_consultation(w.corp, w.complex, actor=w.users["staff"])
    return w


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_list_is_scoped(w):
    ids = [row["id"] for row in api(w.users["staff"]).get("/api/v1/consultations/").json()]
    assert ids == [w.c.pk]
    rows = api(w.management).get("/api/v1/consultations/").json()
    assert rows[0]["can_visit"] is False and rows[0]["can_view_results"] is True
    assert [r["id"] for r in api(w.users["other_consultant"]).get("/api/v1/consultations/").json()] == [
        w.other_consultation.pk]
    for role in ("volunteer", "partner", "nobody"):
        assert api(w.users[role]).get("/api/v1/consultations/").status_code == 403
    assert APIClient().get("/api/v1/consultations/").status_code in (401, 403)


def test_addresses_in_walking_order_with_state(w):
    visit(w.c, addr(w.c, "Kievitstraat", 3), w.users["staff"], "niet-thuis")
    rows = api(w.users["consultant"]).get(f"/api/v1/consultations/{w.c.pk}/addresses/").json()
    assert [r["number"] for r in rows[:6]] == ["1", "3", "5", "6", "4", "2"]
    assert rows[1]["state"] == "niet-thuis" and rows[1]["attempts"] == 1
    assert "household" not in rows[0] and "Familie" not in str(rows)
    assert api(w.management).get(f"/api/v1/consultations/{w.c.pk}/addresses/").status_code == 403
    assert api(w.users["other_consultant"]).get(f"/api/v1/consultations/{w.c.pk}/addresses/").status_code == 404
    assert api(w.users["staff"]).get("/api/v1/consultations/99999999/addresses/").status_code == 404


def test_post_visit_with_idempotency_key(w):
    client = api(w.users["staff"])
    a = addr(w.c, "Merelstraat", 1)
    body = {"address": a.pk, "outcome": "beantwoord", "answers": {str(k): v for k, v in answers(w.c, "sloop").items()},
            "remarks": "Vriendelijk", "housing_wish": "blijven"}
    first = client.post(f"/api/v1/consultations/{w.c.pk}/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and first.json()["state"] == "beantwoord"
    again = client.post(f"/api/v1/consultations/{w.c.pk}/visits/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = client.post(f"/api/v1/consultations/{w.c.pk}/visits/", {**body, "remarks": "anders"}, format="json",
                        HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 409 and "Idempotency-Key" in other.json()
    assert Visit.objects.filter(address=a).count() == 1
    no_key = client.post(f"/api/v1/consultations/{w.c.pk}/visits/", {"address": a.pk, "outcome": "niet-thuis"},
                         format="json")
    assert no_key.status_code == 201 and no_key.json()["attempt"] == 2 and no_key.json()["state"] == "beantwoord"


def test_post_visit_bad_input(w):
    client = api(w.users["staff"])
    url = f"/api/v1/consultations/{w.c.pk}/visits/"
    q = questions(w.c)
    a = addr(w.c, "Merelstraat", 1)
    cases = [
        ({}, "address"),
        ({"address": a.pk, "outcome": "weg"}, "outcome"),
        ({"address": w.other_consultation.addresses.first().pk, "outcome": "niet-thuis"}, "address"),
        ({"address": a.pk, "outcome": "beantwoord", "answers": {str(q["schaal"].pk): 7}}, f"vraag_{q['schaal'].pk}"),
        ({"address": a.pk, "outcome": "beantwoord", "answers": []}, "answers"),
        ({"address": a.pk, "outcome": "niet-thuis", "remarks": "x" * 2001}, "remarks"),
        ({"address": a.pk, "outcome": "niet-thuis", "remarks": "nul\x00"}, "remarks"),
        ({"address": 2**40, "outcome": "niet-thuis"}, "address"),
    ]
    for body, field in cases:
        response = client.post(url, body, format="json")
        assert response.status_code == 400, body
        assert field in response.json(), (body, response.json())
    assert client.post(url, [1, 2], format="json").status_code == 400
    assert client.post(url, {"address": a.pk, "outcome": "niet-thuis"}, format="json",
                       HTTP_IDEMPOTENCY_KEY="x" * 101).status_code == 400
    assert not Visit.objects.filter(consultation=w.c).exists()
    assert api(w.management).post(url, {"address": a.pk, "outcome": "niet-thuis"}, format="json").status_code == 403
    assert api(w.users["other_consultant"]).post(url, {"address": a.pk, "outcome": "niet-thuis"},
                                                 format="json").status_code == 404


def test_results_numbers_only(w):
    visit(w.c, addr(w.c, "Merelstraat", 1), w.users["staff"], answers=answers(w.c, "sloop", text="Geheim"),
          remarks="Privé")
    data = api(w.management).get(f"/api/v1/consultations/{w.c.pk}/results/").json()
    merel = next(s for s in data["streets"] if s["street"] == "Merelstraat")
    assert merel["answered"] == 1 and merel["questions"][0]["outcome"]["codes"] == ["sloop"]
    assert "Geheim" not in str(data) and "Privé" not in str(data)
    assert api(w.users["volunteer"]).get(f"/api/v1/consultations/{w.c.pk}/results/").status_code == 403
    assert api(w.management2).get(f"/api/v1/consultations/{w.c.pk}/results/").status_code == 404
