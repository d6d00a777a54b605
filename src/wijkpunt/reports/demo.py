"""Demo reports: a realistic few months of reports, each taken through the real services so the
timeline, deadlines and outbox look exactly as in production. Deterministic by seed."""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from wijkpunt.core.models import Organisation, User
from wijkpunt.core.permissions import has_org_perm
from wijkpunt.housing.models import Complex, Unit

from . import services
from .models import Category, Channel, Report, Status

DATASET = Path(settings.BASE_DIR) / "data" / "classifier" / "meldingen.csv"
PUBLIC_NOTES = {
    "reparatie": "Een monteur is langs geweest en heeft het verholpen.",
    "veiligheid": "De situatie is gecontroleerd en weer veilig gemaakt.",
    "overlast": "Wij hebben met de betrokken bewoners gesproken en maken afspraken.",
    "woonomgeving": "Het is opgeruimd door de buurtbeheerder.",
    "zorgsignaal": "De wijkconsulent heeft contact gehad en samen met het wijkteam hulp geregeld.",
    "huisregels": "Wij hebben de bewoners aangesproken op de huisregels.",
}


def _texts() -> list[tuple[str, str, str]]:
    with DATASET.open(encoding="utf-8") as fh:
        return [(r["text"], r["subcategory"], r["urgency"]) for r in csv.DictReader(fh)]


# A volunteer reports what they see on a round: the street, common areas, greenery, lighting, a neighbour
# nobody has seen for days — never a tenant's own first-person complaint about their home.
VOLUNTEER_SUBCATEGORIES = {
    "zwerfvuil-grofvuil", "losse-bouwdelen", "groen-onkruid", "verlichting", "spullen-gemeenschappelijk",
    "graffiti", "wrakken", "afval", "jongeren", "inbraak-vandalisme", "lift", "eenzaamheid",
}
_FIRST_PERSON = re.compile(r"\b(mijn|ik|wij|we|onze|ons|me|mij)\b", re.IGNORECASE)


def is_observation(text: str) -> bool:
    """Reads as something seen in the neighbourhood rather than a complaint about one's own home."""
    return not _FIRST_PERSON.search(text)


def _observations(texts: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return [t for t in texts if t[1] in VOLUNTEER_SUBCATEGORIES and is_observation(t[0])]


def demo_observations() -> list[tuple[str, str, str]]:
    """(text, subcategory, urgency) of the demo data set that a volunteer could report from a round."""
    return _observations(_texts())


def seed_reports(*, corporation: Organisation, count: int = 400, seed: int = 2026, days: int = 90) -> int:
    """Create ``count`` reports spread over the last ``days`` days. Returns the number created."""
    if Report.objects.filter(organisation=corporation).exists():
        return 0
    rng = random.Random(seed)
    texts = _texts()
    observations = _observations(texts)
    units = list(Unit.objects.filter(corporation=corporation).select_related("neighbourhood", "complex")
                 .order_by("pk")[:3000])
    complexes = list(Complex.objects.filter(corporation=corporation).order_by("pk"))
    staff = [u for u in User.objects.filter(memberships__organisation=corporation).distinct().order_by("pk")
             if has_org_perm(u, "reports.triage_report", corporation.pk)]
    volunteers = [u for u in User.objects.filter(memberships__organisation=corporation).distinct().order_by("pk")
                  if has_org_perm(u, "reports.file_volunteer_report", corporation.pk)
                  and not has_org_perm(u, "reports.triage_report", corporation.pk)]
    partners = list(Organisation.objects.exclude(kind=Organisation.Kind.CORPORATION)
                    .exclude(kind=Organisation.Kind.MUNICIPALITY).order_by("pk"))
    categories = {c.slug: c for c in Category.objects.filter(parent__isnull=False)}
    now = timezone.now()
    created = 0
    for i in range(count):
        text, sub, urgency = rng.choice(texts)
        at = now - dt.timedelta(days=rng.random() * days, minutes=rng.randint(0, 600))
        kind = rng.choices(["adres", "complex", "kaart"], weights=[75, 15, 10])[0]
        unit = rng.choice(units)
        channel = rng.choices([Channel.WEB, Channel.PHONE, Channel.VOLUNTEER, Channel.APP], weights=[55, 25, 15, 5])[0]
        reporter_user = rng.choice(volunteers) if channel == Channel.VOLUNTEER and volunteers else None
        if channel == Channel.VOLUNTEER and observations:  # (no extra draw: the rest of the demo stays the same)
            text, sub, urgency = observations[i % len(observations)]
        if channel == Channel.PHONE and staff:
            reporter_user = rng.choice(staff)
        name = rng.choice(["", "M. Jansen", "A. El Amrani", "F. de Groot", "S. Yilmaz", "R. Pinas", "K. Nowak"])
        report, _ = services.report_create(
            description=text, channel=channel, location_kind=kind,
            unit=unit if kind == "adres" else None,
            complex=(unit.complex or rng.choice(complexes)) if kind == "complex" else None,
            latitude=unit.latitude if kind == "kaart" else None, longitude=unit.longitude if kind == "kaart" else None,
            location_text="bij de speeltuin" if kind == "kaart" else "",
            category=categories.get(sub) if rng.random() < 0.85 else None, urgency=urgency,
            reporter_name=name, reporter_email=f"melder{i}@example.nl" if rng.random() < 0.4 else "",
            reporter_phone=f"+3161234{rng.randint(0, 9999):04d}" if rng.random() < 0.3 else "",
            contact_consent=rng.random() < 0.5, reporter_user=reporter_user,
            suggestion={}, at=at,
        )
        created += 1
        _advance(report, rng=rng, staff=staff, partners=partners, at=at, now=now)
    return created


def _advance(report: Report, *, rng, staff, partners, at, now) -> None:
    """Take a report some way through its life, as staff would have done."""
    if not staff:
        return
    age = now - at
    step = lambda hours: min(at + dt.timedelta(hours=hours), now)  # noqa: E731
    roll = rng.random()
    if age < dt.timedelta(hours=6) or roll < 0.15:
        return  # still new
    handler = rng.choice(staff)
    services.report_assign(report=report, actor=handler, assignee=handler, at=step(rng.uniform(0.5, 20)))
    if roll < 0.35:
        return  # in progress
    main = report.main_category.slug if report.main_category else "reparatie"
    if roll < 0.5 and partners:
        partner = rng.choice(partners)
        services.report_forward(report=report, actor=handler, partner=partner, note="Graag oppakken.",
                                at=step(rng.uniform(20, 40)))
        if roll < 0.42:
            return
    if roll < 0.93:
        services.report_transition(report=report, actor=handler, to_status=Status.RESOLVED,
                                   note=PUBLIC_NOTES.get(main, "Afgehandeld."), public=True,
                                   at=step(rng.uniform(40, 200)))
        if rng.random() < 0.5:
            report.refresh_from_db()
            services.report_feedback(report=report, satisfied=rng.random() < 0.8, at=step(rng.uniform(200, 260)))
    else:
        services.report_transition(report=report, actor=handler, to_status=Status.CANCELLED,
                                   note="Dubbel gemeld of niet voor de corporatie.", at=step(rng.uniform(2, 30)))
