"""Training: the track of workshops per programme, attendance, progress and the certificate PDF.

A track gets six default workshops when the programme is created; staff set dates and locations,
rename them, or add one. A volunteer who attended *every* workshop of the track gets a certificate
(fpdf2 with the vendored DejaVu font of ``arrears.letters``); otherwise ``certificate_pdf`` refuses
with ``CertificateNotAvailable`` naming what is missing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from wijkpunt.arrears.deadlines import format_date_nl
from wijkpunt.arrears.letters import FONT, FONT_DIR
from wijkpunt.core.calendar import AMSTERDAM
from wijkpunt.core.models import User

from . import dates
from .models import Attendance, Programme, TrainingTrack, Volunteer, Workshop, still_active

DEFAULT_WORKSHOPS = (
    "Kennismaking: wat doet een Bewonerskracht?",
    "Signaleren en melden met Wijkpunt",
    "Huisregels uitleggen en het gesprek aangaan",
    "Lastige situaties, veiligheid en de hulpknop",
    "Het netwerk in de buurt: wijkagent, buurtbemiddeling, wijkteam",
    "Samen op ronde: oefenen en afsluiting",
)
MAX_WORKSHOPS = 20


def track_ensure(programme: Programme) -> TrainingTrack:
    """The programme's track, created with the six default workshops when it has none."""
    track, created = TrainingTrack.objects.get_or_create(
        programme=programme, defaults={"name": _("Training Bewonerskracht %(buurt)s") % {
            "buurt": programme.neighbourhood.name}})
    if created:
        Workshop.objects.bulk_create([Workshop(track=track, number=n, title=title)
                                      for n, title in enumerate(DEFAULT_WORKSHOPS, start=1)])
    return track


def _check_workshop(title: str, location: str, starts_at: dt.datetime | None = None) -> tuple[str, str]:
    title, location = (title or "").strip(), (location or "").strip()
    errors: dict[str, list[str]] = {}
    if not dates.in_range(starts_at):
        errors["starts_at"] = [dates.range_message()]
    if not title:
        errors["title"] = [_("Vul een titel in.")]
    elif len(title) > 200:
        errors["title"] = [_("Gebruik hoogstens 200 tekens.")]
    if len(location) > 200:
        errors["location"] = [_("Gebruik hoogstens 200 tekens.")]
    if errors:
        raise ValidationError(errors)
    return title, location


@transaction.atomic
def workshop_update(*, workshop: Workshop, title: str, starts_at: dt.datetime | None, location: str) -> Workshop:
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    workshop.title, workshop.location = _check_workshop(title, location, starts_at)
    workshop.starts_at = starts_at
    workshop.save(update_fields=["title", "starts_at", "location"])
    return workshop


@transaction.atomic
def workshop_add(*, track: TrainingTrack, title: str, starts_at: dt.datetime | None, location: str) -> Workshop:
    track = TrainingTrack.objects.select_for_update().get(pk=track.pk)
    title, location = _check_workshop(title, location, starts_at)
    last = track.workshops.aggregate(m=Max("number"))["m"] or 0
    if last >= MAX_WORKSHOPS:
        raise ValidationError({"title": [_("Een traject heeft hoogstens %(n)s workshops.") % {"n": MAX_WORKSHOPS}]})
    return Workshop.objects.create(track=track, number=last + 1, title=title, starts_at=starts_at, location=location)


@transaction.atomic
def attendance_save(*, track: TrainingTrack, actor: User | None, present: Iterable[tuple[int, int]]) -> tuple[int, int]:
    """Set who attended which workshop of ``track`` to exactly ``present`` ((workshop id, volunteer
    id) pairs). Every pair must be a workshop of this track and an active volunteer of its programme
    (the grid lists those); what stopped volunteers attended is kept as it was. Returns (added, removed)."""
    track = TrainingTrack.objects.select_for_update().get(pk=track.pk)  # two people saving the grid at once
    workshop_ids = set(track.workshops.values_list("pk", flat=True))
    volunteer_ids = set(Volunteer.objects.filter(still_active(), programme_id=track.programme_id)
                        .values_list("pk", flat=True))
    wanted = set(present)
    if any(w not in workshop_ids or v not in volunteer_ids for w, v in wanted):
        raise ValidationError({"attendance": [_(
            "Kies alleen workshops van dit traject en Bewonerskrachten van dit programma.")]})
    current = set(Attendance.objects.filter(workshop__track=track, volunteer_id__in=volunteer_ids)
                  .values_list("workshop_id", "volunteer_id"))
    removed = current - wanted
    for workshop_id, volunteer_id in removed:
        Attendance.objects.filter(workshop_id=workshop_id, volunteer_id=volunteer_id).delete()
    added = wanted - current
    Attendance.objects.bulk_create([Attendance(workshop_id=w, volunteer_id=v, recorded_by=actor)
                                    for w, v in sorted(added)])
    return len(added), len(removed)


# --- progress -------------------------------------------------------------------------------------

@dataclass
class Progress:
    track: TrainingTrack | None
    workshops: list[Workshop] = field(default_factory=list)
    attended_ids: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        return len(self.workshops)

    @property
    def attended(self) -> list[Workshop]:
        return [w for w in self.workshops if w.pk in self.attended_ids]

    @property
    def missing(self) -> list[Workshop]:
        return [w for w in self.workshops if w.pk not in self.attended_ids]

    @property
    def complete(self) -> bool:
        return bool(self.workshops) and not self.missing


def _track_of(programme_id: int) -> tuple[TrainingTrack | None, list[Workshop]]:
    track = TrainingTrack.objects.filter(programme_id=programme_id).first()
    return track, list(track.workshops.order_by("number")) if track else []


def progress_for(volunteer: Volunteer) -> Progress:
    track, workshops = _track_of(volunteer.programme_id)
    attended = set(Attendance.objects.filter(volunteer=volunteer, workshop__in=workshops)
                   .values_list("workshop_id", flat=True))
    return Progress(track=track, workshops=workshops, attended_ids=attended)


def progress_for_programme(programme: Programme) -> dict[int, Progress]:
    """Progress per volunteer id of the programme (two queries)."""
    track, workshops = _track_of(programme.pk)
    attended: dict[int, set[int]] = defaultdict(set)
    for workshop_id, volunteer_id in Attendance.objects.filter(workshop__in=workshops).values_list(
            "workshop_id", "volunteer_id"):
        attended[volunteer_id].add(workshop_id)
    return {v.pk: Progress(track=track, workshops=workshops, attended_ids=attended[v.pk])
            for v in programme.volunteers.all()}


# --- the certificate ------------------------------------------------------------------------------

class CertificateNotAvailable(Exception):
    """The track is not complete: ``missing`` lists the workshops not attended."""

    def __init__(self, missing: list[Workshop]):
        super().__init__("training not complete")
        self.missing = missing


def completed_on(volunteer: Volunteer, progress: Progress) -> dt.date:
    """The day the track was completed: the last workshop's date, else when the last attendance was recorded."""
    dates = [timezone.localtime(w.starts_at).date() for w in progress.workshops if w.starts_at]
    if len(dates) == len(progress.workshops) and dates:
        return max(dates)
    last = Attendance.objects.filter(volunteer=volunteer).aggregate(m=Max("recorded_at"))["m"]
    return timezone.localtime(last).date() if last else timezone.localdate()


def certificate_pdf(volunteer: Volunteer) -> bytes:
    """The certificate as PDF bytes; the same data gives the same bytes (creation date = completion)."""
    progress = progress_for(volunteer)
    if not progress.complete:
        raise CertificateNotAvailable(progress.missing)
    programme = volunteer.programme
    day = completed_on(volunteer, progress)
    name = volunteer.user.get_full_name() or volunteer.user.get_username()
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_creation_date(dt.datetime.combine(day, dt.time(0, 0), tzinfo=AMSTERDAM))
    pdf.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.set_title(f"Certificaat Bewonerskracht {name}")
    pdf.set_author(programme.corporation.name)
    pdf.set_creator("Wijkpunt")
    pdf.set_lang("nl-NL")
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_y(28)
    pdf.set_font(FONT, "", 14)
    pdf.cell(0, 8, programme.corporation.name, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 32)
    pdf.cell(0, 18, "Certificaat", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 13)
    pdf.cell(0, 8, "Hierbij verklaren wij dat", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 24)
    pdf.cell(0, 16, name, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 13)
    pdf.multi_cell(0, 7, f"de training tot Bewonerskracht in {programme.neighbourhood.name} heeft gevolgd "
                         f"en alle {progress.total} workshops heeft bijgewoond:", align="C",
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font(FONT, "", 10.5)
    for workshop in progress.workshops:
        when = f" ({format_date_nl(timezone.localtime(workshop.starts_at).date())})" if workshop.starts_at else ""
        pdf.cell(0, 6, f"{workshop.number}. {workshop.title}{when}", align="C", new_x=XPos.LMARGIN,
                 new_y=YPos.NEXT)
    pdf.ln(8)
    pdf.set_font(FONT, "", 12)
    pdf.cell(0, 7, f"{programme.neighbourhood.municipality.name}, {format_date_nl(day)}", align="C",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    coordinator = programme.coordinator
    if coordinator is not None:
        pdf.cell(0, 7, f"{coordinator.get_full_name() or coordinator.get_username()}, coördinator "
                       f"{programme.name}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
