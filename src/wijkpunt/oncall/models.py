"""On-call backup (achtervang): rosters, escalation policies as data, and escalation state.

Design: docs/adr/0002-oncall-escalation.md. Escalation state lives here, in the database
(guarantee 2); the worker only ever acts on what these rows say is due."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.models import Organisation, Team
from wijkpunt.housing.models import Neighbourhood
from wijkpunt.reports.models import Category, Report, Urgency


class Roster(models.Model):
    class Rotation(models.IntegerChoices):
        DAILY = 1, _("dagelijks")
        WEEKLY = 7, _("wekelijks")
        FORTNIGHTLY = 14, _("om de twee weken")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="rosters",
                                     verbose_name=_("organisatie"))
    name = models.CharField(_("naam"), max_length=120)
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="rosters", verbose_name=_("buurten"),
        help_text=_("Leeg: het hele werkgebied. Een rooster voor buurten gaat voor het algemene rooster."),
    )
    rotation_days = models.PositiveSmallIntegerField(_("wisseling"), choices=Rotation.choices,
                                                     default=Rotation.WEEKLY)
    starts_on = models.DateField(_("eerste overdracht"),
                                 help_text=_("De dag van de week van deze datum is de overdrachtsdag."))
    handover_time = models.TimeField(_("overdrachtstijd"), default=dt.time(17, 0))
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("coördinator"),
    )
    warning_days = models.PositiveSmallIntegerField(
        _("waarschuw dagen vooruit"), default=14, help_text=_("Gaten in het rooster binnen deze termijn worden gemeld.")
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("rooster")
        verbose_name_plural = _("roosters")
        ordering = ["organisation__name", "name"]
        permissions = [
            ("view_duty", _("Dienstoverzicht achtervang zien")),
            ("manage_oncall", _("Roosters, kantoortijden en escalatiebeleid beheren")),
            ("acknowledge_page", _("Oproepen van de achtervang bevestigen")),
            ("request_help", _("Hulp vragen tijdens een ronde")),
        ]

    def __str__(self) -> str:
        return self.name


class RosterMember(models.Model):
    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roster_slots",
                             verbose_name=_("medewerker"))
    position = models.PositiveSmallIntegerField(_("volgorde"))

    class Meta:
        verbose_name = _("deelnemer rooster")
        verbose_name_plural = _("deelnemers rooster")
        ordering = ["roster", "position"]
        constraints = [
            models.UniqueConstraint(fields=["roster", "user"], name="roster_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.roster}: {self.position}. {self.user}"


class Period(models.Model):
    """A stretch of time entered by someone (a swap, an absence)."""

    starts_at = models.DateTimeField(_("van"))
    ends_at = models.DateTimeField(_("tot"))
    reason = models.CharField(_("reden"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["starts_at"]


class RosterOverride(Period):
    """A swap or replacement for a period; without a person it is an announced gap."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("vervanger"), help_text=_("Leeg: niemand (een bekend gat in het rooster)."),
    )

    class Meta(Period.Meta):
        verbose_name = _("wissel")
        verbose_name_plural = _("wissels")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="override_order"),
        ]

    def __str__(self) -> str:
        return f"{self.roster}: {self.user or '—'} {self.starts_at:%Y-%m-%d %H:%M}"


class Absence(Period):
    """A person is unavailable (sick, holiday) on every roster they are on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences",
                             verbose_name=_("medewerker"))

    class Meta(Period.Meta):
        verbose_name = _("afwezigheid")
        verbose_name_plural = _("afwezigheden")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="absence_order"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"


class EscalationPolicy(models.Model):
    class Trigger(models.TextChoices):
        REPORT = "melding", _("Melding")
        HELP = "hulpvraag", _("Hulpvraag bewonerskracht")

    class When(models.TextChoices):
        OUTSIDE = "buiten", _("Buiten kantoortijden")
        INSIDE = "binnen", _("Binnen kantoortijden")
        ALWAYS = "altijd", _("Altijd")

    class Action(models.TextChoices):
        PAGE = "oproepen", _("Oproepen via de achtervang")
        QUEUE = "werkvoorraad", _("Naar de werkvoorraad met kortere termijn")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="escalation_policies",
                                     verbose_name=_("organisatie"))
    name = models.CharField(_("naam"), max_length=120)
    trigger = models.CharField(_("voor"), max_length=10, choices=Trigger.choices, default=Trigger.REPORT)
    categories = models.ManyToManyField(
        Category, blank=True, related_name="+", verbose_name=_("categorieën"),
        help_text=_("Leeg: alle categorieën. Een hoofdcategorie geldt ook voor haar subcategorieën."),
    )
    urgencies = models.JSONField(_("urgenties"), default=list, blank=True)
    when = models.CharField(_("wanneer"), max_length=10, choices=When.choices, default=When.OUTSIDE)
    action = models.CharField(_("actie"), max_length=15, choices=Action.choices, default=Action.PAGE)
    roster = models.ForeignKey(
        Roster, on_delete=models.PROTECT, null=True, blank=True, related_name="policies", verbose_name=_("rooster"),
        help_text=_("Leeg: het rooster voor de buurt van de melding, anders het algemene rooster."),
    )
    queue_team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True,
                                   verbose_name=_("team (werkvoorraad)"))
    queue_deadline_minutes = models.PositiveIntegerField(_("termijn in minuten (werkvoorraad)"), null=True,
                                                         blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=10,
                                                help_text=_("Het eerste passende beleid wordt gebruikt."))
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("escalatiebeleid")
        verbose_name_plural = _("escalatiebeleidsregels")
        ordering = ["organisation", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    def urgency_labels(self) -> list[str]:
        return [str(Urgency(u).label) for u in self.urgencies if u in Urgency.values]


class EscalationStep(models.Model):
    class Target(models.TextChoices):
        ON_CALL = "dienst", _("Dienstdoende van het rooster")
        BACKUP = "achtervang", _("Achtervang (volgende in het rooster)")
        COORDINATOR = "coordinator", _("Coördinator van het rooster")
        USER = "persoon", _("Een vaste persoon")
        ROSTER = "ander_rooster", _("Dienstdoende van een ander rooster")
        CONTINUE = "doorgaan", _("Doorgaan met ander beleid")

    class ChannelChoice(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    policy = models.ForeignKey(EscalationPolicy, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("stap"))
    target = models.CharField(_("wie"), max_length=15, choices=Target.choices, default=Target.ON_CALL)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("persoon"))
    roster = models.ForeignKey(Roster, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("ander rooster"))
    continue_with = models.ForeignKey(EscalationPolicy, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("doorgaan met"))
    channels = models.JSONField(_("kanalen"), default=list, blank=True)
    wait = models.DurationField(_("wachttijd tot volgende stap"), default=dt.timedelta(minutes=10))

    class Meta:
        verbose_name = _("escalatiestap")
        verbose_name_plural = _("escalatiestappen")
        ordering = ["policy", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.get_target_display()}"


class HelpRequest(models.Model):
    """A volunteer on a round presses 'ik heb nu hulp nodig'."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PICKED_UP = "opgepakt", _("Opgepakt")
        CLOSED = "afgesloten", _("Afgesloten")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="help_requests")
    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="help_requests",
                                  verbose_name=_("bewonerskracht"))
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    message = models.CharField(_("toelichting"), max_length=300, blank=True)
    latitude = models.DecimalField(_("breedtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(_("nauwkeurigheid (m)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("hulpvraag")
        verbose_name_plural = _("hulpvragen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def map_url(self) -> str:
        """A map link for the page and the acknowledge screen ("" when no location was shared).
        Built here, not in a template: a template would localise the decimals (52,0891)."""
        if self.latitude is None or self.longitude is None:
            return ""
        lat, lon = self.latitude, self.longitude
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"


class Escalation(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "actief", _("Loopt")
        ACKNOWLEDGED = "bevestigd", _("Bevestigd")
        EXHAUSTED = "uitgeput", _("Niemand bereikt")
        CANCELLED = "gestopt", _("Gestopt")

    class Decision(models.TextChoices):
        NONE = "", _("—")
        TAKEN = "genomen", _("Zelf opgepakt")
        HANDED_BACK = "teruggegeven", _("Teruggegeven aan de werkvoorraad")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="escalations")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, null=True, blank=True, related_name="escalations")
    help_request = models.OneToOneField(HelpRequest, on_delete=models.CASCADE, null=True, blank=True,
                                        related_name="escalation")
    policy = models.ForeignKey(EscalationPolicy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    roster = models.ForeignKey(Roster, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    chain = models.JSONField(default=list, help_text="snapshot of the expanded steps at start")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    next_step = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(_("volgende stap om"))
    started_at = models.DateTimeField(_("gestart"), default=timezone.now)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name=_("bevestigd door"))
    acknowledged_at = models.DateTimeField(_("bevestigd om"), null=True, blank=True)
    decision = models.CharField(_("besluit"), max_length=15, choices=Decision.choices, blank=True, default="")
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("escalatie")
        verbose_name_plural = _("escalaties")
        indexes = [models.Index(fields=["status", "due_at"], name="escalation_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False) | models.Q(help_request__isnull=False),
                name="escalation_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return _("escalatie %(pk)s (%(status)s)") % {"pk": self.pk, "status": self.get_status_display()}

    @property
    def subject_label(self) -> str:
        if self.report_id:
            return self.report.reference
        return str(_("Hulpvraag van %(name)s") % {"name": self.help_request.volunteer})


def new_nonce() -> str:
    return secrets.token_urlsafe(9)


class Page(models.Model):
    """One step fired: who was called, through which channels, and the acknowledge link's state."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="pages")
    step = models.PositiveSmallIntegerField(_("stap"))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="pages", verbose_name=_("opgeroepen"))
    recipient_label = models.CharField(max_length=200, blank=True)
    channels = models.JSONField(default=list)
    skipped_reason = models.CharField(_("overgeslagen"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("gepland"))
    created_at = models.DateTimeField(_("verstuurd"), default=timezone.now)
    nonce = models.CharField(max_length=20, default=new_nonce, editable=False)
    expires_at = models.DateTimeField(_("link geldig tot"))
    used_at = models.DateTimeField(_("link gebruikt"), null=True, blank=True)

    class Meta:
        verbose_name = _("oproep")
        verbose_name_plural = _("oproepen")
        ordering = ["escalation", "step"]
        constraints = [models.UniqueConstraint(fields=["escalation", "step"], name="page_once_per_step")]

    def __str__(self) -> str:
        return f"{self.escalation_id}/{self.step} → {self.recipient_label or '—'}"

    @property
    def lateness(self) -> dt.timedelta:
        return self.created_at - self.due_at
