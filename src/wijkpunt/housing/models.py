"""The register of homes and people: neighbourhoods (CBS), complexes, units, households, tenancies."""

from __future__ import annotations

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.models import Organisation
from wijkpunt.core.validators import (
    format_postcode,
    validate_addition,
    validate_bag_vbo_id,
    validate_house_letter,
    validate_phone,
    validate_postcode,
)


class Municipality(models.Model):
    code = models.CharField(
        _("CBS-gemeentecode"), max_length=6, unique=True, validators=[RegexValidator(r"^GM\d{4}$")]
    )
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    """A CBS buurt, with its wijk (district)."""

    code = models.CharField(
        _("CBS-buurtcode"), max_length=10, unique=True, validators=[RegexValidator(r"^BU\d{4}[0-9A-Z]{4}$")]
    )
    name = models.CharField(_("naam"), max_length=100)
    district_code = models.CharField(
        _("CBS-wijkcode"), max_length=8, validators=[RegexValidator(r"^WK\d{4}[0-9A-Z]{2}$")]
    )
    district_name = models.CharField(_("wijk"), max_length=100)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="neighbourhoods")

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"


class Complex(models.Model):
    """A group of units managed together (VERA: cluster)."""

    corporation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="complexes")
    code = models.CharField(_("complexnummer"), max_length=20)
    name = models.CharField(_("naam"), max_length=200)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="complexes", verbose_name=_("buurt")
    )

    class Meta:
        verbose_name = _("complex")
        verbose_name_plural = _("complexen")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["corporation", "code"], name="complex_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Unit(models.Model):
    """A rentable unit (eenheid) with its address and BAG verblijfsobject id."""

    class Kind(models.TextChoices):
        HOUSE = "EGW", _("Eengezinswoning")
        APARTMENT = "MGW", _("Meergezinswoning")
        SENIOR = "SEN", _("Seniorenwoning")
        ROOM = "KAM", _("Kamer / onzelfstandig")
        OTHER = "OVE", _("Overig")

    corporation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")
    complex = models.ForeignKey(
        Complex, on_delete=models.PROTECT, related_name="units", null=True, blank=True, verbose_name=_("complex")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="units", verbose_name=_("buurt")
    )
    code = models.CharField(_("eenheidnummer"), max_length=20)
    kind = models.CharField(_("soort"), max_length=3, choices=Kind.choices, default=Kind.APARTMENT)
    street = models.CharField(_("straat"), max_length=200)
    house_number = models.PositiveIntegerField(_("huisnummer"), validators=[MinValueValidator(1)])
    house_letter = models.CharField(_("huisletter"), max_length=1, blank=True, validators=[validate_house_letter])
    house_number_addition = models.CharField(
        _("toevoeging"), max_length=4, blank=True, validators=[validate_addition]
    )
    postcode = models.CharField(_("postcode"), max_length=6, validators=[validate_postcode])
    city = models.CharField(_("plaats"), max_length=100)
    bag_id = models.CharField(
        _("BAG-verblijfsobject-id"), max_length=16, unique=True, null=True, blank=True,
        validators=[validate_bag_vbo_id],
    )
    latitude = models.DecimalField(_("breedtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("eenheid")
        verbose_name_plural = _("eenheden")
        ordering = ["postcode", "house_number", "house_letter", "house_number_addition"]
        constraints = [
            models.UniqueConstraint(fields=["corporation", "code"], name="unit_unique_code"),
            models.UniqueConstraint(
                fields=["postcode", "house_number", "house_letter", "house_number_addition"],
                name="unit_unique_address",
            ),
        ]
        indexes = [models.Index(fields=["postcode", "house_number"], name="unit_address_idx")]

    def __str__(self) -> str:
        return self.address

    @property
    def house_number_full(self) -> str:
        suffix = self.house_letter + (f"-{self.house_number_addition}" if self.house_number_addition else "")
        return f"{self.house_number}{suffix}"

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number_full}, {format_postcode(self.postcode)} {self.city}"


class Household(models.Model):
    class Composition(models.TextChoices):
        SINGLE = "alleenstaand", _("Alleenstaand")
        SINGLE_SENIOR = "alleenstaand-oudere", _("Alleenstaande oudere")
        COUPLE = "paar", _("Paar zonder kinderen")
        FAMILY = "gezin", _("Gezin met kinderen")
        SINGLE_PARENT = "eenoudergezin", _("Eenoudergezin")
        OTHER = "overig", _("Overig")

    corporation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="households")
    name = models.CharField(_("naam huishouden"), max_length=200)
    composition = models.CharField(_("samenstelling"), max_length=30, choices=Composition.choices)
    size = models.PositiveSmallIntegerField(_("aantal personen"), default=1, validators=[MinValueValidator(1)])
    contact_phone = models.CharField(_("telefoon"), max_length=20, blank=True, validators=[validate_phone])
    contact_email = models.EmailField(_("e-mail"), blank=True)
    # The contract holder (hoofdhuurder): what a legal early signal to the municipality must carry
    # (Besluit gemeentelijke schuldhulpverlening art. 2; DDAS "Client"). No BSN is kept.
    initials = models.CharField(_("voorletters"), max_length=20, blank=True)
    surname_prefix = models.CharField(_("voorvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=200, blank=True)
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")

    def __str__(self) -> str:
        return self.name


class Tenancy(models.Model):
    """A rental contract (huurovereenkomst) between a household and a unit."""

    contract_number = models.CharField(_("contractnummer"), max_length=30, unique=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="tenancies")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="tenancies")
    start_date = models.DateField(_("ingangsdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    monthly_rent = models.DecimalField(_("kale huur per maand"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("huurovereenkomst")
        verbose_name_plural = _("huurovereenkomsten")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="tenancy_dates_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract_number} {self.household} @ {self.unit}"
