"""E-mail through Django's mail backend (SMTP in production, var/mail/ in the demo, memory in tests).

The idempotency key travels as the Message-ID, so a receiving system can drop a repeat. Transport
errors are not wrapped: the outbox retries any exception and records its class name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage

if TYPE_CHECKING:
    from wijkpunt.core.models import OutboxMessage


def message_id_domain() -> str:
    return settings.BASE_URL.split("//")[-1].split("/")[0].split(":")[0] or "wijkpunt.local"


class EmailChannel:
    name = "email"

    def send(self, message: OutboxMessage) -> str:
        message_id = f"<{message.idempotency_key}@{message_id_domain()}>"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message_id},
        )
        email.send(fail_silently=False)
        return message_id
