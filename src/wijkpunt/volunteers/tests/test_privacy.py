"""Who sees what: a volunteer only their own page (never candidates, other volunteers' pages or
contact details, household data, or contacts that were not shared); staff of another corporation
get 404 for everything; people without the permission 403."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from wijkpunt.core.permissions import clear_perm_cache
from wijkpunt.network.models import ContactPoint
from wijkpunt.network.selectors import shared_contacts_for_volunteer
from wijkpunt.volunteers import meetings, services, training
from wijkpunt.volunteers.models import MeetingAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(vw):
    candidate = services.candidate_nominate(programme=vw.programme, actor=vw.staff, first_name="Ria", last_name="Kok",
                                            phone="0612345670", how_found="bewoner")
    track = training.track_ensure(vw.programme)
    meeting = meetings.meeting_create(programme=vw.programme, actor=vw.consultant, month=dt.date(2026, 10, 1),
                                      starts_at=timezone.now())
    action = MeetingAction.objects.create(meeting=meeting, text="Iets doen")
    training.attendance_save(track=track, actor=None, present={(w.pk, vw.henk.pk) for w in track.workshops.all()})
    return {"candidate": candidate, "workshop": track.workshops.first(), "meeting": meeting, "action": action}


def _staff_urls(vw, o):
    p = vw.programme.pk
    return {
        "get": [reverse("volunteers:programme", args=[p]), reverse("volunteers:programme_edit", args=[p]),
                reverse("volunteers:nominate", args=[p]), reverse("volunteers:training", args=[p]),
                reverse("volunteers:meeting_create", args=[p]), reverse("volunteers:candidate", args=[o["candidate"].pk]),
                reverse("volunteers:volunteer", args=[vw.gulsen.pk]),
                reverse("volunteers:certificate", args=[vw.henk.pk]),
                reverse("volunteers:workshop_edit", args=[o["workshop"].pk]),
                reverse("volunteers:meeting", args=[o["meeting"].pk])],
        "post": [reverse("volunteers:attendance", args=[p]), reverse("volunteers:workshop_add", args=[p]),
                 reverse("volunteers:thank", args=[vw.gulsen.pk]),
                 reverse("volunteers:meeting_refresh", args=[o["meeting"].pk]),
                 reverse("volunteers:meeting_attendance", args=[o["meeting"].pk]),
                 reverse("volunteers:meeting_notes", args=[o["meeting"].pk]),
                 reverse("volunteers:action_add", args=[o["meeting"].pk]),
                 reverse("volunteers:action_done", args=[o["action"].pk])],
    }


def test_other_corporation_staff_get_404_everywhere(client, vw, objects):
    client.force_login(vw.other_consultant)
    urls = _staff_urls(vw, objects)
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    for url in urls["post"]:
        assert client.post(url, {"text": "x", "notes": "x"}).status_code == 404, url
    home = client.get(reverse("volunteers:home")).content.decode()
    assert "Bewonerskrachten Vogelwijk" in home  # their own programme (same neighbourhood name) ...
    assert f'data-programme="{vw.programme.pk}"' not in home  # ... but not ours
    assert client.get(reverse("volunteers:waiting")).status_code == 200


def test_a_volunteer_sees_only_their_own_page(client, vw, objects):
    client.force_login(vw.henk.user)
    assert client.get(reverse("volunteers:me")).status_code == 200
    assert client.get(reverse("volunteers:home")).url == reverse("volunteers:me")
    # another volunteer's page and certificate: 404; their own staff url leads to their page
    assert client.get(reverse("volunteers:volunteer", args=[vw.gulsen.pk])).status_code == 404
    assert client.get(reverse("volunteers:certificate", args=[vw.henk.pk])).status_code == 404
    assert client.get(reverse("volunteers:volunteer", args=[vw.henk.pk])).url == reverse("volunteers:me")
    urls = _staff_urls(vw, objects)
    for url in urls["get"]:
        assert client.get(url).status_code in (403, 404), url
    for url in urls["post"]:
        assert client.post(url, {"text": "x"}).status_code in (403, 404), url
    assert client.get(reverse("volunteers:waiting")).status_code == 403
    body = client.get(reverse("volunteers:me")).content.decode()
    assert "Ria" not in body and "Kok" not in body  # never candidates


def test_people_without_the_permission(client, vw):
    for user in (vw.partner, vw.nobody, vw.manager):
        client.force_login(user)
        assert client.get(reverse("volunteers:home")).status_code == 403
        assert client.get(reverse("volunteers:me")).status_code == 403
        assert client.get(reverse("volunteers:programme", args=[vw.programme.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("volunteers:me")).status_code == 302  # to the login page


def test_a_bewonerskracht_without_profile(client, vw):
    client.force_login(vw.volunteer)  # role bewonerskracht, no Volunteer profile
    page = client.get(reverse("volunteers:me"))
    assert page.status_code == 200 and 'data-testid="no-profile"' in page.content.decode()
    assert client.get(reverse("volunteers:my_certificate")).status_code == 403


@pytest.fixture
def contacts(vw):
    def point(name, *, shared, neighbourhoods=(), owner=None, active=True):
        cp = ContactPoint.objects.create(owner=owner or vw.corp, kind="wijkagent", name=name, handles="Overlast",
                                         phone_office_hours="0900-8844", shared_with_volunteers=shared,
                                         is_active=active)
        cp.neighbourhoods.set(neighbourhoods)
        return cp

    return {
        "agent": point("Wijkagent Vogelwijk", shared=True, neighbourhoods=[vw.vogelwijk]),
        "everywhere": point("Buurtbemiddeling Zeist", shared=True),
        "internal": point("Interne lijn opzichter", shared=False, neighbourhoods=[vw.vogelwijk]),
        "lombok": point("Wijkagent Lombok", shared=True, neighbourhoods=[vw.lombok]),
        "other_corp": point("Andere corporatie: beheer", shared=True, neighbourhoods=[vw.vogelwijk], owner=vw.other_corp),
        "inactive": point("Oude wijkagent", shared=True, neighbourhoods=[vw.vogelwijk], active=False),
    }


def test_volunteers_see_only_shared_contacts_of_their_neighbourhood(client, vw, contacts):
    assert {c.name for c in shared_contacts_for_volunteer(vw.henk)} == {"Wijkagent Vogelwijk", "Buurtbemiddeling Zeist"}
    assert {c.name for c in shared_contacts_for_volunteer(vw.lotte)} == {"Wijkagent Lombok", "Buurtbemiddeling Zeist"}
    client.force_login(vw.henk.user)
    body = client.get(reverse("volunteers:me")).content.decode()
    assert "Wijkagent Vogelwijk" in body and "Buurtbemiddeling Zeist" in body
    for hidden in ("Interne lijn opzichter", "Wijkagent Lombok", "Andere corporatie", "Oude wijkagent"):
        assert hidden not in body
    # staff looking at henk's page do not get the volunteer's contact list
    client.force_login(vw.consultant)
    assert 'data-testid="contacts"' not in client.get(reverse("volunteers:volunteer", args=[vw.henk.pk])).content.decode()


def test_shared_contacts_need_the_permission(vw, contacts):
    group = Group.objects.get(name="bewonerskracht")
    group.permissions.remove(Permission.objects.get(codename="view_shared_contacts", content_type__app_label="network"))
    clear_perm_cache(vw.henk.user)
    assert list(shared_contacts_for_volunteer(vw.henk)) == []


def test_network_migration_grants_shared_contacts_to_existing_volunteers(db):
    """network/0003 gives an existing installation's bewonerskracht group the new permission."""
    import importlib

    from django.apps import apps
    from django.db import connection

    from wijkpunt.core.migration_grants import grant_to_default_groups

    module = importlib.import_module("wijkpunt.network.migrations.0003_view_shared_contacts")
    group = Group.objects.get_or_create(name="bewonerskracht")[0]
    group.permissions.remove(*Permission.objects.filter(content_type__app_label="network"))

    class Editor:
        connection = None

    editor = Editor()
    editor.connection = connection
    grant_to_default_groups("network", module.GRANTS)(apps, editor)
    assert set(group.permissions.filter(content_type__app_label="network").values_list("codename", flat=True)) == {
        "view_shared_contacts"}
