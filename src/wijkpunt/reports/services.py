"""Every write to a report goes through here: one locked path, appended history, side effects
through the outbox after commit (guarantees 1, 3 and 4)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkpunt.core.models import Organisation
from wijkpunt.core.permissions import has_org_perm
from wijkpunt.housing.models import Unit

from . import notifications, policies, signals
from .deadlines import compute_deadline
from .lifecycle import VERA_STATUS, is_allowed
from .models import (
    CURRENT_FORWARD_STATES,
    URGENCY_RANK,
    Attachment,
    Category,
    ForwardState,
    Report,
    ReportEvent,
    Status,
    Urgency,
)


class IdempotencyConflict(ValidationError):
    """The idempotency key was used before for a different submission."""


class NotAllowed(PermissionError):
    pass


def scoped_key(scope: str, key: str) -> str:
    """Idempotency keys are chosen by clients: store them per caller ("web", "api", "user:<pk>") so
    that one caller's key can never return another caller's report."""
    return hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()


def _payload_hash(**fields) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def _default_corporation() -> Organisation:
    corp = Organisation.objects.filter(kind=Organisation.Kind.CORPORATION, is_active=True).order_by("pk").first()
    if corp is None:
        raise ValidationError(_("Er is nog geen woningcorporatie ingericht."))
    return corp


def _nearest_unit(latitude: Decimal, longitude: Decimal) -> Unit | None:
    """The registered unit nearest to a map point, within about 150 metres."""
    d = Decimal("0.0015")
    best, best_dist = None, math.inf
    candidates = Unit.objects.filter(
        latitude__range=(latitude - d, latitude + d), longitude__range=(longitude - d * 2, longitude + d * 2)
    ).select_related("neighbourhood")[:200]
    for unit in candidates:
        dist = (float(unit.latitude - latitude)) ** 2 + (float(unit.longitude - longitude) * 0.62) ** 2
        if dist < best_dist:
            best, best_dist = unit, dist
    return best


def _event(report: Report, kind: str, *, actor=None, at=None, **fields) -> ReportEvent:
    label = fields.pop("actor_label", "") or (str(actor) if actor else "")
    return ReportEvent.objects.create(
        report=report, kind=kind, actor=actor, actor_label=label, created_at=at or timezone.now(), **fields
    )


def report_create(
    *,
    description: str,
    channel: str,
    location_kind: str,
    organisation: Organisation | None = None,
    category: Category | None = None,
    urgency: str | None = None,
    unit: Unit | None = None,
    complex=None,  # noqa: A002 - the domain word
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    location_text: str = "",
    occurred_at: dt.datetime | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    contact_consent: bool = False,
    reporter_user=None,
    photos=(),
    idempotency_key: str | None = None,
    suggestion: dict | None = None,
    at: dt.datetime | None = None,
) -> tuple[Report, bool]:
    """Create a report in one transaction. Returns (report, created); a retry with the same
    idempotency key and the same content returns the first report with created=False."""
    description = (description or "").strip()
    if len(description) < 5:
        raise ValidationError({"description": _("Beschrijf kort wat er aan de hand is.")})
    if location_kind == Report.LocationKind.ADDRESS and unit is None:
        raise ValidationError({"location": _("Kies een adres.")})
    if location_kind == Report.LocationKind.COMMON_AREA and complex is None:
        raise ValidationError({"location": _("Kies een complex.")})
    if location_kind == Report.LocationKind.MAP and (latitude is None or longitude is None):
        raise ValidationError({"location": _("Kies een punt op de kaart.")})

    payload_hash = ""
    if idempotency_key:
        payload_hash = _payload_hash(
            description=description, channel=channel, location_kind=location_kind,
            unit=unit.pk if unit else None, complex=complex.pk if complex else None,
            latitude=latitude, longitude=longitude, reporter_email=reporter_email, photos=len(photos),
        )
        existing = _existing_for_key(idempotency_key, payload_hash)
        if existing is not None:
            return existing, False

    if suggestion is None:
        from .classification import suggest_for_text

        suggestion = suggest_for_text(description)
    if category is None and suggestion.get("subcategory") and not suggestion.get("needs_human"):
        category = Category.objects.filter(slug=suggestion["subcategory"], is_active=True).first()
    if urgency is None:
        if suggestion.get("urgency") == Urgency.SPOED or (
            suggestion.get("urgency") and not suggestion.get("needs_human")
        ):
            urgency = suggestion["urgency"]
        else:
            urgency = category.default_urgency if category else Urgency.NORMAAL
        if suggestion.get("possible_spoed") and URGENCY_RANK[urgency] > URGENCY_RANK[Urgency.HOOG]:
            urgency = Urgency.HOOG  # 'mogelijk spoed': a human looks at it first, with priority

    if location_kind == Report.LocationKind.MAP and unit is None:
        unit = _nearest_unit(latitude, longitude)
    neighbourhood = unit.neighbourhood if unit else (complex.neighbourhood if complex else None)
    if complex is None and unit is not None and location_kind == Report.LocationKind.ADDRESS:
        complex = unit.complex
    if organisation is None:
        organisation = unit.corporation if unit else (complex.corporation if complex else _default_corporation())
    now = at or timezone.now()
    default_team = category.default_team if category and category.default_team_id else None
    if default_team is not None and default_team.organisation_id != organisation.pk:
        default_team = None  # categories are shared; teams belong to one corporation
    stored: list[Attachment] = []

    try:
        with transaction.atomic():
            report = Report(
                reference=f"tmp-{secrets.token_hex(8)}",
                organisation=organisation, description=description, category=category,
                main_category=category.main if category else None, urgency=urgency,
                urgency_rank=URGENCY_RANK[urgency], channel=channel, location_kind=location_kind,
                unit=unit if location_kind != Report.LocationKind.COMMON_AREA else None,
                complex=complex, neighbourhood=neighbourhood, latitude=latitude, longitude=longitude,
                location_text=location_text[:300], occurred_at=occurred_at, reporter_name=reporter_name,
                reporter_phone=reporter_phone, reporter_email=reporter_email,
                contact_consent=contact_consent, reporter_user=reporter_user,
                team=default_team, suggestion=suggestion or {},
                deadline=compute_deadline(organisation=organisation, urgency=urgency, category=category, start=now),
                created_at=now, idempotency_key=idempotency_key or None, payload_hash=payload_hash,
            )
            report.save()
            report.reference = f"M{now:%y}-{report.pk:07d}"
            Report.objects.filter(pk=report.pk).update(reference=report.reference)
            for photo in photos:
                attachment = Attachment(
                    report=report, content_type=photo.content_type, size=len(photo.content),
                    width=photo.width, height=photo.height, uploaded_by=reporter_user, created_at=now,
                )
                attachment.file.save("foto", ContentFile(photo.content), save=True)
                stored.append(attachment)
            _event(
                report, ReportEvent.Kind.CREATED, actor=reporter_user, at=now, to_status=Status.NEW,
                actor_label=_("melder") if not reporter_user else "", is_public=True,
                text=_("Uw melding is ontvangen."),
                data={"channel": channel, "photos": len(photos), "suggestion": suggestion or {}},
            )
            notifications.notify_reporter_created(report)
            signals.report_created.send(sender=Report, report=report, at=now)
    except BaseException as exc:
        for attachment in stored:  # rolled back: do not keep the photos (guarantee 6)
            attachment.file.delete(save=False)
        if isinstance(exc, IntegrityError) and idempotency_key:
            existing = _existing_for_key(idempotency_key, payload_hash)
            if existing is not None:
                return existing, False
        raise
    return report, True


def _existing_for_key(key: str, payload_hash: str) -> Report | None:
    existing = Report.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.payload_hash != payload_hash:
        raise IdempotencyConflict(
            _("Deze idempotentiesleutel is al gebruikt voor een andere melding."), code="idempotency_conflict"
        )
    return existing


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related("organisation", "forwarded_to").get(pk=report.pk)


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotAllowed(_("U mag deze actie niet uitvoeren op deze melding."))


def _set_status(report: Report, to_status: str, *, actor, at, text="", public=False, actor_label="", data=None):
    if not is_allowed(report.status, to_status):
        raise ValidationError(
            {"status": _("Een melding met status '%(from)s' kan niet naar '%(to)s'.")
             % {"from": Status(report.status).label, "to": Status(to_status).label}},
            code="illegal_transition",
        )
    from_status = report.status
    if report.forward_state in CURRENT_FORWARD_STATES and to_status not in (Status.FORWARDED, Status.RESOLVED):
        # the corporation takes the report back (or it is reopened or cancelled): the forward ends,
        # and with it the partner's access
        report.forward_state = ForwardState.WITHDRAWN
        report.forwarded_to = None
    report.status = to_status
    report.vera_status = VERA_STATUS[to_status]
    if to_status == Status.RESOLVED:
        report.resolved_at = at
        report.satisfied = None
    elif to_status == Status.REOPENED:
        report.resolved_at = None
    report.save()
    event = _event(
        report, ReportEvent.Kind.STATUS, actor=actor, at=at, from_status=from_status, to_status=to_status,
        text=text, is_public=public or to_status in (Status.RESOLVED, Status.REOPENED, Status.CANCELLED),
        actor_label=actor_label, data=data or {},
    )
    if event.is_public:
        notifications.notify_reporter_update(report, event)
    signals.report_changed.send(sender=Report, report=report, at=at, change="status")
    return event


@transaction.atomic
def report_transition(*, report: Report, to_status: str, actor, note: str = "", public: bool = False,
                      at: dt.datetime | None = None) -> Report:
    report = _locked(report)
    _require(to_status in policies.allowed_targets(actor, report))
    if to_status == Status.FORWARDED and report.forwarded_to_id is None:
        raise ValidationError({"to_status": _("Kies eerst een partner via 'Doorsturen naar partner'.")})
    if to_status == Status.RESOLVED and not note.strip():
        raise ValidationError({"note": _("Schrijf de melder kort wat er is gedaan.")})
    _set_status(report, to_status, actor=actor, at=at or timezone.now(), text=note.strip(), public=public)
    return report


@transaction.atomic
def report_add_note(*, report: Report, actor, text: str, public: bool, at: dt.datetime | None = None) -> ReportEvent:
    report = _locked(report)
    _require(policies.can_triage(actor, report) or policies.can_partner_handle(actor, report))
    if not text.strip():
        raise ValidationError({"text": _("Een notitie mag niet leeg zijn.")})
    event = _event(report, ReportEvent.Kind.NOTE, actor=actor, at=at, text=text.strip(), is_public=public)
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    if public:
        notifications.notify_reporter_update(report, event)
    return event


@transaction.atomic
def report_assign(*, report: Report, actor, assignee=None, team=None, at: dt.datetime | None = None) -> Report:
    report = _locked(report)
    _require(policies.can_triage(actor, report))
    if assignee is not None and not has_org_perm(assignee, "reports.triage_report", report.organisation_id):
        raise ValidationError({"assignee": _("Deze persoon kan geen meldingen van deze corporatie behandelen.")})
    if team is not None and team.organisation_id != report.organisation_id:
        raise ValidationError({"team": _("Dit team hoort niet bij deze corporatie.")})
    at = at or timezone.now()
    report.assignee, report.team = assignee, team
    report.save()
    _event(report, ReportEvent.Kind.ASSIGNED, actor=actor, at=at,
           text=", ".join(str(x) for x in (assignee, team) if x) or _("niemand"),
           data={"assignee": assignee.pk if assignee else None, "team": team.pk if team else None})
    signals.report_changed.send(sender=Report, report=report, at=at, change="assigned")
    if assignee is not None and report.status in (Status.NEW, Status.REOPENED):
        _set_status(report, Status.IN_PROGRESS, actor=actor, at=at, public=True,
                    text=_("Uw melding is in behandeling genomen."))
    return report


@transaction.atomic
def report_recategorise(*, report: Report, actor, category: Category, urgency: str,
                        at: dt.datetime | None = None) -> Report:
    report = _locked(report)
    _require(policies.can_triage(actor, report))
    if category.parent_id is None:
        raise ValidationError({"category": _("Kies een subcategorie.")})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Kies een geldige urgentie.")})
    at = at or timezone.now()
    old = (report.category.slug if report.category else "", report.urgency)
    report.category, report.main_category = category, category.main
    report.urgency, report.urgency_rank = urgency, URGENCY_RANK[urgency]
    if report.team_id is None and category.default_team_id and \
            category.default_team.organisation_id == report.organisation_id:
        report.team_id = category.default_team_id
    report.deadline = compute_deadline(
        organisation=report.organisation, urgency=urgency, category=category, start=report.created_at
    )
    report.save()
    _event(report, ReportEvent.Kind.CATEGORISED, actor=actor, at=at, text=f"{category} · {Urgency(urgency).label}",
           data={"from": list(old), "to": [category.slug, urgency]})
    signals.report_changed.send(sender=Report, report=report, at=at, change="categorised")
    return report


@transaction.atomic
def report_forward(*, report: Report, actor, partner: Organisation, note: str = "",
                   at: dt.datetime | None = None) -> Report:
    report = _locked(report)
    _require(policies.can_triage(actor, report))
    if partner.kind == Organisation.Kind.CORPORATION or not partner.is_active:
        raise ValidationError({"partner": _("Kies een actieve partnerorganisatie.")})
    at = at or timezone.now()
    report.forwarded_to = partner
    report.forward_state = ForwardState.PENDING
    event = _set_status(
        report, Status.FORWARDED, actor=actor, at=at, public=True,
        text=_("Uw melding is doorgestuurd naar %(partner)s.") % {"partner": partner.name},
        data={"partner": partner.pk},
    )
    _event(report, ReportEvent.Kind.FORWARDED, actor=actor, at=at, text=note.strip(),
           data={"partner": partner.pk, "partner_name": partner.name})
    notifications.notify_partner_forwarded(report, event)
    return report


@transaction.atomic
def report_forward_accept(*, report: Report, actor, note: str = "", at: dt.datetime | None = None) -> Report:
    """The partner takes the forwarded report on. Records who and when."""
    report = _locked(report)
    _require(policies.can_partner_handle(actor, report))
    if report.forward_state != ForwardState.PENDING:
        raise ValidationError({"forward": _("Deze doorverwijzing is al beantwoord.")}, code="already_answered")
    at = at or timezone.now()
    partner = report.forwarded_to
    report.forward_state = ForwardState.ACCEPTED
    report.save(update_fields=["forward_state", "updated_at"])
    _event(report, ReportEvent.Kind.FORWARD_ACCEPTED, actor=actor, at=at, text=note.strip()[:5000],
           data={"partner": partner.pk, "partner_name": partner.name})
    signals.report_changed.send(sender=Report, report=report, at=at, change="forward_accepted")
    return report


@transaction.atomic
def report_forward_decline(*, report: Report, actor, reason: str, at: dt.datetime | None = None) -> Report:
    """The partner declines (or, after accepting, hands back) the report, with a reason. The report
    goes back to the corporation's queue (in behandeling), the partner loses access at once and the
    corporation's handler is mailed."""
    report = _locked(report)
    _require(policies.can_partner_decline(actor, report))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef aan waarom uw organisatie deze melding niet oppakt.")},
                              code="required")
    at = at or timezone.now()
    partner = report.forwarded_to
    previous = report.forward_state
    event = _event(report, ReportEvent.Kind.FORWARD_DECLINED, actor=actor, at=at, text=reason[:5000],
                   data={"partner": partner.pk, "partner_name": partner.name, "after_accept": previous ==
                         ForwardState.ACCEPTED})
    report.forward_state = ForwardState.DECLINED
    report.forwarded_to = None
    _set_status(report, Status.IN_PROGRESS, actor=actor, at=at,
                text=_("Teruggegeven door %(partner)s: %(reason)s") % {"partner": partner.name, "reason": reason[:500]},
                data={"partner": partner.pk, "declined": True})
    notifications.notify_handler_forward_declined(report, event, partner=partner)
    return report


@transaction.atomic
def report_merge(*, report: Report, into: Report, actor, at: dt.datetime | None = None) -> Report:
    if report.pk == into.pk:
        raise ValidationError({"into": _("Een melding kan niet met zichzelf worden samengevoegd.")})
    first, second = sorted([report, into], key=lambda r: r.pk)  # lock in a fixed order: no deadlock
    locked = {r.pk: _locked(r) for r in (first, second)}
    report, into = locked[report.pk], locked[into.pk]
    _require(policies.can_triage(actor, report) and policies.can_triage(actor, into))
    if into.organisation_id != report.organisation_id:
        raise ValidationError({"into": _("Meldingen van verschillende corporaties kunnen niet worden samengevoegd.")})
    if not into.is_open or into.merged_into_id:
        raise ValidationError({"into": _("Voeg samen met een melding die nog open is.")})
    at = at or timezone.now()
    report.merged_into = into
    _set_status(report, Status.MERGED, actor=actor, at=at, public=True,
                text=_("Uw melding gaat over hetzelfde als melding %(ref)s en wordt daar verder behandeld.")
                % {"ref": into.reference})
    _event(into, ReportEvent.Kind.MERGED, actor=actor, at=at,
           text=_("Melding %(ref)s is hiermee samengevoegd.") % {"ref": report.reference},
           data={"merged": report.pk})
    return report


@transaction.atomic
def report_feedback(*, report: Report, satisfied: bool, comment: str = "", reopen: bool = False,
                    at: dt.datetime | None = None) -> Report:
    """The reporter's answer to 'are you satisfied?' after resolve; a 'no' can reopen."""
    report = _locked(report)
    if report.status != Status.RESOLVED or report.satisfied is not None:
        raise ValidationError(_("U heeft al gereageerd, of de melding is nog niet opgelost."))
    at = at or timezone.now()
    report.satisfied = satisfied
    report.save(update_fields=["satisfied", "updated_at"])
    _event(report, ReportEvent.Kind.FEEDBACK, at=at, actor_label=_("melder"), text=comment.strip()[:2000],
           data={"satisfied": satisfied, "reopen": bool(reopen and not satisfied)})
    if reopen and not satisfied:
        _set_status(report, Status.REOPENED, actor=None, at=at, actor_label=_("melder"),
                    text=_("Heropend omdat de melder niet tevreden is."))
    return report
