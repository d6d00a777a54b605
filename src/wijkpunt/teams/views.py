"""Klussen pages for staff and team members, under /werk/klussen/ in the "teams" namespace.

Who may see what lives in ``selectors`` (403 without ``teams.manage_jobs`` or ``teams.work_in_team``;
404 for a team or job the user cannot see); who may take which step lives in ``services``. Writes go
through ``services``; rejected input re-renders the page with field messages (400).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from wijkpunt.core.forms import apply_service_errors
from wijkpunt.core.models import Organisation

from . import selectors, services
from .forms import (
    CompleteForm,
    DeclineForm,
    MemberForm,
    PlanForm,
    RouteForm,
    StaffJobRequestForm,
    TeamForm,
    WithdrawForm,
)
from .models import JobRequest, Team

Status = JobRequest.Status
FILTERS = {
    "open": (gettext_lazy("Open"), {"status__in": JobRequest.OPEN_STATUSES}),
    "zonder-team": (gettext_lazy("Zonder team"), {"status": Status.REQUESTED, "team__isnull": True}),
    "klaar": (gettext_lazy("Klaar"), {"status": Status.DONE}),
    "afgesloten": (gettext_lazy("Afgewezen of ingetrokken"), {"status__in": (Status.DECLINED, Status.WITHDRAWN)}),
    "datum-voorbij": (gettext_lazy("Datum voorbij"), None),  # relative to today: selectors.past_their_date
    "alle": (gettext_lazy("Alle"), {}),
}
LIST_LIMIT = 200



def _staff_corporation(user) -> Organisation:
    ids = selectors.manage_org_ids(user)
    if not ids:
        raise PermissionDenied
    return Organisation.objects.filter(pk__in=ids).order_by("name").first()


def _require_staff_for(user, corporation_id: int) -> None:
    if corporation_id not in selectors.manage_org_ids(user):
        raise PermissionDenied


@login_required
def home(request):
    selectors.require_teams_user(request.user)
    if selectors.manage_org_ids(request.user):
        return _staff_home(request)
    return _member_home(request)


def _staff_home(request):
    chosen = request.GET.get("filter", "open")
    if chosen not in FILTERS:
        chosen = "open"
    visible = selectors.visible_jobs(request.user)
    past = selectors.past_their_date(visible)
    jobs_qs = past if chosen == "datum-voorbij" else visible.filter(**FILTERS[chosen][1])
    unassigned = visible.filter(**FILTERS["zonder-team"][1]).count()
    return render(request, "teams/home_staff.html", {
        "teams": selectors.team_rows(request.user),
        "per_year": selectors.kind_year_counts(selectors.manage_org_ids(request.user)),
        "jobs": list(jobs_qs.order_by("-created_at", "-pk")[:LIST_LIMIT]),
        "total": jobs_qs.count(), "limit": LIST_LIMIT,
        "filters": [(key, label) for key, (label, _q) in FILTERS.items()], "chosen": chosen,
        "unassigned": unassigned, "past_their_date": past.count(),
    })


def _member_home(request):
    volunteer = selectors.volunteer_of(request.user)
    jobs = selectors.visible_jobs(request.user)
    mine = []
    if volunteer is not None:
        mine = list(jobs.filter(status=Status.PLANNED, planned_members=volunteer).order_by("planned_for", "pk"))
    order = Case(When(status=Status.REQUESTED, then=Value(0)), When(status=Status.ACCEPTED, then=Value(1)),
                 default=Value(2), output_field=IntegerField())
    open_jobs = list(jobs.filter(status__in=JobRequest.OPEN_STATUSES).exclude(pk__in=[j.pk for j in mine])
                     .annotate(o=order).order_by("o", "created_at", "pk"))
    year = timezone.localdate().year
    done = list(jobs.filter(status=Status.DONE, done_on__year=year).order_by("-done_on", "-pk")[:20])
    return render(request, "teams/home_member.html", {
        "volunteer": volunteer, "mine": mine, "open_jobs": open_jobs, "done": done, "year": year,
        "teams": selectors.team_rows(request.user),
    })


# --- jobs ---------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def job_create(request):
    _staff_corporation(request.user)
    form = StaffJobRequestForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            unit = form.cleaned_data["unit"]
            if unit.corporation_id not in selectors.manage_org_ids(request.user):
                form.add_error("house_number", _("Dit adres is geen woning van uw corporatie."))
            else:
                key = form.cleaned_data.get("idempotency_key") or ""
                try:
                    job, _created = services.job_request_create(
                        **form.service_kwargs(), source=JobRequest.Source.STAFF, created_by=request.user,
                        idempotency_key=f"user:{request.user.pk}:{key}" if key else None)
                except services.IdempotencyConflict:
                    form.add_error(None, _("Dit formulier was al verstuurd. Laad de pagina opnieuw voor een "
                                           "nieuwe aanvraag."))
                except ValidationError as exc:
                    apply_service_errors(form, exc)
                else:
                    messages.success(request, _("Klusaanvraag %(ref)s vastgelegd.") % {"ref": job.reference})
                    return redirect("teams:job", pk=job.pk)
        return render(request, "teams/job_form.html", {"form": form}, status=400)
    return render(request, "teams/job_form.html", {"form": form})


def _job_page(request, job, *, forms_bound=None, status=200):
    view = selectors.job_view(request.user, job)
    forms = {
        "plan": PlanForm(job=job, initial={"planned_for": job.planned_for,
                                           "members": list(job.planned_members.values_list("pk", flat=True))}),
        "complete": CompleteForm(initial={"done_on": timezone.localdate()}),
        "decline": DeclineForm(),
        "withdraw": WithdrawForm(),
    }
    forms.update(forms_bound or {})
    route_form = None
    if view.is_staff and job.status == Status.REQUESTED:
        route_form = (forms_bound or {}).get("route") or RouteForm(job=job, initial={"team": job.team_id})
    return render(request, "teams/job.html", {
        "job": job, "view": view, "forms": forms, "route_form": route_form,
        "events": list(selectors.job_events(job)),
    }, status=status)


@login_required
def job_detail(request, pk: int):
    job = selectors.job_for(request.user, pk)
    return _job_page(request, job)


@login_required
@require_POST
def job_action(request, pk: int, action: str):
    job = selectors.job_for(request.user, pk)
    if action not in services.ACTIONS:
        raise PermissionDenied
    form = None
    kwargs: dict = {}
    if action == services.PLAN:
        form = PlanForm(request.POST, job=job)
        if form.is_valid():
            kwargs = {"planned_for": form.cleaned_data["planned_for"], "members": list(form.cleaned_data["members"])}
    elif action == services.COMPLETE:
        form = CompleteForm(request.POST)
        if form.is_valid():
            kwargs = {"done_on": form.cleaned_data["done_on"], "hours": form.cleaned_data["hours"],
                      "notes": form.cleaned_data["notes"]}
    elif action == services.DECLINE:
        form = DeclineForm(request.POST)
        if form.is_valid():
            kwargs = {"reason": form.cleaned_data["reason"], "reason_text": form.cleaned_data["reason_text"]}
    elif action == services.WITHDRAW:
        form = WithdrawForm(request.POST)
        if form.is_valid():
            kwargs = {"reason_text": form.cleaned_data["reason_text"]}
    if form is None or form.is_valid():
        try:
            services.job_transition(job=job, actor=request.user, action=action, **kwargs)
        except ValidationError as exc:
            if form is None:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                apply_service_errors(form, exc)
                if form.non_field_errors():
                    messages.error(request, " ".join(form.non_field_errors()))
        else:
            messages.success(request, {
                services.ACCEPT: _("U heeft de klus aangenomen. Plan nu een datum en wie hem doen."),
                services.PLAN: _("De klus is ingepland."),
                services.COMPLETE: _("De klus is afgemeld als klaar. Dank u wel!"),
                services.DECLINE: _("De klus is afgewezen."),
                services.WITHDRAW: _("De aanvraag is ingetrokken."),
            }[action])
            return redirect("teams:job", pk=job.pk)
    job.refresh_from_db()
    return _job_page(request, job, forms_bound={action: form} if form is not None else None, status=400)


@login_required
@require_POST
def job_route(request, pk: int):
    job = selectors.job_for(request.user, pk)
    _require_staff_for(request.user, job.corporation_id)
    form = RouteForm(request.POST, job=job)
    if form.is_valid():
        try:
            services.job_route(job=job, team=form.cleaned_data["team"], actor=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc, "team")
        else:
            messages.success(request, _("Klus toegewezen aan %(team)s.") % {"team": form.cleaned_data["team"].name})
            return redirect("teams:job", pk=job.pk)
    return _job_page(request, job, forms_bound={"route": form}, status=400)


# --- teams --------------------------------------------------------------------------------------

def _team_form_page(request, form, team=None, status=200):
    return render(request, "teams/team_form.html", {"form": form, "team": team}, status=status)


def _save_team(form, corporation, team=None):
    d = form.cleaned_data
    kwargs = {"kind": d["kind"], "name": d["name"], "programme": d.get("programme"),
              "neighbourhoods": list(d.get("neighbourhoods") or []), "is_active": d["is_active"]}
    try:
        if team is None:
            return services.team_create(corporation=corporation, **kwargs)
        return services.team_update(team=team, **kwargs)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request):
    corporation = _staff_corporation(request.user)
    form = TeamForm(request.POST or None, corporation=corporation, initial={"is_active": True})
    if request.method == "POST":
        if form.is_valid() and (team := _save_team(form, corporation)) is not None:
            messages.success(request, _("Team aangemaakt. Voeg nu de leden toe."))
            return redirect("teams:team", pk=team.pk)
        return _team_form_page(request, form, status=400)
    return _team_form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request, pk: int):
    team = selectors.team_for(request.user, pk)
    _require_staff_for(request.user, team.corporation_id)
    form = TeamForm(request.POST or None, instance=team, corporation=team.corporation)
    if request.method == "POST":
        if form.is_valid() and _save_team(form, team.corporation, Team.objects.get(pk=team.pk)) is not None:
            messages.success(request, _("Team opgeslagen."))
            return redirect("teams:team", pk=team.pk)
        team.refresh_from_db()
        return _team_form_page(request, form, team, status=400)
    return _team_form_page(request, form, team)


def _team_page(request, team, *, member_form=None, status=200):
    is_staff = team.corporation_id in selectors.manage_org_ids(request.user)
    counts = selectors.yearly_counts([team.pk]).get(team.pk, [])
    jobs = selectors.visible_jobs(request.user).filter(team=team, status__in=JobRequest.OPEN_STATUSES)
    return render(request, "teams/team.html", {
        "team": team, "is_staff": is_staff, "members": selectors.team_members(team),
        "area": selectors.area_names(team), "yearly": counts, "open_jobs": list(jobs.order_by("created_at")),
        "member_form": (member_form or MemberForm(team=team)) if is_staff else None,
    }, status=status)


@login_required
def team_detail(request, pk: int):
    return _team_page(request, selectors.team_for(request.user, pk))


@login_required
@require_POST
def member_add(request, pk: int):
    team = selectors.team_for(request.user, pk)
    _require_staff_for(request.user, team.corporation_id)
    form = MemberForm(request.POST, team=team)
    if form.is_valid():
        try:
            services.team_add_member(team=team, volunteer=form.cleaned_data["volunteer"],
                                     is_coordinator=form.cleaned_data["is_coordinator"])
        except ValidationError as exc:
            apply_service_errors(form, exc, "volunteer")
        else:
            messages.success(request, _("Lid toegevoegd."))
            return redirect("teams:team", pk=team.pk)
    return _team_page(request, team, member_form=form, status=400)


@login_required
@require_POST
def member_change(request, pk: int, member_pk: int):
    team = selectors.team_for(request.user, pk)
    _require_staff_for(request.user, team.corporation_id)
    member = get_object_or_404(team.members, pk=member_pk)
    what = request.POST.get("do")
    if what == "verwijderen":
        services.team_remove_member(member=member)
        messages.success(request, _("Lid verwijderd uit het team."))
    elif what in ("coordinator", "lid"):
        services.team_set_coordinator(member=member, is_coordinator=what == "coordinator")
        messages.success(request, _("Rol in het team aangepast."))
    else:
        messages.error(request, _("Onbekende wijziging."))
        return _team_page(request, team, status=400)
    return redirect("teams:team", pk=team.pk)
