"""Consultation pages under /werk/raadplegingen/ (namespace "consultation"), see docs/consultation.md.

Thin: who may do what is in ``selectors`` (403 without any consultation permission, 404 for another
corporation's consultation, 403 for a permission the user lacks in this one); writes go through
``services``; rejected input re-renders the page with field errors (status 400).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wijkpunt.core.forms import apply_service_errors
from wijkpunt.core.models import Organisation

from . import letters, selectors, services, visits
from .forms import ConsultationEditForm, ConsultationForm, DecisionForm, QuestionForm, VisitForm
from .models import RESULTS, RUN, VISIT, Consultation, Outcome, Question


def _get(request, pk: int, perm: str | None = None) -> Consultation:
    consultation = selectors.consultation_for(request.user, pk)
    if perm:
        selectors.require(request.user, perm, consultation)
    return consultation


@login_required
def home(request):
    selectors.require_any(request.user)
    return render(request, "consultation/home.html", {
        "consultations": selectors.consultation_list(request.user),
        "can_create": bool(selectors.orgs_with_perm(request.user, RUN)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    org_ids = selectors.orgs_with_perm(request.user, RUN)
    if not org_ids:
        raise PermissionDenied
    today = timezone.localdate()
    form = ConsultationForm(request.POST or None, corporation_ids=org_ids,
                            initial={"starts_on": today, "ends_on": today + timezone.timedelta(days=42)})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                consultation = services.consultation_create(
                    corporation=Organisation.objects.get(pk=data["complex"].corporation_id), complex=data["complex"],
                    title=data["title"], description=data["description"], starts_on=data["starts_on"],
                    ends_on=data["ends_on"], streets=data["streets"], actor=request.user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Raadpleging aangemaakt met %(n)s adressen. Voeg nu de vragen toe.")
                                 % {"n": consultation.addresses.count()})
                return redirect("consultation:detail", pk=consultation.pk)
        return render(request, "consultation/form.html", {"form": form}, status=400)
    return render(request, "consultation/form.html", {"form": form})


def _detail_page(request, consultation, *, question_form=None, status=200):
    user = request.user
    questions = selectors.questions_of(consultation)
    decisions = services.decisions_by_street(consultation)
    streets = [{"name": s, "decision": decisions.get(s)} for s in selectors.streets_of(consultation)]
    return render(request, "consultation/detail.html", {
        "consultation": consultation, "questions": questions, "streets": streets,
        "address_count": consultation.addresses.count(),
        "can_run": selectors.can(user, RUN, consultation), "can_visit": selectors.can(user, VISIT, consultation),
        "can_results": selectors.can(user, RESULTS, consultation),
        "question_form": question_form or QuestionForm(initial={"kind": Question.Kind.CHOICE, "required": True}),
        "public_url": reverse("consultation_public:results", kwargs={"slug": consultation.slug}),
    }, status=status)


@login_required
def detail(request, pk: int):
    return _detail_page(request, _get(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    consultation = _get(request, pk, RUN)
    form = ConsultationEditForm(request.POST or None, initial={
        "title": consultation.title, "description": consultation.description,
        "starts_on": consultation.starts_on, "ends_on": consultation.ends_on})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.consultation_update(consultation=consultation, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Raadpleging opgeslagen."))
                return redirect("consultation:detail", pk=consultation.pk)
        return render(request, "consultation/form.html", {"form": form, "consultation": consultation}, status=400)
    return render(request, "consultation/form.html", {"form": form, "consultation": consultation})


def _question_kwargs(data) -> dict:
    return {"kind": data["kind"], "text": data["text"], "options": services.options_from_text(data["options"]),
            "required": data["required"], "scale_min": data["scale_min"], "scale_max": data["scale_max"],
            "scale_min_label": data["scale_min_label"], "scale_max_label": data["scale_max_label"]}


@login_required
@require_POST
def question_add(request, pk: int):
    consultation = _get(request, pk, RUN)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(consultation=consultation, **_question_kwargs(form.cleaned_data))
        except ValidationError as exc:
            apply_service_errors(form, exc, "text")
        else:
            messages.success(request, _("Vraag toegevoegd."))
            return redirect(f"{reverse('consultation:detail', kwargs={'pk': pk})}#vragen")
    return _detail_page(request, consultation, question_form=form, status=400)


def _question(consultation, question_pk: int) -> Question:
    question = consultation.questions.filter(pk=question_pk).first() if 0 < question_pk < selectors.MAX_ID else None
    if question is None:
        raise Http404
    return question


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk: int, question_pk: int):
    consultation = _get(request, pk, RUN)
    question = _question(consultation, question_pk)
    form = QuestionForm(request.POST or None, initial={
        "kind": question.kind, "text": question.text, "required": question.required,
        "options": "\n".join(o.label for o in question.options.all()), "scale_min": question.scale_min,
        "scale_max": question.scale_max, "scale_min_label": question.scale_min_label,
        "scale_max_label": question.scale_max_label})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.question_update(question=question, **_question_kwargs(form.cleaned_data))
            except ValidationError as exc:
                apply_service_errors(form, exc, "text")
            else:
                messages.success(request, _("Vraag opgeslagen."))
                return redirect(f"{reverse('consultation:detail', kwargs={'pk': pk})}#vragen")
        status = 400
    else:
        status = 200
    return render(request, "consultation/question_form.html",
                  {"form": form, "consultation": consultation, "question": question}, status=status)


@login_required
@require_POST
def question_action(request, pk: int, question_pk: int, action: str):
    consultation = _get(request, pk, RUN)
    question = _question(consultation, question_pk)
    try:
        if action == "verwijderen":
            services.question_delete(question=question)
        elif action in ("omhoog", "omlaag"):
            services.question_move(question=question, up=action == "omhoog")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _detail_page(request, consultation, status=400)
    return redirect(f"{reverse('consultation:detail', kwargs={'pk': pk})}#vragen")


@login_required
@require_POST
def transition(request, pk: int, action: str):
    consultation = _get(request, pk, RUN)
    steps = {"openen": (services.consultation_open, _("De raadpleging is open: de huisbezoeken kunnen beginnen.")),
             "sluiten": (services.consultation_close, _("De raadpleging is gesloten.")),
             "publiceren": (services.consultation_publish, _("De uitslag staat op de openbare pagina."))}
    if action not in steps:
        raise Http404
    service, done = steps[action]
    try:
        service(consultation=consultation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _detail_page(request, consultation, status=400)
    messages.success(request, done)
    return redirect("consultation:detail", pk=consultation.pk)


# --------------------------------------------------------------------------- door to door


@login_required
def visit_list(request, pk: int):
    consultation = _get(request, pk, VISIT)
    rows = selectors.address_rows(consultation)
    todo = request.GET.get("toon") == "te-doen"
    counts = {"total": len(rows), "todo": sum(r.state in ("niet-bezocht", "niet-thuis") for r in rows)}
    if todo:
        rows = [r for r in rows if r.state in ("niet-bezocht", "niet-thuis")]
    streets: dict[str, list] = {}
    for row in rows:
        streets.setdefault(row.address.street, []).append(row)
    return render(request, "consultation/visits.html", {
        "consultation": consultation, "streets": streets, "todo": todo, "counts": counts})


def _visit_page(request, consultation, address, form, status=200):
    history = selectors.address_history(request.user, consultation, address)
    return render(request, "consultation/visit_form.html", {
        "consultation": consultation, "address": address, "form": form, "history": history,
        "answered_value": Outcome.ANSWERED, "can_run": selectors.can(request.user, RUN, consultation),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def visit(request, pk: int, address_pk: int):
    consultation = _get(request, pk, VISIT)
    address = selectors.address_for(consultation, address_pk)
    questions = selectors.questions_of(consultation)
    form = VisitForm(request.POST or None, questions=questions)
    if request.method == "POST":
        if not consultation.is_open:
            form.add_error(None, _("Deze raadpleging is niet open: er kunnen geen bezoeken bij."))
        elif form.is_valid():
            data = form.cleaned_data
            answered = data["outcome"] == Outcome.ANSWERED
            try:
                visits.visit_record(
                    consultation=consultation, address=address, actor=request.user, outcome=data["outcome"],
                    answers=form.answers() if answered else {}, remarks=data["remarks"],
                    housing_wish=data["housing_wish"] if answered else "",
                    housing_wish_note=data["housing_wish_note"] if answered else "")
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("%(address)s: %(outcome)s vastgelegd.") % {
                    "address": address.label, "outcome": Outcome(data["outcome"]).label})
                return redirect(f"{reverse('consultation:visits', kwargs={'pk': pk})}#adres-{address.pk}")
        return _visit_page(request, consultation, address, form, status=400)
    return _visit_page(request, consultation, address, form)


# --------------------------------------------------------------------------- results and decisions


@login_required
def results(request, pk: int):
    consultation = _get(request, pk, RESULTS)
    data, include_text = selectors.results_page(request.user, consultation)
    decisions = services.decisions_by_street(consultation)
    for row in data["streets"]:
        row["decision"] = decisions.get(row["street"])
    return render(request, "consultation/results.html", {
        "consultation": consultation, "results": data, "include_text": include_text,
        "can_run": selectors.can(request.user, RUN, consultation),
        "can_visit": selectors.can(request.user, VISIT, consultation),
    })


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk: int):
    consultation = _get(request, pk, RUN)
    decided = services.decisions_by_street(consultation)
    open_streets = [s for s in selectors.streets_of(consultation) if s not in decided]
    form = DecisionForm(request.POST or None, streets=open_streets,
                        initial={"street": request.GET.get("straat", "")})
    data = selectors.results_for(consultation, include_text=False)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.street_decide(consultation=consultation, actor=request.user, results=data,
                                       **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Besluit voor %(street)s vastgelegd.") % {"street": form.cleaned_data["street"]})
                return redirect(f"{reverse('consultation:results', kwargs={'pk': pk})}#straat-{form.cleaned_data['street']}")
        status = 400
    else:
        status = 200
    street = form.data.get("street") if form.is_bound else request.GET.get("straat", "")
    row = next((r for r in data["streets"] if r["street"] == street), None)
    return render(request, "consultation/decide.html", {
        "consultation": consultation, "form": form, "row": row, "open_streets": open_streets,
        "threshold": data["threshold"]}, status=status)


@login_required
def housing_wishes(request, pk: int):
    consultation = _get(request, pk)
    if not (selectors.can(request.user, RUN, consultation) or selectors.can(request.user, VISIT, consultation)):
        raise PermissionDenied
    return render(request, "consultation/housing_wishes.html", {
        "consultation": consultation, "wishes": selectors.housing_wishes(request.user, consultation)})


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def letter(request, pk: int, address_pk: int):
    consultation = _get(request, pk, RUN)
    address = selectors.address_for(consultation, address_pk)
    decision = consultation.decisions.filter(street=address.street).first()
    if decision is None:
        raise Http404
    return _pdf(letters.address_letter_pdf(consultation, address, decision),
                f"brief-{consultation.slug}-{address.pk}.pdf")


@login_required
def street_letters(request, pk: int):
    consultation = _get(request, pk, RUN)
    decision = consultation.decisions.filter(street=request.GET.get("straat", "")).first()
    if decision is None:
        raise Http404
    return _pdf(letters.street_letters_pdf(consultation, decision),
                f"brieven-{consultation.slug}-{decision.pk}.pdf")


# --------------------------------------------------------------------------- public


def public_results(request, slug: str):
    consultation = selectors.public_consultation(slug)
    return render(request, "consultation/public.html", {
        "consultation": consultation, "results": selectors.public_page(consultation)})
