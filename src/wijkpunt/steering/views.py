"""Steering group pages, under /werk/regiegroep/ in the "steering" namespace.

Who may do what lives in ``selectors`` (403 without ``cases.work_on_cases`` or ``cases.take_part``
anywhere; 404 for a group or meeting the user cannot see). Writes are for the chair only (403 for a
member) and go through ``services``; rejected input re-renders the page with the errors (400).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wijkpunt.core.forms import apply_service_errors

from . import selectors, services
from .forms import ActionFormSet, DecisionForm, MeetingForm, MinutesForm, SteeringGroupForm
from .models import SteeringGroup


def _require_chair(user, group: SteeringGroup) -> None:
    if not selectors.is_chair(user, group):
        raise PermissionDenied


@login_required
def home(request):
    selectors.require_steering_user(request.user)
    chair_ids = selectors.chair_org_ids(request.user)
    groups = selectors.group_list(request.user)
    for group in groups:
        group.can_manage = group.organisation_id in chair_ids
    return render(request, "steering/home.html", {
        "groups": groups, "meetings": selectors.upcoming_meetings(request.user), "can_create": bool(chair_ids),
    })


def _group_form_page(request, form, group=None, status=200):
    return render(request, "steering/group_form.html", {"form": form, "group": group}, status=status)


def _save_group(request, form, group=None):
    data = form.cleaned_data
    try:
        if group is None:
            group = services.steering_group_create(
                organisation=data["organisation"], name=data["name"], neighbourhoods=list(data["neighbourhoods"]),
                member_organisations=list(data["member_organisations"]), is_active=data["is_active"])
        else:
            group = services.steering_group_update(
                group=group, name=data["name"], neighbourhoods=list(data["neighbourhoods"]),
                member_organisations=list(data["member_organisations"]), is_active=data["is_active"])
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    return group


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request):
    chair_ids = selectors.chair_org_ids(request.user)
    if not chair_ids:
        raise PermissionDenied
    form = SteeringGroupForm(request.POST or None, chair_ids=chair_ids, initial={"is_active": True})
    if request.method == "POST":
        if form.is_valid() and (group := _save_group(request, form)) is not None:
            messages.success(request, _("Regiegroep aangemaakt."))
            return redirect("steering:group", pk=group.pk)
        return _group_form_page(request, form, status=400)
    return _group_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk: int):
    group = selectors.group_for(request.user, pk)
    _require_chair(request.user, group)
    form = SteeringGroupForm(request.POST or None, instance=group, chair_ids=selectors.chair_org_ids(request.user))
    if request.method == "POST":
        if form.is_valid() and _save_group(request, form, group) is not None:
            messages.success(request, _("Regiegroep opgeslagen."))
            return redirect("steering:group", pk=group.pk)
        group.refresh_from_db()
        return _group_form_page(request, form, group, status=400)
    return _group_form_page(request, form, group)


@login_required
def group_detail(request, pk: int):
    group = selectors.group_for(request.user, pk)
    chair = selectors.is_chair(request.user, group)
    return render(request, "steering/group.html", {
        "group": group, "chair": chair, "meetings": list(selectors.meetings_of(group)),
        "neighbourhoods": list(group.neighbourhoods.select_related("municipality").order_by("name")),
        "members": list(group.member_organisations.order_by("name")),
        "waiting": selectors.flagged_waiting(group) if chair else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, pk: int):
    group = selectors.group_for(request.user, pk)
    _require_chair(request.user, group)
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                meeting = services.meeting_create(group=group, actor=request.user, date=form.cleaned_data["date"],
                                                  location=form.cleaned_data["location"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Overleg gepland; de agenda is gevuld met %(n)s casus(sen).")
                                 % {"n": meeting.items.count()})
                return redirect("steering:meeting", pk=meeting.pk)
        return render(request, "steering/meeting_form.html", {"form": form, "group": group}, status=400)
    return render(request, "steering/meeting_form.html", {"form": form, "group": group})


def _meeting_page(request, meeting, *, minutes_form=None, bound_item_id=None, decision_form=None,
                  action_formset=None, publish_errors=None, status=200):
    chair = selectors.is_chair(request.user, meeting.group)
    rows = selectors.agenda_for(request.user, meeting, chair=chair)
    if chair and not meeting.is_published:
        for row in rows:
            if row.item.is_decided:
                continue
            if row.item.pk == bound_item_id:
                row.decision_form, row.action_formset = decision_form, action_formset
            else:
                row.decision_form = DecisionForm(prefix=f"besluit-{row.item.pk}")
                row.action_formset = ActionFormSet(prefix=f"acties-{row.item.pk}", group=meeting.group)
    return render(request, "steering/meeting.html", {
        "meeting": meeting, "group": meeting.group, "chair": chair, "rows": rows,
        "show_minutes": chair or meeting.is_published,
        "minutes_form": minutes_form or (MinutesForm(initial={"minutes": meeting.minutes}) if chair else None),
        "publish_errors": publish_errors or [],
    }, status=status)


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    return _meeting_page(request, meeting)


def _chair_meeting(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    _require_chair(request.user, meeting.group)
    return meeting


@login_required
@require_POST
def meeting_refresh(request, pk: int):
    meeting = _chair_meeting(request, pk)
    try:
        change = services.meeting_refresh_agenda(meeting=meeting)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _meeting_page(request, meeting, status=400)
    messages.success(request, _("Agenda bijgewerkt: %(added)s toegevoegd, %(removed)s verwijderd.")
                     % {"added": change.added, "removed": change.removed})
    return redirect("steering:meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_minutes(request, pk: int):
    meeting = _chair_meeting(request, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.meeting_save_minutes(meeting=meeting, minutes=form.cleaned_data["minutes"])
        except ValidationError as exc:
            apply_service_errors(form, exc, "minutes")
        else:
            messages.success(request, _("Verslag opgeslagen."))
            return redirect("steering:meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, minutes_form=form, status=400)


@login_required
@require_POST
def meeting_publish(request, pk: int):
    meeting = _chair_meeting(request, pk)
    try:
        services.meeting_publish_minutes(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _meeting_page(request, meeting, publish_errors=exc.messages, status=400)
    messages.success(request, _("Verslag gepubliceerd voor de deelnemende organisaties."))
    return redirect("steering:meeting", pk=meeting.pk)


@login_required
@require_POST
def item_decide(request, pk: int):
    item = selectors.item_for(request.user, pk)
    meeting = item.meeting
    _require_chair(request.user, meeting.group)
    decision_form = DecisionForm(request.POST, prefix=f"besluit-{item.pk}")
    formset = ActionFormSet(request.POST, prefix=f"acties-{item.pk}", group=meeting.group)
    if decision_form.is_valid() and formset.is_valid():
        actions = [
            services.ActionInput(title=a["title"], owner_organisation_id=a["owner_organisation"].pk,
                                 owner_id=a["owner"].pk if a.get("owner") else None, due_date=a["due_date"])
            for a in formset.filled()
        ]
        try:
            services.agenda_item_decide(item=item, actor=request.user, decision=decision_form.cleaned_data["decision"],
                                        actions=actions)
        except ValidationError as exc:
            apply_service_errors(decision_form, exc, "decision")
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Besluit vastgelegd bij %(ref)s.") % {"ref": item.case.reference})
            return redirect(f"{reverse('steering:meeting', kwargs={'pk': meeting.pk})}#punt-{item.pk}")
    meeting = selectors.meeting_for(request.user, meeting.pk)
    return _meeting_page(request, meeting, bound_item_id=item.pk, decision_form=decision_form,
                         action_formset=formset, status=400)
