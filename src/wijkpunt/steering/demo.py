"""Demo data for the steering group: one group for the demo corporation's area, a held meeting
with published minutes and a decided item, and a planned meeting with an agenda.

The agenda comes from the cases the cases demo flagged "agenderen voor regiegroep" (open, with a
neighbourhood in the area), so call :func:`seed_steering` after the cases demo. Idempotent: does
nothing when the group already exists."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from wijkpunt.core.models import Organisation, User
from wijkpunt.network.selectors import neighbourhoods_of

from . import services
from .models import AgendaItem, Meeting, SteeringGroup

GROUP_NAME = "Regiegroep Zeist"
MEMBER_SLUGS = ("gemeente-zeist", "wijkteam-zeist", "wending")  # municipality, wijkteam, care provider
CHAIR_USERNAME = "regisseur"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def seed_steering(corporation: Organisation, *, today: dt.date | None = None,
                  municipality_code: str = "GM0355") -> dict[str, int]:
    """Create the demo steering group and two meetings. Returns counts for the seed summary."""
    today = today or timezone.localdate()
    if SteeringGroup.objects.filter(organisation=corporation, name=GROUP_NAME).exists():
        return {"groups": 0, "meetings": 0, "decided": 0, "planned_items": 0}
    area = list(neighbourhoods_of([corporation.pk]).filter(municipality__code=municipality_code))
    members = list(Organisation.objects.filter(slug__in=MEMBER_SLUGS, is_active=True))
    group = services.steering_group_create(organisation=corporation, name=GROUP_NAME, neighbourhoods=area,
                                           member_organisations=members)
    chair = User.objects.filter(username=CHAIR_USERNAME).first()
    flagged = list(services.flagged_cases(group))
    decided = 0
    if flagged:
        # Four weeks ago: the first flagged case was discussed and decided; the minutes are published.
        held = Meeting.objects.create(group=group, date=_at(today - dt.timedelta(days=28), 14),
                                      location="Gemeentehuis Zeist, zaal 2", created_by=chair)
        case = flagged[0]
        item = AgendaItem.objects.create(meeting=held, case=case, order=1, question=case.steering_question)
        owner_org = next((m for m in members if m.slug == "wijkteam-zeist"), corporation)
        services.agenda_item_decide(
            item=item, actor=chair,
            decision="Wijkteam neemt contact op met het huishouden en komt met een plan van aanpak; "
                     "de corporatie houdt de huurbetaling in de gaten.",
            actions=[
                services.ActionInput(title="Huisbezoek en plan van aanpak", owner_organisation_id=owner_org.pk,
                                     due_date=today + dt.timedelta(days=7)),
                services.ActionInput(title="Terugkoppeling in het volgende overleg",
                                     owner_organisation_id=corporation.pk, owner_id=chair.pk if chair else None,
                                     due_date=today + dt.timedelta(days=14)),
            ],
        )
        decided = 1
        services.meeting_save_minutes(
            meeting=held,
            minutes="Aanwezig: corporatie, gemeente, wijkteam en zorgaanbieder.\n"
                    "Afgesproken: het volgende overleg over vier weken; nieuwe casussen uiterlijk een week "
                    "vooraf aanmerken.",
        )
        services.meeting_publish_minutes(meeting=held, actor=chair)
    # In two weeks: the agenda is everything still flagged in the area.
    planned = services.meeting_create(group=group, actor=chair, date=_at(today + dt.timedelta(days=14), 14),
                                      location="Gemeentehuis Zeist, zaal 2")
    return {"groups": 1, "meetings": 1 + (1 if flagged else 0), "decided": decided,
            "planned_items": planned.items.count()}
