"""The monthly meeting per programme (neighbourhood): its agenda is every report the programme's
volunteers filed with the corporation in that month, with what became of it (read live from the
report); plus attendance, notes and actions. One transaction per write; ``ValidationError`` with
field keys for bad input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkpunt.core.calendar import AMSTERDAM
from wijkpunt.core.models import Membership, User
from wijkpunt.reports.models import Report

from . import dates
from .models import MeetingAction, MeetingItem, MonthlyMeeting, Programme, Volunteer, still_active


@dataclass(frozen=True)
class AgendaChange:
    added: int
    removed: int


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a calendar month in Amsterdam time."""
    start = dt.datetime.combine(month_start(month), dt.time(0, 0), tzinfo=AMSTERDAM)
    following = (month_start(month) + dt.timedelta(days=32)).replace(day=1)
    return start, dt.datetime.combine(following, dt.time(0, 0), tzinfo=AMSTERDAM)


def agenda_reports(programme: Programme, month: dt.date) -> QuerySet[Report]:
    """The month's reports of the programme's volunteers, filed with the programme's corporation."""
    start, end = month_bounds(month)
    users = Volunteer.objects.filter(programme=programme).values("user_id")
    return Report.objects.filter(reporter_user_id__in=users, organisation_id=programme.corporation_id,
                                 created_at__gte=start, created_at__lt=end).order_by("created_at", "pk")


@transaction.atomic
def meeting_create(*, programme: Programme, actor: User | None, month: dt.date | None,
                   starts_at: dt.datetime | None, location: str = "") -> MonthlyMeeting:
    errors: dict[str, list[str]] = {}
    location = (location or "").strip()
    if month is None:
        errors["month"] = [_("Kies de maand.")]
    elif not dates.in_range(month):
        errors["month"] = [dates.range_message()]
    elif MonthlyMeeting.objects.filter(programme=programme, month=month_start(month)).exists():
        errors["month"] = [_("Voor deze maand is al een overleg.")]
    if starts_at is None:
        errors["starts_at"] = [_("Vul datum en tijd in.")]
    elif not dates.in_range(starts_at):
        errors["starts_at"] = [dates.range_message()]
    if len(location) > 200:
        errors["location"] = [_("Gebruik hoogstens 200 tekens.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            meeting = MonthlyMeeting.objects.create(programme=programme, month=month_start(month), starts_at=starts_at,
                                                    location=location, created_by=actor)
    except IntegrityError as exc:  # the same month created twice at once
        raise ValidationError({"month": [_("Voor deze maand is al een overleg.")]}) from exc
    meeting_refresh_agenda(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_refresh_agenda(*, meeting: MonthlyMeeting) -> AgendaChange:
    """Bring the agenda up to date with the month's reports (adds new ones, drops reports that no
    longer belong: e.g. moved to another corporation). A held meeting's agenda is fixed."""
    meeting = MonthlyMeeting.objects.select_for_update().select_related("programme").get(pk=meeting.pk)
    if meeting.is_held:
        raise ValidationError(_("De agenda van een gehouden overleg ligt vast."))
    volunteers = {v.user_id: v.pk for v in Volunteer.objects.filter(programme=meeting.programme)}
    wanted = {r.pk: volunteers[r.reporter_user_id]
              for r in agenda_reports(meeting.programme, meeting.month).only("pk", "reporter_user_id")}
    removed, _detail = meeting.items.exclude(report_id__in=list(wanted)).delete()
    present = set(meeting.items.values_list("report_id", flat=True))
    new = [MeetingItem(meeting=meeting, report_id=report_id, volunteer_id=volunteer_id)
           for report_id, volunteer_id in wanted.items() if report_id not in present]
    MeetingItem.objects.bulk_create(new)
    meeting.agenda_refreshed_at = timezone.now()
    meeting.save(update_fields=["agenda_refreshed_at"])
    return AgendaChange(added=len(new), removed=removed)


@transaction.atomic
def meeting_update(*, meeting: MonthlyMeeting, starts_at: dt.datetime | None, location: str) -> MonthlyMeeting:
    meeting = MonthlyMeeting.objects.select_for_update().get(pk=meeting.pk)
    location = (location or "").strip()
    if starts_at is None:
        raise ValidationError({"starts_at": [_("Vul datum en tijd in.")]})
    if not dates.in_range(starts_at):
        raise ValidationError({"starts_at": [dates.range_message()]})
    if len(location) > 200:
        raise ValidationError({"location": [_("Gebruik hoogstens 200 tekens.")]})
    meeting.starts_at, meeting.location = starts_at, location
    meeting.save(update_fields=["starts_at", "location"])
    return meeting


def attendance_choices(meeting: MonthlyMeeting) -> QuerySet[Volunteer]:
    """Who can be ticked present: the programme's active volunteers, and whoever was already recorded
    (a volunteer who stopped after the meeting stays on its list)."""
    return (Volunteer.objects.filter(programme_id=meeting.programme_id)
            .filter(still_active() | Q(pk__in=meeting.attendees.values("pk"))))


@transaction.atomic
def meeting_save_attendance(*, meeting: MonthlyMeeting, volunteer_ids: list[int]) -> int:
    meeting = MonthlyMeeting.objects.select_for_update().get(pk=meeting.pk)  # two saves at once
    allowed = set(attendance_choices(meeting).values_list("pk", flat=True))
    chosen = set(volunteer_ids)
    if not chosen <= allowed:
        raise ValidationError({"attendees": [_("Kies Bewonerskrachten van dit programma.")]})
    meeting.attendees.set(sorted(chosen))
    return len(chosen)


@transaction.atomic
def meeting_save_notes(*, meeting: MonthlyMeeting, notes: str, held: bool) -> MonthlyMeeting:
    """The notes; ``held`` marks the meeting as held (its agenda is then fixed). Held stays held."""
    meeting = MonthlyMeeting.objects.select_for_update().get(pk=meeting.pk)
    notes = (notes or "").strip()
    if len(notes) > 20000:
        raise ValidationError({"notes": [_("Gebruik hoogstens 20000 tekens.")]})
    if held and not notes:
        raise ValidationError({"notes": [_("Schrijf een kort verslag voordat u het overleg op gehouden zet.")]})
    meeting.notes = notes
    if held:
        meeting.status = MonthlyMeeting.Status.HELD
    meeting.save(update_fields=["notes", "status"])
    return meeting


def action_owners(programme: Programme) -> QuerySet[User]:
    """Who can own an action: the programme's volunteers and the corporation's people (not volunteers)."""
    staff = Membership.objects.filter(organisation_id=programme.corporation_id, user__is_active=True).exclude(
        role__name="bewonerskracht").values("user_id")
    volunteers = Volunteer.objects.filter(programme=programme).values("user_id")
    return (User.objects.filter(is_active=True, pk__in=staff) | User.objects.filter(is_active=True, pk__in=volunteers)
            ).distinct().order_by("first_name", "last_name", "username")


@transaction.atomic
def action_add(*, meeting: MonthlyMeeting, actor: User | None, text: str, owner: User | None,
               due_date: dt.date | None) -> MeetingAction:
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("Vul de actie in.")]
    elif len(text) > 300:
        errors["text"] = [_("Gebruik hoogstens 300 tekens.")]
    if not dates.in_range(due_date):
        errors["due_date"] = [dates.range_message()]
    if owner is not None and not action_owners(meeting.programme).filter(pk=owner.pk).exists():
        errors["owner"] = [_("Kies een Bewonerskracht van dit programma of een medewerker van de corporatie.")]
    if errors:
        raise ValidationError(errors)
    return MeetingAction.objects.create(meeting=meeting, text=text, owner=owner, due_date=due_date, created_by=actor)


@transaction.atomic
def action_set_done(*, action: MeetingAction, done: bool) -> MeetingAction:
    action = MeetingAction.objects.select_for_update().get(pk=action.pk)
    if action.is_done != done:
        action.is_done = done
        action.done_at = timezone.now() if done else None
        action.save(update_fields=["is_done", "done_at"])
    return action
