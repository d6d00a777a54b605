"""Ken uw huurder (household picture), opening a case from it, and the management figures.

The picture needs ``arrears.view_financial`` (403 otherwise) and logs every household shown;
opening a case also needs ``cases.open_case`` in the household's corporation. The figures need
``arrears.view_figures`` and are aggregated (not logged)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkpunt.cases import selectors as case_selectors
from wijkpunt.cases import services as case_services
from wijkpunt.cases.forms import OpenCaseForm
from wijkpunt.cases.models import Case

from . import figures as figures_module
from . import picture
from .selectors import financial_orgs


def _attach_case_actions(user, rows: list[picture.HouseholdSignals]) -> None:
    """Per row: the open case, or the consultants to choose from (bounded queries for the whole page)."""
    open_orgs = case_selectors.open_orgs(user)
    cases = case_selectors.open_cases_for({r.organisation_id for r in rows}, [r.household.pk for r in rows])
    consultants = case_services.consultants_by_org({r.organisation_id for r in rows} & open_orgs)
    defaults = case_services.default_consultants(
        {(r.organisation_id, r.unit.neighbourhood_id) for r in rows if r.organisation_id in open_orgs}
    )
    for row in rows:
        row.open_case = cases.get((row.organisation_id, row.household.pk))
        if row.organisation_id in open_orgs:
            row.consultants = consultants.get(row.organisation_id, [])
            row.default_consultant_id = defaults.get((row.organisation_id, row.unit.neighbourhood_id))


@login_required
def household_picture(request):
    if not financial_orgs(request.user):
        raise PermissionDenied
    filters = picture.parse_filters(request.GET)
    rows = picture.household_picture(
        request.user, months=filters.months, neighbourhood_id=filters.neighbourhood_id, kinds=filters.kinds,
        purpose=picture.PURPOSE,
    )
    _attach_case_actions(request.user, rows)
    return render(request, "arrears/picture.html", {
        "rows": rows, "filters": filters, "neighbourhoods": picture.picture_neighbourhoods(request.user),
        "kinds": list(picture.KIND_LABELS.items()), "month_choices": picture.MONTH_CHOICES,
        "limited": len(rows) >= picture.MAX_ROWS, "max_rows": picture.MAX_ROWS,
        "can_view_cases": case_selectors.work_orgs(request.user),
        "can_open_cases": case_selectors.open_orgs(request.user),
    })


@login_required
@require_POST
def open_case(request, household_pk: int):
    """One click from a row: open a case for the consultant, or show the one that is already open."""
    user = request.user
    if not financial_orgs(user) & case_selectors.open_orgs(user):
        raise PermissionDenied
    tenancy = picture.current_tenancy(user, household_pk)
    org_id = tenancy.unit.corporation_id
    if org_id not in case_selectors.open_orgs(user):
        raise PermissionDenied
    household = tenancy.household
    existing = Case.objects.filter(organisation_id=org_id, household=household, status=Case.Status.OPEN).first()
    if existing is not None:
        return _show_existing(request, existing)
    months = picture.parse_filters(request.POST).months
    row = picture.household_signals(user, tenancy, months=months)
    if row is None:
        messages.warning(request, _("Bij dit huishouden komen de signalen niet (meer) samen; er is geen casus "
                                    "geopend."))
        return redirect("arrears:picture")
    form = OpenCaseForm(request.POST, consultants=case_services.consultants([org_id]))
    if form.is_valid():
        try:
            case, created = case_services.open_case(
                organisation_id=org_id, household=household, unit=tenancy.unit, reasons=row.reasons,
                assigned_to=form.cleaned_data["assigned_to"], opened_by=user,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            if not created:
                return _show_existing(request, case)
            messages.success(request, _("Casus geopend voor %(household)s en toegewezen aan %(name)s.")
                             % {"household": household.name, "name": case.assigned_to})
            if not case.assigned_to.email:
                messages.warning(request, _("%(name)s heeft geen e-mailadres: laat het zelf even weten.")
                                 % {"name": case.assigned_to})
            if org_id in case_selectors.work_orgs(user):
                return redirect("cases:detail", pk=case.pk)
            return redirect("arrears:picture")
    return render(request, "cases/open_case.html", {
        "form": form, "household": household, "unit": tenancy.unit, "months": months,
    }, status=400)


def _show_existing(request, case: Case):
    messages.info(request, _("Er loopt al een casus voor dit huishouden (sinds %(date)s, wijkconsulent %(name)s); "
                             "er is geen tweede geopend.")
                  % {"date": timezone.localtime(case.created_at).strftime("%d-%m-%Y"),
                     "name": case.assigned_to or "—"})
    if case.organisation_id in case_selectors.work_orgs(request.user):
        return redirect("cases:detail", pk=case.pk)
    return redirect("arrears:picture")


@login_required
def figures(request):
    if not figures_module.figure_orgs(request.user):
        raise PermissionDenied
    months = figures_module.parse_months(request.GET.get("maanden"))
    data = figures_module.arrears_figures(request.user, months=months)
    if request.GET.get("formaat") == "csv":
        response = HttpResponse(figures_module.figures_csv(data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="huurachterstand-cijfers-{data["start"]:%Y-%m}-{data["end"]:%Y-%m}.csv"'
        )
        return response
    return render(request, "arrears/figures.html", {
        **data, "months_shown": months, "month_choices": picture.MONTH_CHOICES,
        "serious_months": figures_module.SERIOUS_MONTHS_OF_RENT,
    })
