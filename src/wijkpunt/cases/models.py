"""Cases (casussen): a household that needs a coordinated look by the neighbourhood consultant.

A case is opened from "Ken uw huurder" (``arrears.picture``) with the reasons copied in as text,
assigned to a consultant, worked on with notes and closed with a closing note. See ``docs/cases.md``;
issue 5 extends it with the municipality and care providers, consent and more.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.models import Organisation
from wijkpunt.housing.models import Household, Neighbourhood

WORK_ON_CASES = "cases.work_on_cases"
OPEN_CASE = "cases.open_case"


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Lopend")
        CLOSED = "closed", _("Afgesloten")

    class Source(models.TextChoices):
        HOUSEHOLD_PICTURE = "ken_uw_huurder", _("Ken uw huurder")
        MANUAL = "handmatig", _("Handmatig")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", verbose_name=_("organisatie")
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="cases", verbose_name=_("huishouden")
    )
    title = models.CharField(_("titel"), max_length=300)
    # The reasons as the opener saw them, in words (never a score); a snapshot, not recomputed.
    reasons = models.JSONField(_("aanleiding"), default=list, blank=True)
    source = models.CharField(_("bron"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_cases",
        verbose_name=_("wijkconsulent"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("geopend door"),
    )
    created_at = models.DateTimeField(_("geopend op"), default=timezone.now)

    class Meta:
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view",)
        permissions = [
            ("work_on_cases", _("Mag casussen van de eigen organisatie inzien en behandelen")),
            ("open_case", _("Mag een casus openen voor een huishouden")),
        ]
        constraints = [
            # A second "Casus openen" for the same household shows the running case instead.
            models.UniqueConstraint(
                fields=["organisation", "household"], condition=models.Q(status="open"),
                name="case_one_open_per_household",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", closed_on__isnull=True)
                | models.Q(status="closed", closed_on__isnull=False),
                name="case_closed_on_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-created_at"], name="case_org_status_idx"),
            models.Index(fields=["assigned_to", "status"], name="case_assignee_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class CaseNote(models.Model):
    """An append-only note on a case; the note that closes a case is marked as such."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes", verbose_name=_("casus"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("door"),
    )
    text = models.TextField(_("notitie"))
    is_closing = models.BooleanField(_("afsluitende notitie"), default=False)
    created_at = models.DateTimeField(_("tijdstip"), default=timezone.now)

    class Meta:
        verbose_name = _("notitie bij casus")
        verbose_name_plural = _("notities bij casussen")
        ordering = ["created_at", "pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("case notes are append-only")
        super().save(*args, **kwargs)


class ConsultantArea(models.Model):
    """Which consultant covers which neighbourhood for an organisation (data, kept in the admin).

    Used to preselect the consultant when a case is opened for a household in that neighbourhood."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisatie")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="+", verbose_name=_("buurt")
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultant_areas",
        verbose_name=_("wijkconsulent"),
    )

    class Meta:
        verbose_name = _("wijkconsulent per buurt")
        verbose_name_plural = _("wijkconsulenten per buurt")
        ordering = ["organisation", "neighbourhood__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "neighbourhood"], name="consultant_area_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.neighbourhood.name}: {self.consultant}"

    def clean(self) -> None:
        from wijkpunt.core.permissions import has_org_perm

        if self.consultant_id and self.organisation_id and not has_org_perm(
            self.consultant, WORK_ON_CASES, self.organisation_id
        ):
            raise ValidationError({"consultant": _("Deze persoon mag in deze organisatie geen casussen behandelen.")})
