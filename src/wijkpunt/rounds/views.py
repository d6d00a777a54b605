"""Pages of the rounds app, under /werk/rondes/ in the "rounds" namespace (docs/rounds.md).

Who may do what lives in ``selectors`` (403 without any way into rounds; 404 for a round the user
cannot see or does not walk). Writes go through ``services`` (reports through ``intake``); rejected
input re-renders the page with the errors (400). Every page works without JavaScript; with it, the
walking page keeps its writes in an offline queue (static/js/round-queue.js) and a service worker
(``service_worker``) keeps the page available without reception.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework import serializers

from wijkpunt.core.permissions import orgs_with_perm
from wijkpunt.reports import services as report_services
from wijkpunt.reports.models import Status as ReportStatus

from . import intake, selectors, services
from .forms import ChecklistForm, RoundFilterForm, RoundPlanForm, RoundReportForm
from .models import Round

# What the service worker keeps from the start (the page itself is added when it is first opened).
SW_ASSETS = ["vendor/utrecht/utrecht-components.css", "css/wijkpunt.css", "vendor/htmx/htmx.min.js",
             "js/wijkpunt.js", "js/intake.js", "js/round-queue.js", "js/round-walk.js"]
SW_VERSION = "2"  # raise to drop what phones have cached
# The service worker keeps a page for use without reception only when the answer carries this header
# (the walking page, the round page and the own list of a walker), and only one user's pages: the
# value is ``selectors.queue_owner``; a page of another user, or a redirect to the login page, makes
# it drop every page it kept (sw.js). Staff lists and every other answer are never kept.
OFFLINE_HEADER = "X-Wijkpunt-Offline"


def _offline(response, user):
    response[OFFLINE_HEADER] = selectors.queue_owner(user)
    return response


def _apply_errors(form, errors: dict, default_field: str | None = None) -> None:
    for name, value in errors.items():
        if isinstance(value, dict):  # nested (location / reporter) errors of the serializer
            _apply_errors(form, value, default_field)
            continue
        messages_ = value if isinstance(value, list) else [value]
        target = name if name in form.fields else ("house_number" if name in ("postcode", "house_letter", "addition")
                                                   and "house_number" in form.fields else default_field)
        for message in messages_:
            form.add_error(target, str(message))


@login_required
def home(request):
    selectors.require_rounds_user(request.user)
    volunteer = selectors.volunteer_of(request.user)
    staff_orgs = selectors.staff_org_ids(request.user)
    now = timezone.now()
    context = {"volunteer": volunteer, "is_staff_list": bool(staff_orgs)}
    mine = list(selectors.my_rounds(request.user).prefetch_related("complexes").order_by("planned_for", "id"))
    today = timezone.localdate()
    context["upcoming"] = [r for r in mine if r.status in (Round.Status.PLANNED, Round.Status.WALKING)
                           and (r.status == Round.Status.WALKING or timezone.localdate(r.planned_for) >= today
                                - services.PAST_LIMIT)]
    context["past"] = [r for r in reversed(mine) if r not in context["upcoming"]][:30]
    if staff_orgs:
        form = RoundFilterForm(request.GET or None, org_ids=staff_orgs)
        f = selectors.RoundFilters()
        if form.is_bound and form.is_valid():
            d = form.cleaned_data
            f = selectors.RoundFilters(programme=d["programme"].pk if d.get("programme") else None,
                                       status=d.get("status") or "", unpaired=bool(d.get("unpaired")),
                                       date_from=d.get("date_from"), date_to=d.get("date_to"))
        qs = selectors.visible_rounds(request.user).filter(programme__corporation_id__in=staff_orgs)
        rounds = list(selectors.filtered(qs, f).prefetch_related("complexes")[:200])
        context.update(filter_form=form, rounds=rounds, unpaired_count=sum(1 for r in rounds if not r.is_pair),
                       now=now)
    status = 400 if context.get("filter_form") is not None and context["filter_form"].errors else 200
    response = render(request, "rounds/home.html", context, status=status)
    return response if staff_orgs else _offline(response, request.user)


def _plan_page(request, form, rnd=None, status=200):
    return render(request, "rounds/plan.html", {"form": form, "round": rnd}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan(request):
    volunteer = selectors.volunteer_of(request.user)
    if volunteer is None:
        raise PermissionDenied
    form = RoundPlanForm(request.POST or None, volunteer=volunteer)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                rnd = services.round_plan(volunteer=volunteer, planned_for=d["planned_for"], route=d["route"],
                                          partner=d["partner"], complexes=list(d["complexes"]), notes=d["notes"])
            except ValidationError as exc:
                _apply_errors(form, exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages})
            else:
                if rnd.is_pair:
                    messages.success(request, _("Ronde gepland."))
                else:
                    messages.warning(request, _("Ronde gepland, maar zonder loopmaatje. Rondes loop je met z'n "
                                                "tweeën: voeg later nog iemand toe."))
                return redirect("rounds:detail", pk=rnd.pk)
        return _plan_page(request, form, status=400)
    return _plan_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    rnd = selectors.round_for(request.user, pk)
    if not selectors.is_owner(request.user, rnd):
        raise PermissionDenied
    form = RoundPlanForm(request.POST or None, volunteer=rnd.volunteer,
                         initial=None if request.method == "POST" else RoundPlanForm.initial_for(rnd))
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.round_update(round=rnd, planned_for=d["planned_for"], route=d["route"],
                                      partner=d["partner"], complexes=list(d["complexes"]), notes=d["notes"])
            except ValidationError as exc:
                _apply_errors(form, exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages})
            else:
                messages.success(request, _("Ronde opgeslagen."))
                return redirect("rounds:detail", pk=rnd.pk)
        return _plan_page(request, form, rnd, status=400)
    return _plan_page(request, form, rnd)


@login_required
def detail(request, pk: int):
    rnd = selectors.round_for(request.user, pk)
    is_walker = selectors.is_walker(request.user, rnd)
    response = render(request, "rounds/detail.html", {
        "round": rnd, "checks": selectors.checks_of(rnd), "reports": selectors.reports_of(rnd),
        "complexes": list(rnd.complexes.order_by("name")), "is_walker": is_walker,
        "is_owner": selectors.is_owner(request.user, rnd),
    })
    return _offline(response, request.user) if is_walker else response


def _walk_page(request, rnd, *, report_form=None, checklist_form=None, status=200):
    checks = selectors.checks_of(rnd)
    places = selectors.places_of(rnd)
    response = render(request, "rounds/walk.html", {
        "round": rnd, "checklist_form": checklist_form or ChecklistForm(rows=checks),
        "report_form": report_form or RoundReportForm(places=places), "reports": selectors.reports_of(rnd),
        "places": [{"value": p.value, "kind": p.kind, "complex": p.complex_id, "postcode": p.postcode,
                    "house_number": p.house_number, "house_letter": p.house_letter, "addition": p.addition}
                   for p in places],
        "can_ask_help": bool(orgs_with_perm(request.user, "oncall.request_help")),
        "is_owner": selectors.is_owner(request.user, rnd), "strings": walk_strings(),
        "can_file": selectors.may_file_reports(request.user, rnd), "queue_owner": selectors.queue_owner(request.user),
    }, status=status)
    return _offline(response, request.user) if status == 200 else response


def walk_strings() -> dict:
    """Texts for static/js/round-walk.js (translated here; the script has none of its own)."""
    return {
        "waiting_one": _("1 melding wacht op verbinding"),
        "waiting_many": _("{n} meldingen wachten op verbinding"),
        "changes_waiting": _("Checklist of status wacht op verbinding"),
        "attention": _("{n} melding(en) niet verstuurd: pas aan of verwijder"),
        "queued_note": _("Ze staan veilig op deze telefoon en worden vanzelf verstuurd, ook als u de pagina "
                         "opnieuw opent."),
        "state_pending": _("Wacht op verbinding"),
        "state_error": _("Niet verstuurd — pas aan of verwijder"),
        "edit": _("Aanpassen"), "delete": _("Verwijderen"),
        "confirm_delete": _("Deze melding verwijderen? Ze wordt dan niet verstuurd."),
        "sent": _("Melding {ref} is verstuurd."),
        "checks_saved": _("Checklist opgeslagen."),
        "checks_waiting": _("Checklist bewaard op deze telefoon; wordt verstuurd zodra er verbinding is."),
        "status_waiting": _("Wacht op verbinding"),
        "auth": _("U bent niet meer ingelogd. Log opnieuw in; wat wacht, blijft op deze telefoon bewaard."),
        "gps_busy": _("Locatie ophalen…"), "gps_ok": _("Locatie bepaald."),
        "gps_fail": _("Uw locatie is niet beschikbaar. Kies een adres of complex, of 'Ander adres'."),
        "need_description": _("Beschrijf kort wat er aan de hand is."),
        "need_where": _("Kies waar het is."),
        "error_status": _("Niet verstuurd (fout {status})."),
        "not_found": _("Deze ronde is niet (meer) beschikbaar voor u."),
        "round_status": dict(Round.Status.choices),
        "report_status": dict(ReportStatus.choices),
    }


@never_cache
@login_required
def walk(request, pk: int):
    return _walk_page(request, selectors.walking_round_for(request.user, pk))


@login_required
@require_POST
def change_status(request, pk: int):
    rnd = selectors.walking_round_for(request.user, pk)
    action = request.POST.get("action", "")
    if action not in ("start", "finish", "cancel") or (action == "cancel" and not selectors.is_owner(request.user, rnd)):
        messages.error(request, _("Deze actie kan niet."))
        return redirect("rounds:walk", pk=rnd.pk)
    try:
        {"start": services.round_start, "finish": services.round_finish, "cancel": services.round_cancel}[action](
            round=rnd)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("rounds:walk", pk=rnd.pk)
    messages.success(request, {"start": _("De ronde is begonnen."), "finish": _("De ronde is afgerond. Bedankt!"),
                               "cancel": _("De ronde is geannuleerd.")}[action])
    return redirect("rounds:detail" if action != "start" else "rounds:walk", pk=rnd.pk)


@login_required
@require_POST
def checklist(request, pk: int):
    rnd = selectors.walking_round_for(request.user, pk)
    form = ChecklistForm(request.POST, rows=selectors.checks_of(rnd))
    if form.is_valid():
        try:
            services.round_save_checks(round=rnd, checks=form.check_inputs())
        except ValidationError as exc:
            _apply_errors(form, exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages})
        else:
            messages.success(request, _("Checklist opgeslagen."))
            return redirect("rounds:walk", pk=rnd.pk)
    return _walk_page(request, rnd, checklist_form=form, status=400)


@login_required
@require_POST
def file_report(request, pk: int):
    """The report form without JavaScript (with it, the phone's queue posts to the API instead)."""
    rnd = selectors.walking_round_for(request.user, pk)
    if not selectors.may_file_reports(request.user, rnd):
        raise PermissionDenied
    form = RoundReportForm(request.POST, places=selectors.places_of(rnd))
    if form.is_valid():
        key = form.cleaned_data.get("idempotency_key") or None
        try:
            with transaction.atomic():
                report, _created = intake.file_report(round=rnd, actor=request.user, data=form.payload(), key=key)
        except report_services.IdempotencyConflict as exc:
            form.add_error(None, exc.messages)
        except serializers.ValidationError as exc:
            _apply_errors(form, exc.detail if isinstance(exc.detail, dict) else {None: exc.detail}, "where")
        except ValidationError as exc:
            _apply_errors(form, exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}, "where")
        else:
            messages.success(request, _("Melding %(ref)s is verstuurd.") % {"ref": report.reference})
            return redirect("rounds:walk", pk=rnd.pk)
    return _walk_page(request, rnd, report_form=form, status=400)


@require_GET
def service_worker(request):
    """The service worker of round mode, served here so that its scope is /werk/rondes/."""
    assets = [static(path) for path in SW_ASSETS]
    body = render_to_string("rounds/sw.js", {"assets_json": json.dumps(assets), "version": SW_VERSION,
                                             "scope": reverse("rounds:home"), "offline_header": OFFLINE_HEADER})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/werk/rondes/"
    return response
