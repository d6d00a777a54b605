"""Retention of closed cases: anonymise or delete per rule, default setting, legal holds, files."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from wijkpunt.cases import retention
from wijkpunt.cases.models import (
    Case,
    CaseAction,
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseParticipant,
    CaseType,
    Consent,
    EmergencyDisclosure,
    RetentionRule,
)
from wijkpunt.core.models import AccessLog
from wijkpunt.reports.models import Report

from .factories import build_world, make_episode, make_report

TODAY = dt.date(2030, 6, 1)


@pytest.fixture
def w(db):
    return build_world()


def closed_case(w, tenancy=None, *, closed_days_ago: int, case_type: str = CaseType.SOC, hold: bool = False,
                status: str = Case.Status.CLOSED, with_file: bool = True) -> Case:
    """A case with one of everything under it, closed ``closed_days_ago`` days before TODAY."""
    tenancy = tenancy or w.jansen
    closed_on = TODAY - dt.timedelta(days=closed_days_ago) if status == Case.Status.CLOSED else None
    case = Case.objects.create(
        organisation=w.corp, household=tenancy.household, unit=tenancy.unit, neighbourhood=tenancy.unit.neighbourhood,
        title=f"{tenancy.household.name} — {tenancy.unit.address}", case_type=case_type, reasons=["Huurachterstand"],
        summary="Situatie", care_details="Depressie", debt_details="Schuld bij energiebedrijf", status=status,
        closed_on=closed_on, steering_question="Wie neemt de regie?", legal_hold=hold,
        legal_hold_reason="Rechtszaak" if hold else "", assigned_to=w.consultant,
    )
    CaseNote.objects.create(case=case, author=w.consultant, organisation=w.corp, text="Gesprek gehad over zorg")
    CaseParticipant.objects.create(case=case, organisation=w.wijkteam, request="Kunnen jullie langsgaan?",
                                   decline_reason="", invited_by=w.regisseur)
    CaseAction.objects.create(case=case, title="Huisbezoek plannen bij Jansen", owner_organisation=w.corp,
                              owner=w.consultant)
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.OPENED, text="Casus geopend voor Jansen",
                             organisation=w.corp)
    document = None
    if with_file:
        document = CaseDocument(case=case, title="Toestemmingsformulier", content_type="application/pdf", size=9,
                                is_consent_form=True, organisation=w.corp, uploaded_by=w.consultant)
        document.file.save("toestemming.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    Consent.objects.create(case=case, organisation=w.wijkteam, categories=["persoon", "zorg"], purpose="Hulp",
                           given_by="J. Jansen", method=Consent.Method.SIGNED_FORM, form_document=document,
                           valid_from=TODAY - dt.timedelta(days=900))
    EmergencyDisclosure.objects.create(case=case, organisation=w.wijkteam, categories=["zorg"],
                                       ground=EmergencyDisclosure.Ground.VITAL_INTEREST, reasoning="Acuut gevaar",
                                       valid_until=timezone.now(), decided_by=w.regisseur)
    case.reports.add(make_report(tenancy, "geluid"))
    case.episodes.add(make_episode(tenancy, status="closed", closed_on=TODAY - dt.timedelta(days=800)))
    return case


def purge(**kwargs):
    return retention.purge_cases(today=TODAY, **kwargs)


def test_default_period_anonymises(w, settings, django_capture_on_commit_callbacks):
    settings.CASE_RETENTION_DAYS = 730
    due = closed_case(w, closed_days_ago=730)
    not_yet = closed_case(w, w.bakker, closed_days_ago=729)
    path = due.documents.get().file.name
    assert default_storage.exists(path)
    AccessLog.objects.create(user=w.consultant, organisation=w.corp, household_id=due.household_id, subject="case",
                             subject_id=due.pk, purpose="Casus")

    with django_capture_on_commit_callbacks(execute=True):
        result = purge()

    assert result == {"anonymised": 1, "deleted": 0, "files": 1, "held": 0, "skipped": 0}
    due.refresh_from_db()
    assert due.anonymised_at is not None
    assert (due.household_id, due.unit_id, due.complex_id) == (None, None, None)
    assert due.title == "Geanonimiseerde casus" and due.reasons == []
    assert due.summary == due.care_details == due.debt_details == due.steering_question == ""
    # Kept for the figures.
    assert due.organisation_id == w.corp.pk and due.case_type == CaseType.SOC and due.status == Case.Status.CLOSED
    assert due.neighbourhood_id == w.jansen.unit.neighbourhood_id and due.closed_on == TODAY - dt.timedelta(days=730)
    assert not due.reports.exists() and not due.episodes.exists()
    assert Report.objects.count() == 2  # the reports themselves stay
    assert not CaseNote.objects.filter(case=due).exists()
    assert not CaseDocument.objects.filter(case=due).exists()
    assert not Consent.objects.filter(case=due).exists()
    assert not EmergencyDisclosure.objects.filter(case=due).exists()
    participant = CaseParticipant.objects.get(case=due)
    assert participant.organisation_id == w.wijkteam.pk and participant.request == "" and participant.decline_reason == ""
    assert list(CaseAction.objects.filter(case=due).values_list("title", flat=True)) == ["—"]
    assert list(CaseEvent.objects.filter(case=due).values_list("text", flat=True)) == ["—"]
    assert not default_storage.exists(path)
    # The access log follows its own retention.
    assert AccessLog.objects.filter(subject_id=due.pk).count() == 1
    # Not yet due: untouched.
    not_yet.refresh_from_db()
    assert not_yet.anonymised_at is None and not_yet.household_id == w.bakker.household_id
    assert CaseNote.objects.filter(case=not_yet).exists()


def test_setting_changes_the_default(w, settings):
    settings.CASE_RETENTION_DAYS = 100
    case = closed_case(w, closed_days_ago=100, with_file=False)
    assert purge()["anonymised"] == 1
    case.refresh_from_db()
    assert case.anonymised_at is not None


def test_rule_per_case_type_deletes(w, settings, django_capture_on_commit_callbacks):
    settings.CASE_RETENTION_DAYS = 730
    RetentionRule.objects.create(organisation=w.corp, case_type=CaseType.OMG, days_after_closing=365,
                                 action=RetentionRule.Action.DELETE)
    deleted = closed_case(w, closed_days_ago=365, case_type=CaseType.OMG)
    other_type = closed_case(w, w.bakker, closed_days_ago=365, case_type=CaseType.SOC)
    path = deleted.documents.get().file.name
    report_ids = list(deleted.reports.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        result = purge()

    assert result == {"anonymised": 0, "deleted": 1, "files": 1, "held": 0, "skipped": 0}
    assert not Case.objects.filter(pk=deleted.pk).exists()
    for model in (CaseNote, CaseParticipant, CaseAction, CaseEvent, CaseDocument, Consent, EmergencyDisclosure):
        assert not model.objects.filter(case_id=deleted.pk).exists(), model
    assert Report.objects.filter(pk__in=report_ids).count() == 1
    assert not default_storage.exists(path)
    # SOC still has the default 730 days.
    other_type.refresh_from_db()
    assert other_type.anonymised_at is None


def test_rule_of_another_organisation_does_not_apply(w, settings):
    settings.CASE_RETENTION_DAYS = 730
    RetentionRule.objects.create(organisation=w.other_corp, case_type=CaseType.SOC, days_after_closing=30,
                                 action=RetentionRule.Action.DELETE)
    case = closed_case(w, closed_days_ago=400, with_file=False)
    assert purge() == {"anonymised": 0, "deleted": 0, "files": 0, "held": 0, "skipped": 0}
    assert Case.objects.filter(pk=case.pk, anonymised_at__isnull=True).exists()


def test_legal_hold_stops_it_until_lifted(w, settings):
    settings.CASE_RETENTION_DAYS = 730
    case = closed_case(w, closed_days_ago=2000, hold=True, with_file=False)
    assert purge() == {"anonymised": 0, "deleted": 0, "files": 0, "held": 1, "skipped": 0}
    case.refresh_from_db()
    assert case.anonymised_at is None and case.care_details == "Depressie"

    Case.objects.filter(pk=case.pk).update(legal_hold=False, legal_hold_reason="")
    assert purge()["anonymised"] == 1
    case.refresh_from_db()
    assert case.anonymised_at is not None and case.care_details == ""


def test_hold_set_while_the_run_is_busy_wins(w, settings):
    settings.CASE_RETENTION_DAYS = 730
    case = closed_case(w, closed_days_ago=800, with_file=False)
    Case.objects.filter(pk=case.pk).update(legal_hold=True)
    assert retention.anonymise_case(case.pk) is None
    assert retention.delete_case(case.pk) is None
    case.refresh_from_db()
    assert case.anonymised_at is None and case.summary == "Situatie"


def test_open_case_untouched(w, settings):
    settings.CASE_RETENTION_DAYS = 30
    case = closed_case(w, status=Case.Status.OPEN, closed_days_ago=0, with_file=False)
    assert purge()["anonymised"] == 0
    case.refresh_from_db()
    assert case.anonymised_at is None and case.household_id


def test_second_run_is_idempotent(w, settings, django_capture_on_commit_callbacks):
    settings.CASE_RETENTION_DAYS = 730
    RetentionRule.objects.create(organisation=w.corp, case_type=CaseType.OMG, days_after_closing=365,
                                 action=RetentionRule.Action.DELETE)
    anonymised = closed_case(w, closed_days_ago=800)
    closed_case(w, w.bakker, closed_days_ago=400, case_type=CaseType.OMG)
    with django_capture_on_commit_callbacks(execute=True):
        first = purge()
    assert (first["anonymised"], first["deleted"], first["files"]) == (1, 1, 2)
    stamp = Case.objects.get(pk=anonymised.pk).anonymised_at
    with django_capture_on_commit_callbacks(execute=True):
        assert purge() == {"anonymised": 0, "deleted": 0, "files": 0, "held": 0, "skipped": 0}
    assert Case.objects.get(pk=anonymised.pk).anonymised_at == stamp
    assert Case.objects.count() == 1


def test_subject_constraint_still_holds(w, settings):
    settings.CASE_RETENTION_DAYS = 730
    case = closed_case(w, closed_days_ago=800, with_file=False)
    purge()
    # Anonymised: no subject, allowed because anonymised_at is set ...
    assert Case.objects.filter(pk=case.pk, household__isnull=True, unit__isnull=True, complex__isnull=True,
                               anonymised_at__isnull=False).exists()
    # ... and the database still refuses a case without subject that is not anonymised.
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(anonymised_at=None)


def test_auditlog_text_is_scrubbed(w, settings):
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    settings.CASE_RETENTION_DAYS = 730
    case = closed_case(w, closed_days_ago=800, with_file=False)
    case.assigned_to = w.consultant2
    case.save()  # an audited change: its entry names the case by reference, never by household
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_pk=str(case.pk))
    assert entries.exists() and not entries.filter(object_repr__contains="Jansen").exists()
    assert entries.filter(object_repr=case.reference).exists()
    # Entries written before case names stopped carrying the title are scrubbed by the purge.
    entries.update(object_repr=f"Familie Jansen {case.reference}")
    purge()
    assert entries.exists() and not entries.filter(object_repr__contains="Jansen").exists()


def test_dry_run_changes_nothing_and_command_reports(w, settings, django_capture_on_commit_callbacks):
    settings.CASE_RETENTION_DAYS = 730
    case = closed_case(w, closed_days_ago=800)
    held = closed_case(w, w.bakker, closed_days_ago=800, hold=True, with_file=False)
    assert purge(dry_run=True) == {"anonymised": 1, "deleted": 0, "files": 1, "held": 1, "skipped": 0}
    out = StringIO()
    call_command("cases_purge", "--dry-run", "--today", TODAY.isoformat(), stdout=out)
    text = out.getvalue()
    assert f"{case.reference}" in text and "anonimiseren" in text
    assert f"{held.reference}" in text and "bewaarplicht" in text and "Proefdraai" in text
    case.refresh_from_db()
    assert case.anonymised_at is None and CaseNote.objects.filter(case=case).exists()

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("cases_purge", "--today", TODAY.isoformat(), stdout=out)
    assert "1 geanonimiseerd" in out.getvalue()
    case.refresh_from_db()
    assert case.anonymised_at is not None


def test_periodic_task_is_registered(w, settings):
    from huey.contrib.djhuey import HUEY

    from wijkpunt.cases import tasks

    settings.CASE_RETENTION_DAYS = 1
    assert any(t.__name__.endswith("purge_expired_cases") for t in HUEY._registry._periodic_tasks)
    assert tasks.purge_expired_cases.task_class().validate_datetime(dt.datetime(2030, 1, 1, 3, 30))
    assert not tasks.purge_expired_cases.task_class().validate_datetime(dt.datetime(2030, 1, 1, 3, 15))
    case = closed_case(w, closed_days_ago=0, with_file=False)
    Case.objects.filter(pk=case.pk).update(closed_on=timezone.localdate() - dt.timedelta(days=1))
    result = tasks.purge_expired_cases.call_local()
    assert result["anonymised"] == 1
