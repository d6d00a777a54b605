"""Test helpers: TOTP codes computed with allauth's own functions."""

from __future__ import annotations

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)


def totp_code(secret: str, offset: int = 0) -> str:
    """The code an authenticator app shows now for ``secret`` (``offset`` periods later)."""
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter + offset))


def activate_totp(user) -> tuple[str, list[str]]:
    """Give ``user`` TOTP and recovery codes; returns (secret, recovery codes)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return secret, codes
