"""Demo on-call setup: a weekly roster with a swap and an uncovered absence (a gap warning),
policies for urgent reports and for volunteers' help requests, and a few nights of history taken
through the real services (pages, acknowledgements, a help request). Deterministic."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wijkpunt.core.calendar import AMSTERDAM
from wijkpunt.core.models import Organisation, Team, User
from wijkpunt.housing.models import Unit
from wijkpunt.reports.models import Category
from wijkpunt.reports.services import report_create

from . import services
from .models import Absence, EscalationPolicy, EscalationStep, Page, Roster, RosterMember, RosterOverride

T = EscalationStep.Target


def _step(policy, position, target, minutes, channels):
    EscalationStep.objects.create(policy=policy, position=position, target=target,
                                  wait=dt.timedelta(minutes=minutes), channels=channels)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def seed_oncall(*, corporation: Organisation, now: dt.datetime | None = None) -> int:
    """Set up the on-call backup for the demo corporation. Returns the number of escalations made."""
    if Roster.objects.filter(organisation=corporation).exists():
        return 0
    now = now or timezone.now()
    local_today = now.astimezone(AMSTERDAM).date()
    people = {u.username: u for u in User.objects.filter(
        username__in=["complexbeheerder", "wijkconsulent", "opzichter", "regisseur", "vrijwilliger"])}
    roster = Roster.objects.create(
        organisation=corporation, name="Achtervang Lindehof", starts_on=_monday(local_today) - dt.timedelta(weeks=6),
        handover_time=dt.time(17, 0), rotation_days=7, coordinator=people["regisseur"], warning_days=14,
    )
    for position, username in enumerate(("complexbeheerder", "wijkconsulent", "opzichter")):
        RosterMember.objects.create(roster=roster, user=people[username], position=position)
    next_monday = _monday(local_today) + dt.timedelta(weeks=1)
    at_five = dt.time(17, 0)
    RosterOverride.objects.create(
        roster=roster, user=people["opzichter"], reason="Ruil: Fatima heeft een verjaardag",
        starts_at=dt.datetime.combine(next_monday + dt.timedelta(days=4), at_five, tzinfo=AMSTERDAM),
        ends_at=dt.datetime.combine(next_monday + dt.timedelta(days=7), dt.time(8, 30), tzinfo=AMSTERDAM),
    )
    # An absence nobody has covered yet: the dashboard warns about it days ahead.
    gap_day = next_monday + dt.timedelta(days=8)
    schedule_owner = roster.members.order_by("position")[
        ((gap_day - roster.starts_on).days // 7) % 3].user if roster.members.exists() else None
    if schedule_owner is not None:
        Absence.objects.create(
            user=schedule_owner, reason="Vakantie (nog geen vervanger)",
            starts_at=dt.datetime.combine(gap_day, dt.time(17, 0), tzinfo=AMSTERDAM),
            ends_at=dt.datetime.combine(gap_day + dt.timedelta(days=2), dt.time(8, 30), tzinfo=AMSTERDAM),
        )

    gas_and_fire = EscalationPolicy.objects.create(
        organisation=corporation, name="Gaslucht en brandgevaar: altijd direct", urgencies=["spoed"],
        when=EscalationPolicy.When.ALWAYS, position=1)
    gas_and_fire.categories.set(Category.objects.filter(slug__in=["gaslucht", "brandgevaar"]))
    _step(gas_and_fire, 0, T.ON_CALL, 5, ["sms", "email"])
    _step(gas_and_fire, 1, T.BACKUP, 5, ["sms"])
    _step(gas_and_fire, 2, T.COORDINATOR, 10, ["sms", "email"])
    night = EscalationPolicy.objects.create(
        organisation=corporation, name="Spoed buiten kantoortijden", urgencies=["spoed"],
        when=EscalationPolicy.When.OUTSIDE, position=2)
    _step(night, 0, T.ON_CALL, 10, ["sms", "email"])
    _step(night, 1, T.BACKUP, 10, ["sms"])
    _step(night, 2, T.COORDINATOR, 15, ["sms", "email"])
    team = Team.objects.filter(organisation=corporation, slug="sociaal-beheer").first()
    EscalationPolicy.objects.create(
        organisation=corporation, name="Spoed binnen kantoortijden", urgencies=["spoed"],
        when=EscalationPolicy.When.INSIDE, action=EscalationPolicy.Action.QUEUE, queue_team=team,
        queue_deadline_minutes=60, position=3)
    helping = EscalationPolicy.objects.create(
        organisation=corporation, name="Hulpvraag bewonerskracht", trigger=EscalationPolicy.Trigger.HELP,
        when=EscalationPolicy.When.ALWAYS, position=4)
    _step(helping, 0, T.ON_CALL, 3, ["sms", "email"])
    _step(helping, 1, T.BACKUP, 3, ["sms"])
    _step(helping, 2, T.COORDINATOR, 5, ["sms", "email"])
    return _history(corporation, people, now)


def _answer(escalation, step: int, at: dt.datetime, decision: str, note: str = "") -> bool:
    """The person paged at ``step`` acknowledges at ``at`` and decides a minute later."""
    page = Page.objects.filter(escalation=escalation, step=step).first()
    if page is None or page.recipient is None:
        return False
    services.page_acknowledge(page=page, at=at)
    services.escalation_decide(escalation=escalation, user=page.recipient, decision=decision, note=note,
                               at=at + dt.timedelta(minutes=1))
    return True


def _history(corporation, people, now) -> int:
    units = list(Unit.objects.filter(corporation=corporation).order_by("pk")[:3])
    yesterday = (now.astimezone(AMSTERDAM) - dt.timedelta(days=1)).date()
    made = 0

    # Last night 23:12: gas smell, acknowledged by the on-call person after four minutes, taken.
    at = dt.datetime.combine(yesterday, dt.time(23, 12), tzinfo=AMSTERDAM)
    report, _ = report_create(
        description="Sterke gaslucht in het trappenhuis, bij de meterkasten op de tweede verdieping.",
        channel="TEL", location_kind="adres", unit=units[0], urgency="spoed",
        category=Category.objects.get(slug="gaslucht"), reporter_name="Mw. Jansen",
        reporter_phone="0301234567", contact_consent=True, suggestion={}, at=at,
    )
    escalation = report.escalations.first()
    if escalation is not None:
        made += 1
        services.escalation_fire(escalation.pk, now=at + dt.timedelta(seconds=2))
        _answer(escalation, 0, at + dt.timedelta(minutes=4), "genomen", "Netbeheerder gebeld, ik ga erheen.")

    # Last night 01:40: a resident not seen for days; the on-call person did not answer, the backup did.
    at = dt.datetime.combine(yesterday + dt.timedelta(days=1), dt.time(1, 40), tzinfo=AMSTERDAM)
    if at < now:
        report, _ = report_create(
            description="Mijn buurman is al vier dagen niet gezien, de brievenbus puilt uit en hij doet niet open.",
            channel="INT", location_kind="adres", unit=units[1], urgency="spoed",
            category=Category.objects.get(slug="niet-gezien"), reporter_email="buurvrouw@example.nl",
            suggestion={}, at=at,
        )
        escalation = report.escalations.first()
        if escalation is not None:
            made += 1
            services.escalation_fire(escalation.pk, now=at + dt.timedelta(seconds=3))
            services.escalation_fire(escalation.pk, now=at + dt.timedelta(minutes=11))
            _answer(escalation, 1, at + dt.timedelta(minutes=13), "teruggegeven",
                    "Wijkagent gaat kijken; morgen wijkconsulent.")

    # Yesterday evening: a volunteer on a round asked for help; picked up within two minutes.
    at = dt.datetime.combine(yesterday, dt.time(19, 35), tzinfo=AMSTERDAM)
    volunteer = people.get("vrijwilliger")
    if volunteer is not None and units:
        help_request, _ = services.help_request_create(
            volunteer=volunteer, organisation=corporation, message="Bewoner wordt agressief bij de voordeur",
            latitude=units[2].latitude, longitude=units[2].longitude, accuracy_m=18 if units[2].latitude else None,
            at=at,
        )
        escalation = help_request.escalation
        made += 1
        services.escalation_fire(escalation.pk, now=at + dt.timedelta(seconds=1))
        if _answer(escalation, 0, at + dt.timedelta(minutes=2), "genomen"):
            services.help_request_close(help_request=help_request, user=volunteer, at=at + dt.timedelta(minutes=40))

    # Right now: a gas smell. The worker pages the on-call person as soon as the demo starts.
    report, _ = report_create(
        description="Ik ruik gas in de portiek, het wordt steeds sterker.",
        channel="INT", location_kind="adres", unit=units[2], urgency="spoed",
        category=Category.objects.get(slug="gaslucht"), reporter_email="melder@example.nl", suggestion={},
        at=now,
    )
    made += report.escalations.count()
    return made
