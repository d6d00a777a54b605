"""SMS through the outbox: the CM.com adapter against a local CM gateway, and the other backends."""

from __future__ import annotations

import datetime as dt
import logging
import socket

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from wijkpunt.core.channels import ChannelError, get_channel
from wijkpunt.core.channels import sms as sms_module
from wijkpunt.core.channels.cm import interpret_response
from wijkpunt.core.channels.sms import fit_body, normalise_number, short_reference
from wijkpunt.core.models import OutboxMessage
from wijkpunt.core.outbox import (
    MAX_ATTEMPTS,
    _claim,
    outbox_deliver,
    outbox_enqueue_email,
    outbox_enqueue_sms,
    outbox_flush,
)

from .cm_fake import FakeCM

pytestmark = pytest.mark.django_db
MOBILE = "+31612345678"


@pytest.fixture
def cm(settings):
    with FakeCM() as fake:
        fake.configure(settings)
        settings.SMS_TIMEOUT = 2
        yield fake


def enqueue(key="page-7-user-3", recipient="06 1234 5678", body="Spoed: lekkage Kerkstraat 1"):
    with transaction.atomic():
        return outbox_enqueue_sms(idempotency_key=key, recipient=recipient, body=body, subject="piket")


def deliver_again(message) -> bool:
    """Make a message due now (skip the back-off) and deliver it."""
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    return outbox_deliver(message_id=message.pk)


def test_sms_goes_out_through_cm(cm):
    msg = enqueue()
    assert msg.channel == "sms" and msg.recipient == MOBILE  # stored in E.164
    assert outbox_deliver(message_id=msg.pk) is True
    msg.refresh_from_db()
    assert (msg.status, msg.attempts, msg.last_error) == ("sent", 1, "")
    assert cm.messages == [(MOBILE, "Spoed: lekkage Kerkstraat 1", short_reference("page-7-user-3"))]
    assert cm.headers[0]["x-cm-producttoken"] == cm.product_token
    assert cm.headers[0]["content-type"].startswith("application/json")
    envelope = cm.requests[0]["messages"]
    assert envelope["authentication"] == {"productToken": cm.product_token}
    assert envelope["msg"] == [
        {
            "allowedChannels": ["SMS"],
            "from": "Wijkpunt",
            "to": [{"number": "0031612345678"}],  # CM's recommended form: 00, no +
            "body": {"type": "auto", "content": "Spoed: lekkage Kerkstraat 1"},
            "reference": short_reference("page-7-user-3"),
            "minimumNumberOfMessageParts": 1,
            "maximumNumberOfMessageParts": 5,
        }
    ]
    assert outbox_deliver(message_id=msg.pk) is False and len(cm.requests) == 1  # never twice


def test_the_idempotency_key_is_the_reference(cm):
    enqueue(key="page42")
    long_key = "oncall-page-123456-escalation-2-user-9876"
    enqueue(key=long_key)
    assert outbox_flush() == 2
    references = [ref for _, _, ref in cm.messages]
    assert references[0] == "page42"  # fits CM's 1-32 letters and digits: sent as is
    assert references[1] == short_reference(long_key) and len(references[1]) == 32
    assert references[1].startswith("oncallpage123456esca") and references[1].isalnum()
    assert short_reference(long_key) != short_reference(long_key + "0")


def test_http_500_is_retried_then_sent(cm):
    cm.fail(500)
    msg = enqueue()
    assert outbox_deliver(message_id=msg.pk) is False
    msg.refresh_from_db()
    assert msg.status == "pending" and msg.attempts == 1 and msg.next_attempt_at > timezone.now()
    assert "HTTP 500" in msg.last_error
    assert outbox_deliver(message_id=msg.pk) is False  # back-off: not due yet
    assert deliver_again(msg) is True
    assert len(cm.requests) == 2 and len(cm.messages) == 1


@pytest.mark.parametrize("status", [429, 502, 503])
def test_other_temporary_http_errors_are_retried(cm, status):
    cm.fail(status, body="<html>busy</html>")
    msg = enqueue()
    assert outbox_deliver(message_id=msg.pk) is False
    msg.refresh_from_db()
    assert msg.status == "pending" and f"HTTP {status}" in msg.last_error


def test_a_timeout_is_retried(cm, settings):
    settings.SMS_TIMEOUT = 0.3
    cm.hang(seconds=5)
    msg = enqueue()
    assert outbox_deliver(message_id=msg.pk) is False
    msg.refresh_from_db()
    assert msg.status == "pending" and "unreachable" in msg.last_error and "timed out" in msg.last_error
    assert deliver_again(msg) is True and len(cm.messages) == 1


@pytest.mark.parametrize("dedupe", [False, True])
def test_accepted_but_unconfirmed_is_sent_again_and_the_reference_lets_a_gateway_drop_it(cm, settings, dedupe):
    """At-least-once: CM accepted the message but the answer never came; the retry repeats it."""
    settings.SMS_TIMEOUT = 0.3
    cm.dedupe_by_reference = dedupe
    cm.hang(seconds=5, after_accept=True)
    msg = enqueue()
    assert outbox_deliver(message_id=msg.pk) is False
    assert deliver_again(msg) is True
    assert len(cm.requests) == 2
    assert len(cm.messages) == (1 if dedupe else 2)
    assert {ref for _, _, ref in cm.messages} == {short_reference(msg.idempotency_key)}


def test_connection_refused_is_retried(settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.SMS_BACKEND, settings.SMS_CM_URL = "cm", f"http://127.0.0.1:{port}/v1.0/message"
    settings.SMS_CM_PRODUCT_TOKEN = "token"
    msg = enqueue()
    assert outbox_deliver(message_id=msg.pk) is False
    msg.refresh_from_db()
    assert msg.status == "pending" and "unreachable" in msg.last_error


@pytest.mark.parametrize(
    ("recipient", "error"),
    [("12345", "invalid phone number"), ("bel me", "not a phone number"), ("030 123 4567", "cannot receive SMS")],
)
def test_an_invalid_number_fails_at_once_without_calling_cm(cm, recipient, error):
    msg = enqueue(recipient=recipient)
    assert outbox_deliver(message_id=msg.pk) is False
    msg.refresh_from_db()
    assert msg.status == "failed" and msg.attempts == 1 and error in msg.last_error
    assert cm.requests == []
    assert outbox_flush() == 0  # not retried


def test_a_number_cm_rejects_fails_at_once(cm):
    cm.reject_number(MOBILE, 303)
    msg = enqueue()
    assert outbox_deliver(message_id=msg.pk) is False
    msg.refresh_from_db()
    assert msg.status == "failed" and "messageErrorCode 303" in msg.last_error and "invalid MSISDN" in msg.last_error
    assert len(cm.requests) == 1 and cm.messages == []


def test_a_wrong_product_token_is_retried_logged_loudly_and_finally_fails(cm, settings, caplog):
    settings.SMS_CM_PRODUCT_TOKEN = "00000000-0000-0000-0000-000000000000"
    msg = enqueue()
    with caplog.at_level(logging.ERROR, logger="wijkpunt.core.channels.cm"):
        assert outbox_deliver(message_id=msg.pk) is False
    assert any("WIJKPUNT_SMS_CM_PRODUCT_TOKEN" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
    msg.refresh_from_db()
    assert msg.status == "pending"  # an operator error, not this message's fault: retried once fixed
    assert "authentication failed" in msg.last_error and "errorCode 101" in msg.last_error
    assert "No account found for the given authentication" in msg.last_error
    OutboxMessage.objects.filter(pk=msg.pk).update(attempts=MAX_ATTEMPTS - 1)
    assert deliver_again(msg) is False
    msg.refresh_from_db()
    assert msg.status == "failed" and msg.attempts == MAX_ATTEMPTS
    assert cm.messages == []


def test_a_missing_product_token_never_reaches_the_gateway(cm, settings):
    settings.SMS_CM_PRODUCT_TOKEN = ""
    msg = enqueue()
    assert outbox_deliver(message_id=msg.pk) is False
    msg.refresh_from_db()
    assert msg.status == "pending" and "WIJKPUNT_SMS_CM_PRODUCT_TOKEN" in msg.last_error
    assert cm.requests == []


def test_long_texts_are_cut_to_five_parts(cm):
    gsm, unicode = "Lekkage in de kelder. " * 100, "Geïnformeerd: " * 100
    enqueue(key="long-gsm", body=gsm)
    enqueue(key="long-unicode", body=unicode)
    assert outbox_flush() == 2  # the fake rejects bodies that need more than 5 parts
    sent = {ref: content for _, content, ref in cm.messages}
    assert sent[short_reference("long-gsm")].endswith("...") and len(sent[short_reference("long-gsm")]) <= 760
    assert sent[short_reference("long-unicode")].endswith("…") and len(sent[short_reference("long-unicode")]) <= 330


def test_fit_body():
    assert fit_body("  kort  ") == "kort"
    assert fit_body("a" * 160) == "a" * 160
    assert fit_body("a" * 760) == "a" * 760 and fit_body("a" * 761) == "a" * 757 + "..."
    assert len(fit_body("€" * 1000)) == (760 - 3) // 2 + 3  # € takes two GSM septets
    assert fit_body("ë" * 70) == "ë" * 70 and fit_body("ë" * 400) == "ë" * 329 + "…"


def test_normalise_number():
    assert normalise_number("06-12345678") == MOBILE
    assert normalise_number("0031 6 1234 5678") == MOBILE
    assert normalise_number("+32 470 12 34 56") == "+32470123456"
    with pytest.raises(ChannelError) as exc:
        normalise_number("")
    assert exc.value.permanent


@pytest.mark.parametrize(
    ("status", "body", "permanent"),
    [
        (400, '{"details": "The request is malformed", "errorCode": 202, "messages": []}', True),
        (400, '{"details": "Created 0 message(s)", "errorCode": 201, "messages": [{"status": "Rejected", '
         '"reference": "r", "messageErrorCode": 402, "messageDetails": "blacklisted"}]}', True),
        (400, '{"details": "Created 0 message(s)", "errorCode": 201, "messages": [{"status": "Rejected", '
         '"reference": "r", "messageErrorCode": 301, "messageDetails": "bad from"}]}', False),
        (400, '{"details": "Insufficient balance", "errorCode": 102, "messages": []}', False),
        (200, '{"details": "x", "errorCode": 999, "messages": []}', False),
        (401, "<html>Unauthorized</html>", False),
        (200, "not json", False),
    ],
)
def test_interpret_response_errors(status, body, permanent):
    with pytest.raises(ChannelError) as exc:
        interpret_response(status, body.encode(), "r")
    assert exc.value.permanent is permanent


def test_interpret_response_success():
    ok = '{"details": "Created 1 message(s)", "errorCode": 0, "messages": [{"to": "0031612345678", "status": "Accepted", "reference": "r", "parts": 1, "messageDetails": null, "messageErrorCode": 0}]}'
    assert interpret_response(200, ok.encode(), "r") == "r"


def test_locmem_backend_records_messages(_sms_outbox):
    msg = enqueue(key="page-1")
    assert outbox_deliver(message_id=msg.pk) is True
    assert [(s.to, s.body, s.sender, s.idempotency_key) for s in _sms_outbox] == [
        (MOBILE, "Spoed: lekkage Kerkstraat 1", "Wijkpunt", "page-1")
    ]


def test_file_backend_writes_one_file_per_message(settings, tmp_path):
    settings.SMS_BACKEND, settings.SMS_FILE_PATH = "file", tmp_path / "sms"
    for key in ("page-1", "page-2"):
        assert outbox_deliver(message_id=enqueue(key=key).pk) is True
    files = sorted((tmp_path / "sms").glob("*.txt"))
    assert len(files) == 2
    text = files[0].read_text(encoding="utf-8")
    assert f"To: {MOBILE}" in text and "From: Wijkpunt" in text and text.rstrip().endswith("Kerkstraat 1")


def test_console_backend_prints(settings, capsys):
    settings.SMS_BACKEND = "console"
    assert outbox_deliver(message_id=enqueue().pk) is True
    assert f"To: {MOBILE}" in capsys.readouterr().out


def test_email_and_sms_share_the_outbox(_sms_outbox):
    with transaction.atomic():
        outbox_enqueue_email(idempotency_key="mail-1", recipient="a@example.nl", subject="s", body="b")
    enqueue(key="sms-1")
    assert outbox_flush() == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].extra_headers["Message-ID"].startswith("<mail-1@")
    assert len(_sms_outbox) == 1


def test_an_unknown_channel_fails_at_once():
    msg = OutboxMessage.objects.create(channel="duif", idempotency_key="k", recipient="x", subject="", body="b")
    assert outbox_deliver(message_id=msg.pk) is False
    msg.refresh_from_db()
    assert msg.status == "failed" and "unknown channel 'duif'" in msg.last_error
    with pytest.raises(ChannelError):
        get_channel("duif")


def test_the_stale_claim_interval_is_a_setting(settings):
    msg = enqueue()
    OutboxMessage.objects.filter(pk=msg.pk).update(
        status="sending", claimed_at=timezone.now() - dt.timedelta(minutes=2)
    )
    assert _claim(msg.pk) is False  # default 600 s
    settings.OUTBOX_STALE_CLAIM_SECONDS = 60
    assert _claim(msg.pk) is True


def test_sms_module_outbox_is_the_locmem_list(_sms_outbox):
    assert _sms_outbox is sms_module.outbox


def _load_settings(tmp_path, **env):
    import os
    import subprocess
    import sys
    from pathlib import Path

    base = {k: v for k, v in os.environ.items() if not k.startswith(("WIJKPUNT_", "DJANGO_"))}
    base.update(WIJKPUNT_VAR_DIR=str(tmp_path), PYTHONPATH=str(Path(__file__).resolve().parents[3]), **env)
    code = "from wijkpunt.settings import base; print(base.SMS_BACKEND, base.SMS_SENDER)"
    return subprocess.run([sys.executable, "-c", code], env=base, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({}, "WIJKPUNT_SMS_CM_PRODUCT_TOKEN must be set"),
        ({"WIJKPUNT_SMS_CM_PRODUCT_TOKEN": "t", "WIJKPUNT_SMS_CM_URL": "http://cm.example/"}, "https://"),
        ({"WIJKPUNT_SMS_CM_PRODUCT_TOKEN": "t", "WIJKPUNT_SMS_SENDER": "Woningcorporatie"}, "WIJKPUNT_SMS_SENDER"),
        ({"WIJKPUNT_SMS_BACKEND": "duif"}, "WIJKPUNT_SMS_BACKEND"),
        ({"WIJKPUNT_SMS_BACKEND": "file", "WIJKPUNT_SMS_TIMEOUT": "900"}, "STALE_CLAIM"),
        ({"WIJKPUNT_SMS_CM_PRODUCT_TOKEN": "t"}, None),
        ({"WIJKPUNT_SMS_BACKEND": "file"}, None),
    ],
)
def test_production_settings_check_sms_configuration(tmp_path, env, error):
    production = {"WIJKPUNT_ENV": "production", "WIJKPUNT_SECRET_KEY": "x" * 50, "WIJKPUNT_ALLOWED_HOSTS": "a.example"}
    result = _load_settings(tmp_path, **production, **env)
    if error:
        assert result.returncode != 0 and error in result.stderr
    else:
        assert result.returncode == 0, result.stderr


def test_the_demo_needs_no_sms_configuration(tmp_path):
    result = _load_settings(tmp_path, WIJKPUNT_ENV="development")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["file", "Wijkpunt"]
