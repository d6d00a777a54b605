"""The cases API (/api/v1/cases/): a visibility matrix (role x consent state) over every part of the
detail, the access log of each read, 404 for what one cannot reach, notes, answering an invitation,
and the list.

A part the caller may not see is ``null``; the expected categories below are written from the rules
in ``policy.py`` (docs/privacy.md), not computed by it."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from rest_framework.test import APIClient

from wijkpunt.cases import participation, services
from wijkpunt.cases.models import (
    Case,
    CaseNote,
    CaseParticipant,
    Consent,
    EmergencyDisclosure,
    InfoCategory,
    Visibility,
)
from wijkpunt.core.models import AccessLog, Organisation

from .factories import build_world, make_episode, make_user

pytestmark = pytest.mark.django_db

BASE = "/api/v1/cases/"
P, S, Z, D = "persoon", "situatie", "zorg", "schulden"
ALL = {P, S, Z, D}
CATEGORY_ORDER = [P, S, Z, D]

# --------------------------------------------------------------------------- the world


def case_world() -> SimpleNamespace:
    """One case of the corporation about the Jansen household, with every kind of information; the
    wijkteam organisation is the partner; a second partner organisation does not take part."""
    w = build_world()
    plain_role, _ = Group.objects.get_or_create(name="casus-zonder-bijzondere-gegevens")
    plain_role.permissions.set([Permission.objects.get(codename="work_on_cases", content_type__app_label="cases")])
    other_partner = Organisation.objects.create(name="Schuldhulp Elders", slug="elders", kind="partner",
                                                partner_type="wijkteam")
    users = {
        "consultant": w.consultant,  # wijkconsulent: work_on_cases, view_care, view_debt
        "owner_plain": make_user("casusmedewerker", w.corp, "casus-zonder-bijzondere-gegevens"),
        "partner_medewerker": w.partner,  # partner-medewerker in wijkteam: take_part
        "zorgprofessional": make_user("zorgpro", w.wijkteam, "zorgprofessional"),
        "schuldhulpverlener": make_user("schuldhulp", w.wijkteam, "schuldhulpverlener"),
        "outsider": make_user("buitenstaander", other_partner, "partner-medewerker"),
        "other_corp": w.other_consultant,
        "volunteer": w.volunteer,
    }
    household = w.jansen.household
    household.contact_phone = "0612345678"
    household.save()
    case, _ = services.open_case(organisation_id=w.corp.pk, household=household, unit=w.jansen.unit,
                                 reasons=["Huurachterstand sinds september"], assigned_to=w.consultant,
                                 opened_by=w.regisseur)
    case.summary = "SITUATIE: overlast en vereenzaming"
    case.care_details = "ZORG: depressie, in behandeling"
    case.debt_details = "SCHULDEN: drie schuldeisers"
    case.save()
    episode = make_episode(w.jansen, amount_cents=424242)
    case.episodes.add(episode)
    notes = {}
    for org_name, org in (("owner", w.corp), ("partner", w.wijkteam)):
        for category in CATEGORY_ORDER:
            for visibility in Visibility.values:
                text = f"{org_name}-{category}-{visibility}"
                notes[text] = CaseNote.objects.create(case=case, organisation=org, category=category,
                                                      visibility=visibility, text=text)
    other_case = Case.objects.create(organisation=w.corp, household=w.bakker.household, title="Familie Bakker",
                                     assigned_to=w.consultant)
    return SimpleNamespace(w=w, case=case, other_case=other_case, episode=episode, users=users, notes=notes,
                           partner=w.wijkteam, other_partner=other_partner)


def participate(cw, status: str) -> CaseParticipant:
    return CaseParticipant.objects.create(case=cw.case, organisation=cw.partner, request="Wilt u meedenken?",
                                          invited_by=cw.w.consultant, status=status)


def consent(cw, categories, *, valid_from=None, valid_until=None) -> Consent:
    return Consent.objects.create(
        case=cw.case, organisation=cw.partner, categories=list(categories), purpose="Hulp bij schulden en zorg",
        given_by="Mevrouw Jansen", method=Consent.Method.VERBAL_WITNESS, witness="Buurvrouw",
        valid_from=valid_from or timezone.localdate() - dt.timedelta(days=1), valid_until=valid_until,
        recorded_by=cw.w.consultant)


def disclosure(cw, valid_until) -> EmergencyDisclosure:
    return EmergencyDisclosure.objects.create(
        case=cw.case, organisation=cw.partner, categories=list(CATEGORY_ORDER), ground="vitaal_belang",
        reasoning="Acuut gevaar: de bewoner dreigt zichzelf iets aan te doen.", valid_until=valid_until,
        decided_by=cw.w.regisseur)


def _today(days: int = 0) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


ACCEPTED = CaseParticipant.Status.ACCEPTED

# state -> (set-up, categories the resident (or an emergency) opened for the partner organisation)
STATES = {
    "invited": (lambda cw: participate(cw, CaseParticipant.Status.INVITED), set()),
    "accepted_no_consent": (lambda cw: participate(cw, ACCEPTED), set()),
    "consent_person_situation": (lambda cw: (participate(cw, ACCEPTED), consent(cw, [P, S])), {P, S}),
    "consent_all": (lambda cw: (participate(cw, ACCEPTED), consent(cw, CATEGORY_ORDER)), ALL),
    "consent_withdrawn": (lambda cw: (participate(cw, ACCEPTED), participation.withdraw_consent(
        consent(cw, CATEGORY_ORDER), cw.w.consultant, note="Bewoner trekt in")), set()),
    "consent_expired": (lambda cw: (participate(cw, ACCEPTED), consent(
        cw, CATEGORY_ORDER, valid_from=_today(-30), valid_until=_today(-1))), set()),
    "consent_not_yet_valid": (lambda cw: (participate(cw, ACCEPTED), consent(
        cw, CATEGORY_ORDER, valid_from=_today(1))), set()),
    "emergency_live": (lambda cw: (participate(cw, ACCEPTED), disclosure(
        cw, timezone.now() + dt.timedelta(days=2))), ALL),
    "emergency_expired": (lambda cw: (participate(cw, ACCEPTED), disclosure(
        cw, timezone.now() - dt.timedelta(hours=1))), set()),
    "declined": (lambda cw: participate(cw, CaseParticipant.Status.DECLINED), None),
    "ended": (lambda cw: participate(cw, CaseParticipant.Status.ENDED), None),
}

# role -> categories the role may see at most
OWNER_ROLES = {"consultant": ALL, "owner_plain": {P, S}}
PARTNER_ROLES = {"partner_medewerker": {P, S}, "zorgprofessional": {P, S, Z}, "schuldhulpverlener": {P, S, D}}
NO_ACCESS = {"outsider": 404, "other_corp": 404, "volunteer": 403}


def expected(role: str, state: str) -> tuple[str | None, set[str], set[str]]:
    """(side or None for no access, categories shown, what the role allows)."""
    if role in OWNER_ROLES:
        return "owner", OWNER_ROLES[role], OWNER_ROLES[role]
    if role in NO_ACCESS:
        return None, set(), set()
    granted = STATES[state][1]
    if granted is None:
        return None, set(), set()
    side = "invited" if state == "invited" else "participant"
    shown = set() if side == "invited" else granted & PARTNER_ROLES[role]
    return side, shown, PARTNER_ROLES[role]


def expected_notes(side: str, shown: set[str], allows: set[str]) -> set[str]:
    """Own organisation's notes always (if the role may read the category); another organisation's only
    when shared with the participants and the category is open to the caller."""
    own = "owner" if side == "owner" else "partner"
    visible = set()
    for org in ("owner", "partner"):
        for category in CATEGORY_ORDER:
            for visibility in Visibility.values:
                if category in (Z, D) and category not in allows:
                    continue
                if org == own or (visibility == Visibility.PARTICIPANTS and category in shown):
                    visible.add(f"{org}-{category}-{visibility}")
    return visible


@pytest.fixture
def cw(db):
    return case_world()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def get(user, case_id):
    return client_for(user).get(f"{BASE}{case_id}/")


def not_found_body(user):
    response = get(user, 987654321)
    assert response.status_code == 404
    return response.json()


# --------------------------------------------------------------------------- the matrix


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("role", [*OWNER_ROLES, *PARTNER_ROLES, *NO_ACCESS])
def test_visibility_matrix(cw, role, state):
    STATES[state][0](cw)
    user = cw.users[role]
    side, shown, allows = expected(role, state)
    before = AccessLog.objects.count()
    response = get(user, cw.case.pk)

    if side is None:
        expected_code = NO_ACCESS.get(role, 404)
        assert response.status_code == expected_code
        if expected_code == 404:
            assert response.json() == not_found_body(user)
        assert "Jansen" not in response.content.decode()
        assert AccessLog.objects.count() == before  # (the 404 probe above logs nothing either)
        return

    assert response.status_code == 200, response.content
    data = response.json()
    text = json.dumps(data)
    # always there: what the case is and who to call
    assert data["id"] == cw.case.pk and data["reference"] == cw.case.reference
    assert data["status"] == "open"
    # the case type can itself reveal care or debts: only with the situation category
    expected_type = cw.case.case_type if "situatie" in shown else None
    assert data["case_type"] == expected_type and (data["case_type_detail"] is None) == (expected_type is None)
    assert data["organisation"]["name"] == cw.w.corp.name
    assert data["lead"]["name"] == "Anna de Vries" and data["lead"]["email"] == cw.w.consultant.email
    assert data["lead"]["organisation"] == cw.w.corp.name
    assert data["access"]["side"] == side
    assert data["access"]["categories"] == [c for c in CATEGORY_ORDER if c in shown]
    assert data["access"]["role"]
    # every key is always present; null exactly when the category is closed
    for key in ("person", "title", "summary", "reasons", "reports", "care_details", "debt_details", "episodes",
                "notes", "actions", "participants", "consents", "disclosures", "events", "participation"):
        assert key in data, key
    if P in shown:
        assert data["person"] == {"household": "Familie Jansen", "phone": "0612345678",
                                  "address": "Merelstraat 12, 3701 AB Zeist", "complex": None}
        assert data["title"].startswith("Familie Jansen")
    else:
        assert data["person"] is None and data["title"] is None
        assert "Jansen" not in text and "0612345678" not in text and "Merelstraat" not in text
    if S in shown:
        assert data["summary"] == cw.case.summary and data["reports"] == []
    else:
        assert data["summary"] is None and data["reports"] is None and "SITUATIE" not in text
    if Z in shown:
        assert data["care_details"] == cw.case.care_details
    else:
        assert data["care_details"] is None and "ZORG:" not in text
    if D in shown:
        assert data["debt_details"] == cw.case.debt_details
        assert data["episodes"] == [{"id": cw.episode.pk, "amount_cents": 424242,
                                     "arose_on": cw.episode.arose_on.isoformat(), "status": "open"}]
    else:
        assert data["debt_details"] is None and data["episodes"] is None
        assert "SCHULDEN:" not in text and "amount_cents" not in text
    if side == "owner":
        assert data["reasons"] == ["Huurachterstand sinds september"]
        assert data["participation"] is None
    else:
        assert data["reasons"] is None and "Huurachterstand sinds" not in text
        assert data["participation"]["status"] == ("uitgenodigd" if side == "invited" else "geaccepteerd")
        assert data["participation"]["request"] == "Wilt u meedenken?"

    if not shown:
        assert data["notes"] is None  # invited, or no live consent: only that the case exists
    else:
        assert {n["text"] for n in data["notes"]} == expected_notes(side, shown, allows)
    for hidden in set(cw.notes) - (expected_notes(side, shown, allows) if shown else set()):
        assert f'"{hidden}"' not in text, hidden

    if side == "invited":
        assert data["consents"] is None and data["actions"] is None
    elif side == "participant":
        # their own consents only, without the resident's name
        assert all(c["organisation"] == cw.partner.name and c["given_by"] is None for c in data["consents"])
        assert "Mevrouw Jansen" not in text and "Buurvrouw" not in text
        assert all(d["reasoning"] is None for d in data["disclosures"])
    else:
        assert all(c["given_by"] == "Mevrouw Jansen" for c in data["consents"])
    if side == "owner" or S in shown:
        assert isinstance(data["events"], list) and isinstance(data["participants"], list)
    else:
        assert data["events"] is None and data["participants"] is None
    assert data["access"]["emergency"] == (
        [c for c in CATEGORY_ORDER if c in shown] if state == "emergency_live" and side == "participant" else [])

    # the read is logged, with the role: one row for the case, one per special category shown
    logged = AccessLog.objects.filter(user=user, subject_id=cw.case.pk).order_by("pk")
    subjects = sorted(logged.values_list("subject", flat=True))
    assert subjects == sorted(["case"] + (["case.care"] if Z in shown else []) + (["case.debt"] if D in shown
                                                                                  else []))
    assert all(row.role and row.purpose == "API: casus" for row in logged)
    assert all(row.household_id == cw.case.household_id for row in logged)


def test_withdrawal_takes_effect_at_once(cw):
    participate(cw, ACCEPTED)
    given = consent(cw, CATEGORY_ORDER)
    user = cw.users["zorgprofessional"]
    data = get(user, cw.case.pk).json()
    assert data["care_details"] == cw.case.care_details and data["person"] is not None
    participation.withdraw_consent(given, cw.w.consultant)
    data = get(user, cw.case.pk).json()
    assert data["access"]["categories"] == []
    assert data["care_details"] is None and data["person"] is None and data["notes"] is None
    assert [c["withdrawn_at"] is not None for c in data["consents"]] == [True]
    assert AccessLog.objects.filter(user=user, subject="case.care").count() == 1


def test_partner_guessing_ids_gets_the_same_404(cw):
    participate(cw, ACCEPTED)
    consent(cw, CATEGORY_ORDER)
    user = cw.users["partner_medewerker"]
    assert get(user, cw.case.pk).status_code == 200
    guessed = get(user, cw.other_case.pk)
    assert guessed.status_code == 404
    assert guessed.json() == not_found_body(user)
    assert "Bakker" not in guessed.content.decode()
    for path in ("notes/", "answer/"):
        response = client_for(user).post(f"{BASE}{cw.other_case.pk}/{path}", {"text": "x", "accept": True},
                                         format="json")
        assert response.status_code == 404 and response.json() == not_found_body(user)
    assert not AccessLog.objects.filter(user=user, subject_id=cw.other_case.pk).exists()


def test_anonymous_is_401_or_403(cw):
    response = APIClient().get(BASE)
    assert response.status_code in (401, 403)
    assert APIClient().get(f"{BASE}{cw.case.pk}/").status_code in (401, 403)


def test_token_authentication(cw):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=cw.w.consultant)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(f"{BASE}{cw.case.pk}/").status_code == 200


# --------------------------------------------------------------------------- notes


def post_note(user, case_id, body):
    return client_for(user).post(f"{BASE}{case_id}/notes/", body, format="json")


def test_owner_adds_a_note(cw):
    response = post_note(cw.w.consultant, cw.case.pk, {"text": "Huisbezoek gedaan", "category": "zorg",
                                                       "visibility": "deelnemers"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["text"] == "Huisbezoek gedaan" and data["category"] == "zorg" and data["visibility"] == "deelnemers"
    assert data["organisation"] == cw.w.corp.name and data["author"] == "Anna de Vries"
    note = CaseNote.objects.get(pk=data["id"])
    assert note.organisation_id == cw.w.corp.pk and note.author == cw.w.consultant
    # defaults: situatie, own organisation
    data = post_note(cw.w.consultant, cw.case.pk, {"text": "Nog een"}).json()
    assert (data["category"], data["visibility"]) == ("situatie", "eigen")


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"text": "   "}, "text", "Schrijf een notitie."),
    ({}, "text", None),
    ({"text": "x" * 10_001}, "text", "Houd de notitie korter dan 10000 tekens."),
    ({"text": "Iets", "category": "geheim"}, "category", None),
    ({"text": "Iets", "visibility": "iedereen"}, "visibility", None),
])
def test_note_field_errors(cw, body, field, message):
    response = post_note(cw.w.consultant, cw.case.pk, body)
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field] and isinstance(errors[field], list)
    if message:
        assert errors[field] == [message]


def test_note_on_a_category_the_role_may_not_read(cw):
    response = post_note(cw.users["owner_plain"], cw.case.pk, {"text": "Diagnose", "category": "zorg"})
    assert response.status_code == 400
    assert response.json() == {"category": ["Uw rol mag dit soort informatie niet vastleggen."]}


def test_note_on_a_closed_case(cw):
    services.close_case(cw.case, cw.w.consultant, text="Afgerond.")
    response = post_note(cw.w.consultant, cw.case.pk, {"text": "Te laat"})
    assert response.status_code == 400 and "text" in response.json()


@pytest.mark.parametrize(("state", "role", "code"), [
    ("invited", "zorgprofessional", 403),
    ("accepted_no_consent", "zorgprofessional", 403),
    ("consent_expired", "partner_medewerker", 403),
    ("declined", "partner_medewerker", 404),
    ("ended", "partner_medewerker", 404),
    ("consent_all", "outsider", 404),
    ("consent_all", "volunteer", 403),
    ("consent_person_situation", "partner_medewerker", 201),
])
def test_who_may_add_notes(cw, state, role, code):
    STATES[state][0](cw)
    before = CaseNote.objects.count()
    response = post_note(cw.users[role], cw.case.pk, {"text": "Gesproken met de bewoner", "visibility": "deelnemers"})
    assert response.status_code == code, response.content
    assert CaseNote.objects.count() == before + (1 if code == 201 else 0)
    if code == 201:
        assert CaseNote.objects.latest("pk").organisation_id == cw.partner.pk
        # the owner reads it (shared, situatie)
        owner_view = get(cw.w.consultant, cw.case.pk).json()
        assert "Gesproken met de bewoner" in {n["text"] for n in owner_view["notes"]}


def test_partner_may_not_write_care_notes_without_the_role(cw):
    STATES["consent_all"][0](cw)
    response = post_note(cw.users["partner_medewerker"], cw.case.pk, {"text": "Diagnose", "category": "zorg"})
    assert response.status_code == 400 and list(response.json()) == ["category"]
    response = post_note(cw.users["zorgprofessional"], cw.case.pk, {"text": "Diagnose", "category": "zorg"})
    assert response.status_code == 201


@pytest.mark.parametrize("body", [["tekst"], "tekst", 3, None])
def test_note_body_that_is_not_an_object(cw, body):
    response = client_for(cw.w.consultant).post(f"{BASE}{cw.case.pk}/notes/", json.dumps(body),
                                                content_type="application/json")
    assert response.status_code == 400


# --------------------------------------------------------------------------- answering an invitation


def answer(user, case_id, body):
    return client_for(user).post(f"{BASE}{case_id}/answer/", body, format="json")


def test_decline_needs_a_reason_then_the_case_is_gone(cw):
    participate(cw, CaseParticipant.Status.INVITED)
    user = cw.users["partner_medewerker"]
    response = answer(user, cw.case.pk, {"accept": False})
    assert response.status_code == 400
    assert response.json() == {"reason": ["Geef een reden waarom uw organisatie niet deelneemt."]}
    response = answer(user, cw.case.pk, {"accept": False, "reason": "Geen capaciteit"})
    assert response.status_code == 200, response.content
    assert response.json()["participation_status"] == "geweigerd"
    assert get(user, cw.case.pk).status_code == 404
    assert answer(user, cw.case.pk, {"accept": True}).status_code == 404


def test_accept(cw):
    participate(cw, CaseParticipant.Status.INVITED)
    user = cw.users["zorgprofessional"]
    response = answer(user, cw.case.pk, {"accept": True})
    assert response.status_code == 200, response.content
    assert response.json()["participation_status"] == "geaccepteerd" and response.json()["answered_at"]
    data = get(user, cw.case.pk).json()
    assert data["access"]["side"] == "participant" and data["access"]["categories"] == []
    # answered already: nothing to answer any more
    assert answer(user, cw.case.pk, {"accept": True}).status_code == 403


@pytest.mark.parametrize("body", [{}, {"accept": "misschien"}, ["ja"]])
def test_answer_needs_accept(cw, body):
    participate(cw, CaseParticipant.Status.INVITED)
    response = answer(cw.users["partner_medewerker"], cw.case.pk, body)
    assert response.status_code == 400
    assert CaseParticipant.objects.get().status == CaseParticipant.Status.INVITED


@pytest.mark.parametrize(("role", "code"), [("consultant", 403), ("outsider", 404), ("volunteer", 403),
                                            ("other_corp", 404)])
def test_only_the_invited_answer(cw, role, code):
    participate(cw, CaseParticipant.Status.INVITED)
    assert answer(cw.users[role], cw.case.pk, {"accept": True}).status_code == code
    assert CaseParticipant.objects.get().status == CaseParticipant.Status.INVITED


# --------------------------------------------------------------------------- the list


def list_cases(user, **query):
    return client_for(user).get(BASE, query)


def test_list_owner_and_partner_rows(cw):
    participate(cw, ACCEPTED)
    consent(cw, CATEGORY_ORDER)
    before = AccessLog.objects.count()
    owner = list_cases(cw.w.consultant).json()
    assert owner["total"] == 2 and owner["next"] is None
    row = next(r for r in owner["results"] if r["id"] == cw.case.pk)
    assert row["side"] == "owner" and row["title"].startswith("Familie Jansen")
    assert row["lead"] == "Anna de Vries" and row["participation_status"] is None
    assert row["neighbourhood"] == "Vogelwijk" and row["case_type"] == cw.case.case_type

    response = list_cases(cw.users["partner_medewerker"])
    partner = response.json()
    assert partner["total"] == 1 and [r["id"] for r in partner["results"]] == [cw.case.pk]
    row = partner["results"][0]
    assert row["side"] == "participant" and row["participation_status"] == "geaccepteerd"
    assert row["title"] is None and row["lead"] is None and row["neighbourhood"] == "Vogelwijk"
    assert row["case_type"] is None and row["case_type_label"] is None
    assert "Jansen" not in response.content.decode()  # not even with consent: the list has no household data
    assert AccessLog.objects.count() == before  # lists are not logged

    assert list_cases(cw.users["outsider"]).json()["total"] == 0
    assert list_cases(cw.users["other_corp"]).json()["total"] == 0
    assert list_cases(cw.users["volunteer"]).status_code == 403


def test_list_invited_and_declined(cw):
    participant = participate(cw, CaseParticipant.Status.INVITED)
    rows = list_cases(cw.users["zorgprofessional"]).json()["results"]
    assert [(r["id"], r["participation_status"]) for r in rows] == [(cw.case.pk, "uitgenodigd")]
    participant.status = CaseParticipant.Status.DECLINED
    participant.save()
    assert list_cases(cw.users["zorgprofessional"]).json()["results"] == []


def test_list_status_filter_and_pages(cw):
    services.close_case(cw.other_case, cw.w.consultant, text="Klaar.")
    user = cw.w.consultant
    assert [r["id"] for r in list_cases(user).json()["results"]] == [cw.case.pk]
    assert [r["id"] for r in list_cases(user, status="closed").json()["results"]] == [cw.other_case.pk]
    assert list_cases(user, status="all").json()["total"] == 2
    complex_ = cw.w.jansen.unit.complex or None
    base = timezone.now() - dt.timedelta(days=400)
    for n in range(55):
        Case.objects.create(organisation=cw.w.corp, unit=cw.w.visser.unit, title=f"Portiek {n}",
                            complex=complex_, created_at=base + dt.timedelta(minutes=n // 2))
    seen, cursor, pages = [], "", 0
    while True:
        page = list_cases(user, status="all", **({"na": cursor} if cursor else {})).json()
        assert page["total"] == 57
        seen += [r["id"] for r in page["results"]]
        pages += 1
        cursor = page["next"]
        if not cursor:
            break
    assert pages == 2 and len(seen) == len(set(seen)) == 57
    assert seen == list(Case.objects.order_by("-created_at", "-pk").values_list("pk", flat=True))


@pytest.mark.parametrize("query", [{"status": "alle"}, {"na": "bestaat-niet"}, {"na": "WzEsMl0"}])
def test_list_bad_query(cw, query):
    response = list_cases(cw.w.consultant, **query)
    assert response.status_code == 400
    assert set(response.json()) <= {"status", "na"}


def test_categories_match_the_model():
    assert set(CATEGORY_ORDER) == set(InfoCategory.values)
