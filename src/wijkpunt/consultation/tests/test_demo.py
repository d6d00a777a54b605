"""The demo seed: realistic, deterministic, idempotent, with a published public page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from wijkpunt.consultation import selectors
from wijkpunt.consultation.demo import seed_consultation_demo
from wijkpunt.consultation.models import Consultation

from .factories import consultation_world

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def test_seed_consultation_demo(client):
    w = consultation_world()
    result = seed_consultation_demo(w.corp, today=TODAY)
    assert result["consultations"] == 2 and result["decisions"] == 2 and result["visits"] > result["answered"] > 5
    first = Consultation.objects.get(slug=result["public_slug"])
    assert first.status in (Consultation.Status.CLOSED, Consultation.Status.DECIDED) and first.is_published
    second = Consultation.objects.get(corporation=w.corp, title="Welk verduurzamingspakket")
    assert second.is_open
    data = selectors.results_for(first, include_text=False)
    merel = next(row for row in data["streets"] if row["street"] == "Merelstraat")
    assert merel["questions"][0]["outcome"]["codes"] == ["sloop-en-nieuwbouw"]
    assert first.decisions.count() == 2
    assert client.get(reverse("consultation_public:results", args=[first.slug])).status_code == 200
    assert seed_consultation_demo(w.corp, today=TODAY)["consultations"] == 0  # idempotent


def test_seed_without_complexes_does_nothing():
    from wijkpunt.cases.tests.factories import build_world

    w = build_world()
    assert seed_consultation_demo(w.corp, today=TODAY)["consultations"] == 0
