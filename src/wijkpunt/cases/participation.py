"""Partners in a case: invite (a case forwarded to a partner), accept or decline with a reason,
end; the resident's consent per organisation and category, withdrawal; and sharing without
consent in acute danger (separate, reasoned, logged, time-limited).

Every change is a new ``CaseEvent``; e-mails go through the outbox and carry no case content,
only that there is something to look at and the link.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wijkpunt.core.access import log_access
from wijkpunt.core.models import Membership, Organisation, User
from wijkpunt.core.outbox import outbox_enqueue_email
from wijkpunt.core.permissions import has_org_perm
from wijkpunt.core.roles import roles_in

from .models import (
    ANSWER_ACCESS_REQUEST,
    EMERGENCY_SHARE,
    TAKE_PART,
    Case,
    CaseEvent,
    CaseParticipant,
    CaseRole,
    Consent,
    EmergencyDisclosure,
    InfoCategory,
)
from .services import record_event

MIN_REASONING = 40
MAX_EMERGENCY_DAYS = 14


def _case_url(case: Case) -> str:
    return settings.BASE_URL + reverse("cases:detail", args=[case.pk])


def _users_with_perm(organisation_id: int, perm: str) -> list[User]:
    app_label, codename = perm.split(".")
    return list(
        User.objects.filter(
            is_active=True, memberships__organisation_id=organisation_id, memberships__organisation__is_active=True,
            memberships__role__permissions__codename=codename,
            memberships__role__permissions__content_type__app_label=app_label,
        ).distinct()
    )


def _mail(key: str, recipients: list[str], subject: str, body: str) -> None:
    for address in sorted({r for r in recipients if r}):
        outbox_enqueue_email(idempotency_key=f"{key}-{address}"[:200], recipient=address, subject=subject, body=body)


def _clean_categories(categories, field: str = "categories") -> list[str]:
    chosen = [c for c in InfoCategory.values if c in set(categories or [])]
    unknown = set(categories or []) - set(InfoCategory.values)
    if unknown or not chosen:
        raise ValidationError({field: _("Kies ten minste één soort informatie uit de lijst.")})
    return chosen


def _share_errors(case: Case, organisation: Organisation | None, categories, *, statuses,
                  message: str) -> tuple[dict[str, str], list[str]]:
    """Field errors for sharing ``categories`` with ``organisation`` (it must take part with one of
    ``statuses``), and the cleaned categories."""
    errors: dict[str, str] = {}
    try:
        categories = _clean_categories(categories)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if organisation is None or not CaseParticipant.objects.filter(
            case_id=case.pk, organisation=organisation, status__in=statuses).exists():
        errors["organisation"] = message
    return errors, categories


def _open_case(case_id: int, field: str) -> Case:
    locked = Case.objects.select_for_update().get(pk=case_id)
    if not locked.is_open:
        raise ValidationError({field: _("Deze casus is afgesloten.")})
    return locked


# --- participants --------------------------------------------------------------------------------

def invite_participant(case: Case, user: User, *, organisation: Organisation | None, role: str,
                       request: str) -> CaseParticipant:
    """Forward the case to a partner organisation: it must accept or decline with a reason."""
    errors = {}
    if organisation is None or not organisation.is_active or organisation.pk == case.organisation_id:
        errors["organisation"] = _("Kies een actieve partnerorganisatie.")
    if role not in CaseRole.values:
        errors["role"] = _("Kies de rol van de organisatie in de casus.")
    request = (request or "").strip()
    if not request:
        errors["request"] = _("Schrijf kort wat u van deze organisatie vraagt.")
    elif len(request) > 500:
        errors["request"] = _("Houd dit korter dan 500 tekens.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _open_case(case.pk, "organisation")
        existing = CaseParticipant.objects.filter(case=locked, organisation=organisation).first()
        if existing is not None and existing.status in (CaseParticipant.Status.INVITED,
                                                        CaseParticipant.Status.ACCEPTED):
            raise ValidationError({"organisation": _("Deze organisatie doet al mee of is al uitgenodigd.")})
        if existing is not None:  # declined or ended before: a new invitation on the same row
            existing.role, existing.request, existing.status = role, request, CaseParticipant.Status.INVITED
            existing.invited_by, existing.invited_at = user, timezone.now()
            existing.answered_by = existing.answered_at = existing.ended_at = None
            existing.decline_reason = ""
            existing.save()
            participant = existing
        else:
            participant = CaseParticipant.objects.create(case=locked, organisation=organisation, role=role,
                                                         request=request, invited_by=user)
        record_event(locked, CaseEvent.Kind.INVITED,
                     _("%(org)s uitgenodigd als %(role)s.") % {"org": organisation,
                                                               "role": participant.get_role_display()},
                     actor=user, organisation_id=organisation.pk)
        _notify_invited(locked, participant)
    return participant


def _notify_invited(case: Case, participant: CaseParticipant) -> None:
    recipients = [u.email for u in _users_with_perm(participant.organisation_id, TAKE_PART)]
    if not recipients and participant.organisation.email:
        recipients = [participant.organisation.email]
    with translation.override("nl"):
        subject = _("Wijkpunt: uitnodiging voor casus %(ref)s") % {"ref": case.reference}
        body = _(
            "%(owner)s nodigt uw organisatie uit om deel te nemen aan casus %(ref)s.\n\n"
            "Open de casus in Wijkpunt om de uitnodiging te accepteren of te weigeren:\n%(url)s\n"
        ) % {"owner": case.organisation, "ref": case.reference, "url": _case_url(case)}
    stamp = f"{participant.invited_at:%Y%m%d%H%M%S}"
    _mail(f"case-{case.pk}-invite-{participant.organisation_id}-{stamp}", recipients, subject, body)


def answer_invitation(participant: CaseParticipant, user: User, *, accept: bool, reason: str = "") -> CaseParticipant:
    """The partner accepts, or declines with a reason (required). Declining ends its access at once."""
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError({"reason": _("Geef een reden waarom uw organisatie niet deelneemt.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Houd de reden korter dan 2000 tekens.")})
    if not has_org_perm(user, TAKE_PART, participant.organisation_id):
        raise ValidationError({"reason": _("U mag niet namens deze organisatie antwoorden.")})
    with transaction.atomic():
        locked = CaseParticipant.objects.select_for_update().select_related("case", "organisation").get(
            pk=participant.pk)
        if locked.status != CaseParticipant.Status.INVITED:
            raise ValidationError({"reason": _("Deze uitnodiging is al beantwoord.")})
        if not locked.case.is_open:
            raise ValidationError({"reason": _("Deze casus is afgesloten.")})
        locked.status = CaseParticipant.Status.ACCEPTED if accept else CaseParticipant.Status.DECLINED
        locked.answered_by, locked.answered_at, locked.decline_reason = user, timezone.now(), reason
        locked.save(update_fields=["status", "answered_by", "answered_at", "decline_reason"])
        if accept:
            text = _("%(org)s neemt deel.") % {"org": locked.organisation}
            kind = CaseEvent.Kind.ACCEPTED
        else:
            text = _("%(org)s neemt niet deel. Reden: %(reason)s") % {"org": locked.organisation, "reason": reason}
            kind = CaseEvent.Kind.DECLINED
        record_event(locked.case, kind, text, actor=user, organisation_id=locked.organisation_id,
                     for_participants=accept)  # organisation = the partner: filtered by sees_organisation
        # The lead may be a partner professional: the mail says only that there is an answer, not
        # who answered or why (naming a care provider or debt help is itself sensitive).
        _notify_lead(locked.case, f"answer-{locked.pk}-{locked.answered_at:%Y%m%d%H%M%S}",
                     _("Wijkpunt: antwoord op uitnodiging voor casus %(ref)s") % {"ref": locked.case.reference},
                     _("Een uitgenodigde organisatie heeft geantwoord in casus %(ref)s. Bekijk het antwoord in "
                       "Wijkpunt.") % {"ref": locked.case.reference})
    return locked


def _notify_lead(case: Case, key: str, subject: str, text: str) -> None:
    lead = case.assigned_to
    if lead is None or not lead.email:
        return
    with translation.override("nl"):
        body = f"{text}\n\n{_case_url(case)}\n"
    _mail(f"case-{case.pk}-{key}", [lead.email], str(subject), body)


def end_participation(participant: CaseParticipant, user: User) -> CaseParticipant:
    """The corporation ends a partner's participation: its access ends at once."""
    with transaction.atomic():
        locked = CaseParticipant.objects.select_for_update().select_related("case", "organisation").get(
            pk=participant.pk)
        if locked.status not in (CaseParticipant.Status.INVITED, CaseParticipant.Status.ACCEPTED):
            raise ValidationError({"participant": _("Deze organisatie doet al niet meer mee.")})
        locked.status, locked.ended_at = CaseParticipant.Status.ENDED, timezone.now()
        locked.save(update_fields=["status", "ended_at"])
        record_event(locked.case, CaseEvent.Kind.ENDED, _("Deelname van %(org)s beëindigd.") % {
            "org": locked.organisation}, actor=user, organisation_id=locked.organisation_id,
            for_participants=True)
        if locked.case.assigned_to and Membership.objects.filter(
                user=locked.case.assigned_to, organisation=locked.organisation).exists():
            # The one face cannot be someone who no longer takes part.
            Case.objects.filter(pk=locked.case_id).update(assigned_to=None)
    return locked


# --- consent -------------------------------------------------------------------------------------

def record_consent(case: Case, user: User, *, organisation: Organisation | None, categories, purpose: str,
                   given_by: str, method: str, witness: str = "", form_document=None,
                   valid_from: dt.date | None, valid_until: dt.date | None) -> Consent:
    """Record the resident's consent to share these categories with this organisation."""
    errors, categories = _share_errors(
        case, organisation, categories,
        statuses=(CaseParticipant.Status.INVITED, CaseParticipant.Status.ACCEPTED),
        message=_("Kies een organisatie die aan deze casus deelneemt of is uitgenodigd."))
    purpose, given_by, witness = (purpose or "").strip(), (given_by or "").strip(), (witness or "").strip()
    if not purpose:
        errors["purpose"] = _("Schrijf het doel waarvoor de informatie wordt gedeeld.")
    if not given_by:
        errors["given_by"] = _("Wie gaf de toestemming (naam van de bewoner of wettelijk vertegenwoordiger)?")
    if method == Consent.Method.SIGNED_FORM:
        if form_document is None:
            errors["form_file"] = _("Voeg het ondertekende toestemmingsformulier toe.")
    elif method == Consent.Method.VERBAL_WITNESS:
        if not witness:
            errors["witness"] = _("Bij mondelinge toestemming is een getuige nodig.")
    else:
        errors["method"] = _("Kies hoe de toestemming is gegeven.")
    if valid_from is None:
        errors["valid_from"] = _("Vul een datum in.")
    elif valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _("De einddatum ligt vóór de begindatum.")
    elif valid_from > timezone.localdate() + dt.timedelta(days=366):
        errors["valid_from"] = _("Deze datum ligt te ver in de toekomst.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _open_case(case.pk, "categories")
        consent = Consent.objects.create(
            case=locked, organisation=organisation, categories=categories, purpose=purpose[:500],
            given_by=given_by[:200], method=method, witness=witness[:200] if method == Consent.Method.VERBAL_WITNESS
            else "", form_document=form_document if method == Consent.Method.SIGNED_FORM else None,
            valid_from=valid_from, valid_until=valid_until, recorded_by=user,
        )
        labels = ", ".join(str(InfoCategory(c).label) for c in categories)
        record_event(locked, CaseEvent.Kind.CONSENT, _("Toestemming vastgelegd voor %(org)s: %(cats)s.") % {
            "org": organisation, "cats": labels}, actor=user, organisation_id=locked.organisation_id)
    return consent


def withdraw_consent(consent: Consent, user: User, *, note: str = "") -> Consent:
    """The resident withdraws consent: it stops counting at once (the policy reads only live rows)."""
    with transaction.atomic():
        locked = Consent.objects.select_for_update().select_related("case", "organisation").get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            raise ValidationError({"consent": _("Deze toestemming is al ingetrokken.")})
        locked.withdrawn_at, locked.withdrawn_by = timezone.now(), user
        locked.withdrawal_note = (note or "").strip()[:500]
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        record_event(locked.case, CaseEvent.Kind.CONSENT_WITHDRAWN,
                     _("Toestemming voor %(org)s ingetrokken.") % {"org": locked.organisation}, actor=user,
                     organisation_id=locked.case.organisation_id)
    return locked


# --- sharing without consent ---------------------------------------------------------------------

def disclose_in_emergency(case: Case, user: User, *, organisation: Organisation | None, categories, ground: str,
                          reasoning: str, days: int | None) -> EmergencyDisclosure:
    """Share without consent where the law allows it: a separate action by someone with
    ``cases.emergency_share`` in the owning corporation, with a legal ground and a written reasoning,
    for at most 14 days. The privacy officers of the corporation are told by e-mail."""
    if not has_org_perm(user, EMERGENCY_SHARE, case.organisation_id):
        raise ValidationError({"ground": _("U mag geen gegevens delen zonder toestemming.")})
    errors, categories = _share_errors(
        case, organisation, categories, statuses=(CaseParticipant.Status.ACCEPTED,),
        message=_("Kies een organisatie die aan deze casus deelneemt."))
    if ground not in EmergencyDisclosure.Ground.values:
        errors["ground"] = _("Kies de wettelijke grondslag.")
    reasoning = (reasoning or "").strip()
    if len(reasoning) < MIN_REASONING:
        errors["reasoning"] = _(
            "Onderbouw waarom delen zonder toestemming nodig is (ten minste %(n)s tekens).") % {"n": MIN_REASONING}
    if days is None or not 1 <= days <= MAX_EMERGENCY_DAYS:
        errors["days"] = _("Kies een looptijd van 1 tot en met %(n)s dagen.") % {"n": MAX_EMERGENCY_DAYS}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _open_case(case.pk, "ground")
        disclosure = EmergencyDisclosure.objects.create(
            case=locked, organisation=organisation, categories=categories, ground=ground, reasoning=reasoning,
            valid_until=timezone.now() + dt.timedelta(days=days), decided_by=user,
        )
        record_event(locked, CaseEvent.Kind.EMERGENCY, _(
            "Gedeeld zonder toestemming met %(org)s (%(ground)s), tot %(until)s.") % {
            "org": organisation, "ground": disclosure.get_ground_display(),
            "until": timezone.localtime(disclosure.valid_until).strftime("%d-%m-%Y %H:%M")},
            actor=user, organisation_id=locked.organisation_id)
        log_access(user, locked.organisation_id, subject="case.disclosure", subject_id=locked.pk,
                   household_id=locked.household_id, purpose=f"Delen zonder toestemming met {organisation}",
                   role=roles_in(user, locked.organisation_id))
        officers = [u.email for u in _users_with_perm(locked.organisation_id, ANSWER_ACCESS_REQUEST)]
        with translation.override("nl"):
            subject = _("Wijkpunt: gegevens gedeeld zonder toestemming (casus %(ref)s)") % {"ref": locked.reference}
            body = _("%(user)s heeft in casus %(ref)s gegevens gedeeld zonder toestemming met %(org)s.\n"
                     "Grondslag: %(ground)s.\nDe onderbouwing staat in Wijkpunt:\n%(url)s\n") % {
                "user": user, "ref": locked.reference, "org": organisation,
                "ground": disclosure.get_ground_display(), "url": _case_url(locked)}
        _mail(f"case-{locked.pk}-disclosure-{disclosure.pk}", officers, subject, body)
    return disclosure
