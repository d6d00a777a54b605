"""Regression tests from the privacy and security review of the volunteer programme: selection
never attaches the volunteer role to a staff, partner, admin or other corporation's account; the
set-password link is single-use; the certificate download survives any name; dates at the edges of
the calendar and over-long e-mail addresses are field errors, not 500s; a volunteer who stopped no
longer sees the shared contacts; the admin is scoped to the user's own corporation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from wijkpunt.cases.tests.factories import make_user
from wijkpunt.core.models import Membership, OutboxMessage, User
from wijkpunt.network.models import ContactPoint
from wijkpunt.volunteers import meetings, services, training
from wijkpunt.volunteers.models import Candidate, Volunteer

pytestmark = pytest.mark.django_db


def _nominate(vw, email, **extra):
    return services.candidate_nominate(programme=vw.programme, actor=vw.staff, first_name="Ria", last_name="Kok",
                                       how_found="bewoner", email=email, **extra)


# --- selection and accounts -----------------------------------------------------------------------

@pytest.mark.parametrize("who", ["consultant", "admin", "other_consultant", "partner", "manager", "elders_bk",
                                 "django_admin"])
def test_selection_never_attaches_the_role_to_a_staff_partner_or_other_corporation_account(client, vw, who):
    accounts = {
        "consultant": vw.consultant,  # staff of the same corporation
        "admin": vw.admin,
        "other_consultant": vw.other_consultant,  # another corporation
        "partner": vw.partner,  # a partner organisation
        "manager": vw.manager,
        "elders_bk": make_user("elders_bk", vw.other_corp, "bewonerskracht"),  # volunteer role elsewhere
        "django_admin": make_user("superbeheer", None, None, is_staff=True, is_superuser=True),
    }
    target = accounts[who]
    memberships = set(Membership.objects.filter(user=target).values_list("organisation_id", "role__name"))
    candidate = _nominate(vw, target.email.upper())
    with pytest.raises(ValidationError) as exc:
        services.candidate_decide(candidate=candidate, actor=vw.consultant, status="geselecteerd", reason="Ja")
    assert "medewerker of van een andere organisatie" in exc.value.message_dict["email"][0]
    client.force_login(vw.consultant)
    response = client.post(reverse("volunteers:candidate", args=[candidate.pk]),
                           {"status": "geselecteerd", "reason": "Ja"})
    assert response.status_code == 400 and "andere organisatie" in response.content.decode()
    # nothing changed: no profile, no new role, candidate still open, no mail
    assert not Volunteer.objects.filter(user=target).exists()
    assert set(Membership.objects.filter(user=target).values_list("organisation_id", "role__name")) == memberships
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.NOMINATED
    assert not OutboxMessage.objects.filter(idempotency_key__startswith="volunteers:welcome").exists()


def test_selection_still_links_a_residents_own_account(vw, django_capture_on_commit_callbacks):
    resident = make_user("bewoner.kok", None, None, email="ria.kok@example.nl")  # e.g. files reports online
    candidate = _nominate(vw, "ria.kok@example.nl")
    with django_capture_on_commit_callbacks(execute=True):
        services.candidate_decide(candidate=candidate, actor=vw.consultant, status="geselecteerd", reason="Ja")
    assert Volunteer.objects.get(candidate=candidate).user == resident
    assert list(Membership.objects.filter(user=resident).values_list("organisation_id", "role__name")) == [
        (vw.corp.pk, "bewonerskracht")]
    assert len(mail.outbox) == 1 and "/account/wachtwoord-instellen/" not in mail.outbox[0].body


def test_the_set_password_link_works_once(client, vw, django_capture_on_commit_callbacks):
    candidate = _nominate(vw, "ria.kok@example.nl")
    with django_capture_on_commit_callbacks(execute=True):
        services.candidate_decide(candidate=candidate, actor=vw.consultant, status="geselecteerd", reason="Ja")
    link = next(line for line in mail.outbox[0].body.splitlines() if "/account/wachtwoord-instellen/" in line)
    path = "/" + link.split("/", 3)[-1].strip()
    form = client.get(path, follow=True)
    assert form.status_code == 200
    response = client.post(form.redirect_chain[-1][0] if form.redirect_chain else path,
                           {"new_password1": "Lang-en-sterk-2026!", "new_password2": "Lang-en-sterk-2026!"})
    assert response.status_code == 302
    assert User.objects.get(email="ria.kok@example.nl").check_password("Lang-en-sterk-2026!")
    again = client.get(path, follow=True)
    assert 'name="new_password1"' not in again.content.decode()  # the token is spent


def test_double_click_on_select_makes_one_account(client, vw):
    candidate = _nominate(vw, "ria.kok@example.nl")
    client.force_login(vw.consultant)
    url = reverse("volunteers:candidate", args=[candidate.pk])
    first = client.post(url, {"status": "geselecteerd", "reason": "Ja"})
    second = client.post(url, {"status": "geselecteerd", "reason": "Ja"})
    assert (first.status_code, second.status_code) == (302, 400)
    assert User.objects.filter(email="ria.kok@example.nl").count() == 1
    assert Volunteer.objects.filter(candidate=candidate).count() == 1


def test_an_overlong_email_at_selection_is_a_field_error(client, vw):
    candidate = _nominate(vw, "", phone="0612345670")
    long_email = "a" * 74 + "." + "b" * 60 + "." + "c" * 60 + "@" + "d" * 60 + ".nl"  # valid syntax
    assert len(long_email) > 254
    client.force_login(vw.consultant)
    response = client.post(reverse("volunteers:candidate", args=[candidate.pk]),
                           {"status": "geselecteerd", "reason": "Ja", "email": long_email})
    assert response.status_code == 400 and "hoogstens" in response.content.decode()
    with pytest.raises(ValidationError) as exc:
        services.candidate_decide(candidate=candidate, actor=vw.consultant, status="geselecteerd", reason="Ja",
                                  email=long_email)
    assert "email" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _nominate(vw, long_email)
    assert "email" in exc.value.message_dict
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.NOMINATED and candidate.email == ""


# --- certificate ----------------------------------------------------------------------------------

@pytest.mark.parametrize("first_name", ['Hen"k\nX', "Yılmaz 😀", "\r\n", "; filename=evil.exe"])
def test_the_certificate_downloads_whatever_the_name(client, vw, first_name):
    user = vw.henk.user
    user.first_name, user.last_name = first_name, ""
    user.save()
    track = training.track_ensure(vw.programme)
    training.attendance_save(track=track, actor=None, present={(w.pk, vw.henk.pk) for w in track.workshops.all()})
    client.force_login(user)
    response = client.get(reverse("volunteers:my_certificate"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="certificaat-bewonerskracht-') and header.endswith('.pdf"')
    assert header.count('"') == 2 and ";" not in header[len("attachment;"):] and header.isascii()


# --- dates at the edges ---------------------------------------------------------------------------

@pytest.mark.parametrize("data, field", [
    ({"month": "9999-12", "starts_at": "2026-11-12T19:30"}, "month"),
    ({"month": "0001-01", "starts_at": "2026-11-12T19:30"}, "month"),
    ({"month": "2026-11", "starts_at": "0001-01-01T00:00"}, "starts_at"),
    ({"month": "2026-11", "starts_at": "9999-12-31T23:59"}, "starts_at"),
])
def test_meeting_dates_out_of_range_are_field_errors(client, vw, data, field):
    client.force_login(vw.consultant)
    response = client.post(reverse("volunteers:meeting_create", args=[vw.programme.pk]), data)
    assert response.status_code == 400
    assert "Kies een datum tussen 2000 en 2099." in response.content.decode()
    assert not vw.programme.meetings.exists()


def test_meeting_services_refuse_dates_out_of_range(vw):
    with pytest.raises(ValidationError) as exc:
        meetings.meeting_create(programme=vw.programme, actor=None, month=dt.date(9999, 12, 1),
                                starts_at=timezone.now())
    assert "month" in exc.value.message_dict
    meeting = meetings.meeting_create(programme=vw.programme, actor=None, month=dt.date(2026, 11, 1),
                                      starts_at=timezone.now())
    far = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(ValidationError):
        meetings.meeting_update(meeting=meeting, starts_at=far, location="")
    with pytest.raises(ValidationError) as exc:
        meetings.action_add(meeting=meeting, actor=None, text="x", owner=None, due_date=dt.date(1, 1, 1))
    assert "due_date" in exc.value.message_dict


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_workshop_dates_out_of_range_are_field_errors(client, vw, value):
    client.force_login(vw.consultant)
    workshop = training.track_ensure(vw.programme).workshops.first()
    response = client.post(reverse("volunteers:workshop_edit", args=[workshop.pk]), {"title": "x", "starts_at": value})
    assert response.status_code == 400 and "Kies een datum tussen" in response.content.decode()
    response = client.post(reverse("volunteers:workshop_add", args=[vw.programme.pk]),
                           {"nieuw-title": "x", "nieuw-starts_at": value})
    assert response.status_code == 400 and "Kies een datum tussen" in response.content.decode()
    assert client.get(reverse("volunteers:training", args=[vw.programme.pk])).status_code == 200
    with pytest.raises(ValidationError):
        training.workshop_update(workshop=workshop, title="x", starts_at=dt.datetime(1, 1, 1, tzinfo=dt.UTC),
                                 location="")


def test_action_and_programme_dates_out_of_range(client, vw):
    meeting = meetings.meeting_create(programme=vw.programme, actor=None, month=dt.date(2026, 11, 1),
                                      starts_at=timezone.now())
    client.force_login(vw.consultant)
    response = client.post(reverse("volunteers:action_add", args=[meeting.pk]), {"text": "x", "due_date": "0001-01-01"})
    assert response.status_code == 400 and "Kies een datum tussen" in response.content.decode()
    response = client.post(reverse("volunteers:programme_edit", args=[vw.programme.pk]), {
        "name": "x", "target_size": "6", "started_on": "9999-12-31", "is_active": "on"})
    assert response.status_code == 400 and "Kies een datum tussen" in response.content.decode()


# --- shared contacts ------------------------------------------------------------------------------

def test_a_volunteer_who_stopped_no_longer_sees_the_shared_contacts(client, vw):
    point = ContactPoint.objects.create(owner=vw.corp, kind="wijkagent", name="Wijkagent Vogelwijk",
                                        handles="Overlast", phone_office_hours="0900-8844",
                                        shared_with_volunteers=True)
    point.neighbourhoods.set([vw.vogelwijk])
    client.force_login(vw.henk.user)
    assert "Wijkagent Vogelwijk" in client.get(reverse("volunteers:me")).content.decode()
    vw.henk.ended_on = timezone.localdate() - dt.timedelta(days=1)
    vw.henk.save()
    assert "Wijkagent Vogelwijk" not in client.get(reverse("volunteers:me")).content.decode()
    assert client.get(reverse("api:volunteers-me")).json()["contacts"] == []


# --- admin ----------------------------------------------------------------------------------------

def test_admin_is_scoped_to_own_corporation(client, vw):
    ours = _nominate(vw, "ria.kok@example.nl", phone="0612345670")
    theirs = services.candidate_nominate(programme=vw.other_programme, actor=None, first_name="Elders",
                                         last_name="Kandidaat", how_found="bewoner", phone="0612345671")
    admin_user = make_user("volunteersbeheer", vw.other_corp, "beheerder", is_staff=True)
    admin_user.user_permissions.add(*Permission.objects.filter(content_type__app_label="volunteers",
                                                               codename__startswith="view_"))
    client.force_login(admin_user)
    for model, own, other in [("candidate", theirs.pk, ours.pk), ("volunteer", vw.elders_volunteer.pk, vw.henk.pk),
                              ("programme", vw.other_programme.pk, vw.programme.pk)]:
        assert client.get(reverse(f"admin:volunteers_{model}_change", args=[other])).status_code in (302, 404)
        assert client.get(reverse(f"admin:volunteers_{model}_change", args=[own])).status_code == 200
    listing = client.get(reverse("admin:volunteers_candidate_changelist")).content.decode()
    assert "Elders Kandidaat" in listing and "Ria Kok" not in listing


@pytest.mark.parametrize("model", ["programme", "candidate", "volunteer", "trainingtrack", "monthlymeeting", "thanks"])
def test_admin_pages_render_for_a_superuser(client, vw, model):
    training.track_ensure(vw.programme)
    meetings.meeting_create(programme=vw.programme, actor=None, month=dt.date(2026, 11, 1), starts_at=timezone.now())
    services.thanks_send(volunteer=vw.henk, actor=vw.consultant, text="Dank!")
    _nominate(vw, "ria.kok@example.nl")
    client.force_login(make_user("super", None, None, is_staff=True, is_superuser=True))
    assert client.get(reverse(f"admin:volunteers_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:volunteers_{model}_add")).status_code == 200
