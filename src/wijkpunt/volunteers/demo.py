"""Demo data for the volunteer programme (Bewonerskrachten): a programme for the neighbourhood
where most of the demo corporation's reports are, with twenty nominated key figures of whom six
were selected (Henk Bosman = ``vrijwilliger``, Gülsen Demir = ``vrijwilliger2`` and four new
volunteer accounts), a training track of six workshops (Henk complete, so he has a certificate), a
held and an upcoming monthly meeting, thanks, and a second, smaller programme that is recruiting.

Run after the reports demo (the meeting agenda comes from the volunteers' reports); when the
volunteers have no reports yet, each files two observations from a round in their neighbourhood
through the reporting point's service. Deterministic; does nothing when the corporation already has a programme. No mail is sent.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db.models import Count
from django.utils import timezone

from wijkpunt.core.models import Membership, Organisation, User
from wijkpunt.core.permissions import has_org_perm
from wijkpunt.housing.models import Neighbourhood, Unit
from wijkpunt.reports.models import Channel, Report

from . import meetings, services, training
from .models import Candidate, Programme, Thanks, Volunteer

COORDINATOR = "regisseur"
# first, last, street, how found, details, outcome ("selected" / "not" / "withdrawn" / "open"), reason, username
CANDIDATES = (
    ("Henk", "Bosman", "Merelstraat", "medewerker", "Loopt al jaren elke ochtend een rondje met de hond en kent "
     "iedereen; meldt vaak dingen bij de complexbeheerder.", "selected", "Kent de buurt als geen ander, betrouwbaar.",
     "vrijwilliger"),
    ("Gülsen", "Demir", "Lijsterlaan", "bewonersavond", "Sprak op de bewonersavond over de donkere portieken.",
     "selected", "Verbindt buren, spreekt Turks en Nederlands.", "vrijwilliger2"),
    ("Joke", "Verbeek", "Vinkenplein", "oproep", "Reageerde op de oproep in de bewonerskrant.", "selected",
     "Veel tijd, enthousiast, woont midden in de buurt.", "joke.verbeek"),
    ("Mohamed", "El Idrissi", "Spreeuwenhof", "partner", "Voorgedragen door het jongerenwerk.", "selected",
     "Goed contact met de jongeren op het plein.", "mohamed.elidrissi"),
    ("Ans", "de Groot", "Merelstraat", "bewoner", "Buurvrouw van Henk; organiseert de koffieochtend.", "selected",
     "Houdt een oogje op de ouderen in de flat.", "ans.degroot"),
    ("Dirk", "Hoogendoorn", "Koekoekstraat", "medewerker", "Bekend bij de opzichter: repareert zelf veel.",
     "selected", "Handig, kan later ook in een Klusteam.", "dirk.hoogendoorn"),
    ("Petra", "van Leeuwen", "Merelstraat", "bewonersavond", "", "not", "Wil liever alleen iets organiseren, "
     "geen rondes lopen; gevraagd voor de buurtbarbecue.", ""),
    ("Said", "Bouali", "Lijsterlaan", "oproep", "", "not", "Werkt in ploegendienst: rondes passen nu niet.", ""),
    ("Marieke", "Smits", "Vinkenplein", "partner", "Via het wijkteam.", "not", "Heeft zelf veel aan haar hoofd; "
     "wijkteam blijft betrokken.", ""),
    ("Kees", "Brouwer", "Koekoekstraat", "bewoner", "", "not", "Woont buiten de buurt (verhuisd).", ""),
    ("Fatma", "Yıldız", "Spreeuwenhof", "bewonersavond", "", "not", "Al actief als mantelzorger, geen ruimte.", ""),
    ("Wim", "Jacobs", "Merelstraat", "medewerker", "", "not", "Conflict met buren loopt nog (buurtbemiddeling).", ""),
    ("Lotte", "Vermeulen", "Lijsterlaan", "oproep", "", "not", "Liever in het Groenteam.", ""),
    ("Ahmed", "Benali", "Vinkenplein", "partner", "Via de wijkagent.", "not", "Past beter bij het jongerenwerk.", ""),
    ("Ria", "Kok", "Koekoekstraat", "bewoner", "", "withdrawn", "Haakte af na het kennismakingsgesprek: te druk.", ""),
    ("Bas", "Meijer", "Spreeuwenhof", "oproep", "", "withdrawn", "Gaat verhuizen.", ""),
    ("Nadia", "Ouali", "Merelstraat", "bewonersavond", "", "withdrawn", "Kreeg een nieuwe baan.", ""),
    ("Gerrit", "Dekker", "Lijsterlaan", "medewerker", "Oud-conciërge van de basisschool.", "open", "", ""),
    ("Samira", "Tahiri", "Vinkenplein", "bewoner", "Kent veel jonge gezinnen.", "open", "", ""),
    ("Jan", "de Wit", "Koekoekstraat", "anders", "Sprak de complexbeheerder aan bij de glasbak.", "open", "", ""),
)
SECOND = (
    ("Erik", "Vos", "Dorpsstraat", "medewerker", "Bekend bij de wijkconsulent.", "open", "", ""),
    ("Hanna", "Kuiper", "Kerkweg", "bewonersavond", "", "open", "", ""),
    ("Yusuf", "Arslan", "Dorpsstraat", "partner", "Via het wijkteam.", "open", "", ""),
    ("Lies", "Mulder", "Kerkweg", "oproep", "", "not", "Wil eerst kijken hoe het in de andere buurt gaat.", ""),
)
OUTCOME = {"selected": Candidate.Status.SELECTED, "not": Candidate.Status.NOT_SELECTED,
           "withdrawn": Candidate.Status.WITHDRAWN}
LOCATION = "Buurthuis De Kroon"
# workshops attended per selected volunteer (Henk complete: certificate)
ATTENDED = {"vrijwilliger": 6, "vrijwilliger2": 5, "joke.verbeek": 4, "mohamed.elidrissi": 3, "ans.degroot": 6,
            "dirk.hoogendoorn": 2}


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _busiest_neighbourhoods(corporation: Organisation) -> list[Neighbourhood]:
    ids = [row["neighbourhood"] for row in Report.objects.filter(organisation=corporation, neighbourhood__isnull=False)
           .values("neighbourhood").annotate(n=Count("pk")).order_by("-n", "neighbourhood")[:2]]
    if len(ids) < 2:
        ids += [row["neighbourhood"] for row in Unit.objects.filter(corporation=corporation)
                .exclude(neighbourhood_id__in=ids).values("neighbourhood").annotate(n=Count("pk"))
                .order_by("-n", "neighbourhood")[: 2 - len(ids)]]
    found = {n.pk: n for n in Neighbourhood.objects.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def _account(username: str, first: str, last: str, corporation: Organisation, password: str, n: int) -> User:
    user, _created = User.objects.get_or_create(username=username, defaults={
        "first_name": first, "last_name": last, "email": f"{username}@example.nl", "phone": f"+316123456{80 + n}",
        "password": make_password(password)})
    Membership.objects.get_or_create(user=user, organisation=corporation, role=Group.objects.get(name="bewonerskracht"))
    return user


def _recruit(programme: Programme, rows, *, corporation, password, staff, today) -> list[Volunteer]:
    volunteers = []
    for n, (first, last, street, how, details, outcome, reason, username) in enumerate(rows):
        candidate = services.candidate_nominate(
            programme=programme, actor=staff, first_name=first, last_name=last, street=street, how_found=how,
            how_found_details=details or ("Zie toelichting bij de bewonersavond." if how == "anders" else ""),
            phone=f"+316123{n:05d}", email=f"{username or (first + '.' + last).lower().replace(' ', '')}@example.nl"
            if outcome == "selected" else "")
        nominated_at = _at(today - dt.timedelta(days=150 - n), 11)
        Candidate.objects.filter(pk=candidate.pk).update(nominated_at=nominated_at)
        if outcome == "open":
            continue
        Candidate.objects.filter(pk=candidate.pk).update(
            status=OUTCOME[outcome], decision_reason=reason, decided_by=staff,
            decided_at=_at(today - dt.timedelta(days=120), 15))
        if outcome == "selected":
            user = _account(username, first, last, corporation, password, n)
            Candidate.objects.filter(pk=candidate.pk).update(email=user.email.lower())
            volunteers.append(Volunteer.objects.create(user=user, programme=programme, candidate_id=candidate.pk,
                                                       phone=user.phone or "", started_on=today - dt.timedelta(days=119)))
    return volunteers


def _ensure_reports(programme: Programme, volunteers: list[Volunteer], today: dt.date) -> int:
    """Give volunteers who have filed nothing yet two recent reports from a round in their neighbourhood,
    made through the reporting point's own service (observations: the street, common areas, greenery)."""
    from wijkpunt.reports import services as report_services
    from wijkpunt.reports.demo import demo_observations
    from wijkpunt.reports.models import Category

    observations = demo_observations()
    units = list(Unit.objects.filter(corporation_id=programme.corporation_id, neighbourhood=programme.neighbourhood)
                 .order_by("pk")[:40])
    if not observations or not units:
        return 0
    categories = {c.slug: c for c in Category.objects.filter(parent__isnull=False)}
    made = 0
    for n, volunteer in enumerate(volunteers):
        if Report.objects.filter(reporter_user=volunteer.user).exists():
            continue
        for k in range(2):
            text, sub, urgency = observations[(3 * n + k) % len(observations)]
            unit = units[(7 * n + 3 * k) % len(units)]
            report_services.report_create(
                description=text, channel=Channel.VOLUNTEER, location_kind=Report.LocationKind.ADDRESS, unit=unit,
                category=categories.get(sub), urgency=urgency, reporter_user=volunteer.user,
                reporter_name=volunteer.user.get_full_name(), reporter_email=volunteer.user.email,
                suggestion={}, at=_at(today - dt.timedelta(days=4 + 9 * k + n), 19))
            made += 1
    return made


def _train(programme: Programme, volunteers: list[Volunteer], today: dt.date) -> tuple[int, int]:
    track = training.track_ensure(programme)
    workshops = list(track.workshops.order_by("number"))
    first = today - dt.timedelta(days=105)
    for i, workshop in enumerate(workshops):
        training.workshop_update(workshop=workshop, title=workshop.title,
                                 starts_at=_at(first + dt.timedelta(days=14 * i), 19, 30), location=LOCATION)
    present = set()
    for volunteer in volunteers:
        for workshop in workshops[: ATTENDED.get(volunteer.user.username, 3)]:
            present.add((workshop.pk, volunteer.pk))
    training.attendance_save(track=track, actor=programme.coordinator, present=present)
    complete = sum(training.progress_for(v).complete for v in volunteers)
    return len(workshops), complete


def _meetings(programme: Programme, volunteers: list[Volunteer], staff: User | None, today: dt.date) -> int:
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    held = meetings.meeting_create(programme=programme, actor=staff, month=last_month,
                                   starts_at=_at(this_month + dt.timedelta(days=2), 19, 30), location=LOCATION)
    if held.starts_at.date() > today:  # early in the month: the held one was a week ago
        held.starts_at = _at(today - dt.timedelta(days=7), 19, 30)
        held.save(update_fields=["starts_at"])
    meetings.meeting_save_attendance(meeting=held, volunteer_ids=[v.pk for v in volunteers[:5]])
    meetings.action_add(meeting=held, actor=staff, text="Wijkagent uitnodigen voor het volgende overleg", owner=staff,
                        due_date=today + dt.timedelta(days=14))
    done = meetings.action_add(meeting=held, actor=staff, text="Lampen in de portieken Merelstraat nalopen",
                               owner=volunteers[0].user if volunteers else None, due_date=today - dt.timedelta(days=2))
    meetings.action_set_done(action=done, done=True)
    meetings.action_add(meeting=held, actor=staff, text="Folder Groenteam maken", owner=None, due_date=None)
    meetings.meeting_save_notes(meeting=held, held=True, notes=(
        "Alle meldingen van vorige maand doorgelopen. De verlichting in de portieken is grotendeels opgelost; "
        "de overlast op het plein blijft een punt (jongerenwerk is ingeschakeld). Volgende keer: het Groenteam "
        "en de rondes in de zomer."))
    meetings.meeting_create(programme=programme, actor=staff, month=this_month,
                            starts_at=_at((this_month + dt.timedelta(days=40)).replace(day=1) + dt.timedelta(days=2),
                                          19, 30), location=LOCATION)
    return 2


def seed_volunteers_demo(corporation: Organisation, *, today: dt.date | None = None, password: str) -> dict[str, int]:
    """Create the demo programmes. Returns counts for the seed summary."""
    today = today or timezone.localdate()
    empty = {"programmes": 0, "candidates": 0, "volunteers": 0, "workshops": 0, "certificates": 0, "meetings": 0,
             "thanks": 0, "reports_made": 0}
    if Programme.objects.filter(corporation=corporation).exists():
        return empty
    places = _busiest_neighbourhoods(corporation)
    if not places:
        return empty
    staff = User.objects.filter(username=COORDINATOR).first()
    if staff is not None and not has_org_perm(staff, services.MANAGE, corporation.pk):
        staff = None
    main = services.programme_create(corporation=corporation, neighbourhood=places[0], coordinator=staff,
                                     name=f"Bewonerskrachten {places[0].name}", target_size=6,
                                     started_on=today - dt.timedelta(days=150), actor=staff)
    volunteers = _recruit(main, CANDIDATES, corporation=corporation, password=password, staff=staff, today=today)
    moved = _ensure_reports(main, volunteers, today)
    workshops, complete = _train(main, volunteers, today)
    meeting_count = _meetings(main, volunteers, staff, today)
    thanks = 0
    for volunteer, text, days in (
        (volunteers[0], "Henk, dank voor je melding over de kapotte portiekverlichting: binnen een week opgelost "
                        "dankzij jouw foto's!", 20),
        (volunteers[1], "Gülsen, wat fijn dat je de nieuwe buren op de Lijsterlaan wegwijs hebt gemaakt.", 9),
        (volunteers[0], "Gefeliciteerd met je certificaat Bewonerskracht!", 3),
    ) if len(volunteers) >= 2 else ():
        Thanks.objects.create(volunteer=volunteer, text=text, sent_by=staff, sent_at=_at(today - dt.timedelta(days=days), 10))
        thanks += 1
    candidates = len(CANDIDATES)
    programmes = 1
    if len(places) > 1:
        second = services.programme_create(corporation=corporation, neighbourhood=places[1], coordinator=staff,
                                           name=f"Bewonerskrachten {places[1].name}", target_size=4,
                                           started_on=today - dt.timedelta(days=20), actor=staff)
        _recruit(second, SECOND, corporation=corporation, password=password, staff=staff, today=today)
        candidates += len(SECOND)
        programmes += 1
    return {"programmes": programmes, "candidates": candidates, "volunteers": len(volunteers), "workshops": workshops,
            "certificates": complete, "meetings": meeting_count, "thanks": thanks, "reports_made": moved}
