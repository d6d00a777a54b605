"""Messages to reporters and partners. Always written to the outbox (sent after commit)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from wijkpunt.core.outbox import outbox_enqueue_email


def tracking_url(report) -> str:
    return settings.BASE_URL + reverse("public:track", args=[report.tracking_token])


def notify_reporter_created(report) -> None:
    if not report.reporter_email:
        return
    with translation.override("nl"):
        body = render_to_string("reports/email/created.txt", {"report": report, "url": tracking_url(report)})
    outbox_enqueue_email(
        idempotency_key=f"report-{report.pk}-created",
        recipient=report.reporter_email,
        subject=f"Uw melding {report.reference} is ontvangen",
        body=body,
    )


def notify_reporter_update(report, event) -> None:
    if not report.reporter_email:
        return
    with translation.override("nl"):
        body = render_to_string(
            "reports/email/update.txt", {"report": report, "event": event, "url": tracking_url(report)}
        )
    outbox_enqueue_email(
        idempotency_key=f"report-{report.pk}-event-{event.pk}",
        recipient=report.reporter_email,
        subject=f"Nieuws over uw melding {report.reference}",
        body=body,
    )


def notify_partner_forwarded(report, event) -> None:
    partner = report.forwarded_to
    if not partner or not partner.email:
        return
    with translation.override("nl"):
        body = render_to_string(
            "reports/email/forwarded.txt",
            {"report": report, "event": event, "url": settings.BASE_URL + reverse("staff:report", args=[report.pk])},
        )
    outbox_enqueue_email(
        idempotency_key=f"report-{report.pk}-forward-{event.pk}",
        recipient=partner.email,
        subject=f"Melding {report.reference} doorgestuurd naar {partner.name}",
        body=body,
    )


def handler_email(report) -> str:
    """Who handles the report at the corporation: the assignee, else the corporation's address."""
    if report.assignee_id and report.assignee.email and report.assignee.is_active:
        return report.assignee.email
    return report.organisation.email


def notify_handler_forward_declined(report, event, *, partner) -> None:
    recipient = handler_email(report)
    if not recipient:
        return
    with translation.override("nl"):
        body = render_to_string(
            "reports/email/forward_declined.txt",
            {"report": report, "event": event, "partner": partner,
             "url": settings.BASE_URL + reverse("staff:report", args=[report.pk])},
        )
    outbox_enqueue_email(
        idempotency_key=f"report-{report.pk}-declined-{event.pk}",
        recipient=recipient,
        subject=f"Melding {report.reference} teruggegeven door {partner.name}",
        body=body,
    )
