"""The management pages of the on-call backup, through the real views and forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from wijkpunt.core.calendar import AMSTERDAM
from wijkpunt.core.models import ClosedDay, OfficeHours
from wijkpunt.oncall.models import (
    Absence,
    EscalationPolicy,
    EscalationStep,
    Roster,
    RosterMember,
    RosterOverride,
)
from wijkpunt.oncall.schedule import RosterSchedule
from wijkpunt.reports.models import Category

T = EscalationStep.Target


def url(name, *args):
    return reverse(f"oncall:{name}", args=args)


def local_input(moment: dt.datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M")


def soon(days: int, hour: int = 12) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=AMSTERDAM)


def step(target=T.ON_CALL, channels=("sms", "email"), wait="10", **extra) -> dict:
    return {"target": target, "channels": list(channels), "wait_minutes": wait, **extra}


def policy_data(*, steps, initial=0, **fields) -> dict:
    data = {"name": "Spoed 's nachts", "trigger": "melding", "when": "buiten", "urgencies": ["spoed"],
            "action": "oproepen", "roster": "", "queue_team": "", "queue_deadline_minutes": "", "position": "10",
            "is_active": "on", "stappen-TOTAL_FORMS": str(len(steps)), "stappen-INITIAL_FORMS": str(initial),
            "stappen-MIN_NUM_FORMS": "0", "stappen-MAX_NUM_FORMS": "1000", **fields}
    for index, values in enumerate(steps):
        for name, value in values.items():
            data[f"stappen-{index}-{name}"] = value
    return data


def counts() -> tuple[int, ...]:
    return (EscalationPolicy.objects.count(), EscalationStep.objects.count(),
            EscalationPolicy.categories.through.objects.count())


def make_policy(world, name, *targets, **extra) -> EscalationPolicy:
    policy = EscalationPolicy.objects.create(organisation=world.corp, name=name, urgencies=["spoed"], **extra)
    for position, (target, more) in enumerate(targets, start=1):
        EscalationStep.objects.create(policy=policy, position=position, target=target, channels=["sms"],
                                      wait=dt.timedelta(minutes=10), **more)
    return policy


# -- rosters ---------------------------------------------------------------------------------------
def test_beheerder_builds_a_roster_and_sees_the_gap(client, oncall_world):
    w = oncall_world
    client.force_login(w.admin)
    today = timezone.localdate()
    last_monday = today - dt.timedelta(days=today.weekday() + 7)
    response = client.post(url("roster_create"), {
        "name": "Rooster Vogelwijk", "neighbourhoods": [w.buurt.pk], "rotation_days": "7",
        "starts_on": last_monday.isoformat(), "handover_time": "17:00", "coordinator": w.coordinator.pk,
        "warning_days": "14", "is_active": "on"})
    roster = Roster.objects.get(name="Rooster Vogelwijk")
    assert response.status_code == 302 and response["Location"] == url("roster_detail", roster.pk)
    assert roster.organisation == w.corp and list(roster.neighbourhoods.all()) == [w.buurt]
    assert roster.handover_time == dt.time(17, 0) and roster.coordinator == w.coordinator
    assert "Nog niemand op dit rooster" in client.get(response["Location"]).content.decode()

    for user in (w.anna, w.bram, w.cees):
        assert client.post(url("roster_member_add", roster.pk), {"user": user.pk}).status_code == 302
    members = list(roster.members.order_by("position"))
    client.post(url("roster_member_up", roster.pk, members[1].pk))  # bram before anna
    client.post(url("roster_member_remove", roster.pk, members[2].pk))  # cees off
    assert [(m.user, m.position) for m in roster.members.order_by("position")] == [(w.bram, 1), (w.anna, 2)]
    assert client.post(url("roster_member_add", roster.pk), {"user": w.bram.pk}).status_code == 400  # once

    start, end = soon(3, 9), soon(3, 21)
    response = client.post(url("roster_override_add", roster.pk), {
        "starts_at": local_input(start), "ends_at": local_input(end), "user": "", "reason": "Niemand kan"})
    assert response.status_code == 302
    override = RosterOverride.objects.get(roster=roster)
    assert (override.starts_at, override.ends_at, override.user, override.created_by) == (start, end, None, w.admin)

    now = timezone.now()
    on_call = RosterSchedule(roster, now, now + dt.timedelta(hours=1)).on_call_at(now)
    response = client.post(url("roster_absence_add", roster.pk), {
        "user": on_call.pk, "kind": "ziek", "note": "griep", "starts_at": local_input(now - dt.timedelta(hours=1)),
        "ends_at": local_input(now + dt.timedelta(days=1))})
    assert response.status_code == 302
    assert Absence.objects.get(user=on_call).reason == "Ziek: griep"

    page = client.get(url("roster_detail", roster.pk)).content.decode()
    assert 'data-testid="gap-warning"' in page and "Let op: 2 gaten" in page
    assert 'data-gap="1"' in page and "Niemand kan" in page and "Ziek: griep" in page
    assert "utrecht-alert--warning" in page and "niemand (gat)" in page
    listing = client.get(url("roster_list")).content.decode()
    assert "Rooster Vogelwijk" in listing and "2 gaten" in listing


def test_roster_edit_keeps_choices_inside_the_organisation(client, oncall_world):
    w = oncall_world
    client.force_login(w.admin)
    page = client.get(url("roster_edit", w.roster.pk)).content.decode()
    assert "Vogelwijk" in page and "Bomenbuurt" in page and "Lombok" not in page  # units/complexes of Lindehof
    data = {"name": "Achtervang", "rotation_days": "14", "starts_on": "2026-11-02", "handover_time": "00:30",
            "warning_days": "7", "is_active": "on"}
    response = client.post(url("roster_edit", w.roster.pk), {**data, "neighbourhoods": [w.elsewhere.pk],
                                                             "coordinator": w.other_admin.pk})
    assert response.status_code == 400
    assert response.content.decode().count("Kies een waarde uit de lijst.") >= 2
    area = Roster.objects.create(organisation=w.corp, name="Bomen", starts_on=dt.date(2026, 11, 2))
    area.neighbourhoods.add(w.buurt2)
    response = client.post(url("roster_edit", w.roster.pk), {**data, "neighbourhoods": [w.buurt2.pk]})
    assert response.status_code == 400 and "Al in een ander actief rooster: Bomenbuurt." in response.content.decode()
    assert client.post(url("roster_edit", area.pk), {**data, "neighbourhoods": [w.buurt2.pk]}).status_code == 302
    assert client.post(url("roster_edit", w.roster.pk), {**data, "neighbourhoods": [w.buurt.pk]}).status_code == 302
    w.roster.refresh_from_db()
    assert (w.roster.rotation_days, w.roster.handover_time, w.roster.coordinator) == (14, dt.time(0, 30), None)


def test_datetime_local_is_amsterdam_time_and_past_overrides_stay(client, oncall_world):
    w = oncall_world
    client.force_login(w.admin)
    start = soon(10, 17)
    client.post(url("roster_override_add", w.roster.pk), {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": local_input(start + dt.timedelta(hours=2)),
        "user": w.cees.pk, "reason": "ruil"})
    override = RosterOverride.objects.get(reason="ruil")
    assert override.starts_at == start and override.starts_at.astimezone(AMSTERDAM).hour == 17
    past = RosterOverride.objects.create(roster=w.roster, user=w.anna, starts_at=timezone.now() - dt.timedelta(days=2),
                                         ends_at=timezone.now() - dt.timedelta(days=1))
    client.post(url("roster_override_delete", w.roster.pk, past.pk))
    client.post(url("roster_override_delete", w.roster.pk, override.pk))
    assert list(RosterOverride.objects.all()) == [past]


# -- policies --------------------------------------------------------------------------------------
def test_beheerder_creates_a_policy_with_steps(client, oncall_world):
    w = oncall_world
    client.force_login(w.admin)
    assert client.get(url("policy_create")).status_code == 200
    gas = Category.objects.get(slug="gaslucht")
    response = client.post(url("policy_create"), policy_data(categories=[gas.pk], roster=w.roster.pk, steps=[
        step(T.ON_CALL, ORDER="1"), step(T.BACKUP, channels=["sms"], wait="5", ORDER="2"),
        step(T.USER, user=w.admin.pk, channels=["email"], wait="30", ORDER="3"), step(target="", wait="", channels=[])]))
    assert response.status_code == 302 and response["Location"] == url("policy_list")
    policy = EscalationPolicy.objects.get(name="Spoed 's nachts")
    assert (policy.organisation, policy.urgencies, policy.roster) == (w.corp, ["spoed"], w.roster)
    assert list(policy.categories.all()) == [gas]
    assert [(s.position, s.target, s.channels, s.wait, s.user) for s in policy.steps.order_by("position")] == [
        (1, "dienst", ["sms", "email"], dt.timedelta(minutes=10), None),
        (2, "achtervang", ["sms"], dt.timedelta(minutes=5), None),
        (3, "persoon", ["email"], dt.timedelta(minutes=30), w.admin)]
    listing = client.get(url("policy_list")).content.decode()
    assert "Spoed &#x27;s nachts" in listing and "Achtervang (volgende in het rooster) (SMS; 5 min)" in listing


def test_editing_a_policy_reorders_and_deletes_steps(client, oncall_world):
    w = oncall_world
    policy = make_policy(w, "Nacht", (T.ON_CALL, {}), (T.BACKUP, {}), (T.COORDINATOR, {}))
    client.force_login(w.admin)
    page = client.get(url("policy_edit", policy.pk))
    assert page.status_code == 200 and page.context["formset"].initial_form_count() == 3
    response = client.post(url("policy_edit", policy.pk), policy_data(name="Nacht", initial=3, steps=[
        step(T.ON_CALL, ORDER="2"), step(T.BACKUP, ORDER="3", DELETE="on"), step(T.COORDINATOR, ORDER="1")]))
    assert response.status_code == 302
    assert list(policy.steps.order_by("position").values_list("target", flat=True)) == ["coordinator", "dienst"]


@pytest.mark.parametrize(("case", "message"), [
    ("cycle", "Deze keten loopt in een kring: A → B → A."),
    ("empty", "Een escalatieketen heeft minstens één stap nodig."),
    ("continue_not_last", "Stap 1: &#x27;doorgaan met ander beleid&#x27; moet de laatste stap zijn."),
    ("no_urgency", "Kies voor welke urgenties dit beleid geldt."),
    ("queue_without_deadline", "Geef een termijn tussen 5 en 1440 minuten."),
    ("queue_with_steps", "Beleid dat naar de werkvoorraad gaat, heeft geen stappen."),
    ("help_to_queue", "Een hulpvraag van een bewonerskracht gaat altijd direct naar de achtervang."),
    ("no_channel", "Stap 1: kies minstens één kanaal (SMS of e-mail)."),
    ("wait", "De wachttijd moet tussen 1 en 1440 minuten liggen."),
    ("person_elsewhere", "Kies een waarde uit de lijst."),
    ("garbage", "Kies een waarde uit de lijst."),
])
def test_invalid_policy_shows_dutch_messages_and_saves_nothing(client, oncall_world, case, message):
    w = oncall_world
    a = make_policy(w, "A", (T.ON_CALL, {}))
    b = make_policy(w, "B", (T.BACKUP, {}), (T.CONTINUE, {"continue_with": a}))
    steps = [step()]
    fields, target_url, initial = {}, url("policy_create"), 0
    if case == "cycle":
        fields, target_url, initial = {"name": "A"}, url("policy_edit", a.pk), 1
        steps = [step(T.COORDINATOR), step(T.CONTINUE, continue_with=b.pk, channels=[])]
    elif case == "empty":
        steps = [step(DELETE="on")]
    elif case == "continue_not_last":
        steps = [step(T.CONTINUE, continue_with=b.pk), step()]
    elif case == "no_urgency":
        fields = {"urgencies": []}
    elif case == "queue_without_deadline":
        fields, steps = {"action": "werkvoorraad"}, []
    elif case == "queue_with_steps":
        fields = {"action": "werkvoorraad", "queue_deadline_minutes": "30"}
    elif case == "help_to_queue":
        fields, steps = {"trigger": "hulpvraag", "action": "werkvoorraad", "queue_deadline_minutes": "30"}, []
    elif case == "no_channel":
        steps = [step(channels=[])]
    elif case == "wait":
        steps = [step(wait="0"), step(wait="99999999999999999999")]
    elif case == "person_elsewhere":
        steps = [step(T.USER, user=w.other_admin.pk)]
    elif case == "garbage":
        fields = {"categories": ["999999", "x"], "roster": "abc", "trigger": "brand", "position": "-1"}
        steps = [step(target="iets", wait="tien", channels=["fax"], continue_with="\x00")]
    client.force_login(w.admin)
    before, stored_a = counts(), list(a.steps.values_list("target", flat=True))
    response = client.post(target_url, policy_data(steps=steps, initial=initial, **fields))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'id="foutmeldingen"' in page
    assert counts() == before and list(a.steps.values_list("target", flat=True)) == stored_a
    a.refresh_from_db()
    assert a.name == "A"


def test_policy_form_survives_a_broken_management_form(client, oncall_world):
    client.force_login(oncall_world.admin)
    data = policy_data(steps=[step()])
    for key in ("stappen-TOTAL_FORMS", "stappen-INITIAL_FORMS"):
        data.pop(key)
    response = client.post(url("policy_create"), data)
    assert response.status_code == 400 and EscalationPolicy.objects.count() == 0
    huge = policy_data(steps=[step()], **{"stappen-TOTAL_FORMS": "100000000"})
    assert client.post(url("policy_create"), huge).status_code == 400


def test_a_policy_others_continue_with_cannot_be_deleted_or_made_a_queue_policy(client, oncall_world):
    w = oncall_world
    a = make_policy(w, "A", (T.ON_CALL, {}))
    make_policy(w, "B", (T.BACKUP, {}), (T.CONTINUE, {"continue_with": a}))
    client.force_login(w.admin)
    response = client.post(url("policy_delete", a.pk), follow=True)
    assert "Beleid B gaat door met dit beleid" in response.content.decode() and EscalationPolicy.objects.filter(
        pk=a.pk).exists()
    response = client.post(url("policy_edit", a.pk), policy_data(
        name="A", action="werkvoorraad", queue_deadline_minutes="30", steps=[]))
    assert response.status_code == 400 and "alleen met beleid dat oproept" in response.content.decode()
    c = make_policy(w, "C", (T.ON_CALL, {}))
    assert client.post(url("policy_delete", c.pk)).status_code == 302
    assert not EscalationPolicy.objects.filter(pk=c.pk).exists()


# -- office calendar -------------------------------------------------------------------------------
def test_office_hours_and_closed_days(client, oncall_world):
    w = oncall_world
    client.force_login(w.admin)
    page = client.get(url("office_calendar")).content.decode()
    assert "Nu: kantoor" in page and "Koningsdag" in page and "Eerste kerstdag" in page
    add = url("office_hours_add", w.corp.pk)
    assert client.post(add, {"weekday": "0", "opens": "08:30", "closes": "12:00"}).status_code == 302
    bad = [({"weekday": "0", "opens": "17:00", "closes": "08:30"}, "De sluitingstijd moet na de openingstijd liggen."),
           ({"weekday": "0", "opens": "11:00", "closes": "13:00"}, "Dit overlapt met maandag 08:30–12:00."),
           ({"weekday": "9", "opens": "25:99", "closes": ""}, "Kies een waarde uit de lijst."),
           ({"weekday": "0", "opens": "nu", "closes": "x"}, "Vul een tijd in, bijvoorbeeld 08:30.")]
    for data, message in bad:
        response = client.post(add, data)
        assert response.status_code == 400 and message in response.content.decode()
    assert OfficeHours.objects.filter(organisation=w.corp).count() == 1
    row = OfficeHours.objects.get(organisation=w.corp)
    assert client.post(url("office_hours_delete", w.corp.pk, row.pk)).status_code == 302
    assert not OfficeHours.objects.exists()

    day = timezone.localdate() + dt.timedelta(days=20)
    closed = url("closed_day_add", w.corp.pk)
    assert client.post(closed, {"date": day.isoformat(), "reason": "Personeelsdag"}).status_code == 302
    response = client.post(closed, {"date": day.strftime("%d-%m-%Y")})
    assert response.status_code == 400 and "staat al als sluitingsdag" in response.content.decode()
    for value in ("31-02-2026", "morgen", "9999-01-01"):
        assert client.post(closed, {"date": value}).status_code == 400
    assert "Personeelsdag" in client.get(url("office_calendar")).content.decode()
    closed_day = ClosedDay.objects.get(organisation=w.corp)
    assert client.post(url("closed_day_delete", w.corp.pk, closed_day.pk)).status_code == 302
    assert not ClosedDay.objects.exists()
    assert client.post(url("closed_day_delete", w.corp.pk, closed_day.pk)).status_code == 404


# -- who may do what -------------------------------------------------------------------------------
def test_view_duty_user_can_look_but_not_change(client, oncall_world):
    w = oncall_world
    policy = make_policy(w, "A", (T.ON_CALL, {}))
    client.force_login(w.anna)
    for target in (url("roster_list"), url("roster_detail", w.roster.pk), url("office_calendar")):
        assert client.get(target).status_code == 200
    assert "Wissel opslaan" not in client.get(url("roster_detail", w.roster.pk)).content.decode()
    member = w.roster.members.first()
    before = (RosterMember.objects.count(), RosterOverride.objects.count(), OfficeHours.objects.count())
    forbidden = [
        ("get", url("roster_create")), ("get", url("roster_edit", w.roster.pk)), ("get", url("policy_list")),
        ("get", url("policy_edit", policy.pk)), ("post", url("roster_create")),
        ("post", url("roster_member_add", w.roster.pk)), ("post", url("roster_member_remove", w.roster.pk, member.pk)),
        ("post", url("roster_member_down", w.roster.pk, member.pk)), ("post", url("roster_override_add", w.roster.pk)),
        ("post", url("roster_absence_add", w.roster.pk)), ("post", url("office_hours_add", w.corp.pk)),
        ("post", url("closed_day_add", w.corp.pk)), ("post", url("policy_delete", policy.pk)),
    ]
    for method, target in forbidden:
        data = {"user": w.anna.pk, "weekday": "0", "opens": "08:00", "closes": "09:00"} if method == "post" else None
        assert getattr(client, method)(target, data).status_code == 403, target
    assert (RosterMember.objects.count(), RosterOverride.objects.count(), OfficeHours.objects.count()) == before


def test_another_corporation_sees_nothing_of_ours(client, oncall_world):
    w = oncall_world
    policy = make_policy(w, "A", (T.ON_CALL, {}))
    hours = OfficeHours.objects.create(organisation=w.corp, weekday=0, opens=dt.time(8), closes=dt.time(17))
    member = w.roster.members.first()
    client.force_login(w.other_admin)
    listing = client.get(url("roster_list")).content.decode()
    assert "Achtervang Ander" in listing and "Achtervang Lindehof" not in listing
    for target in (url("roster_detail", w.roster.pk), url("roster_edit", w.roster.pk), url("policy_edit", policy.pk)):
        assert client.get(target).status_code == 404, target
    for target in (url("roster_member_add", w.roster.pk), url("roster_member_up", w.roster.pk, member.pk),
                   url("roster_override_add", w.roster.pk), url("policy_edit", policy.pk),
                   url("policy_delete", policy.pk), url("office_hours_add", w.corp.pk),
                   url("office_hours_delete", w.corp.pk, hours.pk)):
        assert client.post(target, {"user": w.other_staff.pk}).status_code == 404, target
    page = client.get(url("office_calendar") + f"?organisatie={w.corp.pk}").content.decode()
    assert "Andere Corporatie" in page and "Woonstichting Lindehof" not in page
    assert client.get(url("policy_list")).content.decode().count("policy_edit") == 0
    assert OfficeHours.objects.filter(pk=hours.pk).exists() and EscalationPolicy.objects.filter(pk=policy.pk).exists()
    # and their people cannot be put on our roster by our own beheerder either
    client.force_login(w.admin)
    response = client.post(url("roster_member_add", w.roster.pk), {"user": w.other_staff.pk})
    assert response.status_code == 400 and "Kies een waarde uit de lijst." in response.content.decode()


def test_anonymous_is_sent_to_login(client, oncall_world):
    w = oncall_world
    for target in (url("roster_list"), url("roster_detail", w.roster.pk), url("policy_list"),
                   url("office_calendar"), url("roster_create")):
        response = client.get(target)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client.post(url("roster_member_add", w.roster.pk), {"user": w.anna.pk})
    assert response.status_code == 302 and RosterMember.objects.count() == 4


def test_volunteer_has_no_duty_pages_but_a_help_link(client, oncall_world):
    w = oncall_world
    client.force_login(w.volunteer)
    assert client.get(url("roster_list")).status_code == 403
    assert client.get(url("office_calendar")).status_code == 403
    nav = client.get(reverse("staff:my_reports")).content.decode()
    assert reverse("help:home") in nav and f'href="{reverse("oncall:dashboard")}"' not in nav
    client.force_login(w.anna)
    nav = client.get(reverse("staff:my_reports")).content.decode()
    assert f'href="{reverse("oncall:dashboard")}"' in nav and reverse("help:home") not in nav


# -- bad input is a form error, never a 500 --------------------------------------------------------
def test_bad_roster_input_gives_form_errors(client, oncall_world):
    w = oncall_world
    client.force_login(w.admin)
    start = soon(5)
    march = dt.date(timezone.localdate().year + 1, 3, 31)
    spring_forward = march - dt.timedelta(days=(march.weekday() + 1) % 7)  # last Sunday of March
    cases = [
        ("roster_override_add", {"starts_at": local_input(start), "ends_at": local_input(start - dt.timedelta(hours=1))},
         "Het einde moet na het begin liggen."),
        ("roster_override_add", {"starts_at": "morgen", "ends_at": "2026-13-45T99:99"},
         "Vul een datum en tijd in, bijvoorbeeld 21-11-2026 14:30."),
        ("roster_override_add", {"starts_at": f"{spring_forward.isoformat()}T02:30",
                                 "ends_at": f"{spring_forward.isoformat()}T05:00"}, "zomer- of wintertijd"),
        ("roster_override_add", {"starts_at": "9999-01-01T00:00", "ends_at": "9999-01-02T00:00"},
         "Kies een tijdstip binnen twee jaar van nu."),
        ("roster_override_add", {"starts_at": local_input(start), "ends_at": local_input(start + dt.timedelta(hours=1)),
                                 "user": "999999"}, "Kies een waarde uit de lijst."),
        ("roster_override_add", {"starts_at": local_input(start), "ends_at": local_input(start + dt.timedelta(hours=1)),
                                 "user": w.volunteer.pk}, "Kies een waarde uit de lijst."),
        ("roster_override_add", {"starts_at": "2020-01-01T10:00", "ends_at": "2020-01-01T12:00"},
         "Kies een tijdstip binnen twee jaar van nu."),
        ("roster_absence_add", {"user": w.admin.pk, "kind": "ziek", "starts_at": local_input(start),
                                "ends_at": local_input(start + dt.timedelta(days=1))}, "Kies een waarde uit de lijst."),
        ("roster_absence_add", {"user": w.anna.pk, "kind": "staking", "starts_at": "", "ends_at": ""},
         "Vul een datum en tijd in."),
        ("roster_member_add", {"user": "abc"}, "Kies een waarde uit de lijst."),
        ("roster_member_add", {}, "Kies een medewerker."),
    ]
    before = (RosterOverride.objects.count(), Absence.objects.count(), RosterMember.objects.count())
    for name, data, message in cases:
        response = client.post(url(name, w.roster.pk), data)
        assert response.status_code == 400, (name, data)
        assert message in response.content.decode(), (name, data, message)
    assert (RosterOverride.objects.count(), Absence.objects.count(), RosterMember.objects.count()) == before
    response = client.post(url("roster_create"), {"name": "", "rotation_days": "3", "starts_on": "31-02-2026",
                                                  "handover_time": "25:00", "warning_days": "1000"})
    page = response.content.decode()
    assert response.status_code == 400 and Roster.objects.count() == 2
    for message in ("Geef het rooster een naam.", "Vul een datum in, bijvoorbeeld 23-11-2026.",
                    "Vul een tijd in, bijvoorbeeld 17:00.", "Vul een getal tussen 1 en 90 in."):
        assert message in page
    for target in (url("roster_detail", 999999), url("roster_edit", 999999), url("policy_edit", 999999)):
        assert client.get(target).status_code == 404
    for name in ("roster_member_remove", "roster_override_delete", "roster_absence_delete"):
        assert client.post(url(name, w.roster.pk, 999999)).status_code == 404
    assert client.get(url("roster_member_add", w.roster.pk)).status_code == 405
    assert client.get(url("office_calendar") + "?organisatie=%00abc").status_code == 200
