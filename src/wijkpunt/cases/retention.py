"""Retention of cases (AVG art. 5(1)(e)): a closed case is anonymised or deleted after a period.

The period and the action come from the corporation's ``RetentionRule`` for the case type, or
else from ``settings.CASE_RETENTION_DAYS`` (default 730 days) with the action *anonymise*. A case
is due when ``closed_on + days <= today``. A case under a legal hold (``legal_hold=True``) is never
touched; once the hold is lifted the next run handles it.

- **delete**: the case and everything under it (notes, participants, consents, emergency
  disclosures, actions, documents and their files, events); the links to reports and arrears
  episodes are removed, the reports and episodes themselves stay (they have their own retention).
- **anonymise**: the row stays for the figures (organisation, case type and detail, neighbourhood,
  source, status and dates, who handled it); household, address and complex are cleared, the
  title becomes "Geanonimiseerde casus", reasons and all free text are emptied, the links to
  reports and episodes are removed; notes, documents (and files), consents and disclosures are
  deleted; participants keep organisation, role, status and dates (their free text is emptied);
  actions keep owner organisation, dates and status (the title becomes "—"); events keep kind,
  organisation and time (the text becomes "—"); steering agenda items keep their meeting (question
  emptied, decision "—"). ``anonymised_at`` is set, which also satisfies
  the ``case_has_subject`` check constraint.

Append-only rows (``CaseEvent``, ``CaseNote``) refuse ``save()`` on an existing row. Retention is
the one exception that may change or delete them: it does so with queryset ``update()`` and
``delete()``, which do not go through ``save()``. Nothing else should.

The audit log (django-auditlog) keeps the status/assignee history of a case; its entries carry the
case title as text, so retention replaces that text too (and records no new entry for itself).
Access-log rows (``core.AccessLog``) are not touched here: they follow
``ACCESS_LOG_RETENTION_DAYS`` (``arrears/retention.py``).

One transaction per case, files removed after commit; running again does nothing new.
Runs nightly at 03:30 (``tasks.py``) and from ``manage.py cases_purge [--dry-run]``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .models import (
    Case,
    CaseAction,
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseParticipant,
    Consent,
    EmergencyDisclosure,
    RetentionRule,
)

logger = logging.getLogger(__name__)

ANONYMISED_TITLE = "Geanonimiseerde casus"
REDACTED = "—"
ANONYMISE = RetentionRule.Action.ANONYMISE
DELETE = RetentionRule.Action.DELETE


@dataclass(frozen=True)
class Due:
    """One closed case whose retention period has passed, and what happens to it."""

    case_id: int
    organisation_id: int
    case_type: str
    closed_on: dt.date
    due_on: dt.date
    action: str
    legal_hold: bool

    @property
    def reference(self) -> str:
        return f"C-{self.case_id:06d}"


def default_days() -> int:
    return int(getattr(settings, "CASE_RETENTION_DAYS", 730))


def _rules() -> dict[tuple[int, str], tuple[int, str]]:
    return {
        (org, case_type): (days, action)
        for org, case_type, days, action in RetentionRule.objects.values_list(
            "organisation_id", "case_type", "days_after_closing", "action"
        )
    }


def due_cases(today: dt.date | None = None, *, include_held: bool = False) -> list[Due]:
    """Closed, not yet anonymised cases whose period has passed (held ones only when asked)."""
    today = today or timezone.localdate()
    rules = _rules()
    fallback = (default_days(), ANONYMISE)
    shortest = min([fallback[0], *(days for days, _a in rules.values())])
    candidates = Case.objects.filter(
        status=Case.Status.CLOSED, closed_on__isnull=False, anonymised_at__isnull=True,
        closed_on__lte=today - dt.timedelta(days=shortest),
    )
    if not include_held:
        candidates = candidates.filter(legal_hold=False)
    due = []
    for pk, org, case_type, closed_on, held in candidates.order_by("closed_on", "pk").values_list(
        "pk", "organisation_id", "case_type", "closed_on", "legal_hold"
    ):
        days, action = rules.get((org, case_type), fallback)
        due_on = closed_on + dt.timedelta(days=days)
        if due_on <= today:
            due.append(Due(pk, org, case_type, closed_on, due_on, action, held))
    return due


def _lock(case_id: int) -> Case | None:
    """The case, locked, if it is still due for retention (a hold may have been set meanwhile)."""
    return (
        Case.objects.select_for_update()
        .filter(pk=case_id, status=Case.Status.CLOSED, legal_hold=False, anonymised_at__isnull=True)
        .first()
    )


def _remove_documents(case: Case) -> list:
    """Delete consents, disclosures and documents of the case; return the files to remove after commit.

    Consents point at their signed form (a document) with PROTECT: they go first."""
    files = [doc.file for doc in CaseDocument.objects.filter(case=case).exclude(file="")]
    Consent.objects.filter(form_document__case=case).exclude(case=case).update(form_document=None)
    Consent.objects.filter(case=case).delete()
    EmergencyDisclosure.objects.filter(case=case).delete()
    CaseDocument.objects.filter(case=case).delete()
    return files


def _scrub_auditlog(case: Case, text: str) -> None:
    from auditlog.models import LogEntry

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_pk=str(case.pk)
    ).update(object_repr=text)


def _delete_files(case_id: int, files: list) -> None:
    for f in files:
        try:
            f.storage.delete(f.name)
        except OSError:
            # The row is gone; tell the operator where to look (under MEDIA_ROOT/cases/<id>/), without
            # the file name: an uploaded name can carry a resident's name.
            logger.warning("case retention: could not remove a file of case %s", case_id)


def anonymise_case(case_id: int, *, now: dt.datetime | None = None) -> int | None:
    """Anonymise one case (see the module docstring). Returns the number of files removed, or
    ``None`` when the case is no longer due (held, already anonymised, gone)."""
    from auditlog.context import disable_auditlog

    now = now or timezone.now()
    with transaction.atomic(), disable_auditlog():
        case = _lock(case_id)
        if case is None:
            return None
        files = _remove_documents(case)
        CaseNote.objects.filter(case=case).delete()
        CaseParticipant.objects.filter(case=case).update(request="", decline_reason="")
        CaseAction.objects.filter(case=case).update(title=REDACTED)
        CaseEvent.objects.filter(case=case).update(text=REDACTED)  # retention only: events are append-only
        if hasattr(case, "agenda_items"):  # steering app: the case on a meeting's agenda (kept for the minutes)
            case.agenda_items.update(question="")
            case.agenda_items.exclude(decision="").update(decision=REDACTED)
        case.reports.clear()
        case.episodes.clear()
        Case.objects.filter(pk=case.pk).update(
            household=None, unit=None, complex=None, title=ANONYMISED_TITLE, reasons=[], summary="",
            care_details="", debt_details="", steering_flag=False, steering_question="", legal_hold_reason="",
            anonymised_at=now,
        )
        _scrub_auditlog(case, f"{ANONYMISED_TITLE} {case.reference}")
        transaction.on_commit(lambda: _delete_files(case_id, files))
    return len(files)


def delete_case(case_id: int) -> int | None:
    """Delete one case with everything under it. Returns the number of files removed, or ``None``
    when the case is no longer due."""
    from auditlog.context import disable_auditlog

    with transaction.atomic(), disable_auditlog():
        case = _lock(case_id)
        if case is None:
            return None
        files = _remove_documents(case)
        CaseNote.objects.filter(case=case).delete()
        CaseEvent.objects.filter(case=case).delete()
        CaseAction.objects.filter(case=case).delete()
        CaseParticipant.objects.filter(case=case).delete()
        case.reports.clear()
        case.episodes.clear()
        _scrub_auditlog(case, f"Verwijderde casus {case.reference}")
        Case.objects.filter(pk=case.pk).delete()
        transaction.on_commit(lambda: _delete_files(case_id, files))
    return len(files)


def purge_cases(*, today: dt.date | None = None, dry_run: bool = False) -> dict:
    """Anonymise or delete every closed case whose retention period has passed.

    Returns counts: ``anonymised``, ``deleted``, ``files`` (removed from storage), ``held`` (due
    but under a legal hold, left alone) and ``skipped`` (changed while the run was busy). With
    ``dry_run`` nothing changes and the counts say what would happen (``files`` then counts the
    documents that would go)."""
    today = today or timezone.localdate()
    result = {"anonymised": 0, "deleted": 0, "files": 0, "held": 0, "skipped": 0}
    for due in due_cases(today, include_held=True):
        if due.legal_hold:
            result["held"] += 1
            continue
        if dry_run:
            result["deleted" if due.action == DELETE else "anonymised"] += 1
            result["files"] += CaseDocument.objects.filter(case_id=due.case_id).exclude(file="").count()
            continue
        try:
            files = delete_case(due.case_id) if due.action == DELETE else anonymise_case(due.case_id)
        except Exception:
            # One case failing (e.g. a row another process protects) must not stop the others.
            logger.exception("case retention failed for case %s", due.case_id)
            result["skipped"] += 1
            continue
        if files is None:
            result["skipped"] += 1
            continue
        result["deleted" if due.action == DELETE else "anonymised"] += 1
        result["files"] += files
    return result
