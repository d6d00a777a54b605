"""WIJKPUNT_MFA_REQUIRED: staff and partner accounts must set up TOTP before they reach the work pages,
the admin or the session-authenticated API; volunteers (role bewonerskracht) are exempt."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from wijkpunt.core.tests.factories import DEFAULT_PASSWORD, UserFactory, membership

from .helpers import activate_totp, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_mfa_on")]
SETUP = "/account/2fa/totp/activate/"


@pytest.fixture
def _mfa_on():
    with override_settings(WIJKPUNT_MFA_REQUIRED=True):
        yield


def _login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return response


def test_setting_defaults(settings):
    from wijkpunt.settings import base

    assert base.WIJKPUNT_MFA_EXEMPT_ROLES == ["bewonerskracht"]
    assert reverse("mfa_activate_totp") == SETUP


def test_staff_without_totp_is_sent_to_set_up(client, staff):
    _login(client, staff)
    for url in ["/werk/", reverse("staff:queue"), reverse("accounts:users")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == SETUP, url


def test_staff_without_totp_still_reaches_public_pages_and_logout(client, staff):
    client.force_login(staff)
    assert client.get("/").status_code == 200
    assert client.get(reverse("public:report_create")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("public:home")


def test_session_api_gets_403_with_a_dutch_message(client, staff):
    client.force_login(staff)
    response = client.get("/api/v1/reports/")
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"
    assert "Tweestapsverificatie is verplicht" in response.json()["detail"]


def test_token_api_is_not_affected(client, staff):
    token = Token.objects.create(user=staff)
    response = client.get("/api/v1/reports/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_htmx_request_is_redirected_by_header(client, staff):
    client.force_login(staff)
    response = client.get(reverse("staff:queue"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == SETUP


def test_admin_requires_it_too(client, corp):
    admin = UserFactory(username="beheer", is_staff=True)
    membership(admin, corp, "beheerder")
    client.force_login(admin)
    response = client.get("/beheer/")
    assert response.status_code == 302 and response["Location"] == SETUP


def test_volunteer_is_exempt(client, volunteer):
    client.force_login(volunteer)
    response = client.get("/werk/")
    assert response.status_code == 302 and response["Location"] != SETUP
    assert client.get(reverse("staff:my_reports")).status_code == 200


def test_volunteer_with_a_second_role_is_not_exempt(client, volunteer, corp):
    membership(volunteer, corp, "wijkconsulent")
    client.force_login(volunteer)
    assert client.get(reverse("staff:my_reports"))["Location"] == SETUP


def test_set_up_then_through(client, staff):
    _login(client, staff)
    assert client.get(reverse("staff:queue"))["Location"] == SETUP
    page = client.get(SETUP)
    body = page.content.decode()
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in body and "data:image/svg+xml;base64," in body
    wrong = client.post(SETUP, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and "Deze code klopt niet." in wrong.content.decode()
    response = client.post(SETUP, {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_view_recovery_codes")
    codes_page = client.get(reverse("mfa_view_recovery_codes"))
    assert codes_page.status_code == 200 and "Herstelcodes" in codes_page.content.decode()
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    cont = client.get(reverse("accounts:continue"))
    assert cont.status_code == 302 and cont["Location"] == reverse("staff:queue")  # where they wanted to go
    assert client.get(reverse("staff:queue")).status_code == 200
    assert client.get("/api/v1/reports/").status_code == 200


def test_required_user_cannot_switch_totp_off(client, staff, volunteer):
    from wijkpunt.accounts.adapters import MFAAdapter

    activate_totp(staff)
    activate_totp(volunteer)
    staff_totp = Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP)
    volunteer_totp = Authenticator.objects.get(user=volunteer, type=Authenticator.Type.TOTP)
    assert not MFAAdapter().can_delete_authenticator(staff_totp)
    assert MFAAdapter().can_delete_authenticator(volunteer_totp)
    client.force_login(staff)
    assert "Tweestapsverificatie uitzetten" not in client.get(reverse("mfa_index")).content.decode()


def test_later_changes_ask_for_the_password_again(client, staff):
    secret, _codes = activate_totp(staff)
    _login(client, staff)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    response = client.get(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))


def test_switched_off_nothing_is_enforced(client, staff):
    with override_settings(WIJKPUNT_MFA_REQUIRED=False):
        client.force_login(staff)
        assert client.get(reverse("staff:queue")).status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "https://evil.example/"])
def test_continue_never_leaves_the_site(client, staff, target):
    client.force_login(staff)
    session = client.session
    session["wp_mfa_next"] = target
    session.save()
    assert client.get(reverse("accounts:continue"))["Location"] == reverse("staff:home")
