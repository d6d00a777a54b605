"""SMS: phone numbers to E.164, bodies cut to at most five parts, and a choice of backend.

``settings.SMS_BACKEND`` (env ``WIJKPUNT_SMS_BACKEND``) picks the backend:

- ``cm``: CM.com's Business Messaging API (``channels/cm.py``), the default in production;
- ``file``: one .txt per message in ``settings.SMS_FILE_PATH`` (``var/sms/``), the demo default;
- ``console``: printed to standard output;
- ``locmem``: appended to :data:`outbox` (tests; the root conftest empties it before every test);
- or a dotted path to a class of your own: ``SomeBackend().send(sms: SmsMessage) -> str``.
"""

from __future__ import annotations

import hashlib
import re
import sys
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

import phonenumbers
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from . import ChannelError

if TYPE_CHECKING:
    from wijkpunt.core.models import OutboxMessage

MAX_PARTS = 5  # a page must stay readable and cheap; longer texts are cut
GSM_SINGLE, GSM_PART = 160, 153  # septets in one SMS / per part of a multipart SMS
UCS2_SINGLE, UCS2_PART = 70, 67  # UTF-16 units, when the text needs characters outside GSM 03.38
GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")  # two septets each (escape + character)
NOT_SMS_CAPABLE = {
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST,
}
BACKENDS = {
    "cm": "wijkpunt.core.channels.cm.CMBackend",
    "file": "wijkpunt.core.channels.sms.FileBackend",
    "console": "wijkpunt.core.channels.sms.ConsoleBackend",
    "locmem": "wijkpunt.core.channels.sms.LocmemBackend",
}


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164, e.g. +31612345678
    body: str
    sender: str
    idempotency_key: str

    @property
    def reference(self) -> str:
        return short_reference(self.idempotency_key)


outbox: list[SmsMessage] = []  # the locmem backend's mailbox, like django.core.mail.outbox


def normalise_number(raw: str) -> str:
    """E.164 for a Dutch or international number; a permanent ChannelError when it cannot get an SMS."""
    try:
        number = phonenumbers.parse((raw or "").strip(), "NL")
    except phonenumbers.NumberParseException as exc:
        raise ChannelError(f"not a phone number ({exc})", permanent=True) from exc
    if not phonenumbers.is_valid_number(number):
        raise ChannelError("invalid phone number", permanent=True)
    if phonenumbers.number_type(number) in NOT_SMS_CAPABLE:
        raise ChannelError("phone number cannot receive SMS (fixed line or service number)", permanent=True)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def short_reference(key: str) -> str:
    """A provider reference of 1-32 letters and digits (CM's limit): the key itself when it fits,
    else its letters and digits cut to 20 followed by 12 hex characters of its SHA-256."""
    if re.fullmatch(r"[A-Za-z0-9]{1,32}", key):
        return key
    readable = re.sub(r"[^A-Za-z0-9]", "", key)[:20]
    return readable + hashlib.sha256(key.encode()).hexdigest()[:12]


def _units(text: str, gsm: bool) -> int:
    if gsm:
        return sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
    return len(text.encode("utf-16-le")) // 2


def fit_body(text: str, max_parts: int = MAX_PARTS) -> str:
    """Cut ``text`` so that it fits ``max_parts`` concatenated SMS (765 GSM characters, or 335 when
    it needs Unicode). The cut is marked with an ellipsis; a part boundary may not split a
    two-unit character, so one unit per part is kept in reserve."""
    text = (text or "").strip()
    gsm = all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)
    single, part = (GSM_SINGLE, GSM_PART) if gsm else (UCS2_SINGLE, UCS2_PART)
    if _units(text, gsm) <= single:
        return text
    budget = part * max_parts - max_parts
    if _units(text, gsm) <= budget:
        return text
    marker = "..." if gsm else "…"
    cut, used = [], _units(marker, gsm)
    for ch in text:
        used += _units(ch, gsm)
        if used > budget:
            break
        cut.append(ch)
    return "".join(cut).rstrip() + marker


class LocmemBackend:
    def send(self, sms: SmsMessage) -> str:
        outbox.append(sms)
        return sms.reference


class ConsoleBackend:
    _lock = threading.Lock()

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout

    def send(self, sms: SmsMessage) -> str:
        with self._lock:
            self.stream.write(_render(sms) + "-" * 79 + "\n")
            self.stream.flush()
        return sms.reference


class FileBackend:
    """One file per message, named by time and reference (like Django's file mail backend)."""

    def send(self, sms: SmsMessage) -> str:
        directory = settings.SMS_FILE_PATH
        directory.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
        (directory / f"{stamp}-{sms.reference}.txt").write_text(_render(sms), encoding="utf-8")
        return sms.reference


def _render(sms: SmsMessage) -> str:
    return f"From: {sms.sender}\nTo: {sms.to}\nReference: {sms.reference}\n\n{sms.body}\n"


def get_backend():
    name = settings.SMS_BACKEND
    path = BACKENDS.get(name, name)
    if "." not in path:
        raise ChannelError(f"unknown SMS backend {name!r} (WIJKPUNT_SMS_BACKEND)")
    return import_string(path)()


class SmsChannel:
    name = "sms"

    def send(self, message: OutboxMessage) -> str:
        body = fit_body(message.body)
        if not body:
            raise ChannelError("empty SMS body", permanent=True)
        sms = SmsMessage(
            to=normalise_number(message.recipient),
            body=body,
            sender=settings.SMS_SENDER,
            idempotency_key=message.idempotency_key,
        )
        return get_backend().send(sms)
