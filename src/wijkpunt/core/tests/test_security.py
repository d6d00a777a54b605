"""Secure defaults (guarantee 8) and brute-force protection."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from wijkpunt.core.models import User

ROOT = Path(__file__).resolve().parents[4]


def _settings_in(env: dict) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS, settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WIJKPUNT_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={**clean, "PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "wijkpunt.settings.base", **env},
    )


def test_production_refuses_to_start_without_secret_key():
    result = _settings_in({})
    assert result.returncode != 0 and "WIJKPUNT_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_hosts():
    result = _settings_in({"WIJKPUNT_SECRET_KEY": "x" * 50})
    assert result.returncode != 0 and "WIJKPUNT_ALLOWED_HOSTS" in result.stderr


def test_production_defaults_are_closed():
    result = _settings_in({"WIJKPUNT_SECRET_KEY": "x" * 50, "WIJKPUNT_ALLOWED_HOSTS": "meldpunt.example.nl",
                           "WIJKPUNT_SMS_CM_PRODUCT_TOKEN": "t", "WIJKPUNT_DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "['meldpunt.example.nl']", "True", "31536000"]


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_login_is_locked_after_repeated_failures(client, settings):
    User.objects.create_user(username="medewerker", password="een-goed-wachtwoord")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "medewerker", "password": "fout"})
    response = client.post(reverse("login"), {"username": "medewerker", "password": "een-goed-wachtwoord"})
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()


@pytest.mark.django_db
def test_login_and_wrong_password_message(client):
    User.objects.create_user(username="medewerker", password="een-goed-wachtwoord")
    response = client.post(reverse("login"), {"username": "medewerker", "password": "fout"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200 and "foutmeldingen" in response.content.decode()
    response = client.post(reverse("login"), {"username": "medewerker", "password": "een-goed-wachtwoord"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_csrf_is_enforced_on_the_public_form():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("public:report_create"), {"description": "test"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_health(client):
    assert client.get("/health/").json() == {"status": "ok"}


@pytest.mark.django_db
def test_role_changes_are_audited(client):
    from auditlog.models import LogEntry
    from django.contrib.auth.models import Group

    from wijkpunt.core.models import Membership, Organisation

    org = Organisation.objects.create(name="C", slug="c", kind="corporatie")
    user = User.objects.create_user(username="u")
    Membership.objects.create(user=user, organisation=org, role=Group.objects.get(name="wijkconsulent"))
    assert LogEntry.objects.filter(content_type__model="membership").exists()


@pytest.mark.django_db
def test_pages_are_dutch_first_and_english_on_request(client):
    page = client.get("/melden/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nl"' in page.content.decode()  # a phone set to English still gets Dutch
    client.post("/i18n/setlang/", {"language": "en", "next": "/melden/"})
    assert '<html lang="en"' in client.get("/melden/").content.decode()


@pytest.mark.django_db
def test_api_honours_accept_language():
    from rest_framework.test import APIClient

    api = APIClient()
    nl = api.post("/api/public/v1/reports/", {"description": ""}, format="json", HTTP_ACCEPT_LANGUAGE="nl")
    en = api.post("/api/public/v1/reports/", {"description": ""}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert nl.json()["description"] != en.json()["description"]


@pytest.mark.django_db
def test_used_captcha_stays_used_after_many_other_submissions(settings):
    """The database cache must not cull used challenges (that would allow replays)."""
    import datetime as dt

    from django.core.cache import cache

    from wijkpunt.core.cache import cache_purge_expired

    cache.set("used-challenge", True, timeout=600)
    for i in range(400):
        cache.set(f"other-{i}", True, timeout=600)
    assert cache.get("used-challenge") is True
    cache.set("expired", True, timeout=1)
    from unittest import mock

    from django.utils import timezone

    with mock.patch("wijkpunt.core.cache.timezone.now", return_value=timezone.now() + dt.timedelta(seconds=5)):
        assert cache_purge_expired() == 1
    assert cache.get("used-challenge") is True


@pytest.mark.django_db
def test_rate_limit_counts_per_window():
    from wijkpunt.core.ratelimit import rate_limit_hit

    hits = [rate_limit_hit(scope="t", key="1.2.3.4", limit=3) for _ in range(5)]
    assert hits == [False, False, False, True, True]
    assert rate_limit_hit(scope="t", key="5.6.7.8", limit=3) is False


@pytest.mark.django_db
def test_not_found_is_json_under_api_and_html_elsewhere(client):
    api = client.get("/api/v1/reports/not-a-number/")
    assert api.status_code == 404 and api["Content-Type"] == "application/json"
    page = client.get("/bestaat-niet/")
    assert page.status_code == 404 and "Deze pagina bestaat niet" in page.content.decode()


@pytest.mark.django_db
def test_a_captcha_solution_is_accepted_exactly_once():
    from django import forms

    from wijkpunt.core.captcha import SingleUseAltchaField
    from wijkpunt.reports.tests.conftest import solved_altcha

    payload = solved_altcha()
    field = SingleUseAltchaField()
    field.clean(payload)
    with pytest.raises(forms.ValidationError):
        SingleUseAltchaField().clean(payload)
    with pytest.raises(forms.ValidationError):
        SingleUseAltchaField().clean("bm90IGpzb24=")
