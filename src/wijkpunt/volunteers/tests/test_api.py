"""The private API: GET /api/v1/volunteers/me/, /api/v1/volunteers/ and /api/v1/volunteers/{id}/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wijkpunt.cases.tests.factories import make_report
from wijkpunt.network.models import ContactPoint
from wijkpunt.rounds.models import Round
from wijkpunt.volunteers import services, training

pytestmark = pytest.mark.django_db

ME, LIST = "/api/v1/volunteers/me/", "/api/v1/volunteers/"


@pytest.fixture
def data(vw):
    Round.objects.create(programme=vw.programme, volunteer=vw.henk, partner=vw.gulsen.user, planned_for=timezone.now(),
                         route="Merelstraat")
    old = make_report(vw.jansen, None, at=timezone.now() - dt.timedelta(days=30), channel="BEZ", user=vw.henk.user)
    track = training.track_ensure(vw.programme)
    training.attendance_save(track=track, actor=None, present={(w.pk, vw.henk.pk) for w in track.workshops.all()})
    services.thanks_send(volunteer=vw.henk, actor=vw.consultant, text="Top gedaan!")
    cp = ContactPoint.objects.create(owner=vw.corp, kind="wijkagent", name="Wijkagent Vogelwijk", handles="Overlast",
                                     shared_with_volunteers=True)
    cp.neighbourhoods.set([vw.vogelwijk])
    ContactPoint.objects.create(owner=vw.corp, kind="wijkagent", name="Niet gedeeld", handles="x")
    return {"old": old}


def test_me(client, vw, data):
    client.force_login(vw.henk.user)
    response = client.get(ME)
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == vw.henk.pk and body["programme"]["neighbourhood"] == "Vogelwijk"
    assert body["rounds"][0]["partner_first_name"] == "Gulsen" and body["rounds"][0]["is_pair"]
    assert [r["reference"] for r in body["reports"]] == [data["old"].reference]
    assert body["training"]["complete"] and body["training"]["certificate_url"] == "/werk/bewonerskrachten/ik/certificaat.pdf"
    assert body["thanks"][0]["text"] == "Top gedaan!"
    assert body["waiting_too_long"][0]["reference"] == data["old"].reference
    assert [c["name"] for c in body["contacts"]] == ["Wijkagent Vogelwijk"]
    text = response.content.decode()
    assert "Demir" not in text and "+31612345672" not in text and "Familie" not in text


def test_me_without_profile_is_403(client, vw):
    for user in (vw.consultant, vw.volunteer, vw.partner):
        client.force_login(user)
        assert client.get(ME).status_code == 403
    client.logout()
    assert client.get(ME).status_code in (401, 403)


def test_staff_list_with_waiting_flag(client, vw, data):
    client.force_login(vw.consultant)
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    rows = {r["id"]: r for r in body["results"]}
    assert set(rows) == {vw.henk.pk, vw.gulsen.pk, vw.lotte.pk}  # not the other corporation's volunteer
    assert rows[vw.henk.pk]["waiting_too_long"] and rows[vw.henk.pk]["waiting_reports"] == 1
    assert rows[vw.henk.pk]["training_complete"] and not rows[vw.gulsen.pk]["training_complete"]
    assert not rows[vw.gulsen.pk]["waiting_too_long"] and rows[vw.gulsen.pk]["longest_wait_working_days"] is None
    assert body["answer_days"] == 5


def test_staff_detail_and_scope(client, vw, data):
    client.force_login(vw.consultant)
    body = client.get(f"{LIST}{vw.henk.pk}/").json()
    assert body["contacts"] is None and body["training"]["certificate_url"].endswith(f"/{vw.henk.pk}/certificaat.pdf")
    assert client.get(f"{LIST}{vw.elders_volunteer.pk}/").status_code == 404
    assert client.get(f"{LIST}999999/").status_code == 404
    client.force_login(vw.other_consultant)
    assert client.get(f"{LIST}{vw.henk.pk}/").status_code == 404
    assert [r["id"] for r in client.get(LIST).json()["results"]] == [vw.elders_volunteer.pk]
    client.force_login(vw.henk.user)
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{vw.gulsen.pk}/").status_code == 403
