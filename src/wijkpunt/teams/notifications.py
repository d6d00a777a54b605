"""Messages to the tenant who asked for a job. Always written to the outbox (sent after commit)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from wijkpunt.core.outbox import outbox_enqueue_email

SUBJECTS = {
    "aangenomen": "Uw klusaanvraag {ref} is aangenomen",
    "gepland": "Uw klus {ref} is ingepland",
    "klaar": "Uw klus {ref} is klaar",
}


def tracking_url(job) -> str:
    return settings.BASE_URL + reverse("teams_public:track", args=[job.tracking_token])


def notify_requester(job, event) -> None:
    """Tell the requester about an accepted, planned or finished job (only with an e-mail address).
    No volunteer's name goes out: the tenant hears from 'the Klusteam'."""
    if not job.requester_email or event.status not in SUBJECTS:
        return
    with translation.override("nl"):
        body = render_to_string("teams/email/update.txt", {"job": job, "event": event, "url": tracking_url(job)})
    outbox_enqueue_email(
        idempotency_key=f"teams:job:{job.pk}:event:{event.pk}",  # see retention.outbox_key_prefix
        recipient=job.requester_email,
        subject=SUBJECTS[event.status].format(ref=job.reference),
        body=body,
    )
