"""Demo data for door-to-door consultation (docs/consultation.md).

* "Renovatie of sloop <complex>": the demo complex with the most streets (up to three), visited in
  realistic proportions: in the first street a majority chose demolition, in the second
  renovation, the third had a low response; decisions on the first two streets, closed and
  published at /raadpleging/<slug>/.
* "Welk verduurzamingspakket": a second complex, open, about a third of the doors done.

Deterministic (a seeded random generator); does nothing when the first consultation exists.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db.models import Count
from django.utils import timezone

from wijkpunt.core.models import Organisation, User
from wijkpunt.housing.models import Complex, Unit

from . import services, visits
from .models import Consultation, HousingWish, Outcome, Question, StreetDecision, Visit

REMARKS = ["Na 17.00 uur thuis.", "Wil graag meedenken in de bewonerscommissie.", "Vraagt naar de huurprijs na renovatie.",
           "Bang dat de buurt uit elkaar valt.", "Heeft al eerder een brief gestuurd over vocht.",
           "Wil weten wanneer de bewonersavond is.", "Hond in huis, even aanbellen en wachten.",
           "Spreekt beter Engels; zoon vertaalde.", ""]
TEXTS = ["Houd de bomen in de straat.", "Graag een lift in de nieuwe flat.", "Snel duidelijkheid, we wachten al jaren.",
         "Terug kunnen komen is voor ons het belangrijkst.", "Betere isolatie, het tocht overal."]


def _visitor(corporation: Organisation) -> User | None:
    return (User.objects.filter(is_active=True, memberships__organisation=corporation,
                                memberships__role__permissions__codename="visit_doors",
                                memberships__role__permissions__content_type__app_label="consultation")
            .order_by("username").first())


def _complexes(corporation: Organisation) -> list[tuple[Complex, list[str]]]:
    """Complexes with their streets (each with at least 5 homes), most streets first."""
    rows = (Unit.objects.filter(corporation=corporation, complex__isnull=False).values("complex_id", "street")
            .annotate(n=Count("pk")).filter(n__gte=5).order_by("complex_id", "street"))
    streets: dict[int, list[tuple[str, int]]] = {}
    for row in rows:
        streets.setdefault(row["complex_id"], []).append((row["street"], row["n"]))
    ranked = sorted(streets.items(), key=lambda item: (-min(len(item[1]), 3), -sum(n for _s, n in item[1]), item[0]))
    by_pk = Complex.objects.in_bulk([pk for pk, _s in ranked])
    return [(by_pk[pk], [s for s, _n in sorted(st, key=lambda x: (-x[1], x[0]))[:3]]) for pk, st in ranked]


def _answers(c: Consultation, rng: random.Random, preference: dict[str, float]) -> dict[int, object]:
    result: dict[int, object] = {}
    for q in c.questions.prefetch_related("options"):
        codes = [o.code for o in q.options.all()]
        if q.kind == Question.Kind.CHOICE:
            weights = [preference.get(code, 0.1) for code in codes]
            result[q.pk] = rng.choices(codes, weights=weights)[0]
        elif q.kind == Question.Kind.MULTIPLE:
            result[q.pk] = rng.sample(codes, k=rng.randint(1, min(3, len(codes))))
        elif q.kind == Question.Kind.SCALE:
            result[q.pk] = rng.choices(range(q.scale_min, q.scale_max + 1), weights=[1, 3, 4, 3, 1][:q.scale_max - q.scale_min + 1])[0]
        elif rng.random() < 0.3:
            result[q.pk] = rng.choice(TEXTS)
    return result


def _walk(c: Consultation, street: str, actor: User, rng: random.Random, *, response: float,
          preference: dict[str, float], start: dt.datetime) -> Counter:
    """Visit every address of ``street``: about ``response`` of the homes answer (some after a
    "not home"), a few refuse, now and then a home is empty."""
    counts: Counter = Counter()
    moment = start
    for address in c.addresses.filter(street=street).order_by("position"):
        roll = rng.random()
        plan: list[str]
        if roll < 0.04:
            plan = [Outcome.MOVED]
        elif roll < 0.04 + response:
            plan = [Outcome.NOT_HOME] * rng.choice([0, 0, 1, 2]) + [Outcome.ANSWERED]
        elif roll < 0.04 + response + 0.08:
            plan = [Outcome.REFUSED]
        else:
            plan = [Outcome.NOT_HOME] * rng.choice([1, 2, 3])
        for outcome in plan:
            answered = outcome == Outcome.ANSWERED
            wish = rng.choice(["", "", "blijven", "kleiner", "groter", "aangepast"]) if answered else ""
            visit, _created = visits.visit_record(
                consultation=c, address=address, actor=actor, outcome=outcome,
                answers=_answers(c, rng, preference) if answered else {}, remarks=rng.choice(REMARKS),
                housing_wish=wish if address.unit_id else "")
            moment += dt.timedelta(minutes=rng.randint(4, 25))
            Visit.objects.filter(pk=visit.pk).update(visited_at=moment)
            HousingWish.objects.filter(source_visit=visit).update(recorded_on=timezone.localtime(moment).date())
            counts["visits"] += 1
            counts[outcome] += 1
            counts["housing_wishes"] += bool(wish and address.unit_id)
    return counts


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed_consultation_demo(corporation: Organisation, *, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    empty = {"consultations": 0, "addresses": 0, "visits": 0, "answered": 0, "housing_wishes": 0, "decisions": 0,
             "public_slug": ""}
    complexes = _complexes(corporation)
    actor = _visitor(corporation)
    if not complexes or actor is None:
        return empty
    complex_, streets = complexes[0]
    title = f"Renovatie of sloop {complex_.name}"[:200]
    if Consultation.objects.filter(corporation=corporation, title=title).exists():
        return empty
    rng = random.Random(6)
    totals: Counter = Counter()

    first = services.consultation_create(
        corporation=corporation, complex=complex_, title=title, streets=streets, actor=actor,
        starts_on=today - dt.timedelta(days=70), ends_on=today - dt.timedelta(days=21),
        description="De woningen zijn ruim zestig jaar oud. Knappen we ze op, of bouwen we nieuw? "
                    "We vragen het elk huishouden aan de deur en besluiten per straat.")
    services.question_add(consultation=first, kind=Question.Kind.CHOICE, text="Wat kiest u voor uw straat?",
                          options=["Renovatie", "Sloop en nieuwbouw", "Geen voorkeur"])
    services.question_add(consultation=first, kind=Question.Kind.MULTIPLE,
                          text="Wat vindt u het belangrijkst bij de plannen?",
                          options=["Lagere woonlasten", "Terugkeren in de buurt", "Betere isolatie", "Grotere woning",
                                   "Tijdelijke woning dichtbij"])
    services.question_add(consultation=first, kind=Question.Kind.SCALE, text="Hoe tevreden bent u nu met uw woning?",
                          scale_min=1, scale_max=5, scale_min_label="heel ontevreden", scale_max_label="heel tevreden")
    services.question_add(consultation=first, kind=Question.Kind.TEXT, text="Wilt u ons nog iets meegeven?",
                          required=False)
    services.consultation_open(consultation=first)
    Consultation.objects.filter(pk=first.pk).update(opened_at=_at(today - dt.timedelta(days=70), 9))
    profiles = [  # (response, preference) per street: sloop, renovatie, low response
        (0.78, {"sloop-en-nieuwbouw": 0.7, "renovatie": 0.25, "geen-voorkeur": 0.05}),
        (0.72, {"renovatie": 0.72, "sloop-en-nieuwbouw": 0.2, "geen-voorkeur": 0.08}),
        (0.3, {"renovatie": 0.45, "sloop-en-nieuwbouw": 0.45, "geen-voorkeur": 0.1}),
    ]
    for index, street in enumerate(streets):
        response, preference = profiles[min(index, 2)]
        totals += _walk(first, street, actor, rng, response=response, preference=preference,
                        start=_at(today - dt.timedelta(days=65 - 7 * index), 16))
    services.consultation_close(consultation=first)
    Consultation.objects.filter(pk=first.pk).update(closed_at=_at(today - dt.timedelta(days=21), 17))
    decisions = [
        (StreetDecision.Choice.DEMOLISH, "De woningen in de {street} worden gesloopt; er komen nieuwe huurwoningen.",
         "Een duidelijke meerderheid van de huishoudens koos voor sloop en nieuwbouw, bij een hoge respons. Wie wil "
         "terugkeren, krijgt voorrang op een nieuwe woning in de buurt; tijdens de bouw helpen we met een "
         "tijdelijke woning."),
        (StreetDecision.Choice.RENOVATE, "De woningen in de {street} worden gerenoveerd en geïsoleerd.",
         "Een meerderheid koos voor renovatie. Bewoners kunnen tijdens de werkzaamheden in hun woning blijven; "
         "de huur stijgt niet meer dan de energiebesparing."),
    ]
    first.refresh_from_db()
    for street, (choice, text, reasoning) in zip(streets[:2], decisions, strict=False):
        services.street_decide(consultation=first, street=street, choice=choice, text=text.format(street=street),
                               reasoning=reasoning, actor=actor)
        totals["decisions"] += 1
    StreetDecision.objects.filter(consultation=first).update(decided_at=_at(today - dt.timedelta(days=10), 11))
    first.refresh_from_db()
    services.consultation_publish(consultation=first)

    second_complex, second_streets = complexes[1] if len(complexes) > 1 else complexes[0]
    second = services.consultation_create(
        corporation=corporation, complex=second_complex, title="Welk verduurzamingspakket", actor=actor,
        streets=second_streets, starts_on=today - dt.timedelta(days=7), ends_on=today + dt.timedelta(days=35),
        description="We gaan de woningen verduurzamen. Welk pakket past bij u?")
    services.question_add(consultation=second, kind=Question.Kind.CHOICE, text="Welk pakket heeft uw voorkeur?",
                          options=["Basis: isolatie", "Plus: isolatie en zonnepanelen",
                                   "Compleet: all-electric met warmtepomp"])
    services.question_add(consultation=second, kind=Question.Kind.SCALE,
                          text="Hoe belangrijk is een lagere energierekening voor u?", scale_min=1, scale_max=5,
                          scale_min_label="niet belangrijk", scale_max_label="heel belangrijk")
    services.question_add(consultation=second, kind=Question.Kind.TEXT, text="Vragen of zorgen?", required=False)
    services.consultation_open(consultation=second)
    if second_streets:
        totals += _walk(second, second_streets[0], actor, rng, response=0.35,
                        preference={"plus-isolatie-en-zonnepanelen": 0.5, "basis-isolatie": 0.3},
                        start=_at(today - dt.timedelta(days=3), 16))
    return {"consultations": 2, "addresses": first.addresses.count() + second.addresses.count(),
            "visits": totals["visits"], "answered": totals[Outcome.ANSWERED],
            "housing_wishes": totals["housing_wishes"], "decisions": totals["decisions"], "public_slug": first.slug}
