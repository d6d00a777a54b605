"""The monthly meeting pages (staff): plan a meeting, the agenda with what became of each report,
attendance, notes and actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wijkpunt.core.forms import apply_service_errors

from . import meetings, selectors
from .forms import ActionForm, AttendanceForm, MeetingForm, NotesForm


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, pk: int):
    programme = selectors.programme_for(request.user, pk)
    form = MeetingForm(request.POST or None, initial={"month": meetings.month_start(timezone.localdate())})
    if request.method == "POST":
        if form.is_valid():
            try:
                meeting = meetings.meeting_create(programme=programme, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc, "month")
            else:
                messages.success(request, _("Overleg gepland; de agenda is gevuld met %(n)s melding(en).")
                                 % {"n": meeting.items.count()})
                return redirect("volunteers:meeting", pk=meeting.pk)
        return render(request, "volunteers/meeting_form.html", {"form": form, "programme": programme}, status=400)
    return render(request, "volunteers/meeting_form.html", {"form": form, "programme": programme})


def _meeting_page(request, meeting, *, attendance_form=None, notes_form=None, action_form=None, errors=None,
                  status=200):
    programme = meeting.programme
    items = list(meeting.items.select_related("report__category", "volunteer__user").order_by(
        "report__created_at", "pk"))
    reports = selectors.with_latest_updates([i.report for i in items])
    rows = list(zip(items, reports, strict=True))
    owners = meetings.action_owners(programme)
    return render(request, "volunteers/meeting.html", {
        "meeting": meeting, "programme": programme, "rows": rows,
        "attendance_form": attendance_form or AttendanceForm(
            meeting=meeting, initial={"attendees": list(meeting.attendees.values_list("pk", flat=True))}),
        "notes_form": notes_form or NotesForm(initial={"notes": meeting.notes, "held": meeting.is_held}),
        "action_form": action_form or ActionForm(owners=owners),
        "actions": list(meeting.actions.select_related("owner").order_by("is_done", "due_date", "pk")),
        "errors": errors or [],
    }, status=status)


@login_required
def meeting_detail(request, pk: int):
    return _meeting_page(request, selectors.meeting_for(request.user, pk))


@login_required
@require_POST
def meeting_refresh(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    try:
        change = meetings.meeting_refresh_agenda(meeting=meeting)
    except ValidationError as exc:
        return _meeting_page(request, meeting, errors=exc.messages, status=400)
    messages.success(request, _("Agenda bijgewerkt: %(added)s toegevoegd, %(removed)s verwijderd.")
                     % {"added": change.added, "removed": change.removed})
    return redirect("volunteers:meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_attendance(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    form = AttendanceForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            meetings.meeting_save_attendance(meeting=meeting, volunteer_ids=[v.pk for v in form.cleaned_data["attendees"]])
        except ValidationError as exc:
            apply_service_errors(form, exc, "attendees")
        else:
            messages.success(request, _("Aanwezigheid opgeslagen."))
            return redirect("volunteers:meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, attendance_form=form, status=400)


@login_required
@require_POST
def meeting_notes(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            meeting = meetings.meeting_save_notes(meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc, "notes")
        else:
            messages.success(request, _("Verslag opgeslagen."))
            return redirect("volunteers:meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, notes_form=form, status=400)


@login_required
@require_POST
def action_add(request, pk: int):
    meeting = selectors.meeting_for(request.user, pk)
    form = ActionForm(request.POST, owners=meetings.action_owners(meeting.programme))
    if form.is_valid():
        try:
            meetings.action_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc, "text")
        else:
            messages.success(request, _("Actie toegevoegd."))
            return redirect("volunteers:meeting", pk=meeting.pk)
    return _meeting_page(request, meeting, action_form=form, status=400)


@login_required
@require_POST
def action_done(request, pk: int):
    action = selectors.action_for(request.user, pk)
    meetings.action_set_done(action=action, done=request.POST.get("done") == "1")
    return redirect(f"{reverse('volunteers:meeting', kwargs={'pk': action.meeting_id})}#acties")
