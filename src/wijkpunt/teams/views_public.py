"""Public pages (no account): a tenant asks the Klusteam or Groenteam for a job on /klus/ and follows
it with a secret link. Spam protection as on /melden/: proof-of-work captcha (ALTCHA, single use), a
honeypot field and a rate limit per IP address. A re-sent form (same hidden key, same text) leads to
the first request instead of a second one."""

from __future__ import annotations

import re
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijkpunt.core.ratelimit import client_ip, rate_limit_hit

from . import services
from .forms import PublicJobRequestForm
from .models import JobRequest

RATE_SCOPE = "public-job-request"
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # secrets.token_urlsafe: anything else cannot exist


def _scoped(key: str) -> str:
    return f"web:{key}"


def _form_key(request) -> str:
    key = request.POST.get("idempotency_key", "")
    return key if key and len(key) <= 100 and key.isprintable() else ""


def _inflight(scoped_key: str) -> str:
    return f"job-request-inflight:{scoped_key}"


def _retried(request, *, seconds: float = 15.0) -> JobRequest | None:
    """A re-sent form (double click, flaky network): same key, same text -> the first request. When
    the first is still being handled, wait for it instead of failing on the used captcha. Compared
    in Python: the posted text is unchecked (PostgreSQL refuses a NUL character in a query)."""
    key = _form_key(request)
    if not key:
        return None
    scoped = _scoped(key)
    description = request.POST.get("description", "").strip()
    waited = 0.0
    while True:
        job = JobRequest.objects.filter(idempotency_key=scoped).first()
        if job is not None:
            return job if job.description == description else None
        if cache.add(_inflight(scoped), 1, timeout=60) or waited >= seconds:
            return None
        time.sleep(0.25)
        waited += 0.25


@require_http_methods(["GET", "POST"])
def request_job(request):
    if request.method == "GET":
        return render(request, "teams/public_form.html", {"form": PublicJobRequestForm()})
    try:
        return _create_from_post(request)
    finally:
        if key := _form_key(request):
            cache.delete(_inflight(_scoped(key)))


def _create_from_post(request):
    existing = _retried(request)
    if existing is not None:
        return redirect("teams_public:done", token=existing.tracking_token)
    if rate_limit_hit(scope=RATE_SCOPE, key=client_ip(request), limit=settings.PUBLIC_RATE_LIMIT):
        return render(request, "public/rate_limited.html", status=429)
    form = PublicJobRequestForm(request.POST)
    if form.is_valid():
        key = form.cleaned_data.get("idempotency_key") or ""
        try:
            job, _created = services.job_request_create(**form.service_kwargs(), source=JobRequest.Source.TENANT,
                                                        idempotency_key=_scoped(key) if key else None)
        except services.IdempotencyConflict:
            form.data = form.data.copy()
            form.data["idempotency_key"] = uuid.uuid4().hex
            form.add_error(None, _("Dit formulier was al verstuurd. Controleer uw aanvraag en verstuur hem opnieuw."))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("teams_public:done", token=job.tracking_token)
    return render(request, "teams/public_form.html", {"form": form}, status=400)


def _by_token(token: str) -> JobRequest:
    job = (JobRequest.objects.filter(tracking_token=token).select_related("unit", "team", "corporation").first()
           if token and TOKEN_RE.fullmatch(token) else None)
    if job is None:
        raise Http404
    return job


def masked_email(address: str) -> str:
    """``r***@example.nl``: enough for the tenant to spot a typo, nothing for whoever the link was
    forwarded to (this page has the same secret code as the tracking page)."""
    local, at, domain = (address or "").partition("@")
    return f"{local[:1]}***@{domain}" if at and local else ""


def request_done(request, token: str):
    job = _by_token(token)
    url = request.build_absolute_uri(reverse("teams_public:track", args=[token]))
    return render(request, "teams/public_done.html", {"job": job, "tracking_url": url,
                                                      "masked_email": masked_email(job.requester_email)})


def track(request, token: str):
    """Status and dates only: no volunteer's name, no requester's data, not the description (the tenant
    may have written about their health or household there, and the link may be forwarded)."""
    job = _by_token(token)
    steps = list(job.events.order_by("at", "pk").values_list("status", "at"))
    return render(request, "teams/public_track.html", {"job": job, "steps": steps,
                                                       "labels": dict(JobRequest.Status.choices)})
