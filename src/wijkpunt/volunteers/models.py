"""The volunteer programme (*Bewonerskrachten*) per neighbourhood: who was nominated and how they
were found, who was selected and why, and the volunteers themselves (docs/volunteers.md).

A ``Programme`` belongs to one corporation and one neighbourhood. Staff nominate ``Candidate``s
(key figures in the street); the selection step records a reason either way; a selected candidate
becomes a ``Volunteer``: a user account with the role *bewonerskracht* in the corporation plus this
profile, which says for which neighbourhood (programme) they walk. Rounds (``wijkpunt.rounds``) and
teams (``wijkpunt.teams``) build on ``Volunteer``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.models import Organisation
from wijkpunt.core.validators import validate_phone
from wijkpunt.housing.models import Neighbourhood


class Programme(models.Model):
    corporation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="volunteer_programmes", verbose_name=_("corporatie")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="volunteer_programmes", verbose_name=_("buurt")
    )
    name = models.CharField(_("naam"), max_length=200)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("coördinator"),
    )
    target_size = models.PositiveSmallIntegerField(_("beoogd aantal Bewonerskrachten"), default=6)
    started_on = models.DateField(_("gestart op"), null=True, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("programma Bewonerskrachten")
        verbose_name_plural = _("programma's Bewonerskrachten")
        ordering = ["corporation", "neighbourhood__name"]
        constraints = [
            models.UniqueConstraint(fields=["corporation", "neighbourhood"], name="volunteer_programme_unique"),
        ]
        permissions = [
            ("manage_programme", _("Mag het programma Bewonerskrachten beheren (werven, selecteren, trainen)")),
        ]

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    class HowFound(models.TextChoices):
        STAFF = "medewerker", _("Bekend bij een medewerker (complexbeheerder, wijkconsulent)")
        RESIDENTS_EVENING = "bewonersavond", _("Op een bewonersavond of activiteit")
        CALL = "oproep", _("Reageerde op een oproep")
        PARTNER = "partner", _("Via een partner (wijkteam, welzijn, politie)")
        RESIDENT = "bewoner", _("Aangedragen door een buurtbewoner")
        OTHER = "anders", _("Anders")

    class Status(models.TextChoices):
        NOMINATED = "voorgedragen", _("Voorgedragen")
        SELECTED = "geselecteerd", _("Geselecteerd")
        NOT_SELECTED = "niet_geselecteerd", _("Niet geselecteerd")
        WITHDRAWN = "afgehaakt", _("Afgehaakt")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="candidates",
                                  verbose_name=_("programma"))
    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("achternaam"), max_length=200)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    street = models.CharField(_("straat"), max_length=200, blank=True,
                              help_text=_("De straat waar de kandidaat woont of actief is."))
    how_found = models.CharField(_("hoe gevonden"), max_length=20, choices=HowFound.choices)
    how_found_details = models.TextField(_("toelichting"), blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("voorgedragen door"),
    )
    nominated_at = models.DateTimeField(_("voorgedragen op"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOMINATED)
    decision_reason = models.TextField(_("reden"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("besloten door"),
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)
    # Set by the retention purge (``retention.py``): contact details, street, details and reason emptied,
    # the name replaced; status and how_found stay for the programme's counts.
    purged_at = models.DateTimeField(_("gegevens verwijderd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("kandidaat")
        verbose_name_plural = _("kandidaten")
        ordering = ["programme", "last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None


def still_active() -> models.Q:
    """A filter for volunteers who have not stopped (``Volunteer.is_active`` in the database)."""
    return models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=timezone.localdate())


class Volunteer(models.Model):
    """A Bewonerskracht: the person's account (role *bewonerskracht*) and for which programme they walk."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteer",
                                verbose_name=_("account"))
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="volunteers",
                                  verbose_name=_("programma"))
    candidate = models.OneToOneField(Candidate, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="volunteer", verbose_name=_("kandidaat"))
    phone = models.CharField(_("telefoon"), max_length=20, blank=True, validators=[validate_phone])
    started_on = models.DateField(_("gestart op"), default=timezone.localdate)
    ended_on = models.DateField(_("gestopt op"), null=True, blank=True)
    end_reason = models.TextField(_("reden stoppen"), blank=True)

    class Meta:
        verbose_name = _("Bewonerskracht")
        verbose_name_plural = _("Bewonerskrachten")
        ordering = ["programme", "user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def corporation_id(self) -> int:
        return self.programme.corporation_id

    @property
    def is_active(self) -> bool:
        return self.ended_on is None or self.ended_on > timezone.localdate()


class VolunteerChange(models.Model):
    """Staff ended a volunteer or started them again (``ending.py``): the history, with reasons."""

    class Kind(models.TextChoices):
        ENDED = "gestopt", _("Gestopt")
        RESTARTED = "herstart", _("Opnieuw gestart")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="changes",
                                  verbose_name=_("Bewonerskracht"))
    kind = models.CharField(_("wijziging"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("per"))
    reason = models.TextField(_("reden"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                           related_name="+", verbose_name=_("door"))
    at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("start of stop Bewonerskracht")
        verbose_name_plural = _("starts en stops Bewonerskrachten")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.volunteer}: {self.get_kind_display()} {self.on:%d-%m-%Y}"


# --- training -------------------------------------------------------------------------------------

class TrainingTrack(models.Model):
    """The training of a programme: a series of workshops (six by default). A volunteer who attended
    every workshop of the track gets a certificate (``training.certificate_pdf``)."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="track",
                                     verbose_name=_("programma"))
    name = models.CharField(_("naam"), max_length=200)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("trainingstraject")
        verbose_name_plural = _("trainingstrajecten")

    def __str__(self) -> str:
        return self.name


class Workshop(models.Model):
    track = models.ForeignKey(TrainingTrack, on_delete=models.CASCADE, related_name="workshops",
                              verbose_name=_("trainingstraject"))
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=200)
    starts_at = models.DateTimeField(_("datum en tijd"), null=True, blank=True)
    location = models.CharField(_("locatie"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["track", "number"]
        constraints = [models.UniqueConstraint(fields=["track", "number"], name="workshop_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Attendance(models.Model):
    """A volunteer attended a workshop (a row means present)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="attendances",
                                 verbose_name=_("workshop"))
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="attendances",
                                  verbose_name=_("Bewonerskracht"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("vastgelegd door"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("aanwezigheid workshop")
        verbose_name_plural = _("aanwezigheid workshops")
        constraints = [models.UniqueConstraint(fields=["workshop", "volunteer"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.volunteer} @ {self.workshop}"


# --- the monthly meeting --------------------------------------------------------------------------

class MonthlyMeeting(models.Model):
    """The monthly meeting of a programme's volunteers with staff: the agenda is the month's reports
    of the programme's volunteers and what became of them, plus attendance, notes and actions."""

    class Status(models.TextChoices):
        PLANNED = "gepland", _("Gepland")
        HELD = "gehouden", _("Gehouden")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="meetings",
                                  verbose_name=_("programma"))
    month = models.DateField(_("maand"), help_text=_("De eerste dag van de maand waarover het overleg gaat."))
    starts_at = models.DateTimeField(_("datum en tijd"))
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    notes = models.TextField(_("verslag"), blank=True)
    attendees = models.ManyToManyField(Volunteer, blank=True, related_name="meetings_attended",
                                       verbose_name=_("aanwezig"))
    agenda_refreshed_at = models.DateTimeField(_("agenda bijgewerkt op"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("aangemaakt door"))
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        verbose_name = _("maandoverleg")
        verbose_name_plural = _("maandoverleggen")
        ordering = ["programme", "-month"]
        constraints = [models.UniqueConstraint(fields=["programme", "month"], name="monthly_meeting_unique")]

    def __str__(self) -> str:
        return f"{self.programme} {self.month:%m-%Y}"

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD


class MeetingItem(models.Model):
    """A report on the agenda; its status and latest update are read live from the report."""

    meeting = models.ForeignKey(MonthlyMeeting, on_delete=models.CASCADE, related_name="items",
                                verbose_name=_("overleg"))
    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("melding"))
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("Bewonerskracht"))
    added_at = models.DateTimeField(_("toegevoegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("agendapunt maandoverleg")
        verbose_name_plural = _("agendapunten maandoverleg")
        constraints = [models.UniqueConstraint(fields=["meeting", "report"], name="meeting_item_unique")]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.report_id}"


class MeetingAction(models.Model):
    meeting = models.ForeignKey(MonthlyMeeting, on_delete=models.CASCADE, related_name="actions",
                                verbose_name=_("overleg"))
    text = models.CharField(_("actie"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("wie"))
    due_date = models.DateField(_("uiterlijk"), null=True, blank=True)
    is_done = models.BooleanField(_("gedaan"), default=False)
    done_at = models.DateTimeField(_("gedaan op"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("vastgelegd door"))
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("actie maandoverleg")
        verbose_name_plural = _("acties maandoverleg")
        ordering = ["is_done", "due_date", "pk"]

    def __str__(self) -> str:
        return self.text


# --- appreciation ---------------------------------------------------------------------------------

class Thanks(models.Model):
    """A word of thanks from staff to a volunteer: shown on the volunteer's page and e-mailed."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="thanks",
                                  verbose_name=_("Bewonerskracht"))
    text = models.TextField(_("bedankje"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("van"))
    sent_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)

    class Meta:
        verbose_name = _("bedankje")
        verbose_name_plural = _("bedankjes")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.volunteer}: {self.text[:40]}"
