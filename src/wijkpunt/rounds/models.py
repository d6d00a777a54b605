"""Neighbourhood rounds (*wijkrondes*) walked by Bewonerskrachten, in pairs (docs/rounds.md).

A ``Round`` is planned by a volunteer with a partner (another volunteer or a staff member); a round
without a second person is allowed but flagged (``is_pair``). While walking, the volunteer goes
through a fixed checklist (``RoundCheck`` per ``ChecklistItem``) and files reports through the
reporting point's own intake; each such report is linked to the round by a ``RoundReport``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.housing.models import Complex
from wijkpunt.reports.models import Report
from wijkpunt.volunteers.models import Programme, Volunteer


class ChecklistItem(models.TextChoices):
    LIGHTING = "verlichting", _("Verlichting")
    LITTER = "zwerfafval", _("Zwerfafval")
    GREENERY = "groen", _("Groen")
    COMMON_AREAS = "algemene_ruimten", _("Algemene ruimten")
    LOOK_IN = "omkijken", _("Mensen om naar om te kijken")


class Round(models.Model):
    class Status(models.TextChoices):
        PLANNED = "gepland", _("Gepland")
        WALKING = "onderweg", _("Onderweg")
        WALKED = "gelopen", _("Gelopen")
        CANCELLED = "geannuleerd", _("Geannuleerd")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="rounds",
                                  verbose_name=_("programma"))
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="rounds",
                                  verbose_name=_("Bewonerskracht"))
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="partnered_rounds",
        verbose_name=_("loopmaatje"),
        help_text=_("Rondes loop je met z'n tweeën: een andere Bewonerskracht of een medewerker."),
    )
    planned_for = models.DateTimeField(_("gepland op"))
    route = models.CharField(_("route"), max_length=300, help_text=_("Welke straten, pleinen of complexen."))
    complexes = models.ManyToManyField(Complex, blank=True, related_name="rounds", verbose_name=_("complexen"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    started_at = models.DateTimeField(_("begonnen op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    notes = models.TextField(_("opmerkingen"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("wijkronde")
        verbose_name_plural = _("wijkrondes")
        ordering = ["-planned_for"]
        indexes = [models.Index(fields=["programme", "planned_for"], name="round_programme_planned")]
        permissions = [
            ("walk_round", _("Mag wijkrondes plannen en lopen (Bewonerskracht)")),
            ("view_rounds", _("Mag de wijkrondes van de Bewonerskrachten zien")),
        ]

    def __str__(self) -> str:
        return f"{self.route} ({self.planned_for:%d-%m-%Y})"

    @property
    def is_pair(self) -> bool:
        """Rounds are walked in pairs; a round without a second person is flagged."""
        return self.partner_id is not None


class RoundCheck(models.Model):
    class Result(models.TextChoices):
        OK = "in_orde", _("In orde")
        ATTENTION = "aandacht", _("Aandacht nodig")
        NOT_CHECKED = "niet_bekeken", _("Niet bekeken")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="checks", verbose_name=_("ronde"))
    item = models.CharField(_("onderdeel"), max_length=20, choices=ChecklistItem.choices)
    result = models.CharField(_("bevinding"), max_length=20, choices=Result.choices, default=Result.NOT_CHECKED)
    remark = models.CharField(_("toelichting"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("controlepunt")
        verbose_name_plural = _("controlepunten")
        constraints = [models.UniqueConstraint(fields=["round", "item"], name="round_check_unique")]

    def __str__(self) -> str:
        return f"{self.get_item_display()}: {self.get_result_display()}"


class RoundReport(models.Model):
    """A report filed during a round (through the reporting point's intake), linked to that round."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="round_reports", verbose_name=_("ronde"))
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="round_link",
                                  verbose_name=_("melding"))
    created_at = models.DateTimeField(_("gekoppeld op"), default=timezone.now)

    class Meta:
        verbose_name = _("melding uit ronde")
        verbose_name_plural = _("meldingen uit rondes")

    def __str__(self) -> str:
        return f"{self.report.reference} ({self.round})"
