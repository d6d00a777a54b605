"""Reads of cases. A case is visible to people with ``cases.work_on_cases`` in its organisation;
another organisation's case does not exist for you (404). The case page shows the reasons, which
may mention arrears: every view is written to the access log (subject "case")."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Prefetch, QuerySet, Value, When
from django.http import Http404

from wijkpunt.core.access import log_access
from wijkpunt.core.permissions import orgs_with_perm

from .models import OPEN_CASE, WORK_ON_CASES, Case, CaseNote

STATUS_FILTERS = ("open", "closed", "all")


def work_orgs(user) -> frozenset[int]:
    return orgs_with_perm(user, WORK_ON_CASES)


def open_orgs(user) -> frozenset[int]:
    return orgs_with_perm(user, OPEN_CASE)


def cases_visible(user) -> QuerySet[Case]:
    return Case.objects.filter(organisation_id__in=work_orgs(user)).select_related(
        "organisation", "household", "assigned_to", "opened_by"
    )


def case_list(user, *, status: str = "open", mine: bool = False, limit: int = 200) -> list[Case]:
    """Cases of the user's organisations: the user's own first, then the newest."""
    qs = cases_visible(user)
    if status == "open":
        qs = qs.filter(status=Case.Status.OPEN)
    elif status == "closed":
        qs = qs.filter(status=Case.Status.CLOSED)
    if mine:
        qs = qs.filter(assigned_to=user)
    qs = qs.annotate(
        is_mine=SqlCase(When(assigned_to_id=user.pk, then=Value(0)), default=Value(1), output_field=IntegerField())
    )
    return list(qs.order_by("is_mine", "-created_at", "-pk")[:limit])


def case_detail(user, pk: int, *, purpose: str) -> Case:
    """One case with its notes; 404 outside the user's organisations; the view is logged."""
    case = (
        cases_visible(user)
        .prefetch_related(Prefetch("notes", queryset=CaseNote.objects.select_related("author")))
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    log_access(user, case.organisation_id, subject="case", subject_id=case.pk, household_id=case.household_id,
               purpose=purpose)
    return case


def open_cases_for(org_ids: Iterable[int], household_ids: Iterable[int]) -> dict[tuple[int, int], Case]:
    """The open case per ``(organisation_id, household_id)`` (one query)."""
    household_ids = list(household_ids)
    if not household_ids:
        return {}
    cases = Case.objects.filter(
        organisation_id__in=list(org_ids), household_id__in=household_ids, status=Case.Status.OPEN
    ).select_related("assigned_to")
    return {(c.organisation_id, c.household_id): c for c in cases}
