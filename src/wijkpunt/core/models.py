"""Organisations, people, memberships (roles as data), office calendars and the outbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_phone


class User(AbstractUser):
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True, validators=[validate_phone])

    class Meta(AbstractUser.Meta):
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CORPORATION = "corporatie", _("Woningcorporatie")
        MUNICIPALITY = "gemeente", _("Gemeente")
        CARE_PROVIDER = "zorgaanbieder", _("Zorgaanbieder")
        PARTNER = "partner", _("Andere partner")

    class PartnerType(models.TextChoices):
        NONE = "", _("—")
        WIJKTEAM = "wijkteam", _("Wijkteam")
        DEBT_HELP = "schuldhulpverlening", _("Schuldhulpverlening")
        CARE = "zorgaanbieder", _("Zorgaanbieder")
        POLICE = "wijkagent", _("Wijkagent / politie")
        MEDIATION = "buurtbemiddeling", _("Buurtbemiddeling")
        FIRE = "brandweer", _("Brandweer")
        ANIMALS = "dierenambulance", _("Dierenambulance")
        YOUTH = "jeugdwerk", _("Jongerenwerk")
        CONTRACTOR = "aannemer", _("Aannemer / onderhoudsbedrijf")

    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("code"), unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    partner_type = models.CharField(
        _("soort partner"), max_length=30, choices=PartnerType.choices, blank=True, default=""
    )
    municipality_code = models.CharField(
        _("CBS-gemeentecode"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^GM\d{4}$", _("Gebruik de CBS-code, bijvoorbeeld GM0344."))],
    )
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True, validators=[validate_phone])
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team inside an organisation that reports can be routed to (e.g. 'Team Noord')."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("naam"), max_length=200)
    slug = models.SlugField(_("code"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="teams")

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [models.UniqueConstraint(fields=["organisation", "slug"], name="team_unique_slug")]
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class Membership(models.Model):
    """A user's role in an organisation. Roles are Django groups (data), their permissions decide."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("rol"))
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} @ {self.organisation}"


class OfficeHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("maandag")
        TUESDAY = 1, _("dinsdag")
        WEDNESDAY = 2, _("woensdag")
        THURSDAY = 3, _("donderdag")
        FRIDAY = 4, _("vrijdag")
        SATURDAY = 5, _("zaterdag")
        SUNDAY = 6, _("zondag")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="office_hours")
    weekday = models.PositiveSmallIntegerField(_("dag"), choices=Weekday.choices)
    opens = models.TimeField(_("open vanaf"))
    closes = models.TimeField(_("open tot"))

    class Meta:
        verbose_name = _("kantoortijden")
        verbose_name_plural = _("kantoortijden")
        ordering = ["organisation", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes__gt=models.F("opens")), name="office_hours_order")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ClosedDay(models.Model):
    """An extra day the office is closed (besides Dutch public holidays), e.g. a company day."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField(_("datum"))
    reason = models.CharField(_("reden"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("extra sluitingsdag")
        verbose_name_plural = _("extra sluitingsdagen")
        constraints = [models.UniqueConstraint(fields=["organisation", "date"], name="closed_day_unique")]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class OutboxMessage(models.Model):
    """A side effect (e-mail, SMS) written in the same transaction as the change that caused it.

    Sent after commit by the worker through its channel (``core.channels``), retried with back-off;
    the idempotency key makes a retry of the enqueueing code a no-op and travels with the message
    (Message-ID header, SMS reference).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht")
        SENDING = "sending", _("bezig")
        SENT = "sent", _("verzonden")
        FAILED = "failed", _("mislukt")

    channel = models.CharField(_("kanaal"), max_length=20, default="email")
    idempotency_key = models.CharField(_("idempotentiesleutel"), max_length=200, unique=True)
    recipient = models.CharField(_("ontvanger"), max_length=254)
    subject = models.CharField(_("onderwerp"), max_length=300)
    body = models.TextField(_("tekst"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    claimed_at = models.DateTimeField(_("opgepakt"), null=True, blank=True)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}: {self.subject}"


class AccessLog(models.Model):
    """One read of special-category or financial data (AVG): who saw what about which household.

    Written by the selectors that hand out such data (pages and API alike), never by templates.
    Rows are append-only; the admin shows them read-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    household_id = models.PositiveBigIntegerField(_("huishouden"), null=True, blank=True, db_index=True)
    subject = models.CharField(_("onderwerp"), max_length=60)
    subject_id = models.PositiveBigIntegerField(_("onderwerp-id"), null=True, blank=True)
    purpose = models.CharField(_("doel / pagina"), max_length=200)
    # Why this person may see it: the role they hold (e.g. "Zorgprofessional, deelnemer als Adviseur").
    role = models.CharField(_("rol (waarom)"), max_length=200, blank=True, default="")
    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("inzage")
        verbose_name_plural = _("inzagelog")
        ordering = ["-at"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.subject} {self.household_id}"
