"""Rent arrears and the legal early-signalling process (vroegsignalering).

Amounts are whole euro cents in ``BigIntegerField`` (no floating point, cheap to sum in SQL).
See ``docs/arrears.md`` for the process and ``docs/adr/0003-vroegsignalering.md`` for the design.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.models import Organisation
from wijkpunt.housing.models import Household, Municipality, Tenancy


class LedgerKind(models.TextChoices):
    """VERA BOEKINGSOORT, the three that matter for a tenant's rent account."""

    CHARGE = "VOR", _("Vordering")
    PAYMENT = "ONT", _("Ontvangst")
    CORRECTION = "MEM", _("Memoriaal (correctie)")


class LedgerLine(models.Model):
    """One booking on a tenancy's rent account, as imported (``docs/arrears.md``).

    ``amount_cents`` is signed: a charge increases what is owed, a payment decreases it; a
    correction carries its own sign. ``effective_on`` is the date the line counts for arrears:
    the due date of a charge, the booking date of a payment or correction."""

    corporation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="ledger_lines")
    transaction_id = models.CharField(_("boekingsnummer"), max_length=40)
    kind = models.CharField(_("boekingsoort"), max_length=3, choices=LedgerKind.choices)
    detail = models.CharField(_("boekingdetailsoort"), max_length=3, blank=True)
    booked_on = models.DateField(_("boekdatum"))
    effective_on = models.DateField(_("telt vanaf"))
    amount_cents = models.BigIntegerField(_("bedrag (cent)"))
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("geïmporteerd"), default=timezone.now)

    class Meta:
        verbose_name = _("boeking")
        verbose_name_plural = _("boekingen")
        constraints = [
            models.UniqueConstraint(fields=["corporation", "transaction_id"], name="ledger_unique_transaction"),
        ]
        indexes = [models.Index(fields=["tenancy", "effective_on"], name="ledger_tenancy_date_idx")]

    def __str__(self) -> str:
        return f"{self.transaction_id} {self.amount_cents / 100:.2f}"


class ArrearsRun(models.Model):
    """One execution of the nightly arrears run for one corporation and one reference date."""

    corporation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    run_on = models.DateField(_("peildatum"))
    started_at = models.DateTimeField(_("gestart"), default=timezone.now)
    finished_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    tenancies_in_arrears = models.PositiveIntegerField(_("huurders met achterstand"), default=0)
    total_cents = models.BigIntegerField(_("totale achterstand (cent)"), default=0)
    episodes_opened = models.PositiveIntegerField(_("nieuwe dossiers"), default=0)
    episodes_closed = models.PositiveIntegerField(_("afgesloten dossiers"), default=0)

    class Meta:
        verbose_name = _("achterstandsrun")
        verbose_name_plural = _("achterstandsruns")
        ordering = ["-run_on", "-started_at"]

    def __str__(self) -> str:
        return f"{self.corporation_id} {self.run_on}"


class ArrearsSnapshot(models.Model):
    """A tenancy in arrears on a run's reference date (tenancies without arrears get no row)."""

    run = models.ForeignKey(ArrearsRun, on_delete=models.CASCADE, related_name="snapshots")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.CASCADE, related_name="+")
    amount_cents = models.BigIntegerField(_("achterstand (cent)"))
    months = models.DecimalField(_("maanden huur"), max_digits=6, decimal_places=2)
    arose_on = models.DateField(_("ontstaan op"))
    episode = models.ForeignKey("ArrearsEpisode", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("stand achterstand")
        verbose_name_plural = _("standen achterstand")
        constraints = [models.UniqueConstraint(fields=["run", "tenancy"], name="snapshot_unique_tenancy")]

    def __str__(self) -> str:
        return f"{self.tenancy_id} {self.amount_cents}"


class Outcome(models.TextChoices):
    RECOVERED = "recovered", _("Ingelopen (betaald)")
    ARRANGEMENT = "arrangement", _("Betalingsregeling nagekomen")
    DEBT_HELP = "debt_help", _("Schuldhulpverlening gestart")
    TERMINATION_REQUESTED = "termination_requested", _("Ontbinding gevraagd")
    EVICTED = "evicted", _("Ontruimd")


class ArrearsEpisode(models.Model):
    """An uninterrupted period in which a tenancy is in arrears; it ends when the balance is paid off.

    The nightly run opens, updates and closes episodes; the legal steps hang under an episode."""

    class Status(models.TextChoices):
        OPEN = "open", _("Lopend")
        CLOSED = "closed", _("Afgesloten")

    corporation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="arrears_episodes")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    arose_on = models.DateField(_("ontstaan op"))
    opened_on = models.DateField(_("gesignaleerd op"))
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    amount_cents = models.BigIntegerField(_("achterstand (cent)"), default=0)
    months = models.DecimalField(_("maanden huur"), max_digits=6, decimal_places=2, default=0)
    peak_cents = models.BigIntegerField(_("hoogste achterstand (cent)"), default=0)
    last_run_on = models.DateField(_("laatste run"), null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=30, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("uitkomst op"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("behandelaar"),
    )

    class Meta:
        verbose_name = _("achterstandsdossier")
        verbose_name_plural = _("achterstandsdossiers")
        default_permissions = ("view",)
        permissions = [
            ("view_financial", _("Mag financiële gegevens van huishoudens inzien")),
            ("handle_arrears", _("Mag stappen in het achterstandsproces vastleggen")),
            ("import_ledger", _("Mag huurboekingen importeren en de run starten")),
            ("manage_agreements", _("Mag convenanten met gemeenten beheren")),
            ("view_figures", _("Mag managementcijfers huurachterstand zien")),
        ]
        constraints = [
            # At most one open episode per tenancy: the run relies on it.
            models.UniqueConstraint(
                fields=["tenancy"], condition=models.Q(status="open"), name="episode_one_open_per_tenancy"
            ),
        ]
        indexes = [models.Index(fields=["corporation", "status"], name="episode_corp_status_idx")]

    def __str__(self) -> str:
        return f"{self.tenancy.contract_number} {self.arose_on}"

    @property
    def amount(self):
        from decimal import Decimal

        return Decimal(self.amount_cents) / 100

    @property
    def peak(self):
        from decimal import Decimal

        return Decimal(self.peak_cents) / 100

    @property
    def household(self) -> Household:
        return self.tenancy.household


class Channel(models.TextChoices):
    """VERA COMMUNICATIEKANAAL."""

    LETTER = "BRI", _("Brief")
    EMAIL = "EMA", _("E-mail")
    PHONE = "TEL", _("Telefoon")
    VISIT = "BEZ", _("Huisbezoek")
    SMS = "SMS", _("SMS")
    WHATSAPP = "APP", _("Whatsapp")
    DESK = "BAL", _("Balie")
    PORTAL = "INT", _("Internet / klantportaal")


class Daypart(models.TextChoices):
    """VERA DAGDEEL (DDAS EnumDagdeel)."""

    MORNING = "OCH", _("Ochtend")
    AFTERNOON = "MID", _("Middag")
    EVENING = "AVO", _("Avond")


class StepKind(models.TextChoices):
    REMINDER_LETTER = "reminder_letter", _("Betalingsherinnering")
    CONTACT_ATTEMPT = "contact_attempt", _("Contactpoging")
    DEBT_HELP_REFERRAL = "debt_help_referral", _("Gewezen op schuldhulp")
    OBJECTION = "objection", _("Bezwaar tegen doorgeven gegevens")
    SIGNAL = "signal", _("Vroegsignaal aan gemeente")
    MUNICIPALITY_ANSWER = "municipality_answer", _("Terugkoppeling gemeente")
    ARRANGEMENT = "arrangement", _("Betalingsregeling")
    FOURTEEN_DAY_LETTER = "fourteen_day_letter", _("Veertiendagenbrief")
    BAILIFF_HANDOVER = "bailiff_handover", _("Overdracht aan deurwaarder")
    OUTCOME = "outcome", _("Uitkomst vastgelegd")
    NOTE = "note", _("Notitie")


def evidence_path(instance: EpisodeStep, filename: str) -> str:
    return f"arrears/{instance.episode.corporation_id}/{instance.episode_id}/{filename}"


class EpisodeStep(models.Model):
    """An append-only record of one step in the legal process: the evidence a court asks for."""

    episode = models.ForeignKey(ArrearsEpisode, on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField(_("stap"), max_length=30, choices=StepKind.choices)
    occurred_on = models.DateField(_("datum"))
    channel = models.CharField(_("kanaal"), max_length=3, choices=Channel.choices, blank=True)
    reached = models.BooleanField(_("bereikt"), null=True, blank=True)
    daypart = models.CharField(_("dagdeel"), max_length=3, choices=Daypart.choices, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    data = models.JSONField(_("gegevens"), default=dict, blank=True)
    evidence = models.FileField(_("bewijsstuk"), upload_to=evidence_path, blank=True)
    evidence_sha256 = models.CharField(_("controlegetal bewijsstuk"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd"), default=timezone.now)

    class Meta:
        verbose_name = _("processtap")
        verbose_name_plural = _("processtappen")
        ordering = ["occurred_on", "created_at", "pk"]
        indexes = [models.Index(fields=["episode", "kind"], name="step_episode_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class MunicipalityAgreement(models.Model):
    """A covenant (convenant vroegsignalering) between a corporation and one municipality.

    Dated: thresholds change by agreement, so each version has its own validity period."""

    corporation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("corporatie")
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, verbose_name=_("gemeente"))
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    min_days = models.PositiveSmallIntegerField(
        _("minimaal aantal dagen achterstand"), default=30, validators=[MaxValueValidator(365)]
    )
    min_amount_cents = models.PositiveIntegerField(_("minimaal bedrag (cent)"), default=0)
    objection_days = models.PositiveSmallIntegerField(
        _("bezwaartermijn na herinnering (dagen)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    contact_email = models.EmailField(_("e-mail vroegsignalering gemeente"), blank=True)
    debt_help_name = models.CharField(_("schuldhulp van de gemeente"), max_length=200, blank=True)
    debt_help_phone = models.CharField(_("telefoon schuldhulp"), max_length=30, blank=True)
    debt_help_url = models.URLField(_("website schuldhulp"), blank=True)

    class Meta:
        verbose_name = _("convenant vroegsignalering")
        verbose_name_plural = _("convenanten vroegsignalering")
        ordering = ["municipality__name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["corporation", "municipality", "valid_from"], name="agreement_unique_start"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="agreement_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} ({self.valid_from})"


class SignalStatus(models.TextChoices):
    """DDAS EnumSignaalstatus plus EnumEindresultaat: what the municipality answers."""

    NOT_YET = "nog_niet_opgepakt", _("Nog niet opgepakt")
    PICKED_UP = "opgepakt", _("Opgepakt")
    INVALID = "onterecht_signaal", _("Niet opgepakt: onterecht signaal")
    REPEAT = "herhaalde_melding", _("Niet opgepakt: herhaalde melding")
    OTHER_REASON = "andere_reden", _("Niet opgepakt: andere reden")
    DECEASED = "overleden", _("Inwoner is overleden")
    NOT_RESIDENT = "geen_inwoner", _("Persoon is geen inwoner (meer) in de gemeente")
    KNOWN_DEBT_HELP = "bekend_schuldhulp", _("Inwoner al bekend bij schuldhulpverlening")
    OTHER_TRACK = "ander_traject", _("Inwoner heeft al een ander lopend traject")
    NO_CONTACT = "geen_contact", _("Definitief geen contact kunnen krijgen")
    NO_RESPONSE = "geen_reactie", _("Geen reactie na eerder contact")
    NO_HELP_WANTED = "geen_hulp_nodig", _("Inwoner hoeft geen hulp vanuit vroegsignalering")
    SELF_SOLVED = "zelf_opgelost", _("Inwoner heeft zelf al betaald/betalingsregeling getroffen")
    QUICK_FIX = "quick_fix", _("(Budget)advies en/of quick fix")
    FOLLOW_UP_FINANCIAL = "vervolghulp_financieel", _("Vervolghulp en/of verwijzing financieel")
    REFERRAL_NO_CONTACT = "verwijzing_zonder_contact", _("Verwijzing zonder contact")
    FOLLOW_UP_OTHER = "vervolghulp_niet_financieel", _("Vervolghulp en/of verwijzing niet financieel")


# Answers that mean debt help (or comparable help) started: counted as "debt_help" outcome.
DEBT_HELP_STATUSES = frozenset({SignalStatus.KNOWN_DEBT_HELP, SignalStatus.FOLLOW_UP_FINANCIAL})


class Signal(models.Model):
    """An early signal (vroegsignaal) to the municipality; the contact details are a snapshot."""

    public_id = models.UUIDField(_("signaal-id"), default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(ArrearsEpisode, on_delete=models.PROTECT, related_name="signals")
    agreement = models.ForeignKey(MunicipalityAgreement, on_delete=models.PROTECT, related_name="signals")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    amount_cents = models.BigIntegerField(_("bedrag (cent)"))
    arose_on = models.DateField(_("ontstaansdatum"))
    signal_date = models.DateField(_("signaaldatum"))
    crisis = models.BooleanField(_("crisissignaal"), default=False)
    warm_handover = models.BooleanField(_("warme overdracht"), default=False)
    client = models.JSONField(_("contactgegevens"), default=dict)
    status = models.CharField(_("status"), max_length=40, choices=SignalStatus.choices, default=SignalStatus.NOT_YET)
    answered_on = models.DateField(_("teruggekoppeld op"), null=True, blank=True)
    exported_at = models.DateTimeField(_("geëxporteerd"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)

    class Meta:
        verbose_name = _("vroegsignaal")
        verbose_name_plural = _("vroegsignalen")
        ordering = ["-signal_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.signal_date} {self.public_id}"


class PaymentArrangement(models.Model):
    """A betalingsregeling: the arrears paid off in instalments on top of the monthly rent."""

    class Status(models.TextChoices):
        """VERA BETALINGSREGELINGSTATUS (the ones a corporation uses here)."""

        ACTIVE = "ACT", _("Actief")
        COMPLETED = "BEE", _("Beëindigd (afbetaald)")
        CANCELLED = "ANN", _("Geannuleerd")
        FROZEN = "BEV", _("Bevroren")

    episode = models.ForeignKey(ArrearsEpisode, on_delete=models.PROTECT, related_name="arrangements")
    agreed_on = models.DateField(_("afgesproken op"))
    total_cents = models.BigIntegerField(_("totaalbedrag (cent)"))
    status = models.CharField(_("status"), max_length=3, choices=Status.choices, default=Status.ACTIVE)
    grace_days = models.PositiveSmallIntegerField(_("coulance (dagen)"), default=5)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)

    class Meta:
        verbose_name = _("betalingsregeling")
        verbose_name_plural = _("betalingsregelingen")
        ordering = ["-agreed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agreed_on} {self.total_cents}"


class Instalment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Nagekomen")
        BROKEN = "broken", _("Niet nagekomen")

    arrangement = models.ForeignKey(PaymentArrangement, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField(_("termijn"))
    due_on = models.DateField(_("vervaldatum"))
    amount_cents = models.BigIntegerField(_("bedrag (cent)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    checked_on = models.DateField(_("gecontroleerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("termijn")
        verbose_name_plural = _("termijnen")
        ordering = ["arrangement", "number"]
        constraints = [models.UniqueConstraint(fields=["arrangement", "number"], name="instalment_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}: {self.due_on}"
