"""Login through allauth with a second factor (TOTP, recovery codes), axes, logout, no sign-up."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from wijkpunt.core.models import User
from wijkpunt.core.tests.factories import DEFAULT_PASSWORD

from .helpers import activate_totp, totp_code

pytestmark = pytest.mark.django_db


def _password_step(client, user, password=DEFAULT_PASSWORD):
    return client.post(reverse("login"), {"username": user.username, "password": password})


def test_login_page_is_dutch_and_keeps_its_field_names(client):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("login") == "/inloggen/"
    assert 'name="username"' in body and 'name="password"' in body
    assert ">Gebruikersnaam<" in body and ">Wachtwoord<" in body
    assert "wp-login-form" in body


def test_password_only_user_logs_in(client, staff):
    response = _password_step(client, staff)
    assert response.status_code == 302 and response["Location"] == reverse("staff:home")
    assert client.get(reverse("staff:queue")).status_code == 200


def test_wrong_password_gives_dutch_message(client, staff):
    response = _password_step(client, staff, "fout-wachtwoord")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet." in body
    assert "foutmeldingen" in body


def test_password_then_totp_code(client, staff):
    secret, _codes = activate_totp(staff)
    response = _password_step(client, staff)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not logged in after the password alone
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200 and "Tweestapsverificatie" in page.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("staff:home")
    assert client.get(reverse("staff:queue")).status_code == 200


def test_wrong_totp_code_is_refused_in_dutch(client, staff):
    secret, _codes = activate_totp(staff)
    _password_step(client, staff)
    good = totp_code(secret)
    wrong = "000000" if good != "000000" else "111111"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("staff:queue")).status_code == 302


def test_recovery_code_works_once(client, staff):
    _secret, codes = activate_totp(staff)
    _password_step(client, staff)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302 and response["Location"] == reverse("staff:home")
    client.post(reverse("logout"))
    _password_step(client, staff)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 200 and "Deze code klopt niet." in response.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": codes[1]})
    assert response.status_code == 302


def test_totp_code_cannot_be_replayed(client, staff):
    secret, _codes = activate_totp(staff)
    code = totp_code(secret)
    _password_step(client, staff)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    _password_step(client, staff)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200


def test_axes_locks_out_through_the_new_login(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password_step(client, staff, "fout")
    response = _password_step(client, staff)
    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    assert AccessAttempt.objects.filter(username="medewerker").exists()
    assert "_auth_user_id" not in client.session


def test_axes_lock_also_holds_for_a_user_with_totp(client, staff, settings):
    secret, _codes = activate_totp(staff)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password_step(client, staff, "fout")
    response = _password_step(client, staff)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)}).status_code != 302 or (
        "_auth_user_id" not in client.session
    )


def test_logout(client, staff):
    _password_step(client, staff)
    confirm = client.get(reverse("logout"))
    assert confirm.status_code == 200 and "Wilt u uitloggen?" in confirm.content.decode()
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("public:home")
    assert client.get(reverse("staff:queue")).status_code == 302


def test_no_self_sign_up(client):
    response = client.post(reverse("account_signup"), {"username": "nieuw", "password1": "een-lang-wachtwoord-1"})
    assert response.status_code == 200
    assert "Geen eigen account aanmaken" in response.content.decode()
    assert not User.objects.filter(username="nieuw").exists()


def test_admin_login_goes_through_the_login_with_second_factor(client):
    response = client.get("/beheer/")
    assert response.status_code == 302
    login = client.get(response["Location"], follow=True)
    assert login.redirect_chain[-1][0].startswith(reverse("login"))
