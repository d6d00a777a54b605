"""Fixtures for the housing tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkpunt.core.tests.factories import CorporationFactory
from wijkpunt.housing.models import Complex, Household, Municipality, Neighbourhood, Tenancy, Unit

FIXTURES = Path(__file__).resolve().parents[4] / "tests" / "fixtures" / "housing"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def corporation(db):
    return CorporationFactory(slug="lindehof-test", name="Woonstichting Test")


def housing_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Municipality, Neighbourhood, Complex, Unit, Household, Tenancy)
    }


EMPTY = dict.fromkeys(("Municipality", "Neighbourhood", "Complex", "Unit", "Household", "Tenancy"), 0)
