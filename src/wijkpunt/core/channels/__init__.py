"""Channels: how an outbox message leaves the building (e-mail, SMS).

A channel takes one :class:`~wijkpunt.core.models.OutboxMessage` and hands it to a provider. It
returns the provider's reference for the message ("" when the provider has none) or raises
:class:`ChannelError`. The outbox (``core.outbox``) decides what an error means for the message:
a *permanent* error (an invalid phone number, a rejected body) marks it failed at once, any other
error is retried with back-off. Errors are for operators (logs, the admin), not for residents.

Adding a channel: write a class with ``send(message) -> str`` and add it to :func:`get_channel`.
Adding an SMS provider: see ``channels/sms.py`` and docs/operations.md ("Kanalen").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from wijkpunt.core.models import OutboxMessage

CHANNEL_NAMES = ("email", "sms")


class ChannelError(Exception):
    """Delivery failed. ``permanent``: retrying the same message cannot succeed."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Channel(Protocol):
    name: str

    def send(self, message: OutboxMessage) -> str:
        """Deliver ``message``; return the provider's reference (or "") or raise ChannelError."""
        ...


def get_channel(name: str) -> Channel:
    if name == "email":
        from .email import EmailChannel

        return EmailChannel()
    if name == "sms":
        from .sms import SmsChannel

        return SmsChannel()
    raise ChannelError(f"unknown channel {name!r} (known: {', '.join(CHANNEL_NAMES)})", permanent=True)
