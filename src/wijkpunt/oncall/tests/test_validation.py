"""Escalation policies are data: the checks that keep them meaningful, and expanding a chain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from wijkpunt.oncall.models import EscalationPolicy, EscalationStep, Roster
from wijkpunt.oncall.validation import StepData, expand_chain, validate_policy_fields, validate_steps

T = EscalationStep.Target
MIN = dt.timedelta(minutes=1)


def sd(target=T.ON_CALL, minutes=10, channels=("sms", "email"), **extra) -> StepData:
    return StepData(target=target, wait=minutes * MIN, channels=list(channels), **extra)


def policy(world, name, *, action=EscalationPolicy.Action.PAGE, org=None, **extra) -> EscalationPolicy:
    return EscalationPolicy.objects.create(organisation=org or world.corp, name=name, urgencies=["spoed"],
                                           action=action, **extra)


def stored_step(policy, position, target, **extra) -> EscalationStep:
    return EscalationStep.objects.create(policy=policy, position=position, target=target,
                                         channels=["sms"], wait=10 * MIN, **extra)


def step_messages(world, steps, *, policy_id=None, action=EscalationPolicy.Action.PAGE) -> list[str]:
    with pytest.raises(ValidationError) as info:
        validate_steps(policy_id=policy_id, organisation_id=world.corp.pk, action=action, steps=steps)
    return info.value.message_dict["steps"]


def field_errors(**kwargs) -> dict[str, list[str]]:
    defaults = {"action": EscalationPolicy.Action.PAGE, "urgencies": ["spoed"],
                "trigger": EscalationPolicy.Trigger.REPORT, "queue_deadline_minutes": None}
    with pytest.raises(ValidationError) as info:
        validate_policy_fields(**{**defaults, **kwargs})
    return info.value.message_dict


# -- steps -----------------------------------------------------------------------------------------
def test_a_valid_chain_passes(oncall_world):
    w = oncall_world
    validate_steps(policy_id=None, organisation_id=w.corp.pk, action="oproepen", steps=[
        sd(), sd(T.BACKUP, minutes=1), sd(T.COORDINATOR, minutes=1440, channels=["email"]),
        sd(T.USER, user_id=w.admin.pk), sd(T.ROSTER, roster_id=w.roster.pk)])


def test_empty_chain(oncall_world):
    assert step_messages(oncall_world, []) == ["Een escalatieketen heeft minstens één stap nodig."]


def test_queue_policy_has_no_steps(oncall_world):
    validate_steps(policy_id=None, organisation_id=oncall_world.corp.pk, action="werkvoorraad", steps=[])
    assert "geen stappen" in step_messages(oncall_world, [sd()], action="werkvoorraad")[0]


@pytest.mark.parametrize(("minutes", "ok"), [(0, False), (1, True), (1440, True), (1441, False)])
def test_wait_must_be_between_1_and_1440_minutes(oncall_world, minutes, ok):
    steps = [sd(minutes=minutes)]
    if ok:
        validate_steps(policy_id=None, organisation_id=oncall_world.corp.pk, action="oproepen", steps=steps)
    else:
        assert step_messages(oncall_world, steps) == ["Stap 1: de wachttijd moet tussen 1 en 1440 minuten liggen."]


def test_channels_and_target_are_needed(oncall_world):
    messages = step_messages(oncall_world, [sd(channels=[]), sd(channels=["fax"]), sd(target="iemand")])
    assert messages == ["Stap 1: kies minstens één kanaal (SMS of e-mail).", "Stap 2: onbekend kanaal.",
                        "Stap 3: kies wie er wordt opgeroepen."]


def test_named_person_needs_a_phone_or_email_and_must_be_active(oncall_world):
    w = oncall_world
    w.bram.phone, w.bram.email = "", ""
    w.bram.save()
    w.cees.is_active = False
    w.cees.save()
    messages = step_messages(w, [sd(T.USER, user_id=w.bram.pk), sd(T.USER, user_id=w.cees.pk), sd(T.USER)])
    assert messages == ["Stap 1: Bram Bakker heeft geen telefoonnummer of e-mailadres.",
                        "Stap 2: kies een persoon.", "Stap 3: kies een persoon."]


def test_roster_of_another_organisation(oncall_world):
    w = oncall_world
    messages = step_messages(w, [sd(T.ROSTER, roster_id=w.other_roster.pk), sd(T.ROSTER, roster_id=999999)])
    assert messages == ["Stap 1: dit rooster hoort bij een andere organisatie.", "Stap 2: kies een rooster."]
    assert field_errors(organisation_id=w.corp.pk, roster=w.other_roster) == {
        "roster": ["Dit rooster hoort bij een andere organisatie."]}


def test_continue_must_be_last_and_name_a_policy(oncall_world):
    w = oncall_world
    other = policy(w, "Nacht")
    stored_step(other, 1, T.ON_CALL)
    messages = step_messages(w, [sd(T.CONTINUE, continue_with_id=other.pk), sd()])
    assert messages == ["Stap 1: 'doorgaan met ander beleid' moet de laatste stap zijn."]
    assert step_messages(w, [sd(), sd(T.CONTINUE)]) == ["Stap 2: kies met welk beleid de keten doorgaat."]


def test_cycle_a_b_a(oncall_world):
    w = oncall_world
    a, b = policy(w, "A"), policy(w, "B")
    stored_step(a, 1, T.ON_CALL)
    stored_step(b, 1, T.BACKUP)
    stored_step(b, 2, T.CONTINUE, continue_with=a)
    # editing A (still without a 'continue' in the database) to continue with B closes the circle
    messages = step_messages(w, [sd(), sd(T.CONTINUE, continue_with_id=b.pk)], policy_id=a.pk)
    assert messages == ["Deze keten loopt in een kring: A → B → A."]


def test_cycle_a_a(oncall_world):
    w = oncall_world
    a = policy(w, "A")
    stored_step(a, 1, T.ON_CALL)
    assert step_messages(w, [sd(), sd(T.CONTINUE, continue_with_id=a.pk)], policy_id=a.pk) == [
        "Deze keten loopt in een kring: A → A."]


def test_cycle_check_uses_the_edited_chain_not_the_stored_one(oncall_world):
    w = oncall_world
    a, b = policy(w, "A"), policy(w, "B")
    stored_step(a, 1, T.CONTINUE, continue_with=b)
    stored_step(b, 1, T.CONTINUE, continue_with=a)  # stored cycle (e.g. from before validation)
    # the edit removes A's 'continue': no cycle any more, even though the database still has one
    validate_steps(policy_id=a.pk, organisation_id=w.corp.pk, action="oproepen", steps=[sd()])
    # a new policy continuing with A runs into the stored A → B → A circle
    assert step_messages(w, [sd(T.CONTINUE, continue_with_id=a.pk)])[0].startswith("Deze keten loopt in een kring")


def test_continue_only_with_own_paging_policies(oncall_world):
    w = oncall_world
    foreign = policy(w, "Vreemd", org=w.other_corp)
    queue = policy(w, "Werkvoorraad", action=EscalationPolicy.Action.QUEUE, queue_deadline_minutes=60)
    assert step_messages(w, [sd(T.CONTINUE, continue_with_id=foreign.pk)]) == [
        "U kunt alleen doorgaan met beleid van de eigen organisatie."]
    assert step_messages(w, [sd(T.CONTINUE, continue_with_id=queue.pk)]) == [
        "Doorgaan kan alleen met beleid dat oproept."]
    assert step_messages(w, [sd(T.CONTINUE, continue_with_id=999999)]) == [
        "Het beleid om mee door te gaan bestaat niet."]


# -- policy fields ---------------------------------------------------------------------------------
def test_queue_policy_needs_a_deadline(oncall_world):
    org = oncall_world.corp.pk
    for minutes in (None, 0, 4, 1441):
        assert field_errors(organisation_id=org, action="werkvoorraad", queue_deadline_minutes=minutes) == {
            "queue_deadline_minutes": ["Geef een termijn tussen 5 en 1440 minuten."]}
    validate_policy_fields(organisation_id=org, action="werkvoorraad", urgencies=["spoed"], trigger="melding",
                           queue_deadline_minutes=5)


def test_help_policy_cannot_go_to_the_queue(oncall_world):
    errors = field_errors(organisation_id=oncall_world.corp.pk, trigger="hulpvraag", urgencies=[],
                          action="werkvoorraad", queue_deadline_minutes=60)
    assert errors == {"action": ["Een hulpvraag van een bewonerskracht gaat altijd direct naar de achtervang."]}
    validate_policy_fields(organisation_id=oncall_world.corp.pk, trigger="hulpvraag", urgencies=[],
                           action="oproepen", queue_deadline_minutes=None)


def test_urgencies(oncall_world):
    org = oncall_world.corp.pk
    assert field_errors(organisation_id=org, urgencies=["spoed", "paniek"]) == {
        "urgencies": ["Onbekende urgentie: paniek."]}
    assert field_errors(organisation_id=org, urgencies=[]) == {
        "urgencies": ["Kies voor welke urgenties dit beleid geldt."]}


def test_queue_team_of_another_organisation(oncall_world):
    from wijkpunt.core.models import Team

    team = Team.objects.create(organisation=oncall_world.other_corp, name="Elders", slug="elders")
    errors = field_errors(organisation_id=oncall_world.corp.pk, action="werkvoorraad", queue_deadline_minutes=30,
                          queue_team=team)
    assert errors == {"queue_team": ["Dit team hoort bij een andere organisatie."]}


# -- expand_chain ----------------------------------------------------------------------------------
def test_expand_chain_follows_continue(oncall_world):
    w = oncall_world
    night = Roster.objects.create(organisation=w.corp, name="Nacht", starts_on=dt.date(2026, 11, 2))
    a = policy(w, "A", roster=w.roster)
    b = policy(w, "B", roster=night)
    stored_step(a, 1, T.ON_CALL)
    stored_step(a, 2, T.CONTINUE, continue_with=b)
    stored_step(b, 1, T.COORDINATOR)
    stored_step(b, 2, T.USER, user=w.admin)
    chain = expand_chain(a)
    assert [(s["target"], s["policy"], s["roster"], s["user"]) for s in chain] == [
        ("dienst", a.pk, w.roster.pk, None), ("coordinator", b.pk, night.pk, None),
        ("persoon", b.pk, night.pk, w.admin.pk)]
    assert chain[0]["wait"] == 600 and chain[0]["channels"] == ["sms"]


def test_expand_chain_stops_at_a_stored_cycle(oncall_world):
    w = oncall_world
    a, b = policy(w, "A"), policy(w, "B")
    stored_step(a, 1, T.ON_CALL)
    stored_step(a, 2, T.CONTINUE, continue_with=b)
    stored_step(b, 1, T.BACKUP)
    stored_step(b, 2, T.CONTINUE, continue_with=a)
    assert [s["target"] for s in expand_chain(a)] == ["dienst", "achtervang"]
