"""Every write of the steering group: keyword-only, one transaction each.

Callers (views, demo, tests) check who acts; these functions check what is allowed (the state of
the meeting, the item, the chosen organisations) and raise ``ValidationError`` with field keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkpunt.cases.models import Case, CaseAction, CaseEvent
from wijkpunt.core.models import Membership, Organisation, User
from wijkpunt.housing.models import Neighbourhood

from .models import AgendaItem, Meeting, SteeringGroup


@dataclass(frozen=True)
class ActionInput:
    title: str
    owner_organisation_id: int
    due_date: dt.date | None = None
    owner_id: int | None = None


@dataclass(frozen=True)
class AgendaChange:
    added: int
    removed: int


# --- groups -------------------------------------------------------------------------------------

def _check_group(*, organisation: Organisation, name: str, neighbourhoods: Iterable[Neighbourhood],
                 members: Iterable[Organisation], exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Vul een naam in.")]
    elif SteeringGroup.objects.filter(organisation=organisation, name__iexact=name).exclude(pk=exclude_pk).exists():
        errors["name"] = [_("Er is al een regiegroep met deze naam.")]
    if any(m.pk == organisation.pk for m in members):
        errors["member_organisations"] = [_("De voorzitter hoeft niet ook als deelnemer gekozen te worden.")]
    if errors:
        raise ValidationError(errors)
    return name


@transaction.atomic
def steering_group_create(*, organisation: Organisation, name: str, neighbourhoods: Sequence[Neighbourhood],
                          member_organisations: Sequence[Organisation], is_active: bool = True) -> SteeringGroup:
    name = _check_group(organisation=organisation, name=name, neighbourhoods=neighbourhoods,
                        members=member_organisations)
    group = SteeringGroup.objects.create(organisation=organisation, name=name, is_active=is_active)
    group.neighbourhoods.set(neighbourhoods)
    group.member_organisations.set(member_organisations)
    return group


@transaction.atomic
def steering_group_update(*, group: SteeringGroup, name: str, neighbourhoods: Sequence[Neighbourhood],
                          member_organisations: Sequence[Organisation], is_active: bool) -> SteeringGroup:
    group = SteeringGroup.objects.select_for_update().get(pk=group.pk)
    group.name = _check_group(organisation=group.organisation, name=name, neighbourhoods=neighbourhoods,
                              members=member_organisations, exclude_pk=group.pk)
    group.is_active = is_active
    group.save(update_fields=["name", "is_active"])
    group.neighbourhoods.set(neighbourhoods)
    group.member_organisations.set(member_organisations)
    return group


# --- meetings and the agenda --------------------------------------------------------------------

def flagged_cases(group: SteeringGroup):
    """The chair's open cases flagged for the steering group, in the group's area."""
    return Case.objects.filter(
        organisation_id=group.organisation_id, status=Case.Status.OPEN, steering_flag=True,
        neighbourhood__in=group.neighbourhoods.all(),
    ).order_by("created_at", "pk")


@transaction.atomic
def meeting_create(*, group: SteeringGroup, actor: User, date: dt.datetime, location: str = "") -> Meeting:
    if not group.is_active:
        raise ValidationError({"date": [_("Deze regiegroep is niet meer actief.")]})
    if date is None:
        raise ValidationError({"date": [_("Vul datum en tijd in.")]})
    meeting = Meeting.objects.create(group=group, date=date, location=(location or "").strip()[:200],
                                     created_by=actor)
    meeting_refresh_agenda(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_refresh_agenda(*, meeting: Meeting) -> AgendaChange:
    """Bring a planned agenda up to date: add every flagged case of the area that is not on it yet
    (at the end, with the case's question as it is now); drop undecided items whose case is no
    longer flagged, no longer open or no longer in the area. Decided items always stay."""
    meeting = Meeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)
    if not meeting.is_planned or meeting.is_published:
        raise ValidationError(_("De agenda van een gehouden overleg ligt vast."))
    flagged = list(flagged_cases(meeting.group))
    flagged_ids = {c.pk for c in flagged}
    stale = meeting.items.filter(decided_at__isnull=True).exclude(case_id__in=flagged_ids)
    removed, _detail = stale.delete()
    on_agenda = set(meeting.items.values_list("case_id", flat=True))
    order = meeting.items.aggregate(m=Max("order"))["m"] or 0
    new_items = []
    for case in flagged:
        if case.pk in on_agenda:
            continue
        order += 1
        new_items.append(AgendaItem(meeting=meeting, case=case, order=order, question=case.steering_question))
    AgendaItem.objects.bulk_create(new_items)
    return AgendaChange(added=len(new_items), removed=removed)


@transaction.atomic
def meeting_save_minutes(*, meeting: Meeting, minutes: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_published:
        raise ValidationError({"minutes": [_("Het verslag is al gepubliceerd en kan niet meer worden gewijzigd.")]})
    meeting.minutes = (minutes or "").strip()
    meeting.save(update_fields=["minutes"])
    return meeting


@transaction.atomic
def meeting_publish_minutes(*, meeting: Meeting, actor: User) -> Meeting:
    """Publish the minutes to the member organisations; the meeting is then held."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_published:
        raise ValidationError({"minutes": [_("Het verslag is al gepubliceerd.")]})
    if not meeting.minutes.strip():
        raise ValidationError({"minutes": [_("Schrijf eerst het verslag en sla het op.")]})
    meeting.status = Meeting.Status.HELD
    meeting.minutes_published_at = timezone.now()
    meeting.minutes_published_by = actor
    meeting.save(update_fields=["status", "minutes_published_at", "minutes_published_by"])
    return meeting


# --- decisions ----------------------------------------------------------------------------------

def _check_actions(group: SteeringGroup, actions: Sequence[ActionInput]) -> None:
    allowed = group.organisation_ids()
    for number, action in enumerate(actions, start=1):
        if not action.title.strip():
            raise ValidationError({"actions": [_("Actie %(n)s: vul de actie in.") % {"n": number}]})
        if action.owner_organisation_id not in allowed:
            raise ValidationError({"actions": [
                _("Actie %(n)s: kies een organisatie uit de regiegroep.") % {"n": number}]})
        if action.owner_id is not None and not Membership.objects.filter(
            user_id=action.owner_id, organisation_id=action.owner_organisation_id, user__is_active=True
        ).exists():
            raise ValidationError({"actions": [
                _("Actie %(n)s: deze persoon werkt niet bij de gekozen organisatie.") % {"n": number}]})


def agenda_item_decide(*, item: AgendaItem, actor: User, decision: str,
                       actions: Sequence[ActionInput] = ()) -> AgendaItem:
    """Record the decision on an agenda item, once: the decision, the actions on the case (with
    ``agenda_item_id``), a case event for the participants (without the decision's content), and
    the case's steering flag cleared (staff can flag it again)."""
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError({"decision": [_("Vul het besluit in.")]})
    try:
        with transaction.atomic():
            item = AgendaItem.objects.select_for_update().select_related("meeting__group").get(pk=item.pk)
            meeting = item.meeting
            if item.is_decided:
                raise ValidationError({"decision": [_("Over dit agendapunt is al een besluit vastgelegd.")]})
            if meeting.is_published:
                raise ValidationError({"decision": [_("Het verslag is gepubliceerd: er kan geen besluit meer bij.")]})
            _check_actions(meeting.group, actions)
            case = Case.objects.select_for_update().get(pk=item.case_id)
            now = timezone.now()
            item.decision = decision
            item.decided_by = actor
            item.decided_at = now
            item.save(update_fields=["decision", "decided_by", "decided_at"])
            CaseAction.objects.bulk_create([
                CaseAction(case=case, title=a.title.strip()[:300], owner_organisation_id=a.owner_organisation_id,
                           owner_id=a.owner_id, due_date=a.due_date, created_by=actor, created_at=now,
                           agenda_item_id=item.pk)
                for a in actions
            ])
            day = timezone.localtime(meeting.date).strftime("%d-%m-%Y")
            text = _("Besproken in %(group)s op %(date)s: besluit vastgelegd.") % {
                "group": meeting.group.name, "date": day}
            if actions:
                text = ngettext("%(text)s %(n)s actie toegevoegd.", "%(text)s %(n)s acties toegevoegd.",
                                len(actions)) % {"text": text, "n": len(actions)}
            CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.STEERING, text=text[:500], actor=actor,
                                     organisation_id=meeting.group.organisation_id, for_participants=True, at=now)
            if case.steering_flag:
                case.steering_flag = False
                case.save(update_fields=["steering_flag"])
    except IntegrityError as exc:  # pragma: no cover - a race the row lock should already prevent
        raise ValidationError({"decision": [_("Het besluit kon niet worden opgeslagen. Probeer het opnieuw.")]}) from exc
    return item


# --- retention ----------------------------------------------------------------------------------

def agenda_items_anonymise(*, case_id: int) -> int:
    """When a case is anonymised, its copies on agendas go too (question and decision text).
    (A deleted case takes its agenda items with it: ``on_delete=CASCADE``.)"""
    return AgendaItem.objects.filter(case_id=case_id).update(question="", decision="")
