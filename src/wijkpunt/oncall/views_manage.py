"""Management pages of the on-call backup: rosters, office calendar, escalation policies.

Viewing needs ``oncall.view_duty`` (or ``manage_oncall``) in the object's organisation, changing
needs ``oncall.manage_oncall``. Another organisation's objects do not exist for you (404); your own
organisation's objects without the right to change them give 403. Writes go through ``manage_services``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from wijkpunt.core.calendar import OfficeCalendar, dutch_holidays
from wijkpunt.core.models import ClosedDay, OfficeHours, Organisation
from wijkpunt.core.permissions import has_org_perm

from . import manage_services as services
from .forms import (
    AbsenceForm,
    ClosedDayForm,
    MemberAddForm,
    OfficeHoursForm,
    OverrideForm,
    PolicyForm,
    RosterForm,
    StepFormSet,
    steps_initial,
)
from .models import Absence, EscalationPolicy, EscalationStep, Roster, RosterMember
from .schedule import roster_picture
from .selectors import duty_orgs, manage_orgs, rosters_visible_to

TIMELINE_DAYS = 14
SOURCE_LABELS = {"rotatie": gettext_lazy("rotatie"), "wissel": gettext_lazy("wissel"),
                 "afwezig": gettext_lazy("afwezig"), "leeg": gettext_lazy("gat")}
PERM = services.PERM


def _visible_orgs(user) -> frozenset[int]:
    orgs = duty_orgs(user) | manage_orgs(user)
    if not orgs:
        raise PermissionDenied
    return orgs


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# -- rosters ---------------------------------------------------------------------------------------
@login_required
def roster_list(request):
    orgs, now = _visible_orgs(request.user), timezone.now()
    rows = []
    rosters = Roster.objects.filter(organisation_id__in=orgs).select_related("organisation", "coordinator")
    for roster in rosters.prefetch_related("neighbourhoods"):
        row = {"roster": roster}
        if roster.is_active:
            picture = roster_picture(roster, now)
            row.update(now=picture.now, next=picture.next, gaps=picture.gaps)
        rows.append(row)
    return render(request, "oncall/manage/roster_list.html", {
        "rows": rows, "now": now, "can_create": bool(manage_orgs(request.user)),
        "show_org": len({r["roster"].organisation_id for r in rows}) > 1,
    })


def _roster(request, pk: int, *, manage: bool = False) -> Roster:
    roster = rosters_visible_to(request.user).select_related("organisation", "coordinator").filter(pk=pk).first()
    if roster is None:
        raise Http404
    if manage and not has_org_perm(request.user, PERM, roster.organisation_id):
        raise PermissionDenied
    return roster


@login_required
@require_http_methods(["GET", "POST"])
def roster_edit(request, pk: int | None = None):
    if pk is None:
        roster = Roster()
        org_ids = manage_orgs(request.user)
        if not org_ids:
            raise PermissionDenied
    else:
        roster = _roster(request, pk, manage=True)
        org_ids = frozenset({roster.organisation_id})
    form = RosterForm(request.POST or None, instance=roster, org_ids=org_ids)
    if request.method == "POST" and form.is_valid():
        roster = services.roster_save(actor=request.user, roster=form.instance,
                                      neighbourhoods=form.cleaned_data["neighbourhoods"])
        messages.success(request, _("Rooster %(name)s is opgeslagen.") % {"name": roster.name})
        return redirect("oncall:roster_detail", pk=roster.pk)
    return render(request, "oncall/manage/roster_form.html", {"form": form, "roster": roster},
                  status=400 if form.errors else 200)


def _timeline_rows(roster: Roster, timeline, now: dt.datetime) -> list[dict]:
    warn_until = now + dt.timedelta(days=roster.warning_days)
    return [{"segment": s, "source": SOURCE_LABELS.get(s.source, s.source), "is_gap": s.is_gap,
             "warn": s.is_gap and s.start < warn_until} for s in timeline]


def _detail(request, roster: Roster, *, status: int = 200, **bound):
    now = timezone.now()
    picture = roster_picture(roster, now, dt.timedelta(days=TIMELINE_DAYS))
    members = list(roster.members.select_related("user").order_by("position"))
    absences = Absence.objects.filter(user__roster_slots__roster=roster, ends_at__gt=now).select_related(
        "user").order_by("starts_at")
    can_manage = has_org_perm(request.user, PERM, roster.organisation_id)
    context = {
        "roster": roster, "now": now, "current": picture.now, "following": picture.next,
        "backup": picture.backup, "members": members, "absences": absences,
        "overrides": roster.overrides.filter(ends_at__gt=now).select_related("user", "created_by"),
        "timeline": _timeline_rows(roster, picture.timeline, now), "gaps": picture.gaps,
        "timeline_days": TIMELINE_DAYS, "can_manage": can_manage,
    }
    if can_manage:
        context.update({
            "member_form": bound.get("member_form") or MemberAddForm(roster=roster),
            "override_form": bound.get("override_form") or OverrideForm(roster=roster),
            "absence_form": bound.get("absence_form") or AbsenceForm(roster=roster),
        })
    return render(request, "oncall/manage/roster_detail.html", context, status=status)


@login_required
def roster_detail(request, pk: int):
    return _detail(request, _roster(request, pk))


def _roster_form_action(request, pk: int, form_class, key: str, write):
    """POST a form of the roster page: on success redirect back, else show the page with the errors."""
    roster = _roster(request, pk, manage=True)
    form = form_class(request.POST, roster=roster)
    if form.is_valid():
        try:
            message = write(roster, form)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, message)
            return redirect("oncall:roster_detail", pk=roster.pk)
    return _detail(request, roster, status=400, **{key: form})


@login_required
@require_POST
def member_add(request, pk: int):
    def write(roster, form):
        user = form.cleaned_data["user"]
        services.member_add(actor=request.user, roster=roster, user=user)
        return _("%(name)s staat nu op het rooster.") % {"name": user}
    return _roster_form_action(request, pk, MemberAddForm, "member_form", write)


@login_required
@require_POST
def override_add(request, pk: int):
    def write(roster, form):
        d = form.cleaned_data
        services.override_add(actor=request.user, roster=roster, starts_at=d["starts_at"], ends_at=d["ends_at"],
                              user=d.get("user"), reason=d.get("reason", ""))
        return _("De wissel is opgeslagen.") if d.get("user") else _("Het gat is als wissel vastgelegd.")
    return _roster_form_action(request, pk, OverrideForm, "override_form", write)


@login_required
@require_POST
def absence_add(request, pk: int):
    def write(roster, form):
        d = form.cleaned_data
        services.absence_add(actor=request.user, organisation_id=roster.organisation_id, user=d["user"],
                             starts_at=d["starts_at"], ends_at=d["ends_at"], reason=form.reason)
        return _("De afwezigheid van %(name)s is opgeslagen.") % {"name": d["user"]}
    return _roster_form_action(request, pk, AbsenceForm, "absence_form", write)


def _roster_object_action(request, pk: int, lookup, write, done: str):
    """POST a button on a row of the roster page (remove, move, delete); unknown rows are 404."""
    roster = _roster(request, pk, manage=True)
    obj = lookup(roster)
    if obj is None:
        raise Http404
    try:
        write(obj, roster)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("oncall:roster_detail", pk=roster.pk)


@login_required
@require_POST
def member_remove(request, pk: int, member_pk: int):
    return _roster_object_action(
        request, pk, lambda r: RosterMember.objects.filter(roster=r, pk=member_pk).select_related("roster").first(),
        lambda m, r: services.member_remove(actor=request.user, member=m), _("Van het rooster gehaald."))


@login_required
@require_POST
def member_move(request, pk: int, member_pk: int, offset: int):
    return _roster_object_action(
        request, pk, lambda r: RosterMember.objects.filter(roster=r, pk=member_pk).select_related("roster").first(),
        lambda m, r: services.member_move(actor=request.user, member=m, offset=offset), _("Volgorde aangepast."))


@login_required
@require_POST
def override_delete(request, pk: int, override_pk: int):
    return _roster_object_action(
        request, pk, lambda r: r.overrides.filter(pk=override_pk).select_related("roster").first(),
        lambda o, r: services.override_delete(actor=request.user, override=o), _("De wissel is verwijderd."))


@login_required
@require_POST
def absence_delete(request, pk: int, absence_pk: int):
    return _roster_object_action(
        request, pk, lambda r: Absence.objects.filter(pk=absence_pk, user__roster_slots__roster=r).first(),
        lambda a, r: services.absence_delete(actor=request.user, organisation_id=r.organisation_id, absence=a),
        _("De afwezigheid is verwijderd."))


# -- office calendar -------------------------------------------------------------------------------
def _calendar(request, org: Organisation, *, status: int = 200, **bound):
    orgs = Organisation.objects.filter(pk__in=_visible_orgs(request.user)).order_by("name")
    now = timezone.now()
    today = timezone.localdate(now)
    holidays = [(day, name) for year in (today.year, today.year + 1) for day, name in
                sorted(dutch_holidays(year).items())]
    can_manage = has_org_perm(request.user, PERM, org.pk)
    context = {
        "organisation": org, "organisations": orgs, "now": now, "can_manage": can_manage,
        "is_open": OfficeCalendar.for_organisation(org).is_open(now),
        "hours": OfficeHours.objects.filter(organisation=org).order_by("weekday", "opens"),
        "closed_days": ClosedDay.objects.filter(organisation=org, date__gte=today).order_by("date"),
        "past_closed_days": ClosedDay.objects.filter(organisation=org, date__lt=today).order_by("-date")[:10],
        "holidays": holidays,
    }
    if can_manage:
        context["hours_form"] = bound.get("hours_form") or OfficeHoursForm()
        context["closed_form"] = bound.get("closed_form") or ClosedDayForm()
    return render(request, "oncall/manage/office_calendar.html", context, status=status)


def _organisation(request, org_pk, *, manage: bool = False) -> Organisation:
    if org_pk not in _visible_orgs(request.user):
        raise Http404
    if manage and not has_org_perm(request.user, PERM, org_pk):
        raise PermissionDenied
    return Organisation.objects.get(pk=org_pk)


@login_required
def office_calendar(request):
    orgs = _visible_orgs(request.user)
    wanted = request.GET.get("organisatie", "")
    org_pk = int(wanted) if wanted.isascii() and wanted.isdigit() and len(wanted) < 10 else None
    if org_pk not in orgs:
        org_pk = Organisation.objects.filter(pk__in=orgs).order_by("name").values_list("pk", flat=True).first()
    return _calendar(request, _organisation(request, org_pk))


def _calendar_redirect(org):
    return redirect(f"{reverse('oncall:office_calendar')}?organisatie={org.pk}")


def _calendar_add(request, org_pk: int, form_class, key: str, write, done: str):
    org = _organisation(request, org_pk, manage=True)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(actor=request.user, organisation=org, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, done)
            return _calendar_redirect(org)
    return _calendar(request, org, status=400, **{key: form})


def _calendar_delete(request, org_pk: int, model, pk: int, delete, done: str):
    org = _organisation(request, org_pk, manage=True)
    obj = model.objects.filter(organisation=org, pk=pk).first()
    if obj is None:
        raise Http404
    delete(request.user, obj)
    messages.success(request, done)
    return _calendar_redirect(org)


@login_required
@require_POST
def office_hours_add(request, org_pk: int):
    return _calendar_add(request, org_pk, OfficeHoursForm, "hours_form", services.office_hours_add,
                         _("Kantoortijden toegevoegd."))


@login_required
@require_POST
def closed_day_add(request, org_pk: int):
    return _calendar_add(request, org_pk, ClosedDayForm, "closed_form", services.closed_day_add,
                         _("Sluitingsdag toegevoegd."))


@login_required
@require_POST
def office_hours_delete(request, org_pk: int, pk: int):
    return _calendar_delete(request, org_pk, OfficeHours, pk,
                            lambda actor, row: services.office_hours_delete(actor=actor, row=row),
                            _("Kantoortijden verwijderd."))


@login_required
@require_POST
def closed_day_delete(request, org_pk: int, pk: int):
    return _calendar_delete(request, org_pk, ClosedDay, pk,
                            lambda actor, day: services.closed_day_delete(actor=actor, day=day),
                            _("Sluitingsdag verwijderd."))


# -- escalation policies ---------------------------------------------------------------------------
def _require_manager(request) -> frozenset[int]:
    orgs = manage_orgs(request.user)
    if not orgs:
        raise PermissionDenied
    return orgs


def step_summary(step: EscalationStep) -> str:
    if step.target == EscalationStep.Target.CONTINUE:
        return _("doorgaan met %(name)s") % {"name": step.continue_with}
    who = {EscalationStep.Target.USER: step.user, EscalationStep.Target.ROSTER: step.roster}.get(step.target)
    label = f"{step.get_target_display()}{f': {who}' if who else ''}"
    channels = ", ".join(str(EscalationStep.ChannelChoice(c).label) for c in step.channels
                         if c in EscalationStep.ChannelChoice.values)
    return _("%(who)s (%(channels)s; %(min)s min)") % {"who": label, "channels": channels or "—",
                                                       "min": int(step.wait.total_seconds() // 60)}


@login_required
def policy_list(request):
    orgs = _require_manager(request)
    steps = EscalationStep.objects.select_related("user", "roster", "continue_with").order_by("position")
    policies = list(
        EscalationPolicy.objects.filter(organisation_id__in=orgs).select_related("organisation", "roster", "queue_team")
        .prefetch_related("categories__parent", Prefetch("steps", queryset=steps)).order_by("organisation__name",
                                                                                           "position", "pk"))
    for policy in policies:
        policy.step_summaries = [step_summary(s) for s in policy.steps.all()]
    return render(request, "oncall/manage/policy_list.html", {"policies": policies, "show_org": len(orgs) > 1})


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request, pk: int | None = None):
    orgs = _require_manager(request)
    policy = EscalationPolicy() if pk is None else EscalationPolicy.objects.filter(
        pk=pk, organisation_id__in=orgs).first()
    if policy is None:
        raise Http404
    form = PolicyForm(request.POST or None, instance=policy, org_ids=orgs)
    step_orgs = form.org_ids
    formset = StepFormSet(request.POST or None, prefix="stappen", form_kwargs={"org_ids": step_orgs},
                          initial=None if request.method == "POST" else steps_initial(policy))
    step_errors: list[str] = []
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        try:
            policy = services.policy_save(actor=request.user, policy=form.instance,
                                          categories=form.cleaned_data["categories"], steps=formset.steps())
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            step_errors = errors.pop("steps", [])
            for field, field_errors in errors.items():
                form.add_error(field if field in form.fields else None, field_errors)
            # show the kept steps in their new order, so that "Stap n" in a message is card n
            kept = [{k: v for k, v in f.cleaned_data.items() if k not in ("ORDER", "DELETE")}
                    for f in formset.ordered_forms]
            formset = StepFormSet(prefix="stappen", form_kwargs={"org_ids": step_orgs}, initial=kept)
        else:
            messages.success(request, _("Escalatiebeleid %(name)s is opgeslagen.") % {"name": policy.name})
            return redirect("oncall:policy_list")
    has_errors = bool(form.errors or step_errors or formset.total_error_count())
    return render(request, "oncall/manage/policy_form.html", {
        "form": form, "formset": formset, "policy": policy, "step_errors": step_errors,
        "has_errors": has_errors and request.method == "POST",
    }, status=400 if has_errors and request.method == "POST" else 200)


@login_required
@require_POST
def policy_delete(request, pk: int):
    policy = EscalationPolicy.objects.filter(pk=pk, organisation_id__in=_require_manager(request)).first()
    if policy is None:
        raise Http404
    try:
        services.policy_delete(actor=request.user, policy=policy)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("oncall:policy_edit", pk=pk)
    messages.success(request, _("Escalatiebeleid %(name)s is verwijderd.") % {"name": policy.name})
    return redirect("oncall:policy_list")
