"""Writing cases: open (at most one open case per household), details, lead, links, notes, close.

Participation and consent are in ``participation.py``; actions and documents in ``work.py``.

Services validate their input and raise ``ValidationError`` with a field-level dict (Dutch
messages). Each runs in one transaction; the e-mail to the consultant goes through the outbox
and leaves after commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wijkpunt.core.models import Membership, User
from wijkpunt.core.outbox import outbox_enqueue_email
from wijkpunt.housing.models import Household, Unit

from .models import (
    DETAIL_PARENT,
    TAKE_PART,
    WORK_ON_CASES,
    Case,
    CaseEvent,
    CaseNote,
    CaseParticipant,
    CaseType,
    ConsultantArea,
    InfoCategory,
    Visibility,
)

MAX_NOTE_LENGTH = 10_000


def consultants(org_ids: Iterable[int]) -> QuerySet[User]:
    """Active people who may work on cases in one of ``org_ids`` (by permission, not role name)."""
    app_label, codename = WORK_ON_CASES.split(".")
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=list(org_ids),
            memberships__organisation__is_active=True,
            memberships__role__permissions__codename=codename,
            memberships__role__permissions__content_type__app_label=app_label,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def consultants_by_org(org_ids: Iterable[int]) -> dict[int, list[User]]:
    """The consultants per organisation in one query (for a select list on every row of a page)."""
    app_label, codename = WORK_ON_CASES.split(".")
    by_org: dict[int, list[User]] = {}
    memberships = (
        Membership.objects.filter(
            organisation_id__in=list(org_ids), organisation__is_active=True, user__is_active=True,
            role__permissions__codename=codename, role__permissions__content_type__app_label=app_label,
        )
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    for membership in memberships:
        users = by_org.setdefault(membership.organisation_id, [])
        if all(u.pk != membership.user_id for u in users):
            users.append(membership.user)
    return by_org


def default_consultants(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """``{(organisation_id, neighbourhood_id): consultant_id}`` from the neighbourhood assignments.

    Only consultants who may still work on cases in that organisation are returned."""
    pairs = set(pairs)
    if not pairs:
        return {}
    org_ids = {org for org, _n in pairs}
    eligible = {(org, user.pk) for org, users in consultants_by_org(org_ids).items() for user in users}
    areas = ConsultantArea.objects.filter(
        organisation_id__in=org_ids, neighbourhood_id__in={n for _o, n in pairs}
    ).values_list("organisation_id", "neighbourhood_id", "consultant_id")
    return {(org, nb): user for org, nb, user in areas if (org, nb) in pairs and (org, user) in eligible}


def case_title(household: Household, unit: Unit | None) -> str:
    return f"{household.name} — {unit.address}" if unit else household.name


def open_case(*, organisation_id: int, household: Household, unit: Unit | None, reasons: list[str],
              assigned_to: User | None, opened_by: User,
              source: str = Case.Source.HOUSEHOLD_PICTURE) -> tuple[Case, bool]:
    """Open a case for ``household`` and mail the consultant, or return the open one (created=False).

    The consultant must be allowed to work on cases in the organisation. The reasons are copied
    as they are (they may mention arrears: the consultant's need-to-know, shown on the case page
    only); the e-mail carries no reasons, only that there is a case and where to open it."""
    existing = Case.objects.filter(organisation_id=organisation_id, household=household,
                                   status=Case.Status.OPEN).first()
    if existing is not None:
        return existing, False
    if assigned_to is None or not consultants([organisation_id]).filter(pk=assigned_to.pk).exists():
        raise ValidationError({"assigned_to": _("Kies een wijkconsulent van deze organisatie.")})
    reasons = [str(r).strip() for r in reasons if str(r).strip()]
    if not reasons:
        raise ValidationError({"reasons": _("Een casus heeft ten minste één aanleiding.")})
    try:
        with transaction.atomic():
            case = Case.objects.create(
                organisation_id=organisation_id, household=household, title=case_title(household, unit)[:300],
                reasons=reasons, source=source, assigned_to=assigned_to, opened_by=opened_by,
                case_type=CaseType.FIN if source == Case.Source.HOUSEHOLD_PICTURE else CaseType.SOC,
                neighbourhood_id=unit.neighbourhood_id if unit else None,
            )
            record_event(case, CaseEvent.Kind.OPENED, _("Casus geopend."), actor=opened_by,
                         organisation_id=organisation_id, for_participants=True)
            _link_open_episodes(case, opened_by)
            notify_assigned(case)
    except IntegrityError:
        # Someone opened one at the same moment (the partial unique constraint): show theirs.
        existing = Case.objects.filter(organisation_id=organisation_id, household=household,
                                       status=Case.Status.OPEN).first()
        if existing is None:
            raise
        return existing, False
    return case, True


def open_case_manual(*, organisation_id: int, opened_by: User, title: str, case_type: str,
                     case_type_detail: str = "", household: Household | None = None, unit: Unit | None = None,
                     complex=None, summary: str = "", assigned_to: User | None = None,
                     source: str = Case.Source.MANUAL, report=None) -> Case:
    """Open a case by hand or from a report, around a household, an address or a complex.

    A household can have only one open case per corporation: a second one is refused with a
    message naming the running case."""
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Geef de casus een titel.")
    elif len(title) > 300:
        errors["title"] = _("Houd de titel korter dan 300 tekens.")
    if household is None and unit is None and complex is None:
        errors["subject"] = _("Kies waar de casus over gaat: een huishouden, een adres of een complex.")
    for obj, field in ((household, "household"), (unit, "unit"), (complex, "complex")):
        owner = getattr(obj, "corporation_id", None) if obj is not None else None
        if obj is not None and owner != organisation_id:
            errors[field] = _("Dit hoort niet bij uw corporatie.")
    if assigned_to is None or not consultants([organisation_id]).filter(pk=assigned_to.pk).exists():
        errors["assigned_to"] = _("Kies een casusregisseur van deze organisatie.")
    try:
        validate_case_type(case_type, case_type_detail)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    if household is not None and unit is None:
        unit = _current_unit(household)
    neighbourhood_id = (unit.neighbourhood_id if unit else None) or (complex.neighbourhood_id if complex else None)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                organisation_id=organisation_id, household=household, unit=unit, complex=complex,
                neighbourhood_id=neighbourhood_id, title=title, case_type=case_type,
                case_type_detail=case_type_detail or "", summary=(summary or "").strip()[:MAX_DETAILS_LENGTH],
                source=source, assigned_to=assigned_to, opened_by=opened_by,
            )
            record_event(case, CaseEvent.Kind.OPENED, _("Casus geopend."), actor=opened_by,
                         organisation_id=organisation_id, for_participants=True)
            if household is not None:
                _link_open_episodes(case, opened_by)
            if report is not None:
                case.reports.add(report)
                record_event(case, CaseEvent.Kind.LINK, _("Melding %(ref)s gekoppeld.") % {"ref": report.reference},
                             actor=opened_by, organisation_id=organisation_id)
            notify_assigned(case)
    except IntegrityError:
        running = Case.objects.filter(organisation_id=organisation_id, household=household,
                                      status=Case.Status.OPEN).first()
        if running is None:
            raise
        raise ValidationError({"household": _("Voor dit huishouden loopt al casus %(ref)s.")
                               % {"ref": running.reference}}) from None
    return case


def _link_open_episodes(case: Case, user: User) -> None:
    """A case about a household starts linked to the household's running arrears episodes."""
    from wijkpunt.arrears.models import ArrearsEpisode

    episodes = list(ArrearsEpisode.objects.filter(corporation_id=case.organisation_id,
                                                  tenancy__household_id=case.household_id, status="open"))
    if episodes:
        case.episodes.add(*episodes)
        record_event(case, CaseEvent.Kind.LINK, _("Lopende huurachterstand gekoppeld."), actor=user,
                     organisation_id=case.organisation_id)


def link_report_by_reference(case: Case, user: User, *, reference: str) -> None:
    from wijkpunt.reports.models import Report

    reference = (reference or "").strip().upper()
    report = Report.objects.filter(organisation_id=case.organisation_id, reference__iexact=reference).first() \
        if reference else None
    if report is None:
        raise ValidationError({"reference": _("Geen melding met dit nummer bij deze corporatie.")})
    link_report(case, user, report=report)


def link_report(case: Case, user: User, *, report) -> None:
    if report.organisation_id != case.organisation_id:
        raise ValidationError({"report": _("Deze melding hoort niet bij de corporatie van de casus.")})
    if case.reports.filter(pk=report.pk).exists():
        return
    case.reports.add(report)
    record_event(case, CaseEvent.Kind.LINK, _("Melding %(ref)s gekoppeld.") % {"ref": report.reference},
                 actor=user, organisation_id=case.organisation_id)


def link_episode(case: Case, user: User, *, episode) -> None:
    if episode.corporation_id != case.organisation_id:
        raise ValidationError({"episode": _("Deze huurachterstand hoort niet bij de corporatie van de casus.")})
    if case.episodes.filter(pk=episode.pk).exists():
        return
    case.episodes.add(episode)
    record_event(case, CaseEvent.Kind.LINK, _("Huurachterstand gekoppeld."), actor=user,
                 organisation_id=case.organisation_id)


def notify_assigned(case: Case, *, key: str = "opened") -> None:
    """Tell the lead there is a case for them: the reference and the link only — no household,
    address, reasons or amounts (the lead may be a partner professional without consent yet)."""
    consultant = case.assigned_to
    if consultant is None or not consultant.email:
        return
    context = {"case": case, "url": settings.BASE_URL + reverse("cases:detail", args=[case.pk]),
               "consultant": consultant}
    with translation.override("nl"):
        body = render_to_string("cases/email/case_opened.txt", context)
        subject = render_to_string("cases/email/case_opened.subject.txt", context).strip()
    outbox_enqueue_email(idempotency_key=f"case-{case.pk}-{key}", recipient=consultant.email,
                         subject=subject, body=body)


def _clean_text(text: str, field: str, empty_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: empty_message})
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationError({field: _("Houd de notitie korter dan %(n)s tekens.") % {"n": MAX_NOTE_LENGTH}})
    return text


def add_note(case: Case, user: User, *, text: str, organisation_id: int | None = None,
             category: str = InfoCategory.SITUATION, visibility: str = Visibility.OWN_ORGANISATION,
             allowed_categories: frozenset[str] | None = None) -> CaseNote:
    """Append a note. ``organisation_id`` is the writer's organisation (the owner by default);
    a note of a special category may only be written by someone whose role may read it."""
    text = _clean_text(text, "text", _("Schrijf een notitie."))
    if category not in InfoCategory.values:
        raise ValidationError({"category": _("Kies wat voor informatie de notitie bevat.")})
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Kies voor wie de notitie zichtbaar is.")})
    if allowed_categories is not None and category not in allowed_categories:
        raise ValidationError({"category": _("Uw rol mag dit soort informatie niet vastleggen.")})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise ValidationError({"text": _("Deze casus is afgesloten; er kunnen geen notities meer bij.")})
        return CaseNote.objects.create(
            case=locked, author=user, text=text, organisation_id=organisation_id or locked.organisation_id,
            category=category, visibility=visibility,
        )


def close_case(case: Case, user: User, *, text: str) -> Case:
    """Close the case with a closing note (why it ends, what was arranged)."""
    text = _clean_text(text, "text", _("Schrijf kort waarom de casus wordt afgesloten."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise ValidationError({"text": _("Deze casus is al afgesloten.")})
        locked.status, locked.closed_on = Case.Status.CLOSED, timezone.localdate()
        locked.steering_flag = False
        locked.save(update_fields=["status", "closed_on", "steering_flag"])
        CaseNote.objects.create(case=locked, author=user, text=text, is_closing=True,
                                organisation_id=locked.organisation_id)
        record_event(locked, CaseEvent.Kind.CLOSED, _("Casus afgesloten."), actor=user,
                     organisation_id=locked.organisation_id, for_participants=True)
        # Participation ends with the case: partners keep nothing open (their own notes stay in the file).
        locked.participants.filter(
            status__in=(CaseParticipant.Status.INVITED, CaseParticipant.Status.ACCEPTED)
        ).update(status=CaseParticipant.Status.ENDED, ended_at=timezone.now())
        return locked


def record_event(case: Case, kind: str, text: str, *, actor: User | None, organisation_id: int | None,
                 for_participants: bool = False) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, text=str(text)[:500], actor=actor,
                                    organisation_id=organisation_id, for_participants=for_participants)


def lead_candidates(case: Case) -> QuerySet[User]:
    """People who can be the one face: case workers of the owner, or partner professionals of an
    organisation that accepted its participation — each through one membership that carries the
    permission in that very organisation."""
    accepted = list(case.participants.filter(status=CaseParticipant.Status.ACCEPTED)
                    .values_list("organisation_id", flat=True))
    work_label, work_code = WORK_ON_CASES.split(".")
    part_label, part_code = TAKE_PART.split(".")
    memberships = Membership.objects.filter(organisation__is_active=True).filter(
        models.Q(organisation_id=case.organisation_id, role__permissions__codename=work_code,
                 role__permissions__content_type__app_label=work_label)
        | models.Q(organisation_id__in=accepted, role__permissions__codename=part_code,
                   role__permissions__content_type__app_label=part_label)
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by(
        "first_name", "last_name", "username")


def set_lead(case: Case, user: User, *, lead: User | None) -> Case:
    if lead is None or not lead_candidates(case).filter(pk=lead.pk).exists():
        raise ValidationError({"assigned_to": _(
            "Kies een casusregisseur van de corporatie of van een deelnemende organisatie.")})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise ValidationError({"assigned_to": _("Deze casus is afgesloten.")})
        if locked.assigned_to_id == lead.pk:
            return locked
        locked.assigned_to = lead
        locked.save(update_fields=["assigned_to"])
        record_event(locked, CaseEvent.Kind.LEAD, _("Casusregisseur is nu %(name)s.") % {"name": lead},
                     actor=user, organisation_id=locked.organisation_id, for_participants=True)
        notify_assigned(locked, key=f"lead-{lead.pk}-{timezone.now():%Y%m%d%H%M%S%f}")
        return locked


def current_household(unit: Unit) -> Household | None:
    """Who lives at ``unit`` now (its running tenancy), if anyone."""
    tenancy = unit.tenancies.filter(end_date__isnull=True).select_related("household").order_by("-start_date").first()
    return tenancy.household if tenancy else None


def _current_unit(household: Household | None) -> Unit | None:
    if household is None:
        return None
    tenancy = household.tenancies.select_related("unit").order_by("-start_date").first()
    return tenancy.unit if tenancy else None


def validate_case_type(case_type: str, detail: str) -> None:
    if case_type not in CaseType.values:
        raise ValidationError({"case_type": _("Kies een zaaktype.")})
    if detail and DETAIL_PARENT.get(detail) != case_type:
        raise ValidationError({"case_type_detail": _("Dit detail hoort niet bij het gekozen zaaktype.")})


MAX_DETAILS_LENGTH = 20_000


def update_details(case: Case, user: User, *, allowed_categories: frozenset[str], summary: str | None = None,
                   care_details: str | None = None, debt_details: str | None = None,
                   case_type: str | None = None, case_type_detail: str | None = None) -> Case:
    """Change the description fields the writer's role may see; the event names the field, not the content
    (special-category text never goes to the audit trail)."""
    changes = {"summary": (summary, InfoCategory.SITUATION), "care_details": (care_details, InfoCategory.CARE),
               "debt_details": (debt_details, InfoCategory.DEBT)}
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise ValidationError({"summary": _("Deze casus is afgesloten.")})
        changed = []
        for name, (value, category) in changes.items():
            if value is None:
                continue
            if category not in allowed_categories:
                raise ValidationError({name: _("Uw rol mag dit veld niet wijzigen.")})
            value = value.strip()
            if len(value) > MAX_DETAILS_LENGTH:
                raise ValidationError({name: _("Houd dit korter dan %(n)s tekens.") % {"n": MAX_DETAILS_LENGTH}})
            if getattr(locked, name) != value:
                setattr(locked, name, value)
                changed.append(name)
        if case_type is not None:
            detail = case_type_detail or ""
            validate_case_type(case_type, detail)
            if (locked.case_type, locked.case_type_detail) != (case_type, detail):
                locked.case_type, locked.case_type_detail = case_type, detail
                changed += ["case_type", "case_type_detail"]
        if changed:
            locked.save(update_fields=changed)
            labels = ", ".join(str(Case._meta.get_field(n).verbose_name) for n in changed if n != "case_type_detail")
            record_event(locked, CaseEvent.Kind.DETAILS, _("Bijgewerkt: %(fields)s.") % {"fields": labels},
                         actor=user, organisation_id=locked.organisation_id)
        return locked
