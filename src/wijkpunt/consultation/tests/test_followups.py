"""Follow-ups of the consultation review (docs/consultation.md):

* the public slug: two consultations with the same title, also when they are created at the same
  moment (the second insert hits the unique index: retried in a savepoint with the next slug);
* free text on the results page is written to the access log once per view; numbers only are not;
* the public page is cached per consultation, and a new decision or the publication shows at once;
* the charts are server-rendered bars with an accessible name and the figures as text (no chart
  library, no chart data, no script on the results pages).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from wijkpunt.consultation import selectors, services
from wijkpunt.consultation.models import Consultation
from wijkpunt.core.models import AccessLog

from .factories import END, START, addr, answers, consultation_world, make_consultation, visit

pytestmark = pytest.mark.django_db

TITLE = "Renovatie of sloop Merelhof"


@pytest.fixture
def w():
    return consultation_world()


@pytest.fixture
def c(w):
    return make_consultation(w.corp, w.complex, actor=w.users["staff"])


def _create(w, title: str = TITLE) -> Consultation:
    return services.consultation_create(corporation=w.corp, complex=w.complex, title=title, starts_on=START,
                                        ends_on=END, actor=w.users["staff"])


# --------------------------------------------------------------------------- the slug


def test_same_title_gets_the_next_free_slug(w, c):
    second, third = _create(w), _create(w)
    assert (c.slug, second.slug, third.slug) == ("renovatie-of-sloop-merelhof", "renovatie-of-sloop-merelhof-2",
                                                 "renovatie-of-sloop-merelhof-3")
    assert _create(w, "!!!").slug == "raadpleging"


def test_slug_collision_is_retried_in_a_savepoint(w, c, monkeypatch):
    """Another transaction took the slug between our check and our insert (simulated: the check
    answers "free" for a slug that is taken). The insert fails on the unique index and is retried;
    the surrounding transaction goes on (the addresses are saved with the consultation)."""
    real, calls = services._free_slug, []

    def stale_check(base):
        calls.append(base)
        return c.slug if len(calls) == 1 else real(base)

    monkeypatch.setattr(services, "_free_slug", stale_check)
    with transaction.atomic():
        second = _create(w)
        assert second.addresses.count() == c.addresses.count()  # the outer transaction is usable
    assert second.slug == f"{c.slug}-2" and len(calls) == 2
    assert Consultation.objects.filter(slug__startswith=c.slug).count() == 2


def test_slug_collisions_in_a_row_end_with_a_random_suffix(w, c, monkeypatch):
    monkeypatch.setattr(services, "_free_slug", lambda base: c.slug)
    second = _create(w)
    assert re.fullmatch(rf"{c.slug}-[0-9a-f]{{8}}", second.slug)


def test_other_integrity_errors_are_not_swallowed(w, monkeypatch):
    def broken(**fields):
        raise IntegrityError("consultation_period_order")

    monkeypatch.setattr(Consultation.objects, "create", broken)
    with pytest.raises(IntegrityError):
        _create(w)
    assert not Consultation.objects.filter(title=TITLE).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions (PostgreSQL)")
def test_two_consultations_created_at_the_same_moment():
    """Two threads both find the slug free, then both insert: no 500, two slugs."""
    w = consultation_world()
    real = services._free_slug
    barrier, seen = threading.Barrier(2, timeout=20), threading.local()

    checks = []

    def together(base):
        checks.append(base)
        slug = real(base)
        if not getattr(seen, "waited", False):
            seen.waited = True
            barrier.wait()  # both checked before either inserted
        return slug

    made, errors = [], []

    def create():
        try:
            made.append(_create(w, "Gelijktijdig plan"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    services._free_slug = together
    try:
        threads = [threading.Thread(target=create) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        services._free_slug = real
    assert errors == []
    assert sorted(c.slug for c in made) == ["gelijktijdig-plan", "gelijktijdig-plan-2"]
    assert len(checks) == 3  # both found the slug free; the loser of the insert looked once more


# --------------------------------------------------------------------------- access log of free text


def _results(user, c) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("consultation:results", args=[c.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_results_page_with_free_text_is_logged_once_per_view(w, c):
    visit(c, addr(c, "Merelstraat", 1), w.users["staff"], answers=answers(c, "sloop", text="Lift graag"),
          remarks="Hond blaft")
    html = _results(w.users["consultant"], c)
    assert "Hond blaft" in html and "Lift graag" in html
    log = AccessLog.objects.get(subject="consultation-results")
    assert (log.user, log.organisation_id, log.subject_id, log.household_id, log.purpose) == (
        w.users["consultant"], w.corp.pk, c.pk, None, "Raadpleging")
    assert log.role
    _results(w.users["consultant"], c)
    assert AccessLog.objects.filter(subject="consultation-results").count() == 2  # one per view


def test_numbers_only_leave_no_results_log_row(w, c):
    visit(c, addr(c, "Merelstraat", 1), w.users["staff"], answers=answers(c, "sloop", text="Lift graag"),
          remarks="Hond blaft")
    html = _results(w.management, c)  # management: numbers only
    assert "Hond blaft" not in html and "Meerderheid: Sloop" in html
    client = APIClient()
    client.force_authenticate(w.users["staff"])  # the API: numbers only, for everyone
    response = client.get(f"/api/v1/consultations/{c.pk}/results/")
    assert response.status_code == 200 and "Hond blaft" not in response.content.decode()
    assert not AccessLog.objects.filter(subject="consultation-results").exists()


def test_staff_page_without_any_free_text_leaves_no_row(w, c):
    visit(c, addr(c, "Merelstraat", 1), w.users["staff"], answers=answers(c, "sloop"))
    _results(w.users["staff"], c)
    assert not AccessLog.objects.filter(subject="consultation-results").exists()


# --------------------------------------------------------------------------- the public page cache


@pytest.fixture
def published(w, c):
    for n in range(1, 7):
        visit(c, addr(c, "Kievitstraat", n), w.users["staff"], answers=answers(c, "sloop"))
    services.consultation_close(consultation=c)
    services.consultation_publish(consultation=c)
    c.refresh_from_db()
    return c


@pytest.fixture
def computations(monkeypatch):
    real, calls = selectors.results_for, []

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(selectors, "results_for", counting)
    return calls


def _public(c) -> str:
    response = Client().get(reverse("consultation_public:results", kwargs={"slug": c.slug}))
    assert response.status_code == 200
    return response.content.decode()


def _main(html: str) -> str:
    return html.split('id="inhoud"')[1]  # the page's content (the header holds a fresh CSRF token)


def test_public_page_is_cached_and_a_new_decision_shows_at_once(w, published, computations):
    c = published
    first = _public(c)
    assert len(computations) == 1 and "Nog geen besluit." in first
    assert _main(_public(c)) == _main(first) and len(computations) == 1  # from the cache
    services.street_decide(consultation=c, street="Kievitstraat", choice="sloop", text="Kievitstraat gaat eruit",
                           reasoning="Zes van de zes", actor=w.users["regisseur"])
    computations.clear()  # the decision's snapshot computed the results too
    html = _public(c)
    assert len(computations) == 1 and "Kievitstraat gaat eruit" in html
    kievit = html.split('data-street="Kievitstraat"')[1].split("</section>")[0]
    assert 'data-testid="public-decision"' in kievit
    _public(c)
    assert len(computations) == 1


def test_publishing_shows_at_once(w, c, computations):
    services.consultation_close(consultation=c)
    url = reverse("consultation_public:results", kwargs={"slug": c.slug})
    assert Client().get(url).status_code == 404
    services.consultation_publish(consultation=c)
    assert Client().get(url).status_code == 200 and len(computations) == 1


def test_cache_key_follows_every_change(w, c):
    key = selectors.public_cache_key(c)
    assert str(c.pk) in key
    visit(c, addr(c, "Merelstraat", 1), w.users["staff"], "niet-thuis")
    assert selectors.public_cache_key(c) != key
    key = selectors.public_cache_key(c)
    services.street_decide(consultation=c, street="Merelstraat", choice="sloop", text="Sloop", reasoning="x",
                           actor=w.users["regisseur"])
    assert selectors.public_cache_key(c) != key
    key = selectors.public_cache_key(c)
    services.consultation_close(consultation=c)
    services.consultation_publish(consultation=c)
    c.refresh_from_db()
    assert selectors.public_cache_key(c) != key
    assert selectors.public_cache_key(c) != selectors.public_cache_key(w.other_consultation)


# --------------------------------------------------------------------------- the charts are the bars


def test_bars_have_an_accessible_name_and_text_figures(w, c, published):
    staff_html = _results(w.users["staff"], c)
    public_html = _public(c)
    for html in (staff_html, public_html):
        assert 'id="consultation-charts"' not in html and "data-chart" not in html
        assert "js/consultation.js" not in html  # nothing to enhance on the results pages
        assert 'role="table"' not in html  # a real table instead of ARIA cells without rows
        assert "{#" not in html and "#}" not in html and "server-rendered" not in html  # no template comment leaks
        tables = re.findall(r'<table class="wp-bars".*?</table>', html, flags=re.S)
        assert tables
        for table in tables:
            caption = re.search(r'<caption class="wp-visually-hidden">(.*?)</caption>', table, flags=re.S)
            assert caption and " — " in caption.group(1) and "antwoord" in caption.group(1)
            assert "<thead" not in table and '<th scope="row">' in table and '<td aria-hidden="true" class="wp-bars__bar">' in table
            assert re.search(r'<td class="wp-num">\d+ · ', table)  # the count and share as text
    kievit = public_html.split('data-street="Kievitstraat"')[1].split("</section>")[0]
    assert "Renovatie of sloop? — Kievitstraat: aantal en aandeel per antwoord, 6 antwoorden" in kievit
    assert "Sloop <strong aria-hidden=\"true\">✔</strong><span class=\"wp-visually-hidden\"> (meerderheid)" in kievit
    assert "Hoe tevreden bent u met uw woning? — alle straten samen:" in public_html


def test_visit_form_keeps_its_script_and_the_script_has_no_chart_code(w, c):
    client = Client()
    client.force_login(w.users["staff"])
    html = client.get(reverse("consultation:visit", args=[c.pk, addr(c, "Merelstraat", 1).pk])).content.decode()
    assert "js/consultation.js" in html and "data-answered-only" in html
    script = (Path(settings.BASE_DIR) / "src/wijkpunt/static/js/consultation.js").read_text()
    assert "data-answered-only" in script and "Chart" not in script and "consultation-charts" not in script
