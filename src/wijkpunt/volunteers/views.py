"""Pages of the volunteer programme under /werk/bewonerskrachten/ ("volunteers" namespace).

Staff pages need ``volunteers.manage_programme`` (403 without it anywhere; 404 for another
corporation's programme, candidate or volunteer). ``me`` is the volunteer's own page. Writes go
through ``services``; rejected input re-renders the form with field errors (400).
(Training pages: ``views_training``; the monthly meeting: ``views_meetings``.)
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wijkpunt.core.forms import apply_service_errors
from wijkpunt.core.permissions import orgs_with_perm

from . import selectors, services
from .ending import changes_of, is_ended, volunteer_end, volunteer_restart
from .forms import CandidateForm, DecisionForm, EndForm, ProgrammeForm, RestartForm, ThanksForm
from .models import Candidate, Volunteer
from .training import CertificateNotAvailable, certificate_pdf

PAGE_REPORTS = 10  # the newest reports on a volunteer's page; "Mijn meldingen" has them all



# --- programmes -----------------------------------------------------------------------------------

@login_required
def home(request):
    if not selectors.staff_org_ids(request.user):
        # a volunteer, also one who stopped (the role is gone, the profile stays)
        if orgs_with_perm(request.user, "reports.file_volunteer_report") or selectors.own_volunteer(request.user):
            return redirect("volunteers:me")
        raise PermissionDenied
    programmes = list(selectors.programmes_for(request.user))
    waiting = selectors.volunteer_rows(request.user, only_waiting=True)
    return render(request, "volunteers/home.html", {
        "programmes": programmes, "waiting_count": len(waiting), "answer_days": selectors.answer_days(),
    })


def _programme_form_page(request, form, programme=None, status=200):
    return render(request, "volunteers/programme_form.html", {"form": form, "programme": programme}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request):
    org_ids = selectors.require_staff(request.user)
    form = ProgrammeForm(request.POST or None, org_ids=org_ids, initial={"target_size": 6})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                programme = services.programme_create(
                    corporation=data["corporation"], neighbourhood=data["neighbourhood"], name=data["name"],
                    target_size=data["target_size"], coordinator=data["coordinator"], started_on=data["started_on"],
                    actor=request.user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Programma aangemaakt, met een trainingstraject van zes workshops."))
                return redirect("volunteers:programme", pk=programme.pk)
        return _programme_form_page(request, form, status=400)
    return _programme_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, pk: int):
    programme = selectors.programme_for(request.user, pk)
    initial = {"name": programme.name, "target_size": programme.target_size, "coordinator": programme.coordinator_id,
               "started_on": programme.started_on, "is_active": programme.is_active}
    form = ProgrammeForm(request.POST or None, org_ids=selectors.staff_org_ids(request.user), programme=programme,
                         initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.programme_update(programme=programme, name=data["name"], target_size=data["target_size"],
                                          coordinator=data["coordinator"], started_on=data["started_on"],
                                          is_active=data["is_active"])
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Programma opgeslagen."))
                return redirect("volunteers:programme", pk=programme.pk)
        return _programme_form_page(request, form, programme, status=400)
    return _programme_form_page(request, form, programme)


@login_required
def programme_detail(request, pk: int):
    programme = selectors.programme_for(request.user, pk)
    rows, stopped = selectors.split_stopped(selectors.volunteer_rows(request.user, programme=programme))
    return render(request, "volunteers/programme.html", {
        "programme": programme, "counts": selectors.counts_for(programme),
        "candidates": selectors.candidates_of(programme), "rows": rows, "stopped": stopped,
        "meetings": list(selectors.meetings_of(programme)), "answer_days": selectors.answer_days(),
    })


# --- candidates -----------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def candidate_nominate(request, pk: int):
    programme = selectors.programme_for(request.user, pk)
    form = CandidateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                candidate = services.candidate_nominate(programme=programme, actor=request.user, **data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("%(name)s is voorgedragen.") % {"name": candidate})
                if "nog_een" in request.POST:
                    return redirect("volunteers:nominate", pk=programme.pk)
                return redirect("volunteers:programme", pk=programme.pk)
        return render(request, "volunteers/candidate_form.html", {"form": form, "programme": programme}, status=400)
    return render(request, "volunteers/candidate_form.html", {"form": form, "programme": programme})


@login_required
@require_http_methods(["GET", "POST"])
def candidate_detail(request, pk: int):
    candidate = selectors.candidate_for(request.user, pk)
    decidable = candidate.status != Candidate.Status.SELECTED and not candidate.is_purged
    form = DecisionForm(request.POST or None, initial={"email": candidate.email}) if decidable else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Over de gegevens van deze kandidaat kan niet meer worden besloten.")
                           if candidate.is_purged else _("Deze kandidaat is al geselecteerd en is Bewonerskracht."))
            return render(request, "volunteers/candidate.html", {"candidate": candidate, "form": None}, status=400)
        if form.is_valid():
            data = form.cleaned_data
            try:
                candidate = services.candidate_decide(candidate=candidate, actor=request.user, status=data["status"],
                                                      reason=data["reason"], email=data["email"])
            except ValidationError as exc:
                apply_service_errors(form, exc, "status")
            else:
                if candidate.status == Candidate.Status.SELECTED:
                    messages.success(request, _("%(name)s is geselecteerd en is nu Bewonerskracht. Er is een "
                                                "welkomstmail gestuurd naar %(email)s.")
                                     % {"name": candidate, "email": candidate.email})
                else:
                    messages.success(request, _("Besluit over %(name)s vastgelegd.") % {"name": candidate})
                return redirect("volunteers:programme", pk=candidate.programme_id)
        candidate.refresh_from_db()
        return render(request, "volunteers/candidate.html", {"candidate": candidate, "form": form}, status=400)
    return render(request, "volunteers/candidate.html", {"candidate": candidate, "form": form})


# --- volunteers -----------------------------------------------------------------------------------

def _volunteer_page(request, volunteer: Volunteer, *, for_self: bool, thanks_form=None, end_form=None,
                    restart_form=None, status=200):
    page = selectors.volunteer_page(volunteer, for_self=for_self, report_limit=PAGE_REPORTS)
    context = {"page": page, "volunteer": volunteer, "for_self": for_self, "answer_days": selectors.answer_days(),
               "thanks_form": None, "end_form": None, "restart_form": None, "changes": []}
    if not for_self:
        context["thanks_form"] = thanks_form or ThanksForm()
        context["changes"] = changes_of(volunteer)
        if is_ended(volunteer):
            context["restart_form"] = restart_form or RestartForm()
        else:
            context["end_form"] = end_form or EndForm(initial={"ended_on": timezone.localdate()})
    return render(request, "volunteers/volunteer.html", context, status=status)


@login_required
def me(request):
    volunteer = selectors.own_volunteer(request.user)
    if volunteer is None:
        if selectors.staff_org_ids(request.user):
            return redirect("volunteers:home")
        if orgs_with_perm(request.user, "reports.file_volunteer_report"):
            return render(request, "volunteers/no_profile.html")
        raise PermissionDenied
    return _volunteer_page(request, volunteer, for_self=True)


@login_required
def volunteer_detail(request, pk: int):
    own = selectors.own_volunteer(request.user)
    if own is not None and own.pk == pk and not selectors.staff_org_ids(request.user):
        return redirect("volunteers:me")
    volunteer = selectors.volunteer_for_staff(request.user, pk)
    return _volunteer_page(request, volunteer, for_self=False)


@login_required
@require_POST
def thanks_send(request, pk: int):
    volunteer = selectors.volunteer_for_staff(request.user, pk)
    form = ThanksForm(request.POST)
    if form.is_valid():
        try:
            services.thanks_send(volunteer=volunteer, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            apply_service_errors(form, exc, "text")
        else:
            messages.success(request, _("Bedankje verstuurd naar %(name)s.") % {"name": volunteer})
            return redirect("volunteers:volunteer", pk=volunteer.pk)
    return _volunteer_page(request, volunteer, for_self=False, thanks_form=form, status=400)


@login_required
@require_POST
def volunteer_end_view(request, pk: int):
    """"Stoppen als Bewonerskracht": end date and an optional reason (see ``ending.volunteer_end``)."""
    volunteer = selectors.volunteer_for_staff(request.user, pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            result = volunteer_end(volunteer=volunteer, actor=request.user, ended_on=form.cleaned_data["ended_on"],
                                   reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if getattr(exc, "code", None) == "already_ended":
                messages.error(request, exc.messages[0])
                return redirect("volunteers:volunteer", pk=volunteer.pk)
            apply_service_errors(form, exc, "ended_on")
        else:
            messages.success(request, _(
                "%(name)s is gestopt als Bewonerskracht. Rondes geannuleerd: %(cancelled)s; rondes nu zonder "
                "loopmaatje: %(unpaired)s; uit teams gehaald: %(teams)s. Er is niets verstuurd.") % {
                "name": volunteer, "cancelled": result.rounds_cancelled, "unpaired": result.rounds_unpaired,
                "teams": result.team_memberships_removed})
            return redirect("volunteers:volunteer", pk=volunteer.pk)
    volunteer.refresh_from_db()
    if is_ended(volunteer):  # ended meanwhile: the form is no longer shown
        messages.error(request, _("%(name)s is al gestopt als Bewonerskracht.") % {"name": volunteer})
        return redirect("volunteers:volunteer", pk=volunteer.pk)
    return _volunteer_page(request, volunteer, for_self=False, end_form=form, status=400)


@login_required
@require_POST
def volunteer_restart_view(request, pk: int):
    """Start a stopped volunteer again, with a reason (see ``ending.volunteer_restart``)."""
    volunteer = selectors.volunteer_for_staff(request.user, pk)
    form = RestartForm(request.POST)
    if form.is_valid():
        try:
            volunteer_restart(volunteer=volunteer, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if getattr(exc, "code", None) == "not_ended":
                messages.error(request, exc.messages[0])
                return redirect("volunteers:volunteer", pk=volunteer.pk)
            apply_service_errors(form, exc, "reason")
        else:
            messages.success(request, _("%(name)s is weer Bewonerskracht. Plan rondes en teams zo nodig opnieuw.")
                             % {"name": volunteer})
            return redirect("volunteers:volunteer", pk=volunteer.pk)
    volunteer.refresh_from_db()
    if not is_ended(volunteer):
        messages.error(request, _("%(name)s is nog actief als Bewonerskracht.") % {"name": volunteer})
        return redirect("volunteers:volunteer", pk=volunteer.pk)
    return _volunteer_page(request, volunteer, for_self=False, restart_form=form, status=400)


def _certificate_response(request, volunteer: Volunteer, *, for_self: bool):
    try:
        pdf = certificate_pdf(volunteer)
    except CertificateNotAvailable as exc:
        return render(request, "volunteers/certificate_missing.html", {
            "volunteer": volunteer, "missing": exc.missing, "for_self": for_self}, status=403)
    response = HttpResponse(pdf, content_type="application/pdf")
    # names are free text: only a slug goes into the header (no quotes, newlines or non-ASCII)
    name = slugify(volunteer.user.get_full_name()) or slugify(volunteer.user.get_username()) or str(volunteer.pk)
    response["Content-Disposition"] = f'attachment; filename="certificaat-bewonerskracht-{name[:80]}.pdf"'
    return response


@login_required
def my_certificate(request):
    volunteer = selectors.own_volunteer(request.user)
    if volunteer is None:
        raise PermissionDenied
    return _certificate_response(request, volunteer, for_self=True)


@login_required
def volunteer_certificate(request, pk: int):
    volunteer = selectors.volunteer_for_staff(request.user, pk)
    return _certificate_response(request, volunteer, for_self=False)


@login_required
def waiting(request):
    selectors.require_staff(request.user)
    return render(request, "volunteers/waiting.html", {
        "rows": selectors.volunteer_rows(request.user, only_waiting=True), "answer_days": selectors.answer_days()})
