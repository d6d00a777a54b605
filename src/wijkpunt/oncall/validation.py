"""Escalation policies are data; these checks keep them meaningful: no empty chain, no cycle,
each step names what its kind needs. Messages are field-level and Dutch first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wijkpunt.reports.models import Urgency

from .models import EscalationPolicy, EscalationStep

MIN_WAIT = dt.timedelta(minutes=1)
MAX_WAIT = dt.timedelta(hours=24)
MAX_EXPANDED_STEPS = 30


@dataclass
class StepData:
    """A step as entered (from a form or an import), before it is saved."""

    target: str
    wait: dt.timedelta
    channels: list[str]
    user_id: int | None = None
    roster_id: int | None = None
    continue_with_id: int | None = None


def validate_policy_fields(*, organisation_id: int, action: str, urgencies: list[str], trigger: str,
                           queue_deadline_minutes: int | None, roster=None, queue_team=None) -> None:
    errors: dict[str, list[str]] = {}
    unknown = [u for u in urgencies if u not in Urgency.values]
    if unknown:
        errors.setdefault("urgencies", []).append(_("Onbekende urgentie: %(u)s.") % {"u": ", ".join(unknown)})
    if trigger == EscalationPolicy.Trigger.REPORT and not urgencies:
        errors.setdefault("urgencies", []).append(_("Kies voor welke urgenties dit beleid geldt."))
    if action == EscalationPolicy.Action.QUEUE:
        if trigger == EscalationPolicy.Trigger.HELP:
            errors.setdefault("action", []).append(
                _("Een hulpvraag van een bewonerskracht gaat altijd direct naar de achtervang.")
            )
        if not queue_deadline_minutes or not 5 <= queue_deadline_minutes <= 24 * 60:
            errors.setdefault("queue_deadline_minutes", []).append(
                _("Geef een termijn tussen 5 en 1440 minuten.")
            )
    if roster is not None and roster.organisation_id != organisation_id:
        errors.setdefault("roster", []).append(_("Dit rooster hoort bij een andere organisatie."))
    if queue_team is not None and queue_team.organisation_id != organisation_id:
        errors.setdefault("queue_team", []).append(_("Dit team hoort bij een andere organisatie."))
    if errors:
        raise ValidationError(errors)


def validate_steps(*, policy_id: int | None, organisation_id: int, action: str,
                   steps: list[StepData]) -> None:
    """Raise ValidationError with a list of per-step messages ({"steps": [...]}) when invalid."""
    if action != EscalationPolicy.Action.PAGE:
        if steps:
            raise ValidationError({"steps": [_("Beleid dat naar de werkvoorraad gaat, heeft geen stappen.")]})
        return
    if not steps:
        raise ValidationError({"steps": [_("Een escalatieketen heeft minstens één stap nodig.")]})
    from django.contrib.auth import get_user_model

    from .models import Roster

    messages: list[str] = []
    for number, step in enumerate(steps, start=1):
        prefix = _("Stap %(n)s: ") % {"n": number}
        if step.target not in EscalationStep.Target.values:
            messages.append(prefix + _("kies wie er wordt opgeroepen."))
            continue
        if step.target == EscalationStep.Target.CONTINUE:
            if step.continue_with_id is None:
                messages.append(prefix + _("kies met welk beleid de keten doorgaat."))
            if number != len(steps):
                messages.append(prefix + _("'doorgaan met ander beleid' moet de laatste stap zijn."))
            continue
        if not step.channels:
            messages.append(prefix + _("kies minstens één kanaal (SMS of e-mail)."))
        elif set(step.channels) - set(EscalationStep.ChannelChoice.values):
            messages.append(prefix + _("onbekend kanaal."))
        if not MIN_WAIT <= step.wait <= MAX_WAIT:
            messages.append(prefix + _("de wachttijd moet tussen 1 en 1440 minuten liggen."))
        if step.target == EscalationStep.Target.USER:
            user = get_user_model().objects.filter(pk=step.user_id, is_active=True).first() if step.user_id else None
            if user is None:
                messages.append(prefix + _("kies een persoon."))
            elif not user.memberships.filter(organisation_id=organisation_id).exists():
                messages.append(prefix + _("%(name)s hoort niet bij deze organisatie.") % {"name": user})
            elif not (user.phone or user.email):
                messages.append(prefix + _("%(name)s heeft geen telefoonnummer of e-mailadres.") % {"name": user})
        if step.target == EscalationStep.Target.ROSTER:
            roster = Roster.objects.filter(pk=step.roster_id).first() if step.roster_id else None
            if roster is None:
                messages.append(prefix + _("kies een rooster."))
            elif roster.organisation_id != organisation_id:
                messages.append(prefix + _("dit rooster hoort bij een andere organisatie."))
    if messages:
        raise ValidationError({"steps": messages})
    last = steps[-1]
    if last.target == EscalationStep.Target.CONTINUE:
        _check_no_cycle(policy_id, organisation_id, last.continue_with_id)


def _check_no_cycle(policy_id: int | None, organisation_id: int, first_target: int) -> None:
    seen = {policy_id} if policy_id else set()
    current = first_target
    start = EscalationPolicy.objects.filter(pk=policy_id).values_list("name", flat=True).first() if policy_id else None
    path = [start] if start else []
    while current is not None:
        policy = EscalationPolicy.objects.filter(pk=current).first()
        if policy is None:
            raise ValidationError({"steps": [_("Het beleid om mee door te gaan bestaat niet.")]})
        if policy.organisation_id != organisation_id:
            raise ValidationError({"steps": [_("U kunt alleen doorgaan met beleid van de eigen organisatie.")]})
        if policy.action != EscalationPolicy.Action.PAGE:
            raise ValidationError({"steps": [_("Doorgaan kan alleen met beleid dat oproept.")]})
        path.append(policy.name)
        if current in seen:
            raise ValidationError(
                {"steps": [_("Deze keten loopt in een kring: %(path)s.") % {"path": " → ".join(path)}]}
            )
        seen.add(current)
        last = policy.steps.order_by("-position").first()
        current = last.continue_with_id if last and last.target == EscalationStep.Target.CONTINUE else None


def expand_chain(policy: EscalationPolicy) -> list[dict]:
    """The policy's steps with 'continue with' followed, as a JSON-able snapshot for an escalation."""
    chain: list[dict] = []
    seen: set[int] = set()
    current: EscalationPolicy | None = policy
    while current is not None and current.pk not in seen and len(chain) < MAX_EXPANDED_STEPS:
        seen.add(current.pk)
        following = None
        for step in current.steps.order_by("position"):
            if step.target == EscalationStep.Target.CONTINUE:
                following = step.continue_with
                break
            chain.append({
                "target": step.target, "user": step.user_id,
                "roster": step.roster_id if step.target == EscalationStep.Target.ROSTER else current.roster_id,
                "channels": list(step.channels), "wait": int(step.wait.total_seconds()),
                "policy": current.pk,
            })
        current = following
    return chain[:MAX_EXPANDED_STEPS]
