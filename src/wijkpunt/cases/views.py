"""Case pages, under /werk/casussen/ in the "cases" namespace.

Case workers (``cases.work_on_cases``) and partner professionals (``cases.take_part``) use the
same pages; ``selectors.case_view`` decides what each sees (policy.py) and logs the read. Without
either permission: 403. A case you cannot reach: 404. Writes go through the services; a rejected
form re-renders the case with the error (status 400). The forms for partners, consent, actions
and documents are in ``views_collab.py``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkpunt.core.models import Organisation
from wijkpunt.core.permissions import has_org_perm
from wijkpunt.housing.models import Complex

from . import selectors, services
from .forms import (
    ActionForm,
    AnswerForm,
    CloseForm,
    ConsentForm,
    DetailsForm,
    DocumentForm,
    EmergencyForm,
    InviteForm,
    LeadForm,
    LinkReportForm,
    NoteDetailsForm,
    OpenManualForm,
    SteeringForm,
)
from .models import EMERGENCY_SHARE, Case, CaseParticipant
from .work import action_organisations


def _require_cases(request) -> None:
    if not selectors.can_use_cases(request.user):
        raise PermissionDenied


@login_required
def case_list(request):
    _require_cases(request)
    status = request.GET.get("status", "open")
    if status not in selectors.STATUS_FILTERS:
        status = "open"
    mine = request.GET.get("mijn") == "1"
    cases = selectors.case_list(request.user, status=status, mine=mine) if selectors.work_orgs(request.user) else []
    partner_rows = selectors.partner_case_list(request.user, status=status)
    return render(request, "cases/list.html", {
        "cases": cases, "partner_rows": partner_rows, "status": status, "mine": mine,
        "show_org": len({c.organisation_id for c in cases}) > 1,
        "can_open": bool(selectors.work_orgs(request.user)),
    })


def _participating_orgs(view):
    return Organisation.objects.filter(
        pk__in=[p.organisation_id for p in view.participants
                if p.status in (CaseParticipant.Status.INVITED, CaseParticipant.Status.ACCEPTED)]
    )


def action_owners(case, access):
    """Who can own an action, as far as this person may know who takes part."""
    return [o for o in action_organisations(case) if access.sees_organisation(o)]


def render_case(request, view, *, forms=None, status=200):
    """The case page for this person; ``forms`` overrides the blank forms with bound ones."""
    case, access = view.case, view.access
    forms = forms or {}
    context = {"view": view, "case": case, "access": access, "forms": forms}
    if case.is_open and access.can_write:
        context["note_form"] = forms.get("note") or NoteDetailsForm(allowed_categories=access.role_allows)
        context["document_form"] = forms.get("document") or DocumentForm(allowed_categories=access.role_allows)
    if case.is_open and access.is_invited:
        context["answer_form"] = forms.get("answer") or AnswerForm()
    if access.is_owner:
        org_ids = [case.organisation_id, *[p.organisation_id for p in view.participants]]
        context["can_emergency"] = has_org_perm(request.user, EMERGENCY_SHARE, case.organisation_id)
        if case.is_open:
            accepted = Organisation.objects.filter(pk__in=[
                p.organisation_id for p in view.participants if p.status == CaseParticipant.Status.ACCEPTED])
            context.update({
                "close_form": forms.get("close") or CloseForm(),
                "details_form": forms.get("details") or DetailsForm(
                    allowed_categories=access.role_allows,
                    initial={"case_type": case.case_type, "case_type_detail": case.case_type_detail,
                             "summary": case.summary, "care_details": case.care_details,
                             "debt_details": case.debt_details}),
                "lead_form": forms.get("lead") or LeadForm(candidates=services.lead_candidates(case),
                                                           initial={"assigned_to": case.assigned_to_id}),
                "invite_form": forms.get("invite") or InviteForm(organisations=Organisation.objects.filter(
                    is_active=True).exclude(kind=Organisation.Kind.CORPORATION).exclude(pk__in=org_ids)),
                "consent_form": forms.get("consent") or ConsentForm(
                    organisations=_participating_orgs(view),
                    initial={"valid_from": timezone.localdate(), "categories": ["situatie"]}),
                "emergency_form": forms.get("emergency") or EmergencyForm(organisations=accepted),
                "action_form": forms.get("action") or ActionForm(organisations=action_owners(case, access)),
                "link_form": forms.get("link") or LinkReportForm(),
                "steering_form": forms.get("steering") or SteeringForm(
                    initial={"steering_question": case.steering_question}),
            })
    elif access.can_write and case.is_open:
        context["action_form"] = forms.get("action") or ActionForm(organisations=action_owners(case, access))
    return render(request, "cases/detail.html", context, status=status)


@login_required
def case_detail(request, pk: int):
    _require_cases(request)
    view = selectors.case_view(request.user, pk, purpose="Casus")
    return render_case(request, view)


def form_error(exc: ValidationError, form) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_POST
def add_note(request, pk: int):
    _require_cases(request)
    view = selectors.case_view(request.user, pk, purpose="Casus: notitie")
    access = view.access
    if not access.can_write:
        raise PermissionDenied
    form = NoteDetailsForm(request.POST, allowed_categories=access.role_allows)
    if form.is_valid():
        try:
            services.add_note(view.case, request.user, text=form.cleaned_data["text"],
                              organisation_id=access.organisation_id, category=form.cleaned_data["category"],
                              visibility=form.cleaned_data["visibility"], allowed_categories=access.role_allows)
        except ValidationError as exc:
            form_error(exc, form)
        else:
            messages.success(request, _("Notitie toegevoegd."))
            return redirect("cases:detail", pk=pk)
    return render_case(request, view, forms={"note": form}, status=400)


def owner_view(request, pk: int, purpose: str):
    """The case for a write only the owning corporation's case workers may do."""
    _require_cases(request)
    view = selectors.case_view(request.user, pk, purpose=purpose)
    if not view.access.is_owner:
        raise PermissionDenied
    return view


@login_required
@require_POST
def close_case(request, pk: int):
    view = owner_view(request, pk, "Casus: afsluiten")
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_case(view.case, request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form_error(exc, form)
        else:
            messages.success(request, _("Casus afgesloten."))
            return redirect("cases:detail", pk=pk)
    return render_case(request, view, forms={"close": form}, status=400)


@login_required
def document_download(request, pk: int, doc_pk: int):
    _require_cases(request)
    document, _access = selectors.document_for(request.user, pk, doc_pk)
    response = FileResponse(document.file.open("rb"), content_type=document.content_type,
                            as_attachment=document.content_type == "application/pdf",
                            filename=f"{document.title[:60] or 'document'}{_ext(document.content_type)}")
    response["Cache-Control"] = "private, no-store"
    return response


def _ext(content_type: str) -> str:
    return {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}.get(content_type, "")


# --- opening a case by hand or from a report ------------------------------------------------------

def _open_form(request, org_id: int, data=None, initial=None):
    return OpenManualForm(
        data, initial=initial, organisation_id=org_id,
        complexes=Complex.objects.filter(corporation_id=org_id).order_by("name"),
        consultants=services.consultants([org_id]),
    )


@login_required
def open_manual(request):
    orgs = sorted(selectors.work_orgs(request.user) & selectors.open_orgs(request.user))
    if not orgs:
        raise PermissionDenied
    org_id = orgs[0]
    report = None
    initial = {"assigned_to": request.user.pk if services.consultants([org_id]).filter(
        pk=request.user.pk).exists() else None}
    report_id = request.GET.get("melding") or request.POST.get("melding")
    if report_id:
        from wijkpunt.reports.selectors import report_for_user

        report = report_for_user(request.user, int(report_id)) if str(report_id).isdecimal() and \
            str(report_id).isascii() and len(str(report_id)) < 12 else None
        if report is None or report.organisation_id not in orgs:
            raise PermissionDenied
        org_id = report.organisation_id
        household = services.current_household(report.unit) if report.unit_id else None
        kind = "household" if household else ("unit" if report.unit_id else "complex")
        unit = report.unit
        initial.update({"title": f"{report.category or ''} — {report.location_display}".strip(" —")[:300],
                        "subject_kind": kind, "complex": report.complex_id, "case_type": "SOC",
                        "postcode": unit.postcode if unit else "",
                        "house_number": (f"{unit.house_number}{unit.house_letter}"
                                         + (f"-{unit.house_number_addition}" if unit.house_number_addition else ""))
                        if unit else "",
                        "summary": report.description[:2000]})
    if request.method == "POST":
        form = _open_form(request, org_id, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            kind = data["subject_kind"]
            try:
                case = services.open_case_manual(
                    organisation_id=org_id, opened_by=request.user, title=data["title"],
                    case_type=data["case_type"], case_type_detail=data["case_type_detail"] or "",
                    household=data["household"] if kind == "household" else None,
                    unit=data["unit"] if kind in ("household", "unit") else None,
                    complex=data["complex"] if kind == "complex" else None,
                    summary=data["summary"], assigned_to=data["assigned_to"],
                    source=Case.Source.REPORT if report else Case.Source.MANUAL, report=report,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else "subject_kind", errors)
            else:
                messages.success(request, _("Casus %(ref)s geopend.") % {"ref": case.reference})
                return redirect("cases:detail", pk=case.pk)
        return render(request, "cases/open_manual.html", {"form": form, "report": report}, status=400)
    return render(request, "cases/open_manual.html", {"form": _open_form(request, org_id, initial=initial),
                                                      "report": report})
