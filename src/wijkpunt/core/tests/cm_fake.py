"""A local stand-in for CM.com's Business Messaging JSON gateway, for tests.

    with FakeCM() as cm:
        cm.configure(settings)            # pytest-django ``settings``: SMS_BACKEND=cm, URL, token
        ...                               # or cm.env() for a subprocess (WIJKPUNT_SMS_* variables)
        assert cm.messages == [("+31612345678", "text", "reference")]

It checks what the real gateway checks (documented at developers.cm.com/messaging/docs, "Responses &
Errors - JSON"): the product token (``X-CM-PRODUCTTOKEN`` header and/or
``messages.authentication.productToken``, equal when both are given), the JSON shape, the sender,
the number (00 or + and 7-15 digits), a non-empty body, the reference (1-32 letters/digits) and the
message parts. It answers in CM's format: ``{"details", "errorCode", "messages": [{"to", "status",
"reference", "parts", "messageDetails", "messageErrorCode"}]}``, HTTP 200 when at least one message
was accepted, HTTP 400 otherwise (also for a wrong token: errorCode 101). Stricter than CM: a body
that needs more parts than ``maximumNumberOfMessageParts`` is rejected (305) instead of cut.

Failure modes: ``fail(status, times)`` (e.g. HTTP 500 once), ``hang(times, seconds, after_accept)``
(no answer: the client times out; with ``after_accept`` the message counts as accepted first, the
"sent but never confirmed" case), ``reject_number(number, code)`` (e.g. 303 invalid number, 402
blacklisted) and ``dedupe_by_reference`` (a repeated reference is answered "Accepted" but not
recorded again; CM does not document such de-duplication, so the default is off).
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from wijkpunt.core.channels.sms import GSM_BASIC, GSM_EXTENDED

PATH = "/v1.0/message"
PRODUCT_TOKEN = "11111111-2222-4333-8444-555555555555"  # CM tokens are GUIDs with hyphens
NUMBER_RE = re.compile(r"(?:00|\+)([1-9]\d{6,14})")
SENDER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ]{0,10}|\d{1,16}")
REFERENCE_RE = re.compile(r"[A-Za-z0-9]{1,32}")


def parts_needed(text: str) -> int:
    if all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text):
        units, single, part = sum(2 if ch in GSM_EXTENDED else 1 for ch in text), 160, 153
    else:
        units, single, part = len(text.encode("utf-16-le")) // 2, 70, 67
    return 1 if units <= single else math.ceil(units / part)


class FakeCM:
    def __init__(self, product_token: str | None = None, *, dedupe_by_reference: bool = False):
        self.product_token = product_token or PRODUCT_TOKEN
        self.dedupe_by_reference = dedupe_by_reference
        self.requests: list[dict | None] = []  # every request's JSON body (None when it was not JSON)
        self.headers: list[dict[str, str]] = []
        self.messages: list[tuple[str, str, str | None]] = []  # accepted: (E.164 number, content, reference)
        self.rejected_numbers: dict[str, tuple[int, str]] = {}
        self._faults: deque[tuple] = deque()
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle -------------------------------------------------------------------------
    def start(self) -> FakeCM:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-cm", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    def __enter__(self) -> FakeCM:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{PATH}"

    def configure(self, settings) -> None:
        """Point the cm backend at this gateway (pytest-django's ``settings`` fixture)."""
        settings.SMS_BACKEND = "cm"
        settings.SMS_CM_URL = self.url
        settings.SMS_CM_PRODUCT_TOKEN = self.product_token

    def env(self) -> dict[str, str]:
        return {
            "WIJKPUNT_SMS_BACKEND": "cm",
            "WIJKPUNT_SMS_CM_URL": self.url,
            "WIJKPUNT_SMS_CM_PRODUCT_TOKEN": self.product_token,
        }

    # --- failure modes ----------------------------------------------------------------------
    def fail(self, status: int = 500, *, times: int = 1, body: str | None = None) -> None:
        """Answer the next ``times`` requests with HTTP ``status`` (nothing is accepted)."""
        if body is None and status == 500:
            body = json.dumps({"details": "Internal server error", "errorCode": 500, "messages": []})
        with self._lock:
            self._faults.extend([("status", status, body)] * times)

    def hang(self, *, times: int = 1, seconds: float = 30.0, after_accept: bool = False) -> None:
        """Do not answer the next ``times`` requests for ``seconds`` (or until stop())."""
        with self._lock:
            self._faults.extend([("hang", seconds, after_accept)] * times)

    def reject_number(self, number: str, code: int = 303, details: str | None = None) -> None:
        """Reject messages to ``number`` (E.164) with ``messageErrorCode`` ``code``."""
        self.rejected_numbers[number] = (code, details or f"Gsm '{number}' is not a number.")

    # --- the protocol -----------------------------------------------------------------------
    def _next_fault(self):
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def record(self, headers: dict[str, str], raw: bytes) -> dict | None:
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        with self._lock:
            self.requests.append(data)
            self.headers.append(headers)
        return data

    def handle(self, headers: dict[str, str], data) -> tuple[int, str]:
        envelope = data.get("messages") if isinstance(data, dict) else None
        if not isinstance(envelope, dict):
            return _answer(400, 202, "The request is malformed: no messages object found")
        auth = envelope.get("authentication") or {}
        body_token = next((v for k, v in auth.items() if k.lower() == "producttoken"), None) if isinstance(
            auth, dict
        ) else None
        header_token = headers.get("x-cm-producttoken")
        tokens = {t for t in (header_token, body_token) if t}
        if not tokens:
            return _answer(400, 101, "Invalid product token.")
        if tokens != {self.product_token}:
            return _answer(400, 101, "No account found for the given authentication")
        msgs = envelope.get("msg")
        if not isinstance(msgs, list) or not msgs or not all(isinstance(m, dict) for m in msgs):
            return _answer(400, 203, "The MSG array is incorrect")
        results = [result for msg in msgs for result in self._check(msg)]
        accepted = sum(r["status"] == "Accepted" for r in results)
        if accepted == len(results):
            return _answer(200, 0, f"Created {accepted} message(s)", results)
        return _answer(200 if accepted else 400, 201, f"Created {accepted} message(s)", results)

    def _check(self, msg: dict) -> list[dict]:
        reference = msg.get("reference")
        recipients = msg.get("to") if isinstance(msg.get("to"), list) else []
        body = msg.get("body") if isinstance(msg.get("body"), dict) else {}
        content = body.get("content")
        low, high = msg.get("minimumNumberOfMessageParts", 1), msg.get("maximumNumberOfMessageParts", 8)
        problem = None
        if not isinstance(msg.get("from"), str) or not SENDER_RE.fullmatch(msg["from"]):
            problem = (301, f"Invalid sender '{msg.get('from')}'")
        elif not recipients:
            problem = (302, "No phone numbers found. Message will not be sent.")
        elif not isinstance(content, str) or not content or str(body.get("type", "auto")).lower() not in {
            "auto",
            "plain",
        }:
            problem = (304, "A body without content was found")
        elif reference is not None and not (isinstance(reference, str) and REFERENCE_RE.fullmatch(reference)):
            problem = (305, "The reference must be 1 to 32 alphanumeric characters")
        elif not (isinstance(low, int) and isinstance(high, int) and 1 <= low <= high <= 8):
            problem = (305, "Invalid minimumNumberOfMessageParts/maximumNumberOfMessageParts")
        elif parts_needed(content) > high:
            problem = (305, f"The body needs {parts_needed(content)} parts, more than {high} allowed")
        results = []
        for recipient in recipients or [{}]:
            raw = recipient.get("number") if isinstance(recipient, dict) else None
            match = NUMBER_RE.fullmatch(raw) if isinstance(raw, str) else None
            number = f"+{match.group(1)}" if match else None
            why = problem or (None if match else (303, f"Gsm '{raw}' is not a number."))
            why = why or self.rejected_numbers.get(number)
            if why:
                results.append(_result(raw, "Rejected", reference, 0, *why))
                continue
            with self._lock:
                seen = any(ref == reference for _, _, ref in self.messages) if reference else False
                if not (self.dedupe_by_reference and seen):
                    self.messages.append((number, content, reference))
            results.append(_result(raw, "Accepted", reference, parts_needed(content), 0, None))
        return results


def _result(to, status: str, reference, parts: int, code: int, details: str | None) -> dict:
    return {
        "to": to,
        "status": status,
        "reference": reference,
        "parts": parts,
        "messageDetails": details,
        "messageErrorCode": code,
    }


def _answer(status: int, code: int, details: str, messages: list | None = None) -> tuple[int, str]:
    return status, json.dumps({"details": details, "errorCode": code, "messages": messages or []})


def _handler_for(fake: FakeCM):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path != PATH:
                return self._send(404, "Not found", "text/plain")
            headers = {k.lower(): v for k, v in self.headers.items()}
            data = fake.record(headers, raw)
            fault = fake._next_fault()
            if fault and fault[0] == "status":
                body = fault[2] or "Service unavailable"
                return self._send(fault[1], body, "application/json" if body.startswith("{") else "text/plain")
            if fault and fault[0] == "hang" and not fault[2]:
                fake._release.wait(fault[1])
                return self._send(503, "Service unavailable", "text/plain")
            status, body = fake.handle(headers, data)
            if fault and fault[0] == "hang":
                fake._release.wait(fault[1])
            return self._send(status, body, "application/json")

        def _send(self, status: int, body: str, content_type: str) -> None:
            data = body.encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", f"{content_type}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, *args) -> None:
            pass

    return Handler
