"""The staff pages: who may see what, every read of financial data logged, steps through the forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from wijkpunt.core.models import AccessLog

from ..models import MunicipalityAgreement, Signal, StepKind
from .test_rules import _signalled

TODAY = timezone.localdate


def login(client, user):
    client.force_login(user)
    return client


def test_collection_staff_see_the_list_and_every_household_shown_is_logged(client, aw):
    login(client, aw.incasso)
    response = client.get(reverse("arrears:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Fam. Jansen" in body and "Fam. Özdemir" in body and "Fam. Bakker" not in body  # other corporation
    logged = set(AccessLog.objects.filter(user=aw.incasso).values_list("household_id", flat=True))
    assert logged == {aw.tenancy.household_id, aw.tenancy_bunnik.household_id}


@pytest.mark.parametrize("who", ["staff", "partner", "manager", "admin"])
def test_roles_without_financial_need_get_403_and_leave_no_log(client, aw, who):
    login(client, getattr(aw, who))
    assert client.get(reverse("arrears:list")).status_code == 403
    assert client.get(reverse("arrears:episode", args=[aw.episode.pk])).status_code == 404
    assert client.get(reverse("arrears:signals")).status_code == 403
    assert not AccessLog.objects.exists()


def test_anonymous_is_sent_to_login(client, aw):
    response = client.get(reverse("arrears:episode", args=[aw.episode.pk]))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_other_corporations_episode_is_404(client, aw):
    login(client, aw.incasso)
    assert client.get(reverse("arrears:episode", args=[aw.other_episode.pk])).status_code == 404
    assert not AccessLog.objects.filter(household_id=aw.other_tenancy.household_id).exists()


def test_episode_page_shows_the_checklist_and_logs_the_read(client, aw):
    login(client, aw.regisseur)
    response = client.get(reverse("arrears:episode", args=[aw.episode.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-code="contact_attempt" data-ok="0"' in body and 'data-code="agreement" data-ok="1"' in body
    assert 'data-testid="signal-not-ready"' in body
    log = AccessLog.objects.get(user=aw.regisseur)
    assert (log.household_id, log.subject, log.subject_id) == (aw.tenancy.household_id, "arrears_episode",
                                                              aw.episode.pk)


def test_the_staff_path_through_the_forms_to_a_signal(client, aw):
    login(client, aw.incasso)
    step = reverse("arrears:step", args=[aw.episode.pk, "contact"])
    past = (TODAY() - dt.timedelta(days=45)).isoformat()
    response = client.post(step, {"occurred_on": past, "channel": "TEL", "reached": "0", "daypart": "OCH"})
    assert response.status_code == 302
    client.post(reverse("arrears:step", args=[aw.episode.pk, "schuldhulp"]), {"occurred_on": past, "channel": "TEL"})
    client.post(reverse("arrears:step", args=[aw.episode.pk, "herinnering"]),
                {"sent_on": (TODAY() - dt.timedelta(days=40)).isoformat(), "channel": "BRI"})
    page = client.get(reverse("arrears:episode", args=[aw.episode.pk])).content.decode()
    assert 'data-testid="form-signaal"' in page
    response = client.post(reverse("arrears:step", args=[aw.episode.pk, "signaal"]),
                           {"signal_date": TODAY().isoformat(), "warm_handover": "on"})
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert signal.warm_handover and signal.created_by == aw.incasso
    evidence = aw.episode.steps.get(kind=StepKind.REMINDER_LETTER)
    pdf = client.get(reverse("arrears:evidence", args=[evidence.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert AccessLog.objects.filter(subject="arrears_evidence", subject_id=evidence.pk).exists()


def test_refused_signal_says_what_is_missing(client, aw):
    login(client, aw.incasso)
    response = client.post(reverse("arrears:step", args=[aw.episode.pk, "signaal"]),
                           {"signal_date": TODAY().isoformat()})
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-testid="refused"' in body and 'data-code="contact_attempt"' in body
    assert not Signal.objects.exists()


def test_bad_step_input_gives_field_errors_and_saves_nothing(client, aw):
    login(client, aw.incasso)
    url = reverse("arrears:step", args=[aw.episode.pk, "contact"])
    response = client.post(url, {"occurred_on": "31-02-2026", "channel": "FAX", "reached": "x"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vul een geldige datum in" in body and 'id="foutmeldingen"' in body
    future = (TODAY() + dt.timedelta(days=3)).isoformat()
    response = client.post(url, {"occurred_on": future, "channel": "TEL", "reached": "1"})
    assert response.status_code == 400 and "toekomst" in response.content.decode()
    assert client.post(reverse("arrears:step", args=[aw.episode.pk, "onbekend"]), {}).status_code == 403
    assert not aw.episode.steps.exists()


def test_regisseur_may_record_but_a_viewer_without_handle_may_not(client, aw):
    from django.contrib.auth.models import Permission

    group = aw.incasso.memberships.get().role
    group.permissions.remove(Permission.objects.get(codename="handle_arrears"))
    login(client, aw.incasso)
    response = client.post(reverse("arrears:step", args=[aw.episode.pk, "notitie"]),
                           {"occurred_on": TODAY().isoformat(), "note": "Gebeld"})
    assert response.status_code == 403 and not aw.episode.steps.exists()


def test_signals_export_is_logged_and_marks_exported(client, aw):
    signal = _signalled(aw)
    login(client, aw.incasso)
    page = client.get(reverse("arrears:signals"))
    assert page.status_code == 200 and str(signal.public_id) in page.content.decode()
    response = client.get(reverse("arrears:signal_export") + "?formaat=json&gemeente=GM0355")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert b'"achternaam": "Jansen"' in response.content
    signal.refresh_from_db()
    assert signal.exported_at is not None
    assert AccessLog.objects.filter(subject="arrears_signal", purpose__contains="json").count() == 1
    assert client.get(reverse("arrears:signal_export") + "?formaat=xml").status_code == 404


def test_answer_by_hand_and_bad_answer_file(client, aw):
    signal = _signalled(aw)
    login(client, aw.incasso)
    response = client.post(reverse("arrears:signal_answer", args=[signal.pk]),
                           {"status": "opgepakt", "answered_on": TODAY().isoformat()})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == "opgepakt"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("antwoord.csv", b"signaal_id;status\nx;y\n", content_type="text/csv")
    response = client.post(reverse("arrears:answer_import"), {"file": upload})
    assert response.status_code == 400 and "ontbreekt" in response.content.decode()


def test_agreements_managed_by_the_administrator_with_overlap_check(client, aw):
    login(client, aw.admin)
    assert client.get(reverse("arrears:agreements")).status_code == 200
    data = {"municipality": aw.zeist.pk, "valid_from": "2024-01-01", "valid_until": "", "min_days": "30",
            "objection_days": "14", "min_amount": "250,00", "contact_email": "", "debt_help_name": "",
            "debt_help_phone": "", "debt_help_url": ""}
    response = client.post(reverse("arrears:agreement_create"), data)
    assert response.status_code == 400 and "overlapt" in response.content.decode()
    data["municipality"] = aw.bunnik.pk
    assert client.post(reverse("arrears:agreement_create"), data).status_code == 302
    created = MunicipalityAgreement.objects.get(municipality=aw.bunnik)
    assert created.corporation == aw.corp and created.min_amount_cents == 25000
    login(client, aw.incasso)
    assert client.get(reverse("arrears:agreement_create")).status_code == 403
