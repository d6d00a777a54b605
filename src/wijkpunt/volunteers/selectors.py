"""Every read of the volunteer programme, scoped to what the acting user may see (guarantee 5).

* **Staff** — holders of ``volunteers.manage_programme`` in a corporation: that corporation's
  programmes, candidates (with their contact details), volunteers, training, meetings, thanks and
  the "waiting too long" list. Another corporation's anything is 404, like an id that does not exist.
* **A volunteer** — only their own page (``own_volunteer``): their rounds (the partner by first name
  only), their reports and what became of them, their training and certificate, the thanks they got
  and the network contacts staff shared with volunteers. Never candidates, other volunteers' pages
  or contact details, or household data.
* Anybody else: 403 on the staff pages.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from wijkpunt.core.calendar import OfficeCalendar
from wijkpunt.core.models import Organisation
from wijkpunt.core.permissions import orgs_with_perm
from wijkpunt.reports.models import OPEN_STATUSES, Report, ReportEvent
from wijkpunt.reports.selectors import latest_public_events, reports_filed_by

from .models import Candidate, MeetingAction, MonthlyMeeting, Programme, Thanks, Volunteer, Workshop
from .training import Progress, progress_for

MANAGE = "volunteers.manage_programme"
DEFAULT_ANSWER_DAYS = 5


def answer_days() -> int:
    """After how many working days without news a volunteer's report counts as "waiting too long"."""
    return int(getattr(settings, "WIJKPUNT_VOLUNTEER_ANSWER_DAYS", DEFAULT_ANSWER_DAYS))


# --- who may --------------------------------------------------------------------------------------

def staff_org_ids(user) -> frozenset[int]:
    return orgs_with_perm(user, MANAGE)


def require_staff(user) -> frozenset[int]:
    org_ids = staff_org_ids(user)
    if not org_ids:
        raise PermissionDenied
    return org_ids


def own_volunteer(user) -> Volunteer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (Volunteer.objects.filter(user=user)
            .select_related("user", "programme__corporation", "programme__neighbourhood__municipality").first())


def _or_404(obj):
    if obj is None:
        raise Http404
    return obj


def programmes_for(user) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(corporation_id__in=staff_org_ids(user))
        .select_related("corporation", "neighbourhood__municipality", "coordinator")
        .annotate(
            nominated=Count("candidates", distinct=True),
            selected=Count("candidates", filter=Q(candidates__status=Candidate.Status.SELECTED), distinct=True),
            volunteer_count=Count("volunteers", filter=Q(volunteers__ended_on__isnull=True), distinct=True),
        )
        .order_by("-is_active", "neighbourhood__name", "pk")
    )


def programme_for(user, pk: int) -> Programme:
    require_staff(user)
    return _or_404(programmes_for(user).filter(pk=pk).first())


def candidate_for(user, pk: int) -> Candidate:
    require_staff(user)
    return _or_404(Candidate.objects.filter(pk=pk, programme__corporation_id__in=staff_org_ids(user))
                   .select_related("programme__corporation", "programme__neighbourhood", "nominated_by",
                                   "decided_by").first())


def volunteer_for_staff(user, pk: int) -> Volunteer:
    """A volunteer's page for staff. Anyone else (also another volunteer) gets 404, as for an id
    that does not exist: a volunteer only has their own page (``own_volunteer``)."""
    return _or_404(Volunteer.objects.filter(pk=pk, programme__corporation_id__in=staff_org_ids(user))
                   .select_related("user", "programme__corporation", "programme__neighbourhood__municipality",
                                   "candidate").first())


def workshop_for(user, pk: int) -> Workshop:
    require_staff(user)
    return _or_404(Workshop.objects.filter(pk=pk, track__programme__corporation_id__in=staff_org_ids(user))
                   .select_related("track__programme").first())


def meeting_for(user, pk: int) -> MonthlyMeeting:
    require_staff(user)
    return _or_404(MonthlyMeeting.objects.filter(pk=pk, programme__corporation_id__in=staff_org_ids(user))
                   .select_related("programme__corporation", "programme__neighbourhood").first())


def action_for(user, pk: int) -> MeetingAction:
    require_staff(user)
    return _or_404(MeetingAction.objects.filter(pk=pk, meeting__programme__corporation_id__in=staff_org_ids(user))
                   .select_related("meeting").first())


# --- the programme page ---------------------------------------------------------------------------

@dataclass
class Counts:
    nominated: int
    selected: int
    not_selected: int
    withdrawn: int
    open: int
    target: int
    expired: int = 0  # still nominated, but purged after the retention period (retention.py)

    @property
    def to_go(self) -> int:
        return max(0, self.target - self.selected)


def counts_for(programme: Programme) -> Counts:
    by_status = dict(programme.candidates.values_list("status").annotate(n=Count("pk")).order_by())
    expired = programme.candidates.filter(status=Candidate.Status.NOMINATED, purged_at__isnull=False).count()
    return Counts(
        nominated=sum(by_status.values()), selected=by_status.get(Candidate.Status.SELECTED, 0),
        not_selected=by_status.get(Candidate.Status.NOT_SELECTED, 0),
        withdrawn=by_status.get(Candidate.Status.WITHDRAWN, 0),
        open=by_status.get(Candidate.Status.NOMINATED, 0) - expired,
        target=programme.target_size, expired=expired,
    )


def candidates_of(programme: Programme) -> list[Candidate]:
    """Open nominations first, then selected, then the rest; purged candidates last."""
    order = {Candidate.Status.NOMINATED: 0, Candidate.Status.SELECTED: 1}
    rows = list(programme.candidates.select_related("nominated_by", "decided_by", "volunteer"))
    return sorted(rows, key=lambda c: (c.purged_at is not None, order.get(c.status, 2), c.last_name.lower(),
                                       c.first_name.lower(), c.pk))


def volunteers_of(programme: Programme) -> QuerySet[Volunteer]:
    return programme.volunteers.select_related("user").order_by("user__first_name", "user__last_name", "pk")


def meetings_of(programme: Programme) -> QuerySet[MonthlyMeeting]:
    return programme.meetings.annotate(item_count=Count("items", distinct=True),
                                       open_actions=Count("actions", filter=Q(actions__is_done=False),
                                                          distinct=True)).order_by("-month")


# --- reports and what became of them --------------------------------------------------------------

def with_latest_updates(reports: list[Report]) -> list[Report]:
    """Each report with ``latest_update``: the newest public event, as "Mijn meldingen" shows it."""
    latest = latest_public_events([r.pk for r in reports])
    for report in reports:
        report.latest_update = latest.get(report.pk)
    return reports


def volunteer_reports(volunteer: Volunteer, *, for_self: bool, limit: int = 100) -> list[Report]:
    """The volunteer's reports, newest first, with their latest public update and round. Staff see
    only those filed with their corporation; the volunteer sees all of their own."""
    from wijkpunt.rounds.models import RoundReport

    qs = reports_filed_by(volunteer.user)
    if not for_self:
        qs = qs.filter(organisation_id=volunteer.programme.corporation_id)
    reports = with_latest_updates(list(qs[:limit]))
    rounds = dict(RoundReport.objects.filter(report_id__in=[r.pk for r in reports]).values_list("report_id",
                                                                                                "round_id"))
    for report in reports:
        report.round_id = rounds.get(report.pk)
    return reports


@dataclass
class RoundRow:
    round: object
    role: str  # "volunteer" (planned it) or "partner" (walked along)
    partner_first_name: str
    report_count: int


def volunteer_rounds(volunteer: Volunteer, *, limit: int = 50) -> list[RoundRow]:
    """Rounds the volunteer planned or walked along with; the other person by first name only."""
    from wijkpunt.rounds.models import Round

    rounds = list(
        Round.objects.filter(Q(volunteer=volunteer) | Q(partner_id=volunteer.user_id))
        .select_related("volunteer__user", "partner").annotate(report_count=Count("round_reports"))
        .order_by("-planned_for", "-pk")[:limit]
    )
    rows = []
    for r in rounds:
        if r.volunteer_id == volunteer.pk:
            other, role = r.partner, "volunteer"
        else:
            other, role = r.volunteer.user, "partner"
        rows.append(RoundRow(round=r, role=role, partner_first_name=(other.first_name or "") if other else "",
                             report_count=r.report_count))
    return rows


@dataclass
class VolunteerPage:
    volunteer: Volunteer
    for_self: bool
    rounds: list[RoundRow]
    reports: list[Report]
    progress: Progress
    thanks: list[Thanks]
    contacts: list = field(default_factory=list)
    waiting: list[WaitingReport] = field(default_factory=list)
    reports_total: int = 0  # all the volunteer's reports; ``reports`` holds the newest ``report_limit``


def volunteer_page(volunteer: Volunteer, *, for_self: bool, report_limit: int = 100) -> VolunteerPage:
    from wijkpunt.network.selectors import shared_contacts_for_volunteer

    page = VolunteerPage(
        volunteer=volunteer, for_self=for_self, rounds=volunteer_rounds(volunteer),
        reports=volunteer_reports(volunteer, for_self=for_self, limit=report_limit), progress=progress_for(volunteer),
        thanks=list(volunteer.thanks.select_related("sent_by").order_by("-sent_at", "-pk")),
        # the contacts are for volunteers at work: not for staff looking on, nor after the volunteer stopped
        contacts=list(shared_contacts_for_volunteer(volunteer)) if for_self and volunteer.is_active else [],
    )
    page.waiting = waiting_reports([volunteer]).get(volunteer.pk, [])
    page.reports_total = (len(page.reports) if len(page.reports) < report_limit
                          else reports_filed_by(volunteer.user).count())
    return page


# --- waiting too long -----------------------------------------------------------------------------

@dataclass
class WaitingReport:
    report: Report
    since: dt.datetime
    working_days: int


def waiting_reports(volunteers: list[Volunteer], *, today: dt.date | None = None,
                    days: int | None = None) -> dict[int, list[WaitingReport]]:
    """Per volunteer id: their open reports (filed with their programme's corporation) without a
    public update or status change for more than ``days`` working days (the corporation's office
    calendar, as for handling deadlines), longest waiting first."""
    today = today or timezone.localdate()
    days = answer_days() if days is None else days
    by_user = {v.user_id: v for v in volunteers}
    if not by_user:
        return {}
    condition = Q()
    for v in volunteers:
        condition |= Q(reporter_user_id=v.user_id, organisation_id=v.programme.corporation_id)
    reports = (
        Report.objects.filter(condition, status__in=OPEN_STATUSES)
        .annotate(last_news=Max("events__created_at", filter=Q(events__is_public=True)
                                | Q(events__kind=ReportEvent.Kind.STATUS)))
        .select_related("category").order_by("created_at", "pk")
    )
    calendars: dict[int, OfficeCalendar] = {}
    result: dict[int, list[WaitingReport]] = defaultdict(list)
    for report in reports:
        since = max(filter(None, [report.last_news, report.created_at]))
        calendar = calendars.get(report.organisation_id)
        if calendar is None:
            organisation = Organisation.objects.prefetch_related("office_hours", "closed_days").get(
                pk=report.organisation_id)
            calendar = calendars[report.organisation_id] = OfficeCalendar.for_organisation(organisation)
        waited = calendar.working_days_between(timezone.localtime(since).date(), today)
        if waited > days:
            result[by_user[report.reporter_user_id].pk].append(
                WaitingReport(report=report, since=since, working_days=waited))
    for rows in result.values():
        rows.sort(key=lambda w: (-w.working_days, w.report.pk))
    return dict(result)


@dataclass
class VolunteerRow:
    volunteer: Volunteer
    waiting: list[WaitingReport]
    progress_complete: bool = False

    @property
    def waiting_too_long(self) -> bool:
        return bool(self.waiting)

    @property
    def longest_wait(self) -> int | None:
        return self.waiting[0].working_days if self.waiting else None


def volunteer_rows(user, *, programme: Programme | None = None, only_waiting: bool = False) -> list[VolunteerRow]:
    """The staff list of volunteers (of one programme or all the user may manage) with their
    "waiting too long" reports."""
    from .training import progress_for_programme

    qs = Volunteer.objects.filter(programme__corporation_id__in=staff_org_ids(user)).select_related(
        "user", "programme__neighbourhood", "programme__corporation")
    if programme is not None:
        qs = qs.filter(programme=programme)
    volunteers = list(qs.order_by("programme__neighbourhood__name", "user__first_name", "user__last_name", "pk"))
    waiting = waiting_reports(volunteers)
    progress: dict[int, Progress] = {}
    for programme_id in {v.programme_id for v in volunteers}:
        progress.update(progress_for_programme(next(v.programme for v in volunteers if v.programme_id == programme_id)))
    rows = [VolunteerRow(volunteer=v, waiting=waiting.get(v.pk, []),
                         progress_complete=progress[v.pk].complete if v.pk in progress else False)
            for v in volunteers]
    if only_waiting:
        rows = [r for r in rows if r.waiting]
        rows.sort(key=lambda r: (-(r.longest_wait or 0), r.volunteer.pk))
    return rows


def split_stopped(rows: list[VolunteerRow]) -> tuple[list[VolunteerRow], list[VolunteerRow]]:
    """The programme page lists stopped volunteers (end date reached) apart from the active ones."""
    active = [r for r in rows if r.volunteer.is_active]
    stopped = sorted((r for r in rows if not r.volunteer.is_active),
                     key=lambda r: (r.volunteer.ended_on, r.volunteer.pk), reverse=True)
    return active, stopped
