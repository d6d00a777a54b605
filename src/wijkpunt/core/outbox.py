"""The outbox (guarantee 3): side effects are rows written in the caller's transaction and
delivered after commit by the worker, with retries. Delivery is at-least-once towards the provider;
the idempotency key travels with the message (Message-ID for e-mail, the reference for SMS) so a
receiving system can drop a repeat. How a message leaves is the channel's business (``core.channels``)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .channels import ChannelError, get_channel
from .models import OutboxMessage

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def stale_claim() -> dt.timedelta:
    """How long a message may stay SENDING before another worker takes it over (a crashed worker)."""
    return dt.timedelta(seconds=settings.OUTBOX_STALE_CLAIM_SECONDS)


def outbox_enqueue_email(*, idempotency_key: str, recipient: str, subject: str, body: str) -> OutboxMessage:
    """Write an e-mail to the outbox inside the current transaction; deliver after commit."""
    return _enqueue("email", idempotency_key=idempotency_key, recipient=recipient, subject=subject, body=body)


def outbox_enqueue_sms(*, idempotency_key: str, recipient: str, body: str, subject: str = "") -> OutboxMessage:
    """Write an SMS to the outbox inside the current transaction; deliver after commit.

    ``recipient`` is a phone number (stored in E.164 when valid; an invalid one fails at delivery,
    visibly, without retries). ``subject`` is only a label for the admin; it is not sent."""
    from .channels.sms import normalise_number

    try:
        recipient = normalise_number(recipient)
    except ChannelError:
        recipient = (recipient or "").strip()
    return _enqueue("sms", idempotency_key=idempotency_key, recipient=recipient, subject=subject, body=body)


def _enqueue(channel: str, *, idempotency_key: str, recipient: str, subject: str, body: str) -> OutboxMessage:
    message, created = OutboxMessage.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={"recipient": recipient, "subject": subject[:300], "body": body, "channel": channel},
    )
    if created:
        transaction.on_commit(lambda: _schedule_delivery(message.pk))
    return message


def _schedule_delivery(message_id: int) -> None:
    from . import tasks

    try:
        tasks.deliver_outbox_message(message_id)
    except Exception:  # the periodic flush picks it up; never fail the user's request
        logger.warning("could not enqueue outbox message %s; the periodic flush will send it", message_id)


def _claim(message_id: int) -> bool:
    """Atomically move a due message to SENDING. The status condition must be on the updated row
    itself (not in a sub-query): PostgreSQL re-checks only those after waiting for a concurrent claim."""
    now = timezone.now()
    claimable = Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=now - stale_claim()
    )
    return (
        OutboxMessage.objects.filter(claimable, pk=message_id).update(
            status=OutboxMessage.Status.SENDING, claimed_at=now
        )
        == 1
    )


def outbox_deliver(*, message_id: int) -> bool:
    """Send one message if it is due and nobody else holds it. Returns True when sent."""
    if not _claim(message_id):
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        reference = get_channel(message.channel).send(message)
    except ChannelError as exc:
        return _failed(message, str(exc) or type(exc).__name__, permanent=exc.permanent)
    except Exception as exc:  # noqa: BLE001 - any transport error is retried
        return _failed(message, type(exc).__name__, permanent=False)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), attempts=message.attempts + 1, last_error=""
    )
    logger.info("outbox message %s sent by %s (reference %s)", message.pk, message.channel, reference or "-")
    return True


def _failed(message: OutboxMessage, error: str, *, permanent: bool) -> bool:
    attempts = message.attempts + 1
    failed = permanent or attempts >= MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.FAILED if failed else OutboxMessage.Status.PENDING,
        attempts=attempts,
        last_error=error[:2000],
        next_attempt_at=timezone.now() + dt.timedelta(minutes=2**attempts),
    )
    if permanent:
        logger.error("outbox message %s (%s) failed permanently: %s", message.pk, message.channel, error)
    else:
        logger.warning("outbox message %s (%s) failed (attempt %s): %s", message.pk, message.channel, attempts, error)
    return False


def outbox_flush(*, limit: int = 500) -> int:
    """Deliver everything that is due (called periodically by the worker). Returns sent count."""
    now = timezone.now()
    due = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
    ) | OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - stale_claim())
    sent = 0
    for message_id in due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit]:
        sent += outbox_deliver(message_id=message_id)
    return sent
