"""The legal rules of early signalling as checks that name what is missing.

Besluit gemeentelijke schuldhulpverlening art. 2 (in force 1 January 2021): a landlord passes the
tenant's contact details and the arrears to the municipality once it has (1) tried to make
personal contact, (2) pointed the tenant to debt help, (3) sent at least one written reminder and
(4) offered in that reminder to pass the details, without the tenant objecting. Practice on top
(``docs/arrears.md``): only to the tenant's own municipality and only with a recorded agreement,
that agreement's thresholds, and no repeat signal unless the arrears grew.

Each check returns :class:`Blocker` objects with a stable ``code`` (tests, API) and a Dutch
message (pages). A step is allowed when the list is empty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import ArrearsEpisode, EpisodeStep, MunicipalityAgreement, StepKind

# Personal contact (art. 2 sub a): a conversation, or an attempt at one; a letter or text is not.
PERSONAL_CHANNELS = frozenset({"TEL", "BEZ", "BAL"})


@dataclass(frozen=True)
class Blocker:
    code: str
    message: str


@dataclass(frozen=True)
class Check:
    """One row of the checklist shown on the episode page: a condition and whether it holds."""

    code: str
    label: str
    ok: bool
    detail: str = ""


def agreement_for(episode: ArrearsEpisode, on: dt.date) -> MunicipalityAgreement | None:
    """The agreement with the municipality where the tenant lives (the unit's), valid on ``on``."""
    municipality_id = episode.tenancy.unit.neighbourhood.municipality_id
    return (
        MunicipalityAgreement.objects.filter(
            corporation_id=episode.corporation_id, municipality_id=municipality_id, valid_from__lte=on
        )
        .exclude(valid_until__lt=on)
        .order_by("-valid_from")
        .first()
    )


def _steps(episode: ArrearsEpisode) -> list[EpisodeStep]:
    cache = getattr(episode, "_prefetched_objects_cache", {})
    if "steps" in cache:
        return list(cache["steps"])
    return list(episode.steps.all())


def client_gaps(episode: ArrearsEpisode) -> list[str]:
    """Which contact details a signal must carry but the household record lacks."""
    household = episode.tenancy.household
    missing = []
    if not household.surname:
        missing.append(_("achternaam"))
    if not household.initials:
        missing.append(_("voorletters"))
    if not household.birth_date:
        missing.append(_("geboortedatum"))
    return missing


def signal_checklist(episode: ArrearsEpisode, at: dt.date) -> list[Check]:
    """Every condition for a signal, met or not, in the order the process runs."""
    steps = _steps(episode)
    kinds = {step.kind for step in steps}
    contact = [s for s in steps if s.kind == StepKind.CONTACT_ATTEMPT and s.channel in PERSONAL_CHANNELS]
    reminders = [s for s in steps if s.kind == StepKind.REMINDER_LETTER]
    offers = [s for s in reminders if s.data.get("offered_contact_details")]
    objection = StepKind.OBJECTION in kinds
    agreement = agreement_for(episode, at)
    municipality = episode.tenancy.unit.neighbourhood.municipality
    checks = [
        Check("episode_open", _("Het dossier loopt nog"), episode.status == ArrearsEpisode.Status.OPEN,
              "" if episode.status == ArrearsEpisode.Status.OPEN else _("De achterstand is ingelopen.")),
        Check("contact_attempt", _("Geprobeerd persoonlijk contact te leggen (telefoon, huisbezoek of balie)"),
              bool(contact), _("Nog geen persoonlijke contactpoging vastgelegd.") if not contact else ""),
        Check("debt_help_referral", _("Gewezen op schuldhulpverlening"), StepKind.DEBT_HELP_REFERRAL in kinds,
              "" if StepKind.DEBT_HELP_REFERRAL in kinds else _("Nog niet vastgelegd dat de huurder op schuldhulp "
                                                                "is gewezen.")),
        Check("reminder", _("Ten minste één schriftelijke herinnering verstuurd"), bool(reminders),
              "" if reminders else _("Er is nog geen betalingsherinnering verstuurd.")),
        Check("offer", _("In de herinnering aangeboden de gegevens door te geven aan de gemeente"), bool(offers),
              "" if offers or not reminders else _("De herinnering bevatte het aanbod niet; stuur een herinnering "
                                                   "met het aanbod.")),
    ]
    objection_until = max((dt.date.fromisoformat(s.data["objection_until"]) for s in offers
                           if s.data.get("objection_until")), default=None)
    if objection:
        checks.append(Check("no_objection", _("De huurder heeft geen bezwaar gemaakt"), False,
                            _("De huurder heeft bezwaar gemaakt: voor deze achterstand geen signaal.")))
    elif objection_until and at <= objection_until:
        checks.append(Check("no_objection", _("De huurder heeft geen bezwaar gemaakt"), False,
                            _("De bezwaartermijn loopt nog tot en met %(date)s.")
                            % {"date": objection_until.strftime("%d-%m-%Y")}))
    else:
        checks.append(Check("no_objection", _("De huurder heeft geen bezwaar gemaakt"), True))
    checks.append(Check(
        "agreement", _("Convenant met de gemeente waar de huurder woont (%(name)s)") % {"name": municipality.name},
        agreement is not None,
        "" if agreement else _("Er is geen geldig convenant met %(name)s vastgelegd.") % {"name": municipality.name},
    ))
    if agreement is not None:
        days = (at - episode.arose_on).days
        checks.append(Check(
            "threshold_days", _("Minstens %(n)s dagen achterstand") % {"n": agreement.min_days},
            days >= agreement.min_days,
            "" if days >= agreement.min_days else _("Nu %(days)s dagen.") % {"days": days},
        ))
        checks.append(Check(
            "threshold_amount", _("Minstens € %(amount)s achterstand") % {"amount": _euros(agreement.min_amount_cents)},
            episode.amount_cents >= agreement.min_amount_cents,
            "" if episode.amount_cents >= agreement.min_amount_cents
            else _("Nu € %(amount)s.") % {"amount": _euros(episode.amount_cents)},
        ))
    earlier = max((s.amount_cents for s in episode.signals.all()), default=None)
    grown = earlier is None or episode.amount_cents > earlier
    checks.append(Check(
        "grown", _("Geen herhaling: de achterstand is gegroeid sinds een eerder signaal"), grown,
        "" if grown else _("Eerder gesignaleerd met € %(amount)s; de achterstand is niet gegroeid.")
        % {"amount": _euros(earlier)},
    ))
    gaps = client_gaps(episode)
    checks.append(Check(
        "client", _("Contactgegevens van de hoofdhuurder compleet"), not gaps,
        "" if not gaps else _("Ontbreekt: %(fields)s.") % {"fields": ", ".join(gaps)},
    ))
    return checks


def signal_blockers(episode: ArrearsEpisode, at: dt.date) -> list[Blocker]:
    """What stands in the way of a signal on ``at``; empty when one may be sent."""
    return [Blocker(c.code, c.detail or c.label) for c in signal_checklist(episode, at) if not c.ok]


def bailiff_blockers(episode: ArrearsEpisode, at: dt.date) -> list[Blocker]:
    """A hand-over to a bailiff only after the prevention steps: the court asks for them."""
    steps = _steps(episode)
    kinds = {step.kind for step in steps}
    blockers = []
    if episode.status != ArrearsEpisode.Status.OPEN:
        blockers.append(Blocker("episode_open", _("De achterstand is ingelopen; het dossier is afgesloten.")))
    if not any(s.kind == StepKind.CONTACT_ATTEMPT and s.channel in PERSONAL_CHANNELS for s in steps):
        blockers.append(Blocker("contact_attempt", _("Nog geen persoonlijke contactpoging vastgelegd.")))
    if StepKind.DEBT_HELP_REFERRAL not in kinds:
        blockers.append(Blocker("debt_help_referral", _("Nog niet vastgelegd dat de huurder op schuldhulp is gewezen.")))
    if StepKind.REMINDER_LETTER not in kinds:
        blockers.append(Blocker("reminder", _("Er is nog geen betalingsherinnering verstuurd.")))
    if StepKind.OBJECTION not in kinds and agreement_for(episode, at) is not None and not episode.signals.exists():
        blockers.append(Blocker("signal", _("Er is een convenant met de gemeente en geen bezwaar, maar nog geen "
                                            "vroegsignaal verstuurd.")))
    letters = [s for s in steps if s.kind == StepKind.FOURTEEN_DAY_LETTER and s.data.get("deadline")]
    if not letters:
        blockers.append(Blocker("fourteen_day_letter", _("Er is nog geen veertiendagenbrief verstuurd.")))
    else:
        deadline = max(dt.date.fromisoformat(s.data["deadline"]) for s in letters)
        if at <= deadline:
            blockers.append(Blocker("fourteen_day_deadline", _("De termijn van de veertiendagenbrief loopt nog tot en "
                                                               "met %(date)s.") % {"date": deadline.strftime("%d-%m-%Y")}))
    return blockers


def _euros(cents: int | None) -> str:
    from django.utils.formats import number_format

    return number_format((cents or 0) / 100, decimal_pos=2, use_l10n=True, force_grouping=True)
