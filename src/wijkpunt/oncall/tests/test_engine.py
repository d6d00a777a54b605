"""Each escalation step, end to end through the services (fixed moments, no waiting)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from wijkpunt.core.models import OutboxMessage
from wijkpunt.oncall import services
from wijkpunt.oncall.models import Absence, Escalation, EscalationStep, HelpRequest, Page, RosterOverride
from wijkpunt.reports.models import ReportEvent, Status

from .engine_fixtures import DAY, NIGHT, step, urgent_report

MIN = dt.timedelta(minutes=1)


def pages(escalation):
    return list(Page.objects.filter(escalation=escalation).order_by("step"))


def outbox_to(recipient):
    if recipient.startswith("06"):
        recipient = "+316" + recipient[2:]  # SMS numbers are stored in E.164
    return list(OutboxMessage.objects.filter(recipient=recipient).order_by("pk"))


def test_urgent_report_at_night_pages_on_call_person_at_once(engine):
    report = urgent_report(engine)
    escalation = Escalation.objects.get(report=report)
    assert escalation.status == "actief" and escalation.due_at == NIGHT and escalation.roster == engine.roster
    assert [s["target"] for s in escalation.chain] == ["dienst", "achtervang", "coordinator"]
    assert services.escalation_fire(escalation.pk, now=NIGHT) == 1
    (page,) = pages(escalation)
    assert page.recipient == engine.anna and page.due_at == NIGHT and page.lateness == dt.timedelta(0)
    sms, mail = outbox_to("0612345671"), outbox_to("anna@example.nl")
    assert [m.channel for m in sms] == ["sms"] and [m.channel for m in mail] == ["email"]
    assert report.reference in sms[0].body and "/a/" in sms[0].body and "Bevestig" in sms[0].body
    assert "gas" in mail[0].body and mail[0].subject.startswith("Achtervang: Spoed")
    # the reporter is told the report went to the on-call service
    event = ReportEvent.objects.get(report=report, kind="oncall")
    assert event.is_public and "achtervang" in event.text


def test_each_step_fires_once_when_due_then_the_chain_is_exhausted(engine):
    report = urgent_report(engine)
    escalation = Escalation.objects.get(report=report)
    services.escalation_sweep(now=NIGHT)
    services.escalation_sweep(now=NIGHT + 5 * MIN)  # not due yet: nothing
    assert len(pages(escalation)) == 1
    services.escalation_sweep(now=NIGHT + 10 * MIN)
    services.escalation_sweep(now=NIGHT + 10 * MIN)  # idempotent
    services.escalation_fire(escalation.pk, now=NIGHT + 11 * MIN)
    assert [p.recipient for p in pages(escalation)] == [engine.anna, engine.bram]
    assert pages(escalation)[1].channels == ["sms"]
    services.escalation_sweep(now=NIGHT + 20 * MIN)
    assert [p.recipient for p in pages(escalation)] == [engine.anna, engine.bram, engine.coordinator]
    assert pages(escalation)[2].channels == ["email"]
    services.escalation_sweep(now=NIGHT + 34 * MIN)
    escalation.refresh_from_db()
    assert escalation.status == "actief"
    services.escalation_sweep(now=NIGHT + 35 * MIN)
    escalation.refresh_from_db()
    assert escalation.status == "uitgeput"
    assert [m.subject for m in outbox_to("dienst@lindehof.example")] == [f"Niemand heeft gereageerd: {report.reference}"]
    assert len(pages(escalation)) == 3


def test_late_sweep_fires_the_due_step_and_gives_the_next_person_their_full_wait(engine):
    report = urgent_report(engine)
    escalation = Escalation.objects.get(report=report)
    services.escalation_sweep(now=NIGHT + 3 * MIN)  # the worker was down for three minutes
    (page,) = pages(escalation)
    assert page.lateness == 3 * MIN
    escalation.refresh_from_db()
    assert escalation.due_at == NIGHT + 13 * MIN


def test_acknowledging_stops_the_chain_and_tells_the_reporter(engine):
    report = urgent_report(engine)
    escalation = Escalation.objects.get(report=report)
    services.escalation_fire(escalation.pk, now=NIGHT)
    (page,) = pages(escalation)
    assert services.page_acknowledge(page=page, at=NIGHT + 4 * MIN) is True
    services.escalation_sweep(now=NIGHT + 60 * MIN)
    escalation.refresh_from_db()
    assert escalation.status == "bevestigd" and escalation.acknowledged_by == engine.anna
    assert len(pages(escalation)) == 1
    texts = list(ReportEvent.objects.filter(report=report, kind="oncall", is_public=True).values_list("text", flat=True))
    assert any("opgepakt" in t for t in texts)
    mails = [m.subject for m in OutboxMessage.objects.filter(recipient="melder@example.nl").order_by("pk")]
    assert mails == [f"Uw melding {report.reference} is ontvangen", f"Nieuws over uw melding {report.reference}"]
    with pytest.raises(ValidationError):  # single use
        services.page_acknowledge(page=page, at=NIGHT + 5 * MIN)


def test_second_acknowledger_does_not_become_owner(engine):
    report = urgent_report(engine)
    escalation = Escalation.objects.get(report=report)
    services.escalation_fire(escalation.pk, now=NIGHT)
    services.escalation_fire(escalation.pk, now=NIGHT + 10 * MIN)
    first, second = pages(escalation)
    assert services.page_acknowledge(page=second, at=NIGHT + 11 * MIN) is True
    assert services.page_acknowledge(page=first, at=NIGHT + 11 * MIN) is False
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == engine.bram


def test_decisions_take_hand_back_and_pass_on(engine):
    report = urgent_report(engine)
    escalation = Escalation.objects.get(report=report)
    services.escalation_fire(escalation.pk, now=NIGHT)
    services.page_acknowledge(page=pages(escalation)[0], at=NIGHT + MIN)
    with pytest.raises(services.NotAllowed):  # only the acknowledger decides
        services.escalation_decide(escalation=escalation, user=engine.bram, decision="genomen")
    services.escalation_decide(escalation=escalation, user=engine.anna, decision="doorgeven", note="Ik zit in de auto",
                               at=NIGHT + 2 * MIN)
    escalation.refresh_from_db()
    assert escalation.status == "actief" and escalation.acknowledged_by is None
    services.escalation_sweep(now=NIGHT + 2 * MIN)
    assert [p.recipient for p in pages(escalation)] == [engine.anna, engine.bram]
    services.page_acknowledge(page=pages(escalation)[1], at=NIGHT + 3 * MIN)
    services.escalation_decide(escalation=escalation, user=engine.bram, decision="genomen", at=NIGHT + 4 * MIN)
    report.refresh_from_db()
    assert report.assignee == engine.bram and report.status == Status.IN_PROGRESS
    with pytest.raises(ValidationError):
        services.escalation_decide(escalation=escalation, user=engine.bram, decision="teruggegeven")


def test_hand_back_leaves_the_report_in_the_queue_with_a_note(engine):
    report = urgent_report(engine)
    escalation = Escalation.objects.get(report=report)
    services.escalation_fire(escalation.pk, now=NIGHT)
    services.page_acknowledge(page=pages(escalation)[0], at=NIGHT + MIN)
    services.escalation_decide(escalation=escalation, user=engine.anna, decision="teruggegeven",
                               note="Afgesloten hoofdkraan, morgen monteur", at=NIGHT + 2 * MIN)
    report.refresh_from_db()
    assert report.assignee is None and report.status == Status.NEW
    assert ReportEvent.objects.filter(report=report, kind="note", text__contains="hoofdkraan", is_public=False).exists()


def test_inside_office_hours_a_queue_policy_shortens_the_deadline(engine):
    report = urgent_report(engine, at=DAY)
    assert not Escalation.objects.filter(report=report).exists()
    report.refresh_from_db()
    assert report.team == engine.team and report.deadline == DAY + dt.timedelta(minutes=60)


def test_non_urgent_report_starts_nothing(engine):
    report = urgent_report(engine, urgency="normaal", text="De deurbel doet het niet meer sinds gisteren")
    assert not Escalation.objects.filter(report=report).exists()


def test_raising_urgency_at_night_starts_the_chain(engine):
    from wijkpunt.reports.models import Category
    from wijkpunt.reports.services import report_recategorise

    report = urgent_report(engine, urgency="normaal", text="Er hangt een vreemde lucht in de gang")
    report_recategorise(report=report, actor=engine.anna, category=Category.objects.get(slug="gaslucht"),
                        urgency="spoed", at=NIGHT + 5 * MIN)
    escalation = Escalation.objects.get(report=report)
    assert escalation.due_at == NIGHT + 5 * MIN


def test_assigning_or_resolving_through_the_queue_stops_the_chain(engine):
    from wijkpunt.reports.services import report_assign, report_transition

    first, second = urgent_report(engine), urgent_report(engine, text="Gaslucht in de kelderbox van blok B")
    report_assign(report=first, actor=engine.cees, assignee=engine.cees, at=NIGHT + MIN)
    report_transition(report=second, actor=engine.cees, to_status="opgelost", note="Netbeheerder was er al",
                      at=NIGHT + MIN)
    assert set(Escalation.objects.values_list("status", flat=True)) == {"gestopt"}
    assert services.escalation_sweep(now=NIGHT + 60 * MIN) == 0


def test_a_gap_in_the_roster_skips_to_the_next_step_at_once(engine):
    Absence.objects.create(user=engine.anna, starts_at=NIGHT - 60 * MIN, ends_at=NIGHT + 600 * MIN, reason="ziek")
    report = urgent_report(engine)
    escalation = Escalation.objects.get(report=report)
    assert services.escalation_fire(escalation.pk, now=NIGHT) == 2
    skipped, paged = pages(escalation)
    assert skipped.recipient is None and "gat in rooster" in skipped.skipped_reason
    assert paged.recipient == engine.bram and paged.step == 1


def test_an_override_pages_the_replacement(engine):
    RosterOverride.objects.create(roster=engine.roster, user=engine.cees, starts_at=NIGHT - 60 * MIN,
                                  ends_at=NIGHT + 60 * MIN, reason="ruil")
    report = urgent_report(engine)
    services.escalation_fire(Escalation.objects.get(report=report).pk, now=NIGHT)
    assert Page.objects.get(step=0).recipient == engine.cees


def test_the_running_chain_is_a_snapshot(engine):
    report = urgent_report(engine)
    escalation = Escalation.objects.get(report=report)
    engine.paging.steps.all().delete()
    step(engine.paging, 0, EscalationStep.Target.USER, user=engine.cees)
    services.escalation_sweep(now=NIGHT)
    assert pages(escalation)[0].recipient == engine.anna


def test_help_request_pages_on_call_person_with_the_volunteers_phone(engine):
    from decimal import Decimal

    help_request, created = services.help_request_create(
        volunteer=engine.volunteer, organisation=engine.corp, message="Man ligt in de portiek",
        latitude=Decimal("52.089100"), longitude=Decimal("5.233200"), accuracy_m=12, idempotency_key="k1",
        at=DAY)
    again, created_again = services.help_request_create(volunteer=engine.volunteer, organisation=engine.corp,
                                                        idempotency_key="k1", at=DAY)
    assert created and not created_again and again == help_request
    escalation = help_request.escalation
    services.escalation_fire(escalation.pk, now=DAY)  # in office hours too: help is always paged
    (page,) = pages(escalation)
    assert page.recipient == engine.anna
    (sms,) = outbox_to("0612345671")
    assert "0687654321" in sms.body and "openstreetmap.org/?mlat=52.089100" in sms.body
    services.page_acknowledge(page=page, at=DAY + MIN)
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.PICKED_UP
    (told,) = outbox_to("0687654321")
    assert "Anna" in told.body and told.channel == "sms"


def test_only_volunteers_of_the_organisation_can_ask_for_help(engine):
    with pytest.raises(services.NotAllowed):
        services.help_request_create(volunteer=engine.other_staff, organisation=engine.corp)
    with pytest.raises(ValidationError):
        from decimal import Decimal

        services.help_request_create(volunteer=engine.volunteer, organisation=engine.corp, latitude=Decimal("52"))


def test_dashboard_acknowledge_needs_the_permission(engine):
    report = urgent_report(engine)
    escalation = Escalation.objects.get(report=report)
    with pytest.raises(services.NotAllowed):
        services.escalation_acknowledge(escalation=escalation, user=engine.volunteer)
    with pytest.raises(services.NotAllowed):
        services.escalation_acknowledge(escalation=escalation, user=engine.other_staff)
    assert services.escalation_acknowledge(escalation=escalation, user=engine.cees, at=NIGHT) is True
    assert services.escalation_fire(escalation.pk, now=NIGHT) == 0


def test_a_person_without_phone_or_email_is_skipped(engine):
    engine.anna.phone, engine.anna.email = "", ""
    engine.anna.save()
    report = urgent_report(engine)
    services.escalation_fire(Escalation.objects.get(report=report).pk, now=NIGHT)
    assert [p.recipient for p in Page.objects.order_by("step")] == [None, engine.bram]


def test_a_sweep_works_through_a_backlog_larger_than_its_batch(engine):
    reports = [urgent_report(engine, text=f"Gaslucht in portiek {n}, het wordt sterker") for n in range(5)]
    assert services.escalation_sweep(now=NIGHT, batch=2) == 5
    assert Page.objects.filter(escalation__report__in=reports, step=0).count() == 5
