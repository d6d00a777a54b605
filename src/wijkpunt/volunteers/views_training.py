"""Training pages (staff): the track of a programme with its workshops, the attendance grid, and
editing or adding a workshop. The certificate itself is served by ``views``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wijkpunt.core.forms import apply_service_errors

from . import selectors, training
from .forms import WorkshopForm
from .models import still_active


def _training_page(request, programme, *, add_form=None, errors=None, status=200):
    track = training.track_ensure(programme)
    progress = training.progress_for_programme(programme)
    volunteers = list(selectors.volunteers_of(programme).filter(still_active()))
    stopped = selectors.volunteers_of(programme).exclude(still_active()).count()
    workshops = list(track.workshops.order_by("number"))
    rows = [{"volunteer": v, "progress": progress[v.pk],
             "cells": [(w, w.pk in progress[v.pk].attended_ids) for w in workshops]} for v in volunteers]
    return render(request, "volunteers/training.html", {
        "programme": programme, "track": track, "workshops": workshops, "rows": rows,
        "add_form": add_form or WorkshopForm(prefix="nieuw"), "errors": errors or [],
        "can_add": len(workshops) < training.MAX_WORKSHOPS, "stopped": stopped,
    }, status=status)


@login_required
def training_page(request, pk: int):
    programme = selectors.programme_for(request.user, pk)
    return _training_page(request, programme)


def _pairs(values: list[str]) -> set[tuple[int, int]] | None:
    pairs = set()
    for value in values:
        left, sep, right = value.partition("-")
        if not sep or not left.isdigit() or not right.isdigit() or len(left) > 12 or len(right) > 12:
            return None
        pairs.add((int(left), int(right)))
    return pairs


@login_required
@require_POST
def attendance_save(request, pk: int):
    programme = selectors.programme_for(request.user, pk)
    track = training.track_ensure(programme)
    pairs = _pairs(request.POST.getlist("aanwezig"))
    if pairs is None:
        return _training_page(request, programme, errors=[_("De aanwezigheid kon niet worden gelezen.")], status=400)
    try:
        added, removed = training.attendance_save(track=track, actor=request.user, present=pairs)
    except ValidationError as exc:
        return _training_page(request, programme, errors=exc.messages, status=400)
    messages.success(request, _("Aanwezigheid opgeslagen (%(added)s erbij, %(removed)s eraf).")
                     % {"added": added, "removed": removed})
    return redirect("volunteers:training", pk=programme.pk)


@login_required
@require_POST
def workshop_add(request, pk: int):
    programme = selectors.programme_for(request.user, pk)
    track = training.track_ensure(programme)
    form = WorkshopForm(request.POST, prefix="nieuw")
    if form.is_valid():
        try:
            training.workshop_add(track=track, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc, "title")
        else:
            messages.success(request, _("Workshop toegevoegd."))
            return redirect("volunteers:training", pk=programme.pk)
    return _training_page(request, programme, add_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def workshop_edit(request, pk: int):
    workshop = selectors.workshop_for(request.user, pk)
    programme = workshop.track.programme
    form = WorkshopForm(request.POST or None, initial={"title": workshop.title, "starts_at": workshop.starts_at,
                                                       "location": workshop.location})
    if request.method == "POST":
        if form.is_valid():
            try:
                training.workshop_update(workshop=workshop, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc, "title")
            else:
                messages.success(request, _("Workshop opgeslagen."))
                return redirect("volunteers:training", pk=programme.pk)
        return render(request, "volunteers/workshop_form.html", {"form": form, "workshop": workshop,
                                                                 "programme": programme}, status=400)
    return render(request, "volunteers/workshop_form.html", {"form": form, "workshop": workshop,
                                                             "programme": programme})
