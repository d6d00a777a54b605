"""Round test helpers on top of ``volunteer_world()`` (plain functions, also used by the browser and
fuzz tests): the Merelhof complex (Vogelwijk) gets the Jansen and Bakker homes as its units."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from wijkpunt.housing.models import Complex, Unit
from wijkpunt.volunteers.tests.factories import volunteer_world

from .. import services
from ..models import Round

REPORT = {"description": "Lamp in de portiek van Merelstraat 12 is kapot.",
          "location": {"kind": "adres", "postcode": "3701AB", "house_number": 12}}


def round_world() -> SimpleNamespace:
    w = volunteer_world()
    w.merelhof = Complex.objects.get(corporation=w.corp, code="C001")
    Unit.objects.filter(pk__in=[w.jansen.unit_id, w.bakker.unit_id]).update(complex=w.merelhof)
    w.eikenhof = Complex.objects.create(corporation=w.corp, code="C002", name="Eikenhof", neighbourhood=w.bomen)
    w.elders_cx = Complex.objects.create(corporation=w.other_corp, code="X001", name="Lijsterhof",
                                         neighbourhood=w.vogelwijk)
    Unit.objects.filter(pk=w.elders.unit_id).update(complex=w.elders_cx)
    return w


def plan_round(w, *, volunteer=None, partner="gulsen", days: float = 1, complexes=None, route="Merelstraat en Merelhof") -> Round:
    volunteer = volunteer or w.henk
    if partner == "gulsen":
        partner = w.gulsen.user
    when = timezone.now() + dt.timedelta(days=days)
    return services.round_plan(volunteer=volunteer, planned_for=when, route=route, partner=partner,
                               complexes=[w.merelhof] if complexes is None else complexes)
