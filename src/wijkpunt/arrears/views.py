"""Staff pages: the arrears list (from the nightly run) and one episode with its legal steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from wijkpunt.core.permissions import has_org_perm, orgs_with_perm

from . import forms, rules, selectors, services
from .models import ArrearsEpisode, Outcome, SignalStatus

# action slug -> (form class, service, success message)
ACTIONS = {
    "contact": (forms.ContactAttemptForm, services.record_contact_attempt, _("Contactpoging vastgelegd.")),
    "schuldhulp": (forms.ReferralForm, services.record_debt_help_referral,
                   _("Vastgelegd dat de huurder op schuldhulp is gewezen.")),
    "herinnering": (forms.LetterForm, services.send_reminder_letter,
                    _("Betalingsherinnering gemaakt; de PDF staat bij de stappen.")),
    "bezwaar": (forms.ObjectionForm, services.record_objection, _("Bezwaar vastgelegd: er gaat geen signaal uit.")),
    "signaal": (forms.SignalForm, services.create_signal,
                _("Vroegsignaal vastgelegd; het staat klaar voor export naar de gemeente.")),
    "regeling": (forms.ArrangementForm, services.create_arrangement, _("Betalingsregeling vastgelegd.")),
    "veertiendagenbrief": (forms.LetterForm, services.send_fourteen_day_letter,
                           _("Veertiendagenbrief gemaakt; de PDF staat bij de stappen.")),
    "deurwaarder": (forms.BailiffForm, services.hand_over_to_bailiff, _("Overdracht aan de deurwaarder vastgelegd.")),
    "uitkomst": (forms.OutcomeForm, services.record_outcome, _("Uitkomst vastgelegd.")),
    "notitie": (forms.NoteForm, services.add_note, _("Notitie toegevoegd.")),
}


def _require_financial(request):
    if not selectors.financial_orgs(request.user):
        raise PermissionDenied


@login_required
def episode_list(request):
    _require_financial(request)
    status = request.GET.get("status", "open")
    phase = request.GET.get("fase", "")
    query = request.GET.get("q", "").strip()[:100]
    min_months = request.GET.get("maanden", "")[:6]
    episodes = selectors.episode_list(
        request.user, status=status, phase=phase, query=query, min_months=min_months,
        purpose="Achterstandenlijst",
    )
    return render(request, "arrears/list.html", {
        "episodes": episodes, "status": status, "phase": phase, "query": query, "min_months": min_months,
        "runs": selectors.last_runs(request.user),
        "can_import": bool(orgs_with_perm(request.user, "arrears.import_ledger")),
    })


def _can_handle(user, episode: ArrearsEpisode) -> bool:
    return has_org_perm(user, selectors.HANDLE, episode.corporation_id)


def _detail_context(request, episode: ArrearsEpisode, bound: dict | None = None, refused=None) -> dict:
    today = timezone.localdate()
    step_forms = {slug: form_class(auto_id=f"{slug}-%s") for slug, (form_class, _s, _m) in ACTIONS.items()}
    if episode.amount_cents > 0:
        step_forms["regeling"].initial.update({"total": episode.amount})
    step_forms.update(bound or {})
    checklist = rules.signal_checklist(episode, today)
    return {
        "episode": episode, "tenancy": episode.tenancy, "household": episode.tenancy.household,
        "unit": episode.tenancy.unit, "steps": list(episode.steps.all()),
        "signals": list(episode.signals.all()), "arrangements": list(episode.arrangements.all()),
        "ledger": selectors.ledger_for(episode), "checklist": checklist,
        "signal_ready": all(check.ok for check in checklist),
        "bailiff_blockers": rules.bailiff_blockers(episode, today),
        "agreement": rules.agreement_for(episode, today), "forms": step_forms,
        "can_handle": _can_handle(request.user, episode), "refused": refused,
        "outcomes": Outcome, "signal_statuses": SignalStatus,
    }


@login_required
def episode_detail(request, pk: int):
    episode = selectors.episode_detail(request.user, pk, purpose="Achterstandsdossier")
    return render(request, "arrears/episode.html", _detail_context(request, episode))


@login_required
@require_POST
def episode_step(request, pk: int, action: str):
    episode = selectors.episode_detail(request.user, pk, purpose=f"Achterstandsdossier: {action}")
    if action not in ACTIONS:
        raise PermissionDenied
    if not _can_handle(request.user, episode):
        raise PermissionDenied
    form_class, service, success = ACTIONS[action]
    form = form_class(request.POST, auto_id=f"{action}-%s")  # ids unique on the page
    refused = None
    if form.is_valid():
        try:
            service(episode, request.user, **form.cleaned_data)
        except services.StepRefused as exc:
            refused = exc.blockers
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, success)
            return redirect("arrears:episode", pk=episode.pk)
    # Nothing was saved (services are atomic): the episode read above still stands.
    context = _detail_context(request, episode, bound={action: form}, refused=refused)
    context["open_action"] = action
    return render(request, "arrears/episode.html", context, status=400 if not refused else 409)


@login_required
def evidence(request, pk: int):
    step = selectors.step_for_evidence(request.user, pk, purpose="Bewijsstuk gedownload")
    response = FileResponse(step.evidence.open("rb"), content_type="application/pdf", as_attachment=True,
                            filename=step.evidence.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "no-store"
    return response
