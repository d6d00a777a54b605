"""Cases: the list, the case page (logged), notes, closing, and the forbidden paths."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from wijkpunt.cases import services
from wijkpunt.cases.models import Case, CaseNote, ConsultantArea
from wijkpunt.core.models import AccessLog

from .factories import build_world

REASONS = ["Huurachterstand € 900,00 (1,5 maanden huur) sinds 01-09-2026", "Zorgsignaal: eenzaamheid (12-10-2026)"]


@pytest.fixture
def w(db):
    return build_world()


def make_case(w, tenancy=None, *, assigned_to=None, org=None) -> Case:
    tenancy = tenancy or w.jansen
    case, created = services.open_case(
        organisation_id=(org or w.corp).pk, household=tenancy.household, unit=tenancy.unit, reasons=REASONS,
        assigned_to=assigned_to or w.consultant, opened_by=w.regisseur,
    )
    assert created
    return case


def detail(case) -> str:
    return reverse("cases:detail", args=[case.pk])


# --------------------------------------------------------------------------- services


def test_open_case_once_per_household(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(w)
        again, created = services.open_case(
            organisation_id=w.corp.pk, household=w.jansen.household, unit=w.jansen.unit, reasons=["iets anders"],
            assigned_to=w.consultant2, opened_by=w.incasso,
        )
    assert not created and again == case and Case.objects.count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [w.consultant.email]
    assert mail.outbox[0].subject == "Nieuwe casus in Wijkpunt"
    # After closing, a new case may be opened.
    services.close_case(case, w.consultant, text="Hulp loopt via het wijkteam.")
    assert make_case(w).pk != case.pk


def test_the_database_refuses_a_second_open_case(w):
    case = make_case(w)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(organisation=w.corp, household=case.household, title="dubbel", reasons=REASONS)


def test_open_case_checks_consultant_and_reasons(w):
    for consultant in (w.staff, w.other_consultant, w.incasso, None):
        with pytest.raises(ValidationError) as exc:
            services.open_case(organisation_id=w.corp.pk, household=w.jansen.household, unit=w.jansen.unit,
                               reasons=REASONS, assigned_to=consultant, opened_by=w.regisseur)
        assert "assigned_to" in exc.value.message_dict
    w.consultant.is_active = False
    w.consultant.save()
    with pytest.raises(ValidationError):
        make_case(w)
    with pytest.raises(ValidationError) as exc:
        services.open_case(organisation_id=w.corp.pk, household=w.jansen.household, unit=w.jansen.unit,
                           reasons=["  "], assigned_to=w.consultant2, opened_by=w.regisseur)
    assert "reasons" in exc.value.message_dict
    assert not Case.objects.exists()


def test_no_mail_without_an_address(w, django_capture_on_commit_callbacks):
    w.consultant.email = ""
    w.consultant.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_case(w)
    assert mail.outbox == []


def test_notes_are_append_only(w):
    note = services.add_note(make_case(w), w.consultant, text="Gebeld, afspraak gemaakt.")
    with pytest.raises(ValueError):
        note.save()


def test_consultants_and_defaults_follow_permissions(w):
    assert set(services.consultants([w.corp.pk])) == {w.consultant, w.consultant2, w.regisseur, w.admin}
    ConsultantArea.objects.create(organisation=w.corp, neighbourhood=w.vogelwijk, consultant=w.consultant2)
    ConsultantArea.objects.create(organisation=w.corp, neighbourhood=w.bomen, consultant=w.staff)  # not eligible
    defaults = services.default_consultants({(w.corp.pk, w.vogelwijk.pk), (w.corp.pk, w.bomen.pk)})
    assert defaults == {(w.corp.pk, w.vogelwijk.pk): w.consultant2.pk}
    area = ConsultantArea(organisation=w.corp, neighbourhood=w.lombok, consultant=w.staff)
    with pytest.raises(ValidationError):
        area.full_clean()


# --------------------------------------------------------------------------- pages


def test_list_shows_own_cases_first_and_only_own_organisation(client, w):
    theirs = make_case(w, w.jansen, assigned_to=w.consultant2)
    mine = make_case(w, w.visser, assigned_to=w.consultant)
    other = make_case(w, w.elders, assigned_to=w.other_consultant, org=w.other_corp)
    client.force_login(w.consultant)
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    assert [c.pk for c in response.context["cases"]] == [mine.pk, theirs.pk]
    assert other.title not in response.content.decode()
    assert [c.pk for c in client.get(reverse("cases:list"), {"mijn": "1"}).context["cases"]] == [mine.pk]
    services.close_case(theirs, w.consultant2, text="Klaar.")
    assert [c.pk for c in client.get(reverse("cases:list")).context["cases"]] == [mine.pk]
    assert [c.pk for c in client.get(reverse("cases:list"), {"status": "closed"}).context["cases"]] == [theirs.pk]
    assert client.get(reverse("cases:list"), {"status": "bogus"}).status_code == 200
    assert not AccessLog.objects.exists()  # the list shows no reasons


def test_case_page_shows_the_reasons_and_logs_every_view(client, w):
    case = make_case(w)
    client.force_login(w.consultant)
    for _i in range(2):
        response = client.get(detail(case))
        assert response.status_code == 200
    body = response.content.decode()
    assert all(reason in body for reason in REASONS)
    logs = AccessLog.objects.filter(subject="case")
    assert logs.count() == 2
    assert set(logs.values_list("user_id", "organisation_id", "subject_id", "household_id")) == {
        (w.consultant.pk, w.corp.pk, case.pk, case.household_id)}


def test_add_note_and_empty_note(client, w):
    case = make_case(w)
    client.force_login(w.consultant)
    response = client.post(reverse("cases:add_note", args=[case.pk]), {"notitie-text": "  Huisbezoek gedaan.  "})
    assert response.status_code == 302 and response["Location"] == detail(case)
    assert list(case.notes.values_list("text", "author_id")) == [("Huisbezoek gedaan.", w.consultant.pk)]
    response = client.post(reverse("cases:add_note", args=[case.pk]), {"notitie-text": "   "})
    assert response.status_code == 400
    assert response.context["note_form"].errors["text"] == ["Schrijf een notitie."]
    assert case.notes.count() == 1


def test_close_with_a_note_and_not_twice(client, w):
    case = make_case(w)
    client.force_login(w.consultant)
    url = reverse("cases:close", args=[case.pk])
    response = client.post(url, {"afsluiten-text": ""})
    assert response.status_code == 400 and "text" in response.context["close_form"].errors
    response = client.post(url, {"afsluiten-text": "Schuldhulp gestart, huur wordt betaald."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_on == timezone.localdate()
    response = client.post(url, {"afsluiten-text": "Nog een keer."})
    assert response.status_code == 400
    assert response.context["forms"]["close"].errors["text"] == ["Deze casus is al afgesloten."]
    assert "Deze casus is al afgesloten." in response.content.decode()
    assert list(case.notes.values_list("is_closing", flat=True)) == [True]
    response = client.post(reverse("cases:add_note", args=[case.pk]), {"notitie-text": "Nog iets."})
    assert response.status_code == 400 and case.notes.count() == 1
    assert 'data-testid="close-form"' not in client.get(detail(case)).content.decode()


def test_other_organisations_case_is_not_found(client, w):
    case = make_case(w)
    client.force_login(w.other_consultant)
    assert client.get(detail(case)).status_code == 404
    assert client.post(reverse("cases:add_note", args=[case.pk]), {"notitie-text": "x"}).status_code == 404
    assert client.post(reverse("cases:close", args=[case.pk]), {"afsluiten-text": "x"}).status_code == 404
    assert client.get(reverse("cases:detail", args=[987654])).status_code == 404
    assert not AccessLog.objects.exists() and not case.notes.exists()


def test_partner_not_taking_part_sees_nothing(client, w):
    """A partner professional (cases.take_part) reaches the list, but a case their organisation is
    not invited to does not exist for them."""
    case = make_case(w)
    client.force_login(w.partner)
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200 and f'data-case="{case.pk}"' not in response.content.decode()
    assert client.get(detail(case)).status_code == 404
    assert client.post(reverse("cases:add_note", args=[case.pk]), {"notitie-text": "x"}).status_code == 404
    assert client.post(reverse("cases:close", args=[case.pk]), {"afsluiten-text": "x"}).status_code == 404
    assert not AccessLog.objects.exists() and not case.notes.exists()


@pytest.mark.parametrize("who", ["staff", "incasso", "volunteer", "manager", "nobody"])
def test_forbidden_without_work_on_cases(client, w, who):
    case = make_case(w)
    client.force_login(getattr(w, who))
    assert client.get(reverse("cases:list")).status_code == 403
    assert client.get(detail(case)).status_code == 403
    assert client.post(reverse("cases:add_note", args=[case.pk]), {"notitie-text": "x"}).status_code == 403
    assert client.post(reverse("cases:close", args=[case.pk]), {"afsluiten-text": "x"}).status_code == 403
    assert not AccessLog.objects.exists()


def test_anonymous_and_wrong_method(client, w):
    case = make_case(w)
    assert client.get(detail(case)).status_code == 302
    client.force_login(w.consultant)
    assert client.get(reverse("cases:close", args=[case.pk])).status_code == 405
    assert client.get(reverse("cases:add_note", args=[case.pk])).status_code == 405


def test_navigation_link(client, w):
    client.force_login(w.consultant)
    assert 'href="/werk/casussen/"' in client.get(reverse("cases:list")).content.decode()
    client.force_login(w.staff)
    assert 'href="/werk/casussen/"' not in client.get("/werk/", follow=True).content.decode()


# --------------------------------------------------------------------------- roles


def test_default_roles_carry_the_case_permissions(w):
    def perms(role):
        return set(Group.objects.get(name=role).permissions.filter(content_type__app_label="cases")
                   .values_list("codename", flat=True))

    assert perms("wijkconsulent") == {"work_on_cases", "view_care", "view_debt"}
    assert perms("regisseur-sociaal-beheer") == {"work_on_cases", "open_case", "view_care", "view_debt",
                                                 "emergency_share"}
    assert perms("incasso-medewerker") == {"open_case"}
    # Not answer_access_request: the export holds care and debt details the beheerder may not read.
    assert perms("beheerder") == {"work_on_cases", "open_case", "manage_retention"}
    assert perms("partner-medewerker") == {"take_part"}
    assert perms("zorgprofessional") == {"take_part", "view_care"}
    assert perms("schuldhulpverlener") == {"take_part", "view_debt"}
    assert perms("wijkteam-medewerker") == {"take_part", "view_care", "view_debt"}
    assert perms("privacy-officer") == {"answer_access_request", "manage_retention"}
    assert perms("complexbeheerder") == perms("bewonerskracht") == set()


def test_migration_grants_existing_groups(db):
    from django.apps import apps

    grants = importlib.import_module("wijkpunt.cases.migrations.0002_grant_default_roles")
    group = Group.objects.get_or_create(name="wijkconsulent")[0]
    group.permissions.remove(*Permission.objects.filter(content_type__app_label="cases"))
    renamed = Group.objects.create(name="eigen-rol")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    grants.grant(apps, editor)
    assert set(group.permissions.filter(content_type__app_label="cases").values_list("codename", flat=True)) == {
        "work_on_cases"}
    assert not renamed.permissions.exists()
    assert CaseNote.objects.count() == 0


def test_issue5_migration_grants_existing_groups(db):
    """cases/0004 gives existing default groups the care/debt, emergency and partner permissions."""
    from django.apps import apps

    from wijkpunt.core.migration_grants import grant_to_default_groups

    module = importlib.import_module("wijkpunt.cases.migrations.0004_backfill_and_grants")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in module.GRANTS}
    for group in groups.values():
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="cases"))
    renamed = Group.objects.create(name="eigen-rol")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    grant_to_default_groups("cases", module.GRANTS)(apps, editor)
    for name, codenames in module.GRANTS.items():
        assert set(groups[name].permissions.filter(content_type__app_label="cases").values_list(
            "codename", flat=True)) == set(codenames)
    assert not renamed.permissions.exists()
