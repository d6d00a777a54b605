"""Access requests (AVG art. 15): finding the household, the export of everything held and who saw it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from wijkpunt.arrears.models import EpisodeStep, LedgerLine, MunicipalityAgreement, PaymentArrangement, Signal
from wijkpunt.cases.models import (
    Case,
    CaseAction,
    CaseDocument,
    CaseEvent,
    CaseNote,
    CaseParticipant,
    Consent,
    EmergencyDisclosure,
)
from wijkpunt.cases.tests.factories import build_world, days_ago, make_episode, make_report, make_user
from wijkpunt.core.access import log_access
from wijkpunt.core.models import AccessLog
from wijkpunt.privacy import selectors
from wijkpunt.reports.models import Report


@pytest.fixture
def w(db):
    world = build_world()
    world.officer = make_user("fg", world.corp, "privacy-officer", last_name="Functionaris")
    household = world.jansen.household
    household.contact_email, household.contact_phone = "jansen@example.nl", "0612345678"
    household.initials, household.surname, household.birth_date = "J.", "Jansen", dt.date(1970, 5, 4)
    household.save()
    return world


def fill_file(w):
    """One of everything about the Jansen household (and a neighbour's report about them)."""
    t = w.jansen
    own = make_report(t, "lekkage")
    Report.objects.filter(pk=own.pk).update(reporter_name="Jan Jansen", reporter_email="JANSEN@example.nl",
                                            description="Lekkage in de badkamer")
    neighbour = make_report(t, "geluid")
    Report.objects.filter(pk=neighbour.pk).update(reporter_name="Buurman Piet", reporter_email="piet@example.nl",
                                                  reporter_phone="+31687654321", description="Harde muziek")
    before = make_report(t, "graffiti", at=timezone.make_aware(dt.datetime(2019, 6, 1, 12)))  # before the tenancy
    make_report(w.bakker, "lekkage")  # another address

    case = Case.objects.create(
        organisation=w.corp, household=t.household, unit=t.unit, title="Familie Jansen — Merelstraat 12",
        reasons=["Huurachterstand € 900"], summary="Situatie thuis", care_details="Diabetes, valt vaak",
        debt_details="Schuld energie € 1.200", assigned_to=w.consultant,
    )
    CaseNote.objects.create(case=case, author=w.consultant, organisation=w.corp, text="Huisbezoek gedaan")
    CaseParticipant.objects.create(case=case, organisation=w.wijkteam, request="Graag langsgaan",
                                   invited_by=w.regisseur)
    document = CaseDocument(case=case, title="Toestemmingsformulier", content_type="application/pdf", size=9,
                            is_consent_form=True, organisation=w.corp, uploaded_by=w.consultant)
    document.file.save("toestemming.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    Consent.objects.create(case=case, organisation=w.wijkteam, categories=["persoon", "zorg"], purpose="Hulp thuis",
                           given_by="J. Jansen", method=Consent.Method.SIGNED_FORM, form_document=document,
                           valid_from=timezone.localdate(), recorded_by=w.consultant)
    EmergencyDisclosure.objects.create(case=case, organisation=w.wijkteam, categories=["zorg"],
                                       ground=EmergencyDisclosure.Ground.VITAL_INTEREST, reasoning="Acuut gevaar",
                                       valid_until=timezone.now(), decided_by=w.regisseur)
    CaseAction.objects.create(case=case, title="Schuldhulp inschakelen", owner_organisation=w.corp, owner=w.consultant)
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.OPENED, text="Casus geopend.", organisation=w.corp,
                             actor=w.regisseur)
    case.reports.add(own)

    episode = make_episode(t)
    EpisodeStep.objects.create(episode=episode, kind="reminder_letter", occurred_on=timezone.localdate(),
                               note="Herinnering verstuurd", created_by=w.incasso)
    agreement = MunicipalityAgreement.objects.create(corporation=w.corp, municipality=w.zeist,
                                                     valid_from=dt.date(2020, 1, 1))
    Signal.objects.create(episode=episode, agreement=agreement, municipality=w.zeist, amount_cents=123456,
                          arose_on=episode.arose_on, signal_date=timezone.localdate(), client={"naam": "J. Jansen"})
    PaymentArrangement.objects.create(episode=episode, agreed_on=timezone.localdate(), total_cents=123456)
    for n, (kind, cents) in enumerate([("VOR", 60000), ("VOR", 60000), ("ONT", -60000)]):
        LedgerLine.objects.create(corporation=w.corp, tenancy=t, transaction_id=f"TX{n}", kind=kind,
                                  booked_on=dt.date(2025, 1 + n, 1), effective_on=dt.date(2025, 1 + n, 1),
                                  amount_cents=cents)
    log_access(w.consultant, w.corp.pk, subject="case", subject_id=case.pk, household_id=t.household_id,
               purpose="Casuspagina", role="Wijkconsulent")
    log_access(w.partner, w.wijkteam.pk, subject="case", subject_id=case.pk, household_id=t.household_id,
               purpose="Casuspagina", role="Medewerker partnerorganisatie — Adviseur")
    log_access(w.consultant, w.corp.pk, subject="case", household_id=w.bakker.household_id, purpose="Ander")
    return {"case": case, "own": own, "neighbour": neighbour, "before": before, "episode": episode}


def export_url(household_id, **params):
    url = reverse("privacy:access_request_export", args=[household_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


# --------------------------------------------------------------------------- search


def test_find_by_contract_number_and_by_address(client, w):
    client.force_login(w.officer)
    url = reverse("privacy:access_request")
    assert client.get(url).status_code == 200
    response = client.get(url, {"contract_number": w.jansen.contract_number.lower()})
    assert response.status_code == 200
    assert [r["household"] for r in response.context["results"]] == [w.jansen.household]
    response = client.get(url, {"postcode": "3701 ab", "house_number": "14"})
    assert [r["household"] for r in response.context["results"]] == [w.bakker.household]
    assert export_url(w.bakker.household_id) in response.content.decode()
    # Another corporation's household is not found.
    response = client.get(url, {"contract_number": w.elders.contract_number})
    assert response.status_code == 200 and response.context["results"] == []
    assert "Geen huishouden gevonden" in response.content.decode()


@pytest.mark.parametrize("params, field, message", [
    ({"contract_number": "", "postcode": ""}, "contract_number", "Vul een contractnummer in, of een postcode"),
    ({"postcode": "12345", "house_number": "3"}, "postcode", "Vul een geldige postcode in"),
    ({"postcode": "3701AB"}, "house_number", "Vul ook het huisnummer in"),
    ({"house_number": "12"}, "postcode", "Vul ook de postcode in"),
    ({"postcode": "3701AB", "house_number": "twaalf"}, "house_number", "Vul een huisnummer in"),
])
def test_bad_search_input(client, w, params, field, message):
    client.force_login(w.officer)
    response = client.get(reverse("privacy:access_request"), params)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert response.context["results"] is None


# --------------------------------------------------------------------------- the export


def test_export_contains_every_kind_of_data(client, w):
    made = fill_file(w)
    client.force_login(w.officer)
    response = client.get(export_url(w.jansen.household_id, formaat="json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"] and response["Cache-Control"] == "no-store"
    data = json.loads(response.content)

    assert data["controller"] == "Woonstichting Lindehof"
    assert data["household"]["name"] == "Familie Jansen"
    assert data["household"]["contract_holder"] == {"initials": "J.", "surname_prefix": "", "surname": "Jansen",
                                                    "birth_date": "1970-05-04"}
    assert data["household"]["contact_email"] == "jansen@example.nl"
    [tenancy] = data["tenancies"]
    assert tenancy["contract_number"] == w.jansen.contract_number
    assert tenancy["address"]["street"] == "Merelstraat" and tenancy["address"]["postcode"] == "3701 AB"

    reports = {r["reference"]: r for r in data["reports"]}
    assert set(reports) == {made["own"].reference, made["neighbour"].reference}  # not before the tenancy, not Bakker
    own, neighbour = reports[made["own"].reference], reports[made["neighbour"].reference]
    assert own["reported_by_household"] and own["reporter"]["name"] == "Jan Jansen"
    assert not neighbour["reported_by_household"] and neighbour["reporter"] is None and neighbour["reporter_withheld"]
    assert neighbour["description"] == "Harde muziek"
    assert "Buurman Piet" not in response.content.decode() and "piet@example.nl" not in response.content.decode()

    [case] = data["cases"]
    assert case["reference"] == made["case"].reference
    assert case["care_details"] == "Diabetes, valt vaak" and case["debt_details"] == "Schuld energie € 1.200"
    assert case["reasons"] == ["Huurachterstand € 900"] and case["linked_reports"] == [made["own"].reference]
    assert case["notes"][0]["text"] == "Huisbezoek gedaan"
    assert case["participants"][0]["organisation"] == "Wijkteam Noord"
    assert case["consents"][0]["given_by"] == "J. Jansen" and case["consents"][0]["form"] == "Toestemmingsformulier"
    assert case["disclosures"][0]["reasoning"] == "Acuut gevaar"
    assert case["actions"][0]["title"] == "Schuldhulp inschakelen"
    assert case["documents"][0]["title"] == "Toestemmingsformulier"
    assert case["events"][0]["text"] == "Casus geopend."

    [episode] = data["arrears"]["episodes"]
    assert episode["amount"] == "1234.56" and episode["steps"][0]["note"] == "Herinnering verstuurd"
    assert episode["signals"][0]["municipality"] == "Zeist" and episode["signals"][0]["amount"] == "1234.56"
    assert episode["arrangements"][0]["total"] == "1234.56"
    ledger = {row["kind"]: row for row in data["arrears"]["ledger"]}
    assert ledger["Vordering"]["lines"] == 2 and ledger["Vordering"]["total"] == "1200.00"
    assert ledger["Ontvangst"]["total"] == "-600.00"

    log = data["access_log"]
    roles = [(row["organisation"], row["role"]) for row in log]
    assert ("Woonstichting Lindehof", "Wijkconsulent") in roles
    assert ("Wijkteam Noord", "Medewerker partnerorganisatie — Adviseur") in roles
    assert all("at" in row and "purpose" in row and "subject" in row for row in log)
    assert not any(row["purpose"] == "Ander" for row in log)  # another household's row
    # The resident's copy names no employees.
    assert not data["staff_names_included"]
    assert "user" not in log[0] and "by" not in case["notes"][0]
    for name in ("Anna", "de Vries", "Regisseur", "Incasso", "Functionaris"):
        assert name not in response.content.decode()


def test_export_is_logged(client, w):
    fill_file(w)
    client.force_login(w.officer)
    client.get(export_url(w.jansen.household_id, formaat="json"))
    row = AccessLog.objects.get(subject="inzageverzoek")
    assert (row.user, row.organisation, row.household_id, row.subject_id) == (
        w.officer, w.corp, w.jansen.household_id, w.jansen.household_id)
    assert row.role == "Privacy officer / FG" and "JSON" in row.purpose
    client.get(export_url(w.jansen.household_id))
    assert AccessLog.objects.filter(subject="inzageverzoek").count() == 2
    # the export shows every case's care and debt details: logged as reads of them, with the role
    cases = set(Case.objects.filter(household=w.jansen.household).values_list("pk", flat=True))
    for subject in ("case.care", "case.debt"):
        rows = AccessLog.objects.filter(subject=subject, user=w.officer)
        assert set(rows.values_list("subject_id", flat=True)) == cases and cases
        assert set(rows.values_list("role", flat=True)) == {"Privacy officer / FG"}


def test_resident_copy_names_no_new_lead(client, w):
    from wijkpunt.cases import services as case_services

    fill_file(w)
    case = Case.objects.filter(household=w.jansen.household).first()
    case_services.set_lead(case, w.regisseur, lead=w.consultant2)
    client.force_login(w.officer)
    data = json.loads(client.get(export_url(w.jansen.household_id, formaat="json")).content)
    texts = [e["text"] for c in data["cases"] for e in c["events"]]
    assert "Casusregisseur gewijzigd." in texts and not any("Cees" in t for t in texts)
    assert all(consent.get("witness") is None for c in data["cases"] for consent in c["consents"])


def test_html_page_for_the_officer_shows_names_the_resident_copy_not(client, w):
    fill_file(w)
    client.force_login(w.officer)
    response = client.get(export_url(w.jansen.household_id))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    for text in ("Diabetes, valt vaak", "Huisbezoek gedaan", "Wijkteam Noord", "Medewerker partnerorganisatie — Adviseur",
                 "Herinnering verstuurd", "Medewerker (alleen FG)", "Anna de Vries"):
        assert text in body, text
    resident = client.get(export_url(w.jansen.household_id, voor="bewoner")).content.decode()
    assert "Diabetes, valt vaak" in resident and "Medewerker partnerorganisatie — Adviseur" in resident
    assert "Anna de Vries" not in resident and "Medewerker (alleen FG)" not in resident


def test_bounded_queries(w, django_assert_max_num_queries):
    fill_file(w)
    # Twice as much data must not mean more queries.
    for _ in range(3):
        fill_more = make_report(w.jansen, "lekkage", at=days_ago(2))
        Case.objects.create(organisation=w.corp, unit=w.jansen.unit, title="Adres", status="closed",
                            closed_on=timezone.localdate(), created_at=days_ago(1)).reports.add(fill_more)
    with django_assert_max_num_queries(30):
        data = selectors.household_export(w.officer, w.jansen.household_id, purpose="test", staff_names=True)
    assert len(data["cases"]) == 4 and len(data["reports"]) == 5


@pytest.mark.parametrize("who", ["partner", "consultant", "regisseur", "incasso", "manager", "admin", "nobody"])
def test_forbidden_without_the_permission(client, w, who):
    fill_file(w)
    client.force_login(w.users[who])
    assert client.get(reverse("privacy:access_request")).status_code == 403
    assert client.get(export_url(w.jansen.household_id)).status_code == 403
    assert client.get(export_url(w.jansen.household_id, formaat="json")).status_code == 403
    assert not AccessLog.objects.filter(subject="inzageverzoek").exists()


def test_another_corporations_household_is_not_found(client, w):
    client.force_login(w.officer)
    assert client.get(export_url(w.elders.household_id)).status_code == 404
    assert client.get(export_url(w.elders.household_id, formaat="json")).status_code == 404
    assert client.get(export_url(999999)).status_code == 404
    assert client.get(export_url(w.jansen.household_id, formaat="xml")).status_code == 404
    assert not AccessLog.objects.filter(subject="inzageverzoek").exists()


def test_officer_without_manage_retention_is_sent_to_access_requests(client, w):
    only_access = make_user("inzage", w.corp, "beheerder")
    client.force_login(only_access)
    assert client.get(reverse("privacy:index")).status_code == 200
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="alleen-inzage")
    group.permissions.add(Permission.objects.get(codename="answer_access_request"))
    from wijkpunt.core.models import Membership

    user = make_user("alleeninzage", None, None)
    Membership.objects.create(user=user, organisation=w.corp, role=group)
    client.force_login(user)
    response = client.get(reverse("privacy:index"))
    assert response.status_code == 302 and response["Location"] == reverse("privacy:access_request")
