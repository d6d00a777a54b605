"""Permission checks per organisation: a user holds a permission *in* an organisation through
a membership whose role (group) carries it."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from .models import Membership


def orgs_with_perm(user, perm: str) -> frozenset[int]:
    """Ids of the organisations in which ``user`` holds ``perm`` ("app_label.codename")."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return frozenset()
    cache = user.__dict__.get("_wp_org_perms")
    if cache is None:
        # One query for all of the user's permissions per organisation (a page checks about twenty).
        cache = {}
        rows = Membership.objects.filter(
            user=user, organisation__is_active=True, role__permissions__isnull=False,
        ).values_list("organisation_id", "role__permissions__content_type__app_label", "role__permissions__codename")
        for organisation_id, app_label, codename in rows:
            cache.setdefault(f"{app_label}.{codename}", set()).add(organisation_id)
        cache = {key: frozenset(value) for key, value in cache.items()}
        user.__dict__["_wp_org_perms"] = cache
    return cache.get(perm, frozenset())


def has_org_perm(user, perm: str, organisation_id: int | None = None) -> bool:
    orgs = orgs_with_perm(user, perm)
    return bool(orgs) if organisation_id is None else organisation_id in orgs


def clear_perm_cache(user) -> None:
    user.__dict__.pop("_wp_org_perms", None)
