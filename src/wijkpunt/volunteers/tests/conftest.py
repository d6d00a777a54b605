"""Fixtures for the volunteer programme tests: ``vw`` is ``factories.volunteer_world()``."""

from __future__ import annotations

import pytest

from .factories import volunteer_world


@pytest.fixture
def vw(db):
    return volunteer_world()
