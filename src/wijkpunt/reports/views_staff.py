"""Pages for staff, volunteers and partners: the queue, a report, logged-in intake."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wijkpunt.core.models import Organisation, User
from wijkpunt.core.permissions import orgs_with_perm
from wijkpunt.housing.models import Complex, Neighbourhood

from . import policies, selectors, services
from .forms import (
    AssignForm,
    DeclineForwardForm,
    ForwardForm,
    IntakeForm,
    MergeForm,
    NoteForm,
    RecategoriseForm,
    StaffIntakeForm,
    TransitionForm,
)
from .models import Category, Channel, Report, Status, Urgency


def serve_attachment(attachment):
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response


@login_required
def home(request):
    if selectors.queue_base(request.user).exists() or orgs_with_perm(request.user, "reports.view_org_reports") or \
            orgs_with_perm(request.user, "reports.view_forwarded_reports"):
        return redirect("staff:queue")
    return redirect("staff:my_reports")


def _filters_from(request) -> selectors.QueueFilters:
    g = {name: value.replace("\x00", "") for name, value in request.GET.items()}  # PostgreSQL refuses NUL

    def as_int(name):
        value = g.get(name, "")
        return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None

    status = g.get("status", "open")
    if status not in {"open", "alle", *Status.values}:
        status = "open"
    urgency = g.get("urgentie", "")
    return selectors.QueueFilters(
        status=status, category=g.get("categorie", "")[:60], urgency=urgency if urgency in Urgency.values else "",
        neighbourhood=as_int("buurt"), complex=as_int("complex"), assignee=g.get("behandelaar", "")[:20],
        overdue=g.get("te_laat") == "1", q=g.get("q", "")[:100],
        sort=g.get("sorteer", "nieuwste") if g.get("sorteer") in selectors.SORTS else "nieuwste",
    )


@login_required
def queue(request):
    org_ids = orgs_with_perm(request.user, "reports.view_org_reports")
    partner_ids = orgs_with_perm(request.user, "reports.view_forwarded_reports")
    if not org_ids and not partner_ids:
        raise PermissionDenied
    filters = _filters_from(request)
    page = selectors.queue_page(request.user, filters, cursor=request.GET.get("na", "")[:400])
    query = request.GET.copy()
    query.pop("na", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "statuses": Status.choices,
        "urgencies": Urgency.choices,
        "categories": Category.objects.filter(is_active=True).select_related("parent")
        .order_by("parent__position", "position"),
        "neighbourhoods": Neighbourhood.objects.filter(complexes__corporation_id__in=org_ids).distinct()
        if org_ids else Neighbourhood.objects.none(),
        "complexes": Complex.objects.filter(corporation_id__in=org_ids).order_by("code") if org_ids
        else Complex.objects.none(),
        "assignees": User.objects.filter(
            memberships__organisation_id__in=org_ids, memberships__role__permissions__codename="triage_report"
        ).distinct().order_by("first_name", "last_name") if org_ids else User.objects.none(),
        "sorts": [("nieuwste", _("Nieuwste eerst")), ("oudste", _("Oudste eerst")),
                  ("termijn", _("Termijn")), ("urgentie", _("Urgentie"))],
    }
    template = "staff/_queue_rows.html" if request.htmx and request.GET.get("na") else "staff/queue.html"
    return render(request, template, context)


def _visible_report(request, pk: int) -> Report:
    report = selectors.report_for_user(request.user, pk)
    if report is None:
        raise Http404
    return report


@login_required
def report_detail(request, pk: int):
    report = _visible_report(request, pk)
    return render(request, "staff/report_detail.html", _detail_context(request, report))


def _detail_context(request, report: Report, *, decline_form: DeclineForwardForm | None = None) -> dict:
    can_triage = policies.can_triage(request.user, report)
    can_partner = policies.can_partner_handle(request.user, report)
    is_partner = not can_triage and policies.is_current_partner(request.user, report)
    is_handler = can_triage or is_partner
    show_contact = policies.can_see_reporter_contact(request.user, report)
    timeline = list(selectors.report_timeline(report, public_only=not is_handler,
                                              partner_org_id=report.forwarded_to_id if is_partner else None))
    if not show_contact:  # who reported it is contact data too
        for event in timeline:
            if event.kind == event.Kind.CREATED:
                event.actor_label = _("melder")
    targets = policies.allowed_targets(request.user, report)
    transition_form = TransitionForm()
    # Forwarding needs a partner, so it happens through the forward form, not the status list.
    transition_form.fields["to_status"].choices = [("", _("Kies een status"))] + [
        (t, Status(t).label) for t in targets if t != Status.FORWARDED or not can_triage
    ]
    suggested = Category.objects.filter(slug=report.suggestion.get("subcategory") or "").first()
    forward_form = ForwardForm(report=report,
                               initial={"partner": report.category.default_partner_id if report.category else None})
    context = {
        "accept_form": policies.can_partner_accept(request.user, report),
        "decline_form": (decline_form or DeclineForwardForm()) if policies.can_partner_decline(request.user, report)
        else None,
        "report": report,
        "timeline": timeline,
        "can_triage": can_triage,
        "can_partner": can_partner,
        "is_handler": is_handler,
        "show_contact": show_contact,
        "photos": report.attachments.all(),
        "note_form": NoteForm(),
        "transition_form": transition_form if targets else None,
        "assign_form": AssignForm(report=report, initial={"assignee": report.assignee_id, "team": report.team_id})
        if can_triage else None,
        "recategorise_form": RecategoriseForm(initial=_recategorise_initial(report, suggested))
        if can_triage else None,
        "forward_form": forward_form if can_triage and report.is_open else None,
        "merge_form": MergeForm() if can_triage and report.is_open else None,
        "merged_reports": report.merged_reports.all() if is_handler else [],
        "suggested_category": suggested,
        "suggested_urgency": Urgency(report.suggestion["urgency"]).label
        if report.suggestion.get("urgency") in Urgency.values else "",
    }
    return context


def _recategorise_initial(report: Report, suggested: Category | None) -> dict:
    """Pre-fill triage with the current category, or the classifier's suggestion when there is none."""
    category_id = report.category_id or (suggested.pk if suggested else None)
    return {"category": category_id, "urgency": report.urgency}


@login_required
def report_photo(request, pk: int, photo_id: int):
    report = _visible_report(request, pk)
    attachment = report.attachments.filter(pk=photo_id).first()
    if attachment is None:
        raise Http404
    return serve_attachment(attachment)


ACTIONS = {
    "note": NoteForm,
    "transition": TransitionForm,
    "assign": AssignForm,
    "recategorise": RecategoriseForm,
    "forward": ForwardForm,
    "merge": MergeForm,
}


@login_required
@require_POST
def report_action(request, pk: int, action: str):
    report = _visible_report(request, pk)
    form_class = ACTIONS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, report=report) if form_class in (AssignForm, ForwardForm) \
        else form_class(request.POST)
    if action == "transition":
        targets = policies.allowed_targets(request.user, report)
        if not targets:
            raise PermissionDenied
        form.fields["to_status"].choices = [(t, Status(t).label) for t in targets]
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect("staff:report", pk=pk)
    data = form.cleaned_data
    try:
        if action == "note":
            services.report_add_note(report=report, actor=request.user, text=data["text"], public=data["public"])
            messages.success(request, _("Notitie toegevoegd."))
        elif action == "transition":
            services.report_transition(report=report, actor=request.user, to_status=data["to_status"],
                                       note=data["note"], public=data["public"])
            messages.success(request, _("Status gewijzigd naar %(status)s.") % {"status": Status(data["to_status"]).label})
        elif action == "assign":
            services.report_assign(report=report, actor=request.user, assignee=data["assignee"], team=data["team"])
            messages.success(request, _("Toewijzing opgeslagen."))
        elif action == "recategorise":
            services.report_recategorise(report=report, actor=request.user, category=data["category"],
                                         urgency=data["urgency"])
            messages.success(request, _("Categorie en urgentie opgeslagen."))
        elif action == "forward":
            services.report_forward(report=report, actor=request.user, partner=data["partner"], note=data["note"])
            messages.success(request, _("Doorgestuurd naar %(partner)s.") % {"partner": data["partner"]})
        elif action == "merge":
            into = selectors.reports_visible_to(request.user).filter(reference__iexact=data["into"].strip()).first()
            if into is None:
                messages.error(request, _("Meldingsnummer %(ref)s niet gevonden.") % {"ref": data["into"]})
                return redirect("staff:report", pk=pk)
            services.report_merge(report=report, into=into, actor=request.user)
            messages.success(request, _("Samengevoegd met %(ref)s.") % {"ref": into.reference})
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    return redirect("staff:report", pk=pk)


@login_required
@require_POST
def forward_accept(request, pk: int):
    """The partner accepts a report forwarded to its organisation."""
    report = _visible_report(request, pk)
    if not policies.can_partner_accept(request.user, report):
        raise PermissionDenied
    try:
        services.report_forward_accept(report=report, actor=request.user)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, _("U heeft melding %(ref)s geaccepteerd.") % {"ref": report.reference})
    return redirect("staff:report", pk=pk)


@login_required
@require_POST
def forward_decline(request, pk: int):
    """The partner declines (or hands back) a forwarded report, with a required reason. Without a
    reason: the report page again with the message at the field (400). Afterwards the partner no
    longer sees the report, so it goes back to its queue."""
    report = _visible_report(request, pk)
    if not policies.can_partner_decline(request.user, report):
        raise PermissionDenied
    form = DeclineForwardForm(request.POST)
    if form.is_valid():
        try:
            services.report_forward_decline(report=report, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Melding %(ref)s is teruggegeven aan %(corp)s.")
                             % {"ref": report.reference, "corp": report.organisation.name})
            return redirect("staff:queue")
    return render(request, "staff/report_detail.html", _detail_context(request, report, decline_form=form),
                  status=400)


@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    """Logged-in intake: staff record phone calls and desk visits, volunteers report from a round."""
    staff_orgs = orgs_with_perm(request.user, "reports.intake_phone")
    volunteer_orgs = orgs_with_perm(request.user, "reports.file_volunteer_report")
    if not staff_orgs and not volunteer_orgs:
        raise PermissionDenied
    form_class = StaffIntakeForm if staff_orgs else IntakeForm
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        if kwargs["idempotency_key"]:
            kwargs["idempotency_key"] = services.scoped_key(f"user:{request.user.pk}", kwargs["idempotency_key"])
        if staff_orgs:
            kwargs.update(channel=form.cleaned_data["channel"], category=form.cleaned_data.get("category"),
                          urgency=form.cleaned_data.get("urgency") or None)
        else:
            kwargs.update(channel=Channel.VOLUNTEER)
        org_id = next(iter(sorted(staff_orgs or volunteer_orgs)))
        unit_or_complex = kwargs.get("unit") or kwargs.get("complex")
        if unit_or_complex is None:
            kwargs["organisation"] = Organisation.objects.get(pk=org_id)
        try:
            report, _c = services.report_create(reporter_user=request.user, **kwargs)
        except ValidationError as exc:
            for msg in exc.messages:
                form.add_error(None, msg)
        else:
            messages.success(request, _("Melding %(ref)s is opgeslagen.") % {"ref": report.reference})
            if policies.can_view(request.user, report) and staff_orgs:
                return redirect("staff:report", pk=report.pk)
            return redirect("staff:my_reports")
    from django.conf import settings

    return render(request, "staff/intake.html", {
        "form": form, "is_staff_intake": bool(staff_orgs), "map_tiles": settings.MAP_TILES_URL,
        "map_center": settings.MAP_CENTER, "max_photo_bytes": settings.MAX_PHOTO_BYTES,
    }, status=400 if form.errors else 200)


@login_required
def my_reports(request):
    reports = list(selectors.reports_filed_by(request.user)[:200])
    latest = selectors.latest_public_events([r.pk for r in reports])
    for report in reports:
        report.latest_update = latest.get(report.pk)
    return render(request, "staff/my_reports.html", {"reports": reports})
