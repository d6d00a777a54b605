"""A corporation with a weekly roster, a paging policy and a queue policy, at fixed moments."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group

from wijkpunt.core.calendar import AMSTERDAM
from wijkpunt.core.models import Membership, Organisation, Team, User
from wijkpunt.housing.models import Complex, Municipality, Neighbourhood, Unit
from wijkpunt.oncall.models import EscalationPolicy, EscalationStep, Roster, RosterMember

PASSWORD = "wijkpunt-test-123"
# Tuesday 24 November 2026: 23:00 is outside office hours, 10:00 inside.
NIGHT = dt.datetime(2026, 11, 24, 23, 0, tzinfo=AMSTERDAM)
DAY = dt.datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM)


def member(username: str, org: Organisation, role: str, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, email=f"{username}@example.nl",
                                    first_name=username.capitalize(), **extra)
    Membership.objects.create(user=user, organisation=org, role=Group.objects.get(name=role))
    return user


def step(policy, position, target, *, minutes=10, channels=("sms", "email"), **extra):
    return EscalationStep.objects.create(policy=policy, position=position, target=target, channels=list(channels),
                                         wait=dt.timedelta(minutes=minutes), **extra)


@pytest.fixture
def engine(db):
    from wijkpunt.reports.models import Category
    from wijkpunt.reports.taxonomy import load_taxonomy

    load_taxonomy(Category)
    corp = Organisation.objects.create(name="Woonstichting Lindehof", slug="lindehof", kind="corporatie",
                                       email="dienst@lindehof.example")
    other = Organisation.objects.create(name="Andere Corporatie", slug="ander", kind="corporatie")
    muni = Municipality.objects.create(code="GM0355", name="Zeist")
    buurt = Neighbourhood.objects.create(code="BU03550101", name="Vogelwijk", district_code="WK035501",
                                         district_name="Noord", municipality=muni)
    cx = Complex.objects.create(corporation=corp, code="C001", name="Merelhof", neighbourhood=buurt)
    unit = Unit.objects.create(corporation=corp, complex=cx, neighbourhood=buurt, code="E1", street="Merelstraat",
                               house_number=12, postcode="3701AB", city="Zeist")
    team = Team.objects.create(organisation=corp, name="Team Noord", slug="noord")
    anna = member("anna", corp, "wijkconsulent", phone="0612345671")
    bram = member("bram", corp, "complexbeheerder", phone="0612345672")
    cees = member("cees", corp, "wijkconsulent", phone="0612345673")
    coordinator = member("coordinator", corp, "regisseur-sociaal-beheer", phone="0612345674")
    admin = member("beheerder", corp, "beheerder")
    volunteer = member("vrijwilliger", corp, "bewonerskracht", phone="0687654321")
    other_staff = member("anderbeheerder", other, "complexbeheerder", phone="0611111111")
    roster = Roster.objects.create(organisation=corp, name="Achtervang Lindehof", starts_on=dt.date(2026, 11, 2),
                                   handover_time=dt.time(17, 0), rotation_days=7, coordinator=coordinator)
    for position, user in enumerate((anna, bram, cees)):
        RosterMember.objects.create(roster=roster, user=user, position=position)
    paging = EscalationPolicy.objects.create(
        organisation=corp, name="Spoed buiten kantoortijd", urgencies=["spoed"], when="buiten", position=1)
    step(paging, 0, EscalationStep.Target.ON_CALL)
    step(paging, 1, EscalationStep.Target.BACKUP, channels=("sms",))
    step(paging, 2, EscalationStep.Target.COORDINATOR, minutes=15, channels=("email",))
    queue = EscalationPolicy.objects.create(
        organisation=corp, name="Spoed overdag", urgencies=["spoed"], when="binnen", action="werkvoorraad",
        queue_team=team, queue_deadline_minutes=60, position=2)
    return SimpleNamespace(corp=corp, other=other, buurt=buurt, complex=cx, unit=unit, team=team, anna=anna,
                           bram=bram, cees=cees, coordinator=coordinator, admin=admin, volunteer=volunteer,
                           other_staff=other_staff, roster=roster, paging=paging, queue=queue)


def urgent_report(world, *, at=NIGHT, urgency="spoed", text="Ik ruik gas in het trappenhuis bij nummer 12"):
    from wijkpunt.reports.models import Category
    from wijkpunt.reports.services import report_create

    report, _ = report_create(
        description=text, channel="INT", location_kind="adres", unit=world.unit, urgency=urgency,
        category=Category.objects.get(slug="gaslucht") if urgency == "spoed" else None,
        reporter_email="melder@example.nl", suggestion={}, at=at,
    )
    return report


def anna_on_call_now(world) -> None:
    """For tests that run at the real clock: Anna takes over the roster from an hour ago for a day."""
    from django.utils import timezone

    from wijkpunt.oncall.models import RosterOverride

    now = timezone.now()
    RosterOverride.objects.create(roster=world.roster, user=world.anna, starts_at=now - dt.timedelta(hours=1),
                                  ends_at=now + dt.timedelta(days=1), reason="test")


def page_at_any_hour(world) -> None:
    """For tests that report at the real clock: the paging chain applies at any hour. Otherwise a
    run in office hours on a weekday takes the day policy (work queue, no chain) and the test fails
    depending on when CI happens to run."""
    from wijkpunt.oncall.models import EscalationPolicy

    EscalationPolicy.objects.filter(pk=world.paging.pk).update(when=EscalationPolicy.When.ALWAYS)


def keep_links_valid(escalation) -> None:
    """The chain was fired at the fixed ``NIGHT``, the test opens the links at the real clock: keep
    them valid as if just sent (expiry itself is tested with ``expires_at`` in the past)."""
    from django.utils import timezone

    from wijkpunt.oncall.models import Page
    from wijkpunt.oncall.services import ack_link_ttl

    Page.objects.filter(escalation=escalation).update(expires_at=timezone.now() + ack_link_ttl())
