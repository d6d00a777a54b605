"""Working together on a case in the pages: open by hand and from a report, invite a partner who
accepts or declines, consent recorded and withdrawn (at once), sharing without consent, notes and
documents per visibility, actions, the lead; and what each side sees (the page matrix)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wijkpunt.core.models import AccessLog, Organisation
from wijkpunt.core.outbox import outbox_flush

from .. import participation, services
from ..models import Case, CaseEvent, CaseNote, CaseParticipant, Consent, EmergencyDisclosure
from .factories import build_world, make_report, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def w(db):
    world = build_world()
    world.zorg = Organisation.objects.create(name="Zorg Zeist", slug="zorg-zeist", kind="zorgaanbieder",
                                             partner_type="zorgaanbieder", email="intake@zorgzeist.example")
    world.nurse = make_user("verpleegkundige", world.zorg, "zorgprofessional")
    world.zorg_desk = make_user("zorgbalie", world.zorg, "partner-medewerker")
    world.debt = Organisation.objects.create(name="Schuldhulp Zeist", slug="shv-zeist", kind="gemeente",
                                             partner_type="schuldhulpverlening")
    world.debt_worker = make_user("schuldhulp", world.debt, "schuldhulpverlener")
    world.consultant.phone = "0612345678"
    world.consultant.save()
    return world


def make_case(w) -> Case:
    case = services.open_case_manual(
        organisation_id=w.corp.pk, opened_by=w.regisseur, title="Zorgen om familie Jansen", case_type="SOC",
        case_type_detail="PSY", household=w.jansen.household, summary="Veel meldingen, vervuiling in huis.",
        assigned_to=w.consultant,
    )
    Case.objects.filter(pk=case.pk).update(care_details="Psychische klachten, geen behandelaar.",
                                           debt_details="Huurachterstand, schulden bij energieleverancier.")
    case.refresh_from_db()
    return case


def page(client, user, case):
    client.force_login(user)
    return client.get(reverse("cases:detail", args=[case.pk]))


def invite_and_accept(w, case, org=None, user=None):
    org, user = org or w.zorg, user or w.nurse
    participant = participation.invite_participant(case, w.regisseur, organisation=org, role="ADV",
                                                   request="Kunt u een intakegesprek plannen?")
    return participation.answer_invitation(participant, user, accept=True)


def consent(w, case, categories, org=None, **extra):
    extra.setdefault("valid_from", timezone.localdate())
    extra.setdefault("valid_until", None)
    return participation.record_consent(case, w.regisseur, organisation=org or w.zorg, categories=categories,
                                        purpose="Zorg en ondersteuning regelen", given_by="Mevrouw Jansen",
                                        method="mondeling", witness="Anna de Vries", **extra)


# --- opening -------------------------------------------------------------------------------------

def test_open_by_hand_around_an_address_lookup(client, w):
    client.force_login(w.regisseur)
    url = reverse("cases:open")
    assert client.get(url).status_code == 200
    data = {"casus-title": "Zorgen om Merelstraat 12", "casus-subject_kind": "household",
            "casus-postcode": "3701 ab", "casus-house_number": "12", "casus-case_type": "SOC",
            "casus-case_type_detail": "PSY", "casus-summary": "Buren maken zich zorgen.",
            "casus-assigned_to": w.consultant.pk}
    response = client.post(url, data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.household == w.jansen.household and case.unit == w.jansen.unit
    assert case.neighbourhood == w.vogelwijk and case.case_type == "SOC" and case.source == "handmatig"
    assert case.events.filter(kind=CaseEvent.Kind.OPENED).exists()
    # A second open case for the same household is refused with the running case's reference.
    response = client.post(url, {**data, "casus-title": "Nog een"})
    assert response.status_code == 400 and case.reference in response.content.decode()
    assert Case.objects.count() == 1


@pytest.mark.parametrize("change, field, message", [
    ({"casus-title": ""}, "title", "Geef de casus een titel."),
    ({"casus-postcode": ""}, "postcode", "Vul de postcode in"),
    ({"casus-house_number": "twaalf"}, "house_number", "Vul een huisnummer in zoals"),
    ({"casus-postcode": "9999ZZ"}, "postcode", "geen woning van uw corporatie"),
    ({"casus-postcode": "3702CD", "casus-house_number": "3"}, "postcode", "geen woning van uw corporatie"),
    ({"casus-case_type": "XXX"}, "case_type", ""),
    ({"casus-case_type_detail": "HUA"}, "case_type_detail", "hoort niet bij het gekozen zaaktype"),
    ({"casus-subject_kind": "complex"}, "complex", "Kies het complex"),
    ({"casus-assigned_to": "999999"}, "assigned_to", "Kies een casusregisseur"),
])
def test_open_by_hand_bad_input(client, w, change, field, message):
    client.force_login(w.regisseur)
    data = {"casus-title": "T", "casus-subject_kind": "household", "casus-postcode": "3701AB",
            "casus-house_number": "12", "casus-case_type": "SOC", "casus-assigned_to": w.consultant.pk, **change}
    response = client.post(reverse("cases:open"), data)
    assert response.status_code == 400 and not Case.objects.exists()
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])


def test_open_from_a_report_links_it(client, w):
    report = make_report(w.bakker, None)
    client.force_login(w.regisseur)
    url = reverse("cases:open") + f"?melding={report.pk}"
    form = client.get(url).context["form"]
    assert form.initial["postcode"] == "3701AB" and form.initial["subject_kind"] == "household"
    response = client.post(reverse("cases:open"), {
        "melding": report.pk, "casus-title": "Overlast Merelstraat 14", "casus-subject_kind": "unit",
        "casus-postcode": "3701AB", "casus-house_number": "14", "casus-case_type": "OMG",
        "casus-assigned_to": w.consultant.pk})
    case = Case.objects.get()
    assert response.status_code == 302 and case.source == "melding" and list(case.reports.all()) == [report]
    assert case.household is None and case.unit == w.bakker.unit


def test_only_case_workers_who_may_open_can_open(client, w):
    for user in (w.consultant, w.partner, w.nurse, w.volunteer, w.staff):
        client.force_login(user)
        assert client.get(reverse("cases:open")).status_code == 403
    other_report = make_report(w.elders, None)
    client.force_login(w.regisseur)
    assert client.get(reverse("cases:open") + f"?melding={other_report.pk}").status_code == 403


# --- partners: invite, accept, decline ------------------------------------------------------------

def test_invite_accept_and_what_the_partner_sees(client, w, django_capture_on_commit_callbacks):
    case = make_case(w)
    client.force_login(w.regisseur)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:invite", args=[case.pk]), {
            "uitnodigen-organisation": w.zorg.pk, "uitnodigen-role": "ADV",
            "uitnodigen-request": "Kunt u een intakegesprek plannen?"})
    assert response.status_code == 302
    participant = CaseParticipant.objects.get(case=case)
    assert participant.status == "uitgenodigd"
    outbox_flush()
    invite_mail = [m for m in mail.outbox if "uitnodiging" in m.subject.lower()]
    assert {m.to[0] for m in invite_mail} >= {w.nurse.email}
    body = invite_mail[0].body
    assert case.reference in body and "Jansen" not in body and "Psychische" not in body

    # Invited: the case exists, who to call, what is asked — nothing about the household.
    response = page(client, w.nurse, case)
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="invitation"' in html
    assert "Kunt u een intakegesprek plannen?" in html and "0612345678" in html
    for secret in ("Jansen", "Merelstraat", "vervuiling", "Psychische", "energieleverancier"):
        assert secret not in html
    # Accept: still nothing without consent.
    response = client.post(reverse("cases:answer", args=[case.pk]), {"antwoord": "accepteren"})
    assert response.status_code == 302
    html = page(client, w.nurse, case).content.decode()
    assert 'data-testid="no-consent"' in html and "Jansen" not in html and "vervuiling" not in html


def test_decline_needs_a_reason_and_ends_access_at_once(client, w, django_capture_on_commit_callbacks):
    case = make_case(w)
    participation.invite_participant(case, w.regisseur, organisation=w.zorg, role="ADV", request="Intake?")
    client.force_login(w.nurse)
    url = reverse("cases:answer", args=[case.pk])
    response = client.post(url, {"antwoord": "weigeren", "antwoord-reason": "  "})
    assert response.status_code == 400
    assert response.context["forms"]["answer"].errors["reason"] == [
        "Geef een reden waarom uw organisatie niet deelneemt."]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"antwoord": "weigeren", "antwoord-reason": "Geen capaciteit in deze wijk."})
    assert response.status_code == 302
    participant = CaseParticipant.objects.get(case=case)
    assert participant.status == "geweigerd" and participant.decline_reason == "Geen capaciteit in deze wijk."
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    outbox_flush()
    # The lead is told there is an answer, not who answered or why (the lead may be a partner).
    lead_mail = [m for m in mail.outbox if m.to == [w.consultant.email] and "antwoord" in m.subject.lower()]
    assert lead_mail and case.reference in lead_mail[0].body
    assert "Geen capaciteit" not in lead_mail[0].body and "Zorg Zeist" not in lead_mail[0].body
    assert "Geen capaciteit in deze wijk." in page(client, w.regisseur, case).content.decode()


def test_owner_ends_participation_and_access_ends(client, w):
    case = make_case(w)
    participant = invite_and_accept(w, case)
    consent(w, case, ["persoon", "situatie"])
    assert page(client, w.nurse, case).status_code == 200
    client.force_login(w.regisseur)
    client.post(reverse("cases:end_participant", args=[case.pk, participant.pk]))
    assert page(client, w.nurse, case).status_code == 404


def test_only_the_owner_invites_and_the_partner_cannot_answer_twice(client, w):
    case = make_case(w)
    invite_and_accept(w, case)
    consent(w, case, ["persoon", "situatie"])
    client.force_login(w.nurse)
    response = client.post(reverse("cases:invite", args=[case.pk]), {
        "uitnodigen-organisation": w.debt.pk, "uitnodigen-role": "ADV", "uitnodigen-request": "x"})
    assert response.status_code == 403 and CaseParticipant.objects.count() == 1
    assert client.post(reverse("cases:answer", args=[case.pk]), {"antwoord": "accepteren"}).status_code == 403


def test_invite_bad_input(client, w):
    case = make_case(w)
    client.force_login(w.regisseur)
    url = reverse("cases:invite", args=[case.pk])
    response = client.post(url, {"uitnodigen-organisation": w.other_corp.pk, "uitnodigen-role": "ADV",
                                 "uitnodigen-request": "x"})
    assert response.status_code == 400 and "organisation" in response.context["forms"]["invite"].errors
    response = client.post(url, {"uitnodigen-organisation": w.zorg.pk, "uitnodigen-role": "ADV",
                                 "uitnodigen-request": ""})
    assert response.status_code == 400 and "request" in response.context["forms"]["invite"].errors
    invite_and_accept(w, case)
    response = client.post(url, {"uitnodigen-organisation": w.zorg.pk, "uitnodigen-role": "ADV",
                                 "uitnodigen-request": "Nog eens"})
    assert response.status_code == 400 and "al mee" in str(response.context["forms"]["invite"].errors)


# --- consent ---------------------------------------------------------------------------------------

def test_consent_opens_categories_and_withdrawal_closes_them_at_once(client, w):
    case = make_case(w)
    invite_and_accept(w, case)
    client.force_login(w.regisseur)
    response = client.post(reverse("cases:consent", args=[case.pk]), {
        "toestemming-organisation": w.zorg.pk, "toestemming-categories": ["persoon", "situatie", "zorg"],
        "toestemming-purpose": "Zorg regelen", "toestemming-given_by": "Mevrouw Jansen",
        "toestemming-method": "mondeling", "toestemming-witness": "Anna de Vries",
        "toestemming-valid_from": timezone.localdate().isoformat()})
    assert response.status_code == 302
    html = page(client, w.nurse, case).content.decode()
    assert "Familie Jansen" in html and "vervuiling" in html and "Psychische klachten" in html
    assert "energieleverancier" not in html  # debts: not consented, and not the nurse's role
    the_consent = Consent.objects.get()
    client.force_login(w.regisseur)
    client.post(reverse("cases:withdraw_consent", args=[case.pk, the_consent.pk]), {"intrekken-note": "Belde op"})
    html = page(client, w.nurse, case).content.decode()
    assert 'data-testid="no-consent"' in html
    for secret in ("Familie Jansen", "vervuiling", "Psychische klachten"):
        assert secret not in html
    the_consent.refresh_from_db()
    assert the_consent.withdrawn_at is not None and the_consent.withdrawn_by == w.regisseur


def test_signed_form_consent_needs_a_real_file_and_only_the_owner_sees_it(client, w, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = make_case(w)
    invite_and_accept(w, case)
    client.force_login(w.regisseur)
    url = reverse("cases:consent", args=[case.pk])
    base = {"toestemming-organisation": w.zorg.pk, "toestemming-categories": ["persoon", "situatie"],
            "toestemming-purpose": "Zorg regelen", "toestemming-given_by": "Mevrouw Jansen",
            "toestemming-method": "formulier", "toestemming-valid_from": timezone.localdate().isoformat()}
    response = client.post(url, base)
    assert response.status_code == 400 and "form_file" in response.context["forms"]["consent"].errors
    fake = SimpleUploadedFile("toestemming.pdf", b"MZ this is not a pdf", content_type="application/pdf")
    response = client.post(url, {**base, "toestemming-form_file": fake})
    assert response.status_code == 400 and "geen PDF" in str(response.context["forms"]["consent"].errors)
    assert not Consent.objects.exists()
    real = SimpleUploadedFile("toestemming.pdf", PDF, content_type="application/pdf")
    assert client.post(url, {**base, "toestemming-form_file": real}).status_code == 302
    the_consent = Consent.objects.get()
    assert the_consent.form_document.is_consent_form
    doc_url = reverse("cases:document", args=[case.pk, the_consent.form_document.pk])
    assert client.get(doc_url).status_code == 200
    client.force_login(w.nurse)
    assert client.get(doc_url).status_code == 404


@pytest.mark.parametrize("change, field", [
    ({"toestemming-categories": []}, "categories"),
    ({"toestemming-categories": ["alles"]}, "categories"),
    ({"toestemming-purpose": ""}, "purpose"),
    ({"toestemming-given_by": ""}, "given_by"),
    ({"toestemming-witness": ""}, "witness"),
    ({"toestemming-method": "sms"}, "method"),
    ({"toestemming-valid_from": "31-02-2026"}, "valid_from"),
    ({"toestemming-valid_until": "2020-01-01"}, "valid_until"),
])
def test_consent_bad_input(client, w, change, field):
    case = make_case(w)
    invite_and_accept(w, case)
    client.force_login(w.regisseur)
    data = {"toestemming-organisation": w.zorg.pk, "toestemming-categories": ["situatie"],
            "toestemming-purpose": "Zorg regelen", "toestemming-given_by": "Mevrouw Jansen",
            "toestemming-method": "mondeling", "toestemming-witness": "Anna",
            "toestemming-valid_from": timezone.localdate().isoformat(), **change}
    response = client.post(reverse("cases:consent", args=[case.pk]), data)
    assert response.status_code == 400 and field in response.context["forms"]["consent"].errors
    assert not Consent.objects.exists()


def test_consent_only_for_participants(w):
    case = make_case(w)
    with pytest.raises(ValidationError) as exc:
        consent(w, case, ["situatie"], org=w.debt)
    assert "organisation" in exc.value.message_dict


# --- sharing without consent -----------------------------------------------------------------------

def test_emergency_disclosure_is_reasoned_logged_time_limited(client, w, django_capture_on_commit_callbacks):
    case = make_case(w)
    invite_and_accept(w, case)
    officer = make_user("fg", w.corp, "privacy-officer")
    client.force_login(w.regisseur)
    url = reverse("cases:emergency", args=[case.pk])
    data = {"zondertoestemming-organisation": w.zorg.pk, "zondertoestemming-categories": ["persoon", "zorg"],
            "zondertoestemming-ground": "vitaal_belang", "zondertoestemming-reasoning": "Te kort", "zondertoestemming-days": 3}
    response = client.post(url, data)
    assert response.status_code == 400 and "reasoning" in response.context["forms"]["emergency"].errors
    assert client.post(url, {**data, "zondertoestemming-days": 30}).status_code == 400
    reasoning = "Bewoner dreigt zichzelf iets aan te doen; crisisdienst moet vandaag langs kunnen gaan."
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {**data, "zondertoestemming-reasoning": reasoning}).status_code == 302
    disclosure = EmergencyDisclosure.objects.get()
    assert disclosure.decided_by == w.regisseur and disclosure.reasoning == reasoning
    assert AccessLog.objects.filter(subject="case.disclosure", subject_id=case.pk).exists()
    assert case.events.filter(kind=CaseEvent.Kind.EMERGENCY).exists()
    outbox_flush()
    assert any(m.to == [officer.email] and case.reference in m.subject for m in mail.outbox)
    html = page(client, w.nurse, case).content.decode()
    assert "Familie Jansen" in html and "Psychische klachten" in html and "vervuiling" not in html
    EmergencyDisclosure.objects.update(valid_until=timezone.now() - dt.timedelta(minutes=1))
    assert 'data-testid="no-consent"' in page(client, w.nurse, case).content.decode()


def test_emergency_needs_the_permission(client, w):
    case = make_case(w)
    invite_and_accept(w, case)
    client.force_login(w.consultant)  # wijkconsulent: no cases.emergency_share
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="emergency-panel"' not in html
    response = client.post(reverse("cases:emergency", args=[case.pk]), {
        "zondertoestemming-organisation": w.zorg.pk, "zondertoestemming-categories": ["zorg"],
        "zondertoestemming-ground": "vitaal_belang", "zondertoestemming-reasoning": "x" * 60,
        "zondertoestemming-days": 2})
    assert response.status_code == 400 and not EmergencyDisclosure.objects.exists()


# --- notes, documents, actions ---------------------------------------------------------------------

def test_note_visibility_between_organisations(client, w):
    case = make_case(w)
    invite_and_accept(w, case)
    consent(w, case, ["persoon", "situatie", "zorg"])
    services.add_note(case, w.consultant, text="Alleen voor de corporatie", visibility="eigen")
    services.add_note(case, w.consultant, text="Voor alle deelnemers", visibility="deelnemers")
    services.add_note(case, w.consultant, text="Zorgnotitie gedeeld", visibility="deelnemers", category="zorg")
    services.add_note(case, w.consultant, text="Schuldnotitie gedeeld", visibility="deelnemers", category="schulden")
    client.force_login(w.nurse)
    response = client.post(reverse("cases:add_note", args=[case.pk]), {
        "notitie-text": "Intake gepland", "notitie-category": "zorg", "notitie-visibility": "eigen"})
    assert response.status_code == 302
    note = CaseNote.objects.get(text="Intake gepland")
    assert note.organisation == w.zorg and note.category == "zorg"
    html = page(client, w.nurse, case).content.decode()
    assert "Voor alle deelnemers" in html and "Zorgnotitie gedeeld" in html and "Intake gepland" in html
    assert "Alleen voor de corporatie" not in html and "Schuldnotitie gedeeld" not in html
    # The nurse's own-organisation note stays with her organisation.
    assert "Intake gepland" not in page(client, w.regisseur, case).content.decode()
    # A partner desk worker of the same organisation (no view_care) does not see the care notes.
    CaseParticipant.objects.filter(case=case, organisation=w.zorg)  # same participation
    html = page(client, w.zorg_desk, case).content.decode()
    assert "Voor alle deelnemers" in html and "Zorgnotitie gedeeld" not in html and "Intake gepland" not in html
    # And may not write one of that category.
    client.force_login(w.zorg_desk)
    response = client.post(reverse("cases:add_note", args=[case.pk]), {
        "notitie-text": "x", "notitie-category": "zorg", "notitie-visibility": "eigen"})
    assert response.status_code == 400 and not CaseNote.objects.filter(text="x").exists()


def test_partner_without_consent_cannot_write(client, w):
    case = make_case(w)
    invite_and_accept(w, case)
    client.force_login(w.nurse)
    assert client.post(reverse("cases:add_note", args=[case.pk]), {"notitie-text": "x"}).status_code == 403
    assert client.post(reverse("cases:add_action", args=[case.pk]), {"actie-title": "x"}).status_code == 403


def test_documents_are_checked_and_follow_visibility(client, w, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = make_case(w)
    invite_and_accept(w, case)
    consent(w, case, ["persoon", "situatie"])
    client.force_login(w.consultant)
    url = reverse("cases:add_document", args=[case.pk])
    bad = SimpleUploadedFile("brief.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client.post(url, {"document-file": bad, "document-visibility": "deelnemers",
                                 "document-category": "situatie"})
    assert response.status_code == 400 and "geen PDF" in str(response.context["forms"]["document"].errors)
    for title, visibility in (("Plan van aanpak", "deelnemers"), ("Interne notitie", "eigen")):
        upload = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
        assert client.post(url, {"document-file": upload, "document-title": title, "document-category": "situatie",
                                 "document-visibility": visibility}).status_code == 302
    shared, internal = case.documents.order_by("pk")
    html = page(client, w.nurse, case).content.decode()
    assert "Plan van aanpak" in html and "Interne notitie" not in html
    response = client.get(reverse("cases:document", args=[case.pk, shared.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("cases:document", args=[case.pk, internal.pk])).status_code == 404
    assert AccessLog.objects.filter(user=w.nurse, subject="case.document").count() == 1


def test_actions_with_owner_and_status(client, w):
    case = make_case(w)
    invite_and_accept(w, case)
    consent(w, case, ["situatie"])
    client.force_login(w.regisseur)
    url = reverse("cases:add_action", args=[case.pk])
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = client.post(url, {"actie-title": "Intake plannen", "actie-owner_organisation": w.zorg.pk,
                                 "actie-due_date": due})
    assert response.status_code == 302
    response = client.post(url, {"actie-title": "x", "actie-owner_organisation": w.debt.pk})
    assert response.status_code == 400 and "owner_organisation" in response.context["forms"]["action"].errors
    response = client.post(url, {"actie-title": "x", "actie-owner_organisation": w.zorg.pk,
                                 "actie-due_date": "2001-01-01"})
    assert response.status_code == 400 and "due_date" in response.context["forms"]["action"].errors
    action = case.actions.get()
    client.force_login(w.nurse)
    response = client.post(reverse("cases:action_status", args=[case.pk, action.pk]), {"status": "gedaan"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "gedaan" and action.completed_at is not None


def test_lead_can_be_a_partner_professional(client, w):
    case = make_case(w)
    client.force_login(w.regisseur)
    url = reverse("cases:lead", args=[case.pk])
    response = client.post(url, {"regisseur-assigned_to": w.nurse.pk})
    assert response.status_code == 400  # not yet taking part
    invite_and_accept(w, case)
    assert client.post(url, {"regisseur-assigned_to": w.nurse.pk}).status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == w.nurse


def test_details_respect_the_role(client, w):
    case = make_case(w)
    staff_only = make_user("alleencasus", w.corp, None)
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="alleen-casussen")
    group.permissions.add(Permission.objects.get(codename="work_on_cases"))
    from wijkpunt.core.models import Membership

    Membership.objects.create(user=staff_only, organisation=w.corp, role=group)
    html = page(client, staff_only, case).content.decode()
    assert "vervuiling" in html and "Psychische klachten" not in html and "energieleverancier" not in html
    response = client.post(reverse("cases:details", args=[case.pk]), {
        "gegevens-case_type": "SOC", "gegevens-summary": "Nieuw", "gegevens-care_details": "Overschreven"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Nieuw" and case.care_details == "Psychische klachten, geen behandelaar."
    logged = set(AccessLog.objects.filter(user=staff_only).values_list("subject", flat=True))
    assert logged == {"case"}


def test_every_page_read_is_logged_with_the_role(client, w):
    case = make_case(w)
    invite_and_accept(w, case)
    consent(w, case, ["persoon", "situatie", "zorg"])
    page(client, w.nurse, case)
    rows = list(AccessLog.objects.filter(user=w.nurse).values_list("subject", "role", "household_id"))
    assert {r[0] for r in rows} == {"case", "case.care"}
    assert all("Zorgprofessional" in r[1] and "Adviseur" in r[1] for r in rows)
    assert all(r[2] == case.household_id for r in rows)


def test_closing_ends_participation(client, w):
    case = make_case(w)
    invite_and_accept(w, case)
    consent(w, case, ["situatie"])
    services.close_case(case, w.regisseur, text="Zorg loopt, huur wordt betaald.")
    assert CaseParticipant.objects.get(case=case).status == "beeindigd"
    assert page(client, w.nurse, case).status_code == 404


def test_admin_shows_case_metadata_only(client, w):
    """Superusers use the admin for technical management; case content stays behind the policy."""
    case = make_case(w)
    services.add_note(case, w.consultant, text="Geheime notitie over de bewoner")
    admin = make_user("root", None, None, is_staff=True, is_superuser=True)
    client.force_login(admin)
    html = client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()
    assert case.reference in html
    for secret in ("vervuiling", "Psychische klachten", "energieleverancier", "Geheime notitie", "Jansen"):
        assert secret not in html
    assert case.reference in client.get(reverse("admin:cases_case_changelist")).content.decode()


# --- review findings: what must not leak -------------------------------------------------------------

def test_naming_a_care_provider_needs_the_care_category(client, w):
    """That a care provider takes part is itself care information: a partner without the care category
    sees its notes as 'een deelnemer', cannot pick it as an action owner and does not see its actions."""
    case = make_case(w)
    invite_and_accept(w, case)  # Zorg Zeist
    consent(w, case, ["persoon", "situatie", "zorg"])
    services.add_note(case, w.nurse, organisation_id=w.zorg.pk, text="Afspraak gemaakt", visibility="deelnemers")
    invite_and_accept(w, case, org=w.wijkteam, user=w.partner)
    consent(w, case, ["persoon", "situatie"], org=w.wijkteam)
    html = page(client, w.partner, case).content.decode()
    assert "Afspraak gemaakt" in html and "Zorg Zeist" not in html and "een deelnemer" in html
    assert f'value="{w.zorg.pk}"' not in html  # not offered as an action owner
    response = client.post(reverse("cases:add_action", args=[case.pk]), {
        "actie-title": "Crisisbed regelen", "actie-owner_organisation": w.zorg.pk})
    assert response.status_code == 400 and not case.actions.exists()
    api = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert [n["organisation"] for n in api["notes"]] == [None]


def test_only_the_situation_lets_a_partner_write(client, w):
    case = make_case(w)
    invite_and_accept(w, case, org=w.wijkteam, user=w.partner)
    consent(w, case, ["persoon"], org=w.wijkteam)
    client.force_login(w.partner)
    response = client.post(reverse("cases:add_note", args=[case.pk]), {"notitie-text": "hallo"})
    assert response.status_code == 403 and not CaseNote.objects.filter(text="hallo").exists()


def test_lead_must_hold_the_permission_in_the_participating_organisation(w):
    from django.contrib.auth.models import Group

    from wijkpunt.core.models import Membership

    case = make_case(w)
    invite_and_accept(w, case, org=w.wijkteam, user=w.partner)
    elsewhere = Organisation.objects.create(name="Elders", slug="elders", kind="partner")
    volunteer = make_user("xuser", w.wijkteam, "bewonerskracht")  # no take_part in the participating org
    Membership.objects.create(user=volunteer, organisation=elsewhere, role=Group.objects.get(name="partner-medewerker"))
    assert not services.lead_candidates(case).filter(pk=volunteer.pk).exists()
    assert services.lead_candidates(case).filter(pk=w.partner.pk).exists()
    with pytest.raises(ValidationError) as exc:
        services.set_lead(case, w.regisseur, lead=volunteer)
    assert "assigned_to" in exc.value.message_dict


def test_a_new_lead_gets_a_mail_without_names(w, django_capture_on_commit_callbacks):
    case = make_case(w)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_lead(case, w.regisseur, lead=w.consultant2)
    outbox_flush()
    to_lead = [m for m in mail.outbox if m.to == [w.consultant2.email]]
    assert len(to_lead) == 1 and case.reference in to_lead[0].body
    assert "Jansen" not in to_lead[0].body and "Merelstraat" not in to_lead[0].body


def test_report_parameter_that_is_not_a_plain_number(client, w):
    client.force_login(w.regisseur)
    for value in ("²", "１２", "12abc", "9" * 30):
        assert client.get(reverse("cases:open") + f"?melding={value}").status_code == 403


def test_api_list_for_a_partner_in_two_participating_organisations(client, w):
    """The partner list is served from the participations: one row per case, also when the person
    acts for two organisations that both take part."""
    from django.contrib.auth.models import Group

    from wijkpunt.core.models import Membership

    case = make_case(w)
    other = services.open_case_manual(
        organisation_id=w.corp.pk, opened_by=w.regisseur, title="Andere casus", case_type="SOC",
        household=w.bakker.household, assigned_to=w.consultant)
    invite_and_accept(w, case)  # Zorg Zeist
    invite_and_accept(w, case, org=w.wijkteam, user=w.partner)
    Membership.objects.create(user=w.nurse, organisation=w.wijkteam, role=Group.objects.get(name="partner-medewerker"))
    client.force_login(w.nurse)
    data = client.get("/api/v1/cases/").json()
    assert data["total"] == 1 and [r["id"] for r in data["results"]] == [case.pk]
    assert other.pk not in [r["id"] for r in data["results"]]
