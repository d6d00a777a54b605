import pytest
from django.core.cache import cache

from wijkpunt.core.tests.factories import CorporationFactory, PartnerFactory, UserFactory, membership


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth keeps used TOTP codes and rate limits in the cache; start every test without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def corp(db):
    return CorporationFactory(name="Woonstichting Lindehof")


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Wijkteam Zeist")


@pytest.fixture
def staff(corp):
    user = UserFactory(username="medewerker")
    membership(user, corp, "complexbeheerder")
    return user


@pytest.fixture
def volunteer(corp):
    user = UserFactory(username="vrijwilliger")
    membership(user, corp, "bewonerskracht")
    return user
