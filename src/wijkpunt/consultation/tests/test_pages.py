"""Pages: the flows through the real views, and who may see what (role matrix)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wijkpunt.consultation.models import Consultation, HousingWish, Visit
from wijkpunt.core.models import AccessLog

from .factories import addr, answers, consultation_world, make_consultation, questions, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = consultation_world()
    w.c = make_consultation(w.corp, w.complex, actor=w.users["staff"])
    return w


def urls(c, a):
    return {
        "home": reverse("consultation:home"), "create": reverse("consultation:create"),
        "detail": reverse("consultation:detail", args=[c.pk]), "edit": reverse("consultation:edit", args=[c.pk]),
        "visits": reverse("consultation:visits", args=[c.pk]), "visit": reverse("consultation:visit", args=[c.pk, a.pk]),
        "results": reverse("consultation:results", args=[c.pk]), "decide": reverse("consultation:decide", args=[c.pk]),
        "wishes": reverse("consultation:housing_wishes", args=[c.pk]),
    }


# role -> expected status per page of the own corporation's consultation
MATRIX = {
    "staff": {"home": 200, "create": 200, "detail": 200, "edit": 200, "visits": 200, "visit": 200, "results": 200,
              "decide": 200, "wishes": 200},
    "manager": {"home": 200, "create": 403, "detail": 200, "edit": 403, "visits": 403, "visit": 403, "results": 200,
                "decide": 403, "wishes": 403},
    "volunteer": dict.fromkeys(["home", "create", "detail", "edit", "visits", "visit", "results", "decide", "wishes"],
                               403),
    "partner": dict.fromkeys(["home", "create", "detail", "edit", "visits", "visit", "results", "decide", "wishes"],
                             403),
    "incasso": dict.fromkeys(["home", "create", "detail", "edit", "visits", "visit", "results", "decide", "wishes"],
                             403),
    "other_consultant": {"home": 200, "create": 200, "detail": 404, "edit": 404, "visits": 404, "visit": 404,
                         "results": 404, "decide": 404, "wishes": 404},
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_role_matrix(client, w, role):
    client.force_login(w.users[role])
    a = addr(w.c, "Merelstraat", 1)
    for name, url in urls(w.c, a).items():
        assert client.get(url).status_code == MATRIX[role][name], (role, name)


def test_other_corporations_manager_gets_404(client, w):
    client.force_login(w.management2)
    assert client.get(reverse("consultation:results", args=[w.c.pk])).status_code == 404
    assert client.get(reverse("consultation:detail", args=[w.c.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, w):
    response = client.get(reverse("consultation:home"))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_create_through_the_page(client, w):
    client.force_login(w.users["consultant"])
    response = client.post(reverse("consultation:create"), {
        "title": "Welk verduurzamingspakket", "complex": w.complex.pk, "streets": ["Kievitstraat"],
        "starts_on": "2026-05-01", "ends_on": "2026-06-01"})
    c = Consultation.objects.get(title="Welk verduurzamingspakket")
    assert response.status_code == 302 and c.addresses.count() == 6 and c.is_concept
    bad = client.post(reverse("consultation:create"), {"title": "", "complex": w.other_complex.pk,
                                                       "starts_on": "morgen", "ends_on": "2026-01-01"})
    html = bad.content.decode()
    assert bad.status_code == 400
    for message in ("Vul een titel in.", "Kies een complex uit de lijst.", "Vul een geldige datum in"):
        assert message in html
    # the questionnaire through the page
    detail = reverse("consultation:detail", args=[c.pk])
    r = client.post(reverse("consultation:question_add", args=[c.pk]), {
        "kind": "keuze", "text": "Welk pakket?", "options": "Basis\nPlus\nCompleet", "required": "on"})
    assert r.status_code == 302 and c.questions.get().options.count() == 3
    r = client.post(reverse("consultation:question_add", args=[c.pk]), {"kind": "keuze", "text": "Kleur?",
                                                                        "options": "Rood"})
    assert r.status_code == 400 and "Geef ten minste twee antwoordmogelijkheden" in r.content.decode()
    r = client.post(reverse("consultation:transition", args=[c.pk, "openen"]))
    assert r.status_code == 302 and Consultation.objects.get(pk=c.pk).is_open
    assert client.get(detail).status_code == 200
    r = client.post(reverse("consultation:question_add", args=[c.pk]), {"kind": "open", "text": "Nog iets?"})
    assert r.status_code == 400 and "Alleen een raadpleging in concept" in r.content.decode()


def test_visit_through_the_page(client, w):
    c = w.c
    client.force_login(w.users["staff"])
    a = c.addresses.get(unit=w.jansen.unit)
    url = reverse("consultation:visit", args=[c.pk, a.pk])
    assert client.post(url, {"outcome": "niet-thuis"}).status_code == 302
    q = questions(c)
    bad = client.post(url, {"outcome": "beantwoord", f"vraag_{q['keuze'].pk}": "afbreken",
                            f"vraag_{q['schaal'].pk}": "9"})
    html = bad.content.decode()
    assert bad.status_code == 400
    assert "Kies een van de antwoorden bij deze vraag." in html and "Kies een getal van 1 tot en met 5." in html
    missing = client.post(url, {"outcome": "beantwoord"})
    assert missing.status_code == 400 and "Beantwoord deze vraag." in missing.content.decode()
    ok = client.post(url, {"outcome": "beantwoord", f"vraag_{q['keuze'].pk}": "sloop",
                           f"vraag_{q['meerkeuze'].pk}": ["meer-ruimte", "terugkeren-in-de-buurt"],
                           f"vraag_{q['schaal'].pk}": "2", "housing_wish": "kleiner", "remarks": "Na 17 uur"})
    assert ok.status_code == 302
    assert Visit.objects.filter(address=a).count() == 2 and HousingWish.objects.get().wish == "kleiner"
    listing = client.get(reverse("consultation:visits", args=[c.pk])).content.decode()
    assert 'data-state="beantwoord"' in listing
    todo = client.get(reverse("consultation:visits", args=[c.pk]) + "?toon=te-doen").content.decode()
    assert f'data-address="{a.pk}"' not in todo
    # answers of a non-"answered" visit from the page are ignored, not an error
    b = addr(c, "Merelstraat", 1)
    r = client.post(reverse("consultation:visit", args=[c.pk, b.pk]),
                    {"outcome": "geweigerd", f"vraag_{q['keuze'].pk}": "sloop", "housing_wish": "groter"})
    assert r.status_code == 302 and not Visit.objects.get(address=b).answers.exists()


def test_results_page_remarks_for_staff_not_management(client, w):
    c = w.c
    visit(c, addr(c, "Merelstraat", 1), w.users["staff"], answers=answers(c, "sloop", text="Lift graag"),
          remarks="Hond blaft")
    client.force_login(w.users["staff"])
    html = client.get(reverse("consultation:results", args=[c.pk])).content.decode()
    assert "Hond blaft" in html and "Lift graag" in html and 'data-testid="bars"' in html
    assert "lage respons" in html
    client.force_login(w.management)
    html = client.get(reverse("consultation:results", args=[c.pk])).content.decode()
    assert "Hond blaft" not in html and "Lift graag" not in html and "Meerderheid: Sloop" in html


def test_decide_through_the_page(client, w):
    c = w.c
    for n in (1, 3, 5):
        visit(c, addr(c, "Merelstraat", n), w.users["staff"], answers=answers(c, "sloop"))
    client.force_login(w.users["regisseur"])
    url = reverse("consultation:decide", args=[c.pk])
    page = client.get(url + "?straat=Merelstraat")
    assert page.status_code == 200 and "Uitslag nu" in page.content.decode()
    bad = client.post(url, {"street": "Nergensstraat", "choice": "", "text": "", "reasoning": ""})
    html = bad.content.decode()
    assert bad.status_code == 400 and "Kies een straat van deze raadpleging." in html and "Vul de onderbouwing in." in html
    ok = client.post(url, {"street": "Merelstraat", "choice": "sloop", "text": "Sloop en nieuwbouw",
                           "reasoning": "Meerderheid, maar lage respons: extra bewonersavond gehouden."})
    assert ok.status_code == 302 and c.decisions.get().snapshot["answered"] == 3


def test_housing_wishes_page_is_logged(client, w):
    c = w.c
    visit(c, c.addresses.get(unit=w.jansen.unit), w.users["staff"], housing_wish="aangepast")
    client.force_login(w.users["staff"])
    html = client.get(reverse("consultation:housing_wishes", args=[c.pk])).content.decode()
    assert "Aangepaste woning nodig" in html and "Familie Jansen" in html
    assert AccessLog.objects.filter(subject="housing-wish", household_id=w.jansen.household.pk).exists()


def test_status_transitions_through_the_page(client, w):
    client.force_login(w.users["staff"])
    c = w.c
    assert client.post(reverse("consultation:transition", args=[c.pk, "publiceren"])).status_code == 400
    assert client.post(reverse("consultation:transition", args=[c.pk, "sluiten"])).status_code == 302
    assert client.post(reverse("consultation:transition", args=[c.pk, "publiceren"])).status_code == 302
    assert client.post(reverse("consultation:transition", args=[c.pk, "weggooien"])).status_code == 404
    assert client.get(reverse("consultation_public:results", args=[c.slug])).status_code == 200


def test_question_edit_and_move_pages(client, w):
    c = make_consultation(w.corp, w.complex, actor=None, open_it=False, title="Concept")
    client.force_login(w.users["staff"])
    q = c.questions.order_by("position").last()
    assert client.get(reverse("consultation:question_edit", args=[c.pk, q.pk])).status_code == 200
    r = client.post(reverse("consultation:question_edit", args=[c.pk, q.pk]), {"kind": "open", "text": "Anders?"})
    assert r.status_code == 302
    assert client.post(reverse("consultation:question_action", args=[c.pk, q.pk, "omhoog"])).status_code == 302
    assert client.post(reverse("consultation:question_action", args=[c.pk, q.pk, "verwijderen"])).status_code == 302
    assert c.questions.count() == 3
    assert client.get(reverse("consultation:question_edit", args=[c.pk, 10**20])).status_code == 404
