"""Demo: put a handful of the demo corporation's arrears episodes at different steps of the legal
process, through the same services the pages use (so letters are real PDFs and the rules apply).

Idempotent: does nothing when the corporation already has recorded steps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from wijkpunt.core.models import User

from . import services
from .models import ArrearsEpisode, EpisodeStep
from .rules import agreement_for


def _on(episode: ArrearsEpisode, days_ago: int) -> dt.date:
    return max(episode.arose_on, timezone.localdate() - dt.timedelta(days=days_ago))


def _prevention(episode, user, *, reminder_days_ago=40, reached=True):
    services.record_contact_attempt(episode, user, occurred_on=_on(episode, reminder_days_ago + 6), channel="TEL",
                                    reached=reached, daypart="OCH",
                                    note="Gebeld over de achterstand; uitleg gegeven over schuldhulp." if reached
                                    else "Geen gehoor, voicemail ingesproken.")
    if not reached:
        services.record_contact_attempt(episode, user, occurred_on=_on(episode, reminder_days_ago + 3),
                                        channel="BEZ", reached=True, daypart="MID",
                                        note="Huisbezoek: mevrouw was thuis, samen naar de rekening gekeken.")
    services.record_debt_help_referral(episode, user, occurred_on=_on(episode, reminder_days_ago + 2), channel="TEL")
    services.send_reminder_letter(episode, user, sent_on=_on(episode, reminder_days_ago), channel="BRI")


def seed_process_demo(corporation, *, user: User | None = None) -> dict:
    if EpisodeStep.objects.filter(episode__corporation=corporation).exists():
        return {"episodes": 0}
    user = user or User.objects.filter(memberships__organisation=corporation,
                                       memberships__role__name="incasso-medewerker").first()
    today = timezone.localdate()
    episodes = list(ArrearsEpisode.objects.filter(corporation=corporation, status="open")
                    .select_related("tenancy__unit__neighbourhood__municipality", "tenancy__household")
                    .order_by("-amount_cents", "pk"))
    covered = [e for e in episodes if agreement_for(e, today) and (today - e.arose_on).days >= 45]
    uncovered = [e for e in episodes if not agreement_for(e, today) and (today - e.arose_on).days >= 45]
    done = 0

    def attempt(func):
        nonlocal done
        try:
            func()
        except (services.StepRefused, ValidationError, ValueError):  # the rules said no: leave it there
            return
        done += 1

    plans = [
        # signalled and picked up by the municipality; then 14-day letter: bailiff possible
        lambda e: (_prevention(e, user, reminder_days_ago=60),
                   services.record_municipality_answer(
                       services.create_signal(e, user, signal_date=_on(e, 40), warm_handover=True), user,
                       status="opgepakt", answered_on=_on(e, 35)),
                   services.send_fourteen_day_letter(e, user, sent_on=_on(e, 25))),
        # ready to signal: every condition green
        lambda e: _prevention(e, user, reminder_days_ago=30, reached=False),
        # reminder just sent: the objection period runs
        lambda e: (services.record_contact_attempt(e, user, occurred_on=_on(e, 6), channel="TEL", reached=False,
                                                   daypart="AVO", note="Geen gehoor."),
                   services.send_reminder_letter(e, user, sent_on=_on(e, 3))),
        # the tenant objected: no signal for this episode
        lambda e: (_prevention(e, user, reminder_days_ago=35),
                   services.record_objection(e, user, occurred_on=_on(e, 28), channel="TEL",
                                             note="Wil het zelf oplossen met hulp van de familie.")),
        # a payment arrangement
        lambda e: (_prevention(e, user, reminder_days_ago=50),
                   services.create_arrangement(e, user, agreed_on=_on(e, 30), total=Decimal(e.amount_cents) / 100,
                                               instalments=6, first_due_on=_on(e, 30) + dt.timedelta(days=14))),
    ]
    for plan, episode in zip(plans, covered, strict=False):
        attempt(lambda plan=plan, episode=episode: plan(episode))
    if uncovered:  # lives where no agreement is recorded: the checklist shows that condition red
        attempt(lambda: _prevention(uncovered[0], user, reminder_days_ago=30))
    return {"episodes": done}
