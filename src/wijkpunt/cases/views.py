"""Staff pages for cases, under /werk/casussen/ in the "cases" namespace.

Needs ``cases.work_on_cases`` (403 without it in any organisation); another organisation's case is
a 404. Writes go through ``services``; a rejected note or close re-renders the page with the error."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import CloseForm, NoteForm


def _require_work(request) -> None:
    if not selectors.work_orgs(request.user):
        raise PermissionDenied


@login_required
def case_list(request):
    _require_work(request)
    status = request.GET.get("status", "open")
    if status not in selectors.STATUS_FILTERS:
        status = "open"
    mine = request.GET.get("mijn") == "1"
    cases = selectors.case_list(request.user, status=status, mine=mine)
    return render(request, "cases/list.html", {
        "cases": cases, "status": status, "mine": mine,
        "show_org": len({c.organisation_id for c in cases}) > 1,
    })


def _detail(request, case, *, note_form=None, close_form=None, status=200):
    return render(request, "cases/detail.html", {
        "case": case, "notes": list(case.notes.all()),
        "note_form": note_form or NoteForm(), "close_form": close_form or CloseForm(),
    }, status=status)


@login_required
def case_detail(request, pk: int):
    _require_work(request)
    case = selectors.case_detail(request.user, pk, purpose="Casus")
    return _detail(request, case)


@login_required
@require_POST
def add_note(request, pk: int):
    _require_work(request)
    case = selectors.case_detail(request.user, pk, purpose="Casus: notitie")
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(case, request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", exc.message_dict.get("text", exc.messages))
        else:
            messages.success(request, _("Notitie toegevoegd."))
            return redirect("cases:detail", pk=case.pk)
    return _detail(request, case, note_form=form, status=400)


@login_required
@require_POST
def close_case(request, pk: int):
    _require_work(request)
    case = selectors.case_detail(request.user, pk, purpose="Casus: afsluiten")
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_case(case, request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", exc.message_dict.get("text", exc.messages))
        else:
            messages.success(request, _("Casus afgesloten."))
            return redirect("cases:detail", pk=case.pk)
    return _detail(request, case, close_form=form, status=400)
