"""Door-to-door visits: recording a visit with its outcome, answers (checked per question kind),
remarks and the household's housing wish, idempotent for a phone that retries. One transaction each;
``ValidationError`` with field keys and Dutch messages (as in ``services``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkpunt.core.models import User
from wijkpunt.housing.models import Tenancy

from .models import Answer, Consultation, ConsultationAddress, HousingWish, Outcome, Question, Visit
from .services import MAX_TEXT, _lock, unstorable


class IdempotencyConflict(Exception):
    """The same Idempotency-Key was used before for a different visit."""


def clean_answers(questions: Sequence[Question], raw: Mapping[Any, Any]) -> dict[int, Any]:
    """Validate answers per question kind; ``raw`` maps question id (int or str) to a value:
    a choice is an option code, multiple choice a list of codes, a scale an integer, free text a
    string. Errors are keyed ``vraag_<id>``."""
    if not isinstance(raw, Mapping):
        raise ValidationError({"answers": [_("Geef de antwoorden per vraag.")]})
    by_id = {str(q.pk): q for q in questions}
    errors: dict[str, list[str]] = {}
    unknown = [str(key) for key in raw if str(key) not in by_id]
    if unknown:
        # Echo only plain numbers: a key is client input (it may hold characters a response cannot encode).
        shown = sorted(key for key in unknown if key.isascii() and key.isdigit())[:5]
        errors["answers"] = [_("Onbekende vraag: %(ids)s.") % {"ids": ", ".join(shown)} if shown
                             else _("Onbekende vraag.")]
    cleaned: dict[int, Any] = {}
    for key, question in by_id.items():
        value = raw.get(key, raw.get(question.pk))
        field = f"vraag_{question.pk}"
        empty = value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())
        if empty:
            if question.required:
                errors[field] = [_("Kies ten minste één antwoord.") if question.kind == Question.Kind.MULTIPLE
                                 else _("Beantwoord deze vraag.")]
            continue
        codes = [o.code for o in question.options.all()]
        if question.kind == Question.Kind.CHOICE:
            if not isinstance(value, str) or value not in codes:
                errors[field] = [_("Kies een van de antwoorden bij deze vraag.")]
            else:
                cleaned[question.pk] = value
        elif question.kind == Question.Kind.MULTIPLE:
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) and v in codes for v in values):
                errors[field] = [_("Kies alleen antwoorden die bij deze vraag horen.")]
            else:
                cleaned[question.pk] = [c for c in codes if c in set(values)]
        elif question.kind == Question.Kind.SCALE:
            number = value
            if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,3}", value.strip()):
                number = int(value.strip())
            if (isinstance(number, bool) or not isinstance(number, int)
                    or not question.scale_min <= number <= question.scale_max):
                errors[field] = [_("Kies een getal van %(min)s tot en met %(max)s.")
                                 % {"min": question.scale_min, "max": question.scale_max}]
            else:
                cleaned[question.pk] = number
        else:
            if not isinstance(value, str):
                errors[field] = [_("Vul tekst in.")]
            elif len(value) > MAX_TEXT:
                errors[field] = [_("Gebruik hoogstens %(n)s tekens.") % {"n": MAX_TEXT}]
            elif unstorable(value):
                errors[field] = [_("Deze tekst bevat een teken dat niet kan worden opgeslagen.")]
            else:
                cleaned[question.pk] = value.strip()
    if errors:
        raise ValidationError(errors)
    return cleaned


def _scoped_key(actor: User, key: str) -> str:
    return hashlib.sha256(f"consultation-visit:{actor.pk}:{key}".encode()).hexdigest()


def _fingerprint(**parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _current_household_id(unit_id: int | None, on: dt.date) -> int | None:
    if unit_id is None:
        return None
    return (Tenancy.objects.filter(unit_id=unit_id, start_date__lte=on)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
            .order_by("-start_date").values_list("household_id", flat=True).first())


def visit_record(*, consultation: Consultation, address: ConsultationAddress, actor: User, outcome: str,
                 answers: Mapping[Any, Any] | None = None, remarks: str = "", housing_wish: str = "",
                 housing_wish_note: str = "", idempotency_key: str = "") -> tuple[Visit, bool]:
    """Record one visit. Returns ``(visit, created)``; a repeated ``idempotency_key`` of the same
    actor with the same content returns the first visit (``created`` False), with other content
    it raises ``IdempotencyConflict``."""
    answers = answers or {}
    if isinstance(answers, Mapping):
        answers = {str(k): v for k, v in answers.items()}
    remarks = (remarks or "").strip() if isinstance(remarks, str) else remarks
    key = _scoped_key(actor, idempotency_key) if idempotency_key else None
    fingerprint = _fingerprint(address=address.pk, outcome=outcome, answers=answers, remarks=remarks,
                               wish=housing_wish, note=housing_wish_note)
    if key:
        existing = Visit.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if existing.request_hash != fingerprint:
                raise IdempotencyConflict
            return existing, False
    try:
        with transaction.atomic():
            visit = _visit_record(consultation=consultation, address=address, actor=actor, outcome=outcome,
                                  answers=answers, remarks=remarks, housing_wish=housing_wish,
                                  housing_wish_note=housing_wish_note, key=key, fingerprint=fingerprint)
    except IntegrityError:
        if key and (existing := Visit.objects.filter(idempotency_key=key).first()) is not None:
            if existing.request_hash != fingerprint:
                raise IdempotencyConflict from None
            return existing, False
        raise
    return visit, True


def _visit_record(*, consultation, address, actor, outcome, answers, remarks, housing_wish, housing_wish_note,
                  key, fingerprint) -> Visit:
    consultation = _lock(consultation)
    errors: dict[str, list[str]] = {}
    if not consultation.is_open:
        raise ValidationError({"__all__": [_("Deze raadpleging is niet open: er kunnen geen bezoeken bij.")]})
    if address.consultation_id != consultation.pk:
        raise ValidationError({"address": [_("Dit adres hoort niet bij deze raadpleging.")]})
    if Visit.objects.filter(consultation=consultation, street=address.street, anonymised_at__isnull=False).exists():
        # Retention has cut this street's visits loose from their addresses: a new visit could not be
        # matched with the earlier one and the address would count twice.
        raise ValidationError({"address": [_("De bezoeken in deze straat zijn al geanonimiseerd: er kunnen "
                                             "geen bezoeken meer bij.")]})
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Kies wat de uitkomst van het bezoek is.")]
    if not isinstance(remarks, str):
        errors["remarks"] = [_("Vul tekst in.")]
    elif len(remarks) > MAX_TEXT:
        errors["remarks"] = [_("Gebruik hoogstens %(n)s tekens.") % {"n": MAX_TEXT}]
    elif unstorable(remarks):
        errors["remarks"] = [_("Deze tekst bevat een teken dat niet kan worden opgeslagen.")]
    wish_given = bool(housing_wish)
    if wish_given and housing_wish not in HousingWish.Wish.values:
        errors["housing_wish"] = [_("Kies een van de woonwensen.")]
    elif wish_given and outcome != Outcome.ANSWERED:
        errors["housing_wish"] = [_("Een woonwens hoort bij een beantwoord bezoek.")]
    elif wish_given and address.unit_id is None:
        errors["housing_wish"] = [_("Bij dit adres is geen woning meer bekend.")]
    if not isinstance(housing_wish_note, str) or len(housing_wish_note) > 500 or unstorable(housing_wish_note):
        errors["housing_wish_note"] = [_("Gebruik hoogstens 500 tekens.")]
    cleaned: dict[int, Any] = {}
    questions = list(consultation.questions.prefetch_related("options"))
    if outcome == Outcome.ANSWERED:
        try:
            cleaned = clean_answers(questions, answers)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    elif answers:
        errors["answers"] = [_("Antwoorden horen alleen bij een beantwoord bezoek.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    attempt = address.visits.count() + 1
    visit = Visit.objects.create(
        consultation=consultation, address=address, street=address.street, visitor=actor, visited_at=now,
        household_id=_current_household_id(address.unit_id, timezone.localdate(now)), attempt=attempt,
        outcome=outcome, remarks=remarks, idempotency_key=key, request_hash=fingerprint if key else "")
    rows = []
    by_id = {q.pk: q for q in questions}
    for question_id, value in cleaned.items():
        question = by_id[question_id]
        options = {o.code: o for o in question.options.all()}
        if question.kind == Question.Kind.CHOICE:
            rows.append(Answer(visit=visit, question=question, option=options[value]))
        elif question.kind == Question.Kind.MULTIPLE:
            rows.extend(Answer(visit=visit, question=question, option=options[code]) for code in value)
        elif question.kind == Question.Kind.SCALE:
            rows.append(Answer(visit=visit, question=question, number=value))
        else:
            rows.append(Answer(visit=visit, question=question, text=value))
    Answer.objects.bulk_create(rows)
    if wish_given:
        HousingWish.objects.create(
            corporation_id=consultation.corporation_id, unit_id=address.unit_id, household_id=visit.household_id,
            wish=housing_wish, note=housing_wish_note.strip(), recorded_on=timezone.localdate(now), recorded_by=actor,
            consultation=consultation, source_visit=visit)
    return visit


