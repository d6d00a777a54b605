"""Who sees what (guarantee 5): per role, what it may and may not see, in pages and API."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from wijkpunt.reports import services
from wijkpunt.reports.models import Status

from .helpers import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(world):
    own = make_report(world, text="Lamp in de portiek is kapot", user=world.volunteer, email="vrijwilliger@x.nl")
    forwarded = make_report(world, text="Jongeren hangen elke avond bij de ingang", category="jongeren",
                            email="buurman@example.nl")
    services.report_forward(report=forwarded, actor=world.staff, partner=world.wijkteam)
    services.report_add_note(report=forwarded, actor=world.staff, text="INTERN: bekende bewoner", public=False)
    plain = make_report(world, text="Schimmel in de slaapkamer bij het raam")
    elsewhere = make_report(world, unit=world.other_unit, text="Lekkage bij een andere corporatie")
    return {"own": own, "forwarded": forwarded, "plain": plain, "elsewhere": elsewhere}


# role -> reports it may open (others must 404)
MATRIX = {
    "staff": {"own", "forwarded", "plain"},
    "consultant": {"own", "forwarded", "plain"},
    "admin": {"own", "forwarded", "plain"},
    "volunteer": {"own"},
    "volunteer2": set(),
    "partner": {"forwarded"},
    "police": set(),
    "other_staff": {"elsewhere"},
    "nobody": set(),
}


@pytest.mark.parametrize("role", MATRIX)
def test_report_pages_per_role(client, world, reports, role):
    client.force_login(world.users[role])
    for name, report in reports.items():
        response = client.get(reverse("staff:report", args=[report.pk]))
        expected = 200 if name in MATRIX[role] else 404
        assert response.status_code == expected, (role, name)


@pytest.mark.parametrize("role", MATRIX)
def test_report_api_per_role(world, reports, role):
    api = APIClient()
    api.force_authenticate(world.users[role])
    for name, report in reports.items():
        response = api.get(f"/api/v1/reports/{report.pk}/")
        assert response.status_code == (200 if name in MATRIX[role] else 404), (role, name)


@pytest.mark.parametrize("role", MATRIX)
def test_queue_lists_only_what_the_role_may_see(client, world, reports, role):
    client.force_login(world.users[role])
    response = client.get(reverse("staff:queue"), {"status": "alle"})
    queue_roles = {"staff", "consultant", "admin", "partner", "other_staff", "police"}
    if role not in queue_roles:
        assert response.status_code == 403
        return
    listed = {r.pk for r in response.context["page"].reports}
    visible = {reports[n].pk for n in MATRIX[role] if n != "own" or role in {"staff", "consultant", "admin"}}
    assert listed == visible, role
    api = APIClient()
    api.force_authenticate(world.users[role])
    data = api.get("/api/v1/reports/", {"status": "alle"}).json()
    assert {r["id"] for r in data["results"]} == visible


def test_anonymous_gets_login_redirect_and_api_401(client, world, reports):
    response = client.get(reverse("staff:report", args=[reports["plain"].pk]))
    assert response.status_code == 302 and reverse("login") in response.url
    assert client.get(reverse("staff:queue")).status_code == 302
    assert APIClient().get("/api/v1/reports/").status_code in (401, 403)
    assert APIClient().get(f"/api/v1/reports/{reports['plain'].pk}/").status_code in (401, 403)


def test_partner_sees_no_internal_notes_and_contact_only_with_consent(client, world, reports):
    client.force_login(world.partner)
    html = client.get(reverse("staff:report", args=[reports["forwarded"].pk])).content.decode()
    assert "buurman@example.nl" not in html  # reporter did not consent to contact
    api = APIClient()
    api.force_authenticate(world.partner)
    data = api.get(f"/api/v1/reports/{reports['forwarded'].pk}/").json()
    assert data["reporter"] is None


def test_volunteer_sees_only_public_timeline_of_own_report(client, world, reports):
    services.report_add_note(report=reports["own"], actor=world.staff, text="INTERN geheim", public=False)
    services.report_add_note(report=reports["own"], actor=world.staff, text="Lamp wordt vervangen", public=True)
    client.force_login(world.volunteer)
    html = client.get(reverse("staff:report", args=[reports["own"].pk])).content.decode()
    assert "Lamp wordt vervangen" in html and "INTERN geheim" not in html
    assert "wp-actions" not in html  # no actions for a volunteer
    mine = client.get(reverse("staff:my_reports"))
    assert [r.pk for r in mine.context["reports"]] == [reports["own"].pk]


def test_tracking_page_shows_only_public_events(client, world, reports):
    html = client.get(reverse("public:track", args=[reports["forwarded"].tracking_token])).content.decode()
    assert "INTERN: bekende bewoner" not in html
    assert "Wijkteam Oost" in html  # the public forward message


@pytest.mark.parametrize("role", ["volunteer", "partner", "other_staff", "nobody"])
def test_forbidden_actions_per_role(client, world, reports, role):
    client.force_login(world.users[role])
    report = reports["plain"]
    for action, data in [("transition", {"to_status": "geannuleerd", "note": "x"}),
                         ("note", {"text": "hallo"}), ("forward", {"partner": world.police.pk}),
                         ("assign", {"assignee": world.staff.pk})]:
        response = client.post(reverse("staff:report_action", args=[report.pk, action]), data)
        assert response.status_code in (403, 404), (role, action)
    report.refresh_from_db()
    assert report.status == Status.NEW and report.events.count() == 1


def test_partner_cannot_act_on_own_forwarded_report_beyond_resolve(client, world, reports):
    client.force_login(world.partner)
    report = reports["forwarded"]
    response = client.post(reverse("staff:report_action", args=[report.pk, "transition"]),
                           {"to_status": "geannuleerd", "note": "x"})
    assert response.status_code == 302  # form refuses the choice, nothing changes
    report.refresh_from_db()
    assert report.status == Status.FORWARDED
    client.post(reverse("staff:report_action", args=[report.pk, "transition"]),
                {"to_status": "opgelost", "note": "Gesprek gevoerd", "public": "on"})
    report.refresh_from_db()
    assert report.status == Status.RESOLVED


def test_photos_only_for_those_who_may_see_the_report(client, world, photo):
    from wijkpunt.reports.photos import clean_photos

    report, _ = services.report_create(description="Graffiti op de muur bij de fietsenstalling", channel="INT",
                                       location_kind="adres", unit=world.unit, photos=clean_photos([photo]),
                                       suggestion={})
    attachment = report.attachments.get()
    url = reverse("staff:report_photo", args=[report.pk, attachment.pk])
    client.force_login(world.staff)
    assert client.get(url).status_code == 200
    client.force_login(world.other_staff)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(reverse("public:track_photo", args=[report.tracking_token, attachment.pk])).status_code == 200
    assert client.get(reverse("public:track_photo", args=["wrong", attachment.pk])).status_code == 404


def test_admin_report_changes_are_blocked(client, world, reports):
    world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    response = client.post(reverse("admin:reports_report_change", args=[reports["plain"].pk]), {"status": "opgelost"})
    assert response.status_code == 403


def test_queue_filters_by_assignee_and_category(client, world, reports):
    services.report_assign(report=reports["plain"], actor=world.staff, assignee=world.consultant)
    client.force_login(world.staff)
    by_person = client.get("/werk/werkvoorraad/", {"behandelaar": str(world.consultant.pk)})
    assert [r.pk for r in by_person.context["page"].reports] == [reports["plain"].pk]
    nobody = client.get("/werk/werkvoorraad/", {"behandelaar": "niemand"})
    assert reports["plain"].pk not in {r.pk for r in nobody.context["page"].reports}
    by_main = client.get("/werk/werkvoorraad/", {"categorie": "overlast"})
    assert [r.pk for r in by_main.context["page"].reports] == [reports["forwarded"].pk]
    bad = client.get("/werk/werkvoorraad/", {"status": "<script>", "urgentie": "x", "buurt": "abc", "na": "!!"})
    assert bad.status_code == 200


def test_volunteer_api_view_of_own_report_hides_handler_fields(world, reports):
    services.report_assign(report=reports["own"], actor=world.staff, assignee=world.consultant, team=world.team)
    services.report_add_note(report=reports["own"], actor=world.staff, text="INTERN: niet delen", public=False)
    api = APIClient()
    api.force_authenticate(world.volunteer)
    data = api.get(f"/api/v1/reports/{reports['own'].pk}/").json()
    assert data["assignee"] is None and data["team"] is None and data["deadline"] is None
    assert data["suggestion"] == {} and "INTERN" not in str(data["events"])
    api.force_authenticate(world.staff)
    staff_view = api.get(f"/api/v1/reports/{reports['own'].pk}/").json()
    assert staff_view["assignee"] == world.consultant.username and staff_view["deadline"]
