"""Teams test helpers on top of ``volunteer_world()`` (plain functions).

``team_world()`` adds: a Klusteam for Vogelwijk (through the programme) with henk (coordinator) and
gulsen, a Groenteam for Vogelwijk and Bomenbuurt (by neighbourhood) with gulsen, a Klusteam in Lombok
with lotte, and the other corporation's Klusteam in Vogelwijk with its volunteer."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wijkpunt.volunteers.tests.factories import volunteer_world

from .. import services
from ..models import JobRequest, Kind


def today() -> dt.date:
    """Today, asked at the moment of use: a module-level constant goes stale when the suite runs
    across midnight."""
    return timezone.localdate()


def tomorrow() -> dt.date:
    return today() + dt.timedelta(days=1)


def team_world():
    w = volunteer_world()
    w.klus = services.team_create(corporation=w.corp, kind=Kind.ODD_JOBS, name="Klusteam Vogelwijk",
                                  programme=w.programme)
    services.team_add_member(team=w.klus, volunteer=w.henk, is_coordinator=True)
    services.team_add_member(team=w.klus, volunteer=w.gulsen)
    w.groen = services.team_create(corporation=w.corp, kind=Kind.GREENERY, name="Groenteam Noord",
                                   neighbourhoods=[w.vogelwijk, w.bomen])
    services.team_add_member(team=w.groen, volunteer=w.gulsen, is_coordinator=True)
    w.lombok_klus = services.team_create(corporation=w.corp, kind=Kind.ODD_JOBS, name="Klusteam Lombok",
                                         programme=w.lombok_programme)
    services.team_add_member(team=w.lombok_klus, volunteer=w.lotte, is_coordinator=True)
    w.other_klus = services.team_create(corporation=w.other_corp, kind=Kind.ODD_JOBS, name="Klusteam Elders",
                                        neighbourhoods=[w.vogelwijk])
    services.team_add_member(team=w.other_klus, volunteer=w.elders_volunteer, is_coordinator=True)
    return w


def make_job(w, *, kind=Kind.ODD_JOBS, unit=None, email="huurder@example.nl", description="Lamp ophangen in de gang",
             **extra) -> JobRequest:
    job, _created = services.job_request_create(
        unit=unit or w.jansen.unit, kind=kind, description=description, requester_name="Ria Jansen",
        requester_phone="+31611112222", requester_email=email, contact_consent=True, **extra)
    return job
