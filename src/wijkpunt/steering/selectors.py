"""Reads of the steering group, scoped to what the acting user may see.

* **Chair** — a person with ``cases.work_on_cases`` in the group's corporation: every group of
  that corporation (also inactive ones), its meetings, the full agenda (case titles, questions,
  decisions) and the writes (``views`` checks :func:`is_chair`).
* **Member** — a person with ``cases.take_part`` in a member organisation of an active group: its
  meetings and agenda; the minutes and decisions once the chair published them. Per agenda item the
  case's title, question and decision only if the case policy lets the person see the case's
  situation (``case_access(...).sees_situation``); otherwise a neutral line with the reference.
* Anybody else: no such group or meeting (404); without either permission at all: 403.

Every agenda item whose case content is shown is written to the access log (purpose "Regiegroep").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from wijkpunt.cases.models import TAKE_PART, WORK_ON_CASES, CaseAction
from wijkpunt.cases.policy import case_access
from wijkpunt.core.access import log_access_many
from wijkpunt.core.permissions import orgs_with_perm

from .models import AgendaItem, Meeting, SteeringGroup

PURPOSE = "Regiegroep"


def chair_org_ids(user) -> frozenset[int]:
    return orgs_with_perm(user, WORK_ON_CASES)


def member_org_ids(user) -> frozenset[int]:
    return orgs_with_perm(user, TAKE_PART)


def require_steering_user(user) -> None:
    """403 for people without any way into a steering group (volunteers, management, ...)."""
    if not chair_org_ids(user) and not member_org_ids(user):
        raise PermissionDenied


def visible_groups(user) -> QuerySet[SteeringGroup]:
    chair, member = chair_org_ids(user), member_org_ids(user)
    if not chair and not member:
        return SteeringGroup.objects.none()
    q = Q(organisation_id__in=chair)
    if member:
        q |= Q(is_active=True, pk__in=SteeringGroup.member_organisations.through.objects.filter(
            organisation_id__in=member).values("steeringgroup_id"))
    return SteeringGroup.objects.filter(q).select_related("organisation")


def can_view_steering(user) -> bool:
    """For the navigation: the user can see at least one group (or can set one up)."""
    if chair_org_ids(user):
        return True
    return bool(member_org_ids(user)) and visible_groups(user).exists()


def is_chair(user, group: SteeringGroup) -> bool:
    return group.organisation_id in chair_org_ids(user)


def group_list(user) -> list[SteeringGroup]:
    return list(
        visible_groups(user)
        .prefetch_related("neighbourhoods", "member_organisations")
        .order_by("-is_active", "name")
    )


def group_for(user, pk: int) -> SteeringGroup:
    require_steering_user(user)
    group = visible_groups(user).filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


def meetings_of(group: SteeringGroup) -> QuerySet[Meeting]:
    return group.meetings.annotate(item_count=Count("items")).order_by("-date", "-pk")


def upcoming_meetings(user, *, limit: int = 10) -> list[Meeting]:
    since = timezone.now() - dt.timedelta(hours=12)
    return list(
        Meeting.objects.filter(group_id__in=visible_groups(user).values("pk"), status=Meeting.Status.PLANNED,
                               date__gte=since)
        .select_related("group").annotate(item_count=Count("items")).order_by("date", "pk")[:limit]
    )


def meeting_for(user, pk: int) -> Meeting:
    require_steering_user(user)
    meeting = (
        Meeting.objects.filter(pk=pk, group_id__in=visible_groups(user).values("pk"))
        .select_related("group__organisation", "created_by", "minutes_published_by").first()
    )
    if meeting is None:
        raise Http404
    return meeting


def item_for(user, pk: int) -> AgendaItem:
    require_steering_user(user)
    item = (
        AgendaItem.objects.filter(pk=pk, meeting__group_id__in=visible_groups(user).values("pk"))
        .select_related("meeting__group", "case").first()
    )
    if item is None:
        raise Http404
    return item


def flagged_waiting(group: SteeringGroup) -> int:
    from .services import flagged_cases

    return flagged_cases(group).count()


@dataclass
class AgendaRow:
    item: AgendaItem
    reference: str
    shows_content: bool
    show_decision: bool
    title: str = ""
    question: str = ""
    decision: str = ""
    actions: list[CaseAction] = field(default_factory=list)
    # filled in by the chair's page
    decision_form: object | None = None
    action_formset: object | None = None


def agenda_for(user, meeting: Meeting, *, chair: bool) -> list[AgendaRow]:
    """The agenda as this user may see it; logs every case whose content is shown."""
    items = list(meeting.items.select_related("case", "decided_by").order_by("order", "pk"))
    show_decisions = chair or meeting.is_published
    actions: dict[int, list[CaseAction]] = defaultdict(list)
    if show_decisions and items:
        for action in CaseAction.objects.filter(agenda_item_id__in=[i.pk for i in items]).select_related(
            "owner_organisation", "owner"
        ).order_by("due_date", "pk"):
            actions[action.agenda_item_id].append(action)
    rows: list[AgendaRow] = []
    logged: dict[tuple[int, str], list[tuple[int, int | None]]] = defaultdict(list)
    for item in items:
        case = item.case
        access = case_access(user, case)
        content = access is not None and access.sees_situation
        row = AgendaRow(item=item, reference=case.reference, shows_content=content, show_decision=show_decisions)
        if content:
            # The title names the household (person category); actions of a care provider or debt
            # help are shown only to whom naming that organisation reveals nothing new (policy.py).
            row.title = case.title if access.sees_person else case.get_case_type_display()
            row.question = item.question
            if show_decisions:
                row.decision = item.decision
                row.actions = [a for a in actions.get(item.pk, []) if access.sees_organisation(a.owner_organisation)]
            logged[(access.organisation_id, access.role)].append((case.pk, case.household_id))
        rows.append(row)
    for (organisation_id, role), entries in logged.items():
        log_access_many(user, organisation_id, subject="case", purpose=PURPOSE, rows=entries, role=role)
    return rows
