"""The steering group: agenda building, decisions, minutes, and who sees what (pages, access log)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wijkpunt.cases.models import Case, CaseAction, CaseEvent, CaseParticipant, Consent
from wijkpunt.cases.tests.factories import build_world, make_user
from wijkpunt.core.models import AccessLog, Organisation
from wijkpunt.steering import services
from wijkpunt.steering.models import AgendaItem, Meeting, SteeringGroup

DECISION = "Wijkteam gaat op huisbezoek bij de familie wegens schulden."


@pytest.fixture
def w(db):
    world = build_world()
    world.municipality = Organisation.objects.create(name="Gemeente Zeist", slug="gemeente-zeist",
                                                     kind="gemeente", municipality_code="GM0355")
    world.outsider_org = Organisation.objects.create(name="Buurtbemiddeling", slug="bb", kind="partner",
                                                     partner_type="buurtbemiddeling")
    world.outsider = make_user("bemiddelaar", world.outsider_org, "partner-medewerker")
    world.group = services.steering_group_create(
        organisation=world.corp, name="Regiegroep Zeist-Noord", neighbourhoods=[world.vogelwijk, world.bomen],
        member_organisations=[world.municipality, world.wijkteam],
    )
    return world


def make_case(w, tenancy, *, flagged=True, org=None, neighbourhood=None, status="open", question="Wie pakt dit op?"):
    return Case.objects.create(
        organisation=org or w.corp, household=tenancy.household, unit=tenancy.unit, title=f"Zorgen om {tenancy.household.name}",
        neighbourhood=neighbourhood or tenancy.unit.neighbourhood, steering_flag=flagged, steering_question=question,
        status=status, closed_on=timezone.localdate() if status == "closed" else None,
    )


def plan(w, *, days=7) -> Meeting:
    return services.meeting_create(group=w.group, actor=w.regisseur, date=timezone.now() + dt.timedelta(days=days),
                                   location="Gemeentehuis")


def agenda_case_ids(meeting) -> list[int]:
    return list(meeting.items.order_by("order").values_list("case_id", flat=True))


def decide_post(item, decision=DECISION, actions=()):
    data = {f"besluit-{item.pk}-decision": decision, f"acties-{item.pk}-TOTAL_FORMS": "3",
            f"acties-{item.pk}-INITIAL_FORMS": "0", f"acties-{item.pk}-MIN_NUM_FORMS": "0",
            f"acties-{item.pk}-MAX_NUM_FORMS": "10"}
    for i, action in enumerate(actions):
        data.update({f"acties-{item.pk}-{i}-{k}": v for k, v in action.items()})
    return data


def meeting_url(meeting) -> str:
    return reverse("steering:meeting", args=[meeting.pk])


# --- agenda --------------------------------------------------------------------------------------

def test_agenda_takes_open_flagged_cases_of_the_chair_in_the_area(w):
    in_area = make_case(w, w.jansen)
    in_other_buurt_of_area = make_case(w, w.visser)
    make_case(w, w.bakker, flagged=False)  # not flagged
    make_case(w, w.yilmaz)  # Lombok: another area
    closed = make_case(w, w.homes.bakker, status="closed")  # closed (second case of the household is fine)
    make_case(w, w.elders, org=w.other_corp)  # another corporation's case in the same buurt
    meeting = plan(w)
    assert agenda_case_ids(meeting) == [in_area.pk, in_other_buurt_of_area.pk]
    assert closed.pk not in agenda_case_ids(meeting)
    assert meeting.items.get(case=in_area).question == "Wie pakt dit op?"


def test_refresh_keeps_decided_items_drops_unflagged_and_adds_new(w):
    first, second = make_case(w, w.jansen), make_case(w, w.bakker)
    meeting = plan(w)
    item = meeting.items.get(case=first)
    services.agenda_item_decide(item=item, actor=w.regisseur, decision="Besloten.")
    Case.objects.filter(pk=second.pk).update(steering_flag=False)
    third = make_case(w, w.visser)
    change = services.meeting_refresh_agenda(meeting=meeting)
    assert (change.added, change.removed) == (1, 1)
    assert agenda_case_ids(meeting) == [first.pk, third.pk]  # decided item stays though no longer flagged
    assert services.meeting_refresh_agenda(meeting=meeting) == services.AgendaChange(0, 0)


def test_refresh_button_and_held_meeting_is_fixed(w, client):
    meeting = plan(w)
    case = make_case(w, w.jansen)
    client.force_login(w.regisseur)
    response = client.post(reverse("steering:meeting_refresh", args=[meeting.pk]))
    assert response.status_code == 302
    assert agenda_case_ids(meeting) == [case.pk]
    services.meeting_save_minutes(meeting=meeting, minutes="Verslag.")
    services.meeting_publish_minutes(meeting=meeting, actor=w.regisseur)
    response = client.post(reverse("steering:meeting_refresh", args=[meeting.pk]))
    assert response.status_code == 400


# --- decisions -------------------------------------------------------------------------------------

def test_decision_creates_actions_event_and_unflags(w, client):
    case = make_case(w, w.jansen)
    meeting = plan(w)
    item = meeting.items.get()
    client.force_login(w.regisseur)
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = client.post(reverse("steering:item_decide", args=[item.pk]), decide_post(item, actions=[
        {"title": "Huisbezoek", "owner_organisation": w.wijkteam.pk, "owner": w.partner.pk, "due_date": due},
        {"title": "Huur bewaken", "owner_organisation": w.corp.pk, "owner": "", "due_date": due},
    ]))
    assert response.status_code == 302
    item.refresh_from_db()
    case.refresh_from_db()
    assert item.decision == DECISION and item.decided_by == w.regisseur and item.decided_at
    actions = CaseAction.objects.filter(case=case).order_by("pk")
    assert [(a.title, a.owner_organisation_id, a.owner_id, a.agenda_item_id) for a in actions] == [
        ("Huisbezoek", w.wijkteam.pk, w.partner.pk, item.pk), ("Huur bewaken", w.corp.pk, None, item.pk)]
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.STEERING)
    assert event.for_participants
    assert event.text.startswith(f"Besproken in Regiegroep Zeist-Noord op {timezone.localtime(meeting.date):%d-%m-%Y}")
    assert "schulden" not in event.text and "huisbezoek" not in event.text.lower()
    assert case.steering_flag is False

    again = client.post(reverse("steering:item_decide", args=[item.pk]), decide_post(item, decision="Iets anders"))
    assert again.status_code == 400
    item.refresh_from_db()
    assert item.decision == DECISION
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STEERING).count() == 1
    with pytest.raises(ValidationError) as exc:
        services.agenda_item_decide(item=item, actor=w.regisseur, decision="Nog eens")
    assert "decision" in exc.value.message_dict


@pytest.mark.parametrize("decision,actions", [
    ("   ", []),
    (DECISION, [{"title": "Iets", "owner_organisation": "", "due_date": "2026-12-01"}]),  # no organisation
    (DECISION, [{"title": "Iets", "owner_organisation": "OUTSIDER", "due_date": "2026-12-01"}]),  # not in group
    (DECISION, [{"title": "Iets", "owner_organisation": "CORP", "owner": "PARTNER", "due_date": "2026-12-01"}]),
    (DECISION, [{"title": "Iets", "owner_organisation": "CORP", "due_date": "morgen"}]),
])
def test_bad_decision_is_400_and_saves_nothing(w, client, decision, actions):
    case = make_case(w, w.jansen)
    item = plan(w).items.get()
    ids = {"OUTSIDER": w.outsider_org.pk, "CORP": w.corp.pk, "PARTNER": w.partner.pk}
    actions = [{k: ids.get(v, v) for k, v in a.items()} for a in actions]
    client.force_login(w.regisseur)
    response = client.post(reverse("steering:item_decide", args=[item.pk]), decide_post(item, decision, actions))
    assert response.status_code == 400
    assert b"utrecht-form-field-error-message" in response.content
    item.refresh_from_db()
    case.refresh_from_db()
    assert not item.is_decided and case.steering_flag
    assert not CaseAction.objects.exists() and not CaseEvent.objects.filter(kind="regiegroep").exists()


def test_minutes_and_publish(w, client):
    meeting = plan(w)
    client.force_login(w.regisseur)
    assert client.post(reverse("steering:meeting_publish", args=[meeting.pk])).status_code == 400  # nothing written
    assert client.post(reverse("steering:meeting_minutes", args=[meeting.pk]), {"minutes": "Goed overleg."}).status_code == 302
    assert client.post(reverse("steering:meeting_publish", args=[meeting.pk])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_published and meeting.status == Meeting.Status.HELD
    assert client.post(reverse("steering:meeting_minutes", args=[meeting.pk]), {"minutes": "Anders"}).status_code == 400
    meeting.refresh_from_db()
    assert meeting.minutes == "Goed overleg."


# --- who sees what -----------------------------------------------------------------------------------

def test_chair_sees_full_agenda_and_reads_are_logged(w, client):
    cases = [make_case(w, w.jansen), make_case(w, w.bakker)]
    meeting = plan(w)
    client.force_login(w.regisseur)
    response = client.get(meeting_url(meeting))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Zorgen om Familie Jansen" in body and "Wie pakt dit op?" in body
    assert 'data-testid="decision-form"' in body
    logs = AccessLog.objects.filter(user=w.regisseur, purpose="Regiegroep", subject="case")
    assert sorted(logs.values_list("subject_id", flat=True)) == sorted(c.pk for c in cases)
    assert set(logs.values_list("household_id", flat=True)) == {c.household_id for c in cases}
    assert all(log.organisation_id == w.corp.pk and log.role for log in logs)


def test_member_sees_minutes_once_published_and_case_content_only_with_consent(w, client):
    case = make_case(w, w.jansen)
    meeting = plan(w)
    item = meeting.items.get()
    services.agenda_item_decide(item=item, actor=w.regisseur, decision=DECISION)
    services.meeting_save_minutes(meeting=meeting, minutes="Algemene afspraken over de wijk.")
    client.force_login(w.partner)

    body = client.get(meeting_url(meeting)).content.decode()
    assert "Algemene afspraken" not in body and "nog niet gepubliceerd" in body
    assert f"Casus {case.reference} (geagendeerd)" in body
    assert "Familie Jansen" not in body and DECISION not in body and "Wie pakt dit op?" not in body

    services.meeting_publish_minutes(meeting=meeting, actor=w.regisseur)
    body = client.get(meeting_url(meeting)).content.decode()
    assert "Algemene afspraken over de wijk." in body
    assert f"Casus {case.reference} (besproken)" in body
    assert "Familie Jansen" not in body and DECISION not in body
    assert not AccessLog.objects.filter(user=w.partner).exists()
    assert 'data-testid="decision-form"' not in body and 'data-testid="minutes-form"' not in body

    CaseParticipant.objects.create(case=case, organisation=w.wijkteam, request="Meekijken",
                                   status=CaseParticipant.Status.ACCEPTED, invited_by=w.regisseur)
    body = client.get(meeting_url(meeting)).content.decode()
    assert "Familie Jansen" not in body  # accepted, but no consent for the situation
    consent = Consent.objects.create(case=case, organisation=w.wijkteam, categories=["situatie"],
                                     purpose="Regiegroep", given_by="Mevrouw Jansen",
                                     method=Consent.Method.SIGNED_FORM, valid_from=timezone.localdate())
    body = client.get(meeting_url(meeting)).content.decode()
    # the situation, but not the person: the title names the household, so the case type stands in
    assert DECISION in body and "Wie pakt dit op?" in body and "Familie Jansen" not in body
    assert case.get_case_type_display() in body
    AccessLog.objects.filter(user=w.partner).delete()
    consent.categories = ["persoon", "situatie"]
    consent.save()
    body = client.get(meeting_url(meeting)).content.decode()
    assert "Zorgen om Familie Jansen" in body and DECISION in body and "Wie pakt dit op?" in body
    log = AccessLog.objects.get(user=w.partner)
    assert (log.organisation_id, log.subject, log.subject_id, log.purpose) == (w.wijkteam.pk, "case", case.pk,
                                                                                 "Regiegroep")

    home = client.get(reverse("steering:home"))
    assert home.status_code == 200 and "Regiegroep Zeist-Noord" in home.content.decode()
    assert reverse("steering:home") in home.content.decode()  # the navigation link


def test_member_cannot_write(w, client):
    make_case(w, w.jansen)
    meeting = plan(w)
    item = meeting.items.get()
    client.force_login(w.partner)
    for url, data in [
        (reverse("steering:item_decide", args=[item.pk]), decide_post(item)),
        (reverse("steering:meeting_minutes", args=[meeting.pk]), {"minutes": "x"}),
        (reverse("steering:meeting_publish", args=[meeting.pk]), {}),
        (reverse("steering:meeting_refresh", args=[meeting.pk]), {}),
        (reverse("steering:meeting_create", args=[w.group.pk]), {"date": "2026-12-01T14:00"}),
        (reverse("steering:group_edit", args=[w.group.pk]), {"name": "X"}),
        (reverse("steering:group_create"), {"name": "X"}),
    ]:
        assert client.post(url, data).status_code == 403, url
    assert not AgendaItem.objects.filter(decided_at__isnull=False).exists()


def test_non_member_partner_gets_404_and_volunteer_403(w, client):
    make_case(w, w.jansen)
    meeting = plan(w)
    item = meeting.items.get()
    other_group = services.steering_group_create(organisation=w.other_corp, name="Elders", neighbourhoods=[],
                                                 member_organisations=[])
    urls_404 = [reverse("steering:group", args=[w.group.pk]), meeting_url(meeting),
                reverse("steering:item_decide", args=[item.pk])]
    client.force_login(w.outsider)
    assert client.get(reverse("steering:home")).status_code == 200
    assert "Regiegroep Zeist-Noord" not in client.get(reverse("steering:home")).content.decode()
    for url in urls_404:
        response = client.post(url, decide_post(item)) if "besluit" in url else client.get(url)
        assert response.status_code == 404, url
    client.force_login(w.regisseur)  # the chair of one corporation guessing another's group
    assert client.get(reverse("steering:group", args=[other_group.pk])).status_code == 404
    client.force_login(w.volunteer)
    for url in [reverse("steering:home"), *urls_404]:
        response = client.post(url, decide_post(item)) if "besluit" in url else client.get(url)
        assert response.status_code == 403, url
    assert "/werk/regiegroep/" not in client.get(reverse("staff:my_reports")).content.decode()


def test_inactive_group_hidden_from_members(w, client):
    meeting = plan(w)
    SteeringGroup.objects.filter(pk=w.group.pk).update(is_active=False)
    client.force_login(w.partner)
    assert client.get(meeting_url(meeting)).status_code == 404
    client.force_login(w.regisseur)
    assert client.get(meeting_url(meeting)).status_code == 200


# --- managing groups and meetings ----------------------------------------------------------------------

def test_group_create_edit_and_bad_input(w, client):
    client.force_login(w.regisseur)
    assert client.get(reverse("steering:group_create")).status_code == 200
    response = client.post(reverse("steering:group_create"), {"name": "", "neighbourhoods": [w.vogelwijk.pk]})
    assert response.status_code == 400 and "Vul een naam in." in response.content.decode()
    response = client.post(reverse("steering:group_create"), {"name": "Regiegroep Zeist-Noord",
                                                              "neighbourhoods": [w.vogelwijk.pk]})
    assert response.status_code == 400  # name taken
    response = client.post(reverse("steering:group_create"), {"name": "Nieuw", "neighbourhoods": ["abc"]})
    assert response.status_code == 400
    assert SteeringGroup.objects.count() == 1
    response = client.post(reverse("steering:group_create"), {
        "name": "Regiegroep Utrecht-West", "neighbourhoods": [w.lombok.pk],
        "member_organisations": [w.wijkteam.pk], "is_active": "on"})
    assert response.status_code == 302
    group = SteeringGroup.objects.get(name="Regiegroep Utrecht-West")
    for url in [reverse("steering:home"), reverse("steering:group", args=[group.pk]),
                reverse("steering:group_edit", args=[group.pk])]:
        page = client.get(url)
        assert page.status_code == 200 and "Regiegroep Utrecht-West" in page.content.decode(), url
    assert group.organisation == w.corp and list(group.neighbourhoods.all()) == [w.lombok]
    response = client.post(reverse("steering:group_edit", args=[group.pk]), {
        "organisation": w.corp.pk, "name": "Regiegroep Utrecht", "neighbourhoods": [w.lombok.pk],
        "member_organisations": [w.wijkteam.pk, w.municipality.pk], "is_active": "on"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Regiegroep Utrecht" and group.member_organisations.count() == 2


def test_meeting_create_page(w, client):
    case = make_case(w, w.jansen)
    client.force_login(w.regisseur)
    url = reverse("steering:meeting_create", args=[w.group.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"date": "gisteren"}).status_code == 400
    assert not Meeting.objects.exists()
    response = client.post(url, {"date": "2026-11-12T14:00", "location": "Gemeentehuis"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert agenda_case_ids(meeting) == [case.pk] and meeting.created_by == w.regisseur


def test_demo_seed(w):
    from wijkpunt.steering.demo import seed_steering

    make_case(w, w.jansen)
    make_case(w, w.visser)
    SteeringGroup.objects.all().delete()
    summary = seed_steering(w.corp)
    assert summary == {"groups": 1, "meetings": 2, "decided": 1, "planned_items": 1}
    held = Meeting.objects.get(status=Meeting.Status.HELD)
    assert held.is_published and held.items.get().is_decided
    assert seed_steering(w.corp)["groups"] == 0


def test_anonymising_a_case_clears_its_agenda_copies(w):
    case = make_case(w, w.jansen)
    item = plan(w).items.get()
    services.agenda_item_decide(item=item, actor=w.regisseur, decision=DECISION)
    assert services.agenda_items_anonymise(case_id=case.pk) == 1
    item.refresh_from_db()
    assert (item.question, item.decision) == ("", "") and item.is_decided
