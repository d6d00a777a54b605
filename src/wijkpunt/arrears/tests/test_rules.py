"""The legal rules of early signalling, exercised through the services the pages and API use."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wijkpunt.housing.import_records import ImportFailed

from .. import exchange, rules, services
from ..models import ArrearsEpisode, Instalment, MunicipalityAgreement, Outcome, Signal, StepKind

TODAY = timezone.localdate


def days_ago(n: int) -> dt.date:
    return TODAY() - dt.timedelta(days=n)


def prevention_steps(episode, user, *, reminder_days_ago=40, contact=True, referral=True, reminder=True):
    if contact:
        services.record_contact_attempt(episode, user, occurred_on=days_ago(45), channel="TEL", reached=False,
                                        daypart="MID")
    if referral:
        services.record_debt_help_referral(episode, user, occurred_on=days_ago(44), channel="TEL")
    if reminder:
        services.send_reminder_letter(episode, user, sent_on=days_ago(reminder_days_ago), channel="BRI")


def codes(episode, on=None):
    episode.refresh_from_db()
    return {b.code for b in rules.signal_blockers(episode, on or TODAY())}


def test_signal_needs_all_four_conditions_and_names_the_missing_one(aw):
    episode = aw.episode
    assert {"contact_attempt", "debt_help_referral", "reminder"} <= codes(episode)
    with pytest.raises(services.StepRefused) as refused:
        services.create_signal(episode, aw.incasso, signal_date=TODAY())
    assert "contact_attempt" in {b.code for b in refused.value.blockers}
    assert not Signal.objects.exists()

    services.record_contact_attempt(episode, aw.incasso, occurred_on=days_ago(45), channel="BEZ", reached=False)
    assert "contact_attempt" not in codes(episode)
    services.record_debt_help_referral(episode, aw.incasso, occurred_on=days_ago(44), channel="TEL")
    assert codes(episode) == {"reminder", "offer"}  # condition 4 lives in the reminder
    services.send_reminder_letter(episode, aw.incasso, sent_on=days_ago(40), channel="BRI")
    assert codes(episode) == set()
    signal = services.create_signal(episode, aw.incasso, signal_date=TODAY())
    assert signal.municipality == aw.zeist and signal.amount_cents == 120000
    assert signal.client["achternaam"] == "Jansen" and "bsn" not in json.dumps(signal.client).lower()
    assert episode.steps.filter(kind=StepKind.SIGNAL).count() == 1


def test_a_letter_or_text_is_not_personal_contact(aw):
    services.record_contact_attempt(aw.episode, aw.incasso, occurred_on=days_ago(45), channel="SMS", reached=True)
    assert "contact_attempt" in codes(aw.episode)


def test_reminder_without_the_offer_does_not_count(aw):
    prevention_steps(aw.episode, aw.incasso, reminder=False)
    services.add_note(aw.episode, aw.incasso, occurred_on=days_ago(30), note="Brief uit ander systeem")
    step = aw.episode.steps.create(kind=StepKind.REMINDER_LETTER, occurred_on=days_ago(30), channel="BRI",
                                   data={"offered_contact_details": False})
    assert step.pk and "offer" in codes(aw.episode)


def test_objection_blocks_the_signal_for_this_episode(aw):
    prevention_steps(aw.episode, aw.incasso)
    services.record_objection(aw.episode, aw.incasso, occurred_on=days_ago(35), channel="BRI",
                              note="Wil geen contact met de gemeente")
    assert "no_objection" in codes(aw.episode)
    with pytest.raises(services.StepRefused):
        services.create_signal(aw.episode, aw.incasso, signal_date=TODAY())


def test_the_objection_period_must_have_passed(aw):
    prevention_steps(aw.episode, aw.incasso, reminder_days_ago=3)
    blockers = rules.signal_blockers(ArrearsEpisode.objects.get(pk=aw.episode.pk), TODAY())
    assert [b.code for b in blockers] == ["no_objection"]
    assert "bezwaartermijn loopt nog" in blockers[0].message


def test_no_repeat_signal_unless_the_arrears_grew(aw):
    prevention_steps(aw.episode, aw.incasso)
    services.create_signal(aw.episode, aw.incasso, signal_date=days_ago(1))
    assert codes(aw.episode) == {"grown"}
    with pytest.raises(services.StepRefused) as refused:
        services.create_signal(aw.episode, aw.incasso, signal_date=TODAY())
    assert [b.code for b in refused.value.blockers] == ["grown"]
    ArrearsEpisode.objects.filter(pk=aw.episode.pk).update(amount_cents=120001)
    aw.episode.refresh_from_db()
    services.create_signal(aw.episode, aw.incasso, signal_date=TODAY())
    assert aw.episode.signals.count() == 2


def test_only_to_the_tenants_municipality_with_an_agreement(aw):
    episode = aw.episode_bunnik  # lives in Bunnik: no agreement recorded there
    prevention_steps(episode, aw.incasso)
    assert codes(episode) == {"agreement"}
    # An agreement of another corporation with Bunnik does not count.
    MunicipalityAgreement.objects.create(corporation=aw.other_corp, municipality=aw.bunnik,
                                         valid_from=dt.date(2021, 1, 1))
    assert codes(episode) == {"agreement"}
    # An agreement of ours that has ended does not count either; a current one does.
    MunicipalityAgreement.objects.create(corporation=aw.corp, municipality=aw.bunnik, valid_from=dt.date(2021, 1, 1),
                                         valid_until=days_ago(10))
    assert codes(episode) == {"agreement"}
    MunicipalityAgreement.objects.create(corporation=aw.corp, municipality=aw.bunnik, valid_from=days_ago(9))
    assert codes(episode) == set()
    signal = services.create_signal(episode, aw.incasso, signal_date=TODAY())
    assert signal.municipality == aw.bunnik


def test_thresholds_of_the_agreement(aw):
    prevention_steps(aw.episode, aw.incasso)
    aw.agreement.min_days, aw.agreement.min_amount_cents = 90, 150000
    aw.agreement.save()
    assert codes(aw.episode) == {"threshold_days", "threshold_amount"}


def test_incomplete_contact_details_block(aw):
    prevention_steps(aw.episode, aw.incasso)
    household = aw.tenancy.household
    household.birth_date = None
    household.save()
    assert codes(aw.episode) == {"client"}


def test_closed_episode_cannot_be_signalled(aw):
    prevention_steps(aw.episode, aw.incasso)
    ArrearsEpisode.objects.filter(pk=aw.episode.pk).update(status="closed", closed_on=TODAY())
    assert "episode_open" in codes(aw.episode)


def test_step_input_is_validated_with_field_messages(aw):
    with pytest.raises(ValidationError) as err:
        services.record_contact_attempt(aw.episode, aw.incasso, occurred_on=TODAY() + dt.timedelta(days=1),
                                        channel="TEL", reached=True)
    assert "occurred_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.record_contact_attempt(aw.episode, aw.incasso, occurred_on=days_ago(400), channel="TEL",
                                        reached=True)
    assert "occurred_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.record_contact_attempt(aw.episode, aw.incasso, occurred_on=TODAY(), channel="XXX", reached=True)
    assert "channel" in err.value.message_dict
    with pytest.raises(ValidationError):
        services.add_note(aw.episode, aw.incasso, occurred_on=TODAY(), note="   ")
    assert not aw.episode.steps.exists()


def test_reminder_letter_is_kept_as_pdf_evidence(aw):
    step = services.send_reminder_letter(aw.episode, aw.incasso, sent_on=days_ago(2), channel="BRI")
    content = step.evidence.read()
    assert content.startswith(b"%PDF") and len(step.evidence_sha256) == 64
    assert step.data["offered_contact_details"] is True
    assert dt.date.fromisoformat(step.data["objection_until"]) > days_ago(2)


def test_bailiff_only_after_the_prevention_steps_and_the_fourteen_day_term(aw):
    episode = aw.episode
    blocked = {b.code for b in rules.bailiff_blockers(episode, TODAY())}
    assert {"contact_attempt", "debt_help_referral", "reminder", "signal", "fourteen_day_letter"} <= blocked
    prevention_steps(episode, aw.incasso)
    services.create_signal(episode, aw.incasso, signal_date=days_ago(20))
    services.send_fourteen_day_letter(episode, aw.incasso, sent_on=days_ago(3), channel="BRI")
    episode.refresh_from_db()
    assert [b.code for b in rules.bailiff_blockers(episode, TODAY())] == ["fourteen_day_deadline"]
    with pytest.raises(services.StepRefused):
        services.hand_over_to_bailiff(episode, aw.incasso, occurred_on=TODAY(), note="Deurwaarder X")
    services.send_fourteen_day_letter(episode, aw.incasso, sent_on=days_ago(25), channel="BRI")
    # The latest letter's deadline counts: the later letter (3 days ago) still runs.
    assert [b.code for b in rules.bailiff_blockers(episode, TODAY())] == ["fourteen_day_deadline"]


def test_bailiff_after_the_term_and_eviction_closes_the_episode(aw):
    episode = aw.episode
    prevention_steps(episode, aw.incasso)
    services.record_objection(episode, aw.incasso, occurred_on=days_ago(30), channel="TEL")  # no signal needed
    letter = services.send_fourteen_day_letter(episode, aw.incasso, sent_on=days_ago(25), channel="BRI")
    assert letter.data["costs_incl_vat_cents"] > 0
    with pytest.raises(services.StepRefused):
        services.record_outcome(episode, aw.incasso, outcome=Outcome.EVICTED, on=TODAY())
    services.hand_over_to_bailiff(episode, aw.incasso, occurred_on=TODAY(), note="Deurwaarder X")
    services.record_outcome(episode, aw.incasso, outcome=Outcome.TERMINATION_REQUESTED, on=TODAY())
    episode.refresh_from_db()
    assert episode.status == "open" and episode.outcome == Outcome.TERMINATION_REQUESTED
    services.record_outcome(episode, aw.incasso, outcome=Outcome.EVICTED, on=TODAY())
    episode.refresh_from_db()
    assert episode.status == "closed" and episode.closed_on == TODAY()


def _next_january_31_before_a_short_february() -> int:
    """A year whose 31 January lies ahead and whose February has 28 days (a fixed date goes stale)."""
    year = TODAY().year + 1
    while calendar.isleap(year):
        year += 1
    return year


def test_payment_arrangement_splits_into_instalments(aw):
    year = _next_january_31_before_a_short_february()
    arrangement = services.create_arrangement(aw.episode, aw.incasso, agreed_on=days_ago(1), total=Decimal("1000.00"),
                                              instalments=3, first_due_on=dt.date(year, 1, 31))
    rows = list(Instalment.objects.filter(arrangement=arrangement).values_list("number", "due_on", "amount_cents"))
    assert rows == [(1, dt.date(year, 1, 31), 33333), (2, dt.date(year, 2, 28), 33333),
                    (3, dt.date(year, 3, 31), 33334)]
    with pytest.raises(services.StepRefused):
        services.create_arrangement(aw.episode, aw.incasso, agreed_on=TODAY(), total=Decimal("10"), instalments=1,
                                    first_due_on=TODAY())
    with pytest.raises(ValidationError) as err:
        services.create_arrangement(aw.episode_bunnik, aw.incasso, agreed_on=TODAY(), total=Decimal("0"),
                                    instalments=40, first_due_on=days_ago(5))
    assert set(err.value.message_dict) == {"total", "instalments", "first_due_on"}


def _signalled(aw):
    prevention_steps(aw.episode, aw.incasso)
    return services.create_signal(aw.episode, aw.incasso, signal_date=days_ago(2), warm_handover=True)


def test_export_mirrors_the_ddas_message_without_bsn(aw):
    signal = _signalled(aw)
    document = json.loads(exchange.export_json([signal], sender="Woonstichting Test"))
    record = document["vroegsignalen"][0]
    assert record["vroegsignaal"]["bedrag"] == "1200.00"
    assert record["vroegsignaal"]["warmeOverdracht"] is True
    assert record["client"]["achternaam"] == "Jansen" and record["client"]["geboortedatum"] == "1980-05-17"
    assert record["contactpogingen"] == [{"soort": "Telefoon", "bereikt": False, "datum": days_ago(45).isoformat(),
                                          "dagdeel": "Middag"}]
    text = exchange.export_csv([signal]).decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.split(";") == list(exchange.CSV_COLUMNS)
    assert "Jansen" in row and "bsn" not in text.lower()


def test_municipality_answers_are_imported_all_or_nothing(aw):
    signal = _signalled(aw)
    good = f"signaal_id;status;datum\n{signal.public_id};opgepakt;{TODAY().isoformat()}\n"
    bad = good + f"not-a-uuid;opgepakt;{TODAY()}\n{signal.public_id};vervolghulp_financieel;2020-01-01\n"
    with pytest.raises(ImportFailed) as failed:
        exchange.import_answers(bad.encode(), corporation_ids=frozenset({aw.corp.pk}), user=aw.incasso)
    assert {(e.line, e.column) for e in failed.value.errors} == {(3, "signaal_id"), (4, "signaal_id"), (4, "datum")}
    signal.refresh_from_db()
    assert signal.status == "nog_niet_opgepakt"
    result = exchange.import_answers(good.encode(), corporation_ids=frozenset({aw.corp.pk}), user=aw.incasso)
    assert (result.updated, result.unchanged) == (1, 0)
    signal.refresh_from_db()
    assert signal.status == "opgepakt" and signal.answered_on == TODAY()
    # The Dutch label is accepted too; the same answer again changes nothing.
    again = f"signaal_id,status,datum\n{signal.public_id},Opgepakt,{TODAY()}\n"
    assert exchange.import_answers(again.encode(), corporation_ids=frozenset({aw.corp.pk}),
                                   user=aw.incasso).unchanged == 1


def test_answers_for_another_corporations_signal_are_refused(aw):
    signal = _signalled(aw)
    data = f"signaal_id;status;datum\n{signal.public_id};opgepakt;{TODAY()}\n".encode()
    with pytest.raises(ImportFailed) as failed:
        exchange.import_answers(data, corporation_ids=frozenset({aw.other_corp.pk}), user=aw.other_incasso)
    assert "niet bekend" in failed.value.errors[0].message


def test_unknown_status_and_bad_date_are_line_errors(aw):
    signal = _signalled(aw)
    data = f"signaal_id;status;datum\n{signal.public_id};misschien;31-12-2026\n".encode()
    with pytest.raises(ImportFailed) as failed:
        exchange.import_answers(data, corporation_ids=frozenset({aw.corp.pk}), user=aw.incasso)
    assert {e.column for e in failed.value.errors} == {"status", "datum"}
