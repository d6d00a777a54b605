"""Who must use two-factor authentication, and whether they have it (WIJKPUNT_MFA_REQUIRED).

The rule (docs/accounts.md): everyone with a membership in an active organisation whose role is not
in WIJKPUNT_MFA_EXEMPT_ROLES (default: "bewonerskracht", the volunteers), and every user who can
open the admin (is_staff / is_superuser). The exempt list is configuration, not code: an
installation that wants volunteers to use TOTP too sets it to an empty value."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings

from wijkpunt.core.models import Membership


def mfa_required_for(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return (
        Membership.objects.filter(user=user, organisation__is_active=True)
        .exclude(role__name__in=settings.WIJKPUNT_MFA_EXEMPT_ROLES)
        .exists()
    )


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mfa_setup_missing(user) -> bool:
    """True when the user must use two-factor authentication but has not set it up yet."""
    return mfa_required_for(user) and not has_totp(user)
