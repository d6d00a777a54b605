"""Case pages for working together: invite partners and their answer, consent and withdrawal,
sharing without consent, the lead, details, actions, documents and the steering-group flag.

Each handler loads the case through ``selectors.case_view`` (404 if unreachable, read logged),
checks who may do this, calls one service and redirects; a rejected form re-renders the case
with the field errors and status 400."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkpunt.core.models import Organisation

from . import participation, selectors, services, work
from .forms import (
    ActionForm,
    ActionStatusForm,
    AnswerForm,
    ConsentForm,
    DetailsForm,
    DocumentForm,
    EmergencyForm,
    InviteForm,
    LeadForm,
    LinkReportForm,
    SteeringForm,
    WithdrawForm,
)
from .models import CaseParticipant, Consent
from .views import _participating_orgs, _require_cases, action_owners, form_error, owner_view, render_case


def _done(request, pk: int, message: str):
    messages.success(request, message)
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def invite(request, pk: int):
    view = owner_view(request, pk, "Casus: partner uitnodigen")
    form = InviteForm(request.POST, organisations=Organisation.objects.filter(is_active=True).exclude(
        kind=Organisation.Kind.CORPORATION))
    if form.is_valid():
        try:
            participation.invite_participant(view.case, request.user, organisation=form.cleaned_data["organisation"],
                                             role=form.cleaned_data["role"], request=form.cleaned_data["request"])
        except ValidationError as exc:
            form_error(exc, form)
        else:
            return _done(request, pk, _("Uitnodiging verstuurd naar %(org)s.") % {
                "org": form.cleaned_data["organisation"]})
    return render_case(request, view, forms={"invite": form}, status=400)


@login_required
@require_POST
def answer(request, pk: int):
    _require_cases(request)
    view = selectors.case_view(request.user, pk, purpose="Casus: uitnodiging beantwoorden")
    if not view.access.is_invited:
        raise PermissionDenied
    form = AnswerForm(request.POST)
    accept = request.POST.get("antwoord") == "accepteren"
    if form.is_valid():
        try:
            participation.answer_invitation(view.access.participant, request.user, accept=accept,
                                            reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_error(exc, form)
        else:
            if accept:
                return _done(request, pk, _("U neemt deel aan deze casus."))
            messages.success(request, _("U hebt de uitnodiging geweigerd. De corporatie is op de hoogte."))
            return redirect("cases:list")
    return render_case(request, view, forms={"answer": form}, status=400)


@login_required
@require_POST
def end_participant(request, pk: int, participant_pk: int):
    view = owner_view(request, pk, "Casus: deelname beëindigen")
    participant = CaseParticipant.objects.filter(case=view.case, pk=participant_pk).first()
    if participant is None:
        raise Http404
    try:
        participation.end_participation(participant, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:detail", pk=pk)
    return _done(request, pk, _("Deelname van %(org)s beëindigd.") % {"org": participant.organisation})


@login_required
@require_POST
def record_consent(request, pk: int):
    view = owner_view(request, pk, "Casus: toestemming vastleggen")
    form = ConsentForm(request.POST, request.FILES, organisations=_participating_orgs(view))
    if form.is_valid():
        data = form.cleaned_data
        try:
            document = None
            if data["method"] == Consent.Method.SIGNED_FORM and data.get("form_file"):
                document = work.add_document(view.case, request.user, upload=data["form_file"],
                                             title=_("Toestemmingsformulier %(org)s") % {"org": data["organisation"]},
                                             organisation_id=view.case.organisation_id, is_consent_form=True)
            participation.record_consent(
                view.case, request.user, organisation=data["organisation"], categories=data["categories"],
                purpose=data["purpose"], given_by=data["given_by"], method=data["method"], witness=data["witness"],
                form_document=document, valid_from=data["valid_from"], valid_until=data["valid_until"],
            )
        except ValidationError as exc:
            form_error(exc, form)
            if "file" in exc.message_dict:
                form.add_error("form_file", exc.message_dict["file"])
        else:
            return _done(request, pk, _("Toestemming vastgelegd."))
    return render_case(request, view, forms={"consent": form}, status=400)


@login_required
@require_POST
def withdraw_consent(request, pk: int, consent_pk: int):
    view = owner_view(request, pk, "Casus: toestemming intrekken")
    consent = Consent.objects.filter(case=view.case, pk=consent_pk).first()
    if consent is None:
        raise Http404
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        participation.withdraw_consent(consent, request.user, note=form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:detail", pk=pk)
    return _done(request, pk, _("Toestemming ingetrokken. Dit geldt direct."))


@login_required
@require_POST
def emergency(request, pk: int):
    view = owner_view(request, pk, "Casus: delen zonder toestemming")
    accepted = Organisation.objects.filter(pk__in=[
        p.organisation_id for p in view.participants if p.status == CaseParticipant.Status.ACCEPTED])
    form = EmergencyForm(request.POST, organisations=accepted)
    if form.is_valid():
        data = form.cleaned_data
        try:
            participation.disclose_in_emergency(view.case, request.user, organisation=data["organisation"],
                                                categories=data["categories"], ground=data["ground"],
                                                reasoning=data["reasoning"], days=data["days"])
        except ValidationError as exc:
            form_error(exc, form)
        else:
            return _done(request, pk, _("Vastgelegd: gedeeld zonder toestemming. De privacy officer is ingelicht."))
    return render_case(request, view, forms={"emergency": form}, status=400)


@login_required
@require_POST
def set_lead(request, pk: int):
    view = owner_view(request, pk, "Casus: casusregisseur")
    form = LeadForm(request.POST, candidates=services.lead_candidates(view.case))
    if form.is_valid():
        try:
            services.set_lead(view.case, request.user, lead=form.cleaned_data["assigned_to"])
        except ValidationError as exc:
            form_error(exc, form)
        else:
            return _done(request, pk, _("Casusregisseur gewijzigd."))
    return render_case(request, view, forms={"lead": form}, status=400)


@login_required
@require_POST
def update_details(request, pk: int):
    view = owner_view(request, pk, "Casus: gegevens bijwerken")
    allowed = view.access.role_allows
    form = DetailsForm(request.POST, allowed_categories=allowed)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_details(view.case, request.user, allowed_categories=allowed, summary=data["summary"],
                                    care_details=data.get("care_details"), debt_details=data.get("debt_details"),
                                    case_type=data["case_type"], case_type_detail=data["case_type_detail"])
        except ValidationError as exc:
            form_error(exc, form)
        else:
            return _done(request, pk, _("Gegevens bijgewerkt."))
    return render_case(request, view, forms={"details": form}, status=400)


@login_required
@require_POST
def add_action(request, pk: int):
    _require_cases(request)
    view = selectors.case_view(request.user, pk, purpose="Casus: actie")
    if not view.access.can_write:
        raise PermissionDenied
    form = ActionForm(request.POST, organisations=action_owners(view.case, view.access))
    if form.is_valid():
        try:
            work.add_action(view.case, request.user, title=form.cleaned_data["title"],
                            owner_organisation=form.cleaned_data["owner_organisation"],
                            due_date=form.cleaned_data["due_date"])
        except ValidationError as exc:
            form_error(exc, form)
        else:
            return _done(request, pk, _("Actie toegevoegd."))
    return render_case(request, view, forms={"action": form}, status=400)


@login_required
@require_POST
def action_status(request, pk: int, action_pk: int):
    _require_cases(request)
    view = selectors.case_view(request.user, pk, purpose="Casus: actie bijwerken")
    action = next((a for a in view.actions if a.pk == action_pk), None)
    if action is None:
        raise Http404
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een geldige status."))
        return redirect("cases:detail", pk=pk)
    try:
        work.set_action_status(action, request.user, status=form.cleaned_data["status"],
                               organisation_id=view.access.organisation_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:detail", pk=pk)
    return _done(request, pk, _("Actie bijgewerkt."))


@login_required
@require_POST
def add_document(request, pk: int):
    _require_cases(request)
    view = selectors.case_view(request.user, pk, purpose="Casus: document")
    access = view.access
    if not access.can_write:
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES, allowed_categories=access.role_allows)
    if form.is_valid():
        data = form.cleaned_data
        try:
            work.add_document(view.case, request.user, upload=data["file"], title=data["title"],
                              organisation_id=access.organisation_id, category=data["category"],
                              visibility=data["visibility"], allowed_categories=access.role_allows)
        except ValidationError as exc:
            form_error(exc, form)
        else:
            return _done(request, pk, _("Document toegevoegd."))
    return render_case(request, view, forms={"document": form}, status=400)


@login_required
@require_POST
def steering(request, pk: int):
    view = owner_view(request, pk, "Casus: regiegroep")
    form = SteeringForm(request.POST)
    flag = request.POST.get("agenderen") == "1"
    if form.is_valid():
        try:
            work.flag_for_steering(view.case, request.user, flag=flag,
                                   question=form.cleaned_data["steering_question"])
        except ValidationError as exc:
            form_error(exc, form)
        else:
            return _done(request, pk, _("Geagendeerd voor de regiegroep.") if flag
                         else _("Van de agenda van de regiegroep gehaald."))
    return render_case(request, view, forms={"steering": form}, status=400)




@login_required
@require_POST
def link_report(request, pk: int):
    view = owner_view(request, pk, "Casus: melding koppelen")
    form = LinkReportForm(request.POST)
    if form.is_valid():
        try:
            services.link_report_by_reference(view.case, request.user, reference=form.cleaned_data["reference"])
        except ValidationError as exc:
            form_error(exc, form)
        else:
            return _done(request, pk, _("Melding gekoppeld."))
    return render_case(request, view, forms={"link": form}, status=400)
