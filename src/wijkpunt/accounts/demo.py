"""Demo: a partner that administers its own accounts (Wijkteam Zeist) and its administrator
``partnerbeheer``. Called by ``manage.py seed_demo`` after the demo corporation exists; idempotent."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from wijkpunt.core.models import Membership, Organisation, User
from wijkpunt.core.roles import role_label, sync_roles
from wijkpunt.housing.demo import DemoLogin

from .models import PartnerUserPolicy

PARTNER_SLUG = "wijkteam-zeist"
USERNAME = "partnerbeheer"


def seed_accounts_demo(corporation: Organisation, *, password: str) -> list[DemoLogin]:
    """A policy (5 accounts, roles partner-medewerker and wijkteam-medewerker when present) and the
    partner administrator login. Returns the extra demo logins for the table seed_demo prints."""
    partner = Organisation.objects.filter(slug=PARTNER_SLUG).first()
    if partner is None:
        return []
    if not Group.objects.filter(name="partner-beheerder").exists():
        sync_roles()
    admin_role = Group.objects.get(name="partner-beheerder")
    allowed = Group.objects.filter(name__in=["partner-medewerker", "wijkteam-medewerker"])
    creator = User.objects.filter(memberships__organisation=corporation, is_staff=True).order_by("pk").first()
    policy, _ = PartnerUserPolicy.objects.get_or_create(
        corporation=corporation, partner=partner, defaults={"max_users": 5, "created_by": creator},
    )
    policy.allowed_roles.add(*allowed)
    user, created = User.objects.get_or_create(
        username=USERNAME,
        defaults={"first_name": "Wendy", "last_name": "de Graaf", "email": "wendy.degraaf@example.nl",
                  "password": make_password(password), "is_active": True},
    )
    Membership.objects.get_or_create(user=user, organisation=partner, role=admin_role)
    return [DemoLogin(
        username=USERNAME, role="partner-beheerder", role_label=role_label("partner-beheerder"),
        organisation=partner.name,
        can_do="accounts van Wijkteam Zeist beheren (max. 5, /werk/organisatie/gebruikers/); "
               "doorgestuurde meldingen zien",
    )]
