"""A storm of urgent reports for the worker kill test and the escalation benchmark (never in production).

    manage.py oncall_storm --setup --steps 3 --wait 3      # a corporation, a roster of 3, a policy
    manage.py oncall_storm --reports 100 --rate 10         # 100 gas-smell reports, 10 a second

``--setup`` creates the corporation "Woonstichting Storm" (slug ``storm``) with one unit, a weekly
roster of three people who each have a mobile number and an e-mail address (the third is also the
coordinator), and a paging policy ``when=altijd`` for urgency *spoed* with ``--steps`` steps: the
person on call (SMS and e-mail), the backup (SMS), the coordinator (e-mail), each with a wait of
``--wait`` seconds. The steps are created directly: the 1-minute minimum is the form's rule, the
engine honours any duration.

``--reports N`` files N reports through ``reports.services.report_create`` (category *gaslucht*,
urgency *spoed*, no reporter e-mail) at ``--rate`` reports a second (0: as fast as possible), each
in its own transaction, exactly as the intake does: the escalation starts in the report's
transaction and the first step is fired by the after-commit task, if a worker runs.

Prints one JSON line: what was set up and how many reports were filed in how many seconds.
"""

from __future__ import annotations

import datetime as dt
import json
import time

from django.core.management.base import BaseCommand, CommandError

SLUG = "storm"
PEOPLE = [  # username, first name, phone
    ("storm-anna", "Anna", "0612345671"),
    ("storm-bram", "Bram", "0612345672"),
    ("storm-cees", "Cees", "0612345673"),
]
STEPS = [  # target, channels
    ("dienst", ["sms", "email"]),
    ("achtervang", ["sms"]),
    ("coordinator", ["email"]),
]


def build_storm_world(*, steps: int = 3, wait_seconds: float = 3.0, slug: str = SLUG) -> dict:
    """Create (once) the corporation, unit, roster and paging policy. Returns their ids."""
    from django.db import transaction
    from django.utils import timezone

    from wijkpunt.core.calendar import AMSTERDAM
    from wijkpunt.core.models import Organisation, User
    from wijkpunt.housing.models import Complex, Municipality, Neighbourhood, Unit
    from wijkpunt.oncall.models import EscalationPolicy, EscalationStep, Roster, RosterMember

    with transaction.atomic():
        corp = Organisation.objects.filter(slug=slug).first()
        if corp is not None:
            raise CommandError(f"organisation {slug!r} exists already: use a fresh database")
        corp = Organisation.objects.create(name="Woonstichting Storm", slug=slug, kind="corporatie",
                                           email=f"dienst@{slug}.example")
        muni, _ = Municipality.objects.get_or_create(code="GM0355", defaults={"name": "Zeist"})
        buurt = Neighbourhood.objects.create(code=f"BU0355{Neighbourhood.objects.count() + 1:04d}",
                                             name="Stormwijk", district_code="WK035501", district_name="Noord",
                                             municipality=muni)
        cx = Complex.objects.create(corporation=corp, code="S001", name="Stormhof", neighbourhood=buurt)
        unit = Unit.objects.create(corporation=corp, complex=cx, neighbourhood=buurt, code="S1",
                                   street="Stormstraat", house_number=1, postcode="3701AB", city="Zeist")
        people = [
            User.objects.create_user(username=f"{username}-{slug}" if slug != SLUG else username,
                                     email=f"{username}@{slug}.example", first_name=first, phone=phone)
            for username, first, phone in PEOPLE
        ]
        today = timezone.now().astimezone(AMSTERDAM).date()
        roster = Roster.objects.create(
            organisation=corp, name="Achtervang Storm", rotation_days=7, handover_time=dt.time(17, 0),
            starts_on=today - dt.timedelta(days=today.weekday() + 21), coordinator=people[2],
        )
        for position, user in enumerate(people):
            RosterMember.objects.create(roster=roster, user=user, position=position)
        policy = EscalationPolicy.objects.create(
            organisation=corp, name="Spoed, altijd", trigger="melding", urgencies=["spoed"], when="altijd",
            action="oproepen", position=1,
        )
        for position, (target, channels) in enumerate(STEPS[:steps]):
            EscalationStep.objects.create(policy=policy, position=position, target=target, channels=channels,
                                          wait=dt.timedelta(seconds=wait_seconds))
    return {"organisation": corp.pk, "unit": unit.pk, "roster": roster.pk, "policy": policy.pk,
            "people": [u.pk for u in people], "steps": steps, "wait": wait_seconds}


def file_reports(*, count: int, rate: float, slug: str = SLUG, stdout=None) -> tuple[int, float]:
    """File ``count`` urgent reports at ``rate`` a second. Returns (filed, seconds)."""
    from wijkpunt.housing.models import Unit
    from wijkpunt.reports.models import Category
    from wijkpunt.reports.services import report_create

    unit = Unit.objects.select_related("neighbourhood", "complex", "corporation").get(corporation__slug=slug)
    gas = Category.objects.get(slug="gaslucht")
    start = time.monotonic()
    for i in range(count):
        if rate > 0:
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        report_create(description=f"Sterke gaslucht in het trappenhuis (storm {i + 1})", channel="INT",
                      location_kind="adres", unit=unit, category=gas, urgency="spoed", suggestion={})
        if stdout is not None and (i + 1) % 25 == 0:
            stdout.write(f"# {i + 1} reports filed\n")
            stdout.flush()
    return count, time.monotonic() - start


class Command(BaseCommand):
    help = "Test tool: set up an on-call world and file a storm of urgent reports (refused in production)."

    def add_arguments(self, parser):
        parser.add_argument("--setup", action="store_true", help="create the corporation, roster and policy")
        parser.add_argument("--steps", type=int, default=3, choices=[1, 2, 3])
        parser.add_argument("--wait", type=float, default=3.0, help="seconds between steps")
        parser.add_argument("--reports", type=int, default=0, help="urgent reports to file")
        parser.add_argument("--rate", type=float, default=10.0, help="reports per second (0: no pause)")
        parser.add_argument("--slug", default=SLUG)

    def handle(self, *args, setup, steps, wait, reports, rate, slug, **options):
        from django.conf import settings

        if settings.ENVIRONMENT == "production":
            raise CommandError("oncall_storm refuses to run in production (WIJKPUNT_ENV=production).")
        if wait <= 0:
            raise CommandError("--wait must be positive")
        result: dict = {}
        if setup:
            result["setup"] = build_storm_world(steps=steps, wait_seconds=wait, slug=slug)
        if reports:
            filed, seconds = file_reports(count=reports, rate=rate, slug=slug, stdout=self.stdout)
            result.update(reports=filed, seconds=round(seconds, 3))
        self.stdout.write(json.dumps(result))
