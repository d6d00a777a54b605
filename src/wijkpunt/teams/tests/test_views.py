"""Teams pages: the public request form (/klus/) with its spam protection and bad input, the staff and
member pages, and what each role may and may not see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from wijkpunt.core.models import AccessLog
from wijkpunt.reports.tests.conftest import solved_altcha
from wijkpunt.teams import services
from wijkpunt.teams.models import JobRequest, Team, TeamMember

from .helpers import make_job, team_world, today, tomorrow

pytestmark = pytest.mark.django_db
FORM_URL = "/klus/"


@pytest.fixture
def w():
    return team_world()


def form_data(**overrides):
    data = {"kind": "klusteam", "postcode": "3701 ab", "house_number": "12", "house_letter": "", "addition": "",
            "description": "Gordijnrails ophangen in de slaapkamer", "requester_name": "Ria Jansen",
            "requester_phone": "06 11112222", "requester_email": "ria@example.nl", "contact_consent": "on",
            "idempotency_key": "k-1", "website": "", "altcha": solved_altcha()}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- the public form ----------------------------------------------------------------------------

def test_form_page_renders_with_captcha_and_honeypot(client, w):
    html = client.get(FORM_URL).content.decode()
    assert "altcha-widget" in html and 'name="website"' in html and "Vraag een klus aan" in html


def test_tenant_requests_a_job_and_follows_it_without_seeing_names(client, w):
    response = client.post(FORM_URL, form_data())
    job = JobRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("teams_public:done", args=[job.tracking_token])
    assert job.team == w.klus and job.unit == w.jansen.unit and job.source == "huurder"
    assert job.requester_phone == "+31611112222" and job.contact_consent
    done = client.get(response.url).content.decode()
    assert job.reference in done and f"/klus/volgen/{job.tracking_token}/" in done
    services.job_transition(job=job, actor=w.henk.user, action="accept")
    services.job_transition(job=job, actor=w.henk.user, action="plan", planned_for=tomorrow(), members=[w.gulsen])
    track = client.get(reverse("teams_public:track", args=[job.tracking_token])).content.decode()
    assert "Gepland" in track and "Gordijnrails" not in track  # status and dates only
    for secret in ("Gulsen", "Henk", "Bosman", "Ria Jansen", "11112222", "Familie Jansen"):
        assert secret not in track
    assert client.get("/klus/volgen/onbekend/").status_code == 404


def test_resent_form_returns_the_first_request(client, w):
    data = form_data()
    first = client.post(FORM_URL, data)
    second = client.post(FORM_URL, data)  # same key, same captcha: a network retry
    assert first.url == second.url and JobRequest.objects.count() == 1


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"postcode": "3701AB", "house_number": "99"}, "house_number", "Dit adres kennen wij niet"),
    ({"postcode": "ABCD12"}, "postcode", "geldige postcode"),
    ({"postcode": ""}, "postcode", "Vul de postcode in"),
    ({"house_number": "twaalf"}, "house_number", "Een huisnummer is een getal"),
    ({"description": ""}, "description", "Beschrijf wat er moet gebeuren"),
    ({"requester_name": ""}, "requester_name", "Vul uw naam in"),
    ({"requester_phone": ""}, "requester_phone", "Vul een telefoonnummer in"),
    ({"requester_phone": "12"}, "requester_phone", "geldig telefoonnummer"),
    ({"requester_email": "geen-mail"}, "requester_email", "geldig e-mailadres"),
    ({"contact_consent": None}, "contact_consent", "Zonder toestemming"),
    ({"kind": "sloopteam"}, "kind", "Kies een klus"),
    ({"website": "http://spam.example"}, "website", "moet leeg blijven"),
    ({"altcha": None}, "altcha", "nog niet klaar"),
    ({"altcha": "Zm9yZ2Vk"}, "altcha", "mislukt"),
])
def test_bad_input_gets_a_field_message_and_saves_nothing(client, w, overrides, field, message):
    response = client.post(FORM_URL, form_data(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert JobRequest.objects.count() == 0


def test_captcha_cannot_be_replayed(client, w):
    token = solved_altcha()
    assert client.post(FORM_URL, form_data(altcha=token, idempotency_key="a")).status_code == 302
    again = client.post(FORM_URL, form_data(altcha=token, idempotency_key="b", description="Iets anders"))
    assert again.status_code == 400 and "altcha" in again.context["form"].errors


def test_public_form_is_rate_limited_per_address(client, w, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PUBLIC_RATE_LIMIT = 2
    codes = [client.post(FORM_URL, form_data(idempotency_key=f"r{i}", description=f"Klus {i}")).status_code
             for i in range(3)]
    assert codes == [302, 302, 429]


# --- staff --------------------------------------------------------------------------------------

def test_staff_request_a_job_for_a_tenant(client, w):
    client.force_login(w.staff)
    assert client.get("/werk/klussen/nieuw/").status_code == 200
    data = form_data(altcha=None, website=None, postcode="3702AB", house_number="3")  # Bomenbuurt: no Klusteam
    response = client.post("/werk/klussen/nieuw/", data)
    job = JobRequest.objects.get()
    assert response.status_code == 302 and job.source == "medewerker" and job.created_by == w.staff
    assert job.team is None
    home = client.get("/werk/klussen/").content.decode()
    assert 'data-testid="unassigned"' in home
    assert job.reference in client.get("/werk/klussen/?filter=zonder-team").content.decode()
    assert client.post(f"/werk/klussen/{job.pk}/team/", {"team": w.klus.pk}).status_code == 302
    job.refresh_from_db()
    assert job.team == w.klus


def test_staff_cannot_request_for_another_corporations_home(client, w):
    client.force_login(w.staff)
    response = client.post("/werk/klussen/nieuw/", form_data(altcha=None, postcode="3702CD", house_number="3"))
    assert response.status_code == 400 and "geen woning van uw corporatie" in response.content.decode()
    assert JobRequest.objects.count() == 0


def test_staff_see_contact_details_with_an_access_log_and_yearly_counts(client, w):
    job = make_job(w)
    JobRequest.objects.create(corporation=w.corp, kind="klusteam", team=w.klus, unit=w.bakker.unit,
                              description="Oud", requester_name="X", requester_phone="+31611112222",
                              source="huurder", status="klaar", done_on=dt.date(2024, 5, 1))
    client.force_login(w.staff)
    page = client.get(f"/werk/klussen/{job.pk}/").content.decode()
    assert "Ria Jansen" in page and "+31611112222" in page and "huurder@example.nl" in page
    assert AccessLog.objects.filter(user=w.staff, subject="job_request", subject_id=job.pk).count() == 1
    home = client.get("/werk/klussen/").content.decode()
    assert 'data-year="2024"' in home and "Klusteam Vogelwijk" in home
    team_page = client.get(f"/werk/klussen/teams/{w.klus.pk}/").content.decode()
    assert 'data-year="2024"' in team_page


def test_other_corporation_staff_get_404(client, w):
    job = make_job(w)
    client.force_login(w.other_consultant)
    assert client.get(f"/werk/klussen/{job.pk}/").status_code == 404
    assert client.post(f"/werk/klussen/{job.pk}/stap/accept/").status_code == 404
    assert client.get(f"/werk/klussen/teams/{w.klus.pk}/").status_code == 404
    assert job.reference not in client.get("/werk/klussen/?filter=alle").content.decode()


@pytest.mark.parametrize("role", ["manager", "partner", "nobody", "incasso"])
def test_without_teams_permission_403(client, w, role):
    job = make_job(w)
    client.force_login(w.users[role])
    assert client.get("/werk/klussen/").status_code == 403
    assert client.get(f"/werk/klussen/{job.pk}/").status_code == 403


def test_staff_manage_a_team_and_its_members(client, w):
    client.force_login(w.staff)
    response = client.post("/werk/klussen/teams/nieuw/", {"kind": "groenteam", "name": "Groenteam Lombok",
                                                          "programme": w.lombok_programme.pk, "is_active": "on"})
    team = Team.objects.get(name="Groenteam Lombok")
    assert response.status_code == 302 and team.corporation == w.corp
    url = f"/werk/klussen/teams/{team.pk}/leden/"
    assert client.post(url, {"volunteer": w.lotte.pk, "is_coordinator": "on"}).status_code == 302
    bad = client.post(url, {"volunteer": w.elders_volunteer.pk})
    assert bad.status_code == 400 and "actieve Bewonerskracht" in bad.content.decode()
    member = TeamMember.objects.get(team=team, volunteer=w.lotte)
    assert member.is_coordinator
    client.post(f"{url}{member.pk}/", {"do": "lid"})
    member.refresh_from_db()
    assert not member.is_coordinator
    client.post(f"{url}{member.pk}/", {"do": "verwijderen"})
    assert not TeamMember.objects.filter(pk=member.pk).exists()
    bad_team = client.post("/werk/klussen/teams/nieuw/", {"kind": "groenteam", "name": "", "is_active": "on"})
    assert bad_team.status_code == 400 and "Vul een naam in" in bad_team.content.decode()


def test_volunteers_cannot_manage_teams(client, w):
    client.force_login(w.henk.user)
    assert client.get("/werk/klussen/teams/nieuw/").status_code == 403
    assert client.get("/werk/klussen/nieuw/").status_code == 403
    assert client.post(f"/werk/klussen/teams/{w.klus.pk}/leden/", {"volunteer": w.lotte.pk}).status_code == 403
    assert client.get(f"/werk/klussen/teams/{w.klus.pk}/").status_code == 200  # own team: read only


# --- team members -------------------------------------------------------------------------------

def test_member_sees_the_job_but_the_contact_only_while_planned_for_them(client, w):
    job = make_job(w)
    groen_job = make_job(w, kind="groenteam", description="Heg snoeien")
    client.force_login(w.henk.user)
    home = client.get("/werk/klussen/").content.decode()
    assert "Lamp ophangen" in home and "Heg snoeien" not in home  # henk is not in the Groenteam
    assert client.get(f"/werk/klussen/{groen_job.pk}/").status_code == 404
    page = client.get(f"/werk/klussen/{job.pk}/").content.decode()
    assert "Merelstraat 12" in page and "Lamp ophangen" in page
    for secret in ("Ria", "11112222", "huurder@example.nl", "Familie Jansen"):
        assert secret not in page
    assert client.post(f"/werk/klussen/{job.pk}/stap/accept/").status_code == 302
    response = client.post(f"/werk/klussen/{job.pk}/stap/plan/", {"planned_for": tomorrow().isoformat(),
                                                                  "members": [w.henk.pk]})
    assert response.status_code == 302
    page = client.get(f"/werk/klussen/{job.pk}/").content.decode()
    assert "Ria" in page and "+31611112222" in page
    assert "Jansen" not in page and "huurder@example.nl" not in page  # first name only, no e-mail
    assert AccessLog.objects.filter(user=w.henk.user, subject_id=job.pk, role="ingepland teamlid").exists()
    # gulsen is in the team but not planned: no contact
    client.force_login(w.gulsen.user)
    page = client.get(f"/werk/klussen/{job.pk}/").content.decode()
    assert "Merelstraat 12" in page and "11112222" not in page and 'data-testid="no-contact"' in page
    # done: henk no longer sees it
    client.force_login(w.henk.user)
    JobRequest.objects.filter(pk=job.pk).update(planned_for=today())
    assert client.post(f"/werk/klussen/{job.pk}/stap/complete/", {"done_on": today().isoformat(), "hours": "1,5"}
                       ).status_code == 302
    page = client.get(f"/werk/klussen/{job.pk}/").content.decode()
    assert "11112222" not in page and "Ria" not in page
    job.refresh_from_db()
    assert job.status == "klaar" and str(job.hours) == "1.5"


@pytest.mark.parametrize("who", ["lotte", "elders_volunteer", "volunteer"])
def test_other_volunteers_see_nothing_of_the_job(client, w, who):
    job = make_job(w)
    user = w.volunteer if who == "volunteer" else getattr(w, who).user
    client.force_login(user)
    assert client.get(f"/werk/klussen/{job.pk}/").status_code == 404
    assert client.post(f"/werk/klussen/{job.pk}/stap/accept/").status_code == 404
    assert "Lamp ophangen" not in client.get("/werk/klussen/").content.decode()


def test_bad_steps_on_the_page_give_a_message(client, w):
    job = make_job(w)
    client.force_login(w.henk.user)
    response = client.post(f"/werk/klussen/{job.pk}/stap/complete/", {"done_on": today().isoformat()})
    assert response.status_code == 400 and "Plan de klus eerst" in response.content.decode()
    client.post(f"/werk/klussen/{job.pk}/stap/accept/")
    response = client.post(f"/werk/klussen/{job.pk}/stap/plan/", {"planned_for": "31-02-2026", "members": []})
    html = response.content.decode()
    assert response.status_code == 400 and "geldige datum" in html and "minstens één teamlid" in html
    response = client.post(f"/werk/klussen/{job.pk}/stap/plan/", {"planned_for": tomorrow().isoformat(),
                                                                  "members": [w.lotte.pk]})
    assert response.status_code == 400 and "actieve leden van het team" in response.content.decode()
    response = client.post(f"/werk/klussen/{job.pk}/stap/decline/", {"reason": ""})
    assert response.status_code == 400 and "Kies een reden" in response.content.decode()
    assert client.post(f"/werk/klussen/{job.pk}/stap/repaint/").status_code == 403
    job.refresh_from_db()
    assert job.status == "aangenomen" and mail.outbox == []
