"""Escalations: start, fire due steps (idempotently), acknowledge, decide, stop.

Every function that changes an escalation does so in one transaction with a conditional update,
so the three ways a step can be fired (after-commit task, scheduled task, periodic sweep) and
two people pressing "bevestigen" at once can never double anything (guarantee 2)."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkpunt.core.calendar import OfficeCalendar
from wijkpunt.core.permissions import has_org_perm
from wijkpunt.reports import notifications as report_notifications
from wijkpunt.reports.models import OPEN_STATUSES, Report, ReportEvent

from . import messages
from .models import Escalation, EscalationPolicy, EscalationStep, HelpRequest, Page
from .schedule import RosterSchedule, roster_for
from .validation import MAX_EXPANDED_STEPS, expand_chain

logger = logging.getLogger(__name__)
Target = EscalationStep.Target
LIVE = (Escalation.Status.ACTIVE, Escalation.Status.EXHAUSTED)

# Used when a help request arrives and the organisation has no help policy: on call, backup,
# coordinator, five minutes apart, by SMS and e-mail.
DEFAULT_HELP_CHAIN = [
    {"target": t, "user": None, "roster": None, "channels": ["sms", "email"], "wait": 300, "policy": None}
    for t in (Target.ON_CALL, Target.BACKUP, Target.COORDINATOR)
]


class NotAllowed(PermissionError):
    pass


def ack_link_ttl() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "ONCALL_ACK_LINK_HOURS", 12))


# -- starting --------------------------------------------------------------------------------------
def policy_for(*, organisation_id: int, trigger: str, category=None, urgency: str = "",
               at: dt.datetime) -> EscalationPolicy | None:
    policies = (
        EscalationPolicy.objects.filter(organisation_id=organisation_id, trigger=trigger, is_active=True)
        .prefetch_related("categories").order_by("position", "pk")
    )
    open_now = None
    for policy in policies:
        if trigger == EscalationPolicy.Trigger.REPORT and urgency not in policy.urgencies:
            continue
        cats = {c.pk for c in policy.categories.all()}
        if cats and not (category is not None and (category.pk in cats or category.parent_id in cats)):
            continue
        if policy.when != EscalationPolicy.When.ALWAYS:
            if open_now is None:
                from wijkpunt.core.models import Organisation

                calendar = OfficeCalendar.for_organisation(Organisation.objects.get(pk=organisation_id))
                open_now = calendar.is_open(at)
            if open_now != (policy.when == EscalationPolicy.When.INSIDE):
                continue
        return policy
    return None


def _report_event(report: Report, text: str, *, public: bool, at: dt.datetime, data: dict,
                  actor=None, actor_label: str = "", notify: bool = True) -> ReportEvent:
    event = ReportEvent.objects.create(
        report=report, kind=ReportEvent.Kind.ONCALL, text=text, is_public=public, created_at=at, data=data,
        actor=actor, actor_label=actor_label or (str(actor) if actor else _("achtervang")),
    )
    if public and notify:
        report_notifications.notify_reporter_update(report, event)
    return event


def _schedule(escalation_id: int, eta: dt.datetime | None = None) -> None:
    def enqueue():
        from . import tasks

        try:
            if eta is None:
                tasks.fire_escalation(escalation_id)
            else:
                tasks.fire_escalation.schedule(args=(escalation_id,), eta=eta)
        except Exception:  # the periodic sweep fires it; never fail the caller
            logger.warning("could not enqueue escalation %s; the sweep will fire it", escalation_id)

    transaction.on_commit(enqueue)


def escalation_start_for_report(report: Report, *, at: dt.datetime | None = None) -> Escalation | None:
    """Apply the first matching policy to a report (in the caller's transaction)."""
    at = at or timezone.now()
    if report.status not in OPEN_STATUSES or report.escalations.filter(status__in=LIVE).exists():
        return None
    policy = policy_for(organisation_id=report.organisation_id, trigger=EscalationPolicy.Trigger.REPORT,
                        category=report.category, urgency=report.urgency, at=at)
    if policy is None:
        return None
    if policy.action == EscalationPolicy.Action.QUEUE:
        deadline = report.created_at + dt.timedelta(minutes=policy.queue_deadline_minutes or 60)
        fields = {"deadline": min(report.deadline, deadline) if report.deadline else deadline}
        if policy.queue_team_id:
            fields["team_id"] = policy.queue_team_id
        Report.objects.filter(pk=report.pk).update(**fields)
        for name, value in fields.items():
            setattr(report, name, value)
        _report_event(report, _("Spoedbeleid '%(name)s': naar de werkvoorraad, termijn %(min)s minuten.")
                      % {"name": policy.name, "min": policy.queue_deadline_minutes}, public=False, at=at,
                      data={"policy": policy.pk, "action": policy.action})
        return None
    roster = policy.roster or roster_for(report.organisation_id, report.neighbourhood_id)
    escalation = Escalation.objects.create(
        organisation_id=report.organisation_id, report=report, policy=policy, roster=roster,
        chain=expand_chain(policy), due_at=at, started_at=at,
    )
    # shown on the tracking page; not mailed: the reporter just had the confirmation, and the
    # pick-up (a minute or so later) is mailed
    _report_event(report, _("Uw melding is doorgezet naar de dienstdoende medewerker (achtervang)."),
                  public=True, at=at, data={"escalation": escalation.pk, "policy": policy.pk}, notify=False)
    _schedule(escalation.pk)
    return escalation


@transaction.atomic
def help_request_create(*, volunteer, organisation, message: str = "", latitude=None, longitude=None,
                        accuracy_m: int | None = None, idempotency_key: str | None = None,
                        at: dt.datetime | None = None) -> tuple[HelpRequest, bool]:
    """A volunteer asks for help now: the on-call person is paged at once, whatever the hour."""
    if not has_org_perm(volunteer, "oncall.request_help", organisation.pk):
        raise NotAllowed(_("U kunt geen hulp vragen namens deze organisatie."))
    if idempotency_key:
        existing = HelpRequest.objects.filter(idempotency_key=idempotency_key, volunteer=volunteer).first()
        if existing is not None:
            return existing, False
    at = at or timezone.now()
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": _("Geef breedte- en lengtegraad allebei, of geen van beide.")})
    help_request = HelpRequest.objects.create(
        organisation=organisation, volunteer=volunteer, phone=volunteer.phone, message=(message or "").strip()[:300],
        latitude=latitude, longitude=longitude, accuracy_m=accuracy_m, created_at=at,
        idempotency_key=idempotency_key or None,
    )
    policy = policy_for(organisation_id=organisation.pk, trigger=EscalationPolicy.Trigger.HELP, at=at)
    chain = expand_chain(policy) if policy else DEFAULT_HELP_CHAIN
    escalation = Escalation.objects.create(
        organisation=organisation, help_request=help_request, policy=policy,
        roster=(policy.roster if policy and policy.roster_id else None) or roster_for(organisation.pk, None),
        chain=chain, due_at=at, started_at=at,
    )
    _schedule(escalation.pk)
    return help_request, True


# -- firing ----------------------------------------------------------------------------------------
def _resolve(step: dict, escalation: Escalation, now: dt.datetime):
    """(person, reason-if-nobody) for a step at ``now``."""
    from .models import Roster

    User = get_user_model()
    target = step["target"]
    if target == Target.USER:
        user = User.objects.filter(pk=step["user"]).first()
        if user is None or not user.is_active:
            return None, _("persoon niet (meer) actief")
    else:
        roster_id = step.get("roster") or escalation.roster_id
        roster = Roster.objects.filter(pk=roster_id, is_active=True).first() if roster_id else None
        if roster is None:
            return None, _("geen actief rooster")
        if target == Target.COORDINATOR:
            user = roster.coordinator
            if user is None or not user.is_active:
                return None, _("rooster heeft geen coördinator")
        else:
            schedule = RosterSchedule(roster, now, now + dt.timedelta(seconds=1))
            user = schedule.backup_at(now) if target == Target.BACKUP else schedule.on_call_at(now)
            if user is None:
                return None, _("gat in rooster %(name)s") % {"name": roster.name}
    if not (user.phone or user.email):
        return None, _("%(name)s heeft geen telefoon of e-mail") % {"name": user}
    return user, ""


def _fire_one(escalation_id: int, now: dt.datetime) -> tuple[bool, bool]:
    """Fire the due step of one escalation. Returns (fired, fire_next_now)."""
    with transaction.atomic():
        escalation = (
            Escalation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("report", "help_request__volunteer", "organisation")
            .filter(pk=escalation_id, status=Escalation.Status.ACTIVE, due_at__lte=now).first()
        )
        if escalation is None:
            return False, False
        step_index = escalation.next_step
        claim = Escalation.objects.filter(pk=escalation_id, status=Escalation.Status.ACTIVE, next_step=step_index)
        if step_index >= len(escalation.chain):
            if claim.update(status=Escalation.Status.EXHAUSTED, ended_at=now,
                            end_reason="niemand heeft bevestigd"):
                messages.notify_exhausted(escalation)
                if escalation.report_id:
                    _report_event(escalation.report, _("Niemand van de achtervang heeft bevestigd."),
                                  public=False, at=now, data={"escalation": escalation.pk})
            return False, False
        step = escalation.chain[step_index]
        user, reason = _resolve(step, escalation, now)
        next_due = now + dt.timedelta(seconds=step["wait"] if user else 0)
        if not claim.update(next_step=step_index + 1, due_at=next_due):
            return False, False
        try:
            with transaction.atomic():
                page = Page.objects.create(
                    escalation=escalation, step=step_index, recipient=user,
                    recipient_label=str(user) if user else "", channels=step["channels"],
                    skipped_reason=reason, due_at=escalation.due_at, created_at=now,
                    expires_at=now + ack_link_ttl(),
                )
        except IntegrityError:  # fired already (a concurrent sweep on a database without row locks)
            transaction.set_rollback(True)
            return False, False
        if user is not None:
            used = messages.send_page(page, user)
            if used != page.channels:
                Page.objects.filter(pk=page.pk).update(channels=used)
            _schedule(escalation_id, eta=next_due)
            return True, False
        return True, True


def escalation_fire(escalation_id: int, *, now: dt.datetime | None = None) -> int:
    """Fire whatever is due for one escalation (skipped steps are followed at once)."""
    fired = 0
    for _attempt in range(MAX_EXPANDED_STEPS + 2):
        done, again = _fire_one(escalation_id, now or timezone.now())
        fired += done
        if not again:
            break
    return fired


def escalation_sweep(*, now: dt.datetime | None = None, batch: int = 1000, max_seconds: float = 45.0) -> int:
    """Fire every due step (the periodic backstop; also run when the worker starts).

    Each step is fired at the clock's reading when its turn comes (a sweep over a backlog takes
    about 10 ms a step), so its page records when it really went out and the next person gets the
    full wait from then. A given ``now`` (fixed moments, in tests) is used for every step.
    Works in batches until nothing is due, for at most ``max_seconds`` (well inside the one-minute
    interval, so that sweeps do not pile up); what is left is for the next sweep."""
    fixed = now
    started = time.monotonic()
    fired = 0
    while True:
        cutoff = fixed or timezone.now()
        due = list(
            Escalation.objects.filter(status=Escalation.Status.ACTIVE, due_at__lte=cutoff)
            .order_by("due_at").values_list("pk", flat=True)[:batch]
        )
        done = sum(escalation_fire(pk, now=fixed) for pk in due)
        fired += done
        if len(due) < batch or not done or time.monotonic() - started > max_seconds:
            return fired


# -- acknowledging ---------------------------------------------------------------------------------
def _on_acknowledged(escalation: Escalation, user, at: dt.datetime) -> None:
    if escalation.report_id:
        _report_event(escalation.report, _("Uw melding is opgepakt door de dienstdoende medewerker."),
                      public=True, at=at, actor=user, data={"escalation": escalation.pk, "acknowledged": True})
    if escalation.help_request_id:
        HelpRequest.objects.filter(pk=escalation.help_request_id).update(status=HelpRequest.Status.PICKED_UP)
        escalation.acknowledged_by = user
        messages.notify_volunteer_picked_up(escalation.help_request, escalation)


def _acknowledge(escalation_id: int, user, at: dt.datetime) -> bool:
    won = Escalation.objects.filter(pk=escalation_id, status__in=LIVE).update(
        status=Escalation.Status.ACKNOWLEDGED, acknowledged_by=user, acknowledged_at=at, ended_at=at,
        end_reason="bevestigd",
    )
    if won:
        escalation = Escalation.objects.select_related("report", "help_request__volunteer").get(pk=escalation_id)
        _on_acknowledged(escalation, user, at)
    return bool(won)


@transaction.atomic
def page_acknowledge(*, page: Page, at: dt.datetime | None = None) -> bool:
    """Use a page's link to acknowledge. Returns True for the one person who now owns it; the
    link is spent either way. Raises ValidationError if the link was used or expired meanwhile."""
    at = at or timezone.now()
    if not Page.objects.filter(pk=page.pk, used_at__isnull=True, expires_at__gt=at).update(used_at=at):
        raise ValidationError(_("Deze link is al gebruikt of verlopen."), code="link_spent")
    return _acknowledge(page.escalation_id, page.recipient, at)


@transaction.atomic
def escalation_acknowledge(*, escalation: Escalation, user, at: dt.datetime | None = None) -> bool:
    """Acknowledge from the duty dashboard (logged in)."""
    if not has_org_perm(user, "oncall.acknowledge_page", escalation.organisation_id):
        raise NotAllowed(_("U mag oproepen van deze organisatie niet bevestigen."))
    return _acknowledge(escalation.pk, user, at or timezone.now())


@transaction.atomic
def escalation_decide(*, escalation: Escalation, user, decision: str, note: str = "",
                      at: dt.datetime | None = None) -> Escalation:
    """After acknowledging: take the report, hand it back to the queue, or pass it on to the next step."""
    from wijkpunt.reports import services as report_services

    at = at or timezone.now()
    escalation = Escalation.objects.select_for_update(of=("self",)).select_related("report", "help_request").get(
        pk=escalation.pk)
    if escalation.status != Escalation.Status.ACKNOWLEDGED or escalation.acknowledged_by_id != user.pk:
        raise NotAllowed(_("Alleen wie de oproep heeft bevestigd, kan dit besluiten."))
    if escalation.decision:
        raise ValidationError(_("Hierover is al besloten."), code="decided")
    if decision not in ("genomen", "teruggegeven", "doorgeven"):
        raise ValidationError({"decision": _("Kies wat u met de melding doet.")})
    note = (note or "").strip()[:1000]
    if decision == "doorgeven":
        if escalation.next_step >= len(escalation.chain):
            raise ValidationError({"decision": _("Er is geen volgende stap in de keten.")})
        Escalation.objects.filter(pk=escalation.pk).update(
            status=Escalation.Status.ACTIVE, due_at=at, acknowledged_by=None, acknowledged_at=None,
            ended_at=None, end_reason="")
        if escalation.report_id:
            _report_event(escalation.report, note or _("Kan niet: doorgegeven aan de volgende in de keten."),
                          public=False, at=at, actor=user, data={"escalation": escalation.pk, "passed": True})
        if escalation.help_request_id:
            HelpRequest.objects.filter(pk=escalation.help_request_id).update(status=HelpRequest.Status.OPEN)
        _schedule(escalation.pk)
        return escalation
    if escalation.report_id:
        report = escalation.report
        try:
            if decision == "genomen":
                report_services.report_assign(report=report, actor=user, assignee=user, team=report.team, at=at)
                if note:
                    report_services.report_add_note(report=report, actor=user, text=note, public=False, at=at)
            else:
                report_services.report_add_note(
                    report=report, actor=user, public=False, at=at,
                    text=note or _("Gezien door de achtervang; teruggegeven aan de werkvoorraad."))
        except report_services.NotAllowed as exc:
            raise NotAllowed(str(exc)) from exc
    elif decision == "teruggegeven":
        raise ValidationError({"decision": _("Een hulpvraag kunt u niet teruggeven; geef hem door of pak hem op.")})
    Escalation.objects.filter(pk=escalation.pk).update(decision=decision)
    escalation.decision = decision
    return escalation


# -- stopping --------------------------------------------------------------------------------------
def escalation_stop_for_report(report: Report, *, reason: str, at: dt.datetime | None = None) -> int:
    """The report was picked up through the queue, closed or merged: stop any running chain."""
    return Escalation.objects.filter(report=report, status__in=LIVE).update(
        status=Escalation.Status.CANCELLED, ended_at=at or timezone.now(), end_reason=reason[:200])


@transaction.atomic
def help_request_close(*, help_request: HelpRequest, user, at: dt.datetime | None = None) -> HelpRequest:
    at = at or timezone.now()
    allowed = help_request.volunteer_id == user.pk or has_org_perm(
        user, "oncall.acknowledge_page", help_request.organisation_id)
    if not allowed:
        raise NotAllowed(_("U kunt deze hulpvraag niet afsluiten."))
    HelpRequest.objects.filter(pk=help_request.pk).update(status=HelpRequest.Status.CLOSED)
    Escalation.objects.filter(Q(help_request=help_request), status__in=LIVE).update(
        status=Escalation.Status.CANCELLED, ended_at=at, end_reason="hulpvraag afgesloten")
    help_request.status = HelpRequest.Status.CLOSED
    return help_request
