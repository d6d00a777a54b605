"""Writes for account administration: policies (corporation) and partner users (partner admin).

Every change goes through here; auditlog records the resulting User and Membership changes with
the acting user (AuditlogMiddleware)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from wijkpunt.core.models import Membership, Organisation, User
from wijkpunt.core.outbox import outbox_enqueue_email
from wijkpunt.core.permissions import clear_perm_cache

from . import selectors
from .models import PartnerUserPolicy


def partner_policy_save(*, actor: User, corporation: Organisation, form) -> PartnerUserPolicy:
    """Save a validated PartnerUserPolicyForm for ``corporation``."""
    with transaction.atomic():
        policy = form.save(commit=False)
        if not policy.pk:
            policy.corporation = corporation
            policy.created_by = actor
        policy.save()
        form.save_m2m()
    return policy


def _policy_or_refuse(organisation: Organisation) -> selectors.EffectivePolicy:
    policy = selectors.effective_policy(organisation)
    if policy is None:
        raise ValidationError(_("Er zijn geen geldige afspraken met de corporatie: wijzigen kan nu niet."))
    return policy


def _check_role(policy: selectors.EffectivePolicy, role: Group) -> None:
    if role.pk not in policy.allowed_role_ids:
        raise ValidationError({"role": _("Deze rol mag uw organisatie niet toekennen.")})


def _check_room(organisation: Organisation, policy: selectors.EffectivePolicy, field: str) -> None:
    if selectors.active_user_count(organisation) >= policy.max_users:
        raise ValidationError({field: _(
            "Uw organisatie heeft al %(max)s actieve accounts, het maximum dat met de corporatie is "
            "afgesproken. Zet eerst een ander account op inactief."
        ) % {"max": policy.max_users}})


def _lock(organisation: Organisation) -> Organisation:
    """Serialise changes per organisation, so two administrators cannot both take the last place."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _manageable(actor: User, organisation: Organisation, user: User, policy) -> User:
    fresh = selectors.org_users(organisation).filter(pk=user.pk).first()
    if fresh is None:
        raise ValidationError(_("Deze gebruiker hoort niet bij uw organisatie."))
    reason = selectors.cannot_manage_reason(actor, fresh, policy)
    if reason:
        raise ValidationError(reason)
    return fresh


def partner_user_create(*, actor: User, organisation: Organisation, username: str, first_name: str,
                        last_name: str, email: str, role: Group) -> User:
    """Create an account in ``organisation`` with ``role`` and mail an invitation to set a password."""
    with transaction.atomic():
        organisation = _lock(organisation)
        policy = _policy_or_refuse(organisation)
        _check_role(policy, role)
        _check_room(organisation, policy, "username")
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": _("Deze gebruikersnaam bestaat al. Kies een andere.")})
        user = User(username=username, first_name=first_name, last_name=last_name, email=email, is_active=True)
        user.set_unusable_password()
        user.save()
        Membership.objects.create(user=user, organisation=organisation, role=role)
        _send_invitation(user=user, organisation=organisation, actor=actor)
    return user


def set_password_link(user: User) -> tuple[str, int]:
    """A one-time link where ``user`` sets a password, and for how many days it works. Also used by
    the volunteer programme's welcome mail (volunteers.services)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.BASE_URL + reverse("accounts:set_password", kwargs={"uidb64": uid, "token": token})
    return link, max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def _send_invitation(*, user: User, organisation: Organisation, actor: User) -> None:
    link, days = set_password_link(user)
    body = render_to_string("accounts/email/invitation.txt", {
        "user": user, "organisation": organisation, "actor": actor, "link": link, "days": days,
    })
    outbox_enqueue_email(
        idempotency_key=f"accounts:invitation:{user.pk}",
        recipient=user.email,
        subject=_("Uw account voor Wijkpunt (%(org)s)") % {"org": organisation.name},
        body=body,
    )


def partner_user_change_role(*, actor: User, organisation: Organisation, user: User, role: Group) -> None:
    """Give ``user`` exactly one role in ``organisation`` (one of the allowed roles)."""
    with transaction.atomic():
        organisation = _lock(organisation)
        policy = _policy_or_refuse(organisation)
        _check_role(policy, role)
        user = _manageable(actor, organisation, user, policy)
        Membership.objects.filter(user=user, organisation=organisation).exclude(role=role).delete()
        Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    clear_perm_cache(user)


def partner_user_set_active(*, actor: User, organisation: Organisation, user: User, active: bool) -> None:
    """Deactivate (can no longer log in) or reactivate an account of ``organisation``."""
    with transaction.atomic():
        organisation = _lock(organisation)
        policy = _policy_or_refuse(organisation)
        user = _manageable(actor, organisation, user, policy)
        if user.is_active == active:
            return
        if active:
            _check_room(organisation, policy, "active")
        user.is_active = active
        user.save(update_fields=["is_active"])
