"""Ending a volunteer ("Stoppen als Bewonerskracht") and starting them again (docs/volunteers.md).

Ending, in one transaction (the volunteer row locked, so a double click ends once):

* sets ``Volunteer.ended_on`` (and the optional reason) and records a ``VolunteerChange``;
* removes the user's membership with the role *bewonerskracht* in the programme's corporation, so
  every volunteer permission (rounds, teams, volunteer reports, the help button, shared contacts)
  is gone at once; the account itself stays, so the person can still log in and read their own page;
* removes them from the Klusteams/Groenteams of the teams app (``TeamMember`` rows);
* cancels the rounds they planned that are still *gepland* from the end date on, and takes them off
  as partner of other people's planned rounds (those rounds are then flagged "zonder loopmaatje").

Nothing is sent automatically. Restarting clears the end date, gives the role back and records the
reason; cancelled rounds and team memberships are not restored (staff re-add them).

Callers check who acts (``selectors.volunteer_for_staff``); these functions check what is allowed
and raise ``ValidationError`` with field keys (``ended_on``, ``reason``) and Dutch messages. Ending
an ended volunteer or restarting an active one raises a plain ``ValidationError`` with the code
``already_ended`` / ``not_ended``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wijkpunt.core.models import Membership, User
from wijkpunt.core.permissions import clear_perm_cache

from . import dates
from .models import Volunteer, VolunteerChange
from .services import VOLUNTEER_ROLE

MAX_REASON = 2000


@dataclass
class EndResult:
    volunteer: Volunteer
    memberships_removed: int = 0
    team_memberships_removed: int = 0
    rounds_cancelled: int = 0
    rounds_unpaired: int = 0


def _clean(value: str | None) -> str:
    return (value or "").strip()


def _check_reason(reason: str, *, required: bool) -> str:
    reason = _clean(reason)
    if required and not reason:
        raise ValidationError({"reason": [_("Geef een reden.")]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [_("Gebruik hoogstens %(n)s tekens.") % {"n": MAX_REASON}]})
    return reason


def _lock(volunteer: Volunteer) -> Volunteer:
    return (Volunteer.objects.select_for_update(of=("self",))
            .select_related("user", "programme__corporation").get(pk=volunteer.pk))


def _clear_caches(*volunteers: Volunteer) -> None:
    """Forget the per-user permission cache (``core.permissions``) on every copy of the user we hold."""
    for volunteer in volunteers:
        clear_perm_cache(volunteer.user)


def _remove_from_teams(volunteer: Volunteer) -> int:
    """Delete the volunteer's Klusteam/Groenteam memberships (the teams app builds on this one, so
    it is imported here, not at module level)."""
    from django.apps import apps

    if not apps.is_installed("wijkpunt.teams"):  # pragma: no cover - the teams app is always installed
        return 0
    from wijkpunt.teams.models import JobRequest, TeamMember

    # nor are they planned on a job that is still to be done (the team plans someone else)
    open_jobs = JobRequest.objects.filter(planned_members=volunteer, status__in=[
        JobRequest.Status.ACCEPTED, JobRequest.Status.PLANNED])
    for job in open_jobs:
        job.planned_members.remove(volunteer)
    _total, per_model = TeamMember.objects.filter(volunteer=volunteer).delete()
    return per_model.get(TeamMember._meta.label, 0)


def _release_rounds(volunteer: Volunteer, ended_on: dt.date) -> tuple[int, int]:
    """Cancel the rounds the volunteer planned that are still planned from the end date on; take
    them off as partner of such rounds of others. Rounds being walked or walked stay as they are."""
    from wijkpunt.rounds.models import Round

    since = timezone.make_aware(dt.datetime.combine(ended_on, dt.time.min))
    planned = Round.objects.filter(status=Round.Status.PLANNED, planned_for__gte=since)
    cancelled = planned.filter(volunteer=volunteer).exclude(round_reports__isnull=False).update(
        status=Round.Status.CANCELLED)
    unpaired = planned.filter(partner_id=volunteer.user_id).exclude(volunteer=volunteer).update(partner=None)
    return cancelled, unpaired


def volunteer_end(*, volunteer: Volunteer, actor: User | None, ended_on: dt.date | None, reason: str = "",
                  today: dt.date | None = None) -> EndResult:
    """Stop a volunteer per ``ended_on`` (not before they started, not in the future)."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if ended_on is None:
        errors["ended_on"] = [_("Vul de datum in waarop de Bewonerskracht stopt.")]
    elif not dates.in_range(ended_on):
        errors["ended_on"] = [dates.range_message()]
    elif ended_on > today:
        errors["ended_on"] = [_("Kies vandaag of een eerdere datum: stoppen gaat meteen in.")]
    try:
        reason = _check_reason(reason, required=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    passed = volunteer
    with transaction.atomic():
        volunteer = _lock(volunteer)
        if volunteer.ended_on is not None:
            raise ValidationError(
                _("%(name)s is al gestopt als Bewonerskracht (per %(date)s).")
                % {"name": volunteer, "date": date_format(volunteer.ended_on, "j F Y")}, code="already_ended")
        if ended_on < volunteer.started_on:
            raise ValidationError({"ended_on": [
                _("Kies een datum vanaf de start als Bewonerskracht (%(date)s).")
                % {"date": date_format(volunteer.started_on, "j F Y")}]})
        volunteer.ended_on, volunteer.end_reason = ended_on, reason
        volunteer.save(update_fields=["ended_on", "end_reason"])
        VolunteerChange.objects.create(volunteer=volunteer, kind=VolunteerChange.Kind.ENDED, on=ended_on,
                                       reason=reason, by=actor)
        result = EndResult(volunteer=volunteer)
        _total, per_model = Membership.objects.filter(
            user_id=volunteer.user_id, organisation_id=volunteer.programme.corporation_id,
            role__name=VOLUNTEER_ROLE).delete()
        result.memberships_removed = per_model.get(Membership._meta.label, 0)
        result.team_memberships_removed = _remove_from_teams(volunteer)
        result.rounds_cancelled, result.rounds_unpaired = _release_rounds(volunteer, ended_on)
    _clear_caches(passed, volunteer)
    return result


def volunteer_restart(*, volunteer: Volunteer, actor: User | None, reason: str) -> Volunteer:
    """Start a stopped volunteer again: no end date, the role *bewonerskracht* back (a reason is required)."""
    reason = _check_reason(reason, required=True)
    passed = volunteer
    with transaction.atomic():
        volunteer = _lock(volunteer)
        if volunteer.ended_on is None:
            raise ValidationError(_("%(name)s is nog actief als Bewonerskracht.") % {"name": volunteer},
                                  code="not_ended")
        programme = volunteer.programme
        if not programme.is_active:
            raise ValidationError({"reason": [_("Het programma %(name)s is niet meer actief; zet het eerst weer "
                                                "op actief.") % {"name": programme.name}]})
        if not programme.corporation.is_active:
            raise ValidationError({"reason": [_("De corporatie van dit programma is niet meer actief.")]})
        volunteer.ended_on, volunteer.end_reason = None, ""
        volunteer.save(update_fields=["ended_on", "end_reason"])
        VolunteerChange.objects.create(volunteer=volunteer, kind=VolunteerChange.Kind.RESTARTED,
                                       on=timezone.localdate(), reason=reason, by=actor)
        Membership.objects.get_or_create(user_id=volunteer.user_id, organisation_id=programme.corporation_id,
                                         role=Group.objects.get(name=VOLUNTEER_ROLE))
    _clear_caches(passed, volunteer)
    return volunteer


def changes_of(volunteer: Volunteer) -> list[VolunteerChange]:
    return list(volunteer.changes.select_related("by").order_by("-at", "-pk"))


def is_ended(volunteer: Volunteer) -> bool:
    """Ended (also when the end date set in the admin still lies ahead): the end form is not offered."""
    return volunteer.ended_on is not None

