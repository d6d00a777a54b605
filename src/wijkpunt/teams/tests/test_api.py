"""Teams API: /api/v1/jobs/ (list, detail, transition) and /api/v1/teams/ (with yearly counts)."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from wijkpunt.teams.models import JobRequest

from .helpers import make_job, team_world, tomorrow

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return team_world()


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_member_lists_only_their_teams_jobs_and_staff_their_corporations(w):
    klus = make_job(w)
    groen = make_job(w, kind="groenteam", description="Heg snoeien")
    elders = make_job(w, unit=w.elders.unit, description="Elders")
    ids = lambda user, q="": {r["id"] for r in api_for(user).get(f"/api/v1/jobs/{q}").json()["results"]}  # noqa: E731
    assert ids(w.henk.user) == {klus.pk}
    assert ids(w.gulsen.user) == {klus.pk, groen.pk}
    assert ids(w.lotte.user) == set()
    assert ids(w.staff) == {klus.pk, groen.pk}
    assert ids(w.other_consultant) == {elders.pk}
    assert ids(w.staff, "?status=klaar") == set()
    assert api_for(w.staff).get("/api/v1/jobs/?status=gisteren").status_code == 400
    assert api_for(w.manager).get("/api/v1/jobs/").status_code == 403
    assert APIClient().get("/api/v1/jobs/").status_code in (401, 403)


def test_detail_hides_contact_from_members_until_planned_and_404_out_of_reach(w):
    job = make_job(w)
    henk = api_for(w.henk.user)
    data = henk.get(f"/api/v1/jobs/{job.pk}/").json()
    assert data["address"].startswith("Merelstraat 12") and data["requester_phone"] is None
    assert data["requester_name"] is None and data["actions"] == ["accept", "decline"]
    staff = api_for(w.staff).get(f"/api/v1/jobs/{job.pk}/").json()
    assert staff["requester_name"] == "Ria Jansen" and staff["requester_email"] == "huurder@example.nl"
    for user in (w.lotte.user, w.elders_volunteer.user, w.other_consultant):
        assert api_for(user).get(f"/api/v1/jobs/{job.pk}/").status_code == 404
        assert api_for(user).post(f"/api/v1/jobs/{job.pk}/transition/", {"action": "accept"},
                                  format="json").status_code == 404
    assert henk.get("/api/v1/jobs/999999999/").status_code == 404
    assert henk.get(f"/api/v1/jobs/{2**70}/").status_code == 404


def test_transition_flow_through_the_api(w):
    job = make_job(w)
    henk = api_for(w.henk.user)
    url = f"/api/v1/jobs/{job.pk}/transition/"
    response = henk.post(url, {"action": "complete"}, format="json")
    assert response.status_code == 400 and "Plan de klus eerst" in response.json()["action"][0]
    assert henk.post(url, {"action": "accept"}, format="json").json()["status"] == "aangenomen"
    bad = henk.post(url, {"action": "plan", "planned_for": tomorrow().isoformat(), "members": [w.lotte.pk]},
                    format="json")
    assert bad.status_code == 400 and "members" in bad.json()
    unknown = henk.post(url, {"action": "plan", "planned_for": tomorrow().isoformat(), "members": [2**40]},
                        format="json")
    assert unknown.status_code == 400 and "members" in unknown.json()
    planned = henk.post(url, {"action": "plan", "planned_for": tomorrow().isoformat(),
                              "members": [w.henk.pk, w.gulsen.pk]}, format="json").json()
    assert planned["status"] == "gepland" and planned["requester_name"] == "Ria"
    assert planned["requester_phone"] == "+31611112222" and planned["requester_email"] is None
    assert sorted(planned["planned_members"]) == sorted([w.henk.pk, w.gulsen.pk])
    assert henk.post(url, {"action": "complete", "hours": "3.0", "notes": "Klaar"}, format="json").status_code == 200
    done = henk.get(f"/api/v1/jobs/{job.pk}/").json()
    assert done["status"] == "klaar" and done["requester_phone"] is None and done["actions"] == []
    assert [e["status"] for e in done["events"]] == ["aangevraagd", "aangenomen", "gepland", "klaar"]
    assert henk.post(url, ["accept"], format="json").status_code == 400
    assert henk.post(url, {"action": "dance"}, format="json").status_code == 400


def test_teams_list_with_yearly_counts(w):
    for day in (dt.date(2024, 4, 1), dt.date(2025, 4, 1), dt.date(2025, 5, 1)):
        JobRequest.objects.create(corporation=w.corp, kind="klusteam", team=w.klus, unit=w.jansen.unit,
                                  description="x", requester_name="X", requester_phone="+31611112222",
                                  source="huurder", status="klaar", done_on=day)
    teams = {t["name"]: t for t in api_for(w.staff).get("/api/v1/teams/").json()}
    assert set(teams) == {"Klusteam Vogelwijk", "Groenteam Noord", "Klusteam Lombok"}
    assert teams["Klusteam Vogelwijk"]["yearly"] == [{"year": 2025, "done": 2}, {"year": 2024, "done": 1}]
    assert teams["Klusteam Vogelwijk"]["member_count"] == 2
    assert teams["Groenteam Noord"]["neighbourhoods"] == ["Bomenbuurt", "Vogelwijk"]
    henk = [t["name"] for t in api_for(w.henk.user).get("/api/v1/teams/").json()]
    assert henk == ["Klusteam Vogelwijk"]
    assert api_for(w.partner).get("/api/v1/teams/").status_code == 403
