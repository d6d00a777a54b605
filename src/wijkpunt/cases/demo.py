"""Demo cases in the triangle corporation – municipality – care provider, made through the real
services so that every event, consent and e-mail is as it would be. Called by ``seed_demo`` after
the reports, network and arrears demo; idempotent (does nothing when demo cases exist).

Logins it adds: ``zorg`` (Zorgprofessional at Stichting Wending), ``schuldhulp`` (Schuldhulpverlener
at Schuldhulpverlening Kromme Rijn) and ``privacy`` (the corporation's privacy officer)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from wijkpunt.arrears.models import ArrearsEpisode
from wijkpunt.core.models import Membership, Organisation, User
from wijkpunt.core.roles import role_label
from wijkpunt.housing.demo import DemoLogin
from wijkpunt.housing.models import Complex, Tenancy

from . import participation, services, work
from .models import Case

DEMO_MARK = "[demo]"
USERS = (
    # username, first, last, role, organisation slug, phone, what they can do
    ("zorg", "Esther", "Brouwer", "zorgprofessional", "wending", "+31612340011",
     "casussen waarvoor Wending is uitgenodigd: accepteren/weigeren; zorg-informatie alleen met toestemming"),
    ("schuldhulp", "Mehmet", "Yildiz", "schuldhulpverlener", "schuldhulp-kromme-rijn", "+31612340012",
     "casussen waarvoor de schuldhulp is uitgenodigd; schulden en huurachterstand alleen met toestemming"),
    ("privacy", "Joost", "Verbeek", "privacy-officer", None, "",
     "privacy officer: inzageverzoeken, bewaartermijnen en bewaarplicht (/werk/privacy/)"),
)


def _users(corporation: Organisation, password: str) -> tuple[dict[str, User], list[DemoLogin]]:
    users, logins = {}, []
    for username, first, last, role, org_slug, phone, can_do in USERS:
        org = corporation if org_slug is None else Organisation.objects.filter(slug=org_slug).first()
        if org is None:
            continue
        user, _ = User.objects.get_or_create(username=username, defaults={
            "first_name": first, "last_name": last, "email": f"{username}@example.nl", "phone": phone,
            "password": make_password(password)})
        Membership.objects.get_or_create(user=user, organisation=org, role=Group.objects.get(name=role))
        users[username] = user
        logins.append(DemoLogin(username=username, role=role, role_label=role_label(role), organisation=org.name,
                                can_do=can_do))
    return users, logins


def _zeist_tenancies(corporation):
    return (Tenancy.objects.filter(unit__corporation=corporation, end_date__isnull=True,
                                   unit__neighbourhood__municipality__code="GM0355")
            .select_related("unit", "household").order_by("pk"))


def seed_cases_demo(corporation: Organisation, *, password: str, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    users, logins = _users(corporation, password)
    if Case.objects.filter(organisation=corporation, summary__startswith=DEMO_MARK).exists():
        return {"cases": 0, "logins": logins}
    get = User.objects.filter
    lead = get(username="wijkconsulent").first()
    regisseur = get(username="regisseur").first()
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=[
        "wending", "wijkteam-zeist", "schuldhulp-kromme-rijn", "politie-zeist-de-bilt", "buurtbemiddeling-zeist"])}
    if lead is None or regisseur is None or len(orgs) < 5:
        return {"cases": 0, "logins": logins}
    wijkteam_user = get(username="wijkteam").first()
    in_debt = set(ArrearsEpisode.objects.filter(corporation=corporation, status="open")
                  .values_list("tenancy_id", flat=True))
    tenancies = list(_zeist_tenancies(corporation)[:400])
    debt_home = next(t for t in tenancies if t.pk in in_debt)
    homes = [t for t in tenancies if t.pk not in in_debt and not t.household.cases.exists()]
    # a small demo seeded on the first of a month has many households in arrears and few homes left
    picks = (3, 11, 19) if len(homes) > 19 else (0, 1, 2)
    if len(homes) < 3:
        return {"cases": 0, "logins": logins}
    care_home, emergency_home, closed_home = (homes[i] for i in picks)
    made = []

    def accept(case, slug, role, request, user):
        participant = participation.invite_participant(case, regisseur, organisation=orgs[slug], role=role,
                                                       request=request)
        if user is not None:
            participation.answer_invitation(participant, user, accept=True)
        return participant

    def consent(case, slug, categories, purpose, *, days_ago=7, until_days=180, witness="Fatima Ouali"):
        return participation.record_consent(
            case, regisseur, organisation=orgs[slug], categories=categories, purpose=purpose,
            given_by=f"{case.household.initials or 'de'} {case.household.surname or case.household.name} (huurder)",
            method="mondeling", witness=witness, valid_from=today - dt.timedelta(days=days_ago),
            valid_until=today + dt.timedelta(days=until_days))

    # 1. Multiple problems: care provider and wijkteam, with consent; on the steering group's agenda.
    case = services.open_case_manual(
        organisation_id=corporation.pk, opened_by=regisseur, title=f"Zorgen om {care_home.household.name}",
        case_type="SOC", case_type_detail="VUI", household=care_home.household, assigned_to=lead,
        summary=f"{DEMO_MARK} Buren melden stank en vervuiling; bewoner laat niemand binnen. Huisbezoek "
                "afgesproken met wijkconsulent.")
    services.update_details(case, regisseur, allowed_categories=frozenset({"situatie", "zorg", "schulden"}),
                            care_details="Eerder in behandeling bij de GGZ, nu geen begeleiding. Bewoner geeft aan "
                                         "somber te zijn.")
    accept(case, "wending", "ADV", "Kunt u samen met ons een huisbezoek afleggen en begeleiding bespreken?",
           users.get("zorg"))
    accept(case, "wijkteam-zeist", "BEH", "Kunt u de ondersteuning vanuit de gemeente coördineren?", wijkteam_user)
    consent(case, "wending", ["persoon", "situatie", "zorg"], "Begeleiding bij wonen en gezondheid regelen")
    consent(case, "wijkteam-zeist", ["persoon", "situatie"], "Ondersteuning vanuit de Wmo afstemmen")
    services.add_note(case, lead, text="Huisbezoek samen met Wending: bewoner staat open voor hulp bij opruimen.",
                      visibility="deelnemers")
    services.add_note(case, lead, text="Intern: herstelwerkzaamheden keuken uitstellen tot na de schoonmaak.")
    if users.get("zorg"):
        services.add_note(case, users["zorg"], organisation_id=orgs["wending"].pk, category="zorg",
                          visibility="deelnemers", text="Intake gedaan; begeleiding 2x per week vanaf volgende maand.")
    work.add_action(case, lead, title="Schoonmaak en ontruiming plannen", owner_organisation=corporation,
                    owner=lead, due_date=today + dt.timedelta(days=14))
    work.add_action(case, lead, title="Begeleiding starten", owner_organisation=orgs["wending"],
                    due_date=today + dt.timedelta(days=21))
    work.flag_for_steering(case, regisseur, flag=True,
                           question="Wie neemt de regie als de bewoner de begeleiding afhoudt?")
    made.append(case)

    # 2. Rent arrears with debt help: linked episode, consent for debts.
    case = services.open_case_manual(
        organisation_id=corporation.pk, opened_by=regisseur, title=f"Schulden {debt_home.household.name}",
        case_type="FIN", case_type_detail="HUA", household=debt_home.household, assigned_to=lead,
        summary=f"{DEMO_MARK} Oplopende huurachterstand; huurder wil hulp maar weet niet waar te beginnen.")
    services.update_details(case, regisseur, allowed_categories=frozenset({"situatie", "zorg", "schulden"}),
                            debt_details="Naast de huur achterstand bij zorgverzekeraar en energieleverancier. "
                                         "Inkomen uit loon, wisselende uren.")
    accept(case, "schuldhulp-kromme-rijn", "BEH", "Kunt u een intakegesprek schuldhulp plannen?",
           users.get("schuldhulp"))
    consent(case, "schuldhulp-kromme-rijn", ["persoon", "situatie", "schulden"],
            "Schuldhulpverlening en een betalingsregeling voor de huur")
    # The wijkteam takes part but the tenant did not consent to sharing with it: it sees only who to call.
    accept(case, "wijkteam-zeist", "OVE", "Ter informatie: mogelijk later inzet wijkteam.", wijkteam_user)
    work.add_action(case, lead, title="Intake schuldhulp", owner_organisation=orgs["schuldhulp-kromme-rijn"],
                    due_date=today + dt.timedelta(days=10))
    work.flag_for_steering(case, regisseur, flag=True, question="Huurachterstand bevriezen tijdens het schuldhulptraject?")
    made.append(case)

    # 3. Nuisance around a complex: police and mediation invited (no answer yet).
    complex_ = Complex.objects.filter(corporation=corporation, neighbourhood__municipality__code="GM0355").order_by(
        "pk").first()
    if complex_ is not None:
        case = services.open_case_manual(
            organisation_id=corporation.pk, opened_by=regisseur, title=f"Overlast rond {complex_.name}",
            case_type="OMG", case_type_detail="HAN", complex=complex_, assigned_to=lead,
            summary=f"{DEMO_MARK} Jongeren in de portiek 's avonds, geluidsoverlast en vernielingen aan de "
                    "brievenbussen.")
        accept(case, "politie-zeist-de-bilt", "ADV", "Kunt u extra surveilleren in de avonduren?", None)
        accept(case, "buurtbemiddeling-zeist", "ADV", "Kunt u een buurtgesprek organiseren?", None)
        made.append(case)

    # 4. Acute danger: shared without consent with the care provider, reasoned and time-limited.
    case = services.open_case_manual(
        organisation_id=corporation.pk, opened_by=regisseur, title=f"Zorgmelding {emergency_home.household.name}",
        case_type="SOC", case_type_detail="PSY", household=emergency_home.household, assigned_to=lead,
        summary=f"{DEMO_MARK} Buurvrouw belde: bewoner al dagen niet gezien, post stapelt zich op.")
    accept(case, "wending", "ADV", "Kunt u vandaag met ons langsgaan?", users.get("zorg"))
    participation.disclose_in_emergency(
        case, regisseur, organisation=orgs["wending"], categories=["persoon", "situatie"], ground="vitaal_belang",
        reasoning="Bewoner reageert niet, mogelijk onwel; toestemming vragen is niet mogelijk en er is acuut gevaar "
                  "voor de gezondheid.", days=3)
    made.append(case)

    # 5. A closed case (retention runs from its closing date).
    case = services.open_case_manual(
        organisation_id=corporation.pk, opened_by=regisseur, title=f"Burenruzie {closed_home.household.name}",
        case_type="SOC", case_type_detail="RUZ", household=closed_home.household, assigned_to=lead,
        summary=f"{DEMO_MARK} Ruzie over geluid met de bovenburen.")
    services.close_case(case, lead, text="Buurtbemiddeling heeft een afspraak tussen beide buren gemaakt.")
    Case.objects.filter(pk=case.pk).update(closed_on=today - dt.timedelta(days=120))
    made.append(case)
    return {"cases": len(made), "logins": logins}
