"""Every read of the network directory, scoped to what the user may see (guarantee 5).

Who sees which directory (docs/network.md):

* staff: the directories owned by the organisations in which they hold ``network.view_directory``;
* partner users (``network.view_directory`` in a partner organisation): also the directories of the
  corporations their organisation has a relationship with, which is a corporation that has
  forwarded a report to it (now or ever; the forward history counts) or that lists it as the
  partner organisation of an active contact point. Categories are shared between corporations, so
  being a category's default partner does not count (it would open every corporation's directory);
* everyone else: nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from wijkpunt.core.models import Organisation
from wijkpunt.core.permissions import orgs_with_perm
from wijkpunt.housing.models import Complex, Neighbourhood, Unit

from .models import ContactPoint


def related_corporation_ids(partner_org_ids) -> set[int]:
    """Corporations that work with any of these (partner) organisations."""
    from wijkpunt.reports.models import Report, ReportEvent

    partner_org_ids = list(partner_org_ids)
    if not partner_org_ids:
        return set()
    ids: set[int] = set(
        Report.objects.filter(forwarded_to_id__in=partner_org_ids).values_list("organisation_id", flat=True).distinct()
    )
    ids |= set(
        ReportEvent.objects.filter(kind=ReportEvent.Kind.FORWARDED, data__partner__in=partner_org_ids)
        .values_list("report__organisation_id", flat=True).distinct()
    )
    ids |= set(
        ContactPoint.objects.filter(organisation_id__in=partner_org_ids, is_active=True)
        .values_list("owner_id", flat=True).distinct()
    )
    return set(
        Organisation.objects.filter(pk__in=ids, kind=Organisation.Kind.CORPORATION, is_active=True)
        .values_list("pk", flat=True)
    )


def directory_owner_ids(user) -> set[int]:
    """The organisations whose directory ``user`` may read."""
    org_ids = orgs_with_perm(user, "network.view_directory")
    if not org_ids:
        return set()
    partner_ids = set(
        Organisation.objects.filter(pk__in=org_ids).exclude(kind=Organisation.Kind.CORPORATION)
        .values_list("pk", flat=True)
    )
    return set(org_ids) | related_corporation_ids(partner_ids)


def can_view_directory(user) -> bool:
    return bool(orgs_with_perm(user, "network.view_directory"))


def manageable_owner_ids(user) -> frozenset[int]:
    return orgs_with_perm(user, "network.manage_directory")


def _covering(neighbourhood: Neighbourhood | None) -> Q:
    """Contact points that cover ``neighbourhood``: listed for it, or for all neighbourhoods (none
    listed) of an owner with homes there. ``None``: only those for all neighbourhoods."""
    everywhere = Q(neighbourhoods__isnull=True)
    if neighbourhood is None:
        return everywhere
    owners = set(Complex.objects.filter(neighbourhood=neighbourhood).values_list("corporation_id", flat=True))
    owners |= set(Unit.objects.filter(neighbourhood=neighbourhood).values_list("corporation_id", flat=True))
    return Q(neighbourhoods=neighbourhood) | (everywhere & Q(owner_id__in=owners))


def contact_points_for(*, neighbourhood: Neighbourhood | None, kinds=None, owner: Organisation | None = None,
                       linked_only: bool = False) -> QuerySet[ContactPoint]:
    """Active contact points for a neighbourhood (including those for all neighbourhoods of their
    owner), ordered by kind and name. ``owner`` limits them to one corporation's directory (pass it
    whenever you know the corporation); ``linked_only`` to those of a partner organisation that works
    in Wijkpunt (reports and cases can be forwarded to those)."""
    ids = ContactPoint.objects.filter(_covering(neighbourhood), is_active=True)
    if owner is not None:
        ids = ids.filter(owner=owner)
    if kinds:
        ids = ids.filter(kind__in=list(kinds))
    if linked_only:
        ids = ids.filter(organisation__isnull=False, organisation__is_active=True).exclude(
            organisation__kind=Organisation.Kind.CORPORATION
        )
    return (
        ContactPoint.objects.filter(pk__in=ids.values("pk"))
        .select_related("owner", "organisation")
        .order_by("kind", "name", "pk")
    )


def directory_for(user, *, neighbourhood: Neighbourhood | None = None, kind: str = "", q: str = "",
                  include_inactive: bool = False) -> QuerySet[ContactPoint]:
    """The directory page: what ``user`` may see, filtered."""
    owner_ids = directory_owner_ids(user)
    if not owner_ids:
        return ContactPoint.objects.none()
    qs = ContactPoint.objects.filter(owner_id__in=owner_ids)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if neighbourhood is not None:
        qs = qs.filter(_covering(neighbourhood))
    if kind:
        qs = qs.filter(kind=kind)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(handles__icontains=q) | Q(organisation__name__icontains=q)
                       | Q(neighbourhoods__name__icontains=q))
    return (
        ContactPoint.objects.filter(pk__in=qs.values("pk"))
        .select_related("owner", "organisation")
        .prefetch_related("neighbourhoods")
        .order_by("kind", "name", "pk")
    )


def contact_point_for_manager(user, pk: int) -> ContactPoint | None:
    return ContactPoint.objects.filter(pk=pk, owner_id__in=manageable_owner_ids(user)).first()


def neighbourhoods_of(owner_ids, *, with_listed: bool = False) -> QuerySet[Neighbourhood]:
    """Neighbourhoods where these corporations have homes or complexes (``with_listed``: and those
    their directories list)."""
    owner_ids = list(owner_ids)
    condition = (
        Q(pk__in=Complex.objects.filter(corporation_id__in=owner_ids).values("neighbourhood_id"))
        | Q(pk__in=Unit.objects.filter(corporation_id__in=owner_ids).values("neighbourhood_id"))
    )
    if with_listed:
        condition |= Q(pk__in=ContactPoint.neighbourhoods.through.objects.filter(
            contactpoint__owner_id__in=owner_ids).values("neighbourhood_id"))
    return (
        Neighbourhood.objects.filter(condition)
        .select_related("municipality").order_by("name")
    )


def shared_contacts_for_volunteer(volunteer) -> QuerySet[ContactPoint]:
    """The contact points a volunteer sees: active ones of their programme's corporation for their
    programme's neighbourhood that staff shared with volunteers, and only when the volunteer holds
    ``network.view_shared_contacts`` in that corporation. Never a contact point that is not shared."""
    programme = volunteer.programme
    if programme.corporation_id not in orgs_with_perm(volunteer.user, "network.view_shared_contacts"):
        return ContactPoint.objects.none()
    return contact_points_for(neighbourhood=programme.neighbourhood, owner=programme.corporation).filter(
        shared_with_volunteers=True)
