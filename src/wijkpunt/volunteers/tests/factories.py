"""Volunteer test helpers on top of ``wijkpunt.cases.tests.factories.build_world`` (plain functions).

``volunteer_world()`` adds to that world: a Bewonerskrachten programme for Vogelwijk with two
volunteers (``henk``, ``gulsen``) and one for Lombok (``lotte``), a second corporation's volunteer
(``elders_vrijwilliger``), and the world's staff. Rounds, teams and consultation tests build on it.
"""

from __future__ import annotations

from types import SimpleNamespace

from wijkpunt.cases.tests.factories import build_world, make_user
from wijkpunt.core.models import Organisation
from wijkpunt.housing.models import Neighbourhood

from ..models import Programme, Volunteer


def make_programme(corp: Organisation, neighbourhood: Neighbourhood, **extra) -> Programme:
    extra.setdefault("name", f"Bewonerskrachten {neighbourhood.name}")
    return Programme.objects.create(corporation=corp, neighbourhood=neighbourhood, **extra)


def make_volunteer(programme: Programme, username: str, **extra) -> Volunteer:
    phone = extra.pop("phone", "+31612345678")
    user = make_user(username, programme.corporation, "bewonerskracht", **extra)
    return Volunteer.objects.create(user=user, programme=programme, phone=phone)


def volunteer_world() -> SimpleNamespace:
    w = build_world()
    vogelwijk = Neighbourhood.objects.get(code="BU03550101")
    lombok = Neighbourhood.objects.get(code="BU03440101")
    w.programme = make_programme(w.corp, vogelwijk, coordinator=w.users["consultant"])
    w.lombok_programme = make_programme(w.corp, lombok)
    w.henk = make_volunteer(w.programme, "henk", last_name="Bosman")
    w.gulsen = make_volunteer(w.programme, "gulsen", last_name="Demir", phone="+31612345672")
    w.lotte = make_volunteer(w.lombok_programme, "lotte", last_name="Smit", phone="+31612345673")
    w.other_programme = make_programme(w.other_corp, vogelwijk)
    w.elders_volunteer = make_volunteer(w.other_programme, "elders_vrijwilliger")
    return w
