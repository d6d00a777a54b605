"""Privacy pages under /werk/privacy/ (namespace "privacy").

- retention rules per case type and legal holds: ``cases.manage_retention`` in the organisation;
- access requests (inzageverzoek): ``cases.answer_access_request`` in the household's corporation.

Without the permission anywhere: 403. Something of another organisation: 404 (or "niet gevonden"
on the form field). Bad input: the form again with Dutch field messages, status 400, nothing saved.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkpunt.cases.models import MANAGE_RETENTION, Case, CaseType, RetentionRule
from wijkpunt.core.models import Organisation
from wijkpunt.core.permissions import orgs_with_perm

from . import selectors, services
from .forms import HouseholdSearchForm, LegalHoldForm, RetentionRuleForm


def _orgs(request, perm: str) -> list[Organisation]:
    ids = orgs_with_perm(request.user, perm)
    if not ids:
        raise PermissionDenied
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def _chosen_org(request, orgs: list[Organisation]) -> Organisation:
    wanted = request.GET.get("organisatie") or request.POST.get("organisatie") or ""
    for org in orgs:
        if str(org.pk) == wanted:
            return org
    if wanted:
        raise Http404
    return orgs[0]


# --------------------------------------------------------------------------- overview: rules and holds


@login_required
def index(request):
    if not orgs_with_perm(request.user, MANAGE_RETENTION):
        if selectors.access_request_orgs(request.user):
            return redirect("privacy:access_request")
        raise PermissionDenied
    return _index(request, LegalHoldForm(), status=200)


def _index(request, hold_form: LegalHoldForm, *, status: int, hold_action: str = "set"):
    orgs = _orgs(request, MANAGE_RETENTION)
    org = _chosen_org(request, orgs)
    rules = {r.case_type: r for r in RetentionRule.objects.filter(organisation=org)}
    rows = [{"case_type": value, "label": label, "rule": rules.get(value)} for value, label in CaseType.choices]
    held = Case.objects.filter(organisation=org, legal_hold=True).order_by("pk")
    return render(request, "privacy/index.html", {
        "organisations": orgs, "organisation": org, "rows": rows, "default_days": settings.CASE_RETENTION_DAYS,
        "held_cases": held, "hold_form": hold_form, "hold_action": hold_action,
        "can_answer_access_requests": bool(selectors.access_request_orgs(request.user)),
    }, status=status)


@login_required
def rule_edit(request, organisation_id: int, case_type: str):
    orgs = _orgs(request, MANAGE_RETENTION)
    org = next((o for o in orgs if o.pk == organisation_id), None)
    if org is None or case_type not in CaseType.values:
        raise Http404
    rule = RetentionRule.objects.filter(organisation=org, case_type=case_type).first()
    initial = ({"days_after_closing": rule.days_after_closing, "action": rule.action} if rule else
               {"days_after_closing": settings.CASE_RETENTION_DAYS, "action": RetentionRule.Action.ANONYMISE})
    form = RetentionRuleForm(request.POST or None, initial=initial)
    back = reverse("privacy:index") + f"?organisatie={org.pk}"
    if request.method == "POST":
        if request.POST.get("standaard") == "1":
            services.remove_retention_rule(organisation_id=org.pk, case_type=case_type)
            messages.success(request, _("Voor dit zaaktype geldt weer de standaardtermijn."))
            return redirect(back)
        if form.is_valid():
            try:
                services.save_retention_rule(organisation_id=org.pk, case_type=case_type,
                                             days=form.cleaned_data["days_after_closing"],
                                             action=form.cleaned_data["action"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Bewaartermijn opgeslagen."))
                return redirect(back)
    return render(request, "privacy/rule_form.html", {
        "form": form, "organisation": org, "case_type_label": CaseType(case_type).label, "rule": rule,
        "default_days": settings.CASE_RETENTION_DAYS, "back": back,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def legal_hold(request):
    """Set (``actie=instellen``) or lift (``actie=opheffen``) a legal hold on a case of the organisation."""
    orgs = _orgs(request, MANAGE_RETENTION)
    hold = request.POST.get("actie", "instellen") != "opheffen"
    form = LegalHoldForm(request.POST)
    if form.is_valid():
        case = Case.objects.filter(pk=form.cleaned_data["case"], organisation_id__in=[o.pk for o in orgs]).first()
        if case is None:
            form.add_error("case", _("Casus niet gevonden in uw organisatie."))
        else:
            try:
                services.set_legal_hold(case, request.user, hold=hold, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else "case", errors)
            else:
                messages.success(request, (_("Bewaarplicht ingesteld op %(ref)s.") if hold else
                                           _("Bewaarplicht op %(ref)s opgeheven.")) % {"ref": case.reference})
                return redirect(reverse("privacy:index") + f"?organisatie={case.organisation_id}")
    return _index(request, form, status=400, hold_action="set" if hold else "lift")


# --------------------------------------------------------------------------- access requests


@login_required
def access_request(request):
    _orgs(request, selectors.ANSWER_ACCESS_REQUEST)
    results, form = None, HouseholdSearchForm()
    status = 200
    if request.GET:
        form = HouseholdSearchForm(request.GET)
        if form.is_valid():
            data = form.cleaned_data
            results = selectors.find_households(
                request.user, contract_number=data["contract_number"], postcode=data["postcode"],
                house_number=data["house_number"], house_letter=data["house_letter"],
                house_number_addition=data["house_number_addition"],
            )
        else:
            status = 400
    return render(request, "privacy/access_request.html", {"form": form, "results": results}, status=status)


@login_required
def access_request_export(request, household_id: int):
    _orgs(request, selectors.ANSWER_ACCESS_REQUEST)
    fmt = request.GET.get("formaat", "html")
    if fmt not in ("html", "json"):
        raise Http404
    for_resident = fmt == "json" or request.GET.get("voor") == "bewoner"
    purpose = ("Inzageverzoek (AVG art. 15): " + ("download JSON" if fmt == "json" else
                                                   "kopie voor bewoner" if for_resident else "overzicht FG"))
    export = selectors.household_export(request.user, household_id, purpose=purpose, staff_names=not for_resident)
    if fmt == "json":
        body = json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        name = f"inzageverzoek-{household_id}-{timezone.localdate().isoformat()}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response
    response = render(request, "privacy/export.html", {
        "export": export, "household_id": household_id, "for_resident": for_resident,
    })
    response["Cache-Control"] = "no-store"
    return response
