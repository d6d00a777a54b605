"""Regression tests of the privacy/security review of round mode (docs/rounds.md): partners keep no
access once they stop or leave, a shared phone never files one user's queued items in another's
name, the service worker keeps only a walker's own pages, a stale round copy cannot file to a
cancelled round, the reporting permission is needed to file, and bad input is never a 500."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wijkpunt.core.models import Membership
from wijkpunt.reports.models import Report
from wijkpunt.rounds import intake, selectors, services
from wijkpunt.rounds.models import Round, RoundCheck, RoundReport
from wijkpunt.rounds.views import OFFLINE_HEADER
from wijkpunt.volunteers.ending import volunteer_end

from .factories import REPORT, plan_round, round_world

OWNER_HEADER = "HTTP_X_WIJKPUNT_QUEUE_USER"


@pytest.fixture
def w(db):
    world = round_world()
    world.round = plan_round(world)
    return world


def post_json(client, name, rnd, body, **headers):
    return client.post(reverse(name, args=[rnd.pk]), json.dumps(body), content_type="application/json", **headers)


def round_urls(rnd) -> dict[str, str]:
    return {"detail": reverse("rounds:detail", args=[rnd.pk]), "walk": reverse("rounds:walk", args=[rnd.pk]),
            "api": reverse("api:rounds-detail", args=[rnd.pk])}


def assert_no_access(client, rnd):
    for url in round_urls(rnd).values():
        assert client.get(url).status_code == 404, url
    assert post_json(client, "api:rounds-reports", rnd, REPORT, HTTP_IDEMPOTENCY_KEY="k").status_code == 404
    assert post_json(client, "api:rounds-checks", rnd, {"checks": [{"item": "groen", "result": "in_orde"}]}
                     ).status_code == 404
    assert client.post(reverse("rounds:report", args=[rnd.pk]), {"description": "Lamp kapot", "where": "gps"}
                       ).status_code == 404
    assert Report.objects.count() == 0 and not RoundCheck.objects.exists()


# --- finding 1: being named as partner once was access for ever ----------------------------------

def test_a_partner_who_stopped_as_volunteer_no_longer_sees_or_walks_the_round(client, w):
    services.round_start(round=w.round)  # being walked: ending does not unpair it
    client.force_login(w.gulsen.user)
    assert client.get(round_urls(w.round)["walk"]).status_code == 200
    volunteer_end(volunteer=w.gulsen, actor=w.consultant, ended_on=timezone.localdate())
    w.round.refresh_from_db()
    assert w.round.partner_id == w.gulsen.user_id
    assert_no_access(client, w.round)
    assert client.get(reverse("rounds:home")).status_code == 403
    assert client.get(reverse("api:rounds-list")).status_code == 403
    assert not selectors.is_walker(w.gulsen.user, w.round)


def test_a_staff_partner_who_left_the_corporation_no_longer_sees_the_round(client, w):
    rnd = plan_round(w, partner=w.consultant2)
    client.force_login(w.consultant2)
    assert client.get(round_urls(rnd)["walk"]).status_code == 200
    Membership.objects.filter(user=w.consultant2).delete()
    assert_no_access(client, rnd)
    assert client.get(reverse("rounds:home")).status_code == 403


def test_a_volunteer_who_stopped_no_longer_walks_their_own_round(client, w):
    services.round_start(round=w.round)
    volunteer_end(volunteer=w.henk, actor=w.consultant, ended_on=timezone.localdate())
    client.force_login(w.henk.user)
    assert_no_access(client, w.round)


def test_the_remaining_walker_and_staff_keep_the_round(client, w):
    services.round_start(round=w.round)
    volunteer_end(volunteer=w.gulsen, actor=w.consultant, ended_on=timezone.localdate())
    for user, code in ((w.henk.user, 200), (w.consultant, 200)):
        client.force_login(user)
        assert client.get(round_urls(w.round)["detail"]).status_code == code
    client.force_login(w.henk.user)
    assert client.get(round_urls(w.round)["walk"]).status_code == 200


# --- finding 2: a shared phone's queue sent in the name of whoever is logged in -------------------

def test_an_item_queued_by_another_user_is_refused_and_saves_nothing(client, w):
    client.force_login(w.gulsen.user)  # the partner, on the phone Henk used before
    henk = {OWNER_HEADER: selectors.queue_owner(w.henk.user)}
    refused = post_json(client, "api:rounds-reports", w.round, REPORT, HTTP_IDEMPOTENCY_KEY="henk-1", **henk)
    assert refused.status_code == 403 and "iemand anders" in str(refused.json())
    assert post_json(client, "api:rounds-checks", w.round, {"checks": [{"item": "groen", "result": "aandacht"}]},
                     **henk).status_code == 403
    assert post_json(client, "api:rounds-status", w.round, {"action": "finish"}, **henk).status_code == 403
    assert Report.objects.count() == 0 and not RoundCheck.objects.exists()
    assert Round.objects.get(pk=w.round.pk).status == Round.Status.PLANNED

    own = {OWNER_HEADER: selectors.queue_owner(w.gulsen.user)}
    accepted = post_json(client, "api:rounds-reports", w.round, REPORT, HTTP_IDEMPOTENCY_KEY="henk-1", **own)
    assert accepted.status_code == 201 and Report.objects.get().reporter_user == w.gulsen.user
    # an API client without the header (an integration) is not affected
    assert post_json(client, "api:rounds-reports", w.round, REPORT, HTTP_IDEMPOTENCY_KEY="x").status_code == 201


def test_queue_owner_is_opaque_and_per_user(w):
    marks = {selectors.queue_owner(u) for u in (w.henk.user, w.gulsen.user, w.consultant)}
    assert len(marks) == 3 and all(len(m) == 24 and str(w.henk.user.pk) != m for m in marks)
    assert selectors.queue_owner(None) == ""


# --- finding 3: the service worker kept every page (staff lists, other users' pages) --------------

def test_only_a_walkers_own_pages_are_marked_for_offline_use(client, w):
    client.force_login(w.henk.user)
    mark = selectors.queue_owner(w.henk.user)
    walk = client.get(round_urls(w.round)["walk"])
    assert walk[OFFLINE_HEADER] == mark and f'data-wp-user="{mark}"' in walk.content.decode()
    assert client.get(round_urls(w.round)["detail"])[OFFLINE_HEADER] == mark
    assert client.get(reverse("rounds:home"))[OFFLINE_HEADER] == mark
    client.force_login(w.consultant)  # staff: their corporation's list and a round they do not walk
    assert OFFLINE_HEADER not in client.get(reverse("rounds:home"))
    assert OFFLINE_HEADER not in client.get(round_urls(w.round)["detail"])


def test_the_service_worker_keeps_one_users_pages_and_drops_them(client, w):
    body = client.get(reverse("rounds:sw")).content.decode()
    assert f'var OFFLINE_HEADER = "{OFFLINE_HEADER}";' in body
    for needle in ("clearPages", '"clear-pages"', "opaqueredirect", "previous !== owner", "!owner"):
        assert needle in body, needle


# --- finding 4: a stale copy of the round filed to a round cancelled meanwhile --------------------

def test_a_report_is_never_linked_to_a_round_cancelled_meanwhile(w):
    stale = Round.objects.get(pk=w.round.pk)  # read by the request before the cancel committed
    services.round_cancel(round=w.round)
    assert stale.status == Round.Status.PLANNED
    with pytest.raises(ValidationError) as exc:
        intake.file_report(round=stale, actor=w.henk.user, data=REPORT, key="late")
    assert "geannuleerd" in str(exc.value)
    assert Report.objects.count() == 0 and RoundReport.objects.count() == 0


def test_a_replay_to_a_cancelled_round_still_returns_the_first_report(w):
    first, created = intake.file_report(round=w.round, actor=w.henk.user, data=REPORT, key="k")
    Round.objects.filter(pk=w.round.pk).update(status=Round.Status.CANCELLED)  # e.g. by staff in the admin
    again, created_again = intake.file_report(round=w.round, actor=w.henk.user, data=REPORT, key="k")
    assert created and not created_again and again == first and RoundReport.objects.count() == 1


# --- finding 5: filing from a round skipped the reporting point's permission ----------------------

def test_filing_from_a_round_needs_the_reporting_permission(client, w):
    role = Group.objects.get(name="bewonerskracht")
    role.permissions.remove(Permission.objects.get(content_type__app_label="reports",
                                                   codename="file_volunteer_report"))
    client.force_login(w.henk.user)
    assert post_json(client, "api:rounds-reports", w.round, REPORT, HTTP_IDEMPOTENCY_KEY="k").status_code == 403
    assert client.post(reverse("rounds:report", args=[w.round.pk]),
                       {"description": "Lamp kapot", "where": f"unit:{w.jansen.unit_id}"}).status_code == 403
    assert Report.objects.count() == 0
    walk = client.get(round_urls(w.round)["walk"])
    assert walk.status_code == 200 and 'data-testid="report-form"' not in walk.content.decode()
    assert post_json(client, "api:rounds-checks", w.round, {"checks": [{"item": "groen", "result": "in_orde"}]}
                     ).status_code == 200  # the rest of the round still works


# --- bad input: never a 500 (checked on SQLite and PostgreSQL) -----------------------------------

@pytest.mark.parametrize("data", [
    {}, {"description": "x" * 6000, "where": "gps"},
    {"description": "Lamp kapot hier", "where": "gps", "latitude": "abc", "longitude": "1e400"},
    {"description": "Lamp kapot hier", "where": "gps", "latitude": "NaN", "longitude": "Infinity"},
    {"description": "Lamp kapot hier", "where": "adres", "postcode": "\x00", "house_number": "\x00"},
    {"description": "Lamp kapot hier", "where": "adres", "postcode": "3701AB", "house_number": "99999999"},
    {"description": "Lamp kapot hier", "where": "unit:999999", "idempotency_key": "\x00" * 50},
    {"description": "\x00" * 6, "where": "adres", "postcode": "3701AB", "house_number": "12"},
])
def test_bad_input_on_the_report_form_is_400_never_500(client, w, data):
    client.force_login(w.henk.user)
    response = client.post(reverse("rounds:report", args=[w.round.pk]), data)
    assert response.status_code == 400 and "Controleer het formulier" in response.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.parametrize("body", [
    [], "x", {"description": None, "location": None}, {"description": "Lamp kapot", "location": []},
    {"description": "Lamp kapot hier", "location": {"kind": "kaart", "latitude": "1e5", "longitude": "0"}},
    {"description": "Lamp kapot hier", "location": {"kind": "complex", "complex": 10**20}},
    {"description": "Lamp kapot hier", "location": {"kind": "adres", "postcode": "\u0000", "house_number": 1}},
    {**REPORT, "occurred_at": "0001-01-01T00:00"},
    {**REPORT, "reporter": {"email": "x", "phone": "abc"}},
])
def test_bad_input_on_the_api_is_400_never_500(client, w, body):
    client.force_login(w.henk.user)
    response = post_json(client, "api:rounds-reports", w.round, body, HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 400 and Report.objects.count() == 0


def test_writes_need_the_csrf_token(w):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(w.henk.user)
    assert post_json(client, "api:rounds-reports", w.round, REPORT, HTTP_IDEMPOTENCY_KEY="k").status_code == 403
    assert post_json(client, "api:rounds-status", w.round, {"action": "start"}).status_code == 403
    for name, data in (("rounds:report", {"description": "Lamp kapot", "where": f"unit:{w.jansen.unit_id}"}),
                       ("rounds:status", {"action": "start"}), ("rounds:checklist", {})):
        assert client.post(reverse(name, args=[w.round.pk]), data).status_code == 403, name
    assert Report.objects.count() == 0 and Round.objects.get(pk=w.round.pk).status == Round.Status.PLANNED
