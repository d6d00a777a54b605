"""Every write of the consultation app: keyword-only, one transaction each.

Callers (views, API, demo, tests) check who acts (``selectors``); these functions check what is
allowed (the status of the consultation, the questionnaire, the answers per kind) and raise
``ValidationError`` with field keys and Dutch messages. Nothing is half-saved.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wijkpunt.core.models import Organisation, User
from wijkpunt.housing.models import Complex, Unit

from . import results as R
from .models import (
    Consultation,
    ConsultationAddress,
    HousingWish,
    Option,
    Question,
    StreetDecision,
)

MAX_TEXT = 2000
MAX_OPTIONS = 12
MAX_QUESTIONS = 40


def unstorable(value: str) -> bool:
    """NUL or a lone surrogate (possible in JSON as ``"\\ud800"``): neither SQLite nor PostgreSQL
    can store it, and a surrogate cannot even be encoded in a response."""
    return "\x00" in value or any("\ud800" <= ch <= "\udfff" for ch in value)


def _no_nul(value: str, field: str) -> str:
    if unstorable(value):
        raise ValidationError({field: [_("Deze tekst bevat een teken dat niet kan worden opgeslagen.")]})
    return value


# --------------------------------------------------------------------------- addresses


def walking_order_key(unit) -> tuple:
    """Street, then the odd side going up, then the even side coming back (house numbers down)."""
    odd = unit.house_number % 2 == 1
    number = unit.house_number if odd else -unit.house_number
    letter = unit.house_letter or ""
    addition = unit.house_number_addition or ""
    return (unit.street, 0 if odd else 1, number, letter if odd else _invert(letter), addition)


def _invert(text: str) -> str:
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


def streets_in(complex_: Complex) -> list[str]:
    return sorted(set(Unit.objects.filter(complex=complex_, corporation_id=complex_.corporation_id)
                      .values_list("street", flat=True)))


SLUG_ATTEMPTS = 5


def _slug_base(title: str) -> str:
    return slugify(title)[:60].strip("-") or "raadpleging"


def _free_slug(base: str) -> str:
    """The first of ``base``, ``base-2``, ``base-3``… not taken yet (at this moment)."""
    slug, n = base, 1
    while Consultation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _create_with_free_slug(**fields: Any) -> Consultation:
    """Create the consultation with a unique public slug.

    Two consultations created at the same moment with the same title both see the same slug as
    free; the second insert then fails on the unique index. That insert runs in a savepoint, so the
    surrounding transaction stays usable: look again (the other row is committed by then: the
    unique index made this insert wait for it) and take the next free slug. After a few collisions
    in a row a random suffix ends the race."""
    base = _slug_base(fields["title"])
    for attempt in range(SLUG_ATTEMPTS + 1):
        slug = _free_slug(base) if attempt < SLUG_ATTEMPTS else f"{base}-{secrets.token_hex(4)}"
        try:
            with transaction.atomic():
                return Consultation.objects.create(slug=slug, **fields)
        except IntegrityError:
            if not Consultation.objects.filter(slug=slug).exists():
                raise  # another constraint: not ours to retry
    raise IntegrityError(f"no free slug for {base!r}")


def _check_period(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    errors = {}
    if starts_on is None:
        errors["starts_on"] = [_("Vul de begindatum in.")]
    if ends_on is None:
        errors["ends_on"] = [_("Vul de einddatum in.")]
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("De einddatum ligt voor de begindatum.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def consultation_create(*, corporation: Organisation, complex: Complex, title: str, starts_on: dt.date,
                        ends_on: dt.date, actor: User | None, description: str = "",
                        streets: Sequence[str] = ()) -> Consultation:
    """A concept consultation with its addresses frozen in walking order: every unit of the complex,
    or only those in ``streets``."""
    title = _no_nul((title or "").strip(), "title")
    if not title:
        raise ValidationError({"title": [_("Vul een titel in.")]})
    if complex.corporation_id != corporation.pk:
        raise ValidationError({"complex": [_("Kies een complex van uw corporatie.")]})
    _check_period(starts_on, ends_on)
    units = Unit.objects.filter(complex=complex, corporation=corporation)
    if streets:
        unknown = set(streets) - set(streets_in(complex))
        if unknown:
            raise ValidationError({"streets": [_("Kies straten van het gekozen complex.")]})
        units = units.filter(street__in=list(streets))
    units = sorted(units, key=walking_order_key)
    if not units:
        raise ValidationError({"complex": [_("Dit complex heeft (in deze straten) geen adressen.")]})
    consultation = _create_with_free_slug(
        corporation=corporation, complex=complex, title=title[:200],
        description=_no_nul((description or "").strip(), "description"), starts_on=starts_on, ends_on=ends_on,
        created_by=actor)
    ConsultationAddress.objects.bulk_create([
        ConsultationAddress(consultation=consultation, unit=u, street=u.street, house_number=u.house_number,
                            house_letter=u.house_letter, house_number_addition=u.house_number_addition,
                            postcode=u.postcode, city=u.city, position=i)
        for i, u in enumerate(units, start=1)
    ], batch_size=500)
    return consultation


def _lock(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _require_concept(consultation: Consultation, field: str = "__all__") -> None:
    if not consultation.is_concept:
        raise ValidationError({field: [_("Alleen een raadpleging in concept kan nog worden gewijzigd.")]})


@transaction.atomic
def consultation_update(*, consultation: Consultation, title: str, description: str, starts_on: dt.date,
                        ends_on: dt.date) -> Consultation:
    consultation = _lock(consultation)
    title = _no_nul((title or "").strip(), "title")
    if not title:
        raise ValidationError({"title": [_("Vul een titel in.")]})
    _check_period(starts_on, ends_on)
    if not consultation.is_concept and (starts_on != consultation.starts_on):
        raise ValidationError({"starts_on": [_("De begindatum ligt vast zodra de raadpleging open is.")]})
    if consultation.status in (Consultation.Status.CLOSED, Consultation.Status.DECIDED):
        raise ValidationError({"__all__": [_("Een gesloten raadpleging kan niet meer worden gewijzigd.")]})
    consultation.title = title[:200]
    consultation.description = _no_nul((description or "").strip(), "description")
    consultation.starts_on, consultation.ends_on = starts_on, ends_on
    consultation.save(update_fields=["title", "description", "starts_on", "ends_on"])
    return consultation


# --------------------------------------------------------------------------- the questionnaire


def _clean_question(kind: str, text: str, options: Sequence[str], scale_min: int | None, scale_max: int | None
                    ) -> tuple[str, list[str], int, int]:
    errors: dict[str, list[str]] = {}
    text = (text or "").strip()
    if kind not in Question.Kind.values:
        errors["kind"] = [_("Kies een soort vraag.")]
    if not text:
        errors["text"] = [_("Vul de vraag in.")]
    elif unstorable(text):
        errors["text"] = [_("Deze tekst bevat een teken dat niet kan worden opgeslagen.")]
    labels = [o.strip() for o in options if o and o.strip()]
    if kind in (Question.Kind.CHOICE, Question.Kind.MULTIPLE):
        if len(labels) < 2:
            errors["options"] = [_("Geef ten minste twee antwoordmogelijkheden, één per regel.")]
        elif len(labels) > MAX_OPTIONS:
            errors["options"] = [_("Gebruik hoogstens %(n)s antwoordmogelijkheden.") % {"n": MAX_OPTIONS}]
        elif len({slugify(label) or label for label in labels}) != len(labels):
            errors["options"] = [_("Elke antwoordmogelijkheid moet anders zijn.")]
        elif any(len(label) > 200 or unstorable(label) for label in labels):
            errors["options"] = [_("Een antwoordmogelijkheid is hoogstens 200 tekens.")]
    else:
        labels = []
    low, high = (1 if scale_min is None else scale_min), (5 if scale_max is None else scale_max)
    if kind == Question.Kind.SCALE and not (0 <= low < high <= 10):
        errors["scale_max"] = [_("Kies een schaal binnen 0 tot en met 10, met de hoogste waarde boven de laagste.")]
    if errors:
        raise ValidationError(errors)
    return text, labels, low, high


def _set_options(question: Question, labels: list[str]) -> None:
    question.options.all().delete()
    codes = []
    for label in labels:
        code = slugify(label)[:50] or f"optie-{len(codes) + 1}"
        while code in codes:
            code = f"{code}-{len(codes) + 1}"
        codes.append(code)
    Option.objects.bulk_create([Option(question=question, position=i, code=code, label=label)
                                for i, (code, label) in enumerate(zip(codes, labels, strict=True), start=1)])


@transaction.atomic
def question_add(*, consultation: Consultation, kind: str, text: str, options: Sequence[str] = (),
                 required: bool = True, scale_min: int | None = None, scale_max: int | None = None,
                 scale_min_label: str = "", scale_max_label: str = "") -> Question:
    consultation = _lock(consultation)
    _require_concept(consultation, "text")
    if consultation.questions.count() >= MAX_QUESTIONS:
        raise ValidationError({"text": [_("Een raadpleging heeft hoogstens %(n)s vragen.") % {"n": MAX_QUESTIONS}]})
    text, labels, low, high = _clean_question(kind, text, options, scale_min, scale_max)
    position = (consultation.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    question = Question.objects.create(
        consultation=consultation, position=position, kind=kind, text=text, required=required,
        scale_min=low, scale_max=high, scale_min_label=_no_nul((scale_min_label or "").strip()[:60], "scale_min_label"),
        scale_max_label=_no_nul((scale_max_label or "").strip()[:60], "scale_max_label"))
    _set_options(question, labels)
    return question


@transaction.atomic
def question_update(*, question: Question, kind: str, text: str, options: Sequence[str] = (),
                    required: bool = True, scale_min: int | None = None, scale_max: int | None = None,
                    scale_min_label: str = "", scale_max_label: str = "") -> Question:
    _require_concept(_lock(question.consultation), "text")
    text, labels, low, high = _clean_question(kind, text, options, scale_min, scale_max)
    question.kind, question.text, question.required = kind, text, required
    question.scale_min, question.scale_max = low, high
    question.scale_min_label = _no_nul((scale_min_label or "").strip()[:60], "scale_min_label")
    question.scale_max_label = _no_nul((scale_max_label or "").strip()[:60], "scale_max_label")
    question.save()
    _set_options(question, labels)
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    _require_concept(_lock(question.consultation))
    question.delete()


@transaction.atomic
def question_move(*, question: Question, up: bool) -> None:
    consultation = _lock(question.consultation)
    _require_concept(consultation)
    ordered = list(consultation.questions.order_by("position", "pk"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, q in enumerate(ordered, start=1):
        if q.position != position:
            Question.objects.filter(pk=q.pk).update(position=position)


# --------------------------------------------------------------------------- status


@transaction.atomic
def consultation_open(*, consultation: Consultation) -> Consultation:
    consultation = _lock(consultation)
    _require_concept(consultation)
    if not consultation.questions.exists():
        raise ValidationError({"__all__": [_("Voeg eerst ten minste één vraag toe.")]})
    consultation.status = Consultation.Status.OPEN
    consultation.opened_at = timezone.now()
    consultation.save(update_fields=["status", "opened_at"])
    return consultation


def _all_decided(consultation: Consultation) -> bool:
    streets = set(consultation.addresses.values_list("street", flat=True))
    return streets <= set(consultation.decisions.values_list("street", flat=True))


@transaction.atomic
def consultation_close(*, consultation: Consultation) -> Consultation:
    consultation = _lock(consultation)
    if not consultation.is_open:
        raise ValidationError({"__all__": [_("Alleen een open raadpleging kan worden gesloten.")]})
    consultation.status = (Consultation.Status.DECIDED if _all_decided(consultation)
                           else Consultation.Status.CLOSED)
    consultation.closed_at = timezone.now()
    consultation.save(update_fields=["status", "closed_at"])
    return consultation


@transaction.atomic
def consultation_publish(*, consultation: Consultation) -> Consultation:
    """Put the aggregated results and the decisions on the public page /raadpleging/<slug>/."""
    consultation = _lock(consultation)
    if consultation.status not in (Consultation.Status.CLOSED, Consultation.Status.DECIDED):
        raise ValidationError({"__all__": [_("Sluit de raadpleging voordat u de uitslag publiceert.")]})
    if consultation.published_at is None:
        consultation.published_at = timezone.now()
        consultation.save(update_fields=["published_at"])
    return consultation


# --------------------------------------------------------------------------- decisions


@transaction.atomic
def street_decide(*, consultation: Consultation, street: str, choice: str, text: str, reasoning: str,
                  actor: User | None, results: dict | None = None) -> StreetDecision:
    """Record the decision for one street with a snapshot of its results at this moment."""
    from .selectors import results_for, streets_of

    consultation = _lock(consultation)
    errors: dict[str, list[str]] = {}
    if consultation.status not in (Consultation.Status.OPEN, Consultation.Status.CLOSED):
        raise ValidationError({"__all__": [_("Besluiten legt u vast als de raadpleging open of gesloten is.")]})
    if street not in streets_of(consultation):
        errors["street"] = [_("Kies een straat van deze raadpleging.")]
    elif consultation.decisions.filter(street=street).exists():
        errors["street"] = [_("Voor deze straat is al een besluit vastgelegd.")]
    if choice not in StreetDecision.Choice.values:
        errors["choice"] = [_("Kies het besluit.")]
    text, reasoning = (text or "").strip(), (reasoning or "").strip()
    if not text:
        errors["text"] = [_("Vul het besluit in.")]
    elif len(text) > 300 or unstorable(text):
        errors["text"] = [_("Gebruik hoogstens 300 tekens.")]
    if not reasoning:
        errors["reasoning"] = [_("Vul de onderbouwing in.")]
    elif len(reasoning) > 10000 or unstorable(reasoning):
        errors["reasoning"] = [_("Gebruik hoogstens 10000 tekens.")]
    if errors:
        raise ValidationError(errors)
    snapshot = R.street_snapshot(results or results_for(consultation, include_text=False), street)
    decision = StreetDecision.objects.create(consultation=consultation, street=street, choice=choice, text=text,
                                             reasoning=reasoning, decided_by=actor, snapshot=snapshot)
    if consultation.status == Consultation.Status.CLOSED and _all_decided(consultation):
        consultation.status = Consultation.Status.DECIDED
        consultation.save(update_fields=["status"])
    return decision


def decisions_by_street(consultation: Consultation) -> dict[str, StreetDecision]:
    return {d.street: d for d in consultation.decisions.select_related("decided_by")}


def options_from_text(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def housing_wish_labels() -> Iterable[tuple[str, str]]:
    return HousingWish.Wish.choices
