"""Acknowledge links: short (they travel by SMS), signed, single-use and expiring.

A token is ``<page id>.<nonce>.<hmac>``. The HMAC (SECRET_KEY, own salt) rejects a forged or
altered link without a lookup; the random nonce, stored on the page, makes the link unguessable
even if the id is; expiry and single use are checked against the page row."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .models import Page

SALT = "wijkpunt.oncall.ack-link"
SIG_LENGTH = 22  # 132 bits of the HMAC-SHA256: plenty for a link that expires within hours


class AckLinkError(Exception):
    def __init__(self, kind: str, page: Page | None = None):
        super().__init__(kind)
        self.kind = kind  # "forged", "expired", "used"
        self.page = page


def _signature(value: str) -> str:
    return signing.Signer(salt=SALT).signature(value)[:SIG_LENGTH]


def ack_token(page: Page) -> str:
    value = f"{page.pk}.{page.nonce}"
    return f"{value}.{_signature(value)}"


def ack_url(page: Page) -> str:
    return settings.BASE_URL + reverse("ack", args=[ack_token(page)])


def page_from_token(token: str, *, now=None, allow_used: bool = False) -> Page:
    """The page a token names, or AckLinkError. ``allow_used`` lets the acknowledger come back
    to the link's page after using it (to see the outcome), never to acknowledge again."""
    try:
        page_id, nonce, signature = token.split(".")
        int(page_id)
    except ValueError:
        raise AckLinkError("forged") from None
    if not constant_time_compare(signature, _signature(f"{page_id}.{nonce}")):
        raise AckLinkError("forged")
    page = (
        Page.objects.select_related("escalation__report", "escalation__help_request__volunteer", "recipient",
                                    "escalation__acknowledged_by")
        .filter(pk=int(page_id)).first()
    )
    if page is None or not constant_time_compare(page.nonce, nonce) or page.recipient_id is None:
        raise AckLinkError("forged")
    if not page.recipient.is_active:  # the account was switched off since: the link dies with it
        raise AckLinkError("expired", page)
    if page.used_at is not None and not allow_used:
        raise AckLinkError("used", page)
    if page.expires_at <= (now or timezone.now()):
        raise AckLinkError("expired", page)
    return page
