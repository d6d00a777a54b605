"""Retention rules per case type and legal holds: who may, field-level errors, events."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from wijkpunt.cases.models import Case, CaseEvent, CaseType, RetentionRule
from wijkpunt.cases.tests.factories import build_world, make_user
from wijkpunt.privacy.services import parse_case_reference


@pytest.fixture
def w(db):
    world = build_world()
    world.officer = make_user("fg", world.corp, "privacy-officer")
    world.other_officer = make_user("anderfg", world.other_corp, "privacy-officer")
    return world


def make_case(w, tenancy=None, *, org=None, closed=True) -> Case:
    tenancy = tenancy or w.jansen
    return Case.objects.create(
        organisation=org or w.corp, household=tenancy.household, unit=tenancy.unit, title="Casus",
        status=Case.Status.CLOSED if closed else Case.Status.OPEN,
        closed_on=timezone.localdate() if closed else None,
    )


def rule_url(w, case_type="OMG", org=None):
    return reverse("privacy:rule_edit", args=[(org or w.corp).pk, case_type])


def test_parse_case_reference():
    assert parse_case_reference("C-000123") == 123
    assert parse_case_reference(" c123 ") == 123
    assert parse_case_reference("45") == 45
    for bad in ("", "C-", "X-12", "C-0", "12a", "-5"):
        assert parse_case_reference(bad) is None


@pytest.mark.parametrize("who", ["officer", "admin"])
def test_index_lists_every_case_type_with_default(client, w, who):
    RetentionRule.objects.create(organisation=w.corp, case_type=CaseType.OMG, days_after_closing=365,
                                 action=RetentionRule.Action.DELETE)
    RetentionRule.objects.create(organisation=w.other_corp, case_type=CaseType.FIN, days_after_closing=99)
    client.force_login(getattr(w, who))
    response = client.get(reverse("privacy:index"))
    assert response.status_code == 200
    body = response.content.decode()
    for label in CaseType.labels:
        assert str(label) in body
    assert "365 dagen" in body and "Verwijderen" in body and "730 dagen" in body
    assert "99 dagen" not in body


@pytest.mark.parametrize("who", ["consultant", "regisseur", "partner", "manager", "incasso", "nobody"])
def test_forbidden_without_manage_retention(client, w, who):
    client.force_login(w.users[who])
    assert client.get(reverse("privacy:index")).status_code == 403
    assert client.post(rule_url(w), {"days_after_closing": 400, "action": "verwijderen"}).status_code == 403
    assert client.post(reverse("privacy:legal_hold"), {"case": "1", "reason": "x"}).status_code == 403
    assert not RetentionRule.objects.exists()


def test_anonymous_goes_to_login(client, w):
    response = client.get(reverse("privacy:index"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_save_and_reset_a_rule(client, w):
    client.force_login(w.officer)
    assert client.get(rule_url(w)).status_code == 200
    response = client.post(rule_url(w), {"days_after_closing": "400", "action": "verwijderen"})
    assert response.status_code == 302
    rule = RetentionRule.objects.get(organisation=w.corp, case_type="OMG")
    assert (rule.days_after_closing, rule.action) == (400, "verwijderen")
    client.post(rule_url(w), {"days_after_closing": "500", "action": "anonimiseren"})
    rule.refresh_from_db()
    assert (rule.days_after_closing, rule.action) == (500, "anonimiseren")
    assert RetentionRule.objects.count() == 1
    client.post(rule_url(w), {"standaard": "1"})
    assert not RetentionRule.objects.exists()


@pytest.mark.parametrize("data, field, message", [
    ({"days_after_closing": "29", "action": "verwijderen"}, "days_after_closing", "ten minste 30 dagen"),
    ({"days_after_closing": "3651", "action": "verwijderen"}, "days_after_closing", "ten hoogste 3650 dagen"),
    ({"days_after_closing": "twee jaar", "action": "verwijderen"}, "days_after_closing", "heel aantal dagen"),
    ({"days_after_closing": "", "action": "verwijderen"}, "days_after_closing", "Vul het aantal dagen in"),
    ({"days_after_closing": "400", "action": "vernietigen"}, "action", "anonimiseren of verwijderen"),
    ({"days_after_closing": "400"}, "action", "anonimiseren of verwijderen"),
])
def test_bad_rule_input(client, w, data, field, message):
    client.force_login(w.officer)
    response = client.post(rule_url(w), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not RetentionRule.objects.exists()


def test_rule_of_another_organisation_or_unknown_type_is_not_found(client, w):
    client.force_login(w.officer)
    assert client.get(rule_url(w, org=w.other_corp)).status_code == 404
    assert client.post(rule_url(w, org=w.other_corp), {"days_after_closing": "400", "action": "verwijderen"}
                       ).status_code == 404
    assert client.get(rule_url(w, case_type="XYZ")).status_code == 404
    assert not RetentionRule.objects.exists()


def test_set_and_lift_a_legal_hold(client, w):
    case = make_case(w)
    client.force_login(w.officer)
    response = client.post(reverse("privacy:legal_hold"), {"case": case.reference, "reason": "Procedure kantonrechter",
                                                            "actie": "instellen"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.legal_hold and case.legal_hold_reason == "Procedure kantonrechter"
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.HOLD)
    assert event.actor == w.officer and "Procedure kantonrechter" in event.text and not event.for_participants
    page = client.get(reverse("privacy:index")).content.decode()
    assert case.reference in page and "Procedure kantonrechter" in page

    # Setting it twice is refused on the field.
    response = client.post(reverse("privacy:legal_hold"), {"case": str(case.pk), "reason": "Nog eens"})
    assert response.status_code == 400 and "al een bewaarplicht" in response.content.decode()

    response = client.post(reverse("privacy:legal_hold"), {"case": case.reference, "reason": "Zaak afgerond",
                                                            "actie": "opheffen"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.legal_hold and case.legal_hold_reason == ""
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.HOLD).count() == 2
    response = client.post(reverse("privacy:legal_hold"), {"case": case.reference, "reason": "x", "actie": "opheffen"})
    assert response.status_code == 400 and "geen bewaarplicht" in response.content.decode()


@pytest.mark.parametrize("data, message", [
    ({"case": "", "reason": "Rechtszaak"}, "Vul het casusnummer in"),
    ({"case": "Jansen", "reason": "Rechtszaak"}, "zoals C-000123"),
    ({"case": "C-999999", "reason": "Rechtszaak"}, "niet gevonden"),
    ({"case": "CASE", "reason": ""}, "Geef een reden op"),
])
def test_bad_legal_hold_input(client, w, data, message):
    make_case(w)
    client.force_login(w.officer)
    response = client.post(reverse("privacy:legal_hold"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Case.objects.filter(legal_hold=True).exists()
    assert not CaseEvent.objects.exists()


def test_legal_hold_on_another_organisations_case_is_not_found(client, w):
    theirs = make_case(w, w.elders, org=w.other_corp)
    client.force_login(w.officer)
    response = client.post(reverse("privacy:legal_hold"), {"case": theirs.reference, "reason": "Rechtszaak"})
    assert response.status_code == 400
    assert "niet gevonden" in " ".join(response.context["hold_form"].errors["case"])
    theirs.refresh_from_db()
    assert not theirs.legal_hold and not CaseEvent.objects.exists()
    # Their own officer can.
    client.force_login(w.other_officer)
    assert client.post(reverse("privacy:legal_hold"), {"case": theirs.reference, "reason": "Rechtszaak"}
                       ).status_code == 302


def test_anonymised_case_cannot_get_a_hold(client, w):
    case = make_case(w)
    Case.objects.filter(pk=case.pk).update(anonymised_at=timezone.now())
    client.force_login(w.officer)
    response = client.post(reverse("privacy:legal_hold"), {"case": case.reference, "reason": "Rechtszaak"})
    assert response.status_code == 400 and "geanonimiseerd" in response.content.decode()


def test_nav_link_only_for_the_permission(client, w):
    client.force_login(w.officer)
    assert reverse("privacy:index") in client.get(reverse("privacy:index")).content.decode()
    client.force_login(w.consultant)
    assert reverse("privacy:index") not in client.get(reverse("cases:list")).content.decode()
