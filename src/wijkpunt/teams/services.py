"""Every write of the teams app: keyword-only, one transaction each, ``ValidationError`` with field
keys and Dutch messages for bad input or a step that is not allowed.

The life cycle of a job lives in one place, :func:`job_transition`::

    aangevraagd ─accept─► aangenomen ─plan─► gepland ─complete─► klaar
         │                    │                 │ (plan again: new date/members)
         └──── decline / withdraw (any open state) ────► afgewezen / ingetrokken

Who may act is checked here as well (:func:`allowed_actions`), so the pages and the API cannot
drift apart: staff with ``teams.manage_jobs`` in the job's corporation may do everything; a member
of the job's team may accept, plan and decline a new job; planned members and coordinators may
complete; a coordinator may decline or re-plan an accepted/planned job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkpunt.core.models import Organisation, User
from wijkpunt.core.permissions import orgs_with_perm
from wijkpunt.housing.models import Neighbourhood, Unit
from wijkpunt.volunteers.models import Programme, Volunteer, still_active

from . import notifications
from .models import MANAGE_JOBS, WORK_IN_TEAM, JobEvent, JobRequest, Kind, Team, TeamMember

Status = JobRequest.Status

ACCEPT, PLAN, COMPLETE, DECLINE, WITHDRAW = "accept", "plan", "complete", "decline", "withdraw"
ACTIONS = (ACCEPT, PLAN, COMPLETE, DECLINE, WITHDRAW)
# action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    ACCEPT: ((Status.REQUESTED,), Status.ACCEPTED),
    PLAN: ((Status.ACCEPTED, Status.PLANNED), Status.PLANNED),
    COMPLETE: ((Status.PLANNED,), Status.DONE),
    DECLINE: ((Status.REQUESTED, Status.ACCEPTED, Status.PLANNED), Status.DECLINED),
    WITHDRAW: ((Status.REQUESTED, Status.ACCEPTED, Status.PLANNED), Status.WITHDRAWN),
}
MAX_HOURS = Decimal("500")


def active_volunteers(corporation_id: int):
    """Volunteers of the corporation who have not stopped and whose account is active."""
    return Volunteer.objects.filter(still_active(), programme__corporation_id=corporation_id, user__is_active=True)


# --- teams --------------------------------------------------------------------------------------

def _check_team(*, corporation: Organisation, kind: str, name: str, programme: Programme | None,
                neighbourhoods: Sequence[Neighbourhood], exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Vul een naam in.")]
    elif Team.objects.filter(corporation=corporation, name__iexact=name).exclude(pk=exclude_pk).exists():
        errors["name"] = [_("Er is al een team met deze naam.")]
    if kind not in Kind.values:
        errors["kind"] = [_("Kies Klusteam of Groenteam.")]
    if programme is not None and programme.corporation_id != corporation.pk:
        errors["programme"] = [_("Kies een programma van uw corporatie.")]
    if programme is None and not neighbourhoods:
        errors["neighbourhoods"] = [_("Kies het programma of ten minste één buurt waar het team werkt.")]
    if errors:
        raise ValidationError(errors)
    return name


@transaction.atomic
def team_create(*, corporation: Organisation, kind: str, name: str, programme: Programme | None = None,
                neighbourhoods: Sequence[Neighbourhood] = (), is_active: bool = True) -> Team:
    name = _check_team(corporation=corporation, kind=kind, name=name, programme=programme,
                       neighbourhoods=neighbourhoods)
    try:
        with transaction.atomic():  # a parallel request with the same name: the constraint decides
            team = Team.objects.create(corporation=corporation, kind=kind, name=name, programme=programme,
                                       is_active=is_active)
    except IntegrityError:
        raise ValidationError({"name": [_("Er is al een team met deze naam.")]}) from None
    team.neighbourhoods.set(neighbourhoods)
    return team


@transaction.atomic
def team_update(*, team: Team, kind: str, name: str, programme: Programme | None,
                neighbourhoods: Sequence[Neighbourhood], is_active: bool) -> Team:
    team = Team.objects.select_for_update().get(pk=team.pk)
    team.name = _check_team(corporation=team.corporation, kind=kind, name=name, programme=programme,
                            neighbourhoods=neighbourhoods, exclude_pk=team.pk)
    team.kind, team.programme, team.is_active = kind, programme, is_active
    try:
        with transaction.atomic():
            team.save(update_fields=["name", "kind", "programme", "is_active"])
    except IntegrityError:
        raise ValidationError({"name": [_("Er is al een team met deze naam.")]}) from None
    team.neighbourhoods.set(neighbourhoods)
    return team


@transaction.atomic
def team_add_member(*, team: Team, volunteer: Volunteer, is_coordinator: bool = False) -> TeamMember:
    if not active_volunteers(team.corporation_id).filter(pk=volunteer.pk).exists():
        raise ValidationError({"volunteer": [_("Kies een actieve Bewonerskracht van uw corporatie.")]})
    member, created = TeamMember.objects.get_or_create(team=team, volunteer=volunteer,
                                                       defaults={"is_coordinator": is_coordinator})
    if not created:
        raise ValidationError({"volunteer": [_("Deze Bewonerskracht is al lid van het team.")]})
    return member


@transaction.atomic
def team_set_coordinator(*, member: TeamMember, is_coordinator: bool) -> TeamMember:
    member = TeamMember.objects.select_for_update().get(pk=member.pk)
    member.is_coordinator = is_coordinator
    member.save(update_fields=["is_coordinator"])
    return member


@transaction.atomic
def team_remove_member(*, member: TeamMember) -> None:
    member.delete()


# --- routing ------------------------------------------------------------------------------------

def covering_team(*, corporation_id: int, kind: str, neighbourhood_id: int) -> Team | None:
    """The active team of this kind of the corporation that works in the neighbourhood (oldest first)."""
    return (
        Team.objects.filter(corporation_id=corporation_id, kind=kind, is_active=True)
        .filter(Q(neighbourhoods__id=neighbourhood_id) | Q(programme__neighbourhood_id=neighbourhood_id))
        .order_by("pk").distinct().first()
    )


def _event(job: JobRequest, *, actor: User | None, text: str = "") -> JobEvent:
    return JobEvent.objects.create(job=job, status=job.status, actor=actor, text=text[:500])


class IdempotencyConflict(Exception):
    """The key was used before for a different job request."""


def job_request_create(*, unit: Unit, kind: str, description: str, requester_name: str, requester_phone: str,
                       requester_email: str = "", contact_consent: bool = False,
                       source: str = JobRequest.Source.TENANT, created_by: User | None = None,
                       idempotency_key: str | None = None) -> tuple[JobRequest, bool]:
    """Record a job request for ``unit`` and route it to the covering team (or leave it unassigned).

    Returns ``(job, created)``; a repeated ``idempotency_key`` with the same description returns the
    first job, with another description raises :class:`IdempotencyConflict`."""
    description = (description or "").strip()
    name = (requester_name or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Kies een klus of een tuin-/groenklus.")]
    if not description:
        errors["description"] = [_("Beschrijf wat er moet gebeuren.")]
    if not name:
        errors["requester_name"] = [_("Vul uw naam in.")]
    if not (requester_phone or "").strip():
        errors["requester_phone"] = [_("Vul een telefoonnummer in, zodat het team een afspraak kan maken.")]
    if errors:
        raise ValidationError(errors)
    if idempotency_key:
        existing = JobRequest.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.description != description:
                raise IdempotencyConflict
            return existing, False
    try:
        with transaction.atomic():
            team = covering_team(corporation_id=unit.corporation_id, kind=kind, neighbourhood_id=unit.neighbourhood_id)
            job = JobRequest.objects.create(
                corporation_id=unit.corporation_id, kind=kind, team=team, unit=unit, description=description[:2000],
                requester_name=name[:200], requester_phone=requester_phone.strip(),
                requester_email=(requester_email or "").strip(), contact_consent=bool(contact_consent),
                source=source, created_by=created_by, idempotency_key=idempotency_key or None,
            )
            text = (_("Toegewezen aan %(team)s.") % {"team": team.name}) if team else _("Nog geen team: wordt verdeeld.")
            _event(job, actor=created_by, text=text)
    except IntegrityError:
        # a parallel request with the same key won the race
        existing = JobRequest.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if existing is None:
            raise
        if existing.description != description:
            raise IdempotencyConflict from None
        return existing, False
    return job, True


def _lock(job: JobRequest) -> JobRequest:
    return JobRequest.objects.select_for_update().get(pk=job.pk)


@transaction.atomic
def job_route(*, job: JobRequest, team: Team, actor: User) -> JobRequest:
    """Staff: give an (unassigned or misrouted) open job to a team of its corporation and kind."""
    job = _lock(job)
    if job.corporation_id not in orgs_with_perm(actor, MANAGE_JOBS):
        raise ValidationError({"team": [_("U mag klussen van deze corporatie niet verdelen.")]})
    if not job.is_open or job.status != Status.REQUESTED:
        raise ValidationError({"team": [_("Alleen een nieuwe aanvraag kan naar een (ander) team.")]})
    if team.corporation_id != job.corporation_id or team.kind != job.kind or not team.is_active:
        raise ValidationError({"team": [_("Kies een actief %(kind)s van de corporatie.") % {
            "kind": job.get_kind_display()}]})
    job.team = team
    job.save(update_fields=["team"])
    _event(job, actor=actor, text=_("Toegewezen aan %(team)s.") % {"team": team.name})
    return job


# --- the life cycle -----------------------------------------------------------------------------

def _member(job: JobRequest, user: User) -> TeamMember | None:
    if job.team_id is None or job.corporation_id not in orgs_with_perm(user, WORK_IN_TEAM):
        return None
    volunteer = getattr(user, "volunteer", None) if user.is_authenticated else None
    if volunteer is None or not active_volunteers(job.corporation_id).filter(pk=volunteer.pk).exists():
        return None
    return TeamMember.objects.filter(team_id=job.team_id, volunteer=volunteer).first()


def is_staff_for(user, job: JobRequest) -> bool:
    return job.corporation_id in orgs_with_perm(user, MANAGE_JOBS)


def allowed_actions(user, job: JobRequest) -> list[str]:
    """The actions ``user`` may take on ``job`` now (in the order of the life cycle)."""
    possible = [a for a in ACTIONS if job.status in TRANSITIONS[a][0]]
    if not possible:
        return []
    if is_staff_for(user, job):
        return [a for a in possible if a != ACCEPT or job.team_id is not None]
    member = _member(job, user)
    if member is None:
        return []
    lead = member.is_coordinator or job.accepted_by_id == user.pk
    allowed = []
    for action in possible:
        if job.status == Status.REQUESTED:
            ok = action in (ACCEPT, DECLINE)
        elif action in (PLAN, DECLINE):
            ok = lead
        elif action == COMPLETE:
            ok = lead or job.planned_members.filter(pk=member.volunteer_id).exists()
        else:
            ok = False
        if ok:
            allowed.append(action)
    return allowed


def _who_may(action: str) -> str:
    return {
        ACCEPT: _("Alleen een lid van het team of een medewerker kan deze klus aannemen."),
        PLAN: _("Alleen wie de klus aannam, een coördinator of een medewerker kan hem plannen."),
        COMPLETE: _("Alleen ingeplande teamleden, een coördinator of een medewerker kunnen de klus afmelden."),
        DECLINE: _("Alleen het team (coördinator) of een medewerker kan deze klus afwijzen."),
        WITHDRAW: _("Alleen een medewerker kan de aanvraag namens de huurder intrekken."),
    }[action]


def _state_message(job: JobRequest, action: str) -> str:
    if job.status == Status.DONE:
        return _("Deze klus is al klaar.")
    if not job.is_open:
        return _("Deze klus is afgesloten (%(status)s).") % {"status": job.get_status_display().lower()}
    return {
        ACCEPT: _("Deze klus is al aangenomen."),
        PLAN: _("Neem de klus eerst aan voordat u hem plant."),
        COMPLETE: _("Plan de klus eerst (datum en wie) voordat u hem afmeldt."),
    }.get(action, _("Deze stap kan nu niet."))


def job_transition(*, job: JobRequest, actor: User, action: str, planned_for: dt.date | None = None,
                   members: Sequence[Volunteer] = (), done_on: dt.date | None = None, hours: Decimal | None = None,
                   notes: str = "", reason: str = "", reason_text: str = "") -> JobRequest:
    """Take one step in a job's life; the only way its status changes. E-mails the requester (when
    they gave an address) at accepted, planned and done, through the outbox after commit."""
    if action not in ACTIONS:
        raise ValidationError({"action": [_("Onbekende stap: kies aannemen, plannen, afmelden of afwijzen.")]})
    with transaction.atomic():
        job = _lock(job)
        sources, target = TRANSITIONS[action]
        if job.status not in sources:
            raise ValidationError({"action": [_state_message(job, action)]})
        if action == ACCEPT and job.team_id is None:
            raise ValidationError({"action": [_("Deze aanvraag heeft nog geen team; wijs eerst een team toe.")]})
        if action not in allowed_actions(actor, job):
            raise ValidationError({"action": [_who_may(action)]})
        now = timezone.now()
        today = timezone.localdate()
        fields = ["status"]
        text = ""
        if action == ACCEPT:
            job.accepted_by, job.accepted_at = actor, now
            fields += ["accepted_by", "accepted_at"]
            text = _("Het %(team)s heeft uw klus aangenomen.") % {"team": job.team.get_kind_display()}
        elif action == PLAN:
            chosen = _check_plan(job, planned_for=planned_for, members=members, today=today)
            job.planned_for = planned_for
            fields.append("planned_for")
            text = _("Gepland op %(date)s.") % {"date": planned_for.strftime("%d-%m-%Y")}
        elif action == COMPLETE:
            done_on = done_on or today
            errors = {}
            if done_on > today:
                errors["done_on"] = [_("De datum ligt in de toekomst.")]
            elif job.planned_for and done_on < job.planned_for - dt.timedelta(days=60):
                errors["done_on"] = [_("Deze datum ligt ver voor de geplande datum; controleer hem.")]
            if hours is not None and not (Decimal("0") < hours <= MAX_HOURS):
                errors["hours"] = [_("Vul een aantal uren tussen 0 en 500 in.")]
            if errors:
                raise ValidationError(errors)
            job.done_on, job.hours, job.done_notes, job.closed_at = done_on, hours, (notes or "").strip()[:2000], now
            fields += ["done_on", "hours", "done_notes", "closed_at"]
            text = _("De klus is klaar.")
        elif action == DECLINE:
            if reason not in JobRequest.DeclineReason.values:
                raise ValidationError({"reason": [_("Kies een reden.")]})
            reason_text = (reason_text or "").strip()
            if reason == JobRequest.DeclineReason.OTHER and not reason_text:
                raise ValidationError({"reason_text": [_("Licht de reden toe.")]})
            job.decline_reason, job.decline_text, job.closed_at = reason, reason_text[:500], now
            fields += ["decline_reason", "decline_text", "closed_at"]
            text = str(JobRequest.DeclineReason(reason).label) + (f": {reason_text}" if reason_text else "")
        elif action == WITHDRAW:
            job.closed_at = now
            fields.append("closed_at")
            text = (reason_text or "").strip() or _("Aanvraag ingetrokken.")
        job.status = target
        job.save(update_fields=fields)
        if action == PLAN:
            job.planned_members.set(chosen)
        event = _event(job, actor=actor, text=text)
        if target in (Status.ACCEPTED, Status.PLANNED, Status.DONE):
            notifications.notify_requester(job, event)
    return job


def _check_plan(job: JobRequest, *, planned_for, members, today) -> list[Volunteer]:
    errors: dict[str, list[str]] = {}
    if planned_for is None:
        errors["planned_for"] = [_("Vul de datum in.")]
    elif planned_for < today:
        errors["planned_for"] = [_("Deze datum ligt in het verleden.")]
    elif planned_for > today + dt.timedelta(days=366):
        errors["planned_for"] = [_("Plan hoogstens een jaar vooruit.")]
    chosen = list({m.pk: m for m in members}.values())
    if not chosen:
        errors["members"] = [_("Kies wie de klus doet (minstens één teamlid).")]
    else:
        team_ids = set(
            TeamMember.objects.filter(team_id=job.team_id, volunteer__in=active_volunteers(job.corporation_id))
            .values_list("volunteer_id", flat=True)
        )
        if any(m.pk not in team_ids for m in chosen):
            errors["members"] = [_("Kies alleen actieve leden van het team.")]
    if errors:
        raise ValidationError(errors)
    return chosen
