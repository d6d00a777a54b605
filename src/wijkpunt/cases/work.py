"""The work in a case: actions (owner, due date, status), documents (checked by content) and the
flag that puts a case on the steering group's agenda."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from wijkpunt.core.models import Membership, Organisation, User

from .models import Case, CaseAction, CaseDocument, CaseEvent, CaseParticipant, InfoCategory, Visibility
from .services import record_event

MAX_DOCUMENT_BYTES = getattr(settings, "CASE_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# Sniffed from the first bytes, never from the name or the declared type.
SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def action_organisations(case: Case) -> list[Organisation]:
    """Who can own an action: the corporation and the organisations that accepted participation."""
    ids = [case.organisation_id, *case.participants.filter(
        status=CaseParticipant.Status.ACCEPTED).values_list("organisation_id", flat=True)]
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def add_action(case: Case, user: User, *, title: str, owner_organisation: Organisation | None,
               owner: User | None = None, due_date: dt.date | None = None,
               agenda_item_id: int | None = None) -> CaseAction:
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Beschrijf de actie.")
    elif len(title) > 300:
        errors["title"] = _("Houd de actie korter dan 300 tekens.")
    if owner_organisation is None or owner_organisation.pk not in {o.pk for o in action_organisations(case)}:
        errors["owner_organisation"] = _("Kies de corporatie of een organisatie die deelneemt.")
    elif owner is not None and not Membership.objects.filter(
            user=owner, organisation=owner_organisation, user__is_active=True).exists():
        errors["owner"] = _("Deze persoon werkt niet bij de gekozen organisatie.")
    if due_date is not None and due_date < timezone.localdate() - dt.timedelta(days=1):
        errors["due_date"] = _("De datum ligt in het verleden.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise ValidationError({"title": _("Deze casus is afgesloten.")})
        action = CaseAction.objects.create(case=locked, title=title, owner_organisation=owner_organisation,
                                           owner=owner, due_date=due_date, created_by=user,
                                           agenda_item_id=agenda_item_id)
        record_event(locked, CaseEvent.Kind.ACTION, _("Actie voor %(org)s: %(title)s") % {
            "org": owner_organisation, "title": title}, actor=user, organisation_id=owner_organisation.pk,
            for_participants=True)
    return action


def set_action_status(action: CaseAction, user: User, *, status: str, organisation_id: int) -> CaseAction:
    """Mark an action done or cancelled (by the corporation or by the owning organisation)."""
    if status not in (CaseAction.Status.DONE, CaseAction.Status.CANCELLED, CaseAction.Status.OPEN):
        raise ValidationError({"status": _("Kies een geldige status.")})
    with transaction.atomic():
        locked = CaseAction.objects.select_for_update().select_related("case").get(pk=action.pk)
        if organisation_id not in (locked.case.organisation_id, locked.owner_organisation_id):
            raise ValidationError({"status": _("Alleen de corporatie of de eigenaar van de actie kan die afronden.")})
        if locked.status == status:
            return locked
        locked.status = status
        locked.completed_at = timezone.now() if status != CaseAction.Status.OPEN else None
        locked.save(update_fields=["status", "completed_at"])
        record_event(locked.case, CaseEvent.Kind.ACTION, _("Actie “%(title)s”: %(status)s.") % {
            "title": locked.title, "status": locked.get_status_display().lower()}, actor=user,
            organisation_id=locked.owner_organisation_id, for_participants=True)
    return locked


def sniff_document(upload) -> tuple[bytes, str]:
    """Read an upload and return (content, content type), or raise a field error."""
    name = getattr(upload, "name", "bestand")
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": _("%(name)s is te groot (maximaal %(max)s MB).") % {
            "name": name, "max": MAX_DOCUMENT_BYTES // (1024 * 1024)}})
    if upload.size == 0:
        raise ValidationError({"file": _("%(name)s is leeg.") % {"name": name}})
    content = upload.read()
    for signature, content_type in SIGNATURES:
        if content.startswith(signature):
            return content, content_type
    raise ValidationError({"file": _("%(name)s is geen PDF, PNG of JPEG.") % {"name": name}})


def add_document(case: Case, user: User, *, upload, title: str, organisation_id: int,
                 category: str = InfoCategory.SITUATION, visibility: str = Visibility.OWN_ORGANISATION,
                 allowed_categories: frozenset[str] | None = None, is_consent_form: bool = False) -> CaseDocument:
    errors: dict[str, str] = {}
    title = (title or "").strip() or getattr(upload, "name", "")
    if upload is None:
        errors["file"] = _("Kies een bestand.")
    if category not in InfoCategory.values or (allowed_categories is not None and category not in allowed_categories):
        errors["category"] = _("Uw rol mag dit soort informatie niet vastleggen.")
    if visibility not in Visibility.values:
        errors["visibility"] = _("Kies voor wie het document zichtbaar is.")
    if errors:
        raise ValidationError(errors)
    content, content_type = sniff_document(upload)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise ValidationError({"file": _("Deze casus is afgesloten.")})
        document = CaseDocument(case=locked, title=title[:200], content_type=content_type, size=len(content),
                                category=category, visibility=visibility, organisation_id=organisation_id,
                                uploaded_by=user, is_consent_form=is_consent_form)
        filename = get_valid_filename(getattr(upload, "name", "document")) or "document"
        document.file.save(filename, ContentFile(content), save=False)
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        record_event(locked, CaseEvent.Kind.DOCUMENT, _("Document toegevoegd: %(title)s") % {"title": document.title},
                     actor=user, organisation_id=organisation_id,
                     for_participants=visibility == Visibility.PARTICIPANTS and category == InfoCategory.SITUATION)
    return document


def flag_for_steering(case: Case, user: User, *, flag: bool, question: str = "") -> Case:
    question = (question or "").strip()
    if flag and not question:
        raise ValidationError({"steering_question": _("Schrijf de vraag aan de regiegroep.")})
    if len(question) > 500:
        raise ValidationError({"steering_question": _("Houd de vraag korter dan 500 tekens.")})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise ValidationError({"steering_question": _("Deze casus is afgesloten.")})
        locked.steering_flag, locked.steering_question = flag, question if flag else locked.steering_question
        locked.save(update_fields=["steering_flag", "steering_question"])
        record_event(locked, CaseEvent.Kind.STEERING,
                     _("Geagendeerd voor de regiegroep.") if flag else _("Van de agenda van de regiegroep gehaald."),
                     actor=user, organisation_id=locked.organisation_id)
    return locked
