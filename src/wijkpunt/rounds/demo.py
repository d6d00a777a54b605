"""Demo data for rounds: per programme of the demo corporation a few walked rounds (in pairs) with a
checklist and one to three reports each — filed through the reporting point's intake, like on the
phone — a round planned for tomorrow, and one round without a partner (flagged).

Uses the Volunteer rows the volunteers demo made (Henk Bosman ``vrijwilliger``, Gülsen Demir
``vrijwilliger2``, …), so call :func:`seed_rounds_demo` after it. Without volunteers it does nothing.
Idempotent: does nothing when the corporation already has rounds. Deterministic for a given ``today``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from wijkpunt.core.models import Organisation
from wijkpunt.housing.models import Complex, Unit
from wijkpunt.volunteers.models import Volunteer

from . import intake, services
from .models import Round

CHECKS = [  # per walked round: (item, result, remark)
    [("verlichting", "aandacht", "Portieklamp bij de hoofdingang brandt niet."), ("zwerfafval", "in_orde", ""),
     ("groen", "in_orde", ""), ("algemene_ruimten", "aandacht", "Grofvuil naast de containers."),
     ("omkijken", "in_orde", "Mevrouw op de begane grond even gesproken, het gaat goed.")],
    [("verlichting", "in_orde", "Lamp is vervangen."), ("zwerfafval", "aandacht", "Glas op het speelveldje."),
     ("groen", "aandacht", "Heg langs het pad te hoog."), ("algemene_ruimten", "in_orde", ""),
     ("omkijken", "niet_bekeken", "")],
    [("verlichting", "in_orde", ""), ("zwerfafval", "in_orde", ""), ("groen", "in_orde", ""),
     ("algemene_ruimten", "aandacht", "Deur fietsenkelder sluit niet."), ("omkijken", "in_orde", "")],
]
REPORTS = [  # per walked round: (description, place: "unit" | "complex", where on the spot)
    [("Lamp in de portiek brandt niet meer; 's avonds is het donker bij de voordeur.", "unit", "portiek"),
     ("Grofvuil (matras en een kast) naast de containers bij de ingang.", "complex", "bij de containers")],
    [("Zwerfafval en kapot glas op het speelveldje achter de flat.", "complex", "speelveldje achterzijde"),
     ("Heg langs het voetpad is zo hoog dat je de hoek niet kunt zien.", "complex", "voetpad zijkant"),
     ("Trapleuning op de tweede verdieping zit los.", "unit", "trappenhuis, 2e verdieping")],
    [("Deur van de fietsenkelder sluit niet, het slot lijkt kapot.", "complex", "fietsenkelder")],
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _location(kind: str, complexes: list[Complex], units: list[Unit], text: str) -> dict | None:
    if kind == "unit" and units:
        u = units[0]
        return {"kind": "adres", "postcode": u.postcode, "house_number": u.house_number,
                "house_letter": u.house_letter, "addition": u.house_number_addition, "text": text}
    if complexes:
        return {"kind": "complex", "complex": complexes[0].pk, "text": text}
    return None


def seed_rounds_demo(corporation: Organisation, *, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    counts = {"rounds": 0, "walked": 0, "planned": 0, "unpaired": 0, "reports": 0}
    if Round.objects.filter(programme__corporation=corporation).exists():
        return counts
    by_programme: dict[int, list[Volunteer]] = defaultdict(list)
    for v in (Volunteer.objects.filter(programme__corporation=corporation)
              .select_related("user", "programme").order_by("programme_id", "pk")):
        if v.is_active and v.user.is_active:
            by_programme[v.programme_id].append(v)
    for index, volunteers in enumerate(by_programme.values()):
        first = volunteers[0]
        programme = first.programme
        others, staff = services.partner_candidates(first)
        coordinator = next((u for u in staff if u.pk == programme.coordinator_id), None)
        pair = others[0] if others else None
        partner = pair.user if pair else (coordinator or (staff[0] if staff else None))
        complexes = list(Complex.objects.filter(corporation=corporation, neighbourhood=programme.neighbourhood)
                         .order_by("code")[:2])
        units = list(Unit.objects.filter(complex__in=complexes).order_by("postcode", "house_number", "pk")[:5])
        route = ", ".join(c.name for c in complexes) or f"Rondje {programme.neighbourhood.name}"
        walked = 3 if index == 0 else 1
        for n in range(walked):
            day = today - dt.timedelta(days=7 * (walked - n))
            start = _at(day, 19)
            walker, walk_partner = (pair, first.user) if pair and n % 2 else (first, partner)
            rnd = services.round_plan(volunteer=walker, planned_for=start, route=route, partner=walk_partner,
                                      complexes=complexes, now=start - dt.timedelta(days=5))
            services.round_start(round=rnd, at=start)
            services.round_save_checks(round=rnd, checks=[services.CheckInput(*c) for c in CHECKS[n % len(CHECKS)]])
            for m, (text, kind, where) in enumerate(REPORTS[n % len(REPORTS)]):
                location = _location(kind, complexes, units[m:] or units, where)
                if location is None:
                    continue
                intake.file_report(round=rnd, actor=walker.user, data={"description": text, "location": location},
                                   key=f"demo-{rnd.pk}-{m}", at=start + dt.timedelta(minutes=10 + 15 * m))
                counts["reports"] += 1
            services.round_finish(round=rnd, at=start + dt.timedelta(minutes=75))
            counts["walked"] += 1
        services.round_plan(volunteer=first, planned_for=_at(today + dt.timedelta(days=1), 19), route=route,
                            partner=partner, complexes=complexes, notes="Ook de achterkant van de flats meenemen.")
        counts["planned"] += 1
        lone = volunteers[1] if len(volunteers) > 1 else first
        services.round_plan(volunteer=lone, planned_for=_at(today + dt.timedelta(days=3), 10, 30),
                            route=f"Winkelstrip en speeltuin {programme.neighbourhood.name}", partner=None,
                            complexes=complexes[:1])
        counts["unpaired"] += 1
    counts["rounds"] = Round.objects.filter(programme__corporation=corporation).count()
    return counts
