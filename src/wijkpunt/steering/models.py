"""The steering group (*regiegroep*): partners meet per area about the cases a corporation put on
the agenda, decide, and record actions against those cases.

A ``SteeringGroup`` is chaired by one corporation (``organisation``) and covers a set of
neighbourhoods; member organisations (municipality, wijkteam, police, care providers) take part.
A ``Meeting`` gets its agenda from the chair's open cases flagged "agenderen voor regiegroep" in the
group's area (``services.meeting_refresh_agenda``). An ``AgendaItem`` is decided once; the decision
creates ``cases.CaseAction`` rows (``agenda_item_id``) and a case event. What members see of an item
follows the case policy (``wijkpunt.cases.policy``); see ``selectors.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.models import Organisation
from wijkpunt.housing.models import Neighbourhood


class SteeringGroup(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="steering_groups", verbose_name=_("voorzitter (corporatie)")
    )
    name = models.CharField(_("naam"), max_length=200)
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="steering_groups", verbose_name=_("buurten")
    )
    member_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="steering_memberships", verbose_name=_("deelnemende organisaties")
    )
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("regiegroep")
        verbose_name_plural = _("regiegroepen")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="steering_group_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def organisation_ids(self) -> set[int]:
        """The chair and the members: who may own an action decided here."""
        return {self.organisation_id, *self.member_organisations.values_list("pk", flat=True)}


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "gepland", _("Gepland")
        HELD = "gehouden", _("Gehouden")

    group = models.ForeignKey(SteeringGroup, on_delete=models.PROTECT, related_name="meetings",
                              verbose_name=_("regiegroep"))
    date = models.DateTimeField(_("datum en tijd"))
    location = models.CharField(_("locatie"), max_length=200, blank=True, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    minutes = models.TextField(_("verslag"), blank=True, default="")
    minutes_published_at = models.DateTimeField(_("verslag gepubliceerd op"), null=True, blank=True)
    minutes_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("gepubliceerd door"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["group", "-date"], name="steering_meeting_group_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes_published_at__isnull=True) | models.Q(status="gehouden"),
                name="steering_meeting_published_is_held",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group.name} {timezone.localtime(self.date):%d-%m-%Y}"

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def is_published(self) -> bool:
        return self.minutes_published_at is not None


class AgendaItem(models.Model):
    """A case on a meeting's agenda. Deleted with the case (retention wins over the minutes)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("overleg"))
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="agenda_items",
                             verbose_name=_("casus"))
    order = models.PositiveIntegerField(_("volgorde"), default=0)
    question = models.CharField(_("vraag aan de regiegroep"), max_length=500, blank=True, default="")
    decision = models.TextField(_("besluit"), blank=True, default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("vastgelegd door"),
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    added_at = models.DateTimeField(_("geagendeerd op"), default=timezone.now)

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="steering_agenda_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.order}"

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None
