"""Writes of the on-call management pages: rosters, members, overrides, absences, office calendar
and escalation policies. Each checks ``oncall.manage_oncall`` in the object's organisation and
validates everything before it writes anything (one transaction per action)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkpunt.core.models import ClosedDay, OfficeHours, Organisation, User
from wijkpunt.core.permissions import has_org_perm
from wijkpunt.housing.models import Complex, Neighbourhood, Unit

from .models import Absence, EscalationPolicy, EscalationStep, Roster, RosterMember, RosterOverride
from .validation import StepData, validate_policy_fields, validate_steps

PERM = "oncall.manage_oncall"


class NotAllowed(PermissionDenied):
    """Django answers it with 403 wherever it is raised."""


def require_manage(actor, organisation_id: int) -> None:
    if not has_org_perm(actor, PERM, organisation_id):
        raise NotAllowed(_("U mag de achtervang van deze organisatie niet beheren."))


# -- who and what can be chosen, per organisation (also the querysets of the forms) ------------------
def org_members(org_ids):
    """Active people with a membership in one of these organisations."""
    return User.objects.filter(is_active=True, memberships__organisation_id__in=list(org_ids)).distinct().order_by(
        "first_name", "last_name", "username")


def on_call_staff(org_ids):
    """People who may stand on a roster: they hold 'oproepen bevestigen' in the organisation."""
    return User.objects.filter(
        is_active=True, memberships__organisation_id__in=list(org_ids),
        memberships__role__permissions__codename="acknowledge_page",
        memberships__role__permissions__content_type__app_label="oncall",
    ).distinct().order_by("first_name", "last_name", "username")


def org_neighbourhoods(org_ids):
    """Neighbourhoods of a corporation: where it has complexes or units, or its municipality."""
    org_ids = list(org_ids)
    codes = [c for c in Organisation.objects.filter(pk__in=org_ids).values_list("municipality_code", flat=True) if c]
    return Neighbourhood.objects.filter(
        Q(pk__in=Complex.objects.filter(corporation_id__in=org_ids).values("neighbourhood"))
        | Q(pk__in=Unit.objects.filter(corporation_id__in=org_ids).values("neighbourhood"))
        | Q(municipality__code__in=codes)
    ).select_related("municipality").order_by("name")


# -- rosters ---------------------------------------------------------------------------------------
@transaction.atomic
def roster_save(*, actor, roster: Roster, neighbourhoods) -> Roster:
    """Save a roster as cleaned by ``RosterForm`` (the form checks coordinator and neighbourhoods)."""
    if roster.pk:
        roster.organisation_id = Roster.objects.values_list("organisation_id", flat=True).get(pk=roster.pk)
    require_manage(actor, roster.organisation_id)
    roster.save()
    roster.neighbourhoods.set(neighbourhoods)
    return roster


def _renumber(roster: Roster) -> None:
    for position, member in enumerate(roster.members.order_by("position", "pk"), start=1):
        if member.position != position:
            RosterMember.objects.filter(pk=member.pk).update(position=position)


@transaction.atomic
def member_add(*, actor, roster: Roster, user) -> RosterMember:
    require_manage(actor, roster.organisation_id)
    if not on_call_staff([roster.organisation_id]).filter(pk=user.pk).exists():
        raise ValidationError({"user": _("Deze medewerker kan geen oproepen van deze organisatie bevestigen.")})
    Roster.objects.select_for_update().filter(pk=roster.pk).first()  # serialise position numbering
    last = roster.members.aggregate(m=Max("position"))["m"] or 0
    try:
        with transaction.atomic():
            member = RosterMember.objects.create(roster=roster, user=user, position=last + 1)
    except IntegrityError as exc:
        raise ValidationError({"user": _("%(name)s staat al op dit rooster.") % {"name": user}}) from exc
    return member


@transaction.atomic
def member_remove(*, actor, member: RosterMember) -> None:
    require_manage(actor, member.roster.organisation_id)
    roster = member.roster
    member.delete()
    _renumber(roster)


@transaction.atomic
def member_move(*, actor, member: RosterMember, offset: int) -> None:
    """Move a member one place earlier (-1) or later (+1) in the rotation."""
    require_manage(actor, member.roster.organisation_id)
    _renumber(member.roster)
    members = list(member.roster.members.order_by("position"))
    index = next(i for i, m in enumerate(members) if m.pk == member.pk)
    other = index + offset
    if not 0 <= other < len(members):
        return
    a, b = members[index], members[other]
    RosterMember.objects.filter(pk=a.pk).update(position=b.position)
    RosterMember.objects.filter(pk=b.pk).update(position=a.position)


@transaction.atomic
def override_add(*, actor, roster: Roster, starts_at: dt.datetime, ends_at: dt.datetime, user=None,
                 reason: str = "") -> RosterOverride:
    """A swap (someone else is on call) or, without a person, an announced gap. Overlaps are allowed:
    the latest override wins (``schedule.RosterSchedule``)."""
    require_manage(actor, roster.organisation_id)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Het einde moet na het begin liggen.")})
    if user is not None and not on_call_staff([roster.organisation_id]).filter(pk=user.pk).exists():
        raise ValidationError({"user": _("De vervanger moet bij deze organisatie oproepen kunnen bevestigen.")})
    return RosterOverride.objects.create(roster=roster, starts_at=starts_at, ends_at=ends_at, user=user,
                                         reason=reason.strip()[:200], created_by=actor)


@transaction.atomic
def override_delete(*, actor, override: RosterOverride, now: dt.datetime | None = None) -> None:
    require_manage(actor, override.roster.organisation_id)
    if override.ends_at <= (now or timezone.now()):
        raise ValidationError(_("Een wissel die voorbij is, blijft bewaard."))
    override.delete()


@transaction.atomic
def absence_add(*, actor, organisation_id: int, user, starts_at: dt.datetime, ends_at: dt.datetime,
                reason: str) -> Absence:
    require_manage(actor, organisation_id)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Het einde moet na het begin liggen.")})
    if not org_members([organisation_id]).filter(pk=user.pk).exists():
        raise ValidationError({"user": _("Deze medewerker werkt niet bij deze organisatie.")})
    return Absence.objects.create(user=user, starts_at=starts_at, ends_at=ends_at, reason=reason.strip()[:200],
                                  created_by=actor)


@transaction.atomic
def absence_delete(*, actor, organisation_id: int, absence: Absence) -> None:
    require_manage(actor, organisation_id)
    if not org_members([organisation_id]).filter(pk=absence.user_id).exists():
        raise NotAllowed(_("Deze afwezigheid hoort bij iemand van een andere organisatie."))
    absence.delete()


# -- office calendar -------------------------------------------------------------------------------
@transaction.atomic
def office_hours_add(*, actor, organisation: Organisation, weekday: int, opens: dt.time,
                     closes: dt.time) -> OfficeHours:
    require_manage(actor, organisation.pk)
    if closes <= opens:
        raise ValidationError({"closes": _("De sluitingstijd moet na de openingstijd liggen.")})
    for row in OfficeHours.objects.select_for_update().filter(organisation=organisation, weekday=weekday):
        if opens < row.closes and row.opens < closes:
            raise ValidationError({"opens": _("Dit overlapt met %(row)s.") % {"row": row}})
    return OfficeHours.objects.create(organisation=organisation, weekday=weekday, opens=opens, closes=closes)


@transaction.atomic
def office_hours_delete(*, actor, row: OfficeHours) -> None:
    require_manage(actor, row.organisation_id)
    row.delete()


@transaction.atomic
def closed_day_add(*, actor, organisation: Organisation, date: dt.date, reason: str = "") -> ClosedDay:
    require_manage(actor, organisation.pk)
    if ClosedDay.objects.filter(organisation=organisation, date=date).exists():
        raise ValidationError({"date": _("Deze dag staat al als sluitingsdag in de lijst.")})
    try:
        with transaction.atomic():
            return ClosedDay.objects.create(organisation=organisation, date=date, reason=reason.strip()[:200])
    except IntegrityError as exc:  # a simultaneous request added it
        raise ValidationError({"date": _("Deze dag staat al als sluitingsdag in de lijst.")}) from exc


@transaction.atomic
def closed_day_delete(*, actor, day: ClosedDay) -> None:
    require_manage(actor, day.organisation_id)
    day.delete()


# -- escalation policies ---------------------------------------------------------------------------
def _merge(errors: dict[str, list[str]], exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.message_dict.items():
            errors.setdefault(field, []).extend(field_errors)
    else:
        errors.setdefault("__all__", []).extend(exc.messages)


def policy_check(*, policy: EscalationPolicy, steps: list[StepData]) -> None:
    """Every check on a policy and its (unsaved) chain; one ValidationError with all messages.
    Field keys match ``PolicyForm``; the per-step messages are under ``steps``."""
    org_id = policy.organisation_id
    errors: dict[str, list[str]] = {}
    try:
        validate_policy_fields(organisation_id=org_id, action=policy.action, urgencies=list(policy.urgencies or []),
                               trigger=policy.trigger, queue_deadline_minutes=policy.queue_deadline_minutes,
                               roster=policy.roster, queue_team=policy.queue_team)
    except ValidationError as exc:
        _merge(errors, exc)
    try:
        validate_steps(policy_id=policy.pk, organisation_id=org_id, action=policy.action, steps=steps)
    except ValidationError as exc:
        _merge(errors, exc)
    members = set(org_members([org_id]).values_list("pk", flat=True))
    for number, step in enumerate(steps, start=1):
        if step.user_id and step.user_id not in members:
            errors.setdefault("steps", []).append(
                _("Stap %(n)s: deze persoon werkt niet bij deze organisatie.") % {"n": number})
    if policy.pk and policy.action != EscalationPolicy.Action.PAGE:
        users = (EscalationStep.objects.filter(continue_with=policy).exclude(policy=policy)
                 .values_list("policy__name", flat=True).distinct())
        if users:
            errors.setdefault("action", []).append(
                _("Beleid %(names)s gaat door met dit beleid; dat kan alleen met beleid dat oproept.")
                % {"names": ", ".join(sorted(users))})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def policy_save(*, actor, policy: EscalationPolicy, categories, steps: list[StepData]) -> EscalationPolicy:
    """Validate, then write the policy and its whole chain (all or nothing)."""
    if policy.organisation_id is None:
        raise ValidationError({"organisation": _("Kies een organisatie.")})
    require_manage(actor, policy.organisation_id)
    if policy.pk:  # the stored organisation counts, not whatever the instance says now
        stored = EscalationPolicy.objects.select_for_update().get(pk=policy.pk)
        require_manage(actor, stored.organisation_id)
        policy.organisation_id = stored.organisation_id
    policy_check(policy=policy, steps=steps)
    policy.save()
    policy.categories.set(categories)
    policy.steps.all().delete()
    EscalationStep.objects.bulk_create([
        EscalationStep(policy=policy, position=position, target=step.target, user_id=step.user_id,
                       roster_id=step.roster_id, continue_with_id=step.continue_with_id,
                       channels=[] if step.target == EscalationStep.Target.CONTINUE else list(step.channels),
                       wait=step.wait if step.wait >= dt.timedelta(minutes=1) else dt.timedelta(minutes=10))
        for position, step in enumerate(steps, start=1)
    ])
    return policy


@transaction.atomic
def policy_delete(*, actor, policy: EscalationPolicy) -> None:
    require_manage(actor, policy.organisation_id)
    users = (EscalationStep.objects.filter(continue_with=policy).exclude(policy=policy)
             .values_list("policy__name", flat=True).distinct())
    if users:
        raise ValidationError(_("Beleid %(names)s gaat door met dit beleid; pas dat eerst aan.")
                              % {"names": ", ".join(sorted(users))})
    try:
        policy.delete()
    except ProtectedError as exc:
        raise ValidationError(_("Dit beleid is nog in gebruik en kan niet worden verwijderd.")) from exc
