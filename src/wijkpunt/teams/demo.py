"""Demo data for the teams app: a Klusteam and a Groenteam in the neighbourhood of the corporation's
first volunteer programme, made of the corporation's existing volunteers (the volunteers demo runs
first), with about 25 odd jobs done last year and a dozen this year in every state, so the yearly
count on the pages is realistic.

Deterministic; does nothing when the teams already exist, and nothing (zeros) without a programme
with volunteers. Past jobs are written as they would have been (with their history rows) without
sending e-mail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wijkpunt.core.models import Organisation
from wijkpunt.housing.models import Unit
from wijkpunt.volunteers.models import Volunteer

from . import services
from .models import JobEvent, JobRequest, Kind, Team, TeamMember

Status = JobRequest.Status

ODD_JOBS = [
    "Lamp ophangen in de gang", "Kastje in de keuken zit los", "Gordijnrails ophangen in de woonkamer",
    "Deurdranger van de schuur afstellen", "Fietsenrek in de berging vastzetten", "Schilderijen ophangen",
    "Plankje in de badkamer ophangen", "Nieuwe rookmelder plaatsen (batterij)", "Tochtstrip langs de voordeur",
    "Kapstok ophangen", "Klemmende kastdeur schaven", "Brievenbusborstel vervangen",
    "Wasmachine aansluiten na verhuizing", "Boekenkast in elkaar zetten", "Traphekje voor kleinkind plaatsen",
    "Handgreep naast het bad ophangen", "Rolgordijn in de slaapkamer ophangen", "Spiegel ophangen",
]
GREEN_JOBS = [
    "Heg snoeien in de voortuin", "Onkruid wieden tussen de tegels", "Bladeren ruimen in de achtertuin",
    "Struiken terugsnoeien bij het pad", "Plantenbak bij de voordeur vullen", "Gras maaien en kanten steken",
    "Klimop van de schutting halen", "Tuin winterklaar maken",
]
FIRST_NAMES = ["Mevrouw Jansen", "Ria", "Ahmed", "Tineke", "Wim", "Fatma", "Kees", "Joke", "Mohamed", "Annie",
               "Gerrit", "Samira", "Henny", "Piet"]
CONTRACTOR_TEXT = "De kraan in de keuken lekt; dat is een reparatie voor de corporatie."


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class _Seeder:
    def __init__(self, corporation: Organisation, today: dt.date, units: list[Unit], staff_user):
        self.corporation, self.today, self.units, self.staff_user = corporation, today, units, staff_user
        self.n = 0

    def job(self, team: Team, members: list[Volunteer], *, status: str, created: dt.date, description: str,
            planned_for: dt.date | None = None, done_on: dt.date | None = None, reason: str = "") -> JobRequest:
        self.n += 1
        n = self.n
        unit = self.units[n % len(self.units)]
        job = JobRequest.objects.create(
            corporation=self.corporation, kind=team.kind, team=team, unit=unit, description=description,
            requester_name=FIRST_NAMES[n % len(FIRST_NAMES)], requester_phone=f"+3161234{n:04d}",
            contact_consent=True, source=JobRequest.Source.TENANT if n % 4 else JobRequest.Source.STAFF,
            created_by=self.staff_user if n % 4 == 0 else None, created_at=_at(created, 9),
        )
        events = [JobEvent(job=job, status=Status.REQUESTED, at=_at(created, 9),
                           text=f"Toegewezen aan {team.name}.")]
        lead = members[n % len(members)]
        if status in (Status.ACCEPTED, Status.PLANNED, Status.DONE):
            accepted = min(created + dt.timedelta(days=1), self.today)
            job.accepted_by, job.accepted_at = lead.user, _at(accepted, 19)
            events.append(JobEvent(job=job, status=Status.ACCEPTED, actor=lead.user, at=job.accepted_at,
                                   text=f"Het {team.get_kind_display()} heeft uw klus aangenomen."))
        if status in (Status.PLANNED, Status.DONE):
            job.planned_for = planned_for
            planned_at = min(created + dt.timedelta(days=2), self.today)
            events.append(JobEvent(job=job, status=Status.PLANNED, actor=lead.user, at=_at(planned_at, 20),
                                   text=f"Gepland op {planned_for:%d-%m-%Y}."))
        if status == Status.DONE:
            job.done_on, job.closed_at = done_on, _at(done_on, 16)
            job.hours = Decimal(1 + n % 4)
            events.append(JobEvent(job=job, status=Status.DONE, actor=lead.user, at=job.closed_at,
                                   text="De klus is klaar."))
        if status == Status.DECLINED:
            job.decline_reason = reason
            job.decline_text = "Doorgezet als reparatiemelding." if reason == "vakwerk" else ""
            job.closed_at = _at(min(created + dt.timedelta(days=1), self.today), 12)
            events.append(JobEvent(job=job, status=Status.DECLINED, actor=lead.user, at=job.closed_at,
                                   text=str(JobRequest.DeclineReason(reason).label)))
        job.status = status
        job.save()
        if status in (Status.PLANNED, Status.DONE):
            job.planned_members.set({lead.pk: lead, members[(n + 1) % len(members)].pk:
                                     members[(n + 1) % len(members)]}.values())
        JobEvent.objects.bulk_create(events)
        return job


def seed_teams_demo(corporation: Organisation, *, today: dt.date | None = None) -> dict[str, int]:
    """Create the demo teams and jobs. Returns counts for the seed summary."""
    today = today or timezone.localdate()
    zero = {"teams": 0, "members": 0, "jobs": 0, "done_last_year": 0, "done_this_year": 0, "open": 0}
    volunteers = list(services.active_volunteers(corporation.pk).select_related("programme__neighbourhood", "user")
                      .order_by("programme_id", "pk"))
    if not volunteers:
        return zero
    programme = volunteers[0].programme
    hood = programme.neighbourhood
    klus_name, groen_name = f"Klusteam {hood.name}", f"Groenteam {hood.name}"
    if Team.objects.filter(corporation=corporation, name__in=[klus_name, groen_name]).exists():
        return zero
    units = list(Unit.objects.filter(corporation=corporation, neighbourhood=hood).order_by("pk")[:40])
    members = [v for v in volunteers if v.programme_id == programme.pk] or volunteers
    from wijkpunt.core.models import Membership  # local: only the demo needs a staff user

    staff = (Membership.objects.filter(organisation=corporation, role__permissions__codename="manage_jobs")
             .select_related("user").order_by("pk").first())
    with transaction.atomic():
        klus = services.team_create(corporation=corporation, kind=Kind.ODD_JOBS, name=klus_name, programme=programme)
        groen = services.team_create(corporation=corporation, kind=Kind.GREENERY, name=groen_name,
                                     programme=programme)
        for i, volunteer in enumerate(members):
            TeamMember.objects.create(team=klus, volunteer=volunteer, is_coordinator=i == 0,
                                      joined_on=today.replace(year=today.year - 2, day=1))
            if i != 0 or len(members) == 1:  # the first volunteer is in the Klusteam only (if there are others)
                TeamMember.objects.create(team=groen, volunteer=volunteer, is_coordinator=i == min(1, len(members) - 1),
                                          joined_on=today.replace(year=today.year - 1, day=1))
        klus_members = [m.volunteer for m in klus.members.select_related("volunteer__user")]
        groen_members = [m.volunteer for m in groen.members.select_related("volunteer__user")]
        counts = {"teams": 2, "members": len(klus_members) + len(groen_members), "jobs": 0, "done_last_year": 0,
                  "done_this_year": 0, "open": 0}
        if not units:
            return counts
        s = _Seeder(corporation, today, units, staff.user if staff else None)
        last = today.year - 1
        # last year: 25 odd jobs and 9 garden jobs done, two declined
        for i in range(25):
            done = dt.date(last, 1 + i * 12 // 25, 3 + (i * 7) % 24)
            s.job(klus, klus_members, status=Status.DONE, created=done - dt.timedelta(days=12),
                  planned_for=done, done_on=done, description=ODD_JOBS[i % len(ODD_JOBS)])
        for i in range(9):
            done = dt.date(last, 3 + i, 10 + (i * 5) % 15)
            s.job(groen, groen_members, status=Status.DONE, created=done - dt.timedelta(days=10),
                  planned_for=done, done_on=done, description=GREEN_JOBS[i % len(GREEN_JOBS)])
        s.job(klus, klus_members, status=Status.DECLINED, created=dt.date(last, 5, 14), reason="vakwerk",
              description=CONTRACTOR_TEXT)
        s.job(groen, groen_members, status=Status.DECLINED, created=dt.date(last, 8, 2), reason="te_groot",
              description="Boom van acht meter omzagen in de achtertuin")
        counts["done_last_year"] = 34
        # this year: a dozen, in every state
        start = dt.date(today.year, 1, 1)
        span = max((today - start).days, 1)
        for i in range(6):
            done = start + dt.timedelta(days=span * (i + 1) // 8)
            team, team_members, texts = (klus, klus_members, ODD_JOBS) if i % 3 else (groen, groen_members, GREEN_JOBS)
            s.job(team, team_members, status=Status.DONE, created=max(start, done - dt.timedelta(days=9)),
                  planned_for=done, done_on=done, description=texts[(i + 5) % len(texts)])
        counts["done_this_year"] = 6
        recent = max(start, today - dt.timedelta(days=6))
        s.job(klus, klus_members, status=Status.PLANNED, created=recent, planned_for=today + dt.timedelta(days=3),
              description="Plank boven de wasmachine ophangen")
        s.job(groen, groen_members, status=Status.PLANNED, created=recent, planned_for=today + dt.timedelta(days=5),
              description="Heg snoeien langs het tuinpad")
        # planned for the day before yesterday and never reported done: staff see it flagged "datum voorbij"
        s.job(klus, klus_members, status=Status.PLANNED, created=today - dt.timedelta(days=9),
              planned_for=today - dt.timedelta(days=2), description="Fietsenrek vastschroeven bij de achterdeur")
        s.job(klus, klus_members, status=Status.ACCEPTED, created=max(start, today - dt.timedelta(days=3)),
              description="Deur van de meterkast sluit niet meer")
        s.job(klus, klus_members, status=Status.REQUESTED, created=max(start, today - dt.timedelta(days=1)),
              description="Gordijnen ophangen in de slaapkamer, ik kan zelf niet meer op een trapje staan")
        s.job(groen, groen_members, status=Status.REQUESTED, created=today,
              description="Onkruid tussen de tegels van de voortuin")
        s.job(klus, klus_members, status=Status.DECLINED, created=max(start, today - dt.timedelta(days=20)),
              reason="vakwerk", description=CONTRACTOR_TEXT)
        counts["open"] = 6
        counts["jobs"] = s.n
    return counts
