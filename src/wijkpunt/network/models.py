"""The network directory (netwerkgids): partner organisations and contact points per neighbourhood."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.models import Organisation
from wijkpunt.housing.models import Neighbourhood

from .validators import tel_href, validate_directory_phone

KIND_CHOICES = [c for c in Organisation.PartnerType.choices if c[0]]


class ContactPoint(models.Model):
    """One entry in a corporation's directory: who handles what, and how to reach them."""

    owner = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="directory", verbose_name=_("beheerd door"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="contact_points",
        verbose_name=_("partnerorganisatie in Wijkpunt"),
        help_text=_("Alleen als de partner zelf in Wijkpunt werkt: dan kunnen meldingen worden doorgestuurd."),
    )
    kind = models.CharField(_("soort"), max_length=30, choices=KIND_CHOICES)
    name = models.CharField(_("naam"), max_length=200)
    handles = models.TextField(_("waarvoor"), help_text=_("Wat dit contactpunt oppakt, en wat niet."))
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="contact_points", verbose_name=_("buurten"),
        help_text=_("Leeg laten: alle buurten van de corporatie."),
    )
    phone_office_hours = models.CharField(
        _("telefoon (binnen kantoortijd)"), max_length=30, blank=True, validators=[validate_directory_phone]
    )
    phone_out_of_hours = models.CharField(
        _("telefoon (buiten kantoortijd)"), max_length=30, blank=True, validators=[validate_directory_phone]
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    hours_text = models.CharField(_("bereikbaar"), max_length=200, blank=True, help_text=_("Bijvoorbeeld: ma–vr 9–17."))
    out_of_hours_text = models.CharField(
        _("buiten kantoortijd"), max_length=300, blank=True, help_text=_("Wat te doen buiten kantoortijd.")
    )
    website = models.URLField(_("website"), blank=True)
    shared_with_volunteers = models.BooleanField(_("zichtbaar voor Bewonerskrachten"), default=False)
    is_active = models.BooleanField(_("actief"), default=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("contactpunt")
        verbose_name_plural = _("contactpunten")
        ordering = ["kind", "name"]
        permissions = [
            ("view_directory", _("Mag de netwerkgids zien")),
            ("manage_directory", _("Mag de netwerkgids beheren")),
            ("view_shared_contacts", _("Mag de contactpunten zien die met Bewonerskrachten zijn gedeeld")),
        ]
        indexes = [models.Index(fields=["owner", "is_active", "kind", "name"], name="contactpoint_directory")]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_office_href(self) -> str:
        return tel_href(self.phone_office_hours)

    @property
    def phone_out_of_hours_href(self) -> str:
        return tel_href(self.phone_out_of_hours)
