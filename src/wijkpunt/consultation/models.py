"""Door-to-door consultation per street (*bewonersraadpleging*, docs/consultation.md).

A ``Consultation`` of a corporation covers a complex or chosen streets within it; its addresses are
frozen at creation as ``ConsultationAddress`` rows in walking order. Staff visit every door with a
phone and record a ``Visit`` (outcome, remarks, and for "answered" the ``Answer`` rows and the
household's ``HousingWish``). Results are computed live (``results.py``); a ``StreetDecision`` keeps
a snapshot of its street's figures at the moment of deciding. The public page shows aggregated
figures only (``selectors.public_results``); the retention job (``retention.py``) anonymises
visits a period after the decision and keeps the figures.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.models import Organisation
from wijkpunt.housing.models import Complex, Household, Unit

RUN = "consultation.run_consultation"
VISIT = "consultation.visit_doors"
RESULTS = "consultation.view_results"


class Consultation(models.Model):
    class Status(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        OPEN = "open", _("Open")
        CLOSED = "gesloten", _("Gesloten")
        DECIDED = "besloten", _("Besloten")

    corporation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="consultations",
                                    verbose_name=_("corporatie"))
    complex = models.ForeignKey(Complex, on_delete=models.PROTECT, related_name="consultations",
                                verbose_name=_("complex"))
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("adres van de openbare pagina"), max_length=80, unique=True)
    description = models.TextField(_("doel en toelichting"), blank=True, default="")
    starts_on = models.DateField(_("begindatum"))
    ends_on = models.DateField(_("einddatum"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONCEPT)
    published_at = models.DateTimeField(_("openbare uitslag gepubliceerd op"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("aangemaakt door"))
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    opened_at = models.DateTimeField(_("geopend op"), null=True, blank=True)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("raadpleging")
        verbose_name_plural = _("raadplegingen")
        ordering = ["-starts_on", "-pk"]
        permissions = [
            ("run_consultation", _("Raadplegingen opzetten, openen, sluiten en besluiten vastleggen")),
            ("visit_doors", _("Huisbezoeken voor een raadpleging vastleggen")),
            ("view_results", _("Uitslag van raadplegingen bekijken")),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="consultation_period_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_concept(self) -> bool:
        return self.status == self.Status.CONCEPT

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ConsultationAddress(models.Model):
    """One address of the consultation, frozen at creation (the unit may change later)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="addresses",
                                     verbose_name=_("raadpleging"))
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("eenheid"))
    street = models.CharField(_("straat"), max_length=200)
    house_number = models.PositiveIntegerField(_("huisnummer"))
    house_letter = models.CharField(_("huisletter"), max_length=1, blank=True, default="")
    house_number_addition = models.CharField(_("toevoeging"), max_length=4, blank=True, default="")
    postcode = models.CharField(_("postcode"), max_length=6, blank=True, default="")
    city = models.CharField(_("plaats"), max_length=100, blank=True, default="")
    position = models.PositiveIntegerField(_("volgorde (looproute)"))

    class Meta:
        verbose_name = _("adres in raadpleging")
        verbose_name_plural = _("adressen in raadpleging")
        ordering = ["consultation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "position"], name="consultation_address_position"),
            models.UniqueConstraint(fields=["consultation", "unit"], name="consultation_address_unit"),
        ]
        indexes = [models.Index(fields=["consultation", "street"], name="consultation_addr_street_idx")]

    def __str__(self) -> str:
        return self.label

    @property
    def number_full(self) -> str:
        suffix = self.house_letter + (f"-{self.house_number_addition}" if self.house_number_addition else "")
        return f"{self.house_number}{suffix}"

    @property
    def label(self) -> str:
        return f"{self.street} {self.number_full}"


class Question(models.Model):
    class Kind(models.TextChoices):
        CHOICE = "keuze", _("Eén keuze")
        MULTIPLE = "meerkeuze", _("Meerdere keuzes")
        SCALE = "schaal", _("Schaal")
        TEXT = "open", _("Open vraag")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions",
                                     verbose_name=_("raadpleging"))
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    kind = models.CharField(_("soort vraag"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("vraag"), max_length=500)
    required = models.BooleanField(_("verplicht"), default=True)
    scale_min = models.SmallIntegerField(_("schaal van"), default=1, validators=[MinValueValidator(0)])
    scale_max = models.SmallIntegerField(_("schaal tot en met"), default=5, validators=[MaxValueValidator(10)])
    scale_min_label = models.CharField(_("betekenis laagste waarde"), max_length=60, blank=True, default="")
    scale_max_label = models.CharField(_("betekenis hoogste waarde"), max_length=60, blank=True, default="")

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["consultation", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in (self.Kind.CHOICE, self.Kind.MULTIPLE)


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options",
                                 verbose_name=_("vraag"))
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("antwoord"), max_length=200)

    class Meta:
        verbose_name = _("antwoordmogelijkheid")
        verbose_name_plural = _("antwoordmogelijkheden")
        ordering = ["question", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="consultation_option_code")]

    def __str__(self) -> str:
        return self.label


class Outcome(models.TextChoices):
    ANSWERED = "beantwoord", _("Beantwoord")
    NOT_HOME = "niet-thuis", _("Niet thuis — nog eens proberen")
    REFUSED = "geweigerd", _("Wil niet meedoen")
    MOVED = "verhuisd", _("Verhuisd / leeg")


class Visit(models.Model):
    """One ring at the door. Appended, never edited (except by retention, ``retention.py``)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="visits",
                                     verbose_name=_("raadpleging"))
    # Null after retention: the answers stay for the figures, the link to the address goes.
    address = models.ForeignKey(ConsultationAddress, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="visits", verbose_name=_("adres"))
    street = models.CharField(_("straat"), max_length=200)
    household = models.ForeignKey(Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("huishouden"))
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("bezocht door"))
    visited_at = models.DateTimeField(_("bezocht op"), default=timezone.now)
    attempt = models.PositiveSmallIntegerField(_("poging"), default=1)
    outcome = models.CharField(_("uitkomst"), max_length=12, choices=Outcome.choices)
    remarks = models.TextField(_("opmerkingen"), blank=True, default="")
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    request_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("huisbezoek")
        verbose_name_plural = _("huisbezoeken")
        ordering = ["consultation", "visited_at", "pk"]
        indexes = [models.Index(fields=["consultation", "street"], name="consultation_visit_street_idx")]

    def __str__(self) -> str:
        return f"{self.street} {self.get_outcome_display()}"


class Answer(models.Model):
    """One answer to one question; a multiple-choice answer is one row per chosen option."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="answers", verbose_name=_("bezoek"))
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers",
                                 verbose_name=_("vraag"))
    option = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, blank=True, related_name="answers",
                               verbose_name=_("gekozen antwoord"))
    number = models.SmallIntegerField(_("waarde op de schaal"), null=True, blank=True)
    text = models.TextField(_("antwoord"), blank=True, default="")

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")

    def __str__(self) -> str:
        return f"{self.question_id}: {self.option_id or self.number or self.text[:20]}"


class HousingWish(models.Model):
    """A household's housing wish heard at the door, kept for later matching (doorstroming).

    Retention (``retention.py``): kept while the household still rents the unit, at most
    ``CONSULTATION_HOUSING_WISH_DAYS`` (default 3 years) after it was recorded; independent of the
    consultation's own retention (the source visit may be anonymised first; the link then goes)."""

    class Wish(models.TextChoices):
        STAY = "blijven", _("Blijven wonen")
        SMALLER = "kleiner", _("Kleiner wonen")
        LARGER = "groter", _("Groter wonen")
        ADAPTED = "aangepast", _("Aangepaste woning nodig")

    corporation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("corporatie"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="housing_wishes",
                             verbose_name=_("eenheid"))
    household = models.ForeignKey(Household, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="housing_wishes", verbose_name=_("huishouden"))
    wish = models.CharField(_("woonwens"), max_length=10, choices=Wish.choices)
    note = models.CharField(_("toelichting"), max_length=500, blank=True, default="")
    recorded_on = models.DateField(_("vastgelegd op"), default=timezone.localdate)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("vastgelegd door"))
    consultation = models.ForeignKey(Consultation, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="housing_wishes", verbose_name=_("raadpleging"))
    source_visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="housing_wishes", verbose_name=_("bij bezoek"))

    class Meta:
        verbose_name = _("woonwens")
        verbose_name_plural = _("woonwensen")
        ordering = ["-recorded_on", "-pk"]

    def __str__(self) -> str:
        return self.get_wish_display()


class StreetDecision(models.Model):
    class Choice(models.TextChoices):
        RENOVATE = "renovatie", _("Renovatie")
        DEMOLISH = "sloop", _("Sloop en nieuwbouw")
        SUSTAINABILITY = "verduurzaming", _("Verduurzaming")
        NO_CHANGE = "geen-wijziging", _("Niets veranderen")
        OTHER = "anders", _("Anders")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="decisions",
                                     verbose_name=_("raadpleging"))
    street = models.CharField(_("straat"), max_length=200)
    choice = models.CharField(_("besluit"), max_length=20, choices=Choice.choices)
    text = models.CharField(_("besluit in één zin"), max_length=300)
    reasoning = models.TextField(_("onderbouwing"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("vastgelegd door"))
    decided_at = models.DateTimeField(_("besloten op"), default=timezone.now)
    # The street's results at the moment of deciding (results.street_snapshot): later visits or the
    # retention job do not change what the decision was based on.
    snapshot = models.JSONField(_("uitslag bij het besluit"), default=dict)

    class Meta:
        verbose_name = _("besluit per straat")
        verbose_name_plural = _("besluiten per straat")
        ordering = ["consultation", "street"]
        constraints = [models.UniqueConstraint(fields=["consultation", "street"], name="consultation_street_decision")]

    def __str__(self) -> str:
        return f"{self.street}: {self.get_choice_display()}"
