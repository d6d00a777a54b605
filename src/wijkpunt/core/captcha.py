"""The self-hosted proof-of-work captcha (ALTCHA), with single use enforced atomically."""

from __future__ import annotations

import base64
import json

from django import forms
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
