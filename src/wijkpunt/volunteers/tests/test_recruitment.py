"""Recruitment: programmes per neighbourhood, nominating key figures, the selection step with a
reason, and a selected candidate becoming a volunteer with an account and a welcome mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from wijkpunt.core.models import Membership, OutboxMessage, User
from wijkpunt.core.permissions import has_org_perm
from wijkpunt.volunteers import services
from wijkpunt.volunteers.models import Candidate, Programme, TrainingTrack, Volunteer

pytestmark = pytest.mark.django_db

NOMINATE = {"first_name": "Ria", "last_name": "Kok", "phone": "06 12345670", "email": "ria.kok@example.nl",
            "street": "Merelstraat", "how_found": "bewonersavond", "how_found_details": "Organiseert de buurtbarbecue"}


def _nominate(programme, actor, **extra):
    data = {**NOMINATE, **extra}
    return services.candidate_nominate(programme=programme, actor=actor, **data)


def test_programme_list_and_create(client, vw):
    client.force_login(vw.consultant)
    page = client.get(reverse("volunteers:home"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Bewonerskrachten Vogelwijk" in body and "Lombok" in body
    # Bomenbuurt has homes of the corporation and no programme yet
    response = client.post(reverse("volunteers:programme_create"), {
        "neighbourhood": vw.bomen.pk, "name": "Bewonerskrachten Bomenbuurt", "target_size": "6",
        "coordinator": vw.consultant.pk, "started_on": "2026-09-01"})
    assert response.status_code == 302
    programme = Programme.objects.get(neighbourhood=vw.bomen, corporation=vw.corp)
    assert programme.coordinator == vw.consultant
    track = TrainingTrack.objects.get(programme=programme)
    assert track.workshops.count() == 6


def test_programme_create_bad_input(client, vw):
    client.force_login(vw.consultant)
    # no name, a target of 0, a neighbourhood that already has a programme
    response = client.post(reverse("volunteers:programme_create"), {
        "neighbourhood": vw.vogelwijk.pk, "name": "", "target_size": "0"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vul een naam in." in body and "Vul een aantal in van 1 tot en met 100." in body
    response = client.post(reverse("volunteers:programme_create"), {
        "neighbourhood": vw.vogelwijk.pk, "name": "Nog een", "target_size": "6"})
    assert response.status_code == 400 and "Voor deze buurt is al een programma." in response.content.decode()
    # a neighbourhood where the corporation has no homes is not offered (and refused)
    from wijkpunt.housing.models import Neighbourhood

    empty = Neighbourhood.objects.create(code="BU03559999", name="Nergens", district_code="WK0355",
                                         district_name="X", municipality=vw.zeist)
    response = client.post(reverse("volunteers:programme_create"), {
        "neighbourhood": empty.pk, "name": "Nergens", "target_size": "6"})
    assert response.status_code == 400 and "Kies een buurt uit de lijst." in response.content.decode()
    assert Programme.objects.filter(corporation=vw.corp).count() == 2


def test_programme_edit(client, vw):
    client.force_login(vw.consultant)
    response = client.post(reverse("volunteers:programme_edit", args=[vw.programme.pk]), {
        "name": "Bewonerskrachten Vogelwijk-Noord", "target_size": "8", "coordinator": "", "is_active": "on"})
    assert response.status_code == 302
    vw.programme.refresh_from_db()
    assert vw.programme.name == "Bewonerskrachten Vogelwijk-Noord" and vw.programme.target_size == 8
    # a volunteer can't be the coordinator
    response = client.post(reverse("volunteers:programme_edit", args=[vw.programme.pk]), {
        "name": "X", "target_size": "8", "coordinator": vw.henk.user.pk, "is_active": "on"})
    assert response.status_code == 400


def test_nominate_through_the_page(client, vw):
    client.force_login(vw.staff)
    response = client.post(reverse("volunteers:nominate", args=[vw.programme.pk]), NOMINATE)
    assert response.status_code == 302
    candidate = Candidate.objects.get(last_name="Kok")
    assert candidate.phone == "+31612345670" and candidate.nominated_by == vw.staff
    assert candidate.status == Candidate.Status.NOMINATED and candidate.how_found == "bewonersavond"
    page = client.get(reverse("volunteers:programme", args=[vw.programme.pk])).content.decode()
    assert "Ria Kok" in page and "1 voorgedragen, 0 geselecteerd van de beoogde 6" in page


@pytest.mark.parametrize(("extra", "field", "message"), [
    ({"first_name": ""}, "first_name", "Vul de voornaam in."),
    ({"phone": "", "email": ""}, "phone", "Vul een telefoonnummer of een e-mailadres in"),
    ({"phone": "12"}, "phone", "Vul een geldig telefoonnummer in"),
    ({"email": "geen-adres"}, "email", "Vul een geldig e-mailadres in"),
    ({"how_found": "toeval"}, "how_found", "Kies hoe de kandidaat is gevonden."),
    ({"how_found": "anders", "how_found_details": ""}, "how_found_details", "Vertel kort hoe"),
])
def test_nominate_bad_input(client, vw, extra, field, message):
    client.force_login(vw.staff)
    response = client.post(reverse("volunteers:nominate", args=[vw.programme.pk]), {**NOMINATE, **extra})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Candidate.objects.exists()
    with pytest.raises(ValidationError) as exc:
        _nominate(vw.programme, vw.staff, **extra)
    assert field in exc.value.message_dict


def test_nominate_same_email_twice(vw):
    _nominate(vw.programme, vw.staff)
    with pytest.raises(ValidationError) as exc:
        _nominate(vw.programme, vw.staff, first_name="Ria2")
    assert "al voorgedragen" in exc.value.message_dict["email"][0]


def test_selection_needs_a_reason_each_way(client, vw):
    candidate = _nominate(vw.programme, vw.staff)
    client.force_login(vw.consultant)
    url = reverse("volunteers:candidate", args=[candidate.pk])
    for status in ("geselecteerd", "niet_geselecteerd", "afgehaakt"):
        response = client.post(url, {"status": status, "reason": "  "})
        assert response.status_code == 400 and "Geef een reden voor dit besluit." in response.content.decode()
    response = client.post(url, {"status": "misschien", "reason": "Weet niet"})
    assert response.status_code == 400
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.NOMINATED and not Volunteer.objects.filter(candidate=candidate).exists()


def test_not_selected_and_withdrawn_record_the_reason(client, vw):
    a = _nominate(vw.programme, vw.staff)
    b = _nominate(vw.programme, vw.staff, email="b@example.nl", first_name="Bert")
    client.force_login(vw.consultant)
    client.post(reverse("volunteers:candidate", args=[a.pk]), {"status": "niet_geselecteerd",
                                                                "reason": "Woont buiten de buurt"})
    client.post(reverse("volunteers:candidate", args=[b.pk]), {"status": "afgehaakt", "reason": "Geen tijd"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.decision_reason, a.decided_by) == ("niet_geselecteerd", "Woont buiten de buurt", vw.consultant)
    assert (b.status, b.decision_reason) == ("afgehaakt", "Geen tijd")
    assert not Volunteer.objects.filter(candidate__in=[a, b]).exists()
    assert not User.objects.filter(email="ria.kok@example.nl").exists()


def test_select_creates_account_volunteer_and_welcome_mail(client, vw, django_capture_on_commit_callbacks):
    candidate = _nominate(vw.programme, vw.staff)
    client.force_login(vw.consultant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("volunteers:candidate", args=[candidate.pk]),
                               {"status": "geselecteerd", "reason": "Kent iedereen in de straat"})
    assert response.status_code == 302
    volunteer = Volunteer.objects.get(candidate=candidate)
    user = volunteer.user
    assert user.username == "ria.kok" and user.email == "ria.kok@example.nl" and not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Ria", "Kok")
    assert volunteer.programme == vw.programme and volunteer.phone == "+31612345670"
    assert list(Membership.objects.filter(user=user).values_list("organisation_id", "role__name")) == [
        (vw.corp.pk, "bewonerskracht")]
    assert has_org_perm(user, "rounds.walk_round", vw.corp.pk)
    message = OutboxMessage.objects.get(idempotency_key=f"volunteers:welcome:{volunteer.pk}")
    assert "/account/wachtwoord-instellen/" in message.body and "ria.kok" in message.body
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ria.kok@example.nl"]
    assert "Welkom als Bewonerskracht in Vogelwijk" in mail.outbox[0].subject
    # the set-password link works (the accounts app's own view)
    link = next(line for line in message.body.splitlines() if "/account/wachtwoord-instellen/" in line)
    client.logout()
    page = client.get("/" + link.split("/", 3)[-1].strip(), follow=True)
    assert page.status_code == 200 and "Wachtwoord instellen" in page.content.decode()
    # the counts on the programme page
    client.force_login(vw.consultant)
    body = client.get(reverse("volunteers:programme", args=[vw.programme.pk])).content.decode()
    assert "1 voorgedragen, 1 geselecteerd van de beoogde 6" in body


def test_select_links_an_existing_account_by_email(vw, django_capture_on_commit_callbacks):
    existing = vw.volunteer  # "vrijwilliger": a bewonerskracht account without a profile
    candidate = _nominate(vw.programme, vw.staff, email=existing.email.upper())
    with django_capture_on_commit_callbacks(execute=True):
        services.candidate_decide(candidate=candidate, actor=vw.consultant, status="geselecteerd", reason="Ja")
    volunteer = Volunteer.objects.get(candidate=candidate)
    assert volunteer.user == existing
    assert User.objects.filter(email__iexact=existing.email).count() == 1
    assert Membership.objects.filter(user=existing, organisation=vw.corp, role__name="bewonerskracht").count() == 1
    assert len(mail.outbox) == 1 and "/account/wachtwoord-instellen/" not in mail.outbox[0].body
    assert "bestaande account" in mail.outbox[0].body


def test_select_refused_when_the_account_already_volunteers(vw):
    candidate = _nominate(vw.programme, vw.staff, email=vw.henk.user.email)
    with pytest.raises(ValidationError) as exc:
        services.candidate_decide(candidate=candidate, actor=vw.consultant, status="geselecteerd", reason="Ja")
    assert "al Bewonerskracht" in exc.value.message_dict["email"][0]
    candidate.refresh_from_db()
    assert candidate.status == "voorgedragen"  # nothing half-saved
    assert OutboxMessage.objects.count() == 0


def test_select_without_email_asks_for_one(client, vw, django_capture_on_commit_callbacks):
    candidate = _nominate(vw.programme, vw.staff, email="")
    client.force_login(vw.consultant)
    url = reverse("volunteers:candidate", args=[candidate.pk])
    response = client.post(url, {"status": "geselecteerd", "reason": "Ja"})
    assert response.status_code == 400
    assert "Vul een e-mailadres in" in response.content.decode()
    assert not Volunteer.objects.filter(candidate=candidate).exists() and not User.objects.filter(first_name="Ria").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"status": "geselecteerd", "reason": "Ja", "email": "ria@example.nl"})
    assert response.status_code == 302
    assert Volunteer.objects.get(candidate=candidate).user.email == "ria@example.nl"


def test_usernames_do_not_clash(vw):
    User.objects.create_user(username="ria.kok", email="someone@example.nl")
    candidate = _nominate(vw.programme, vw.staff)
    services.candidate_decide(candidate=candidate, actor=vw.consultant, status="geselecteerd", reason="Ja")
    assert Volunteer.objects.get(candidate=candidate).user.username == "ria.kok2"


def test_a_selected_candidate_stays_selected(client, vw):
    candidate = _nominate(vw.programme, vw.staff)
    services.candidate_decide(candidate=candidate, actor=vw.consultant, status="geselecteerd", reason="Ja")
    with pytest.raises(ValidationError):
        services.candidate_decide(candidate=candidate, actor=vw.consultant, status="niet_geselecteerd", reason="Nee")
    client.force_login(vw.consultant)
    response = client.post(reverse("volunteers:candidate", args=[candidate.pk]),
                           {"status": "afgehaakt", "reason": "x"})
    assert response.status_code == 400


def test_reconsider_after_not_selected(vw):
    candidate = _nominate(vw.programme, vw.staff)
    services.candidate_decide(candidate=candidate, actor=vw.consultant, status="niet_geselecteerd", reason="Later")
    services.candidate_decide(candidate=candidate, actor=vw.consultant, status="geselecteerd", reason="Toch wel")
    candidate.refresh_from_db()
    assert candidate.status == "geselecteerd" and candidate.decision_reason == "Toch wel"
