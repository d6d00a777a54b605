"""Recording the steps of the arrears process. Every step is an append-only ``EpisodeStep``.

Services validate their input and raise ``ValidationError`` with a field-level dict (Dutch
messages), or :class:`StepRefused` with the rules' blockers when the law does not allow the step
yet. Nothing is half-saved: each service runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    ArrearsEpisode,
    Channel,
    Daypart,
    EpisodeStep,
    Instalment,
    Outcome,
    PaymentArrangement,
    Signal,
    SignalStatus,
    StepKind,
)
from .rules import Blocker, agreement_for, bailiff_blockers, signal_blockers

LETTER_CHANNELS = ("BRI", "EMA")
MAX_INSTALMENTS = 36


class StepRefused(Exception):
    def __init__(self, blockers: list[Blocker]):
        super().__init__("; ".join(b.message for b in blockers))
        self.blockers = blockers


def _display_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _check_date(episode: ArrearsEpisode, on: dt.date, field: str = "occurred_on") -> None:
    today = timezone.localdate()
    if on > today:
        raise ValidationError({field: _("Een datum in de toekomst kan niet; vul de datum in waarop het gebeurde.")})
    if on < episode.arose_on:
        raise ValidationError({field: _("Deze datum ligt vóór het ontstaan van de achterstand (%(date)s).")
                               % {"date": episode.arose_on.strftime("%d-%m-%Y")}})


def _choice(value: str, choices, field: str, *, allowed=None) -> str:
    valid = allowed or [c[0] for c in choices.choices]
    if value not in valid:
        raise ValidationError({field: _("Kies een van de mogelijkheden.")})
    return value


def _add_step(episode, kind, user, on, **fields) -> EpisodeStep:
    return EpisodeStep.objects.create(episode=episode, kind=kind, occurred_on=on, created_by=user, **fields)


def _attach(step: EpisodeStep, name: str, content: bytes) -> None:
    step.evidence_sha256 = hashlib.sha256(content).hexdigest()
    step.evidence.save(name, ContentFile(content), save=False)
    step.save(update_fields=["evidence", "evidence_sha256"])


def _locked(episode: ArrearsEpisode) -> ArrearsEpisode:
    return ArrearsEpisode.objects.select_for_update().select_related(
        "tenancy__unit__neighbourhood__municipality", "tenancy__household", "corporation"
    ).get(pk=episode.pk)


# --------------------------------------------------------------------------- contact and referral


def record_contact_attempt(episode, user, *, occurred_on: dt.date, channel: str, reached: bool,
                           daypart: str = "", note: str = "") -> EpisodeStep:
    """A personal contact attempt (art. 2 sub a): phone, home visit or at the desk; reached or not."""
    _choice(channel, Channel, "channel", allowed=["TEL", "BEZ", "BAL", "SMS", "APP", "EMA"])
    if daypart:
        _choice(daypart, Daypart, "daypart")
    _check_date(episode, occurred_on)
    with transaction.atomic():
        return _add_step(_locked(episode), StepKind.CONTACT_ATTEMPT, user, occurred_on, channel=channel,
                         reached=bool(reached), daypart=daypart, note=note.strip())


def record_debt_help_referral(episode, user, *, occurred_on: dt.date, channel: str, note: str = "") -> EpisodeStep:
    """The tenant was pointed to the municipality's debt help (art. 2 sub b)."""
    _choice(channel, Channel, "channel")
    _check_date(episode, occurred_on)
    with transaction.atomic():
        locked = _locked(episode)
        agreement = agreement_for(locked, occurred_on)
        data = {"debt_help": agreement.debt_help_name} if agreement and agreement.debt_help_name else {}
        return _add_step(locked, StepKind.DEBT_HELP_REFERRAL, user, occurred_on, channel=channel,
                         note=note.strip(), data=data)


def record_objection(episode, user, *, occurred_on: dt.date, channel: str, note: str = "") -> EpisodeStep:
    """The tenant objects to passing the details: no signal for this episode (art. 2 sub d)."""
    _choice(channel, Channel, "channel")
    _check_date(episode, occurred_on)
    with transaction.atomic():
        return _add_step(_locked(episode), StepKind.OBJECTION, user, occurred_on, channel=channel, note=note.strip())


def add_note(episode, user, *, occurred_on: dt.date, note: str) -> EpisodeStep:
    if not note.strip():
        raise ValidationError({"note": _("Schrijf een notitie.")})
    _check_date(episode, occurred_on)
    with transaction.atomic():
        return _add_step(_locked(episode), StepKind.NOTE, user, occurred_on, note=note.strip())


# --------------------------------------------------------------------------- letters


def send_reminder_letter(episode, user, *, sent_on: dt.date, channel: str = "BRI") -> EpisodeStep:
    """Generate the written reminder with the offer and room to object, and keep it as evidence."""
    from .deadlines import reminder_objection_deadline
    from .letters import reminder_letter_pdf

    _choice(channel, Channel, "channel", allowed=list(LETTER_CHANNELS))
    _check_date(episode, sent_on, "sent_on")
    with transaction.atomic():
        locked = _locked(episode)
        if locked.status != ArrearsEpisode.Status.OPEN:
            raise StepRefused([Blocker("episode_open", _("De achterstand is ingelopen; het dossier is afgesloten."))])
        agreement = agreement_for(locked, sent_on)
        objection_days = agreement.objection_days if agreement else 14
        until = reminder_objection_deadline(sent_on, channel, objection_days)
        pdf = reminder_letter_pdf(locked, sent_on=sent_on, agreement=agreement, signer_name=_display_name(user),
                                  channel=channel)
        step = _add_step(locked, StepKind.REMINDER_LETTER, user, sent_on, channel=channel, data={
            "offered_contact_details": True, "objection_until": until.isoformat(),
            "amount_cents": locked.amount_cents,
        })
        _attach(step, f"herinnering-{locked.pk}-{sent_on.isoformat()}.pdf", pdf)
        return step


def send_fourteen_day_letter(episode, user, *, sent_on: dt.date, channel: str = "BRI") -> EpisodeStep:
    """The 14-day letter (art. 6:96 lid 6 BW): a concrete deadline and the costs including VAT."""
    from .letters import fourteen_day_letter_pdf

    _choice(channel, Channel, "channel", allowed=list(LETTER_CHANNELS))
    _check_date(episode, sent_on, "sent_on")
    with transaction.atomic():
        locked = _locked(episode)
        if locked.status != ArrearsEpisode.Status.OPEN:
            raise StepRefused([Blocker("episode_open", _("De achterstand is ingelopen; het dossier is afgesloten."))])
        pdf, deadline, costs = fourteen_day_letter_pdf(locked, sent_on=sent_on, channel=channel,
                                                       signer_name=_display_name(user))
        step = _add_step(locked, StepKind.FOURTEEN_DAY_LETTER, user, sent_on, channel=channel, data={
            "received_on": deadline.received_on.isoformat(), "deadline": deadline.deadline.isoformat(),
            "amount_cents": locked.amount_cents, "costs_incl_vat_cents": costs.incl_cents,
        })
        _attach(step, f"veertiendagenbrief-{locked.pk}-{sent_on.isoformat()}.pdf", pdf)
        return step


# --------------------------------------------------------------------------- the signal


def client_snapshot(episode: ArrearsEpisode) -> dict:
    """The contact details the signal carries (DDAS Client, no BSN) as they are today."""
    household, unit = episode.tenancy.household, episode.tenancy.unit
    return {
        "voorletters": household.initials, "voorvoegsel": household.surname_prefix,
        "achternaam": household.surname,
        "geboortedatum": household.birth_date.isoformat() if household.birth_date else None,
        "straatnaam": unit.street, "huisnummer": str(unit.house_number),
        "huisnummertoevoeging": f"{unit.house_letter}{unit.house_number_addition}",
        "postcode": unit.postcode, "plaatsnaam": unit.city,
        "telefoonnummer": household.contact_phone, "email": household.contact_email,
    }


def create_signal(episode, user, *, signal_date: dt.date, crisis: bool = False,
                  warm_handover: bool = False) -> Signal:
    """Record the early signal to the tenant's municipality, or refuse and say which condition is missing."""
    _check_date(episode, signal_date, "signal_date")
    with transaction.atomic():
        locked = _locked(episode)
        blockers = signal_blockers(locked, signal_date)
        if blockers:
            raise StepRefused(blockers)
        agreement = agreement_for(locked, signal_date)
        signal = Signal.objects.create(
            episode=locked, agreement=agreement, municipality_id=agreement.municipality_id,
            amount_cents=locked.amount_cents, arose_on=locked.arose_on, signal_date=signal_date,
            crisis=crisis, warm_handover=warm_handover, client=client_snapshot(locked), created_by=user,
        )
        _add_step(locked, StepKind.SIGNAL, user, signal_date, data={
            "signal": str(signal.public_id), "amount_cents": signal.amount_cents,
            "municipality": agreement.municipality.name,
        })
        return signal


def record_municipality_answer(signal: Signal, user, *, status: str, answered_on: dt.date) -> EpisodeStep | None:
    """The municipality's status answer (status only; the reason may be withheld). Unchanged → no step."""
    _choice(status, SignalStatus, "status")
    if answered_on < signal.signal_date:
        raise ValidationError({"answered_on": _("Het antwoord kan niet van vóór het signaal zijn.")})
    with transaction.atomic():
        signal = Signal.objects.select_for_update().get(pk=signal.pk)
        if signal.status == status:
            return None
        signal.status, signal.answered_on = status, answered_on
        signal.save(update_fields=["status", "answered_on"])
        return _add_step(signal.episode, StepKind.MUNICIPALITY_ANSWER, user, answered_on,
                         data={"signal": str(signal.public_id), "status": status})


# --------------------------------------------------------------------------- arrangements, bailiff, outcome


def create_arrangement(episode, user, *, agreed_on: dt.date, total: Decimal, instalments: int,
                       first_due_on: dt.date, grace_days: int = 5) -> PaymentArrangement:
    """A payment arrangement in equal monthly instalments (the last one takes the rounding)."""
    errors = {}
    if total is None or total <= 0:
        errors["total"] = _("Vul een bedrag groter dan nul in.")
    if not 1 <= instalments <= MAX_INSTALMENTS:
        errors["instalments"] = _("Kies 1 tot %(n)s termijnen.") % {"n": MAX_INSTALMENTS}
    if first_due_on < agreed_on:
        errors["first_due_on"] = _("De eerste termijn kan niet vóór de afspraak liggen.")
    if not 0 <= grace_days <= 31:
        errors["grace_days"] = _("Kies 0 tot 31 dagen coulance.")
    if errors:
        raise ValidationError(errors)
    _check_date(episode, agreed_on, "agreed_on")
    total_cents = int((total * 100).to_integral_value())
    with transaction.atomic():
        locked = _locked(episode)
        if locked.status != ArrearsEpisode.Status.OPEN:
            raise StepRefused([Blocker("episode_open", _("De achterstand is ingelopen; het dossier is afgesloten."))])
        if locked.arrangements.filter(status=PaymentArrangement.Status.ACTIVE).exists():
            raise StepRefused([Blocker("active_arrangement", _("Er loopt al een betalingsregeling; beëindig die eerst."))])
        arrangement = PaymentArrangement.objects.create(
            episode=locked, agreed_on=agreed_on, total_cents=total_cents, grace_days=grace_days, created_by=user
        )
        base = total_cents // instalments
        Instalment.objects.bulk_create([
            Instalment(arrangement=arrangement, number=n + 1, due_on=_add_months(first_due_on, n),
                       amount_cents=base if n < instalments - 1 else total_cents - base * (instalments - 1))
            for n in range(instalments)
        ])
        _add_step(locked, StepKind.ARRANGEMENT, user, agreed_on, data={
            "arrangement": arrangement.pk, "total_cents": total_cents, "instalments": instalments,
        })
        return arrangement


def cancel_arrangement(arrangement: PaymentArrangement, user, *, on: dt.date, note: str = "") -> None:
    with transaction.atomic():
        arrangement = PaymentArrangement.objects.select_for_update().get(pk=arrangement.pk)
        if arrangement.status != PaymentArrangement.Status.ACTIVE:
            raise ValidationError({"arrangement": _("Deze regeling loopt niet meer.")})
        arrangement.status = PaymentArrangement.Status.CANCELLED
        arrangement.save(update_fields=["status"])
        _add_step(arrangement.episode, StepKind.NOTE, user, on,
                  note=note.strip() or _("Betalingsregeling beëindigd."), data={"arrangement": arrangement.pk})


def hand_over_to_bailiff(episode, user, *, occurred_on: dt.date, note: str = "") -> EpisodeStep:
    _check_date(episode, occurred_on)
    with transaction.atomic():
        locked = _locked(episode)
        blockers = bailiff_blockers(locked, occurred_on)
        if blockers:
            raise StepRefused(blockers)
        return _add_step(locked, StepKind.BAILIFF_HANDOVER, user, occurred_on, note=note.strip())


def record_outcome(episode, user, *, outcome: str, on: dt.date, note: str = "") -> ArrearsEpisode:
    """Termination requested keeps the episode open; eviction closes it; the others are set by the run."""
    _choice(outcome, Outcome, "outcome")
    _check_date(episode, on, "on")
    with transaction.atomic():
        locked = _locked(episode)
        if outcome in (Outcome.TERMINATION_REQUESTED, Outcome.EVICTED) and not locked.steps.filter(
            kind=StepKind.BAILIFF_HANDOVER
        ).exists():
            raise StepRefused(bailiff_blockers(locked, on) or [Blocker(
                "bailiff", _("Ontbinding of ontruiming alleen na overdracht aan de deurwaarder."))])
        locked.outcome, locked.outcome_on = outcome, on
        fields = ["outcome", "outcome_on"]
        if outcome == Outcome.EVICTED and locked.status == ArrearsEpisode.Status.OPEN:
            locked.status, locked.closed_on = ArrearsEpisode.Status.CLOSED, on
            fields += ["status", "closed_on"]
        locked.save(update_fields=fields)
        _add_step(locked, StepKind.OUTCOME, user, on, note=note.strip(), data={"outcome": outcome})
        return locked


def assign_handler(episode, user, handler) -> None:
    ArrearsEpisode.objects.filter(pk=episode.pk).update(handler=handler)


def _add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
