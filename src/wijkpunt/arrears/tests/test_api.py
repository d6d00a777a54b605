"""The arrears API (/api/v1/arrears/): scoping per organisation, logging of every read of a
household's finances, the legal checks as 409 blockers, and all-or-nothing CSV imports.

``arrears_world`` is also used by the property-based tests in ``tests/api``."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from wijkpunt.arrears import api as arrears_api
from wijkpunt.arrears.models import (
    ArrearsEpisode,
    EpisodeStep,
    LedgerLine,
    MunicipalityAgreement,
    Signal,
    SignalStatus,
    StepKind,
)
from wijkpunt.arrears.services import client_snapshot
from wijkpunt.core.models import AccessLog, Membership
from wijkpunt.housing.models import Household, Tenancy, Unit
from wijkpunt.reports.tests.conftest import make_user, world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

BASE = "/api/v1/arrears/"
LEDGER_HEADER = ("boekingsnummer;contractnummer;boekingsoort;boekingdetailsoort;boekdatum;vervaldatum;bedrag;"
                 "omschrijving")


def _episode(corp, unit, contract: str, *, days: int, amount_cents: int, months: str, complete: bool = True,
             status: str = "open") -> ArrearsEpisode:
    today = timezone.localdate()
    household = Household.objects.create(
        corporation=corp, name=f"Huishouden {contract}", composition=Household.Composition.SINGLE,
        contact_phone="0612345678", initials="J.", surname="Jansen",
        birth_date=dt.date(1980, 5, 1) if complete else None,
    )
    tenancy = Tenancy.objects.create(contract_number=contract, unit=unit, household=household,
                                     start_date=dt.date(2015, 4, 1), monthly_rent=Decimal("612.45"))
    closed = status == ArrearsEpisode.Status.CLOSED
    return ArrearsEpisode.objects.create(
        corporation=corp, tenancy=tenancy, status=status, arose_on=today - dt.timedelta(days=days),
        opened_on=today - dt.timedelta(days=days - 5), amount_cents=amount_cents, months=Decimal(months),
        peak_cents=amount_cents, closed_on=today - dt.timedelta(days=3) if closed else None,
    )


def _prevention_steps(episode: ArrearsEpisode, user) -> None:
    """Contact attempt, debt-help referral and a reminder whose objection window has passed."""
    today = timezone.localdate()
    for kind, days, channel, data in (
        (StepKind.CONTACT_ATTEMPT, 60, "TEL", {}),
        (StepKind.DEBT_HELP_REFERRAL, 55, "BRI", {}),
        (StepKind.REMINDER_LETTER, 40, "BRI", {"offered_contact_details": True,
                                               "objection_until": (today - dt.timedelta(days=20)).isoformat()}),
    ):
        EpisodeStep.objects.create(episode=episode, kind=kind, occurred_on=today - dt.timedelta(days=days),
                                   channel=channel, reached=False if kind == StepKind.CONTACT_ATTEMPT else None,
                                   data=data, created_by=user)


def _signal(episode: ArrearsEpisode, agreement: MunicipalityAgreement, user) -> Signal:
    return Signal.objects.create(
        episode=episode, agreement=agreement, municipality_id=agreement.municipality_id,
        amount_cents=episode.amount_cents, arose_on=episode.arose_on,
        signal_date=timezone.localdate() - dt.timedelta(days=2), client=client_snapshot(episode), created_by=user,
    )


def arrears_world(w) -> SimpleNamespace:
    """Episodes in the world's corporation (ready for a signal, fresh, signalled, closed) and one in
    the other corporation; a rent collector per corporation, a read-only user, an importer for both."""
    reader_role, _ = Group.objects.get_or_create(name="alleen-financieel-inzien")
    reader_role.permissions.add(Permission.objects.get(codename="view_financial", content_type__app_label="arrears"))
    users = {
        "collector": make_user("incasso", w.corp, "incasso-medewerker"),
        "reader": make_user("inzien", w.corp, "alleen-financieel-inzien"),
        "importer": make_user("importeur", w.corp, "incasso-medewerker"),
        "other_collector": make_user("anderincasso", w.other_corp, "incasso-medewerker"),
    }
    Membership.objects.create(user=users["importer"], organisation=w.other_corp,
                              role=Group.objects.get(name="incasso-medewerker"))
    municipality = w.buurt.municipality
    agreements = {
        corp.pk: MunicipalityAgreement.objects.create(
            corporation=corp, municipality=municipality, valid_from=dt.date(2020, 1, 1), min_days=30,
            debt_help_name="Schuldhulp Zeist")
        for corp in (w.corp, w.other_corp)
    }
    extra_unit = Unit.objects.create(corporation=w.corp, complex=w.complex, neighbourhood=w.buurt, code="E4",
                                     street="Merelstraat", house_number=16, postcode="3701AB", city="Zeist")
    episodes = {
        "ready": _episode(w.corp, w.unit, "HO0000001", days=90, amount_cents=125_000, months="2.05"),
        "fresh": _episode(w.corp, w.unit_a, "HO0000002", days=10, amount_cents=61_245, months="1.00",
                          complete=False),
        "signalled": _episode(w.corp, w.unit_b, "HO0000003", days=120, amount_cents=90_000, months="1.47"),
        "closed": _episode(w.corp, extra_unit, "HO0000004", days=200, amount_cents=0, months="0", status="closed"),
        "elsewhere": _episode(w.other_corp, w.other_unit, "HO0000005", days=100, amount_cents=70_000, months="1.14"),
    }
    for name in ("ready", "signalled", "elsewhere"):
        _prevention_steps(episodes[name], users["collector"])
    signals = {
        "own": _signal(episodes["signalled"], agreements[w.corp.pk], users["collector"]),
        "elsewhere": _signal(episodes["elsewhere"], agreements[w.other_corp.pk], users["other_collector"]),
    }
    own = {episodes[name].pk for name in ("ready", "fresh", "signalled", "closed")}
    return SimpleNamespace(world=w, users=users, episodes=episodes, signals=signals, agreements=agreements,
                           own_ids=own, ids=sorted(e.pk for e in episodes.values()))


@pytest.fixture
def api_world(request):
    return arrears_world(request.getfixturevalue("world"))


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def logged(user, subject: str) -> list[tuple[int | None, int | None]]:
    return sorted(AccessLog.objects.filter(user=user, subject=subject).values_list("subject_id", "household_id"))


# --------------------------------------------------------------------------- reading


def test_list_shows_own_open_episodes_most_owed_first_and_logs_each_household(api_world):
    user = api_world.users["collector"]
    response = client_for(user).get(f"{BASE}episodes/")
    assert response.status_code == 200, response.content
    data = response.json()
    ready, fresh, signalled = (api_world.episodes[n] for n in ("ready", "fresh", "signalled"))
    assert [row["id"] for row in data["results"]] == [ready.pk, signalled.pk, fresh.pk]
    assert data["total"] == 3 and data["next"] is None
    first = data["results"][0]
    assert first["amount_cents"] == 125_000 and first["months"] == "2.05"
    assert first["household"] == "Huishouden HO0000001" and first["contract_number"] == "HO0000001"
    assert first["address"].startswith("Merelstraat 12") and first["municipality"] == {"code": "GM0355",
                                                                                        "name": "Zeist"}
    assert first["signal_possible"] is True and first["open_steps"] == []
    by_id = {row["id"]: row for row in data["results"]}
    assert by_id[fresh.pk]["signal_possible"] is False
    assert {"contact_attempt", "debt_help_referral", "reminder", "threshold_days", "client"} <= set(
        by_id[fresh.pk]["open_steps"])
    assert "grown" in by_id[signalled.pk]["open_steps"]
    assert logged(user, "arrears_episode") == sorted(
        (e.pk, e.tenancy.household_id) for e in (ready, fresh, signalled))


def test_list_filters_and_bad_filters(api_world):
    client = client_for(api_world.users["collector"])

    def ids(**query):
        response = client.get(f"{BASE}episodes/", query)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(status="closed") == {api_world.episodes["closed"].pk}
    assert ids(status="all") == api_world.own_ids
    assert ids(min_months="2") == {api_world.episodes["ready"].pk}
    assert ids(min_months="1.47") == {api_world.episodes["ready"].pk, api_world.episodes["signalled"].pk}
    for query in ({"status": "alle"}, {"min_months": "twee"}, {"min_months": "1e999"}, {"min_months": "nan"},
                  {"min_months": "-1"}, {"na": "bm9wZQ"}, {"na": "!!"}):
        response = client.get(f"{BASE}episodes/", query)
        assert response.status_code == 400, (query, response.content)


def test_list_pages_with_a_cursor_and_logs_only_what_is_shown(api_world, monkeypatch):
    monkeypatch.setattr(arrears_api, "PAGE_SIZE", 2)
    user = api_world.users["collector"]
    client = client_for(user)
    first = client.get(f"{BASE}episodes/").json()
    assert len(first["results"]) == 2 and first["total"] == 3 and first["next"]
    assert len(logged(user, "arrears_episode")) == 2
    second = client.get(f"{BASE}episodes/", {"na": first["next"]}).json()
    assert [row["id"] for row in second["results"]] == [api_world.episodes["fresh"].pk] and second["next"] is None
    assert len(logged(user, "arrears_episode")) == 3


def test_detail_has_steps_signals_arrangements_and_checklist_and_is_logged(api_world):
    user = api_world.users["collector"]
    episode = api_world.episodes["signalled"]
    response = client_for(user).get(f"{BASE}episodes/{episode.pk}/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert [s["kind"] for s in data["steps"]] == ["contact_attempt", "debt_help_referral", "reminder_letter"]
    assert data["steps"][0]["channel"] == "TEL" and data["steps"][0]["reached"] is False
    assert data["steps"][2]["evidence_url"] is None and data["steps"][2]["data"]["offered_contact_details"]
    assert [s["id"] for s in data["signals"]] == [str(api_world.signals["own"].public_id)]
    assert data["arrangements"] == []
    checks = {c["code"]: c for c in data["checklist"]}
    assert checks["reminder"]["ok"] is True and checks["grown"]["ok"] is False and checks["grown"]["detail"]
    assert data["signal_possible"] is False and data["open_steps"] == ["grown"]
    assert logged(user, "arrears_episode") == [(episode.pk, episode.tenancy.household_id)]


def test_reads_need_the_permission_and_stay_in_the_organisation(api_world):
    own = api_world.episodes["ready"]
    assert APIClient().get(f"{BASE}episodes/").status_code in (401, 403)
    assert APIClient().get(f"{BASE}episodes/{own.pk}/").status_code in (401, 403)
    for path in ("episodes/", f"episodes/{own.pk}/", "signals/export/"):
        assert client_for(api_world.world.staff).get(f"{BASE}{path}").status_code == 403, path
    other = client_for(api_world.users["other_collector"])
    assert other.get(f"{BASE}episodes/{own.pk}/").status_code == 404
    assert other.get(f"{BASE}episodes/999999/").status_code == 404
    assert other.get(f"{BASE}episodes/{'9' * 25}/").status_code == 404
    assert [r["id"] for r in other.get(f"{BASE}episodes/").json()["results"]] == [api_world.episodes["elsewhere"].pk]
    assert not AccessLog.objects.filter(user=api_world.users["other_collector"], household_id=own.tenancy.household_id)
    token, _ = Token.objects.get_or_create(user=api_world.users["reader"])
    response = APIClient().get(f"{BASE}episodes/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and response.json()["total"] == 3


# --------------------------------------------------------------------------- recording steps and the signal


def test_record_contact_attempt_and_note(api_world):
    user = api_world.users["collector"]
    episode = api_world.episodes["fresh"]
    client = client_for(user)
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(f"{BASE}episodes/{episode.pk}/steps/", {
        "kind": "contact_attempt", "occurred_on": yesterday, "channel": "BEZ", "reached": True, "daypart": "AVO",
        "note": "Gesproken met de huurder"}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "contact_attempt" and data["channel"] == "BEZ" and data["reached"] is True
    assert data["daypart"] == "AVO" and data["occurred_on"] == yesterday and data["created_by"]
    step = EpisodeStep.objects.get(pk=data["id"])
    assert step.episode == episode and step.created_by == user
    note = client.post(f"{BASE}episodes/{episode.pk}/steps/", {"kind": "note", "note": "Belt morgen terug"},
                       format="json")
    assert note.status_code == 201 and note.json()["occurred_on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "bailiff_handover"}, "kind"),
    ({"kind": "signal"}, "kind"),
    ({}, "kind"),
    ({"kind": "contact_attempt", "channel": "TEL"}, "reached"),
    ({"kind": "contact_attempt", "reached": False}, "channel"),
    ({"kind": "contact_attempt", "channel": "BRI", "reached": False}, "channel"),
    ({"kind": "contact_attempt", "channel": "TEL", "reached": "misschien"}, "reached"),
    ({"kind": "contact_attempt", "channel": "TEL", "reached": True, "daypart": "NACHT"}, "daypart"),
    ({"kind": "debt_help_referral", "channel": "TEL", "occurred_on": "2099-01-01"}, "occurred_on"),
    ({"kind": "debt_help_referral", "channel": "TEL", "occurred_on": "2024-02-30"}, "occurred_on"),
    ({"kind": "debt_help_referral", "channel": "TEL", "occurred_on": 20240101}, "occurred_on"),
    ({"kind": "debt_help_referral", "channel": "TEL", "occurred_on": "2000-01-01"}, "occurred_on"),
    ({"kind": "reminder_letter", "channel": "TEL"}, "channel"),
    ({"kind": "fourteen_day_letter", "occurred_on": "2099-01-01"}, "occurred_on"),
    ({"kind": "note", "note": "   "}, "note"),
    ({"kind": "note", "note": "a\x00b"}, "note"),
    ({"kind": "objection"}, "channel"),
])
def test_bad_step_input_gives_field_errors(api_world, body, field):
    episode = api_world.episodes["fresh"]
    response = client_for(api_world.users["collector"]).post(f"{BASE}episodes/{episode.pk}/steps/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not episode.steps.exists()


def test_steps_need_handle_arrears_in_the_organisation(api_world):
    body = {"kind": "note", "note": "Poging"}
    own = api_world.episodes["fresh"]
    assert client_for(api_world.users["reader"]).post(f"{BASE}episodes/{own.pk}/steps/", body,
                                               format="json").status_code == 403
    assert client_for(api_world.users["reader"]).post(f"{BASE}episodes/{own.pk}/signal/", {},
                                               format="json").status_code == 403
    assert client_for(api_world.users["other_collector"]).post(f"{BASE}episodes/{own.pk}/steps/", body,
                                                        format="json").status_code == 404
    assert APIClient().post(f"{BASE}episodes/{own.pk}/steps/", body, format="json").status_code in (401, 403)
    assert not own.steps.exists()


def test_signal_is_recorded_when_every_condition_holds(api_world):
    user = api_world.users["collector"]
    episode = api_world.episodes["ready"]
    response = client_for(user).post(f"{BASE}episodes/{episode.pk}/signal/", {"crisis": True}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    signal = Signal.objects.get(public_id=data["id"])
    assert signal.episode == episode and signal.crisis and not signal.warm_handover
    assert data["amount_cents"] == 125_000 and data["municipality"]["code"] == "GM0355"
    assert data["signal_date"] == timezone.localdate().isoformat() and data["status"] == "nog_niet_opgepakt"
    assert episode.steps.filter(kind=StepKind.SIGNAL).count() == 1


def test_refused_signal_names_the_missing_conditions(api_world):
    episode = api_world.episodes["fresh"]
    response = client_for(api_world.users["collector"]).post(f"{BASE}episodes/{episode.pk}/signal/", {}, format="json")
    assert response.status_code == 409, response.content
    blockers = response.json()["blockers"]
    assert {b["code"] for b in blockers} == {"contact_attempt", "debt_help_referral", "reminder", "offer",
                                            "threshold_days", "client"}
    assert all(b["message"] for b in blockers)
    assert not Signal.objects.filter(episode=episode).exists()
    closed = api_world.episodes["closed"]
    response = client_for(api_world.users["collector"]).post(f"{BASE}episodes/{closed.pk}/signal/", {}, format="json")
    assert response.status_code == 409 and "episode_open" in {b["code"] for b in response.json()["blockers"]}


def test_objection_through_the_api_blocks_the_signal(api_world):
    episode = api_world.episodes["ready"]
    client = client_for(api_world.users["collector"])
    objection = client.post(f"{BASE}episodes/{episode.pk}/steps/", {"kind": "objection", "channel": "TEL"},
                            format="json")
    assert objection.status_code == 201, objection.content
    response = client.post(f"{BASE}episodes/{episode.pk}/signal/", {"signal_date": timezone.localdate().isoformat()},
                           format="json")
    assert response.status_code == 409
    assert [b["code"] for b in response.json()["blockers"]] == ["no_objection"]


@pytest.mark.parametrize("body", [
    {"signal_date": "2099-12-31"}, {"signal_date": "1999-01-01"}, {"signal_date": "morgen"}, {"crisis": "soms"},
    {"warm_handover": [1]}, [1, 2], "signaal",
])
def test_bad_signal_input_is_400(api_world, body):
    episode = api_world.episodes["ready"]
    collector = client_for(api_world.users["collector"])
    response = collector.post(f"{BASE}episodes/{episode.pk}/signal/", body, format="json")
    assert response.status_code == 400, response.content
    assert not Signal.objects.filter(episode=episode).exists()


# --------------------------------------------------------------------------- ledger import


def ledger_file(*lines: str, name: str = "boekingen.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join([LEDGER_HEADER, *lines]).encode(), content_type="text/csv")


GOOD_LINES = ("L1;HO0000001;VOR;PRO;2026-01-25;2026-02-01;612,45;Huur februari",
              "L2;HO0000001;ONT;BAN;2026-02-03;;300,00;",
              "L3;HO0000002;VOR;PRO;2026-01-25;2026-02-01;612,45;")


def test_ledger_import_and_dry_run(api_world):
    client = client_for(api_world.users["collector"])
    dry = client.post(f"{BASE}ledger/", {"file": ledger_file(*GOOD_LINES), "dry_run": "true"}, format="multipart")
    assert dry.status_code == 200, dry.content
    assert dry.json() == {"dry_run": True, "lines": 3, "created": 3, "already_present": 0, "tenancies": 2,
                          "corporation": "test"}
    assert not LedgerLine.objects.exists()
    response = client.post(f"{BASE}ledger/", {"file": ledger_file(*GOOD_LINES)}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 3 and LedgerLine.objects.count() == 3
    again = client.post(f"{BASE}ledger/", {"file": ledger_file(*GOOD_LINES)}, format="multipart")
    assert again.status_code == 201 and again.json()["already_present"] == 3 and LedgerLine.objects.count() == 3


def test_bad_ledger_file_returns_line_errors_and_saves_nothing(api_world):
    lines = (*GOOD_LINES, "L4;HO0000099;VOR;PRO;2026-01-25;2026-02-01;612,45;", "L5;HO0000001;XXX;;2026-13-01;;abc;")
    response = client_for(api_world.users["collector"]).post(f"{BASE}ledger/", {"file": ledger_file(*lines)},
                                                      format="multipart")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert {e["line"] for e in errors} == {5, 6}
    assert {"contractnummer", "boekingsoort", "boekdatum", "bedrag"} <= {e["column"] for e in errors}
    assert all(e["message"] for e in errors)
    assert not LedgerLine.objects.exists()


@pytest.mark.parametrize(("content", "code"), [
    (b"", 400), (b"\xff\xfe nope", 400), (b"a;b;c\n1;2;3", 400), (b"boekingsnummer\n\"L1", 400),
    (LEDGER_HEADER.encode(), 400),  # only the header: refused, most likely the wrong export
])
def test_unreadable_or_empty_ledger_files(api_world, content, code):
    upload = SimpleUploadedFile("x.csv", content, content_type="text/csv")
    response = client_for(api_world.users["collector"]).post(f"{BASE}ledger/", {"file": upload}, format="multipart")
    assert response.status_code == code, response.content
    assert not LedgerLine.objects.exists()


def test_ledger_corporation_choice_and_permission(api_world):
    importer = client_for(api_world.users["importer"])
    response = importer.post(f"{BASE}ledger/", {"file": ledger_file(*GOOD_LINES)}, format="multipart")
    assert response.status_code == 400 and "corporation" in response.json()
    response = importer.post(f"{BASE}ledger/", {"file": ledger_file(*GOOD_LINES), "corporation": "ander"},
                             format="multipart")
    assert response.status_code == 400  # the contracts are not the other corporation's
    assert {e["column"] for e in response.json()["errors"]} == {"contractnummer"}
    response = importer.post(f"{BASE}ledger/", {"file": ledger_file(*GOOD_LINES), "corporation": "test"},
                             format="multipart")
    assert response.status_code == 201 and response.json()["corporation"] == "test"
    response = client_for(api_world.users["collector"]).post(f"{BASE}ledger/", {"file": ledger_file(*GOOD_LINES),
                                                                         "corporation": "ander"}, format="multipart")
    assert response.status_code == 400 and "corporation" in response.json()
    for user in (api_world.users["reader"], api_world.world.staff):
        assert client_for(user).post(f"{BASE}ledger/", {"file": ledger_file(*GOOD_LINES)},
                                     format="multipart").status_code == 403
    assert client_for(api_world.users["collector"]).post(f"{BASE}ledger/", {"dry_run": "true"},
                                                  format="multipart").status_code == 400
    collector = client_for(api_world.users["collector"])
    assert collector.post(f"{BASE}ledger/", {"file": "x"}, format="json").status_code == 415


# --------------------------------------------------------------------------- signals out, answers in


def test_export_json_of_own_signals_is_logged_and_marks_them_exported(api_world):
    user = api_world.users["collector"]
    client = client_for(user)
    response = client.get(f"{BASE}signals/export/", {"format": "json", "municipality": "GM0355"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json" and "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    own = api_world.signals["own"]
    assert [s["signaalId"] for s in document["vroegsignalen"]] == [str(own.public_id)]
    record = document["vroegsignalen"][0]
    assert record["huurovereenkomst"] == "HO0000003" and record["vroegsignaal"]["bedrag"] == "900.00"
    assert record["contactpogingen"][0]["soort"] == "Telefoon"
    own.refresh_from_db()
    assert own.exported_at is not None and api_world.signals["elsewhere"].exported_at is None
    assert logged(user, "arrears_signal") == [(own.pk, own.episode.tenancy.household_id)]
    assert client.get(f"{BASE}signals/export/", {"only_new": "true"}).json()["vroegsignalen"] == []
    assert client.get(f"{BASE}signals/export/", {"municipality": "GM0001"}).json()["vroegsignalen"] == []


def test_export_csv(api_world):
    response = client_for(api_world.users["reader"]).get(f"{BASE}signals/export/", {"format": "csv"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("signaal_id;signaaldatum") and "HO0000003" in text
    assert "HO0000005" not in text


@pytest.mark.parametrize("query", [{"format": "xml"}, {"municipality": "Zeist"}, {"municipality": "GM03551"},
                                   {"only_new": "misschien"}])
def test_bad_export_query_is_400_and_exports_nothing(api_world, query):
    response = client_for(api_world.users["collector"]).get(f"{BASE}signals/export/", query)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert not Signal.objects.filter(exported_at__isnull=False).exists()


def answers_file(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("antwoorden.csv", "\n".join(["signaal_id;status;datum", *lines]).encode(),
                              content_type="text/csv")


def test_answers_update_the_signal(api_world):
    own = api_world.signals["own"]
    today = timezone.localdate().isoformat()
    client = client_for(api_world.users["collector"])
    response = client.post(f"{BASE}signals/answers/", {"file": answers_file(f"{own.public_id};opgepakt;{today}")},
                           format="multipart")
    assert response.status_code == 200, response.content
    assert response.json() == {"updated": 1, "unchanged": 0}
    own.refresh_from_db()
    assert own.status == SignalStatus.PICKED_UP and own.answered_on == timezone.localdate()


def test_bad_answers_give_line_errors_and_change_nothing(api_world):
    own, elsewhere = api_world.signals["own"], api_world.signals["elsewhere"]
    today = timezone.localdate().isoformat()
    lines = (f"{own.public_id};opgepakt;{today}", f"{elsewhere.public_id};opgepakt;{today}", "nope;raar;gisteren")
    response = client_for(api_world.users["collector"]).post(f"{BASE}signals/answers/", {"file": answers_file(*lines)},
                                                      format="multipart")
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert {(e["line"], e["column"]) for e in errors} >= {(3, "signaal_id"), (4, "signaal_id"), (4, "status"),
                                                         (4, "datum")}
    own.refresh_from_db()
    assert own.status == SignalStatus.NOT_YET
    for user in (api_world.users["reader"], api_world.world.staff):  # no handle_arrears
        upload = answers_file(f"{own.public_id};opgepakt;{today}")
        assert client_for(user).post(f"{BASE}signals/answers/", {"file": upload},
                                     format="multipart").status_code == 403


# --------------------------------------------------------------------------- letters (PDF evidence)


def test_reminder_letter_keeps_the_pdf_as_evidence(api_world):
    user = api_world.users["collector"]
    episode = api_world.episodes["fresh"]
    client = client_for(user)
    response = client.post(f"{BASE}episodes/{episode.pk}/steps/", {"kind": "reminder_letter"}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "reminder_letter" and data["channel"] == "BRI" and data["data"]["objection_until"]
    assert data["evidence_url"].endswith(f"/werk/huur/bewijs/{data['id']}/") and len(data["evidence_sha256"]) == 64
    page = APIClient()
    page.force_login(user)
    download = page.get(data["evidence_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert logged(user, "arrears_evidence") == [(data["id"], episode.tenancy.household_id)]


def test_fourteen_day_letter(api_world):
    episode = api_world.episodes["ready"]
    response = client_for(api_world.users["collector"]).post(
        f"{BASE}episodes/{episode.pk}/steps/", {"kind": "fourteen_day_letter", "channel": "EMA"}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["channel"] == "EMA" and data["data"]["deadline"] and data["evidence_url"]
    closed = api_world.episodes["closed"]
    response = client_for(api_world.users["collector"]).post(f"{BASE}episodes/{closed.pk}/steps/",
                                                      {"kind": "reminder_letter"}, format="json")
    assert response.status_code == 409 and [b["code"] for b in response.json()["blockers"]] == ["episode_open"]
