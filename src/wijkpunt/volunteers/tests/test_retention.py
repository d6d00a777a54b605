"""Retention of candidates' personal data: not selected / dropped out after N days, still nominated
after 2 x N days; selected candidates and recent ones untouched; dry run, idempotence, the command,
the nightly task, and what the pages show afterwards."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from wijkpunt.volunteers import retention, selectors, services
from wijkpunt.volunteers.models import Candidate, Volunteer

pytestmark = pytest.mark.django_db

DAYS = 365
CONTACT = ("06 12345670", "Merelstraat", "Organiseert de buurtbarbecue")


def _ago(days: int) -> dt.datetime:
    """Noon on the local day ``days`` days back. The purge counts local days, and "now minus N days"
    lands on the day after late in the evening when a daylight-saving change lies in between."""
    day = timezone.localdate() - dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _candidate(vw, n: int, *, status: str = "voorgedragen", decided_days_ago: int | None = None,
               nominated_days_ago: int = 800) -> Candidate:
    candidate = services.candidate_nominate(
        programme=vw.programme, actor=vw.consultant, first_name=f"Ria{n}", last_name="Kok",
        phone=f"0612345{n:03d}", email=f"ria{n}@example.nl", street="Merelstraat", how_found="bewonersavond",
        how_found_details="Organiseert de buurtbarbecue")
    fields = {"nominated_at": _ago(nominated_days_ago)}
    if status != "voorgedragen":
        fields.update(status=status, decision_reason="Past niet in het team", decided_by=vw.consultant,
                      decided_at=_ago(decided_days_ago))
    Candidate.objects.filter(pk=candidate.pk).update(**fields)
    candidate.refresh_from_db()
    return candidate


@pytest.fixture
def cands(vw, settings):
    settings.VOLUNTEER_CANDIDATE_RETENTION_DAYS = DAYS
    return {
        "not_selected_old": _candidate(vw, 1, status="niet_geselecteerd", decided_days_ago=DAYS + 1),
        "withdrawn_old": _candidate(vw, 2, status="afgehaakt", decided_days_ago=DAYS + 30),
        "not_selected_recent": _candidate(vw, 3, status="niet_geselecteerd", decided_days_ago=DAYS - 1),
        "nominated_very_old": _candidate(vw, 4, nominated_days_ago=2 * DAYS + 1),
        "nominated_old": _candidate(vw, 5, nominated_days_ago=2 * DAYS - 1),  # > N, < 2N: stays
        "selected_old": _candidate(vw, 6, status="geselecteerd", decided_days_ago=DAYS * 3),
    }


def _assert_purged(candidate: Candidate, *, status: str, how_found: str = "bewonersavond") -> None:
    candidate.refresh_from_db()
    assert candidate.purged_at is not None
    assert (candidate.first_name, candidate.last_name) == ("Kandidaat", "(verwijderd)")
    assert (candidate.phone, candidate.email, candidate.street) == ("", "", "")
    assert candidate.how_found_details == "" and candidate.decision_reason == ""
    assert candidate.status == status and candidate.how_found == how_found


def _assert_untouched(candidate: Candidate) -> None:
    before = (candidate.first_name, candidate.phone, candidate.email, candidate.street,
              candidate.how_found_details, candidate.decision_reason)
    candidate.refresh_from_db()
    assert candidate.purged_at is None
    assert (candidate.first_name, candidate.phone, candidate.email, candidate.street,
            candidate.how_found_details, candidate.decision_reason) == before
    assert candidate.email and candidate.street


def test_purge_clears_due_candidates_only(vw, cands):
    counts_before = selectors.counts_for(vw.programme)
    result = retention.purge()
    assert result.as_dict() == {"decided": 2, "undecided": 1}
    _assert_purged(cands["not_selected_old"], status="niet_geselecteerd")
    _assert_purged(cands["withdrawn_old"], status="afgehaakt")
    _assert_purged(cands["nominated_very_old"], status="voorgedragen")
    for key in ("not_selected_recent", "nominated_old", "selected_old"):
        _assert_untouched(cands[key])
    # the programme's counts stay (the expired nomination no longer waits for a decision)
    counts = selectors.counts_for(vw.programme)
    assert (counts.nominated, counts.not_selected, counts.withdrawn, counts.selected) == (
        counts_before.nominated, counts_before.not_selected, counts_before.withdrawn, counts_before.selected)
    assert counts.open == counts_before.open - 1 and counts.expired == 1


def test_purge_is_idempotent(vw, cands):
    assert retention.purge().total == 3
    stamps = dict(Candidate.objects.filter(purged_at__isnull=False).values_list("pk", "purged_at"))
    assert retention.purge().as_dict() == {"decided": 0, "undecided": 0}
    assert dict(Candidate.objects.filter(purged_at__isnull=False).values_list("pk", "purged_at")) == stamps


def test_dry_run_changes_nothing(vw, cands):
    result = retention.purge(dry_run=True)
    assert result.as_dict() == {"decided": 2, "undecided": 1}
    assert not Candidate.objects.filter(purged_at__isnull=False).exists()
    _assert_untouched(cands["not_selected_old"])


def test_reference_date_and_setting(vw, cands, settings, monkeypatch):
    # as if run 40 days ago: nothing was due yet
    assert retention.purge(timezone.localdate() - dt.timedelta(days=40), dry_run=True).total == 0
    settings.VOLUNTEER_CANDIDATE_RETENTION_DAYS = 0  # decided before today: due at once
    assert retention.purge(dry_run=True).as_dict() == {"decided": 3, "undecided": 2}
    del settings.VOLUNTEER_CANDIDATE_RETENTION_DAYS
    monkeypatch.setenv("WIJKPUNT_VOLUNTEER_CANDIDATE_RETENTION_DAYS", "10000")
    assert retention.retention_days() == 10000 and retention.purge(dry_run=True).total == 0
    monkeypatch.setenv("WIJKPUNT_VOLUNTEER_CANDIDATE_RETENTION_DAYS", "veel")
    with pytest.raises(ImproperlyConfigured):
        retention.retention_days()
    monkeypatch.delenv("WIJKPUNT_VOLUNTEER_CANDIDATE_RETENTION_DAYS")
    assert retention.retention_days() == 365
    settings.VOLUNTEER_CANDIDATE_RETENTION_DAYS = -1
    with pytest.raises(ImproperlyConfigured):
        retention.retention_days()


def test_selected_candidates_and_their_volunteer_are_not_touched(vw, cands, settings):
    settings.VOLUNTEER_CANDIDATE_RETENTION_DAYS = 0
    fresh = _candidate(vw, 7)
    services.candidate_decide(candidate=fresh, actor=vw.consultant, status="geselecteerd", reason="Kent iedereen")
    Candidate.objects.filter(pk=fresh.pk).update(decided_at=_ago(1000))
    retention.purge()
    fresh.refresh_from_db()
    assert fresh.purged_at is None and fresh.first_name == "Ria7" and fresh.email == "ria7@example.nl"
    volunteer = Volunteer.objects.get(candidate=fresh)
    assert volunteer.user.first_name == "Ria7" and volunteer.phone


def test_a_purged_candidate_cannot_be_decided(client, vw, cands):
    retention.purge()
    candidate = cands["nominated_very_old"]
    with pytest.raises(ValidationError) as exc:
        services.candidate_decide(candidate=candidate, actor=vw.consultant, status="geselecteerd",
                                  reason="Toch", email="ria4@example.nl")
    assert "verwijderd" in str(exc.value)
    assert not Volunteer.objects.filter(candidate=candidate).exists()
    client.force_login(vw.consultant)
    page = client.get(reverse("volunteers:candidate", args=[candidate.pk]))
    assert page.status_code == 200 and 'data-testid="decision-form"' not in page.content.decode()
    response = client.post(reverse("volunteers:candidate", args=[candidate.pk]),
                           {"status": "geselecteerd", "reason": "Toch", "email": "ria4@example.nl"})
    assert response.status_code == 400
    assert Candidate.objects.get(pk=candidate.pk).status == "voorgedragen"


def test_pages_show_the_purge(client, vw, cands):
    retention.purge()
    client.force_login(vw.consultant)
    purged = cands["withdrawn_old"]
    body = client.get(reverse("volunteers:candidate", args=[purged.pk])).content.decode()
    date = timezone.localdate().strftime("%-d")
    assert 'data-testid="purged"' in body and "Gegevens verwijderd op" in body and date in body
    assert "Kandidaat (verwijderd)" in body and "Ria2" not in body and "ria2@example.nl" not in body
    assert "Past niet in het team" not in body and "Organiseert de buurtbarbecue" not in body
    body = client.get(reverse("volunteers:programme", args=[vw.programme.pk])).content.decode()
    assert "gegevens verwijderd op" in body and "1 zonder besluit verlopen" in body
    assert "Ria1 Kok" not in body and "Ria2 Kok" not in body and "Ria4 Kok" not in body
    assert "Ria3 Kok" in body and "Ria5 Kok" in body and "Ria6 Kok" in body


def test_command_dry_run_and_run(vw, cands):
    out = StringIO()
    call_command("volunteers_purge", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Proefdraai" in text and f"kandidaat {cands['withdrawn_old'].pk} " in text
    assert "Ria" not in text and "@example.nl" not in text  # no personal data in the output
    assert not Candidate.objects.filter(purged_at__isnull=False).exists()
    out = StringIO()
    later = (timezone.localdate() - dt.timedelta(days=60)).isoformat()  # as if run 60 days ago
    call_command("volunteers_purge", f"--today={later}", stdout=out)
    assert "bij 0" in out.getvalue()
    out = StringIO()
    call_command("volunteers_purge", stdout=out)
    assert "bij 3 (2 na een besluit, 1 zonder besluit)" in out.getvalue()
    out = StringIO()
    call_command("volunteers_purge", stdout=out)
    assert "bij 0" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("volunteers_purge", "--today=gisteren")


def test_purge_is_scheduled_nightly_with_the_worker(vw, cands):
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    from wijkpunt.volunteers import tasks

    autodiscover_modules("tasks")  # what run_huey does at start
    assert any(t.__name__.endswith("purge_candidates") for t in HUEY._registry._periodic_tasks)
    assert tasks.purge_candidates.task_class().validate_datetime(dt.datetime(2030, 1, 1, 4, 15))
    assert not tasks.purge_candidates.task_class().validate_datetime(dt.datetime(2030, 1, 1, 4, 0))
    assert not tasks.purge_candidates.task_class().validate_datetime(dt.datetime(2030, 1, 1, 16, 15))
    assert tasks.purge_candidates.call_local() == {"decided": 2, "undecided": 1}
    assert tasks.purge_candidates.call_local() == {"decided": 0, "undecided": 0}
