"""Hardening found by an independent review: each test states the correct behaviour (proxy-aware
rate limits, admin scoped per corporation, partners without internal notes or reporter identity,
idempotency per caller, no 500 on odd input, exclusive outbox claims, double clicks)."""

import base64
import json
import threading
import time

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from wijkpunt.core import outbox
from wijkpunt.core.models import Organisation, OutboxMessage
from wijkpunt.reports import policies, selectors, services
from wijkpunt.reports.models import Category, Report, Status
from wijkpunt.reports.tests.conftest import solved_altcha
from wijkpunt.reports.tests.helpers import make_report


def form_data(**o):
    d = {
        "description": "Er lekt water door het plafond van de badkamer.",
        "location_kind": "adres",
        "postcode": "3701 ab",
        "house_number": "12",
        "idempotency_key": "k-1",
        "altcha": solved_altcha(),
    }
    d.update(o)
    return d


def cur(values):
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.django_db
def test_rate_limit_per_client_behind_proxy(client, world, settings):
    settings.PUBLIC_RATE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(2):
        client.post(
            reverse("public:report_create"),
            form_data(idempotency_key=f"s{i}", description=f"Onzin melding {i} van een bot"),
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    r = client.post(
        reverse("public:report_create"),
        form_data(idempotency_key="gas", description="Sterke gaslucht in het trappenhuis!"),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert r.status_code == 302
    # a client cannot escape by prepending its own X-Forwarded-For entry
    r = client.post(
        reverse("public:report_create"),
        form_data(idempotency_key="s9", description="Nog meer onzin van de bot"),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",
    )
    assert r.status_code == 429


@pytest.mark.django_db
def test_admin_is_scoped_to_own_corporation(client, world):
    rep = make_report(
        world,
        unit=world.other_unit,
        text="Zorg om de buurvrouw bij een andere corporatie",
        email="geheim@example.nl",
    )
    world.admin.groups.add(Group.objects.get(name="beheerder"))
    client.force_login(world.admin)
    assert client.get(reverse("admin:reports_report_change", args=[rep.pk])).status_code in (302, 404)
    assert "geheim@example.nl" not in client.get("/beheer/core/outboxmessage/").content.decode()
    assert client.get(reverse("admin:housing_unit_change", args=[world.other_unit.pk])).status_code in (
        302,
        404,
    )
    own = make_report(world, text="Lekkage bij de eigen corporatie, badkamer")
    assert client.get(reverse("admin:reports_report_change", args=[own.pk])).status_code == 200


@pytest.mark.django_db
def test_partner_sees_no_internal_notes_and_no_reporter_identity(client, world):
    politie = Organisation.objects.get(slug="politie")
    rep, _ = services.report_create(
        description="De buren dealen drugs vanuit de berging, elke avond.",
        channel="INT",
        location_kind="adres",
        unit=world.unit,
        category=Category.objects.get(slug="drugs"),
        reporter_name="Jan Klikker",
        reporter_email="jan@example.nl",
        contact_consent=False,
        suggestion={},
    )
    services.report_add_note(
        report=rep, actor=world.staff, text="INTERN: bewoner bekend bij GGZ", public=False
    )
    services.report_forward(report=rep, actor=world.staff, partner=politie, note="Graag poolshoogte nemen")
    client.force_login(world.police)
    html = client.get(reverse("staff:report", args=[rep.pk])).content.decode()
    assert "Jan Klikker" not in html and "INTERN: bewoner" not in html and "Graag poolshoogte" in html
    api = APIClient()
    api.force_authenticate(world.police)
    data = api.get(f"/api/v1/reports/{rep.pk}/").json()
    texts = json.dumps(data)
    assert "Jan Klikker" not in texts and "INTERN" not in texts
    client.force_login(world.staff)
    html = client.get(reverse("staff:report", args=[rep.pk])).content.decode()
    assert "INTERN: bewoner" in html and "Jan Klikker" in html


@pytest.mark.django_db
def test_partner_is_not_offered_a_status_that_locks_it_out(world):
    rep = make_report(world, text="Jongeren hangen elke avond bij de ingang", category="jongeren")
    services.report_forward(report=rep, actor=world.staff, partner=world.wijkteam)
    rep.refresh_from_db()
    assert Status.RESOLVED in policies.allowed_targets(world.partner, rep)
    assert Status.IN_PROGRESS not in policies.allowed_targets(world.partner, rep)


@pytest.mark.django_db
def test_idempotency_conflict_on_form_is_400(client, world):
    client.raise_request_exception = False
    assert client.post(reverse("public:report_create"), form_data()).status_code == 302
    r = client.post(reverse("public:report_create"), form_data(description="Een heel andere tekst over iets"))
    assert r.status_code == 400


@pytest.mark.django_db
def test_staff_key_does_not_return_other_corporations_report(world):
    api = APIClient()
    api.force_authenticate(world.staff)
    body = {
        "description": "Lekkage bij de buren, water loopt langs de muur.",
        "location": {"kind": "adres", "postcode": "3701AB", "house_number": 12},
    }
    r1 = api.post("/api/v1/reports/", body, format="json", HTTP_IDEMPOTENCY_KEY="intake-1")
    other = APIClient()
    other.force_authenticate(world.other_staff)
    r2 = other.post("/api/v1/reports/", body, format="json", HTTP_IDEMPOTENCY_KEY="intake-1")
    assert r2.status_code == 201 and r2.json()["id"] != r1.json()["id"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"buurt": "²"},
        {"behandelaar": "²"},
        {"buurt": "9" * 5000},
        {"q": "a\x00b"},
        {"categorie": "a\x00"},
        {"na": cur(["2024-13-45T00:00:00", 1])},
        {"na": cur(["9999-12-31T23:59:59-05:00", 1])},
        {"na": cur(["0001-01-01T00:00:00+05:00", 1])},
    ],
)
def test_queue_bad_input_never_500(client, world, params):
    client.raise_request_exception = False
    make_report(world)
    client.force_login(world.staff)
    assert client.get("/werk/werkvoorraad/", params).status_code == 200
    api = APIClient()
    api.force_authenticate(world.staff)
    api.raise_request_exception = False
    assert api.get("/api/v1/reports/", params).status_code == 200


@pytest.mark.django_db
def test_public_bad_input_never_500(client, world):
    client.raise_request_exception = False
    for url in (
        "/volgen/a%00b/",
        "/melden/ontvangen/a%00b/",
        "/volgen/a%00b/foto/1/",
        "/api/public/v1/reports/a%00b/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("public:report_create"), {"idempotency_key": "a\x00b", "description": "x"}
        ).status_code
        == 400
    )
    r = client.post(reverse("public:report_create"), form_data(occurred_at="01-01-0001 00:00"))
    assert r.status_code == 400


@pytest.mark.django_db
def test_search_for_words_starting_with_m(client, world):
    rep = make_report(world, text="Muizen in de kelder van het complex")
    client.force_login(world.staff)
    assert [r.pk for r in client.get("/werk/werkvoorraad/", {"q": "muizen"}).context["page"].reports] == [
        rep.pk
    ]
    assert [
        r.pk for r in client.get("/werk/werkvoorraad/", {"q": rep.reference.lower()}).context["page"].reports
    ] == [rep.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("sort", list(selectors.SORTS))
def test_keyset_walk_with_null_deadlines_and_ties(world, sort):
    from django.utils import timezone

    t = timezone.now().replace(microsecond=0)
    made = [
        make_report(
            world, text=f"Lekkage nummer {i} in de badkamer", urgency=["spoed", "hoog", "normaal"][i % 3]
        ).pk
        for i in range(9)
    ]
    Report.objects.filter(pk__in=made[:4]).update(created_at=t, deadline=t)
    Report.objects.filter(pk__in=made[4:7]).update(deadline=None)
    f = selectors.QueueFilters(sort=sort, status="alle")
    seen, cursor = [], ""
    for _ in range(20):
        p = selectors.queue_page(world.staff, f, cursor=cursor, page_size=2)
        seen += [r.pk for r in p.reports]
        if not p.next_cursor:
            break
        cursor = p.next_cursor
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))


@pytest.mark.django_db
def test_palette_png_keeps_its_colours():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from wijkpunt.reports.photos import clean_photo

    im = Image.new("RGB", (40, 30), (200, 30, 30)).convert("P", palette=Image.ADAPTIVE)
    b = io.BytesIO()
    im.save(b, "PNG")
    c = clean_photo(SimpleUploadedFile("x.png", b.getvalue()))
    assert Image.open(io.BytesIO(c.content)).convert("RGB").getpixel((1, 1)) == (200, 30, 30)


@pytest.mark.django_db(transaction=True)
def test_outbox_claim_is_exclusive():
    if connection.vendor == "sqlite":
        pytest.skip(
            "concurrent writers need a server database: the in-memory SQLite test database locks instead of waiting (runs in the PostgreSQL pass)"
        )
    msg = OutboxMessage.objects.create(idempotency_key="x", recipient="a@example.nl", subject="s", body="b")
    results, started = {}, threading.Event()

    def second():
        started.set()
        results["B"] = outbox._claim(msg.pk)
        connections.close_all()

    with transaction.atomic():
        results["A"] = outbox._claim(msg.pk)
        t = threading.Thread(target=second)
        t.start()
        started.wait()
        time.sleep(0.5)
    t.join()
    assert results == {"A": True, "B": False}


@pytest.mark.django_db(transaction=True)
def test_double_click_returns_first_report(world, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip(
            "concurrent writers need a server database: the in-memory SQLite test database locks instead of waiting (runs in the PostgreSQL pass)"
        )
    from django.test import Client

    original = services.report_create

    def slow(**kw):
        time.sleep(1.0)
        return original(**kw)

    monkeypatch.setattr(services, "report_create", slow)
    data, results = form_data(), []

    def post():
        r = Client().post(reverse("public:report_create"), data)
        results.append((r.status_code, r.get("Location")))
        connections.close_all()

    a = threading.Thread(target=post)
    a.start()
    time.sleep(0.3)
    b = threading.Thread(target=post)
    b.start()
    a.join()
    b.join()
    assert [s for s, _ in results] == [302, 302] and results[0][1] == results[1][1]
    assert Report.objects.count() == 1
