"""Consultation test helpers on top of ``wijkpunt.cases.tests.factories.build_world`` (plain functions).

``consultation_world()``: the world's complex "Merelhof" (Vogelwijk) gets Merelstraat 1-10 plus the
Jansen (12) and Bakker (14) homes, and Kievitstraat 1-6, each with a household; the other
corporation gets a complex with two homes and its own consultation. ``make_consultation`` adds the
questionnaire of every kind and opens it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from wijkpunt.cases.tests.factories import build_world, make_home, make_user
from wijkpunt.housing.models import Complex, Unit

from .. import services, visits
from ..models import Consultation, Question

START = dt.date(2026, 3, 2)
END = dt.date(2026, 4, 10)


def _homes(corp, neighbourhood, street: str, numbers, postcode: str, complex_):
    units = []
    for n in numbers:
        tenancy = make_home(corp, neighbourhood, street, n, postcode, "Zeist", f"Familie {street[:4]}{n}")
        units.append(tenancy.unit)
    Unit.objects.filter(pk__in=[u.pk for u in units]).update(complex=complex_)
    return units


def consultation_world() -> SimpleNamespace:
    w = build_world()
    w.complex = Complex.objects.get(corporation=w.corp, code="C001")
    _homes(w.corp, w.vogelwijk, "Merelstraat", range(1, 11), "3701AB", w.complex)
    Unit.objects.filter(pk__in=[w.jansen.unit.pk, w.bakker.unit.pk]).update(complex=w.complex)
    _homes(w.corp, w.vogelwijk, "Kievitstraat", range(1, 7), "3701AC", w.complex)
    w.other_complex = Complex.objects.create(corporation=w.other_corp, code="X01", name="Elders", neighbourhood=w.vogelwijk)
    _homes(w.other_corp, w.vogelwijk, "Lijsterlaan", [5, 7], "3702CD", w.other_complex)
    w.other_consultation = make_consultation(w.other_corp, w.other_complex, actor=None, title="Ander plan")
    w.volunteer_user = w.users["volunteer"]
    w.management = w.users["manager"]
    w.management2 = make_user("manager2", w.other_corp, "management")
    return w


def make_consultation(corp, complex_, *, actor, title: str = "Renovatie of sloop Merelhof", streets=(),
                      open_it: bool = True) -> Consultation:
    c = services.consultation_create(corporation=corp, complex=complex_, title=title, starts_on=START, ends_on=END,
                                     actor=actor, description="Wat wilt u met uw woning?", streets=streets)
    services.question_add(consultation=c, kind=Question.Kind.CHOICE, text="Renovatie of sloop?",
                          options=["Renovatie", "Sloop", "Weet ik niet"])
    services.question_add(consultation=c, kind=Question.Kind.MULTIPLE, text="Wat vindt u belangrijk?",
                          options=["Lagere energierekening", "Meer ruimte", "Terugkeren in de buurt"])
    services.question_add(consultation=c, kind=Question.Kind.SCALE, text="Hoe tevreden bent u met uw woning?",
                          scale_min=1, scale_max=5, scale_min_label="helemaal niet", scale_max_label="heel erg")
    services.question_add(consultation=c, kind=Question.Kind.TEXT, text="Wat wilt u ons nog meegeven?",
                          required=False)
    if open_it:
        services.consultation_open(consultation=c)
    c.refresh_from_db()
    return c


def questions(c: Consultation) -> dict[str, Question]:
    return {q.kind: q for q in c.questions.all()}


def answers(c: Consultation, choice: str = "renovatie", multiple=("meer-ruimte",), scale: int = 3, text: str = ""):
    q = questions(c)
    result = {q["keuze"].pk: choice, q["meerkeuze"].pk: list(multiple), q["schaal"].pk: scale}
    if text:
        result[q["open"].pk] = text
    return result


def visit(c: Consultation, address, actor, outcome: str = "beantwoord", **kwargs):
    if outcome == "beantwoord" and "answers" not in kwargs:
        kwargs["answers"] = answers(c)
    v, _created = visits.visit_record(consultation=c, address=address, actor=actor, outcome=outcome, **kwargs)
    return v


def addr(c: Consultation, street: str, number: int):
    return c.addresses.get(street=street, house_number=number)
