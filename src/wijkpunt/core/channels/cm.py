"""SMS through CM.com's Business Messaging API (JSON over HTTPS, standard library only).

Request: ``POST settings.SMS_CM_URL`` with the product token in the ``X-CM-PRODUCTTOKEN`` header
(and in ``messages.authentication.productToken``)::

    {"messages": {"authentication": {"productToken": "..."},
                  "msg": [{"allowedChannels": ["SMS"], "from": "Wijkpunt",
                           "to": [{"number": "0031612345678"}],
                           "body": {"type": "auto", "content": "..."}, "reference": "...",
                           "minimumNumberOfMessageParts": 1, "maximumNumberOfMessageParts": 5}]}}

Numbers go out in CM's recommended form: 00, country code, number, no "+". The reference is the
outbox idempotency key (shortened to CM's 1-32 letters and digits when needed, see
``sms.short_reference``); CM echoes it in the response and in status reports.

Response: ``{"details": "...", "errorCode": 0, "messages": [{"to", "status": "Accepted"|"Rejected",
"reference", "parts", "messageDetails", "messageErrorCode"}]}``. HTTP 200 with errorCode 0 (or 201 with
this message "Accepted") is success; a rejected request comes with HTTP 400. What is retried:

- permanent (the message fails at once): request malformed (202, 203) and per-message rejections
  of the number, body or content (302-305, 401-403);
- operator errors (retried, logged as errors): authentication (101, 103), balance (102), sender (301);
- temporary: HTTP 5xx, 408, 429, timeouts, connection errors, errorCode 500/999, anything unknown.

Acceptance is not delivery: CM delivers asynchronously (status reports are not consumed yet).
"""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings

from . import ChannelError
from .sms import MAX_PARTS, SmsMessage

logger = logging.getLogger(__name__)

AUTH_ERRORS = {101: "authentication failed", 102: "insufficient balance", 103: "product token incorrect"}
MALFORMED_ERRORS = {202: "request malformed", 203: "msg array incorrect"}
PERMANENT_MESSAGE_ERRORS = {
    302: "invalid To field",
    303: "invalid MSISDN",
    304: "invalid body",
    305: "invalid field",
    401: "spam filtered",
    402: "blacklisted",
    403: "rejected",
}
SENDER_ERROR = 301


def wire_number(e164: str) -> str:
    return "00" + e164.removeprefix("+")


def build_payload(sms: SmsMessage, product_token: str) -> dict:
    return {
        "messages": {
            "authentication": {"productToken": product_token},
            "msg": [
                {
                    "allowedChannels": ["SMS"],
                    "from": sms.sender,
                    "to": [{"number": wire_number(sms.to)}],
                    "body": {"type": "auto", "content": sms.body},
                    "reference": sms.reference,
                    "minimumNumberOfMessageParts": 1,
                    "maximumNumberOfMessageParts": MAX_PARTS,
                }
            ],
        }
    }


class CMBackend:
    def __init__(self) -> None:
        self.url = settings.SMS_CM_URL
        self.product_token = settings.SMS_CM_PRODUCT_TOKEN
        self.timeout = settings.SMS_TIMEOUT

    def send(self, sms: SmsMessage) -> str:
        if not self.product_token:
            logger.error("SMS not sent: WIJKPUNT_SMS_CM_PRODUCT_TOKEN is not set")
            raise ChannelError("CM product token not configured (WIJKPUNT_SMS_CM_PRODUCT_TOKEN)")
        if not self.url.startswith(("https://", "http://")):
            raise ChannelError(f"WIJKPUNT_SMS_CM_URL is not an http(s) URL: {self.url!r}")
        request = urllib.request.Request(  # noqa: S310 - scheme checked above
            self.url,
            data=json.dumps(build_payload(sms, self.product_token)).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "X-CM-PRODUCTTOKEN": self.product_token,
                "User-Agent": "Wijkpunt",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status = exc.code
            try:
                raw = exc.read()
            except (OSError, http.client.HTTPException):
                raw = b""
        except (OSError, http.client.HTTPException) as exc:  # URLError, timeouts, refused, reset
            reason = getattr(exc, "reason", None) or exc
            raise ChannelError(f"CM gateway unreachable: {type(exc).__name__}: {reason}") from exc
        return interpret_response(status, raw, sms.reference)


def interpret_response(status: int, raw: bytes, reference: str) -> str:
    """Return ``reference`` when CM accepted the message, else raise the right ChannelError."""
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        if status in (401, 403):
            logger.error("CM gateway refused the request with HTTP %s: check the product token", status)
        raise ChannelError(f"CM gateway answered HTTP {status} without a JSON body")
    code, details = _int(data.get("errorCode")), data.get("details") or ""
    summary = f"HTTP {status}, errorCode {code}: {details}"
    if status >= 500 or status in (408, 429):
        raise ChannelError(f"CM gateway unavailable ({summary})")
    if code in AUTH_ERRORS or status in (401, 403):
        logger.error("CM gateway refused the request (%s): check WIJKPUNT_SMS_CM_PRODUCT_TOKEN and the account", summary)
        raise ChannelError(f"CM {AUTH_ERRORS.get(code, 'refused the request')} ({summary})")
    if code in MALFORMED_ERRORS:
        raise ChannelError(f"CM: {MALFORMED_ERRORS[code]} ({summary})", permanent=True)
    if code not in (0, 201):
        raise ChannelError(f"CM gateway error ({summary})")
    entry = _entry_for(data.get("messages"), reference)
    if entry is None:
        if status == 200 and code == 0:
            return reference
        raise ChannelError(f"CM answered without a result for this message ({summary})")
    if str(entry.get("status", "")).lower() == "accepted":
        return reference
    message_code = _int(entry.get("messageErrorCode"))
    text = f"messageErrorCode {message_code}: {entry.get('messageDetails') or ''}"
    if message_code in PERMANENT_MESSAGE_ERRORS:
        raise ChannelError(f"CM rejected the message, {PERMANENT_MESSAGE_ERRORS[message_code]} ({text})", permanent=True)
    if message_code == SENDER_ERROR:
        logger.error("CM rejected the sender %r (%s): check WIJKPUNT_SMS_SENDER", settings.SMS_SENDER, text)
        raise ChannelError(f"CM rejected the sender ({text})")
    raise ChannelError(f"CM rejected the message ({text})")


def _entry_for(messages, reference: str) -> dict | None:
    entries = [m for m in messages if isinstance(m, dict)] if isinstance(messages, list) else []
    return next((m for m in entries if m.get("reference") == reference), entries[0] if entries else None)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
