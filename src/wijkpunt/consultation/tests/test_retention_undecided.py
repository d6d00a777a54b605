"""Retention of streets that never got a decision (retention.py, docs/consultation.md "Retention").

Once the consultation ended — closed, or its period over, whichever came first — longer than
``CONSULTATION_RETENTION_DAYS`` ago, an undecided street is anonymised exactly like a decided one:
one new anonymous row per visited address, the figures unchanged; a dry run changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from wijkpunt.consultation import results as R
from wijkpunt.consultation import retention, selectors, services
from wijkpunt.consultation.models import Answer, Consultation, Question, Visit

from .factories import addr, answers, consultation_world, make_consultation, visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("short_retention")]

FIGURES = ("addresses", "answered", "not_home", "refused", "moved", "not_visited", "eligible", "response_rate",
           "low_response")


@pytest.fixture
def short_retention():
    with override_settings(CONSULTATION_RETENTION_DAYS=30):
        yield


@pytest.fixture
def w():
    return consultation_world()


@pytest.fixture
def c(w):
    """Kievitstraat visited but undecided; Merelstraat visited and decided just now. The period
    runs until today (not ended); each test moves its end."""
    c = make_consultation(w.corp, w.complex, actor=w.users["staff"])
    today = timezone.localdate()
    Consultation.objects.filter(pk=c.pk).update(starts_on=today - dt.timedelta(days=90), ends_on=today)
    staff = w.users["staff"]
    visit(c, addr(c, "Kievitstraat", 1), staff, "niet-thuis", remarks="Bel later nog eens")
    visit(c, addr(c, "Kievitstraat", 1), staff, answers=answers(c, "sloop", text="Geheim"), remarks="Hond blaft")
    visit(c, addr(c, "Kievitstraat", 2), staff, "verhuisd")
    visit(c, addr(c, "Kievitstraat", 3), staff, "geweigerd", remarks="Boos")
    for n, choice in ((4, "renovatie"), (5, "sloop"), (6, "sloop")):
        visit(c, addr(c, "Kievitstraat", n), staff, answers=answers(c, choice, scale=n - 2))
    for n in (1, 3, 5, 7, 9):
        visit(c, addr(c, "Merelstraat", n), staff, answers=answers(c, "renovatie", text="Merel"))
    services.street_decide(consultation=c, street="Merelstraat", choice="renovatie", text="Renovatie",
                           reasoning="Meerderheid", actor=w.users["regisseur"])
    c.refresh_from_db()
    return c


def _end_period(c, days_ago: int) -> None:
    Consultation.objects.filter(pk=c.pk).update(ends_on=timezone.localdate() - dt.timedelta(days=days_ago))
    c.refresh_from_db()


def _street(res: dict, name: str) -> dict:
    return next(row for row in res["streets"] if row["street"] == name)


def _linked(c, street: str):
    return Visit.objects.filter(consultation=c, street=street, anonymised_at__isnull=True)


def test_undecided_street_is_kept_while_the_consultation_runs_or_ended_recently(c):
    today = timezone.localdate()
    assert retention.purge(today).streets == 0  # period not over, not closed
    _end_period(c, 29)
    assert retention.purge(today).streets == 0  # ended 29 days ago: not yet
    services.consultation_close(consultation=c)
    assert retention.purge(today).streets == 0  # closed just now
    assert _linked(c, "Kievitstraat").count() == 7


def test_undecided_street_is_anonymised_once_the_period_ended_long_enough_ago(w, c):
    _end_period(c, 31)
    today = timezone.localdate()
    before = selectors.results_for(c, include_text=False)
    old_pks = set(Visit.objects.filter(consultation=c, street="Kievitstraat").values_list("pk", flat=True))

    dry = retention.purge(today, dry_run=True)
    assert (dry.streets, dry.undecided_streets, dry.visits_anonymised, dry.visits_deleted) == (1, 1, 0, 0)
    assert set(_linked(c, "Kievitstraat").values_list("pk", flat=True)) == old_pks  # nothing changed
    assert not Visit.objects.filter(anonymised_at__isnull=False).exists()
    assert selectors.results_for(c, include_text=True)["streets"][0]["remarks"]  # remarks still there

    result = retention.purge(today)
    assert (result.streets, result.undecided_streets, result.visits_anonymised, result.visits_deleted) == (1, 1, 6, 1)
    after = selectors.results_for(c, include_text=False)
    for key in FIGURES:
        assert _street(after, "Kievitstraat")[key] == _street(before, "Kievitstraat")[key], key
        assert after["complex"][key] == before["complex"][key], key
    def closed_questions(group):
        return [q for q in group["questions"] if q["kind"] != Question.Kind.TEXT]
    assert closed_questions(_street(after, "Kievitstraat")) == closed_questions(_street(before, "Kievitstraat"))
    assert closed_questions(after["complex"]) == closed_questions(before["complex"])
    assert R.public_view(after) == R.public_view(before)

    kievit = Visit.objects.filter(consultation=c, street="Kievitstraat")
    assert kievit.count() == 6 and not kievit.filter(anonymised_at__isnull=True).exists()
    assert not set(kievit.values_list("pk", flat=True)) & old_pks  # new rows
    assert set(kievit.values_list("visited_at", flat=True)) == {retention.ended_at(c)}  # dated at the end
    assert retention.ended_at(c) == timezone.make_aware(dt.datetime.combine(c.ends_on, dt.time(23, 59, 59)))
    assert set(kievit.values_list("attempt", flat=True)) == {1}
    assert not kievit.exclude(remarks="").exists()
    for field in ("address", "household", "visitor", "idempotency_key"):
        assert not kievit.filter(**{f"{field}__isnull": False}).exists(), field
    assert not Answer.objects.filter(visit__in=kievit, question__kind=Question.Kind.TEXT).exists()
    # the decided street follows its own (recent) decision: untouched
    assert _linked(c, "Merelstraat").count() == 5
    assert retention.purge(today).streets == 0  # idempotent

    # no new visits in the anonymised street; a decision recorded now rests on the same figures
    with pytest.raises(ValidationError):
        visit(c, addr(c, "Kievitstraat", 2), w.users["staff"], "niet-thuis")
    decision = services.street_decide(consultation=c, street="Kievitstraat", choice="sloop", text="Sloop",
                                      reasoning="Alsnog besloten", actor=w.users["regisseur"])
    for key in FIGURES:
        assert decision.snapshot[key] == _street(before, "Kievitstraat")[key], key
    assert retention.purge(today + dt.timedelta(days=400)).streets == 1  # only Merelstraat's turn now


def test_undecided_street_is_anonymised_after_closing_long_enough_ago(c):
    services.consultation_close(consultation=c)
    closed_at = timezone.now() - dt.timedelta(days=31)
    Consultation.objects.filter(pk=c.pk).update(closed_at=closed_at)  # ends_on is today: closing came first
    c.refresh_from_db()
    assert retention.ended_at(c) == closed_at
    result = retention.purge(timezone.localdate())
    assert (result.streets, result.undecided_streets) == (1, 1)
    assert set(Visit.objects.filter(consultation=c, street="Kievitstraat").values_list("visited_at", flat=True)) == {
        closed_at}
    assert _linked(c, "Merelstraat").count() == 5


def test_a_street_decided_after_the_list_was_made_is_left_to_its_decision(w, c):
    _end_period(c, 31)
    (due,) = retention.due_undecided(timezone.localdate())
    assert (due.consultation.pk, due.street, due.decided) == (c.pk, "Kievitstraat", False)
    services.street_decide(consultation=c, street="Kievitstraat", choice="sloop", text="Sloop", reasoning="Nu",
                           actor=w.users["regisseur"])
    assert retention._anonymise_street(due, timezone.now()) is None
    assert _linked(c, "Kievitstraat").count() == 7
    assert retention.purge(timezone.localdate()).streets == 0


def test_only_consultations_that_ended_long_enough_ago(w, c):
    other = w.other_consultation  # another corporation's, still running
    Consultation.objects.filter(pk=other.pk).update(ends_on=timezone.localdate())
    visit(other, other.addresses.first(), w.users["other_consultant"], "niet-thuis", remarks="Elders")
    _end_period(c, 31)
    assert retention.purge(timezone.localdate()).streets == 1
    assert Visit.objects.get(consultation=other).remarks == "Elders"


def test_purge_command_dry_run_lists_undecided_streets(c, capsys):
    _end_period(c, 31)
    call_command("consultation_purge", "--dry-run")
    out = capsys.readouterr().out
    assert "Kievitstraat (zonder besluit, raadpleging afgelopen" in out and "Merelstraat" not in out
    assert "Proefdraai" in out and "waarvan zonder besluit: 1" in out
    assert _linked(c, "Kievitstraat").count() == 7
