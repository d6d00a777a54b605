"""Fixtures for report tests: a small corporation with one complex, units and a user per role."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wijkpunt.core.models import Membership, Organisation, Team, User
from wijkpunt.housing.models import Complex, Municipality, Neighbourhood, Unit

PASSWORD = "wijkpunt-test-123"


def make_user(username: str, org: Organisation, role: str, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, email=f"{username}@example.nl",
                                    first_name=username.capitalize(), **extra)
    Membership.objects.create(user=user, organisation=org, role=Group.objects.get(name=role))
    return user


@pytest.fixture
def world(db):
    # A transactional test before this one may have flushed the tables that data migrations fill.
    from wijkpunt.reports.models import Category
    from wijkpunt.reports.taxonomy import load_taxonomy

    load_taxonomy(Category)
    corp = Organisation.objects.create(name="Woonstichting Test", slug="test", kind="corporatie",
                                       email="info@test.example")
    other_corp = Organisation.objects.create(name="Andere Corporatie", slug="ander", kind="corporatie")
    wijkteam = Organisation.objects.create(name="Wijkteam Oost", slug="wijkteam", kind="partner",
                                           partner_type="wijkteam", email="wijkteam@example.nl")
    police = Organisation.objects.create(name="Politie", slug="politie", kind="partner", partner_type="wijkagent")
    muni = Municipality.objects.create(code="GM0355", name="Zeist")
    buurt = Neighbourhood.objects.create(code="BU03550101", name="Vogelwijk", district_code="WK035501",
                                         district_name="Noord", municipality=muni)
    cx = Complex.objects.create(corporation=corp, code="C001", name="Merelhof", neighbourhood=buurt)
    cx_other = Complex.objects.create(corporation=other_corp, code="X001", name="Elders", neighbourhood=buurt)
    unit = Unit.objects.create(corporation=corp, complex=cx, neighbourhood=buurt, code="E1", street="Merelstraat",
                               house_number=12, postcode="3701AB", city="Zeist", bag_id="0355010000012345",
                               latitude=Decimal("52.089000"), longitude=Decimal("5.233000"))
    unit_a = Unit.objects.create(corporation=corp, complex=cx, neighbourhood=buurt, code="E2", street="Merelstraat",
                                 house_number=14, house_letter="A", postcode="3701AB", city="Zeist")
    unit_b = Unit.objects.create(corporation=corp, complex=cx, neighbourhood=buurt, code="E3", street="Merelstraat",
                                 house_number=14, house_letter="B", postcode="3701AB", city="Zeist")
    other_unit = Unit.objects.create(corporation=other_corp, complex=cx_other, neighbourhood=buurt, code="X1",
                                     street="Lijsterlaan", house_number=3, postcode="3702CD", city="Zeist")
    team = Team.objects.create(organisation=corp, name="Team Reparatie", slug="reparatie")
    users = {
        "staff": make_user("complexbeheerder", corp, "complexbeheerder"),
        "consultant": make_user("wijkconsulent", corp, "wijkconsulent"),
        "admin": make_user("beheerder", corp, "beheerder", is_staff=True),
        "volunteer": make_user("vrijwilliger", corp, "bewonerskracht", phone="+31612345678"),
        "volunteer2": make_user("vrijwilliger2", corp, "bewonerskracht"),
        "partner": make_user("wijkteam", wijkteam, "partner-medewerker"),
        "police": make_user("agent", police, "partner-medewerker"),
        "other_staff": make_user("anderbeheerder", other_corp, "complexbeheerder"),
        "nobody": User.objects.create_user(username="niemand", password=PASSWORD),
    }
    return type("World", (), {
        "corp": corp, "other_corp": other_corp, "wijkteam": wijkteam, "police": police, "buurt": buurt,
        "complex": cx, "unit": unit, "unit_a": unit_a, "unit_b": unit_b, "other_unit": other_unit, "team": team,
        **users, "users": users,
    })


def jpeg_bytes(size=(64, 48), exif_gps=True) -> bytes:
    image = Image.new("RGB", size, (200, 80, 40))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "TestCam"  # Make
        exif[0x8825] = {1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (5.0, 14.0, 0.0)}  # GPS IFD
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def photo():
    return SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg")


def solved_altcha() -> str:
    """Solve a real proof-of-work challenge, as the browser widget does."""
    import base64
    import json

    import altcha
    from django_altcha import get_altcha_challenge

    challenge = get_altcha_challenge(max_number=2000)
    solution = altcha.solve_challenge(challenge.challenge, challenge.salt, challenge.algorithm,
                                      challenge.max_number, 0)
    payload = {"algorithm": challenge.algorithm, "challenge": challenge.challenge, "number": solution.number,
               "salt": challenge.salt, "signature": challenge.signature}
    return base64.b64encode(json.dumps(payload).encode()).decode()
