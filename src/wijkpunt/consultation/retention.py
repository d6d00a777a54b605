"""Retention of door-to-door answers (AVG art. 5(1)(e)), see docs/consultation.md "Bewaren".

* **Visits and answers** of a street are anonymised ``CONSULTATION_RETENTION_DAYS`` (default 365)
  days after that street's decision. Per visited address one visit remains, carrying the address's
  state (answered, not home, refused, moved) and for "answered" its choice/scale answers; it is a
  **new row** (new id, rows created in random order, dated at the decision, attempt 1) without
  address, household, visitor, remarks, idempotency key or free-text answers. Every original visit
  of the street is deleted. New ids matter: the access log keeps (visit id, household) pairs for
  years, and ids or times in walking order would map the rows back onto the walking list. The
  figures (``results.py``: states, response, counts) and the decision's snapshot stay the same; the
  per-address history is gone, and the street takes no new visits (``visits.visit_record``).
* **Streets without a decision** are not kept indefinitely: ``CONSULTATION_RETENTION_DAYS`` after the
  consultation ended — closed, or its period (``ends_on``) over, whichever came first — they are
  anonymised in exactly the same way, the anonymous rows dated at that end. A decision recorded later
  is based on the same figures.
* **Housing wishes** are kept for matching independently of the consultation: deleted when the
  household (when known) no longer rents the unit, or ``CONSULTATION_HOUSING_WISH_DAYS`` (default 1095) days after
  they were recorded. A newer wish does not delete an older one (the list shows the latest first).

Runs nightly at 03:45 (``tasks.py``) and from ``manage.py consultation_purge [--dry-run]``.
Idempotent: running again finds nothing new. One transaction per street.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from wijkpunt.housing.models import Tenancy

from . import results as R
from .models import Answer, Consultation, HousingWish, Question, StreetDecision, Visit

DEFAULT_RETENTION_DAYS = 365
_random = random.SystemRandom()
DEFAULT_WISH_DAYS = 1095


def retention_days() -> int:
    return int(getattr(settings, "CONSULTATION_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def wish_days() -> int:
    return int(getattr(settings, "CONSULTATION_HOUSING_WISH_DAYS", DEFAULT_WISH_DAYS))


@dataclass
class PurgeResult:
    streets: int = 0  # every street anonymised (decided and undecided)
    undecided_streets: int = 0  # of which without a decision (the consultation ended long enough ago)
    visits_anonymised: int = 0
    visits_deleted: int = 0
    wishes_deleted: int = 0

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def _cutoff(today: dt.date) -> tuple[dt.date, dt.datetime]:
    day = today - dt.timedelta(days=retention_days())
    return day, timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def due_decisions(today: dt.date | None = None):
    """Street decisions whose retention period has passed and whose street still has visits with an address."""
    _day, cutoff = _cutoff(today or timezone.localdate())
    linked = Visit.objects.filter(consultation_id=OuterRef("consultation_id"), street=OuterRef("street"),
                                  anonymised_at__isnull=True)
    return (StreetDecision.objects.filter(decided_at__lte=cutoff).filter(Exists(linked))
            .select_related("consultation").order_by("decided_at", "pk"))


def ended_at(consultation: Consultation) -> dt.datetime:
    """When the consultation ended: closed, or the end of its period, whichever came first."""
    period_end = timezone.make_aware(dt.datetime.combine(consultation.ends_on, dt.time(23, 59, 59)))
    if consultation.closed_at is not None and consultation.closed_at < period_end:
        return consultation.closed_at
    return period_end


@dataclass(frozen=True)
class DueStreet:
    consultation: Consultation
    street: str
    dated_at: dt.datetime  # the date the anonymous rows get: the decision, or the consultation's end
    decided: bool


def due_undecided(today: dt.date | None = None) -> list[DueStreet]:
    """Streets without a decision, with visits still linked to an address, of consultations that
    ended (closed or period over) longer than the retention period ago."""
    day, cutoff = _cutoff(today or timezone.localdate())
    decided = StreetDecision.objects.filter(consultation_id=OuterRef("consultation_id"), street=OuterRef("street"))
    pairs = (Visit.objects.filter(anonymised_at__isnull=True)
             .filter(Q(consultation__ends_on__lte=day) | Q(consultation__closed_at__lte=cutoff))
             .filter(~Exists(decided)).order_by("consultation_id", "street")
             .values_list("consultation_id", "street").distinct())
    pairs = list(pairs)
    consultations = Consultation.objects.in_bulk({pk for pk, _street in pairs})
    return [DueStreet(consultation=consultations[pk], street=street, dated_at=ended_at(consultations[pk]),
                      decided=False) for pk, street in pairs]


def due_streets(today: dt.date | None = None) -> list[DueStreet]:
    """Every street to anonymise now: decided ones first (by decision date), then undecided ones."""
    decided = [DueStreet(consultation=d.consultation, street=d.street, dated_at=d.decided_at, decided=True)
               for d in due_decisions(today)]
    return decided + due_undecided(today)


def _anonymise_street(due: DueStreet, now: dt.datetime) -> tuple[int, int] | None:
    """Replace the street's visits by anonymous rows; ``None`` if there is (no longer) anything to do."""
    # The consultation's lock serialises with visit_record and street_decide (services._lock): no
    # visit can slip in between reading and deleting, and no decision can appear unseen.
    Consultation.objects.select_for_update().filter(pk=due.consultation.pk).first()
    if not due.decided and StreetDecision.objects.filter(consultation_id=due.consultation.pk,
                                                         street=due.street).exists():
        return None  # decided meanwhile: retention now runs from that decision
    visits = list(Visit.objects.select_for_update().filter(consultation_id=due.consultation.pk, street=due.street,
                                                           anonymised_at__isnull=True)
                  .order_by("visited_at", "pk").values_list("pk", "address_id", "outcome"))
    if not visits:
        return None
    by_address: dict[int | None, list[tuple[int, str]]] = {}
    for pk, address_id, outcome in visits:
        by_address.setdefault(address_id, []).append((pk, outcome))
    kept: list[tuple[int, str]] = []  # (visit whose answers count, the address's state)
    for address_id, mine in by_address.items():
        if address_id is None:
            continue
        state = R.address_state([o for _pk, o in mine])
        if state.counted is not None:
            kept.append((mine[state.counted][0], state.state))
        else:
            kept.append((next(pk for pk, o in reversed(mine) if o == state.state), state.state))
    answers: dict[int, list[tuple[int, int | None, int | None]]] = {}
    for visit_id, question_id, option_id, number in (
            Answer.objects.filter(visit_id__in=[pk for pk, _s in kept]).exclude(question__kind=Question.Kind.TEXT)
            .order_by("question_id", "option_id").values_list("visit_id", "question_id", "option_id", "number")):
        answers.setdefault(visit_id, []).append((question_id, option_id, number))
    pks = [pk for pk, _a, _o in visits]
    HousingWish.objects.filter(source_visit_id__in=pks).update(source_visit=None)
    Visit.objects.filter(pk__in=pks).delete()  # answers cascade
    _random.shuffle(kept)
    rows = []
    for old_pk, state in kept:
        visit = Visit.objects.create(consultation_id=due.consultation.pk, street=due.street,
                                     visited_at=due.dated_at, attempt=1, outcome=state, anonymised_at=now)
        rows.extend(Answer(visit=visit, question_id=q, option_id=o, number=n) for q, o, n in answers.get(old_pk, ()))
    Answer.objects.bulk_create(rows, batch_size=500)
    return len(kept), len(visits) - len(kept)


def purge(today: dt.date | None = None, *, dry_run: bool = False) -> PurgeResult:
    today = today or timezone.localdate()
    result = PurgeResult()
    now = timezone.now()
    for due in due_streets(today):
        if dry_run:
            done = (0, 0)
        else:
            with transaction.atomic():
                done = _anonymise_street(due, now)
            if done is None:
                continue
        result.streets += 1
        result.undecided_streets += not due.decided
        result.visits_anonymised += done[0]
        result.visits_deleted += done[1]
    wishes = HousingWish.objects.filter(
        Q(recorded_on__lt=today - dt.timedelta(days=wish_days()))
        | (Q(household__isnull=False)
           & ~Exists(Tenancy.objects.filter(unit_id=OuterRef("unit_id"), household_id=OuterRef("household_id"))
                     .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)))))
    if dry_run:
        result.wishes_deleted = wishes.count()
    else:
        result.wishes_deleted, _detail = wishes.delete()
    return result
