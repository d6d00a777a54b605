"""Ken uw huurder: which households appear and why, who may look, the access log, and opening a case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wijkpunt.arrears import picture
from wijkpunt.cases.models import Case, ConsultantArea
from wijkpunt.cases.tests.factories import (
    build_world,
    days_ago,
    make_episode,
    make_home,
    make_report,
    make_user,
)
from wijkpunt.core.models import AccessLog, Membership, OutboxMessage

URL = "/werk/huur/ken-uw-huurder/"


@pytest.fixture
def w(db):
    return build_world()


def login(client, user) -> Client:
    client.force_login(user)
    return client


def rows_for(user, **kwargs) -> dict[str, picture.HouseholdSignals]:
    kwargs.setdefault("purpose", "test")
    return {r.household.name: r for r in picture.household_picture(user, **kwargs)}


def open_case_url(tenancy) -> str:
    return reverse("arrears:open_case", args=[tenancy.household_id])


@pytest.fixture
def met(w):
    """Jansen: arrears + two nuisance reports. Visser: welfare concern + a volunteer's observation.
    Bakker: nuisance only (one kind: not shown)."""
    make_episode(w.jansen, amount_cents=123456, months="2.06", arose_on=dt.date(2026, 8, 3),
                 opened_on=timezone.localdate() - dt.timedelta(days=20))
    make_report(w.jansen, "geluid", at=days_ago(40))
    make_report(w.jansen, "agressie-intimidatie", at=days_ago(10))
    make_report(w.visser, "niet-gezien", at=days_ago(3))
    make_report(w.visser, "eenzaamheid", at=days_ago(30), channel="BEZ", user=w.volunteer)
    make_report(w.bakker, "geluid", at=days_ago(2))
    make_report(w.bakker, "stank", at=days_ago(4))
    return w


# --------------------------------------------------------------------------- who appears, and why


def test_households_where_two_kinds_meet_are_shown_with_reasons_in_words(met):
    rows = rows_for(met.regisseur)
    assert set(rows) == {"Familie Jansen", "Familie Visser"}
    jansen = rows["Familie Jansen"]
    assert jansen.kinds == ["arrears", "nuisance"]
    assert jansen.reasons[0] == "Huurachterstand €\u00a01.234,56 (2,1 maanden huur) sinds 03-08-2026"
    first = timezone.localtime(days_ago(40)).strftime("%d-%m-%Y")
    assert jansen.reasons[1] == f"2 overlastmeldingen (agressie en intimidatie, geluidsoverlast) sinds {first}"
    visser = rows["Familie Visser"]
    assert visser.kinds == ["welfare", "observation"]
    assert visser.reasons[0] == f"Zorgsignaal: bewoner al dagen niet gezien ({days_ago(3):%d-%m-%Y})"
    assert visser.reasons[1] == f"Observatie Bewonerskracht: eenzaamheid ({days_ago(30):%d-%m-%Y})"
    assert not hasattr(visser, "score")


def test_most_recent_signal_first(met):
    names = [r.household.name for r in picture.household_picture(met.regisseur, purpose="test")]
    assert names == ["Familie Visser", "Familie Jansen"]  # 3 days ago before 10 days ago


def test_reports_count_only_inside_the_window(w):
    make_episode(w.bakker)
    make_report(w.bakker, "geluid", at=days_ago(400))
    assert rows_for(w.regisseur, months=12) == {}
    assert "Familie Bakker" in rows_for(w.regisseur, months=24)


def test_cancelled_merged_and_previous_tenants_reports_do_not_count(w):
    make_episode(w.bakker)
    make_report(w.bakker, "geluid", status="geannuleerd")
    make_report(w.bakker, "drugs", status="samengevoegd")
    assert rows_for(w.regisseur) == {}
    # A new household moved in 10 days ago: the report from before belongs to the previous one.
    w.bakker.end_date = timezone.localdate() - dt.timedelta(days=11)
    w.bakker.save()
    newcomer = make_home(w.corp, w.vogelwijk, "Merelstraat", 99, "3701AC", "Zeist", "Familie Nieuw",
                         start=timezone.localdate() - dt.timedelta(days=10))
    newcomer.unit_id = w.bakker.unit_id
    newcomer.save()
    make_report(newcomer, "geluid", at=days_ago(20))
    make_report(newcomer, "niet-gezien", at=days_ago(1))
    assert rows_for(w.regisseur) == {}  # one report after moving in, and the old episode's tenancy ended
    make_report(newcomer, "eenzaamheid", at=days_ago(1), channel="BEZ")
    assert set(rows_for(w.regisseur)) == {"Familie Nieuw"}


def test_one_volunteer_report_is_one_signal_whatever_its_category(w):
    make_report(w.bakker, "geluid", channel="BEZ", user=w.volunteer)
    assert rows_for(w.regisseur) == {}
    make_report(w.bakker, "geluid")
    row = rows_for(w.regisseur)["Familie Bakker"]
    assert row.kinds == ["nuisance", "observation"]
    assert row.reasons[1].startswith("Observatie Bewonerskracht: geluidsoverlast (")


def test_repeated_welfare_concerns_are_counted_in_words(w):
    make_episode(w.visser, amount_cents=50000, months="0.83")
    make_report(w.visser, "eenzaamheid", at=days_ago(9))
    make_report(w.visser, "eenzaamheid", at=days_ago(2))
    row = rows_for(w.regisseur)["Familie Visser"]
    assert row.reasons[1] == f"Zorgsignalen: 2× eenzaamheid (laatst {days_ago(2):%d-%m-%Y})"


def test_filters_neighbourhood_and_kinds(met):
    assert set(rows_for(met.regisseur, neighbourhood_id=met.bomen.pk)) == {"Familie Visser"}
    assert set(rows_for(met.regisseur, neighbourhood_id=met.lombok.pk)) == set()
    assert set(rows_for(met.regisseur, kinds=["arrears"])) == {"Familie Jansen"}
    assert set(rows_for(met.regisseur, kinds=["welfare", "observation"])) == {"Familie Visser"}
    assert set(rows_for(met.regisseur, kinds=["bogus"])) == {"Familie Jansen", "Familie Visser"}


def test_other_corporations_households_are_not_shown(met):
    make_episode(met.elders)
    make_report(met.elders, "geluid")
    assert set(rows_for(met.regisseur)) == {"Familie Jansen", "Familie Visser"}
    assert set(rows_for(met.other_regisseur)) == {"Familie Elders"}


def test_bounded_number_of_queries(w):
    numbers = iter(range(1, 100))

    def add(n: int) -> None:
        for _i in range(n):
            number = next(numbers)
            tenancy = make_home(w.corp, w.vogelwijk, "Vinkstraat", number, "3703ZZ", "Zeist", f"Huishouden {number}")
            make_episode(tenancy)
            make_report(tenancy, "geluid")
            make_report(tenancy, "eenzaamheid", channel="BEZ")

    add(2)
    picture.household_picture(w.regisseur, purpose="test")  # the permission lookup is cached per user
    with CaptureQueriesContext(connection) as few:
        assert len(picture.household_picture(w.regisseur, purpose="test")) == 2
    add(8)
    with CaptureQueriesContext(connection) as many:
        assert len(picture.household_picture(w.regisseur, purpose="test")) == 10
    assert len(many) == len(few) <= 8


# --------------------------------------------------------------------------- the page, access and the log


def test_page_shows_rows_and_logs_one_read_per_household(client, met):
    response = login(client, met.regisseur).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Familie Jansen" in body and "Familie Visser" in body and "Familie Bakker" not in body
    assert "€\u00a01.234,56" in body
    logs = AccessLog.objects.filter(subject="household_picture")
    assert sorted(logs.values_list("household_id", flat=True)) == sorted(
        [met.jansen.household_id, met.visser.household_id])
    assert {(log.user_id, log.organisation_id, log.purpose) for log in logs} == {
        (met.regisseur.pk, met.corp.pk, "Ken uw huurder")}


@pytest.mark.parametrize("who", ["staff", "partner", "consultant", "manager", "admin", "nobody"])
def test_forbidden_without_view_financial_and_nothing_logged(client, met, who):
    response = login(client, getattr(met, who)).get(URL)
    assert response.status_code == 403
    assert not AccessLog.objects.exists()


def test_anonymous_is_sent_to_login(client, met):
    response = client.get(URL)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("query", [
    "maanden=abc", "maanden=-3", "maanden=99999999999999999999", "maanden=0", "buurt=xyz", "buurt=-1",
    "buurt=99999999999999999999999999", "buurt=9223372036854775807", "soort=bogus&soort=arrears",
    "soort=", "maanden=%00", "buurt=%F0%9F%98%80",
])
def test_bad_filter_values_never_fail(client, met, query):
    response = login(client, met.regisseur).get(f"{URL}?{query}")
    assert response.status_code == 200


def test_page_filters_by_neighbourhood(client, met):
    body = login(client, met.regisseur).get(f"{URL}?buurt={met.bomen.pk}").content.decode()
    assert "Familie Visser" in body and "Familie Jansen" not in body


# --------------------------------------------------------------------------- opening a case


def test_open_case_copies_the_reasons_and_mails_the_consultant_without_amounts(
        client, met, django_capture_on_commit_callbacks):
    login(client, met.regisseur)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(open_case_url(met.jansen), {"assigned_to": met.consultant.pk, "maanden": "12"})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.organisation == met.corp and case.household_id == met.jansen.household_id
    assert case.assigned_to == met.consultant and case.opened_by == met.regisseur
    assert case.reasons == rows_for(met.regisseur)["Familie Jansen"].reasons
    assert case.title == "Familie Jansen — Merelstraat 12, 3701 AB Zeist"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [met.consultant.email]
    assert case.reference in message.body and f"/werk/casussen/{case.pk}/" in message.body
    # Link only: the lead may be a partner professional who has no consent for the person yet.
    for secret in ("€", "1.234", "1234", "achterstand", "overlast", "jansen", "merelstraat"):
        assert secret not in message.body.lower() and secret not in message.subject.lower()
    assert OutboxMessage.objects.get().idempotency_key == f"case-{case.pk}-opened"


def test_second_click_shows_the_existing_case(client, met, django_capture_on_commit_callbacks):
    login(client, met.regisseur)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(open_case_url(met.jansen), {"assigned_to": met.consultant.pk})
        response = client.post(open_case_url(met.jansen), {"assigned_to": met.consultant2.pk})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.assigned_to == met.consultant
    assert len(mail.outbox) == 1
    page = client.get(URL).content.decode()
    assert "Casus loopt" in page


def test_collections_officer_opens_a_case_and_returns_to_the_picture(client, met):
    response = login(client, met.incasso).post(open_case_url(met.visser), {"assigned_to": met.consultant2.pk})
    assert response.status_code == 302 and response["Location"] == URL
    assert Case.objects.get().assigned_to == met.consultant2
    # A second click: no duplicate, back to the page with a message (the officer cannot open cases).
    response = client.post(open_case_url(met.visser), {"assigned_to": met.consultant.pk}, follow=True)
    assert Case.objects.count() == 1
    assert "Er loopt al een casus" in response.content.decode()


def test_consultant_of_the_neighbourhood_is_preselected(client, met):
    ConsultantArea.objects.create(organisation=met.corp, neighbourhood=met.vogelwijk, consultant=met.consultant2)
    body = login(client, met.regisseur).get(URL).content.decode()
    jansen_form = body[body.index(f'id="consultant-{met.jansen.household_id}"'):]
    jansen_form = jansen_form[:jansen_form.index("</select>")]
    assert f'<option value="{met.consultant2.pk}" selected>' in jansen_form
    assert 'value=""' not in jansen_form
    visser_form = body[body.index(f'id="consultant-{met.visser.household_id}"'):]
    visser_form = visser_form[:visser_form.index("</select>")]
    assert '<option value="">' in visser_form and " selected" not in visser_form


def test_without_a_consultant_the_form_asks_for_one(client, met):
    response = login(client, met.regisseur).post(open_case_url(met.jansen), {"maanden": "12"})
    assert response.status_code == 400
    assert "Kies de wijkconsulent die de casus krijgt." in response.content.decode()
    assert not Case.objects.exists()
    response = client.post(open_case_url(met.jansen), {"assigned_to": met.other_consultant.pk})
    assert response.status_code == 400 and not Case.objects.exists()
    response = client.post(open_case_url(met.jansen), {"assigned_to": "abc"})
    assert response.status_code == 400 and not Case.objects.exists()


def test_open_case_forbidden_paths(client, met):
    url = open_case_url(met.jansen)
    for who in ("staff", "consultant", "partner", "manager", "nobody"):
        client.logout()
        assert login(client, getattr(met, who)).post(url, {"assigned_to": met.consultant.pk}).status_code == 403
    client.logout()
    login(client, met.regisseur)
    assert client.get(url).status_code == 405
    assert client.post(open_case_url(met.elders), {"assigned_to": met.consultant.pk}).status_code == 404
    assert client.post("/werk/huur/ken-uw-huurder/999999/casus/", {}).status_code == 404
    response = client.post(open_case_url(met.bakker), {"assigned_to": met.consultant.pk}, follow=True)
    assert "komen de signalen niet (meer) samen" in response.content.decode()
    assert not Case.objects.exists()
    assert not AccessLog.objects.filter(subject="household_picture").exclude(user=met.regisseur).exists()


def test_open_case_needs_a_csrf_token(met):
    client = Client(enforce_csrf_checks=True)
    login(client, met.regisseur)
    response = client.post(open_case_url(met.jansen), {"assigned_to": met.consultant.pk})
    assert response.status_code == 403 and not Case.objects.exists()


def test_viewing_without_open_case_shows_no_button_and_cannot_post(client, met):
    role = Group.objects.create(name="alleen-inzien")
    role.permissions.add(Permission.objects.get(content_type__app_label="arrears", codename="view_financial"))
    user = make_user("lezer", None, None)
    Membership.objects.create(user=user, organisation=met.corp, role=role)
    body = login(client, user).get(URL).content.decode()
    assert "Familie Jansen" in body and 'data-testid="open-case-form"' not in body
    assert "geen wijkconsulent beschikbaar" not in body
    assert client.post(open_case_url(met.jansen), {"assigned_to": met.consultant.pk}).status_code == 403
    assert not Case.objects.exists()
