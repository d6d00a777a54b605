import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from wijkpunt.core.calendar import AMSTERDAM
from wijkpunt.core.models import OutboxMessage
from wijkpunt.core.outbox import outbox_deliver, outbox_enqueue_email, outbox_flush
from wijkpunt.reports.deadlines import compute_deadline
from wijkpunt.reports.models import Category

pytestmark = pytest.mark.django_db


def test_deadline_per_urgency(world):
    start = dt.datetime(2026, 11, 20, 14, tzinfo=AMSTERDAM)  # Friday
    cat = Category.objects.get(slug="schimmel-vocht")  # 10 working days
    assert compute_deadline(organisation=world.corp, urgency="spoed", category=cat, start=start) == \
        start + dt.timedelta(hours=4)
    assert compute_deadline(organisation=world.corp, urgency="hoog", category=cat, start=start) == \
        dt.datetime(2026, 11, 23, 17, tzinfo=AMSTERDAM)
    assert compute_deadline(organisation=world.corp, urgency="normaal", category=cat, start=start) == \
        dt.datetime(2026, 12, 4, 17, tzinfo=AMSTERDAM)
    assert compute_deadline(organisation=world.corp, urgency="laag", category=cat, start=start) == \
        dt.datetime(2026, 12, 18, 17, tzinfo=AMSTERDAM)


def test_overdue_reports_stand_out_in_the_queue(client, world):
    from .helpers import make_report

    report = make_report(world)
    report.__class__.objects.filter(pk=report.pk).update(deadline=timezone.now() - dt.timedelta(hours=1))
    client.force_login(world.staff)
    response = client.get("/werk/werkvoorraad/", {"te_laat": "1"})
    assert [r.pk for r in response.context["page"].reports] == [report.pk]
    assert "Te laat" in response.content.decode()


def test_outbox_retries_and_never_sends_twice(settings, monkeypatch):
    from django.db import transaction

    with transaction.atomic():
        msg = outbox_enqueue_email(idempotency_key="k1", recipient="a@example.nl", subject="s", body="b")
        again = outbox_enqueue_email(idempotency_key="k1", recipient="a@example.nl", subject="s", body="b")
    assert msg.pk == again.pk
    calls = {"n": 0}
    original = mail.EmailMessage.send

    def flaky(self, fail_silently=False):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionRefusedError("smtp down")
        return original(self, fail_silently)

    monkeypatch.setattr(mail.EmailMessage, "send", flaky)
    assert outbox_deliver(message_id=msg.pk) is False
    msg.refresh_from_db()
    assert msg.status == "pending" and msg.attempts == 1 and msg.next_attempt_at > timezone.now()
    OutboxMessage.objects.filter(pk=msg.pk).update(next_attempt_at=timezone.now())
    assert outbox_flush() == 1
    assert outbox_flush() == 0 and outbox_deliver(message_id=msg.pk) is False
    assert len(mail.outbox) == 1 and mail.outbox[0].extra_headers["Message-ID"].startswith("<k1@")
