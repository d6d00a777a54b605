"""Reads for account administration, scoped to what the acting user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from wijkpunt.core.models import Membership, Organisation, User
from wijkpunt.core.permissions import orgs_with_perm

from .models import PartnerUserPolicy

MANAGE_OWN_USERS = "accounts.manage_own_users"
MANAGE_POLICIES = "accounts.manage_partner_policies"


@dataclass(frozen=True)
class EffectivePolicy:
    """What a partner may do now. With policies from several corporations the strictest counts:
    the lowest maximum, only the roles every policy allows, the earliest end date."""

    max_users: int
    allowed_role_ids: frozenset[int]
    valid_until: dt.date | None
    policies: list[PartnerUserPolicy] = field(default_factory=list)

    def allowed_roles(self) -> QuerySet[Group]:
        return Group.objects.filter(pk__in=self.allowed_role_ids).order_by("name")


def own_user_orgs(user) -> QuerySet[Organisation]:
    """The organisations whose users ``user`` may administer (accounts.manage_own_users)."""
    return Organisation.objects.filter(pk__in=orgs_with_perm(user, MANAGE_OWN_USERS), is_active=True).order_by("name")


def policy_corporations(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=orgs_with_perm(user, MANAGE_POLICIES), kind=Organisation.Kind.CORPORATION, is_active=True
    ).order_by("name")


def policies_visible(user) -> QuerySet[PartnerUserPolicy]:
    return (
        PartnerUserPolicy.objects.filter(corporation__in=policy_corporations(user))
        .select_related("partner", "corporation", "created_by")
        .prefetch_related("allowed_roles")
    )


def policies_for_partner(partner: Organisation) -> list[PartnerUserPolicy]:
    return list(
        PartnerUserPolicy.objects.filter(partner=partner, corporation__is_active=True)
        .select_related("corporation").prefetch_related("allowed_roles")
    )


def works_with(corporation: Organisation, partner: Organisation) -> bool:
    """Whether the corporation has a working relationship with the partner: the partner is linked to
    one of its network-directory contact points, was forwarded one of its reports, or was invited
    to one of its cases."""
    from wijkpunt.cases.models import CaseParticipant
    from wijkpunt.network.models import ContactPoint
    from wijkpunt.reports.models import Report

    return (
        ContactPoint.objects.filter(owner=corporation, organisation=partner).exists()
        or Report.objects.filter(organisation=corporation, forwarded_to=partner).exists()
        or CaseParticipant.objects.filter(case__organisation=corporation, organisation=partner).exists()
    )


def effective_policy(partner: Organisation, today: dt.date | None = None) -> EffectivePolicy | None:
    """The limits in force for ``partner`` today; None when there is no valid policy (or it is a
    corporation: corporations keep their accounts in the admin)."""
    if partner.kind == Organisation.Kind.CORPORATION:
        return None
    today = today or timezone.localdate()
    valid = [p for p in policies_for_partner(partner) if p.is_valid_on(today)]
    if not valid:
        return None
    role_sets = [frozenset(r.pk for r in p.allowed_roles.all()) for p in valid]
    ends = [p.valid_until for p in valid if p.valid_until]
    return EffectivePolicy(
        max_users=min(p.max_users for p in valid),
        allowed_role_ids=frozenset.intersection(*role_sets),
        valid_until=min(ends) if ends else None,
        policies=valid,
    )


def active_user_count(organisation: Organisation) -> int:
    return User.objects.filter(memberships__organisation=organisation, is_active=True).distinct().count()


def org_users(organisation: Organisation) -> QuerySet[User]:
    """Everyone with a membership in ``organisation``, with their memberships there and whether TOTP is on."""
    return (
        User.objects.filter(memberships__organisation=organisation)
        .distinct()
        .annotate(
            has_totp=Exists(Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)),
            elsewhere=Exists(Membership.objects.filter(user=OuterRef("pk")).exclude(organisation=organisation)),
        )
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.filter(organisation=organisation)
                     .select_related("role"), to_attr="org_memberships")
        )
        .order_by("last_name", "first_name", "username")
    )


def user_for_admin(actor, user_id: int) -> tuple[User, Organisation]:
    """A user the actor may look at: a member of one of the actor's organisations. 404 otherwise,
    also for users of other organisations (their existence is not revealed)."""
    orgs = list(own_user_orgs(actor))
    if not orgs:
        raise Http404
    for org in orgs:
        user = org_users(org).filter(pk=user_id).first()
        if user is not None:
            return user, org
    raise Http404


def cannot_manage_reason(actor, user: User, policy: EffectivePolicy | None) -> str:
    """Why ``actor`` may not change ``user`` ("" when they may). ``user`` comes from org_users()."""
    from django.utils.translation import gettext as _

    if policy is None:
        return _("Er zijn geen geldige afspraken met de corporatie: wijzigen kan nu niet.")
    if user.pk == actor.pk:
        return _("Uw eigen account kunt u hier niet wijzigen.")
    if user.is_staff or user.is_superuser or user.elsewhere:
        return _("Dit account hoort ook bij een andere organisatie; alleen de corporatie kan het wijzigen.")
    if any(m.role_id not in policy.allowed_role_ids for m in user.org_memberships):
        return _("Deze rol is toegekend door de corporatie; alleen de corporatie kan het account wijzigen.")
    return ""
