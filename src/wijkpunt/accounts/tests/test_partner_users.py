"""Partner organisations administer their own users within the corporation's policy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from wijkpunt.accounts.models import PartnerUserPolicy
from wijkpunt.core.models import Membership, OutboxMessage, User
from wijkpunt.core.tests.factories import PartnerFactory, UserFactory, membership, role

pytestmark = pytest.mark.django_db
USERS = "/werk/organisatie/gebruikers/"
CREATE = "/werk/organisatie/gebruikers/nieuw/"


@pytest.fixture
def partner_admin(partner):
    user = UserFactory(username="partnerbeheer")
    membership(user, partner, "partner-beheerder")
    return user


@pytest.fixture
def policy(corp, partner):
    p = PartnerUserPolicy.objects.create(corporation=corp, partner=partner, max_users=3)
    p.allowed_roles.add(role("partner-medewerker"))
    return p


@pytest.fixture
def colleague(partner):
    user = UserFactory(username="collega")
    membership(user, partner, "partner-medewerker")
    return user


def _new(client, **overrides):
    data = {"username": "nieuwe.collega", "first_name": "Nina", "last_name": "Bos", "email": "Nina@Example.nl",
            "role": role("partner-medewerker").pk, **overrides}
    return client.post(CREATE, data)


def test_list_shows_the_users_of_the_own_organisation_only(client, partner_admin, policy, colleague, staff):
    client.force_login(partner_admin)
    response = client.get(USERS)
    body = response.content.decode()
    assert response.status_code == 200
    assert "collega" in body and "partnerbeheer" in body and "medewerker" not in body.replace("Medewerker", "")
    assert "2 van de 3 actieve accounts" in body


def test_create_user_with_invitation(client, partner_admin, policy, partner, django_capture_on_commit_callbacks, mailoutbox):
    client.force_login(partner_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = _new(client)
    assert response.status_code == 302
    user = User.objects.get(username="nieuwe.collega")
    assert user.email == "nina@example.nl" and not user.has_usable_password() and user.is_active
    assert list(Membership.objects.filter(user=user).values_list("organisation_id", "role__name")) == [
        (partner.pk, "partner-medewerker")]
    message = OutboxMessage.objects.get(recipient="nina@example.nl")
    assert "/account/wachtwoord-instellen/" in message.body and "nieuwe.collega" in message.body
    assert len(mailoutbox) == 1
    link = next(line for line in message.body.splitlines() if "/account/wachtwoord-instellen/" in line)
    path = link.split("localhost:8000")[-1].strip() if "localhost:8000" in link else "/" + link.split("/", 3)[-1]
    client.logout()
    page = client.get(path, follow=True)
    assert page.status_code == 200 and "Wachtwoord instellen" in page.content.decode()
    done = client.post(page.redirect_chain[-1][0] if page.redirect_chain else path,
                       {"new_password1": "een-nieuw-lang-wachtwoord-9", "new_password2": "een-nieuw-lang-wachtwoord-9"})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    user.refresh_from_db()
    assert user.check_password("een-nieuw-lang-wachtwoord-9")
    again = client.get(path, follow=True)
    assert "Deze link werkt niet meer" in again.content.decode()


def test_create_is_audited(client, partner_admin, policy):
    from auditlog.models import LogEntry

    client.force_login(partner_admin)
    _new(client)
    entry = LogEntry.objects.filter(content_type__model="membership").latest("timestamp")
    assert entry.actor == partner_admin


def test_role_outside_policy_is_a_400_field_error(client, partner_admin, policy):
    client.force_login(partner_admin)
    response = _new(client, role=role("partner-beheerder").pk)
    assert response.status_code == 400
    assert "Deze rol mag uw organisatie niet toekennen." in response.content.decode()
    assert not User.objects.filter(username="nieuwe.collega").exists()


def test_corporation_role_cannot_be_granted(client, partner_admin, policy):
    client.force_login(partner_admin)
    response = _new(client, role=role("beheerder").pk)
    assert response.status_code == 400 and not User.objects.filter(username="nieuwe.collega").exists()


def test_bad_input_gives_field_errors_and_saves_nothing(client, partner_admin, policy, colleague):
    client.force_login(partner_admin)
    response = _new(client, username="collega", email="geen-adres", first_name="")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Deze gebruikersnaam bestaat al." in body and "foutmeldingen" in body
    assert User.objects.count() == 2


def test_over_the_maximum_is_refused(client, partner_admin, policy, colleague):
    UserFactory(username="derde").memberships.create(organisation=policy.partner, role=role("partner-medewerker"))
    client.force_login(partner_admin)
    response = _new(client)
    assert response.status_code == 400
    assert "het maximum dat met de corporatie is afgesproken" in response.content.decode()
    assert not User.objects.filter(username="nieuwe.collega").exists()


def test_expired_policy_allows_only_the_list(client, partner_admin, policy, colleague):
    policy.valid_until = timezone.localdate() - dt.timedelta(days=1)
    policy.save()
    client.force_login(partner_admin)
    page = client.get(USERS)
    assert page.status_code == 200 and 'data-testid="no-policy"' in page.content.decode()
    assert 'data-testid="user-form"' not in page.content.decode()
    assert _new(client).status_code == 400 and not User.objects.filter(username="nieuwe.collega").exists()
    assert client.post(reverse("accounts:user_active", args=[colleague.pk]), {"active": "0"}).status_code == 400
    colleague.refresh_from_db()
    assert colleague.is_active


def test_no_policy_allows_only_the_list(client, partner_admin, colleague):
    client.force_login(partner_admin)
    assert 'data-testid="no-policy"' in client.get(USERS).content.decode()
    assert _new(client).status_code == 400


def test_change_role_within_allowed_roles(client, partner_admin, policy, colleague):
    policy.allowed_roles.add(role("wijkteam-medewerker") if Group.objects.filter(name="wijkteam-medewerker").exists()
                             else role("partner-beheerder"))
    new_role = policy.allowed_roles.exclude(name="partner-medewerker").get()
    client.force_login(partner_admin)
    response = client.post(reverse("accounts:user", args=[colleague.pk]), {"role": new_role.pk})
    assert response.status_code == 302
    assert list(colleague.memberships.values_list("role__name", flat=True)) == [new_role.name]


def test_change_role_outside_allowed_is_400(client, partner_admin, policy, colleague):
    client.force_login(partner_admin)
    response = client.post(reverse("accounts:user", args=[colleague.pk]), {"role": role("partner-beheerder").pk})
    assert response.status_code == 400
    assert list(colleague.memberships.values_list("role__name", flat=True)) == ["partner-medewerker"]


def test_deactivate_and_reactivate(client, partner_admin, policy, colleague):
    client.force_login(partner_admin)
    url = reverse("accounts:user_active", args=[colleague.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert client.post(url, {"active": "1"}).status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_active


def test_reactivation_counts_against_the_maximum(client, partner_admin, policy, colleague):
    colleague.is_active = False
    colleague.save()
    policy.max_users = 2
    policy.save()
    UserFactory(username="derde").memberships.create(organisation=policy.partner, role=role("partner-medewerker"))
    client.force_login(partner_admin)
    response = client.post(reverse("accounts:user_active", args=[colleague.pk]), {"active": "1"})
    assert response.status_code == 400
    colleague.refresh_from_db()
    assert not colleague.is_active


def test_never_themselves(client, partner_admin, policy):
    client.force_login(partner_admin)
    response = client.post(reverse("accounts:user_active", args=[partner_admin.pk]), {"active": "0"})
    assert response.status_code == 400 and "Uw eigen account" in response.content.decode()
    partner_admin.refresh_from_db()
    assert partner_admin.is_active


def test_users_of_another_organisation_are_404(client, partner_admin, policy, staff):
    other_partner = PartnerFactory()
    stranger = UserFactory(username="vreemde")
    membership(stranger, other_partner, "partner-medewerker")
    client.force_login(partner_admin)
    for target in (stranger, staff):
        assert client.get(reverse("accounts:user", args=[target.pk])).status_code == 404
        assert client.post(reverse("accounts:user", args=[target.pk]),
                           {"role": role("partner-medewerker").pk}).status_code == 404
        assert client.post(reverse("accounts:user_active", args=[target.pk]), {"active": "0"}).status_code == 404
        target.refresh_from_db()
        assert target.is_active
    assert client.get(USERS + f"?organisatie={other_partner.pk}").status_code == 404


def test_user_who_is_also_member_elsewhere_cannot_be_changed(client, partner_admin, policy, colleague, corp):
    membership(colleague, corp, "complexbeheerder")
    client.force_login(partner_admin)
    page = client.get(reverse("accounts:user", args=[colleague.pk]))
    assert page.status_code == 200 and 'data-testid="cannot-manage"' in page.content.decode()
    assert client.post(reverse("accounts:user_active", args=[colleague.pk]), {"active": "0"}).status_code == 400
    colleague.refresh_from_db()
    assert colleague.is_active


def test_user_with_a_role_the_corporation_gave_cannot_be_changed(client, partner_admin, policy, partner):
    other_admin = UserFactory(username="tweede.beheerder")
    membership(other_admin, partner, "partner-beheerder")
    client.force_login(partner_admin)
    assert client.post(reverse("accounts:user_active", args=[other_admin.pk]), {"active": "0"}).status_code == 400
    other_admin.refresh_from_db()
    assert other_admin.is_active


def test_corporation_staff_without_the_permission_gets_403(client, staff, policy):
    client.force_login(staff)
    assert client.get(USERS).status_code == 403
    assert _new(client).status_code == 403
    assert client.get(reverse("accounts:policies")).status_code == 403


def test_volunteer_gets_403(client, volunteer, policy):
    client.force_login(volunteer)
    assert client.get(USERS).status_code == 403
    assert client.get(reverse("accounts:policies")).status_code == 403


def test_partner_admin_cannot_edit_policies(client, partner_admin, policy):
    client.force_login(partner_admin)
    assert client.get(reverse("accounts:policies")).status_code == 403
    assert client.post(reverse("accounts:policy_edit", args=[policy.pk]), {"max_users": 99}).status_code == 403


def test_strictest_policy_counts(corp, partner, policy):
    from wijkpunt.accounts.selectors import effective_policy
    from wijkpunt.core.tests.factories import CorporationFactory

    other = PartnerUserPolicy.objects.create(corporation=CorporationFactory(), partner=partner, max_users=2)
    other.allowed_roles.add(role("partner-medewerker"), role("partner-beheerder"))
    effective = effective_policy(partner)
    assert effective.max_users == 2
    assert effective.allowed_role_ids == {role("partner-medewerker").pk}


# -- the corporation's side ----------------------------------------------------------------------
@pytest.fixture
def corp_admin(corp):
    user = UserFactory(username="beheerder")
    membership(user, corp, "beheerder")
    return user


def test_corporation_admin_creates_and_edits_a_policy(client, corp_admin, corp, partner):
    from wijkpunt.network.models import ContactPoint

    client.force_login(corp_admin)
    assert client.get(reverse("accounts:policies")).status_code == 200
    data = {"partner": partner.pk, "max_users": 4, "allowed_roles": [role("partner-medewerker").pk], "valid_until": ""}
    # Only for a partner the corporation works with (here: none yet), and only partner roles.
    response = client.post(reverse("accounts:policy_create"), data)
    assert response.status_code == 400 and "werkt nog niet met deze partner samen" in response.content.decode()
    ContactPoint.objects.create(owner=corp, organisation=partner, kind="wijkteam", name="Wijkteam Zeist",
                                handles="Zorgen om bewoners")
    response = client.post(reverse("accounts:policy_create"), {**data, "allowed_roles": [role("wijkconsulent").pk]})
    assert response.status_code == 400 and not PartnerUserPolicy.objects.exists()
    response = client.post(reverse("accounts:policy_create"), data)
    assert response.status_code == 302
    policy = PartnerUserPolicy.objects.get(corporation=corp, partner=partner)
    assert policy.max_users == 4 and policy.created_by == corp_admin
    response = client.post(reverse("accounts:policy_edit", args=[policy.pk]), {
        "partner": partner.pk, "max_users": 6, "allowed_roles": [role("partner-medewerker").pk],
        "valid_until": "2030-01-01",
    })
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.max_users == 6 and policy.valid_until == dt.date(2030, 1, 1)
    assert "Wijkteam Zeist" in client.get(reverse("accounts:policies")).content.decode()


def test_policy_form_errors_are_400(client, corp_admin, corp, partner, policy):
    client.force_login(corp_admin)
    response = client.post(reverse("accounts:policy_create"), {"partner": partner.pk, "max_users": 0})
    assert response.status_code == 400
    assert "Met deze partner zijn al afspraken vastgelegd" in response.content.decode()
    assert PartnerUserPolicy.objects.count() == 1
    response = client.post(reverse("accounts:policy_create"), {"partner": corp.pk, "max_users": 2,
                                                               "allowed_roles": [role("partner-medewerker").pk]})
    assert response.status_code == 400


def test_policy_of_another_corporation_is_404(client, corp_admin, partner):
    from wijkpunt.core.tests.factories import CorporationFactory

    foreign = PartnerUserPolicy.objects.create(corporation=CorporationFactory(), partner=partner, max_users=2)
    client.force_login(corp_admin)
    assert client.get(reverse("accounts:policy_edit", args=[foreign.pk])).status_code == 404


def test_default_roles_carry_the_new_permissions(db):
    assert role("partner-beheerder").permissions.filter(codename="manage_own_users").exists()
    assert role("partner-beheerder").permissions.filter(codename="view_forwarded_reports").exists()
    assert role("beheerder").permissions.filter(codename="manage_partner_policies").exists()
    assert not role("partner-medewerker").permissions.filter(codename="manage_own_users").exists()


def test_navigation_links(client, partner_admin, corp_admin, policy):
    client.force_login(partner_admin)
    body = client.get("/").content.decode()
    assert USERS in body and "/account/2fa/" in body and "/werk/organisatie/partners/" not in body
    client.force_login(corp_admin)
    body = client.get("/").content.decode()
    assert "/werk/organisatie/partners/" in body and USERS not in body
