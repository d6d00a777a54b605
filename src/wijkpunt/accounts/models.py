"""What a corporation allows a partner organisation to do with its own user accounts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.models import Organisation


class PartnerUserPolicy(models.Model):
    """Set by the corporation's administrator: how many active accounts the partner may have and
    which roles the partner's own administrator may hand out, until when (docs/accounts.md)."""

    corporation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partner_user_policies_given",
        verbose_name=_("corporatie"), limit_choices_to={"kind": Organisation.Kind.CORPORATION},
    )
    partner = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="partner_user_policies",
        verbose_name=_("partnerorganisatie"),
    )
    max_users = models.PositiveIntegerField(
        _("maximaal aantal actieve gebruikers"), validators=[MinValueValidator(1)],
    )
    allowed_roles = models.ManyToManyField(
        Group, related_name="+", verbose_name=_("rollen die de partner mag toekennen"), blank=True,
    )
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)

    class Meta:
        verbose_name = _("afspraken over accounts van partner")
        verbose_name_plural = _("afspraken over accounts van partners")
        ordering = ["partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["corporation", "partner"], name="partner_user_policy_unique"),
        ]
        permissions = [
            ("manage_partner_policies", _("Mag afspraken over accounts van partners beheren")),
            ("manage_own_users", _("Mag gebruikers van de eigen organisatie beheren")),
        ]

    def __str__(self) -> str:
        return f"{self.partner} ({self.corporation})"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_until is None or day <= self.valid_until
