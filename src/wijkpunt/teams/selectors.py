"""Reads of the teams app, scoped to what the acting user may see.

* **Staff** — ``teams.manage_jobs`` in a corporation: every team and job of that corporation, with the
  requester's full contact details (every view of them is written to the access log).
* **Team member** — a volunteer (``teams.work_in_team``, active Bewonerskracht profile) sees the teams
  they are a member of and those teams' jobs: the address (from the register: street and number, no
  household) and what needs doing. The requester's first name and phone only while the job is planned,
  the volunteer is one of the planned members and the requester consented (logged); not before, not
  after done/declined. After the retention purge (``retention.py``) nobody sees them.
* Anybody else: no such team or job (404); without either permission at all: 403.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from wijkpunt.core.access import log_access
from wijkpunt.core.permissions import orgs_with_perm
from wijkpunt.volunteers.models import Volunteer

from .models import MANAGE_JOBS, WORK_IN_TEAM, JobRequest, Team, TeamMember
from .services import active_volunteers, allowed_actions

PURPOSE = "Klus: contactgegevens aanvrager"
# planned members see the requester's phone until this many days after the planned date; a job left
# "gepland" long after its day no longer shows it (staff re-plan, complete or withdraw it)
MEMBER_CONTACT_DAYS_AFTER_PLANNED = 7
MAX_ID = 2**62  # beyond this the database cannot bind the value (SQLite: 64-bit)


def manage_org_ids(user) -> frozenset[int]:
    return orgs_with_perm(user, MANAGE_JOBS)


def volunteer_of(user) -> Volunteer | None:
    """The user's own active volunteer profile, if they may work in a team of its corporation."""
    work = orgs_with_perm(user, WORK_IN_TEAM)
    if not work:
        return None
    volunteer = Volunteer.objects.filter(user=user).select_related("programme").first()
    if volunteer is None or volunteer.programme.corporation_id not in work:
        return None
    if not active_volunteers(volunteer.programme.corporation_id).filter(pk=volunteer.pk).exists():
        return None
    return volunteer


def require_teams_user(user) -> None:
    if not manage_org_ids(user) and not orgs_with_perm(user, WORK_IN_TEAM):
        raise PermissionDenied


def my_team_ids(user) -> set[int]:
    volunteer = volunteer_of(user)
    if volunteer is None:
        return set()
    return set(TeamMember.objects.filter(volunteer=volunteer, team__corporation_id=volunteer.programme.corporation_id)
               .values_list("team_id", flat=True))


def visible_teams(user) -> QuerySet[Team]:
    q = Q(corporation_id__in=manage_org_ids(user)) | Q(pk__in=my_team_ids(user))
    return Team.objects.filter(q).select_related("corporation", "programme__neighbourhood")


def visible_jobs(user) -> QuerySet[JobRequest]:
    q = Q(corporation_id__in=manage_org_ids(user)) | Q(team_id__in=my_team_ids(user))
    return JobRequest.objects.filter(q).select_related("team", "unit", "corporation")


def team_for(user, pk: int) -> Team:
    require_teams_user(user)
    team = visible_teams(user).filter(pk=pk).first() if 0 < pk < MAX_ID else None
    if team is None:
        raise Http404
    return team


def job_for(user, pk: int) -> JobRequest:
    require_teams_user(user)
    job = visible_jobs(user).filter(pk=pk).first() if 0 < pk < MAX_ID else None
    if job is None:
        raise Http404
    return job


# --- one job as the user may see it -------------------------------------------------------------

@dataclass
class JobView:
    job: JobRequest
    is_staff: bool
    actions: list[str]
    requester_name: str | None = None  # staff: as typed; planned member: first name only
    requester_phone: str | None = None
    requester_email: str | None = None
    contact_consent: bool | None = None
    planned_names: list[str] = field(default_factory=list)
    is_planned_member: bool = False
    contact_purged_at: datetime | None = None  # the retention purge emptied the contact details
    contact_expired: bool = False  # planned member, but the planned date is long past


def job_view(user, job: JobRequest, *, log: bool = True) -> JobView:
    """What ``user`` may see of ``job``; writes the read of the requester's contact details to the log."""
    is_staff = job.corporation_id in manage_org_ids(user)
    planned = list(job.planned_members.select_related("user"))
    view = JobView(job=job, is_staff=is_staff, actions=allowed_actions(user, job),
                   planned_names=[v.user.get_full_name() or v.user.get_username() for v in planned])
    volunteer = None if is_staff else volunteer_of(user)
    view.is_planned_member = volunteer is not None and any(v.pk == volunteer.pk for v in planned)
    view.contact_purged_at = job.contact_purged_at
    has_contact = job.contact_purged_at is None and bool(job.requester_phone or job.requester_name)
    if is_staff and has_contact:
        view.requester_name, view.requester_phone = job.requester_name, job.requester_phone
        view.requester_email, view.contact_consent = job.requester_email, job.contact_consent
    elif (view.is_planned_member and job.status == JobRequest.Status.PLANNED and job.contact_consent
          and has_contact):
        if member_contact_expired(job.planned_for):
            view.contact_expired = True
        else:
            # the tenant agreed that the members who do the job may call: first name and phone only
            view.requester_name, view.requester_phone = job.requester_first_name, job.requester_phone
    if log and view.requester_phone is not None:
        log_access(user, job.corporation_id, subject="job_request", subject_id=job.pk, purpose=PURPOSE,
                   role="medewerker" if is_staff else "ingepland teamlid")
    return view


def past_their_date(jobs, today: date | None = None):
    """Jobs still planned for a day that has gone by (the staff overview flags them)."""
    return jobs.filter(status=JobRequest.Status.PLANNED, planned_for__lt=today or timezone.localdate())


def member_contact_expired(planned_for: date | None, today: date | None = None) -> bool:
    """True when the planned date lies more than ``MEMBER_CONTACT_DAYS_AFTER_PLANNED`` days back."""
    if planned_for is None:
        return False
    today = today or timezone.localdate()
    return planned_for < today - timedelta(days=MEMBER_CONTACT_DAYS_AFTER_PLANNED)


def job_events(job: JobRequest):
    return job.events.select_related("actor").order_by("at", "pk")


# --- counts -------------------------------------------------------------------------------------

def yearly_counts(team_ids) -> dict[int, list[tuple[int, int]]]:
    """Jobs done per team per year (by the date done), newest year first."""
    rows = (
        JobRequest.objects.filter(team_id__in=list(team_ids), status=JobRequest.Status.DONE, done_on__isnull=False)
        .annotate(year=ExtractYear("done_on")).values("team_id", "year").annotate(n=Count("pk"))
        .order_by("team_id", "-year")
    )
    result: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        result[row["team_id"]].append((row["year"], row["n"]))
    return dict(result)


def kind_year_counts(corporation_ids) -> list[dict]:
    """Jobs done per year and kind across the corporations (the staff overview), newest year first."""
    rows = (
        JobRequest.objects.filter(corporation_id__in=list(corporation_ids), status=JobRequest.Status.DONE,
                                  done_on__isnull=False)
        .annotate(year=ExtractYear("done_on")).values("year", "kind").annotate(n=Count("pk")).order_by("-year")
    )
    years: dict[int, dict] = {}
    for row in rows:
        entry = years.setdefault(row["year"], {"year": row["year"], "klusteam": 0, "groenteam": 0, "total": 0})
        entry[row["kind"]] = row["n"]
        entry["total"] += row["n"]
    return sorted(years.values(), key=lambda e: -e["year"])


def team_rows(user) -> list[Team]:
    """Visible teams with member counts and yearly counts (``team.yearly``), active first."""
    teams = list(visible_teams(user).prefetch_related("neighbourhoods").annotate(member_count=Count("members"))
                 .order_by("-is_active", "kind", "name"))
    counts = yearly_counts([t.pk for t in teams])
    for team in teams:
        team.yearly = counts.get(team.pk, [])
    return teams


def team_members(team: Team) -> list[TeamMember]:
    return list(team.members.select_related("volunteer__user").order_by("-is_coordinator", "volunteer__user__first_name"))


def area_names(team: Team) -> list[str]:
    names = [n.name for n in team.neighbourhoods.all()]
    if team.programme_id and team.programme.neighbourhood.name not in names:
        names.insert(0, team.programme.neighbourhood.name)
    return names
