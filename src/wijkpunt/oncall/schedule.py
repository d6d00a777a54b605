"""Who is on call when: a roster's rotation, overrides and absences turned into a timeline.

Handovers happen at the local (Europe/Amsterdam) wall-clock time, so a weekly shift that spans a
daylight-saving change lasts 167 or 169 hours. ``RosterSchedule`` loads everything it needs in
three queries and then answers any number of questions without touching the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wijkpunt.core.calendar import AMSTERDAM

from .models import Absence, Roster


@dataclass(frozen=True)
class Segment:
    start: dt.datetime
    end: dt.datetime
    user: object | None  # a User, or None for a gap
    source: str  # "rotatie", "wissel", "afwezig", "leeg"
    reason: str = ""

    @property
    def is_gap(self) -> bool:
        return self.user is None


def handover_at(roster: Roster, index: int) -> dt.datetime:
    """The start of shift ``index`` (0 = the first handover on ``starts_on``), in UTC.

    The wall-clock time is placed in Europe/Amsterdam and then converted: Python compares and
    subtracts two datetimes that share a tzinfo by their wall clock, which is wrong across a
    daylight-saving change, so everything here is compared in UTC."""
    day = roster.starts_on + dt.timedelta(days=index * roster.rotation_days)
    return dt.datetime.combine(day, roster.handover_time, tzinfo=AMSTERDAM).astimezone(dt.UTC)


def shift_index_at(roster: Roster, moment: dt.datetime) -> int:
    moment = moment.astimezone(dt.UTC)
    local = moment.astimezone(AMSTERDAM)
    index = (local.date() - roster.starts_on).days // roster.rotation_days
    # the wall-clock comparison is done on aware datetimes, so DST is handled by zoneinfo
    while handover_at(roster, index) > moment:
        index -= 1
    while handover_at(roster, index + 1) <= moment:
        index += 1
    return index


class RosterSchedule:
    def __init__(self, roster: Roster, start: dt.datetime, end: dt.datetime):
        start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
        self.roster, self.start, self.end = roster, start, end
        self.members = [m.user for m in roster.members.select_related("user").order_by("position")]
        self.overrides = list(
            roster.overrides.filter(starts_at__lt=end, ends_at__gt=start).select_related("user").order_by("created_at")
        )
        member_ids = [u.pk for u in self.members] + [o.user_id for o in self.overrides if o.user_id]
        self.absences = list(Absence.objects.filter(user_id__in=member_ids, starts_at__lt=end, ends_at__gt=start))

    # -- point queries -------------------------------------------------------------------------
    def _absent(self, user, moment: dt.datetime) -> Absence | None:
        for absence in self.absences:
            if absence.user_id == user.pk and absence.starts_at <= moment < absence.ends_at:
                return absence
        return None

    def _rotation_user(self, index: int):
        if not self.members:
            return None
        return self.members[index % len(self.members)]

    def segment_at(self, moment: dt.datetime) -> Segment:
        """Who is on call at ``moment``; the segment's bounds are filled in by ``timeline``."""
        moment = moment.astimezone(dt.UTC)
        override = None
        for candidate in self.overrides:  # the latest override wins
            if candidate.starts_at <= moment < candidate.ends_at:
                override = candidate
        if override is not None:
            user = override.user
            if user is not None and not user.is_active:
                return Segment(moment, moment, None, "leeg")
            if user is not None and (absence := self._absent(user, moment)):
                return Segment(moment, moment, None, "afwezig", absence.reason)
            return Segment(moment, moment, user, "wissel", override.reason)
        if moment < handover_at(self.roster, 0):
            return Segment(moment, moment, None, "leeg")
        user = self._rotation_user(shift_index_at(self.roster, moment))
        if user is None or not user.is_active:
            return Segment(moment, moment, None, "leeg")
        if absence := self._absent(user, moment):
            return Segment(moment, moment, None, "afwezig", absence.reason)
        return Segment(moment, moment, user, "rotatie")

    def on_call_at(self, moment: dt.datetime):
        return self.segment_at(moment).user

    def backup_at(self, moment: dt.datetime):
        """The next member in the rotation after whoever is on call, skipping absent people."""
        moment = moment.astimezone(dt.UTC)
        if not self.members or moment < handover_at(self.roster, 0):
            return None
        primary = self.on_call_at(moment)
        index = shift_index_at(self.roster, moment)
        for offset in range(1, len(self.members) + 1):
            user = self._rotation_user(index + offset)
            if user != primary and not self._absent(user, moment) and user.is_active:
                return user
        return None

    # -- timeline -------------------------------------------------------------------------------
    def boundaries(self, start: dt.datetime | None = None, end: dt.datetime | None = None) -> list[dt.datetime]:
        """Every moment in [start, end) (default: the loaded window) where who is on call may change."""
        start = self.start if start is None else max(start.astimezone(dt.UTC), self.start)
        end = self.end if end is None else min(end.astimezone(dt.UTC), self.end)
        points = {start, end}
        if self.members:
            index = shift_index_at(self.roster, start) + 1
            while (moment := handover_at(self.roster, index)) < end:
                points.add(moment)
                index += 1
            first = handover_at(self.roster, 0)
            if start < first < end:
                points.add(first)
        for row in (*self.overrides, *self.absences):
            for moment in (row.starts_at, row.ends_at):
                if start < moment < end:
                    points.add(moment)
        return sorted(points)

    def timeline(self, start: dt.datetime | None = None, end: dt.datetime | None = None) -> list[Segment]:
        """Segments of [start, end) (default: the loaded window), adjacent equal ones merged."""
        points = self.boundaries(start, end)
        segments: list[Segment] = []
        for seg_start, seg_end in zip(points, points[1:], strict=False):
            seg = self.segment_at(seg_start)
            if segments and segments[-1].user == seg.user and segments[-1].source == seg.source:
                prev = segments[-1]
                segments[-1] = Segment(prev.start, seg_end, prev.user, prev.source, prev.reason)
            else:
                segments.append(Segment(seg_start, seg_end, seg.user, seg.source, seg.reason))
        return segments

    def gaps(self) -> list[Segment]:
        return [s for s in self.timeline() if s.is_gap]


def roster_for(organisation_id: int, neighbourhood_id: int | None) -> Roster | None:
    """The roster for an area: one that names the neighbourhood, else the general one."""
    rosters = Roster.objects.filter(organisation_id=organisation_id, is_active=True)
    if neighbourhood_id is not None:
        area = rosters.filter(neighbourhoods=neighbourhood_id).order_by("pk").first()
        if area is not None:
            return area
    return rosters.filter(neighbourhoods__isnull=True).order_by("pk").first()


# Gaps are reported whole (up to this far either side of the window), so that a gap already
# running, or running on past the window, keeps one identity from day to day (one warning mail).
GAP_MARGIN = dt.timedelta(days=31)


def gaps_ahead(schedule: RosterSchedule, now: dt.datetime, until: dt.datetime) -> list[Segment]:
    """The gaps of a schedule loaded with GAP_MARGIN that overlap [now, until), with real bounds."""
    return [gap for gap in schedule.gaps() if gap.end > now and gap.start < until]


@dataclass(frozen=True)
class RosterPicture:
    now: Segment | None  # who is on call at the moment (bounds clipped to the view)
    next: Segment | None  # the next segment with a different person (or a gap)
    backup: object | None
    timeline: list[Segment]  # [moment, moment + horizon)
    gaps: list[Segment]  # overlapping the roster's warning days, whole


def roster_picture(roster: Roster, moment: dt.datetime,
                   horizon: dt.timedelta = dt.timedelta(days=14)) -> RosterPicture:
    """Now, next, backup, timeline and gap warnings from one load of the roster (three queries):
    the duty dashboard polls this for every roster."""
    warn_until = moment + dt.timedelta(days=roster.warning_days)
    schedule = RosterSchedule(roster, moment - GAP_MARGIN, max(moment + horizon, warn_until) + GAP_MARGIN)
    timeline = schedule.timeline(moment, moment + horizon)
    now = timeline[0] if timeline else None
    nxt = next((s for s in timeline[1:] if s.user != (now.user if now else None)), None)
    return RosterPicture(now, nxt, schedule.backup_at(moment), timeline, gaps_ahead(schedule, moment, warn_until))
