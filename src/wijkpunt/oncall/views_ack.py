"""The acknowledge link in a page: works on a phone without logging in.

GET only shows what the page is about (link previewers in mail and chat apps fetch links and
must not acknowledge anything); the button POSTs. After acknowledging, the same person decides
in one more step, carried by a short-lived signed token in the form."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import services
from .models import Escalation
from .tokens import AckLinkError, page_from_token

DECIDE_SALT = "wijkpunt.oncall.decide"
DECISIONS = ("genomen", "teruggegeven", "doorgeven")


def _decision_token(page) -> str:
    return signing.dumps({"p": page.pk, "e": page.escalation_id, "u": page.recipient_id}, salt=DECIDE_SALT)


def _render(request, template: str, context: dict, status: int = 200):
    response = render(request, template, context, status=status)
    response["Referrer-Policy"] = "same-origin"  # the link is a secret: never leak it to other sites
    response["X-Robots-Tag"] = "noindex"
    return response


def _link_error(request, error: AckLinkError):
    status = {"forged": 404, "expired": 410, "used": 410}[error.kind]
    escalation = error.page.escalation if error.page is not None else None
    return _render(request, "oncall/ack_error.html", {"kind": error.kind, "escalation": escalation}, status)


@never_cache
@require_http_methods(["GET", "POST"])
def acknowledge(request, token: str):
    if request.method == "POST" and request.POST.get("stap") == "besluit":
        return _decide(request, token)
    try:
        page = page_from_token(token)
    except AckLinkError as error:
        return _link_error(request, error)
    escalation = page.escalation
    context = {"page": page, "escalation": escalation, "report": escalation.report, "help": escalation.help_request}
    if request.method == "GET":
        return _render(request, "oncall/ack.html", context)
    try:
        won = services.page_acknowledge(page=page)
    except ValidationError:
        return _link_error(request, AckLinkError("used", page))
    escalation.refresh_from_db()
    context.update(escalation=escalation, won=won)
    if won:
        context["decision_token"] = _decision_token(page)
        context["can_pass_on"] = escalation.next_step < len(escalation.chain)
    return _render(request, "oncall/ack_done.html", context, status=200 if won else 409)


def _decide(request, token: str):
    try:
        page = page_from_token(token, allow_used=True)
        data = signing.loads(request.POST.get("besluit_token", ""), salt=DECIDE_SALT,
                             max_age=services.ack_link_ttl())
        if data != {"p": page.pk, "e": page.escalation_id, "u": page.recipient_id}:
            raise signing.BadSignature
    except AckLinkError as error:
        return _link_error(request, error)
    except signing.BadSignature:
        return _link_error(request, AckLinkError("forged"))
    escalation = Escalation.objects.select_related("report", "help_request").get(pk=page.escalation_id)
    decision = request.POST.get("besluit", "")
    context = {"page": page, "escalation": escalation, "report": escalation.report, "help": escalation.help_request,
               "won": True, "decision_token": request.POST.get("besluit_token"),
               "can_pass_on": escalation.next_step < len(escalation.chain)}
    if decision not in DECISIONS:
        context["error"] = _("Kies wat u met de melding doet.")
        return _render(request, "oncall/ack_done.html", context, status=400)
    try:
        escalation = services.escalation_decide(escalation=escalation, user=page.recipient, decision=decision,
                                                note=request.POST.get("notitie", "")[:1000])
    except (ValidationError, services.NotAllowed) as exc:
        context["error"] = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return _render(request, "oncall/ack_done.html", context, status=400)
    context.update(escalation=escalation, decided=decision, now=timezone.now())
    return _render(request, "oncall/ack_decided.html", context)
