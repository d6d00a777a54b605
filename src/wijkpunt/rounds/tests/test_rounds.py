"""Rounds: planning and the pairs rule, who sees which round, the walking page (privacy, help button),
the checklist, and reports through the walking page's form without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wijkpunt.cases.tests.factories import make_user
from wijkpunt.reports.models import Channel, Report
from wijkpunt.rounds import services
from wijkpunt.rounds.models import Round, RoundCheck, RoundReport

from .factories import plan_round, round_world


@pytest.fixture
def w(db):
    return round_world()


def when(days: float = 1) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


# --- the pairs rule -----------------------------------------------------------------------------

def test_a_round_with_a_volunteer_partner_is_a_pair(w):
    rnd = plan_round(w)
    assert rnd.is_pair and rnd.partner == w.gulsen.user and rnd.programme == w.programme
    assert list(rnd.complexes.all()) == [w.merelhof]


def test_staff_of_the_corporation_may_be_the_partner(w):
    assert plan_round(w, partner=w.consultant).is_pair


def test_a_round_without_partner_is_allowed_but_flagged(w):
    rnd = plan_round(w, partner=None)
    assert not rnd.is_pair


@pytest.mark.parametrize(("who", "message"), [
    ("self", "niet met uzelf"),
    ("lotte", "andere buurt"),
    ("elders", "Kies een Bewonerskracht uit uw buurt"),
    ("other_consultant", "Kies een Bewonerskracht uit uw buurt"),
    ("nobody", "Kies een Bewonerskracht uit uw buurt"),
    ("partner", "Kies een Bewonerskracht uit uw buurt"),
])
def test_partner_must_be_someone_else_of_the_same_corporation(w, who, message):
    partner = {"self": w.henk.user, "lotte": w.lotte.user, "elders": w.elders_volunteer.user,
               "other_consultant": w.other_consultant, "nobody": w.nobody, "partner": w.partner}[who]
    with pytest.raises(ValidationError) as exc:
        plan_round(w, partner=partner)
    assert message in " ".join(exc.value.message_dict["partner"])
    assert not Round.objects.exists()


def test_a_volunteer_who_stopped_cannot_be_the_partner(w):
    w.gulsen.ended_on = timezone.localdate() - dt.timedelta(days=1)
    w.gulsen.save()
    with pytest.raises(ValidationError) as exc:
        plan_round(w)
    assert "geen actieve Bewonerskracht" in str(exc.value)


def test_plan_validation(w):
    with pytest.raises(ValidationError) as exc:
        services.round_plan(volunteer=w.henk, planned_for=when(-30), route="  ", complexes=[w.eikenhof, w.elders_cx])
    errors = exc.value.message_dict
    assert set(errors) == {"planned_for", "route", "complexes"}
    with pytest.raises(ValidationError):
        services.round_plan(volunteer=w.henk, planned_for=when(400), route="Merelstraat")
    # last week's round may still be recorded
    assert services.round_plan(volunteer=w.henk, planned_for=when(-3), route="Merelstraat").pk


# --- pages: planning and lists ------------------------------------------------------------------

def test_plan_page(client, w):
    client.force_login(w.henk.user)
    page = client.get(reverse("rounds:plan"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Gulsen" in body and "Lotte" not in body and "Elders_vrijwilliger" not in body  # partner choices
    assert "Merelhof" in body and "Eikenhof" not in body  # complexes of the programme's neighbourhood
    response = client.post(reverse("rounds:plan"), {
        "planned_for": when(2).strftime("%Y-%m-%dT%H:%M"), "route": "Merelstraat, Merelhof",
        "partner": str(w.gulsen.user_id), "complexes": [w.merelhof.pk], "notes": ""})
    rnd = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("rounds:detail", args=[rnd.pk])
    assert rnd.partner == w.gulsen.user


def test_plan_page_bad_input_is_400_with_dutch_messages(client, w):
    client.force_login(w.henk.user)
    response = client.post(reverse("rounds:plan"), {"planned_for": "morgen", "route": "", "partner": "999999",
                                                    "complexes": [w.eikenhof.pk]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vul een datum en tijd in" in body and "Beschrijf de route" in body
    assert "Kies een loopmaatje uit de lijst" in body and "Kies complexen uit de lijst" in body
    assert not Round.objects.exists()


def test_plan_without_partner_warns(client, w):
    client.force_login(w.henk.user)
    response = client.post(reverse("rounds:plan"), {"planned_for": when(2).strftime("%Y-%m-%dT%H:%M"),
                                                    "route": "Merelstraat"}, follow=True)
    assert "zonder loopmaatje" in response.content.decode()
    assert "Zonder loopmaatje" in response.content.decode()


def test_only_volunteers_plan(client, w):
    for user in (w.consultant, w.volunteer, w.nobody):  # w.volunteer has the role but no profile
        client.force_login(user)
        assert client.get(reverse("rounds:plan")).status_code == 403


def test_volunteer_and_partner_see_the_round_in_their_list(client, w):
    rnd = plan_round(w)
    for user in (w.henk.user, w.gulsen.user):
        client.force_login(user)
        page = client.get(reverse("rounds:home"))
        assert page.status_code == 200 and f'data-round="{rnd.pk}"' in page.content.decode()
    client.force_login(w.lotte.user)
    assert f'data-round="{rnd.pk}"' not in client.get(reverse("rounds:home")).content.decode()


def test_staff_list_flags_unpaired_rounds_and_filters(client, w):
    paired = plan_round(w)
    alone = plan_round(w, partner=None, route="Alleen langs de garages")
    elsewhere = plan_round(w, volunteer=w.elders_volunteer, partner=None, complexes=[])
    client.force_login(w.consultant)
    body = client.get(reverse("rounds:home")).content.decode()
    assert f'data-round="{paired.pk}"' in body and f'data-round="{alone.pk}" data-unpaired' in body
    assert f'data-round="{elsewhere.pk}"' not in body
    assert "1 ronde zonder loopmaatje" in body
    filtered = client.get(reverse("rounds:home"), {"unpaired": "on"}).content.decode()
    assert f'data-round="{alone.pk}"' in filtered and f'data-round="{paired.pk}"' not in filtered
    assert client.get(reverse("rounds:home"), {"date_from": "gisteren"}).status_code == 400
    client.force_login(w.other_consultant)
    assert f'data-round="{paired.pk}"' not in client.get(reverse("rounds:home")).content.decode()
    assert client.get(reverse("rounds:detail", args=[paired.pk])).status_code == 404


def test_without_rounds_access_the_list_is_403(client, w):
    for user in (w.nobody, w.partner, w.volunteer):
        client.force_login(user)
        assert client.get(reverse("rounds:home")).status_code == 403


# --- the walking page ---------------------------------------------------------------------------

def test_walking_page_shows_addresses_never_households(client, w):
    rnd = plan_round(w)
    client.force_login(w.henk.user)
    page = client.get(reverse("rounds:walk", args=[rnd.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Merelstraat 12" in body and "Merelstraat 14" in body and "Merelhof — algemene ruimten" in body
    assert "Jansen" not in body and "Bakker" not in body and "HC0" not in body  # households, contracts
    assert reverse("help:home") in body  # the on-call help button (oncall.request_help)
    assert reverse("rounds:sw") in body and "round-queue.js" in body


def test_walking_page_only_for_the_walkers(client, w):
    rnd = plan_round(w)
    client.force_login(w.gulsen.user)
    assert client.get(reverse("rounds:walk", args=[rnd.pk])).status_code == 200
    for user in (w.lotte.user, w.consultant, w.elders_volunteer.user, w.other_consultant):
        client.force_login(user)
        assert client.get(reverse("rounds:walk", args=[rnd.pk])).status_code == 404, user
    client.force_login(w.consultant)  # staff see the round itself
    assert client.get(reverse("rounds:detail", args=[rnd.pk])).status_code == 200


def test_staff_partner_walks_without_help_button(client, w):
    rnd = plan_round(w, partner=w.consultant)
    client.force_login(w.consultant)
    page = client.get(reverse("rounds:walk", args=[rnd.pk]))
    assert page.status_code == 200 and reverse("help:home") not in page.content.decode()


def test_start_finish_and_cancel(client, w):
    rnd = plan_round(w)
    client.force_login(w.gulsen.user)
    client.post(reverse("rounds:status", args=[rnd.pk]), {"action": "cancel"})  # only the planner may
    rnd.refresh_from_db()
    assert rnd.status == Round.Status.PLANNED
    client.post(reverse("rounds:status", args=[rnd.pk]), {"action": "start"})
    rnd.refresh_from_db()
    assert rnd.status == Round.Status.WALKING and rnd.started_at
    client.post(reverse("rounds:status", args=[rnd.pk]), {"action": "finish"})
    client.post(reverse("rounds:status", args=[rnd.pk]), {"action": "finish"})
    rnd.refresh_from_db()
    assert rnd.status == Round.Status.WALKED and rnd.finished_at
    other = plan_round(w)
    client.force_login(w.henk.user)
    client.post(reverse("rounds:status", args=[other.pk]), {"action": "cancel"})
    other.refresh_from_db()
    assert other.status == Round.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.round_start(round=other)


def test_checklist_page_saves_and_upserts(client, w):
    rnd = plan_round(w)
    client.force_login(w.henk.user)
    data = {"verlichting-result": "aandacht", "verlichting-remark": "Lamp portiek 12 kapot",
            **{f"{i}-result": "in_orde" for i in ("zwerfafval", "groen", "algemene_ruimten", "omkijken")}}
    assert client.post(reverse("rounds:checklist", args=[rnd.pk]), data).status_code == 302
    assert client.post(reverse("rounds:checklist", args=[rnd.pk]), data).status_code == 302
    assert RoundCheck.objects.filter(round=rnd).count() == 5
    assert RoundCheck.objects.get(round=rnd, item="verlichting").remark == "Lamp portiek 12 kapot"
    bad = client.post(reverse("rounds:checklist", args=[rnd.pk]), {**data, "groen-result": "mooi"})
    assert bad.status_code == 400 and "Kies een bevinding" in bad.content.decode()


def test_report_form_without_javascript(client, w):
    rnd = plan_round(w)
    client.force_login(w.henk.user)
    url = reverse("rounds:report", args=[rnd.pk])
    data = {"description": "Kapotte lamp in de portiek", "where": f"complex:{w.merelhof.pk}",
            "location_text": "portiek", "idempotency_key": "abc-123"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double submit: still one report
    report = Report.objects.get()
    assert report.channel == Channel.VOLUNTEER and report.reporter_user == w.henk.user
    assert report.complex == w.merelhof and report.round_link.round == rnd
    rnd.refresh_from_db()
    assert rnd.status == Round.Status.WALKING  # a report from the round starts it
    unit = w.jansen.unit
    client.post(url, {"description": "Deur sluit niet", "where": f"unit:{unit.pk}", "idempotency_key": "k2"})
    assert Report.objects.get(description="Deur sluit niet").unit == unit
    bad = client.post(url, {"description": "", "where": "adres", "postcode": "1234AB", "house_number": "1"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Beschrijf kort wat er aan de hand is." in body
    unknown = client.post(url, {"description": "Graffiti op de muur", "where": "adres", "postcode": "9999ZZ",
                                "house_number": "1"})
    assert unknown.status_code == 400 and "Dit adres kennen wij niet" in unknown.content.decode()
    gps = client.post(url, {"description": "Graffiti op de muur", "where": "gps"})
    assert gps.status_code == 400 and "Kies een punt op de kaart" in gps.content.decode()
    assert Report.objects.count() == 2 and RoundReport.objects.count() == 2


def test_detail_page_shows_checks_and_reports(client, w):
    rnd = plan_round(w)
    services.round_save_checks(round=rnd, checks=[services.CheckInput("groen", "aandacht", "Heg te hoog")])
    client.force_login(w.consultant)
    body = client.get(reverse("rounds:detail", args=[rnd.pk])).content.decode()
    assert "Heg te hoog" in body and "Aandacht nodig" in body


def test_service_worker_is_served_with_its_scope(client, w):
    response = client.get(reverse("rounds:sw"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/werk/rondes/"
    assert b'var SCOPE = "/werk/rondes/"' in response.content and b"round-queue.js" in response.content


def test_edit_round_adds_a_partner(client, w):
    rnd = plan_round(w, partner=None)
    client.force_login(w.henk.user)
    url = reverse("rounds:edit", args=[rnd.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"planned_for": timezone.localtime(rnd.planned_for).strftime("%Y-%m-%dT%H:%M"),
                                 "route": rnd.route, "partner": str(w.consultant.pk), "complexes": [w.merelhof.pk]})
    assert response.status_code == 302
    rnd.refresh_from_db()
    assert rnd.partner == w.consultant
    client.force_login(w.gulsen.user)
    assert client.get(url).status_code in (403, 404)


def test_ended_volunteer_cannot_plan(w):
    w.henk.ended_on = timezone.localdate() - dt.timedelta(days=1)
    w.henk.save()
    with pytest.raises(ValidationError):
        plan_round(w)


def test_staff_partner_needs_view_rounds(w):
    incasso = make_user("incasso2", w.corp, "incasso-medewerker")
    with pytest.raises(ValidationError):
        plan_round(w, partner=incasso)


def test_demo(w):
    from wijkpunt.rounds.demo import seed_rounds_demo

    today = timezone.localdate()
    counts = seed_rounds_demo(w.corp, today=today)
    assert counts["walked"] == 4 and counts["planned"] == 2 and counts["unpaired"] == 2  # Vogelwijk 3, Lombok 1
    assert counts["rounds"] == 8 and counts["reports"] == 6  # only Vogelwijk has complexes to report on
    assert RoundReport.objects.count() == counts["reports"] == Report.objects.filter(channel=Channel.VOLUNTEER).count()
    walked = Round.objects.filter(status=Round.Status.WALKED, programme=w.programme)
    assert walked.count() == 3 and all(r.is_pair for r in walked)
    assert all(r.checks.count() == 5 for r in walked)
    assert Round.objects.filter(partner__isnull=True, status=Round.Status.PLANNED).count() == 2
    tomorrow = Round.objects.filter(planned_for__date=today + dt.timedelta(days=1))
    assert tomorrow.count() == 2 and all(r.is_pair for r in tomorrow)
    assert seed_rounds_demo(w.corp, today=today) == {"rounds": 0, "walked": 0, "planned": 0, "unpaired": 0,
                                                     "reports": 0}
    assert seed_rounds_demo(w.other_corp, today=today)["rounds"] == 5  # elders: a lone volunteer, staff-less


def test_demo_without_volunteers_does_nothing(db):
    from wijkpunt.cases.tests.factories import build_world
    from wijkpunt.rounds.demo import seed_rounds_demo

    w = build_world()
    assert seed_rounds_demo(w.corp, today=timezone.localdate())["rounds"] == 0
