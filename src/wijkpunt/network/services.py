"""Writes to the network directory. The views check the permission first; these functions check it
again, so that no caller can write into another organisation's directory."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wijkpunt.core.models import Organisation
from wijkpunt.core.permissions import has_org_perm

from .models import ContactPoint

FIELDS = ("organisation", "kind", "name", "handles", "phone_office_hours", "phone_out_of_hours", "email",
          "hours_text", "out_of_hours_text", "website", "shared_with_volunteers", "is_active")


def _check(actor, owner: Organisation) -> None:
    if not has_org_perm(actor, "network.manage_directory", owner.pk):
        raise PermissionDenied(_("U mag de netwerkgids van deze organisatie niet beheren."))


def _apply(point: ContactPoint, *, neighbourhoods, **fields) -> ContactPoint:
    for name, value in fields.items():
        if name not in FIELDS:
            raise TypeError(f"unknown field {name}")
        setattr(point, name, value)
    if point.organisation_id is not None and point.organisation_id == point.owner_id:
        raise ValidationError({"organisation": _("Kies een partnerorganisatie, niet de eigen organisatie.")})
    point.full_clean()
    point.save()
    point.neighbourhoods.set(neighbourhoods or [])
    return point


@transaction.atomic
def contact_point_create(*, actor, owner: Organisation, neighbourhoods=(), **fields) -> ContactPoint:
    _check(actor, owner)
    return _apply(ContactPoint(owner=owner), neighbourhoods=neighbourhoods, **fields)


@transaction.atomic
def contact_point_update(*, actor, contact_point: ContactPoint, neighbourhoods=(), **fields) -> ContactPoint:
    point = ContactPoint.objects.select_for_update().select_related("owner").get(pk=contact_point.pk)
    _check(actor, point.owner)
    return _apply(point, neighbourhoods=neighbourhoods, **fields)
