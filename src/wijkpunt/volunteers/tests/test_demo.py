"""The volunteers demo on top of the housing and reports demo (small)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from wijkpunt.core.models import Organisation
from wijkpunt.housing.demo import generate_demo
from wijkpunt.reports.demo import seed_reports
from wijkpunt.volunteers import training
from wijkpunt.volunteers.demo import seed_volunteers_demo
from wijkpunt.volunteers.models import Candidate, MonthlyMeeting, Programme, Thanks, Volunteer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reports", [60, 0])
def test_demo(reports):
    summary = generate_demo(seed=7, homes=300, password="password")
    corp = Organisation.objects.get(slug=summary.corporation_slug)
    seed_reports(corporation=corp, count=reports, seed=7, days=60)
    today = timezone.localdate()
    counts = seed_volunteers_demo(corp, today=today, password="password")
    assert counts["programmes"] == 2 and counts["volunteers"] == 6 and counts["workshops"] == 6
    assert counts["certificates"] >= 1 and counts["meetings"] == 2 and counts["thanks"] == 3
    main = Programme.objects.filter(corporation=corp).order_by("pk").first()
    assert main.candidates.count() == 20
    assert main.candidates.filter(status=Candidate.Status.SELECTED).count() == 6
    henk = Volunteer.objects.get(user__username="vrijwilliger")
    gulsen = Volunteer.objects.get(user__username="vrijwilliger2")
    assert henk.programme == main and gulsen.programme == main
    assert training.progress_for(henk).complete and training.certificate_pdf(henk).startswith(b"%PDF")
    assert not training.progress_for(gulsen).complete
    new = Volunteer.objects.get(user__username="joke.verbeek")
    assert new.user.check_password("password")
    held, upcoming = MonthlyMeeting.objects.filter(programme=main).order_by("month")
    assert held.is_held and held.notes and held.actions.count() == 3 and held.attendees.count() == 5
    assert not upcoming.is_held and upcoming.starts_at > timezone.now()
    assert Thanks.objects.filter(volunteer=henk).count() == 2
    if reports:  # the volunteers have reports (filed by the reports demo or marked as theirs)
        assert all(v.user.filed_reports.exists() for v in main.volunteers.all())
    # idempotent
    assert seed_volunteers_demo(corp, today=today + dt.timedelta(days=1), password="password")["programmes"] == 0
    assert Programme.objects.filter(corporation=corp).count() == 2
