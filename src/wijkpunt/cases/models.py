"""Cases (casussen): coordinated work on a household, an address or a complex by the corporation
and the partners it invites (municipality, care provider, debt help, police ...).

A case belongs to the corporation that opened it (``organisation``). Partner organisations take
part through ``CaseParticipant`` (invited -> accepted / declined -> ended); what a partner sees
follows the resident's ``Consent`` (or a reasoned ``EmergencyDisclosure``) per information
category, intersected with what the person's role may see (``policy.py``). History is appended:
notes, events and consents are new rows. See ``docs/cases.md`` and ``docs/privacy.md``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.models import Organisation
from wijkpunt.housing.models import Complex, Household, Neighbourhood, Unit

from .vera import DETAIL_PARENT, CaseRole, CaseType, CaseTypeDetail  # noqa: F401 (re-exported)

WORK_ON_CASES = "cases.work_on_cases"
OPEN_CASE = "cases.open_case"
TAKE_PART = "cases.take_part"
VIEW_CARE = "cases.view_care"
VIEW_DEBT = "cases.view_debt"
EMERGENCY_SHARE = "cases.emergency_share"
ANSWER_ACCESS_REQUEST = "cases.answer_access_request"
MANAGE_RETENTION = "cases.manage_retention"


class InfoCategory(models.TextChoices):
    """What consent (or an emergency disclosure) opens up for a partner, per category."""

    PERSON = "persoon", _("Naam, adres en telefoon van het huishouden")
    SITUATION = "situatie", _("Situatie, notities, acties en gekoppelde meldingen")
    CARE = "zorg", _("Zorg en gezondheid (bijzonder persoonsgegeven)")
    DEBT = "schulden", _("Schulden en huurachterstand")


SPECIAL_CATEGORIES = frozenset({InfoCategory.CARE, InfoCategory.DEBT})


class Visibility(models.TextChoices):
    OWN_ORGANISATION = "eigen", _("Alleen eigen organisatie")
    PARTICIPANTS = "deelnemers", _("Alle deelnemers (volgens toestemming)")


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Lopend")
        CLOSED = "closed", _("Afgesloten")

    class Source(models.TextChoices):
        HOUSEHOLD_PICTURE = "ken_uw_huurder", _("Ken uw huurder")
        REPORT = "melding", _("Melding")
        MANUAL = "handmatig", _("Handmatig")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", verbose_name=_("organisatie")
    )
    # What the case is about: a household, an address (unit) or a complex (nuisance in a street).
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("huishouden"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("adres")
    )
    complex = models.ForeignKey(
        Complex, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name=_("complex")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("buurt")
    )
    title = models.CharField(_("titel"), max_length=300)
    case_type = models.CharField(_("zaaktype"), max_length=3, choices=CaseType.choices, default=CaseType.SOC)
    case_type_detail = models.CharField(
        _("zaaktype (detail)"), max_length=3, choices=CaseTypeDetail.choices, blank=True, default=""
    )
    # The reasons as the opener saw them, in words (never a score); a snapshot, not recomputed.
    reasons = models.JSONField(_("aanleiding"), default=list, blank=True)
    summary = models.TextField(_("situatie"), blank=True, default="")
    care_details = models.TextField(_("zorg en gezondheid"), blank=True, default="")
    debt_details = models.TextField(_("schulden en inkomen"), blank=True, default="")
    source = models.CharField(_("bron"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_cases",
        verbose_name=_("casusregisseur"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("geopend door"),
    )
    created_at = models.DateTimeField(_("geopend op"), default=timezone.now)
    reports = models.ManyToManyField(
        "reports.Report", blank=True, related_name="cases", verbose_name=_("gekoppelde meldingen")
    )
    episodes = models.ManyToManyField(
        "arrears.ArrearsEpisode", blank=True, related_name="cases", verbose_name=_("gekoppelde huurachterstanden")
    )
    steering_flag = models.BooleanField(_("agenderen voor regiegroep"), default=False)
    steering_question = models.CharField(_("vraag aan de regiegroep"), max_length=500, blank=True, default="")
    legal_hold = models.BooleanField(_("bewaarplicht (legal hold)"), default=False)
    legal_hold_reason = models.CharField(_("reden bewaarplicht"), max_length=500, blank=True, default="")
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view",)
        permissions = [
            ("work_on_cases", _("Mag casussen van de eigen organisatie inzien en behandelen")),
            ("open_case", _("Mag een casus openen voor een huishouden")),
            ("take_part", _("Mag deelnemen aan casussen waarvoor de eigen organisatie is uitgenodigd")),
            ("view_care", _("Mag zorg- en gezondheidsgegevens in casussen zien")),
            ("view_debt", _("Mag schulden en huurachterstand in casussen zien")),
            ("emergency_share", _("Mag bij acuut gevaar gegevens delen zonder toestemming")),
            ("answer_access_request", _("Mag inzageverzoeken van bewoners beantwoorden")),
            ("manage_retention", _("Mag bewaartermijnen en bewaarplicht van casussen beheren")),
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
            models.CheckConstraint(
                condition=models.Q(household__isnull=False) | models.Q(unit__isnull=False)
                | models.Q(complex__isnull=False) | models.Q(anonymised_at__isnull=False),
                name="case_has_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "-created_at"], name="case_org_status_idx"),
            models.Index(fields=["assigned_to", "status"], name="case_assignee_status_idx"),
            models.Index(fields=["status", "closed_on"], name="case_retention_idx"),
        ]

    def __str__(self) -> str:
        # The reference, not the title: str() ends up in the audit log, the admin and error reports,
        # and the title names the household.
        return self.reference if self.pk else "C-nieuw"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def reference(self) -> str:
        return f"C-{self.pk:06d}"

    @property
    def subject_kind(self) -> str:
        if self.household_id:
            return "household"
        if self.unit_id:
            return "unit"
        return "complex" if self.complex_id else "none"


class CaseNote(models.Model):
    """An append-only note on a case; the note that closes a case is marked as such.

    ``organisation`` is the author's organisation when writing; ``visibility`` says whether the
    other participants may read it (and then only if consent covers its ``category``)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes", verbose_name=_("casus"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("door"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("organisatie")
    )
    category = models.CharField(
        _("soort informatie"), max_length=10, choices=InfoCategory.choices, default=InfoCategory.SITUATION
    )
    visibility = models.CharField(
        _("zichtbaar voor"), max_length=12, choices=Visibility.choices, default=Visibility.OWN_ORGANISATION
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


class CaseParticipant(models.Model):
    """A partner organisation taking part in a case, with its VERA case role.

    Invited by the owning corporation (a case forwarded to a partner), the partner accepts or
    declines with a reason; the corporation can end the participation. Only ``accepted``
    participants see more than that the case exists."""

    class Status(models.TextChoices):
        INVITED = "uitgenodigd", _("Uitgenodigd")
        ACCEPTED = "geaccepteerd", _("Geaccepteerd")
        DECLINED = "geweigerd", _("Geweigerd")
        ENDED = "beeindigd", _("Beëindigd")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants", verbose_name=_("casus"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="case_participations", verbose_name=_("organisatie")
    )
    role = models.CharField(_("rol in de casus"), max_length=3, choices=CaseRole.choices, default=CaseRole.ADV)
    request = models.CharField(
        _("wat vragen we"), max_length=500,
        help_text=_("Zichtbaar voor de uitgenodigde organisatie, ook zonder toestemming: schrijf het neutraal."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.INVITED)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uitgenodigd door")
    )
    invited_at = models.DateTimeField(_("uitgenodigd op"), default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("beantwoord door"),
    )
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    decline_reason = models.TextField(_("reden van weigering"), blank=True, default="")
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("deelnemer aan casus")
        verbose_name_plural = _("deelnemers aan casussen")
        ordering = ["invited_at", "pk"]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(fields=["case", "organisation"], name="case_participant_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="case_participant_org_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Consent(models.Model):
    """The resident's consent to share information of this case with one organisation.

    Which categories, for what purpose, from when until when, how it was given. Withdrawal is
    recorded on the row (once) and takes effect at once: the policy reads only live consents."""

    class Method(models.TextChoices):
        SIGNED_FORM = "formulier", _("Ondertekend formulier")
        VERBAL_WITNESS = "mondeling", _("Mondeling, met getuige")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents", verbose_name=_("casus"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("gedeeld met")
    )
    categories = models.JSONField(_("welke informatie"), default=list)
    purpose = models.CharField(_("doel"), max_length=500)
    given_by = models.CharField(_("gegeven door"), max_length=200)
    method = models.CharField(_("hoe gegeven"), max_length=10, choices=Method.choices)
    witness = models.CharField(_("getuige"), max_length=200, blank=True, default="")
    form_document = models.ForeignKey(
        "CaseDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("ondertekend formulier"),
    )
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("vastgelegd door")
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ingetrokken door (vastgelegd)"),
    )
    withdrawal_note = models.CharField(_("toelichting intrekking"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-recorded_at", "-pk"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["case", "organisation"], name="consent_case_org_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.organisation}: {', '.join(self.categories)}"

    @property
    def category_labels(self) -> str:
        return ", ".join(str(InfoCategory(c).label) for c in self.categories if c in InfoCategory.values)

    def is_live(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (self.withdrawn_at is None and self.valid_from <= today
                and (self.valid_until is None or self.valid_until >= today))


class EmergencyDisclosure(models.Model):
    """Sharing without consent where the law allows it (acute danger): separate, reasoned, logged.

    It opens the chosen categories for one organisation until ``valid_until`` (at most 14 days)."""

    class Ground(models.TextChoices):
        VITAL_INTEREST = "vitaal_belang", _("Vitaal belang: acuut gevaar voor leven of gezondheid (AVG art. 6(1)(d), 9(2)(c))")
        DOMESTIC_VIOLENCE = "meldcode", _("Meldcode huiselijk geweld en kindermishandeling")
        PUBLIC_SAFETY = "openbare_orde", _("Ernstige dreiging voor de veiligheid van anderen")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="disclosures", verbose_name=_("casus"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("gedeeld met")
    )
    categories = models.JSONField(_("welke informatie"), default=list)
    ground = models.CharField(_("grondslag"), max_length=20, choices=Ground.choices)
    reasoning = models.TextField(_("onderbouwing"))
    valid_until = models.DateTimeField(_("geldig tot"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("besloten door")
    )
    decided_at = models.DateTimeField(_("besloten op"), default=timezone.now)

    class Meta:
        verbose_name = _("delen zonder toestemming")
        verbose_name_plural = _("delen zonder toestemming")
        ordering = ["-decided_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.case_id} → {self.organisation} ({self.get_ground_display()})"

    @property
    def category_labels(self) -> str:
        return ", ".join(str(InfoCategory(c).label) for c in self.categories if c in InfoCategory.values)

    def is_live(self, now=None) -> bool:
        return self.valid_until >= (now or timezone.now())


class CaseAction(models.Model):
    """Something someone will do, with an owner (organisation, optionally a person) and a due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "gedaan", _("Gedaan")
        CANCELLED = "vervallen", _("Vervallen")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions", verbose_name=_("casus"))
    title = models.CharField(_("actie"), max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisatie")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="case_actions",
        verbose_name=_("eigenaar"),
    )
    due_date = models.DateField(_("uiterlijk"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("aangemaakt door")
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    completed_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)
    # Set when a steering group decided it (steering.AgendaItem); plain id to keep the apps apart.
    agenda_item_id = models.PositiveBigIntegerField(_("besluit regiegroep"), null=True, blank=True)

    class Meta:
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        ordering = ["status", "due_date", "pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return self.title


def case_document_path(instance: CaseDocument, filename: str) -> str:
    return f"cases/{instance.case_id}/{timezone.now():%Y%m%d%H%M%S}-{filename[-80:]}"


class CaseDocument(models.Model):
    """A file on a case (PDF or image, checked by content); served only through the case policy."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents", verbose_name=_("casus"))
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(_("bestand"), upload_to=case_document_path, max_length=300)
    content_type = models.CharField(_("soort bestand"), max_length=60)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    category = models.CharField(
        _("soort informatie"), max_length=10, choices=InfoCategory.choices, default=InfoCategory.SITUATION
    )
    visibility = models.CharField(
        _("zichtbaar voor"), max_length=12, choices=Visibility.choices, default=Visibility.OWN_ORGANISATION
    )
    is_consent_form = models.BooleanField(_("toestemmingsformulier"), default=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisatie")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("door")
    )
    uploaded_at = models.DateTimeField(_("tijdstip"), default=timezone.now)

    class Meta:
        verbose_name = _("document bij casus")
        verbose_name_plural = _("documenten bij casussen")
        ordering = ["uploaded_at", "pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return self.title


class CaseEvent(models.Model):
    """The case's history (append-only): opened, invited, accepted, consent recorded, ...

    ``text`` is written without special-category content; ``for_participants`` says whether
    accepted participants with the 'situatie' category see it on the timeline."""

    class Kind(models.TextChoices):
        OPENED = "geopend", _("Geopend")
        LEAD = "regisseur", _("Casusregisseur")
        INVITED = "uitgenodigd", _("Uitgenodigd")
        ACCEPTED = "geaccepteerd", _("Uitnodiging geaccepteerd")
        DECLINED = "geweigerd", _("Uitnodiging geweigerd")
        ENDED = "beeindigd", _("Deelname beëindigd")
        CONSENT = "toestemming", _("Toestemming vastgelegd")
        CONSENT_WITHDRAWN = "ingetrokken", _("Toestemming ingetrokken")
        EMERGENCY = "zonder_toestemming", _("Gedeeld zonder toestemming")
        ACTION = "actie", _("Actie")
        DOCUMENT = "document", _("Document")
        LINK = "koppeling", _("Koppeling")
        STEERING = "regiegroep", _("Regiegroep")
        DETAILS = "gegevens", _("Gegevens bijgewerkt")
        CLOSED = "afgesloten", _("Afgesloten")
        HOLD = "bewaarplicht", _("Bewaarplicht")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("casus"))
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("omschrijving"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("door")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("organisatie")
    )
    for_participants = models.BooleanField(_("zichtbaar voor deelnemers"), default=False)
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)

    class Meta:
        verbose_name = _("gebeurtenis in casus")
        verbose_name_plural = _("geschiedenis van casussen")
        ordering = ["at", "pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("case events are append-only")
        super().save(*args, **kwargs)


class RetentionRule(models.Model):
    """How long a closed case of a type is kept, and what happens then (per corporation)."""

    class Action(models.TextChoices):
        ANONYMISE = "anonimiseren", _("Anonimiseren")
        DELETE = "verwijderen", _("Verwijderen")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisatie")
    )
    case_type = models.CharField(_("zaaktype"), max_length=3, choices=CaseType.choices)
    days_after_closing = models.PositiveIntegerField(_("dagen na afsluiten"))
    action = models.CharField(_("daarna"), max_length=12, choices=Action.choices, default=Action.ANONYMISE)

    class Meta:
        verbose_name = _("bewaartermijn casussen")
        verbose_name_plural = _("bewaartermijnen casussen")
        ordering = ["organisation", "case_type"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "case_type"], name="case_retention_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_case_type_display()} {self.days_after_closing} d"
