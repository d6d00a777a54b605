"""Public pages: the intake form (no account), the tracking page (secret token), suggestions."""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wijkpunt.core.ratelimit import client_ip, rate_limit_hit
from wijkpunt.housing.models import Complex

from . import selectors, services
from .classification import suggest_for_text
from .forms import FeedbackForm, PublicIntakeForm
from .models import Category, Channel, Report, ReportEvent


def home(request):
    return render(request, "public/home.html")


def _form_context(form):
    return {
        "form": form,
        "map_tiles": settings.MAP_TILES_URL,
        "map_center": settings.MAP_CENTER,
        "max_photo_bytes": settings.MAX_PHOTO_BYTES,
        "complex_count": Complex.objects.count(),
    }


def _form_key(request) -> str:
    key = request.POST.get("idempotency_key", "")
    return key if key and len(key) <= 100 and key.isprintable() else ""


def wait_for_first(scoped_key: str, matches, *, seconds: float = 15.0) -> Report | None:
    """The report stored under ``scoped_key`` if ``matches`` it; when another request with the same
    key is still being handled (a double click), wait for it instead of failing on the used captcha.
    The caller must ``cache.delete(inflight_key(scoped_key))`` when done."""
    waited = 0.0
    while True:
        report = Report.objects.filter(idempotency_key=scoped_key).first()
        if report is not None:
            return report if matches(report) else None
        if cache.add(inflight_key(scoped_key), 1, timeout=60) or waited >= seconds:
            return None
        time.sleep(0.25)
        waited += 0.25


def inflight_key(scoped_key: str) -> str:
    return f"intake-inflight:{scoped_key}"


def _retried(request) -> Report | None:
    """A re-sent form (double click, flaky network): same key, same text -> the first report."""
    key = _form_key(request)
    if not key:
        return None
    description = request.POST.get("description", "").strip()
    return wait_for_first(services.scoped_key("web", key), lambda r: r.description == description)


@require_http_methods(["GET", "POST"])
def report_create(request):
    if request.method == "POST":
        try:
            return _create_from_post(request)
        finally:
            if key := _form_key(request):
                cache.delete(inflight_key(services.scoped_key("web", key)))
    return render(request, "public/report_form.html", _form_context(PublicIntakeForm()))


def _create_from_post(request):
    existing = _retried(request)
    if existing is not None:
        return redirect("public:done", token=existing.tracking_token)
    if rate_limit_hit(scope="public-intake", key=client_ip(request), limit=settings.PUBLIC_RATE_LIMIT):
        return render(request, "public/rate_limited.html", status=429)
    form = PublicIntakeForm(request.POST, request.FILES)
    if form.is_valid():
        kwargs = form.service_kwargs()
        if kwargs["idempotency_key"]:
            kwargs["idempotency_key"] = services.scoped_key("web", kwargs["idempotency_key"])
        try:
            report, _created = services.report_create(channel=Channel.WEB, **kwargs)
        except services.IdempotencyConflict:
            # sent before with other content (back button, then edited): a new report needs a new key
            form.data = form.data.copy()
            form.data["idempotency_key"] = uuid.uuid4().hex
            form.add_error(None, _("Dit formulier was al verstuurd. Controleer uw melding en verstuur hem opnieuw."))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            return redirect("public:done", token=report.tracking_token)
    return render(request, "public/report_form.html", _form_context(form), status=400)


def report_done(request, token: str):
    report = selectors.report_by_token(token)
    if report is None:
        raise Http404
    url = request.build_absolute_uri(reverse("public:track", args=[token]))
    return render(request, "public/report_done.html", {"report": report, "tracking_url": url})


@require_http_methods(["GET", "POST"])
def track(request, token: str):
    report = selectors.report_by_token(token)
    if report is None:
        raise Http404
    feedback_form = None
    if report.status == "opgelost" and report.satisfied is None:
        feedback_form = FeedbackForm(request.POST or None)
        if request.method == "POST" and feedback_form.is_valid():
            try:
                services.report_feedback(report=report, **feedback_form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Dank u wel voor uw reactie."))
            return redirect("public:track", token=token)
    elif request.method == "POST":
        messages.info(request, _("U heeft al gereageerd."))
        return redirect("public:track", token=token)
    timeline = list(selectors.report_timeline(report, public_only=True))
    oncall = [e for e in timeline if e.kind == ReportEvent.Kind.ONCALL]
    context = {
        "report": report,
        "timeline": timeline,
        "oncall_started": oncall[0] if oncall else None,
        "oncall_picked_up": next((e for e in oncall if e.data.get("acknowledged")), None),
        "feedback_form": feedback_form,
        "photos": report.attachments.all(),
    }
    return render(request, "public/track.html", context, status=400 if feedback_form and feedback_form.errors else 200)


def track_photo(request, token: str, photo_id: int):
    report = selectors.report_by_token(token)
    if report is None:
        raise Http404
    attachment = report.attachments.filter(pk=photo_id).first()
    if attachment is None:
        raise Http404
    from .views_staff import serve_attachment

    return serve_attachment(attachment)


@require_POST
def suggest(request):
    """htmx: the classifier's suggestion for the text typed so far (never blocks the form)."""
    if rate_limit_hit(scope="suggest", key=client_ip(request), limit=600):
        return HttpResponse(status=429)
    text = request.POST.get("description", "")[:5000]
    suggestion = suggest_for_text(text)
    category = Category.objects.filter(slug=suggestion.get("subcategory") or "").select_related("parent").first()
    return render(request, "public/_suggestion.html", {"s": suggestion, "category": category})
