"""Settings for the test suite: same code paths, in-memory mail and SMS, immediate huey."""

import os

os.environ.setdefault("WIJKPUNT_ENV", "test")
os.environ.setdefault("WIJKPUNT_EMAIL_BACKEND", "console")

from .base import *  # noqa: E402,F403
from .base import STORAGES  # noqa: E402

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "locmem"  # wijkpunt.core.channels.sms.outbox, emptied before every test (conftest.py)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
ALTCHA_MAX_NUMBER = 2000
MAP_TILES_URL = ""
WIJKPUNT_MFA_REQUIRED = False  # tests of the enforcement switch it on (accounts/tests/test_mfa.py)
