"""Fixtures for the worker tests (helpers in workerharness.py)."""

from __future__ import annotations

import pytest
from workerharness import WorkerHarness

from wijkpunt.core.tests.cm_fake import FakeCM


@pytest.fixture
def worker_world(tmp_path):
    """A migrated database of its own, a FakeCM gateway and helpers to run and kill a huey worker."""
    with FakeCM() as cm:
        harness = WorkerHarness(tmp_path, cm)
        try:
            harness.create_database()
            yield harness
        finally:
            harness.stop_all()
            harness.drop_database()
