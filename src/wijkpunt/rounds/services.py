"""Every write of the rounds app: keyword-only, one transaction each (docs/rounds.md).

Callers (views, API, demo, tests) check *who* acts through ``selectors``; these functions check what
is allowed (the pairs rule, dates, the round's state) and raise ``ValidationError`` with field keys
and Dutch messages. Reports filed from a round go through the reporting point's own intake
(``reports.services.report_create``) and are linked to the round in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkpunt.core.models import User
from wijkpunt.core.permissions import orgs_with_perm
from wijkpunt.housing.models import Complex
from wijkpunt.reports import services as report_services
from wijkpunt.reports.models import Channel, Report
from wijkpunt.volunteers.models import Volunteer

from .models import ChecklistItem, Round, RoundCheck, RoundReport

VIEW_ROUNDS = "rounds.view_rounds"
WALK_ROUND = "rounds.walk_round"
PAST_LIMIT = dt.timedelta(days=7)  # a round walked last week may still be recorded afterwards
FUTURE_LIMIT = dt.timedelta(days=366)


# --- the pairs rule -----------------------------------------------------------------------------

def partner_candidates(volunteer: Volunteer) -> tuple[list[Volunteer], list[User]]:
    """Who may walk with ``volunteer``: the other active volunteers of the same programme, and staff
    of the corporation (people who see the rounds, ``rounds.view_rounds``, there)."""
    programme = volunteer.programme
    others = [
        v for v in Volunteer.objects.filter(programme=programme).exclude(pk=volunteer.pk)
        .select_related("user").order_by("user__first_name", "user__last_name")
        if v.is_active and v.user.is_active
    ]
    staff = list(
        User.objects.filter(
            is_active=True, memberships__organisation_id=programme.corporation_id,
            memberships__role__permissions__codename="view_rounds",
            memberships__role__permissions__content_type__app_label="rounds",
        ).exclude(pk=volunteer.user_id).distinct().order_by("first_name", "last_name", "username")
    )
    return others, staff


def check_partner(volunteer: Volunteer, partner: User | None) -> None:
    if partner is None:
        return  # allowed, but flagged ("Zonder loopmaatje")
    if partner.pk == volunteer.user_id:
        raise ValidationError({"partner": _("U kunt niet met uzelf lopen: kies een ander loopmaatje.")})
    corp = volunteer.programme.corporation_id
    partner_volunteer = Volunteer.objects.filter(user=partner).select_related("programme").first()
    if partner_volunteer is not None and partner_volunteer.programme.corporation_id == corp:
        if partner_volunteer.programme_id != volunteer.programme_id:
            raise ValidationError({"partner": _("Dit loopmaatje is Bewonerskracht in een andere buurt.")})
        if not partner_volunteer.is_active or not partner.is_active:
            raise ValidationError({"partner": _("Dit loopmaatje is geen actieve Bewonerskracht meer.")})
        return
    if partner.is_active and corp in orgs_with_perm(partner, VIEW_ROUNDS):
        return
    raise ValidationError({"partner": _("Kies een Bewonerskracht uit uw buurt of een medewerker van de corporatie.")})


def _check_plan(*, volunteer: Volunteer, partner: User | None, planned_for: dt.datetime | None, route: str,
                complexes: Iterable[Complex], now: dt.datetime) -> str:
    errors: dict[str, list[str]] = {}
    route = (route or "").strip()
    if not route:
        errors["route"] = [_("Beschrijf de route: welke straten, pleinen of complexen.")]
    elif len(route) > 300:
        errors["route"] = [_("Gebruik hoogstens 300 tekens.")]
    if planned_for is None:
        errors["planned_for"] = [_("Vul een datum en tijd in.")]
    elif planned_for < now - PAST_LIMIT:
        errors["planned_for"] = [_("Deze datum ligt te ver terug (meer dan een week).")]
    elif planned_for > now + FUTURE_LIMIT:
        errors["planned_for"] = [_("Plan een ronde hoogstens een jaar vooruit.")]
    programme = volunteer.programme
    wrong = [c for c in complexes
             if c.corporation_id != programme.corporation_id or c.neighbourhood_id != programme.neighbourhood_id]
    if wrong:
        errors["complexes"] = [_("Kies complexen in de buurt van uw programma.")]
    try:
        check_partner(volunteer, partner)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return route


@transaction.atomic
def round_plan(*, volunteer: Volunteer, planned_for: dt.datetime, route: str, partner: User | None = None,
               complexes: Sequence[Complex] = (), notes: str = "", now: dt.datetime | None = None) -> Round:
    if not volunteer.is_active:
        raise ValidationError({"volunteer": _("U bent geen actieve Bewonerskracht meer.")})
    now = now or timezone.now()
    route = _check_plan(volunteer=volunteer, partner=partner, planned_for=planned_for, route=route,
                        complexes=complexes, now=now)
    rnd = Round.objects.create(programme=volunteer.programme, volunteer=volunteer, partner=partner,
                               planned_for=planned_for, route=route, notes=(notes or "").strip(), created_at=now)
    rnd.complexes.set(complexes)
    return rnd


@transaction.atomic
def round_update(*, round: Round, planned_for: dt.datetime, route: str, partner: User | None = None,  # noqa: A002
                 complexes: Sequence[Complex] = (), notes: str = "", now: dt.datetime | None = None) -> Round:
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status not in (Round.Status.PLANNED, Round.Status.WALKING):
        raise ValidationError({"status": _("Een afgeronde of geannuleerde ronde kunt u niet meer wijzigen.")})
    rnd.route = _check_plan(volunteer=rnd.volunteer, partner=partner, planned_for=planned_for, route=route,
                            complexes=complexes, now=now or timezone.now())
    rnd.partner, rnd.planned_for, rnd.notes = partner, planned_for, (notes or "").strip()
    rnd.save(update_fields=["route", "partner", "planned_for", "notes"])
    rnd.complexes.set(complexes)
    return rnd


# --- walking ------------------------------------------------------------------------------------

@transaction.atomic
def round_start(*, round: Round, at: dt.datetime | None = None) -> Round:  # noqa: A002
    """Start walking. Repeating it is harmless (a queued start sent twice)."""
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status == Round.Status.CANCELLED:
        raise ValidationError({"action": _("Deze ronde is geannuleerd.")})
    if rnd.status == Round.Status.PLANNED:
        rnd.status, rnd.started_at = Round.Status.WALKING, at or timezone.now()
        rnd.save(update_fields=["status", "started_at"])
    return rnd


@transaction.atomic
def round_finish(*, round: Round, at: dt.datetime | None = None) -> Round:  # noqa: A002
    """Finish the round (also straight from planned: walked, but started offline). Idempotent."""
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status == Round.Status.CANCELLED:
        raise ValidationError({"action": _("Deze ronde is geannuleerd.")})
    if rnd.status != Round.Status.WALKED:
        now = at or timezone.now()
        rnd.started_at = rnd.started_at or now
        rnd.status, rnd.finished_at = Round.Status.WALKED, now
        rnd.save(update_fields=["status", "started_at", "finished_at"])
    return rnd


@transaction.atomic
def round_cancel(*, round: Round) -> Round:  # noqa: A002
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status == Round.Status.CANCELLED:
        return rnd
    if rnd.status != Round.Status.PLANNED or rnd.round_reports.exists():
        raise ValidationError({"action": _("Alleen een ronde die nog niet is begonnen kunt u annuleren.")})
    rnd.status = Round.Status.CANCELLED
    rnd.save(update_fields=["status"])
    return rnd


@dataclass(frozen=True)
class CheckInput:
    item: str
    result: str
    remark: str = ""


@transaction.atomic
def round_save_checks(*, round: Round, checks: Sequence[CheckInput]) -> list[RoundCheck]:  # noqa: A002
    """Save checklist answers (an upsert per item: sending the same checklist twice changes nothing)."""
    rnd = Round.objects.select_for_update().get(pk=round.pk)
    if rnd.status == Round.Status.CANCELLED:
        raise ValidationError({"checks": _("Deze ronde is geannuleerd.")})
    errors: dict[str, list[str]] = {}
    items = {c.value for c in ChecklistItem}
    results = {c.value for c in RoundCheck.Result}
    for c in checks:
        if c.item not in items:
            errors.setdefault("checks", []).append(_("Onbekend onderdeel van de checklist."))
        elif c.result not in results:
            errors[c.item] = [_("Kies een bevinding.")]
        elif len(c.remark or "") > 500:
            errors[c.item] = [_("Gebruik hoogstens 500 tekens.")]
    if errors:
        raise ValidationError(errors)
    for c in checks:
        RoundCheck.objects.update_or_create(round=rnd, item=c.item,
                                            defaults={"result": c.result, "remark": (c.remark or "").strip()})
    if rnd.status == Round.Status.PLANNED:
        rnd.status, rnd.started_at = Round.Status.WALKING, timezone.now()
        rnd.save(update_fields=["status", "started_at"])
    return list(rnd.checks.order_by("id"))


# --- reports from a round -----------------------------------------------------------------------

def idempotency_scope(*, round: Round, actor) -> str:  # noqa: A002
    """The reporting point scopes keys per caller (``user:<pk>``); a round adds itself, so one key can
    never return (or link) a report of another round."""
    return f"user:{actor.pk}:round:{round.pk}"


def existing_round_report(*, round: Round, actor, key: str | None) -> Report | None:  # noqa: A002
    if not key:
        return None
    scoped = report_services.scoped_key(idempotency_scope(round=round, actor=actor), key)
    return Report.objects.filter(idempotency_key=scoped, round_link__round=round).first()


def _check_location(round: Round, kwargs: dict) -> None:  # noqa: A002
    corp_id = round.programme.corporation_id
    unit, cx = kwargs.get("unit"), kwargs.get("complex")
    if unit is not None and unit.corporation_id != corp_id:
        raise ValidationError({"location": _("Dit adres is niet van %(corp)s. Meld het bij de eigen verhuurder.")
                               % {"corp": round.programme.corporation.name}})
    if cx is not None and cx.corporation_id != corp_id:
        raise ValidationError({"location": _("Dit complex is niet van %(corp)s.")
                               % {"corp": round.programme.corporation.name}})


def round_report_file(*, round: Round, actor, intake_kwargs: dict, key: str | None,  # noqa: A002
                      photos=(), at: dt.datetime | None = None) -> tuple[Report, bool]:
    """File a report from ``round`` through the reporting point's intake and link it, in one transaction.

    ``intake_kwargs`` is ``IntakeForm.service_kwargs()`` of the reporting point's own form (validated
    through its serializer). Returns (report, created); a repeated ``key`` returns the first report
    and adds no second link; the same key with other content raises ``IdempotencyConflict``."""
    kwargs = dict(intake_kwargs)
    kwargs.update(
        channel=Channel.VOLUNTEER, reporter_user=actor, at=at, photos=list(photos or kwargs.get("photos") or ()),
        idempotency_key=(report_services.scoped_key(idempotency_scope(round=round, actor=actor), key)
                         if key else None),
    )
    _check_location(round, kwargs)
    if kwargs.get("unit") is None and kwargs.get("complex") is None:
        kwargs["organisation"] = round.programme.corporation
    with transaction.atomic():
        # the round row is locked (as round_cancel locks it) and its status read again, so a report can
        # never be linked to a round that was cancelled meanwhile, whatever the caller's copy says
        locked = Round.objects.select_for_update().get(pk=round.pk)
        if (locked.status == Round.Status.CANCELLED
                and existing_round_report(round=locked, actor=actor, key=key) is None):
            raise ValidationError({"non_field_errors": _("Deze ronde is geannuleerd; u kunt er niet meer op melden.")})
        report, created = report_services.report_create(**kwargs)
        link, _linked = RoundReport.objects.get_or_create(report=report, defaults={"round": round})
        if link.round_id != round.pk:  # cannot happen with round-scoped keys; never move a report
            raise report_services.IdempotencyConflict(
                _("Deze idempotentiesleutel is al gebruikt voor een andere melding."), code="idempotency_conflict")
        if created and locked.status == Round.Status.PLANNED:
            Round.objects.filter(pk=round.pk, status=Round.Status.PLANNED).update(
                status=Round.Status.WALKING, started_at=report.created_at)
    return report, created
