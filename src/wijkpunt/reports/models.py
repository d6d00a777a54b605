"""Reports (meldingen), their categories, attachments and append-only history."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.models import Organisation, Team
from wijkpunt.housing.models import Complex, Neighbourhood, Unit


class Urgency(models.TextChoices):
    SPOED = "spoed", _("Spoed")
    HOOG = "hoog", _("Hoog")
    NORMAAL = "normaal", _("Normaal")
    LAAG = "laag", _("Laag")


URGENCY_RANK = {Urgency.SPOED: 0, Urgency.HOOG: 1, Urgency.NORMAAL: 2, Urgency.LAAG: 3}


class Status(models.TextChoices):
    NEW = "nieuw", _("Nieuw")
    IN_PROGRESS = "in_behandeling", _("In behandeling")
    FORWARDED = "doorgestuurd", _("Doorgestuurd")
    RESOLVED = "opgelost", _("Opgelost")
    REOPENED = "heropend", _("Heropend")
    CANCELLED = "geannuleerd", _("Geannuleerd")
    MERGED = "samengevoegd", _("Samengevoegd")


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.FORWARDED, Status.REOPENED)


class ForwardState(models.TextChoices):
    """The partner's answer to the current forward. Only a pending or accepted forward gives the
    partner access; a declined or withdrawn one ends it (the history keeps who and when)."""

    NONE = "", _("Niet doorgestuurd")
    PENDING = "wacht", _("Wacht op antwoord partner")
    ACCEPTED = "geaccepteerd", _("Geaccepteerd door partner")
    DECLINED = "geweigerd", _("Geweigerd door partner")
    WITHDRAWN = "teruggenomen", _("Teruggenomen door corporatie")


CURRENT_FORWARD_STATES = (ForwardState.PENDING, ForwardState.ACCEPTED)


class Channel(models.TextChoices):
    """How the report came in; values are VERA COMMUNICATIEKANAAL codes."""

    WEB = "INT", _("Internet / formulier")
    PHONE = "TEL", _("Telefoon")
    VOLUNTEER = "BEZ", _("Bewonerskracht (ronde)")
    DESK = "BAL", _("Balie")
    EMAIL = "EMA", _("E-mail")
    APP = "APP", _("App / API")


class Category(models.Model):
    """Two-level taxonomy: main categories (parent empty) and sub-categories."""

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("hoofdcategorie"),
    )
    slug = models.SlugField(_("code"), unique=True, help_text=_("Stabiele code voor API en exports."))
    name = models.CharField(_("naam"), max_length=100)
    name_en = models.CharField(_("naam (Engels)"), max_length=100, blank=True)
    description = models.CharField(_("uitleg voor melders"), max_length=300, blank=True)
    vera_code = models.CharField(_("VERA-code"), max_length=60, blank=True)
    default_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("standaard team")
    )
    default_partner = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("standaard partner"),
        related_name="+",
    )
    default_urgency = models.CharField(
        _("standaard urgentie"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAAL
    )
    handling_days = models.PositiveSmallIntegerField(
        _("afhandeltermijn (werkdagen)"), default=5,
        help_text=_("Werkdagen bij urgentie normaal; laag krijgt het dubbele, hoog één werkdag, spoed 4 uur."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("categorie")
        verbose_name_plural = _("categorieën")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    @property
    def main(self) -> Category:
        return self.parent if self.parent_id else self


def new_tracking_token() -> str:
    return secrets.token_urlsafe(24)


class Report(models.Model):
    class LocationKind(models.TextChoices):
        ADDRESS = "adres", _("Adres")
        MAP = "kaart", _("Punt op de kaart")
        COMMON_AREA = "complex", _("Gemeenschappelijke ruimte van een complex")

    reference = models.CharField(_("meldingsnummer"), max_length=20, unique=True, editable=False)
    tracking_token = models.CharField(max_length=64, unique=True, default=new_tracking_token, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="reports", verbose_name=_("corporatie")
    )
    description = models.TextField(_("omschrijving"))
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="reports",
        verbose_name=_("categorie"),
    )
    main_category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("hoofdcategorie"),
    )
    urgency = models.CharField(_("urgentie"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAAL)
    urgency_rank = models.PositiveSmallIntegerField(default=2, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    vera_status = models.CharField(_("VERA-status"), max_length=3, default="REG", editable=False)
    channel = models.CharField(_("kanaal"), max_length=3, choices=Channel.choices, default=Channel.WEB)

    location_kind = models.CharField(_("soort locatie"), max_length=10, choices=LocationKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("eenheid"))
    complex = models.ForeignKey(
        Complex, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("complex")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("buurt")
    )
    latitude = models.DecimalField(_("breedtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_text = models.CharField(_("locatie (toelichting)"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("wanneer"), null=True, blank=True)

    reporter_name = models.CharField(_("naam melder"), max_length=200, blank=True)
    reporter_phone = models.CharField(_("telefoon melder"), max_length=20, blank=True)
    reporter_email = models.EmailField(_("e-mail melder"), blank=True)
    contact_consent = models.BooleanField(_("toestemming voor contact"), default=False)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="filed_reports",
        verbose_name=_("gemeld door (account)"),
    )

    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_reports",
        verbose_name=_("behandelaar"),
    )
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("team"))
    forwarded_to = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="forwarded_reports",
        verbose_name=_("doorgestuurd naar"),
    )
    forward_state = models.CharField(
        _("antwoord partner"), max_length=15, choices=ForwardState.choices, blank=True, default="",
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_reports",
        verbose_name=_("samengevoegd met"),
    )

    suggestion = models.JSONField(_("suggestie classificatie"), default=dict, blank=True)
    deadline = models.DateTimeField(_("afhandeltermijn"), null=True, blank=True)
    created_at = models.DateTimeField(_("gemeld op"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)
    resolved_at = models.DateTimeField(_("opgelost op"), null=True, blank=True)
    satisfied = models.BooleanField(_("tevreden"), null=True, blank=True)

    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)
    payload_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        permissions = [
            ("view_org_reports", _("Alle meldingen van de eigen organisatie zien")),
            ("triage_report", _("Meldingen beoordelen en behandelen")),
            ("intake_phone", _("Telefonische meldingen registreren")),
            ("file_volunteer_report", _("Melden met een account (bewonerskracht)")),
            ("view_forwarded_reports", _("Aan de eigen organisatie doorgestuurde meldingen zien")),
            ("handle_forwarded_reports", _("Doorgestuurde meldingen afhandelen")),
        ]
        indexes = [
            models.Index(fields=["organisation", "-created_at", "-id"], name="report_queue_created"),
            models.Index(fields=["organisation", "status", "-created_at", "-id"], name="report_queue_status"),
            models.Index(fields=["organisation", "deadline", "id"], name="report_queue_deadline"),
            models.Index(fields=["organisation", "status", "deadline", "id"], name="report_queue_status_deadline"),
            models.Index(fields=["organisation", "status", "main_category"], name="report_queue_status_category"),
            models.Index(fields=["organisation", "urgency_rank", "-created_at", "-id"], name="report_queue_urgency"),
            models.Index(fields=["forwarded_to", "-created_at", "-id"], name="report_forwarded"),
            models.Index(fields=["reporter_user", "-created_at"], name="report_reporter"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < timezone.now()

    @property
    def location_display(self) -> str:
        if self.unit_id:
            return self.unit.address
        if self.complex_id:
            return _("Gemeenschappelijke ruimte, complex %(name)s") % {"name": self.complex}
        if self.latitude is not None:
            return f"{self.latitude:.5f}, {self.longitude:.5f}" + (
                f" ({self.location_text})" if self.location_text else ""
            )
        return self.location_text


class ReportEvent(models.Model):
    """Append-only history of a report: who did what, when (guarantee 4)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Gemeld")
        STATUS = "status", _("Status gewijzigd")
        NOTE = "note", _("Notitie")
        ASSIGNED = "assigned", _("Toegewezen")
        CATEGORISED = "categorised", _("Categorie gewijzigd")
        FORWARDED = "forwarded", _("Doorgestuurd")
        FORWARD_ACCEPTED = "forward_accepted", _("Geaccepteerd door partner")
        FORWARD_DECLINED = "forward_declined", _("Geweigerd door partner")
        MERGED = "merged", _("Samengevoegd")
        ATTACHMENT = "attachment", _("Bijlage")
        FEEDBACK = "feedback", _("Reactie melder")
        ONCALL = "oncall", _("Achtervang")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("door")
    )
    actor_label = models.CharField(_("door (naam)"), max_length=200, blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    text = models.TextField(_("tekst"), blank=True)
    is_public = models.BooleanField(_("zichtbaar voor melder"), default=False)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("tijdstip"), default=timezone.now)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("tijdlijn")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "created_at", "id"], name="report_event_timeline")]

    def __str__(self) -> str:
        return f"{self.report} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("report history is append-only")
        super().save(*args, **kwargs)


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"reports/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{instance.extension}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("bestand"), upload_to=attachment_path)
    content_type = models.CharField(_("bestandstype"), max_length=50)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("foto")
        verbose_name_plural = _("foto's")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.content_type} ({self.size} bytes)"

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(self.content_type, "bin")
