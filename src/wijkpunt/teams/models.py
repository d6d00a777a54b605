"""Klusteams and Groenteams: resident volunteers who do odd jobs and garden/greenery jobs for tenants
(docs/teams.md).

A ``Team`` belongs to one corporation, has a kind (Klusteam / Groenteam), works in a programme's
neighbourhood and/or a set of neighbourhoods, and has ``TeamMember``s (Bewonerskrachten, one or more
of them coordinator). A ``JobRequest`` is asked for by a tenant (public page /klus/) or by staff for
a tenant, for an address in the housing register; it is routed to the active team of that kind that
covers the address's neighbourhood (or stays unassigned for staff). Its life cycle
(requested → accepted → planned → done, or declined / withdrawn) is kept in ``services`` and every
step is a ``JobEvent`` row (append-only history).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.models import Organisation
from wijkpunt.core.validators import validate_phone
from wijkpunt.housing.models import Neighbourhood, Unit
from wijkpunt.volunteers.models import Programme, Volunteer

MANAGE_JOBS = "teams.manage_jobs"
WORK_IN_TEAM = "teams.work_in_team"


class Kind(models.TextChoices):
    ODD_JOBS = "klusteam", _("Klusteam")
    GREENERY = "groenteam", _("Groenteam")


def new_tracking_token() -> str:
    return secrets.token_urlsafe(24)


class Team(models.Model):
    corporation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="volunteer_teams",
                                    verbose_name=_("corporatie"))
    kind = models.CharField(_("soort team"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("naam"), max_length=200)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, null=True, blank=True, related_name="teams",
        verbose_name=_("programma Bewonerskrachten"),
        help_text=_("Het team werkt in de buurt van dit programma."),
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="volunteer_teams", verbose_name=_("buurten"),
        help_text=_("Buurten waar het team (ook) werkt."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["corporation", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["corporation", "name"], name="teams_team_name_unique"),
        ]
        permissions = [
            ("manage_jobs", _("Mag klusteams en groenteams beheren en klusaanvragen verdelen")),
            ("work_in_team", _("Mag als lid van een klusteam of groenteam klussen oppakken")),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("team"))
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="team_memberships",
                                  verbose_name=_("Bewonerskracht"))
    is_coordinator = models.BooleanField(_("coördinator"), default=False)
    joined_on = models.DateField(_("lid sinds"), default=timezone.localdate)

    class Meta:
        verbose_name = _("teamlid")
        verbose_name_plural = _("teamleden")
        ordering = ["team", "-is_coordinator", "volunteer__user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "volunteer"], name="teams_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} ({self.team})"


class JobRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "aangevraagd", _("Aangevraagd")
        ACCEPTED = "aangenomen", _("Aangenomen")
        PLANNED = "gepland", _("Gepland")
        DONE = "klaar", _("Klaar")
        DECLINED = "afgewezen", _("Afgewezen")
        WITHDRAWN = "ingetrokken", _("Ingetrokken")

    class Source(models.TextChoices):
        TENANT = "huurder", _("Door de huurder (website)")
        STAFF = "medewerker", _("Door een medewerker voor de huurder")

    class DeclineReason(models.TextChoices):
        SKILLED = "vakwerk", _("Geen klus voor vrijwilligers: vakwerk")
        LANDLORD = "corporatie", _("Hoort bij het onderhoud van de corporatie")
        TOO_BIG = "te_groot", _("Te groot of te zwaar voor het team")
        NO_CAPACITY = "geen_capaciteit", _("Het team heeft geen tijd")
        OTHER = "anders", _("Anders")

    OPEN_STATUSES = (Status.REQUESTED, Status.ACCEPTED, Status.PLANNED)

    corporation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="job_requests",
                                    verbose_name=_("corporatie"))
    kind = models.CharField(_("soort klus"), max_length=12, choices=Kind.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="jobs",
                             verbose_name=_("team"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="job_requests", verbose_name=_("adres"))
    description = models.TextField(_("wat moet er gebeuren"), max_length=2000)
    # Required on the forms; emptied by the retention purge (``retention.py``) after the job closed.
    requester_name = models.CharField(_("naam aanvrager"), max_length=200, blank=True)
    requester_phone = models.CharField(_("telefoon aanvrager"), max_length=20, blank=True, validators=[validate_phone])
    requester_email = models.EmailField(_("e-mail aanvrager"), blank=True)
    contact_consent = models.BooleanField(_("toestemming voor contact"), default=False)
    contact_purged_at = models.DateTimeField(_("contactgegevens verwijderd op"), null=True, blank=True)
    source = models.CharField(_("aangevraagd via"), max_length=12, choices=Source.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("ingevoerd door"))
    created_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("aangenomen door"))
    accepted_at = models.DateTimeField(_("aangenomen op"), null=True, blank=True)
    planned_for = models.DateField(_("gepland op"), null=True, blank=True)
    planned_members = models.ManyToManyField(Volunteer, blank=True, related_name="planned_jobs",
                                             verbose_name=_("ingeplande teamleden"))
    done_on = models.DateField(_("klaar op"), null=True, blank=True, db_index=True)
    hours = models.DecimalField(_("uren"), max_digits=5, decimal_places=1, null=True, blank=True)
    done_notes = models.TextField(_("opmerkingen"), blank=True, default="")
    decline_reason = models.CharField(_("reden afwijzing"), max_length=20, choices=DeclineReason.choices,
                                      blank=True, default="")
    decline_text = models.CharField(_("toelichting afwijzing"), max_length=500, blank=True, default="")
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    tracking_token = models.CharField(_("volgcode"), max_length=64, unique=True, default=new_tracking_token)
    idempotency_key = models.CharField(max_length=120, unique=True, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("klusaanvraag")
        verbose_name_plural = _("klusaanvragen")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["corporation", "status"], name="teams_job_corp_status_idx"),
            models.Index(fields=["team", "status"], name="teams_job_team_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def reference(self) -> str:
        return f"K-{self.pk:05d}" if self.pk else "K-?"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_past_its_date(self) -> bool:
        """Still *gepland* while its day has gone by: done but not closed, or missed and to be replanned."""
        return self.status == self.Status.PLANNED and self.planned_for is not None \
            and self.planned_for < timezone.localdate()

    @property
    def requester_first_name(self) -> str:
        parts = (self.requester_name or "").split()
        return parts[0] if parts else ""


class JobEvent(models.Model):
    """One step in a job's life (append-only): the new status, who, when, and a short public text."""

    job = models.ForeignKey(JobRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("klus"))
    status = models.CharField(_("status"), max_length=12, choices=JobRequest.Status.choices)
    text = models.CharField(_("toelichting"), max_length=500, blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("door"))
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)

    class Meta:
        verbose_name = _("klusstap")
        verbose_name_plural = _("klusstappen")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.job} → {self.status}"
