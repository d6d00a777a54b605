"""allauth adapters: no sign-up, Dutch messages, and django-axes as the one brute-force guard for
passwords (allauth's own per-user limit stays on for second-factor codes)."""

from __future__ import annotations

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.utils.translation import gettext_lazy as _

# allauth's "logged in as ..." and "logged out" messages: the page itself says so.
SILENT_MESSAGES = {"account/messages/logged_in.txt", "account/messages/logged_out.txt"}


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": _("Deze combinatie van gebruikersnaam en wachtwoord kennen we niet."),
        "too_many_login_attempts": _("Te veel mislukte pogingen. Probeer het later opnieuw."),
        "incorrect_password": _("Dit wachtwoord klopt niet."),
        "account_inactive": _("Dit account is niet actief."),
        "invalid_login": _("Inloggen is niet gelukt."),
        "incorrect_code": _("Deze code klopt niet."),
        "rate_limited": _("Even geduld: te veel pogingen achter elkaar."),
    }

    def is_open_for_signup(self, request) -> bool:  # accounts are made by an administrator
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        """Password attempts are counted by django-axes (5 per user and address, one hour), which
        runs as the first authentication backend; allauth's second counter would only compete."""
        self._login_failed_rl_usage = None

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Setting up the second factor straight after logging in needs no second password prompt:
        within ACCOUNT_REAUTHENTICATION_TIMEOUT of the login, and only while the user has no TOTP yet
        or set it up after that login (to see the recovery codes). Later changes ask again."""
        if app == "allauth.mfa" and _setting_up_after_login(getattr(context, "request", None)):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="",
                    message=None) -> None:
        if message_template in SILENT_MESSAGES:
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _("Deze code klopt niet. Gebruik de code die uw app nu toont, of een herstelcode."),
        "cannot_delete_authenticator": _("Tweestapsverificatie kan voor uw account niet worden uitgezet."),
        "cannot_generate_recovery_codes": _("Stel eerst tweestapsverificatie in; daarna kunt u herstelcodes maken."),
        "unverified_email": _("Bevestig eerst uw e-mailadres."),
        "add_email_blocked": _("Een account met tweestapsverificatie kan geen e-mailadres toevoegen."),
    }

    def can_delete_authenticator(self, authenticator) -> bool:
        """Someone who must use two-factor authentication cannot switch it off themselves."""
        from .mfa import mfa_required_for

        return not mfa_required_for(authenticator.user) and super().can_delete_authenticator(authenticator)


def _setting_up_after_login(request) -> bool:
    from allauth.account.internal.flows.login import get_authentication_records
    from allauth.mfa.models import Authenticator

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    logins = [r for r in records if r.get("method") == "password" and isinstance(r.get("at"), (int, float))]
    if not logins:
        return False
    logged_in_at = logins[-1]["at"]
    if time.time() - logged_in_at >= account_settings.REAUTHENTICATION_TIMEOUT:
        return False
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return totp is None or totp.created_at.timestamp() >= logged_in_at


def axes_username(request, credentials) -> str | None:
    """django-axes: the user name of a login attempt (allauth passes ``username`` in the credentials;
    the form field is also called ``username``)."""
    if credentials and credentials.get("username"):
        return credentials["username"]
    return request.POST.get("username") or request.POST.get("login") or None
