"""Logged-in intake: staff record phone calls and desk visits, volunteers report from a round."""

import pytest
from django.urls import reverse

from wijkpunt.reports.models import Category, Report

pytestmark = pytest.mark.django_db


def data(**extra):
    return {"description": "Bewoner belt: de lift staat al twee dagen stil op de derde verdieping",
            "location_kind": "adres", "postcode": "3701AB", "house_number": "12", "idempotency_key": "t1", **extra}


def test_staff_records_a_phone_call_with_category_and_urgency(client, world):
    client.force_login(world.staff)
    page = client.get(reverse("staff:intake"))
    assert page.status_code == 200 and 'name="channel"' in page.content.decode()
    lift = Category.objects.get(slug="lift")
    response = client.post(reverse("staff:intake"), data(channel="TEL", category=lift.pk, urgency="hoog",
                                                         reporter_name="Mw. Bos", reporter_phone="0301234567"))
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == reverse("staff:report", args=[report.pk])
    assert (report.channel, report.category, report.urgency) == ("TEL", lift, "hoog")
    assert report.reporter_user == world.staff and report.reporter_phone == "+31301234567"
    assert "altcha" not in page.content.decode()  # no captcha for logged-in users


def test_staff_intake_retry_does_not_duplicate(client, world):
    client.force_login(world.staff)
    client.post(reverse("staff:intake"), data(channel="TEL"))
    client.post(reverse("staff:intake"), data(channel="TEL"))
    assert Report.objects.count() == 1


def test_volunteer_reports_from_a_round(client, world):
    client.force_login(world.volunteer)
    page = client.get(reverse("staff:intake"))
    assert 'name="channel"' not in page.content.decode()
    response = client.post(reverse("staff:intake"), data(channel="TEL", urgency="spoed"))  # ignored for volunteers
    report = Report.objects.get()
    assert response.url == reverse("staff:my_reports")
    assert report.channel == "BEZ" and report.reporter_user == world.volunteer
    mine = client.get(reverse("staff:my_reports")).content.decode()
    assert report.reference in mine


def test_volunteer_map_point_without_unit_goes_to_own_corporation(client, world):
    client.force_login(world.volunteer)
    client.post(reverse("staff:intake"), data(location_kind="kaart", latitude="53.2", longitude="6.5",
                                              postcode="", house_number=""))
    report = Report.objects.get()
    assert report.organisation == world.corp and report.unit is None


@pytest.mark.parametrize("role", ["partner", "nobody"])
def test_others_may_not_use_logged_in_intake(client, world, role):
    client.force_login(world.users[role])
    assert client.get(reverse("staff:intake")).status_code == 403
    assert client.post(reverse("staff:intake"), data()).status_code == 403
    assert Report.objects.count() == 0


def test_bad_input_on_logged_in_intake(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("staff:intake"), data(postcode="XYZ", channel="FAX"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "postcode" in errors and "channel" in errors
    assert Report.objects.count() == 0
