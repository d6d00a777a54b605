"""The rounds API: scoping per role, planning, checklist, status, and filing reports from a round
through the reporting point's intake with idempotency keys (guarantee 1)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from wijkpunt.reports.models import Channel, Report
from wijkpunt.rounds import services
from wijkpunt.rounds.models import Round, RoundCheck, RoundReport

from .factories import REPORT, plan_round, round_world


@pytest.fixture
def w(db):
    world = round_world()
    world.round = plan_round(world)
    return world


def file(client, rnd, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(reverse("api:rounds-reports", args=[rnd.pk]), body, content_type="application/json", **headers)


def test_file_a_report_from_the_round(client, w):
    client.force_login(w.henk.user)
    response = file(client, w.round, REPORT, key="0b5e3c1e-1111-4c1e-9b1e-000000000001")
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert response.json()["id"] == report.pk and response.json()["channel"] == Channel.VOLUNTEER
    assert report.reporter_user == w.henk.user and report.unit == w.jansen.unit
    assert report.round_link.round == w.round
    w.round.refresh_from_db()
    assert w.round.status == Round.Status.WALKING


def test_a_repeated_key_returns_the_same_report_and_never_a_second_link(client, w):
    client.force_login(w.henk.user)
    key = "0b5e3c1e-1111-4c1e-9b1e-000000000002"
    first = file(client, w.round, REPORT, key=key)
    again = file(client, w.round, REPORT, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Report.objects.count() == 1 and RoundReport.objects.count() == 1
    # the same key with other content: 409, as the reports API answers
    other = file(client, w.round, {**REPORT, "description": "Iets heel anders: graffiti"}, key=key)
    assert other.status_code == 409 and "Idempotency-Key" in other.json()
    # ... also when the other content is not valid at all
    assert file(client, w.round, {"description": ""}, key=key).status_code == 409
    assert Report.objects.count() == 1 and RoundReport.objects.count() == 1


def test_a_replay_after_the_round_was_finished_returns_the_first_report(client, w):
    client.force_login(w.henk.user)
    key = "after-finish"
    assert file(client, w.round, REPORT, key=key).status_code == 201
    services.round_finish(round=w.round)
    assert file(client, w.round, REPORT, key=key).status_code == 200
    assert file(client, w.round, {**REPORT, "description": "Nog een melding na afloop"}, key="new").status_code == 201
    assert Report.objects.count() == 2


def test_keys_are_scoped_per_user_and_round(client, w):
    key = "same-key"
    client.force_login(w.henk.user)
    assert file(client, w.round, REPORT, key=key).status_code == 201
    other_round = plan_round(w)
    assert file(client, other_round, REPORT, key=key).status_code == 201
    client.force_login(w.gulsen.user)  # the partner files too
    assert file(client, w.round, REPORT, key=key).status_code == 201
    assert Report.objects.count() == 3
    assert set(RoundReport.objects.values_list("round_id", flat=True)) == {w.round.pk, other_round.pk}
    assert Report.objects.filter(reporter_user=w.gulsen.user).count() == 1


def test_only_the_walkers_may_file(client, w):
    for user in (w.lotte.user, w.elders_volunteer.user, w.consultant, w.other_consultant, w.volunteer):
        client.force_login(user)
        assert file(client, w.round, REPORT, key="k").status_code == 404, user
    client.logout()
    assert file(client, w.round, REPORT, key="k").status_code in (401, 403)
    assert not Report.objects.exists()


def test_bad_input_gets_dutch_field_errors_and_saves_nothing(client, w):
    client.force_login(w.henk.user)
    response = file(client, w.round, {"description": "", "location": {"kind": "adres", "postcode": "12"}}, key="b1")
    assert response.status_code == 400
    assert "description" in response.json()
    response = file(client, w.round, {"description": "Graffiti op de muur", "location": {"kind": "kaart"}}, key="b2")
    assert response.status_code == 400 and "location" in response.json()
    for body in ([], "tekst", None, {"description": "x" * 6000, "location": {"kind": "adres"}}):
        assert file(client, w.round, body).status_code == 400
    bad_key = file(client, w.round, REPORT, key="x" * 101)
    assert bad_key.status_code == 400 and "Idempotency-Key" in bad_key.json()
    assert not Report.objects.exists() and not RoundReport.objects.exists()


def test_an_address_of_another_corporation_is_refused(client, w):
    client.force_login(w.henk.user)
    body = {"description": "Kapotte lamp", "location": {"kind": "adres", "postcode": "3702CD", "house_number": 3}}
    response = file(client, w.round, body, key="elders")
    assert response.status_code == 400 and "niet van Woonstichting Lindehof" in str(response.json())
    body = {"description": "Kapotte lamp", "location": {"kind": "complex", "complex": w.elders_cx.pk}}
    assert file(client, w.round, body, key="elders2").status_code == 400
    assert not Report.objects.exists()


def test_map_point_goes_to_the_rounds_corporation(client, w):
    client.force_login(w.henk.user)
    body = {"description": "Zwerfafval bij de speeltuin", "location": {"kind": "kaart", "latitude": "52.089100",
                                                                       "longitude": "5.233100", "text": "speeltuin"}}
    assert file(client, w.round, body, key="map").status_code == 201
    assert Report.objects.get().organisation == w.corp


def test_cancelled_round_takes_no_reports(client, w):
    client.force_login(w.henk.user)
    services.round_cancel(round=w.round)
    response = file(client, w.round, REPORT, key="c")
    assert response.status_code == 400 and "geannuleerd" in str(response.json())


def test_list_and_detail_scoping(client, w):
    alone = plan_round(w, partner=None)
    elsewhere = plan_round(w, volunteer=w.elders_volunteer, partner=None, complexes=[])
    expectations = {
        w.henk.user: {w.round.pk, alone.pk}, w.gulsen.user: {w.round.pk}, w.lotte.user: set(),
        w.consultant: {w.round.pk, alone.pk}, w.other_consultant: {elsewhere.pk},
        w.elders_volunteer.user: {elsewhere.pk},
    }
    for user, ids in expectations.items():
        client.force_login(user)
        response = client.get(reverse("api:rounds-list"))
        assert response.status_code == 200
        assert {r["id"] for r in response.json()["results"]} == ids, user
        for rnd in (w.round, alone, elsewhere):
            code = client.get(reverse("api:rounds-detail", args=[rnd.pk])).status_code
            assert code == (200 if rnd.pk in ids else 404), (user, rnd)
    client.force_login(w.nobody)
    assert client.get(reverse("api:rounds-list")).status_code == 403
    client.force_login(w.consultant)
    unpaired = client.get(reverse("api:rounds-list"), {"zonder_maatje": "1"}).json()["results"]
    assert [r["id"] for r in unpaired] == [alone.pk] and unpaired[0]["is_pair"] is False


def test_detail_shows_places_only_to_walkers_and_no_households(client, w):
    client.force_login(w.henk.user)
    data = client.get(reverse("api:rounds-detail", args=[w.round.pk])).json()
    assert data["can_walk"] is True and data["partner"] and data["is_pair"] is True
    labels = [p["label"] for p in data["places"]]
    assert "Merelstraat 12" in labels and all("Jansen" not in label for label in labels)
    assert [c["item"] for c in data["checks"]] == ["verlichting", "zwerfafval", "groen", "algemene_ruimten", "omkijken"]
    client.force_login(w.consultant)
    data = client.get(reverse("api:rounds-detail", args=[w.round.pk])).json()
    assert data["can_walk"] is False and data["places"] is None


def test_plan_through_the_api(client, w):
    client.force_login(w.gulsen.user)
    url = reverse("api:rounds-list")
    planned_for = (timezone.now() + dt.timedelta(days=3)).isoformat()
    response = client.post(url, {"planned_for": planned_for, "route": "Rondje Merelhof", "partner": w.henk.user_id,
                                 "complexes": [w.merelhof.pk]}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["partner"] and response.json()["is_pair"]
    bad = client.post(url, {"planned_for": planned_for, "route": "x", "partner": w.lotte.user_id,
                            "complexes": [w.eikenhof.pk]}, content_type="application/json")
    assert bad.status_code == 400 and set(bad.json()) == {"partner", "complexes"}
    missing = client.post(url, {"planned_for": planned_for, "route": "x", "partner": 10**9,
                                "complexes": [10**9]}, content_type="application/json")
    assert missing.status_code == 400 and set(missing.json()) == {"partner", "complexes"}
    client.force_login(w.consultant)
    assert client.post(url, {"planned_for": planned_for, "route": "x"}, content_type="application/json").status_code == 403


def test_checks_and_status_through_the_api(client, w):
    client.force_login(w.gulsen.user)
    url = reverse("api:rounds-checks", args=[w.round.pk])
    body = {"checks": [{"item": "groen", "result": "aandacht", "remark": "Heg te hoog"},
                       {"item": "verlichting", "result": "in_orde"}]}
    assert client.post(url, body, content_type="application/json").status_code == 200
    assert client.post(url, body, content_type="application/json").status_code == 200
    assert RoundCheck.objects.filter(round=w.round).count() == 2
    bad = client.post(url, {"checks": [{"item": "lantaarn", "result": "ok"}]}, content_type="application/json")
    assert bad.status_code == 400
    status_url = reverse("api:rounds-status", args=[w.round.pk])
    for action in ("start", "start", "finish", "finish"):
        assert client.post(status_url, {"action": action}, content_type="application/json").status_code == 200
    assert client.post(status_url, {"action": "cancel"}, content_type="application/json").status_code == 403
    client.force_login(w.henk.user)
    cancelled = client.post(status_url, {"action": "cancel"}, content_type="application/json")
    assert cancelled.status_code == 400
    w.round.refresh_from_db()
    assert w.round.status == Round.Status.WALKED
    client.force_login(w.lotte.user)
    assert client.post(url, body, content_type="application/json").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_concurrent_sends_of_one_queued_item_make_one_report():
    """Two tabs (or a retry while the first request is still running) send the same item at once."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    from django.test import Client

    w = round_world()
    rnd = plan_round(w)
    results = []

    def send():
        c = Client()
        c.force_login(w.henk.user)
        results.append(file(c, rnd, REPORT, key="race").status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 200, 200, 201]
    assert Report.objects.count() == 1 and RoundReport.objects.count() == 1
