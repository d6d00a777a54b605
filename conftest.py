"""Shared test fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _sms_outbox():
    """Empty the locmem SMS outbox before every test (Django does the same for mail.outbox)."""
    from wijkpunt.core.channels import sms

    sms.outbox.clear()
    yield sms.outbox
