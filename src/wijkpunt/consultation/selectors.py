"""Reads of consultations, scoped to what the acting user may see.

* ``consultation.run_consultation`` — set up, open, close, decide, publish, letters (staff).
* ``consultation.visit_doors`` — the walking list and recording visits; sees one address's earlier
  visits and answers (every such read is written to the access log, purpose "Raadpleging").
* ``consultation.view_results`` — the results page; the free-text answers and remarks only with
  ``run_consultation`` or ``visit_doors`` as well (management sees numbers only). A results page
  that shows free text is written to the access log once per view (subject
  ``consultation-results``, the consultation's id, no household: the texts are not tied to one).

The public page (``public_page``) is cached per consultation for ``CONSULTATION_PUBLIC_CACHE_SECONDS``
(default 60) under a key that changes with every visit, decision, anonymisation or publication, so
a new decision shows at once.

Each permission counts in the organisation that holds it: another corporation's consultation is a
404 like a missing id; a user with none of the three anywhere (volunteers, partners) gets 403.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, QuerySet
from django.http import Http404
from django.utils import translation

from wijkpunt.core.access import log_access, log_access_many
from wijkpunt.core.permissions import orgs_with_perm
from wijkpunt.core.roles import roles_in

from . import results as R
from .models import (
    RESULTS,
    RUN,
    VISIT,
    Answer,
    Consultation,
    ConsultationAddress,
    HousingWish,
    Question,
    StreetDecision,
    Visit,
)

PURPOSE = "Raadpleging"
DEFAULT_LOW_RESPONSE = 50
DEFAULT_PUBLIC_CACHE_SECONDS = 60
MAX_ID = 2**62  # beyond this the database cannot bind the value (SQLite: 64-bit)


def low_response_percent() -> float:
    return float(getattr(settings, "CONSULTATION_LOW_RESPONSE_PERCENT", DEFAULT_LOW_RESPONSE))


def any_orgs(user) -> frozenset[int]:
    return orgs_with_perm(user, RUN) | orgs_with_perm(user, VISIT) | orgs_with_perm(user, RESULTS)


def require_any(user) -> None:
    if not any_orgs(user):
        raise PermissionDenied


def can(user, perm: str, consultation: Consultation) -> bool:
    return consultation.corporation_id in orgs_with_perm(user, perm)


def require(user, perm: str, consultation: Consultation) -> None:
    if not can(user, perm, consultation):
        raise PermissionDenied


def sees_text(user, consultation: Consultation) -> bool:
    return can(user, RUN, consultation) or can(user, VISIT, consultation)


def visible(user) -> QuerySet[Consultation]:
    return Consultation.objects.filter(corporation_id__in=any_orgs(user))


def consultation_list(user) -> list[Consultation]:
    return list(visible(user).select_related("complex", "corporation").annotate(address_count=Count("addresses"))
                .order_by("-starts_on", "-pk"))


def consultation_for(user, pk: int) -> Consultation:
    require_any(user)
    consultation = (visible(user).select_related("complex", "corporation").filter(pk=pk).first()
                    if 0 < pk < MAX_ID else None)
    if consultation is None:
        raise Http404
    return consultation


def address_for(consultation: Consultation, pk: int) -> ConsultationAddress:
    address = consultation.addresses.filter(pk=pk).first() if 0 < pk < MAX_ID else None
    if address is None:
        raise Http404
    return address


def questions_of(consultation: Consultation) -> list[Question]:
    return list(consultation.questions.prefetch_related("options").order_by("position", "pk"))


def question_specs(questions: list[Question]) -> list[R.QuestionSpec]:
    return [R.QuestionSpec(id=q.pk, kind=q.kind, text=q.text,
                           options=tuple((o.code, o.label) for o in q.options.all()),
                           scale_min=q.scale_min, scale_max=q.scale_max, scale_min_label=q.scale_min_label,
                           scale_max_label=q.scale_max_label) for q in questions]


def streets_of(consultation: Consultation) -> list[str]:
    """Streets in walking order (the order of their first address)."""
    seen: dict[str, None] = {}
    for street in consultation.addresses.order_by("position").values_list("street", flat=True):
        seen.setdefault(street, None)
    return list(seen)


# --------------------------------------------------------------------------- the walking list


@dataclass
class AddressRow:
    address: ConsultationAddress
    state: str
    attempts: int
    last_visit_at: object | None

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


def _state_labels() -> dict[str, str]:
    from django.utils.translation import gettext_lazy as _

    return {R.NOT_VISITED: _("Nog niet bezocht"), R.ANSWERED: _("Beantwoord"),
            R.NOT_HOME: _("Niet thuis — nog eens proberen"), R.REFUSED: _("Wil niet meedoen"),
            R.MOVED: _("Verhuisd / leeg")}


STATE_LABELS = _state_labels()


def _visits_by_address(consultation: Consultation) -> dict[int, list[tuple[int, str, object]]]:
    by_address: dict[int, list[tuple[int, str, object]]] = defaultdict(list)
    for pk, address_id, outcome, at in (
        Visit.objects.filter(consultation=consultation, address__isnull=False)
        .order_by("visited_at", "pk").values_list("pk", "address_id", "outcome", "visited_at")
    ):
        by_address[address_id].append((pk, outcome, at))
    return by_address


def address_rows(consultation: Consultation) -> list[AddressRow]:
    """Every address in walking order with its state (no answers: nothing to log)."""
    visits = _visits_by_address(consultation)
    rows = []
    for address in consultation.addresses.order_by("position"):
        mine = visits.get(address.pk, [])
        state = R.address_state([o for _pk, o, _at in mine])
        rows.append(AddressRow(address=address, state=state.state, attempts=state.attempts,
                               last_visit_at=mine[-1][2] if mine else None))
    return rows


def address_history(user, consultation: Consultation, address: ConsultationAddress) -> list[Visit]:
    """One address's earlier visits with their answers (personal data: logged per household)."""
    visits = list(address.visits.select_related("visitor").prefetch_related("answers__option", "answers__question",
                                                                            "housing_wishes")
                  .order_by("visited_at", "pk"))
    if visits:
        rows = {(v.pk, v.household_id) for v in visits if v.answers.all() or v.remarks}
        if rows:
            log_access_many(user, consultation.corporation_id, subject="consultation-visit", purpose=PURPOSE,
                            rows=sorted(rows, key=lambda r: r[0]), role=roles_in(user, consultation.corporation_id))
    return visits


# --------------------------------------------------------------------------- results


def _answer_values(consultation: Consultation, visit_ids: set[int], questions: list[Question]
                   ) -> dict[int, dict[int, object]]:
    """The answers of the counted visits (one query over the consultation's answers)."""
    kinds = {q.pk: q.kind for q in questions}
    codes = {o.pk: o.code for q in questions for o in q.options.all()}
    values: dict[int, dict[int, object]] = defaultdict(dict)
    for visit_id, question_id, option_id, number, text in Answer.objects.filter(
            visit__consultation=consultation).values_list("visit_id", "question_id", "option_id", "number", "text"):
        if visit_id not in visit_ids:
            continue
        kind = kinds.get(question_id)
        if kind == R.MULTIPLE:
            values[visit_id].setdefault(question_id, []).append(codes.get(option_id))
        elif kind == R.CHOICE:
            values[visit_id][question_id] = codes.get(option_id)
        elif kind == R.SCALE:
            values[visit_id][question_id] = number
        elif kind == R.TEXT:
            values[visit_id][question_id] = text
    return values


def records_of(consultation: Consultation, questions: list[Question]) -> list[R.Record]:
    """One record per visited address (its effective state and counted answers) plus every
    anonymised visit (retention keeps one per visited address, without the address)."""
    visits = _visits_by_address(consultation)
    streets = dict(consultation.addresses.values_list("pk", "street"))
    remarks: dict[int | None, list[str]] = defaultdict(list)
    for address_id, text in (Visit.objects.filter(consultation=consultation).exclude(remarks="")
                             .order_by("visited_at", "pk").values_list("address_id", "remarks")):
        if address_id is not None:
            remarks[address_id].append(text)
    chosen: list[tuple[str, str, int | None, tuple[str, ...]]] = []  # (street, state, counted visit, remarks)
    for address_id, mine in visits.items():
        state = R.address_state([o for _pk, o, _at in mine])
        counted = mine[state.counted][0] if state.counted is not None else None
        chosen.append((streets[address_id], state.state, counted, tuple(remarks.get(address_id, ()))))
    for pk, street, outcome in Visit.objects.filter(consultation=consultation, address__isnull=True).values_list(
            "pk", "street", "outcome"):
        # retention keeps one anonymised visit per visited address, carrying that address's state
        chosen.append((street, outcome, pk if outcome == R.ANSWERED else None, ()))
    answers = _answer_values(consultation, {v for _s, _st, v, _r in chosen if v is not None}, questions)
    return [R.Record(street=street, state=state, answers=answers.get(v, {}) if v else {}, remarks=texts)
            for street, state, v, texts in chosen]


def results_for(consultation: Consultation, *, include_text: bool) -> dict:
    questions = questions_of(consultation)
    per_street = dict.fromkeys(streets_of(consultation), 0)
    for street, n in consultation.addresses.values_list("street").annotate(n=Count("pk")).values_list("street", "n"):
        per_street[street] = n
    return R.compute(per_street, records_of(consultation, questions), question_specs(questions),
                     low_response_percent=low_response_percent(), include_text=include_text)


def _shows_free_text(data: dict) -> bool:
    groups = [*data["streets"], data["complex"]]
    return any(g.get("remarks") or any(q.get("texts") for q in g["questions"]) for g in groups)


def results_page(user, consultation: Consultation) -> tuple[dict, bool]:
    """The results for the staff page: ``(results, include_text)``. Free-text answers and remarks
    only for ``run_consultation``/``visit_doors``; when the page shows any, the read is logged
    (one row per view; management, who sees numbers only, leaves no row)."""
    include_text = sees_text(user, consultation)
    data = results_for(consultation, include_text=include_text)
    if include_text and _shows_free_text(data):
        log_access(user, consultation.corporation_id, subject="consultation-results", purpose=PURPOSE,
                   subject_id=consultation.pk, role=roles_in(user, consultation.corporation_id))
    return data, include_text


def public_consultation(slug: str) -> Consultation:
    consultation = Consultation.objects.select_related("corporation", "complex").filter(
        slug=slug, published_at__isnull=False).first()
    if consultation is None:
        raise Http404
    return consultation


def public_results(consultation: Consultation) -> dict:
    return R.public_view(results_for(consultation, include_text=False))


def public_cache_seconds() -> int:
    return int(getattr(settings, "CONSULTATION_PUBLIC_CACHE_SECONDS", DEFAULT_PUBLIC_CACHE_SECONDS))


def public_cache_key(consultation: Consultation) -> str:
    """Changes with everything the public page shows: a visit recorded (or anonymised: new rows),
    a decision, the publication, the threshold, the language. Two small indexed queries instead of
    the whole computation."""
    visits = Visit.objects.filter(consultation=consultation).aggregate(n=Count("pk"), last=Max("pk"))
    decisions = StreetDecision.objects.filter(consultation=consultation).aggregate(n=Count("pk"), last=Max("pk"))
    published = consultation.published_at.timestamp() if consultation.published_at else 0
    return (f"consultation:public:{consultation.pk}:{published}:{visits['n']}-{visits['last']}:"
            f"{decisions['n']}-{decisions['last']}:{low_response_percent()}:{translation.get_language()}")


def public_page(consultation: Consultation) -> dict:
    """What the public page shows: ``public_results`` with per street its decision (cached)."""
    key = public_cache_key(consultation)
    data = cache.get(key)
    if data is None:
        data = public_results(consultation)
        decisions = {d.street: d for d in consultation.decisions.all()}
        for row in data["streets"]:
            decision = decisions.get(row["street"])
            row["decision"] = ({"choice": decision.get_choice_display(), "text": decision.text,
                                "reasoning": decision.reasoning, "decided_on": decision.decided_at}
                               if decision else None)
        cache.set(key, data, public_cache_seconds())
    return data


def housing_wishes(user, consultation: Consultation) -> list[HousingWish]:
    """The wishes heard in this consultation, per address (logged: they are about a household)."""
    wishes = list(consultation.housing_wishes.select_related("unit", "household", "recorded_by")
                  .order_by("unit__street", "unit__house_number", "-recorded_on", "-pk"))
    if wishes:
        log_access_many(user, consultation.corporation_id, subject="housing-wish", purpose=PURPOSE,
                        rows=[(w.pk, w.household_id) for w in wishes], role=roles_in(user, consultation.corporation_id))
    return wishes
