"""The self-hosted proof-of-work captcha (ALTCHA), with single use enforced atomically."""

from __future__ import annotations

import base64
import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_altcha import AltchaField, get_cache, get_challenge_expire_seconds


class SingleUseAltchaField(AltchaField):
    """django-altcha checks "was this challenge used?" and then marks it used: two parallel requests
    with one solution can both pass. ``cache.add`` does both in one step (it only writes when the key
    is absent), so exactly one request wins."""

    def replay_attack_protection(self, payload):
        try:
            challenge = json.loads(base64.b64decode(payload).decode())["challenge"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise forms.ValidationError(self.error_messages["error"], code="error") from exc
        if not get_cache().add(f"altcha:{challenge}", True, timeout=get_challenge_expire_seconds()):
            raise forms.ValidationError(self.error_messages["replay"], code="invalid")


def public_captcha_field() -> SingleUseAltchaField:
    """The captcha of the forms anyone can send without an account (/melden/, /klus/)."""
    return SingleUseAltchaField(
        label=_("Controle tegen spam"), auto="onload", hidelogo=True, hidefooter=True, language="nl",
        maxnumber=settings.ALTCHA_MAX_NUMBER,
        error_messages={
            "required": _("De controle tegen spam is nog niet klaar; wacht een paar seconden en verstuur opnieuw."),
            "invalid": _("De controle tegen spam is mislukt; laad de pagina opnieuw."),
            "replay": _("Dit formulier is al verstuurd; laad de pagina opnieuw."),
            "error": _("De controle tegen spam is mislukt; laad de pagina opnieuw."),
        },
    )


def honeypot_field() -> forms.CharField:
    """A field people never see (hidden by CSS) and bots fill in; check it with ``clean_honeypot``."""
    return forms.CharField(label=_("Laat dit veld leeg"), required=False)


def clean_honeypot(value: str) -> str:
    if value:
        raise forms.ValidationError(_("Dit veld moet leeg blijven."))
    return ""
