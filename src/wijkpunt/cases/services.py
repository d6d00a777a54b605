"""Writing cases: open (at most one open case per household), add a note, close with a note.

Services validate their input and raise ``ValidationError`` with a field-level dict (Dutch
messages). Each runs in one transaction; the e-mail to the consultant goes through the outbox
and leaves after commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wijkpunt.core.models import Membership, User
from wijkpunt.core.outbox import outbox_enqueue_email
from wijkpunt.housing.models import Household, Unit

from .models import WORK_ON_CASES, Case, CaseNote, ConsultantArea

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
            )
            notify_assigned(case, unit)
    except IntegrityError:
        # Someone opened one at the same moment (the partial unique constraint): show theirs.
        existing = Case.objects.filter(organisation_id=organisation_id, household=household,
                                       status=Case.Status.OPEN).first()
        if existing is None:
            raise
        return existing, False
    return case, True


def notify_assigned(case: Case, unit: Unit | None) -> None:
    """Tell the consultant there is a new case: household and address and a link, no reasons or amounts."""
    consultant = case.assigned_to
    if consultant is None or not consultant.email:
        return
    context = {
        "case": case, "household": case.household, "address": unit.address if unit else "",
        "url": settings.BASE_URL + reverse("cases:detail", args=[case.pk]), "consultant": consultant,
    }
    with translation.override("nl"):
        body = render_to_string("cases/email/case_opened.txt", context)
        subject = render_to_string("cases/email/case_opened.subject.txt", context).strip()
    outbox_enqueue_email(idempotency_key=f"case-{case.pk}-opened", recipient=consultant.email,
                         subject=subject, body=body)


def _clean_text(text: str, field: str, empty_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: empty_message})
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationError({field: _("Houd de notitie korter dan %(n)s tekens.") % {"n": MAX_NOTE_LENGTH}})
    return text


def add_note(case: Case, user: User, *, text: str) -> CaseNote:
    text = _clean_text(text, "text", _("Schrijf een notitie."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise ValidationError({"text": _("Deze casus is afgesloten; er kunnen geen notities meer bij.")})
        return CaseNote.objects.create(case=locked, author=user, text=text)


def close_case(case: Case, user: User, *, text: str) -> Case:
    """Close the case with a closing note (why it ends, what was arranged)."""
    text = _clean_text(text, "text", _("Schrijf kort waarom de casus wordt afgesloten."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise ValidationError({"text": _("Deze casus is al afgesloten.")})
        locked.status, locked.closed_on = Case.Status.CLOSED, timezone.localdate()
        locked.save(update_fields=["status", "closed_on"])
        CaseNote.objects.create(case=locked, author=user, text=text, is_closing=True)
        return locked
