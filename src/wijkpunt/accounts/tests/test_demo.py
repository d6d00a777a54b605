import pytest

from wijkpunt.accounts.demo import seed_accounts_demo
from wijkpunt.accounts.models import PartnerUserPolicy
from wijkpunt.accounts.selectors import effective_policy
from wijkpunt.core.models import User
from wijkpunt.core.permissions import has_org_perm
from wijkpunt.core.tests.factories import CorporationFactory, PartnerFactory


@pytest.mark.django_db
def test_demo_policy_and_login_are_idempotent():
    corp = CorporationFactory()
    partner = PartnerFactory(slug="wijkteam-zeist", name="Wijkteam Zeist")
    logins = seed_accounts_demo(corp, password="wijkpunt-demo")
    assert [lg.username for lg in logins] == ["partnerbeheer"]
    seed_accounts_demo(corp, password="wijkpunt-demo")
    user = User.objects.get(username="partnerbeheer")
    assert user.check_password("wijkpunt-demo")
    assert has_org_perm(user, "accounts.manage_own_users", partner.pk)
    assert PartnerUserPolicy.objects.filter(corporation=corp, partner=partner).count() == 1
    assert effective_policy(partner).max_users == 5


@pytest.mark.django_db
def test_demo_without_the_partner_does_nothing():
    assert seed_accounts_demo(CorporationFactory(), password="x") == []
