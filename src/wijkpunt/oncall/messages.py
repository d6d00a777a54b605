"""The text of a page (SMS and e-mail) and of the messages around it. Written to the outbox."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from wijkpunt.core.outbox import outbox_enqueue_email, outbox_enqueue_sms

from .tokens import ack_url


def page_context(page) -> dict:
    escalation = page.escalation
    help_request = escalation.help_request
    return {
        "page": page,
        "escalation": escalation,
        "report": escalation.report,
        "help": help_request,
        "map_link": help_request.map_url if help_request else "",
        "url": ack_url(page),
        "site": settings.BASE_URL,
    }


def send_page(page, user) -> list[str]:
    """Queue the page on each channel the step asks for that the person can receive.
    Returns the channels used (possibly empty when the person has neither)."""
    used = []
    with translation.override("nl"):
        context = page_context(page)
        if "sms" in page.channels and user.phone:
            body = render_to_string("oncall/page.sms.txt", context).strip()
            outbox_enqueue_sms(idempotency_key=f"page-{page.pk}-sms", recipient=user.phone, body=body)
            used.append("sms")
        if ("email" in page.channels or not used) and user.email:
            body = render_to_string("oncall/page.email.txt", context)
            subject = render_to_string("oncall/page.subject.txt", context).strip()
            outbox_enqueue_email(idempotency_key=f"page-{page.pk}-email", recipient=user.email,
                                 subject=subject, body=body)
            used.append("email")
    return used


def notify_volunteer_picked_up(help_request, escalation) -> None:
    volunteer = help_request.volunteer
    with translation.override("nl"):
        body = render_to_string("oncall/help_picked_up.txt", {"help": help_request, "escalation": escalation}).strip()
    key = f"help-{help_request.pk}-ack"
    if help_request.phone:
        outbox_enqueue_sms(idempotency_key=f"{key}-sms", recipient=help_request.phone, body=body)
    elif volunteer.email:
        outbox_enqueue_email(idempotency_key=f"{key}-email", recipient=volunteer.email,
                             subject="Uw hulpvraag is opgepakt", body=body)


def notify_exhausted(escalation) -> None:
    """Nobody acknowledged the whole chain: tell the organisation's general address."""
    organisation = escalation.organisation
    if not organisation.email:
        return
    with translation.override("nl"):
        body = render_to_string("oncall/exhausted.txt", {"escalation": escalation, "site": settings.BASE_URL})
    outbox_enqueue_email(idempotency_key=f"escalation-{escalation.pk}-exhausted", recipient=organisation.email,
                         subject=f"Niemand heeft gereageerd: {escalation.subject_label}", body=body)


def notify_gap(roster, gap) -> None:
    coordinator = roster.coordinator
    if coordinator is None or not coordinator.email:
        return
    with translation.override("nl"):
        body = render_to_string("oncall/gap_warning.txt", {"roster": roster, "gap": gap, "site": settings.BASE_URL})
    outbox_enqueue_email(
        idempotency_key=f"roster-{roster.pk}-gap-{gap.start:%Y%m%d%H%M}-{gap.end:%Y%m%d%H%M}",
        recipient=coordinator.email, subject=f"Gat in rooster {roster.name}", body=body,
    )
