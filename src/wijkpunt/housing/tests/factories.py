"""factory-boy factories for the housing register (usable by every app).

    unit = UnitFactory()                       # with corporation, complex, buurt, gemeente
    TenancyFactory(unit=unit)                  # a current tenancy with a household
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from wijkpunt.core.tests.factories import CorporationFactory
from wijkpunt.housing.models import Complex, Household, Municipality, Neighbourhood, Tenancy, Unit


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = "GM0355"
    name = "Zeist"


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood
        django_get_or_create = ("code",)

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"BU{o.municipality.code[2:]}01{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Buurt {n}")
    district_code = factory.LazyAttribute(lambda o: f"WK{o.code[2:8]}")
    district_name = "Centrum"


class ComplexFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complex
        django_get_or_create = ("corporation", "code")

    corporation = factory.SubFactory(CorporationFactory)
    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"Merelhof {n}")
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    corporation = factory.SubFactory(CorporationFactory)
    complex = factory.SubFactory(
        ComplexFactory, corporation=factory.SelfAttribute("..corporation")
    )
    neighbourhood = factory.LazyAttribute(lambda o: o.complex.neighbourhood if o.complex else NeighbourhoodFactory())
    code = factory.Sequence(lambda n: f"E{n:06d}")
    kind = Unit.Kind.APARTMENT
    street = "Merelstraat"
    house_number = factory.Sequence(lambda n: n + 1)
    house_letter = ""
    house_number_addition = ""
    postcode = "3701AB"
    city = "Zeist"
    bag_id = factory.Sequence(lambda n: f"0355010000{n:06d}")
    latitude = Decimal("52.089000")
    longitude = Decimal("5.233000")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    corporation = factory.SubFactory(CorporationFactory)
    name = factory.Iterator(["J. de Vries", "Fam. El Amrani", "M. Yılmaz", "Fam. Wijngaarde", "A. Nowak"])
    composition = Household.Composition.SINGLE
    size = 1
    contact_phone = ""
    contact_email = ""


class TenancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenancy

    contract_number = factory.Sequence(lambda n: f"HO{n:07d}")
    unit = factory.SubFactory(UnitFactory)
    household = factory.SubFactory(HouseholdFactory, corporation=factory.SelfAttribute("..unit.corporation"))
    start_date = dt.date(2015, 4, 1)
    end_date = None
    monthly_rent = Decimal("612.45")
