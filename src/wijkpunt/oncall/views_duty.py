"""The duty dashboard: open urgent reports with their age, running and unanswered chains, who
is on call now and next, and roster gaps ahead. The live part is refreshed by htmx polling."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Escalation


def poll_seconds() -> int:
    return getattr(settings, "ONCALL_DASHBOARD_POLL_SECONDS", 15)


def _require_duty(request):
    if not selectors.duty_orgs(request.user):
        raise PermissionDenied


@login_required
def dashboard(request):
    _require_duty(request)
    context = selectors.duty_overview(request.user)
    context["poll_seconds"] = poll_seconds()
    return render(request, "oncall/dashboard.html", context)


@login_required
def dashboard_live(request):
    _require_duty(request)
    context = selectors.duty_overview(request.user)
    context["poll_seconds"] = poll_seconds()
    response = render(request, "oncall/_dashboard_live.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _visible_escalation(request, pk: int) -> Escalation:
    escalation = Escalation.objects.filter(pk=pk, organisation_id__in=selectors.duty_orgs(request.user)).select_related(
        "report", "help_request").first()
    if escalation is None:
        raise Http404
    return escalation


@login_required
@require_POST
def acknowledge(request, pk: int):
    escalation = _visible_escalation(request, pk)
    try:
        won = services.escalation_acknowledge(escalation=escalation, user=request.user)
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    if won:
        messages.success(request, _("Bevestigd: u pakt %(subject)s op.") % {"subject": escalation.subject_label})
    else:
        escalation.refresh_from_db()
        messages.info(request, _("%(name)s was u voor.") % {"name": escalation.acknowledged_by or _("Een collega")})
    if escalation.report_id and won:
        return redirect("staff:report", pk=escalation.report_id)
    return redirect("oncall:dashboard")


@login_required
@require_POST
def decide(request, pk: int):
    escalation = _visible_escalation(request, pk)
    try:
        services.escalation_decide(escalation=escalation, user=request.user, decision=request.POST.get("besluit", ""),
                                   note=request.POST.get("notitie", "")[:1000])
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Opgeslagen."))
    return redirect("oncall:dashboard")
