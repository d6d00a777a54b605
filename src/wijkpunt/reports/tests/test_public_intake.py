"""The resident's path: public form -> report -> tracking page -> e-mail; and bad input."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from wijkpunt.core.models import OutboxMessage
from wijkpunt.reports import services
from wijkpunt.reports.models import Attachment, Report, ReportEvent

from .conftest import jpeg_bytes, solved_altcha

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "description": "Er lekt water door het plafond van de badkamer, het druppelt al de hele dag.",
        "location_kind": "adres", "postcode": "3701 ab", "house_number": "12",
        "reporter_email": "melder@example.nl", "idempotency_key": "k-123", "altcha": solved_altcha(),
    }
    data.update(overrides)
    return data


def test_form_page_renders_with_captcha_and_honeypot(client, world):
    response = client.get(reverse("public:report_create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "altcha-widget" in html
    assert 'name="website"' in html
    assert 'name="idempotency_key"' in html
    assert "Content-Security-Policy" in response.headers


def test_resident_files_report_with_photo_and_gets_tracking_link_and_mail(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("public:report_create"),
                               {**form_data(), "photos": [SimpleUploadedFile("f.jpg", jpeg_bytes(), "image/jpeg")]})
    assert response.status_code == 302
    report = Report.objects.get()
    assert response.url == reverse("public:done", args=[report.tracking_token])
    assert report.unit == world.unit and report.organisation == world.corp
    assert report.neighbourhood == world.buurt and report.complex == world.complex
    assert report.channel == "INT" and report.status == "nieuw" and report.vera_status == "REG"
    assert report.reference.startswith("M") and report.deadline is not None
    assert report.events.get().kind == ReportEvent.Kind.CREATED
    # the photo is stored re-encoded without EXIF (no GPS location)
    attachment = Attachment.objects.get()
    with Image.open(attachment.file.path) as img:
        assert not img.getexif()
    # e-mail went through the outbox after commit
    assert OutboxMessage.objects.get().status == "sent"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["melder@example.nl"]
    assert report.tracking_token in mail.outbox[0].body
    # tracking page shows status and photo, not internal notes
    page = client.get(reverse("public:track", args=[report.tracking_token]))
    assert page.status_code == 200 and report.reference in page.content.decode()


def test_retried_form_submission_returns_first_report(client, world):
    data = form_data()
    first = client.post(reverse("public:report_create"), data)
    second = client.post(reverse("public:report_create"), data)  # same captcha too: a network retry
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Report.objects.count() == 1


def test_honeypot_blocks_bots(client, world):
    response = client.post(reverse("public:report_create"), form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_missing_or_forged_captcha_is_refused(client, world):
    data = form_data()
    data.pop("altcha")
    assert client.post(reverse("public:report_create"), data).status_code == 400
    assert client.post(reverse("public:report_create"), form_data(altcha="Zm9yZ2Vk")).status_code == 400
    assert Report.objects.count() == 0


def test_captcha_cannot_be_replayed_for_a_second_report(client, world):
    token = solved_altcha()
    assert client.post(reverse("public:report_create"), form_data(altcha=token, idempotency_key="a")).status_code == 302
    response = client.post(reverse("public:report_create"),
                           form_data(altcha=token, idempotency_key="b", description="Nog een andere melding hier"))
    assert response.status_code == 400
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": ""}, "description", "Beschrijf kort wat er aan de hand is."),
        ({"postcode": "0123AB"}, "postcode", "Vul een geldige postcode in"),
        ({"postcode": ""}, "postcode", "Vul de postcode in."),
        ({"house_number": "abc"}, "house_number", "Een huisnummer is een getal."),
        ({"house_number": "99"}, "house_number", "Dit adres kennen wij niet"),
        ({"house_letter": "AB"}, "house_letter", ""),
        ({"addition": "TOOLONG"}, "addition", ""),
        ({"house_number": "14"}, "addition", "meerdere woningen"),
        ({"location_kind": "kaart"}, "latitude", "Kies een punt op de kaart"),
        ({"location_kind": "kaart", "latitude": "40.1", "longitude": "5.1"}, "latitude", "niet in Nederland"),
        ({"location_kind": "complex"}, "complex", "Kies het complex."),
        ({"location_kind": "complex", "complex": "999999"}, "complex", "Kies een complex uit de lijst."),
        ({"location_kind": "maan"}, "location_kind", ""),
        ({"reporter_email": "geen-mail"}, "reporter_email", "geldig e-mailadres"),
        ({"reporter_phone": "12"}, "reporter_phone", "geldig telefoonnummer"),
        ({"occurred_at": "gisteren"}, "occurred_at", "Vul een datum en tijd in"),
        ({"occurred_at": "2099-01-01T10:00"}, "occurred_at", "toekomst"),
        ({"contact_consent": "on", "reporter_email": ""}, "reporter_phone", "als wij contact mogen opnemen"),
    ],
)
def test_bad_input_gets_a_field_level_dutch_message(client, world, overrides, field, message):
    response = client.post(reverse("public:report_create"), form_data(**overrides), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert 'id="foutmeldingen"' in response.content.decode()  # the error summary
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("a.jpg", b"not an image at all", "image/jpeg")], "geen geldige foto"),
        ([("a.gif", None, "image/gif")], "geen foto"),
        ([("a.jpg", "JPEG", "image/jpeg")] * 4, "maximaal 3"),
    ],
)
def test_bad_photos_are_refused_by_content(client, world, files, message):
    uploads = []
    for name, content, ctype in files:
        if content is None:
            import io

            buf = io.BytesIO()
            Image.new("RGB", (10, 10)).save(buf, "GIF")
            content = buf.getvalue()
        elif content == "JPEG":
            content = jpeg_bytes()
        uploads.append(SimpleUploadedFile(name, content, ctype))
    response = client.post(reverse("public:report_create"), {**form_data(), "photos": uploads})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["photos"])
    assert Report.objects.count() == 0 and Attachment.objects.count() == 0


def test_too_large_photo_is_refused(client, world, settings):
    settings.MAX_PHOTO_BYTES = 1000
    big = SimpleUploadedFile("big.jpg", jpeg_bytes(size=(400, 400)), "image/jpeg")
    response = client.post(reverse("public:report_create"), {**form_data(), "photos": [big]})
    assert response.status_code == 400
    assert "te groot" in " ".join(response.context["form"].errors["photos"])


def test_map_point_and_common_area_locations(client, world):
    r1 = client.post(reverse("public:report_create"), form_data(
        location_kind="kaart", latitude="52.089100", longitude="5.233100", postcode="", house_number="",
        idempotency_key="map"))
    assert r1.status_code == 302
    r2 = client.post(reverse("public:report_create"), form_data(
        location_kind="complex", complex=str(world.complex.pk), postcode="", house_number="", idempotency_key="cx",
        altcha=solved_altcha()))
    assert r2.status_code == 302
    on_map = Report.objects.get(idempotency_key=services.scoped_key("web", "map"))
    assert on_map.location_kind == "kaart" and on_map.unit == world.unit  # nearest registered unit
    assert on_map.organisation == world.corp
    common = Report.objects.get(idempotency_key=services.scoped_key("web", "cx"))
    assert common.complex == world.complex and common.unit is None


def test_rate_limit_on_public_form(client, world, settings):
    settings.PUBLIC_RATE_LIMIT = 2
    codes = [client.post(reverse("public:report_create"), form_data(idempotency_key=f"r{i}",
             description=f"Melding nummer {i} over de kapotte lamp", altcha=solved_altcha())).status_code
             for i in range(3)]
    assert codes == [302, 302, 429]


def test_unknown_tracking_token_is_404(client, world):
    assert client.get(reverse("public:track", args=["nope"])).status_code == 404
    assert client.get(reverse("public:track", args=["x" * 100])).status_code == 404


def test_suggestion_endpoint_answers_for_dutch_text(client, world):
    response = client.post(reverse("public:suggest"), {"description": "ik ruik gas in het trappenhuis"})
    assert response.status_code == 200
    assert "Spoed" in response.content.decode()


def test_english_interface_is_available(client, world):
    client.post(reverse("set_language"), {"language": "en", "next": "/melden/"})
    response = client.get(reverse("public:report_create"))
    assert response.status_code == 200
