"""Permission checks per organisation: a user holds a permission *in* an organisation through
a membership whose role (group) carries it."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from .models import Membership


def orgs_with_perm(user, perm: str) -> frozenset[int]:
    """Ids of the organisations in which ``user`` holds ``perm`` ("app_label.codename")."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return frozenset()
    cache = user.__dict__.setdefault("_wp_org_perms", {})
    if perm not in cache:
        app_label, codename = perm.split(".")
        cache[perm] = frozenset(
            Membership.objects.filter(
                user=user,
                organisation__is_active=True,
                role__permissions__codename=codename,
                role__permissions__content_type__app_label=app_label,
            ).values_list("organisation_id", flat=True)
        )
    return cache[perm]


def has_org_perm(user, perm: str, organisation_id: int | None = None) -> bool:
    orgs = orgs_with_perm(user, perm)
    return bool(orgs) if organisation_id is None else organisation_id in orgs


def clear_perm_cache(user) -> None:
    user.__dict__.pop("_wp_org_perms", None)
