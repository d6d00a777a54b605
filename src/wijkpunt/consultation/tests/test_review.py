"""Regression tests of the privacy/security review of the consultation app (docs/consultation.md).

* small numbers per question: an optional question that few households answered is hidden on the
  public page (street and total) and in the letter;
* retention: the figures (states, response rate) stay the same, and the anonymised rows cannot be
  linked back to a household through the access log, their ids or their times; no new visits in an
  anonymised street;
* bad input: lone surrogates and odd digits in the API are 400 with a Dutch field message, never 500;
* low response compares the exact fraction; XSS; CSRF; letters with odd characters; who gets letters.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from wijkpunt.consultation import letters, retention, selectors, services
from wijkpunt.consultation import results as R
from wijkpunt.consultation.models import Answer, Question, StreetDecision, Visit
from wijkpunt.core.models import AccessLog

from .factories import addr, answers, consultation_world, make_consultation, questions, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return consultation_world()


@pytest.fixture
def c(w):
    return make_consultation(w.corp, w.complex, actor=w.users["staff"])


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _publish(c):
    services.consultation_close(consultation=c)
    services.consultation_publish(consultation=c)
    c.refresh_from_db()


# --------------------------------------------------------------------------- small numbers per question


@pytest.fixture
def optional(w):
    """A consultation with an optional "help with moving?" question that one household answered."""
    c = make_consultation(w.corp, w.complex, actor=w.users["staff"], open_it=False)
    extra = services.question_add(consultation=c, kind=Question.Kind.CHOICE, text="Wilt u hulp bij verhuizen?",
                                  options=["Ja", "Nee"], required=False)
    services.consultation_open(consultation=c)
    c.refresh_from_db()
    staff = w.users["staff"]
    for n in range(1, 7):
        extra_answer = {extra.pk: "ja"} if n == 4 else {}
        visit(c, addr(c, "Kievitstraat", n), staff, answers={**_standard(c, extra, "sloop"), **extra_answer})
    for n in range(1, 7):
        visit(c, addr(c, "Merelstraat", n), staff, answers=_standard(c, extra, "renovatie"))
    return c, extra


def _standard(c, extra, choice: str, text: str = "") -> dict:
    """Answers to the four standard questions (``factories.answers`` keys by kind: a second choice
    question would take the first one's place)."""
    by_kind = {q.kind: q for q in c.questions.exclude(pk=extra.pk)}
    result = {by_kind["keuze"].pk: choice, by_kind["meerkeuze"].pk: ["meer-ruimte"], by_kind["schaal"].pk: 3}
    if text:
        result[by_kind["open"].pk] = text
    return result


def test_public_view_hides_a_question_few_households_answered(optional):
    c, extra = optional
    data = selectors.public_results(c)
    kievit = next(s for s in data["streets"] if s["street"] == "Kievitstraat")
    hidden = next(q for q in kievit["questions"] if q["id"] == extra.pk)
    assert hidden == {"id": extra.pk, "kind": "keuze", "text": extra.text, "suppressed": True}
    # the total would be the same single answer (Merelstraat: nobody answered it): hidden too
    total = next(q for q in data["complex"]["questions"] if q["id"] == extra.pk)
    assert total.get("suppressed") is True
    # the other questions are still shown
    shown = next(q for q in kievit["questions"] if q["kind"] == "keuze" and q["id"] != extra.pk)
    assert shown["respondents"] == 6 and not shown.get("suppressed")


def test_public_view_total_per_question_rule():
    ja_nee = R.QuestionSpec(id=9, kind=R.CHOICE, text="Hulp?", options=(("ja", "Ja"), ("nee", "Nee")))
    records = ([R.Record(street="A", state=R.ANSWERED, answers={9: "ja"} if i < 3 else {}) for i in range(6)]
               + [R.Record(street="B", state=R.ANSWERED, answers={9: "nee"}) for _ in range(6)])
    view = R.public_view(R.compute({"A": 6, "B": 6}, records, [ja_nee]))
    a, b = view["streets"]
    assert a["questions"][0]["suppressed"] and b["questions"][0]["respondents"] == 6
    # total (9) minus B (6) would give A's 3 answers: hidden as well
    assert view["complex"]["questions"][0]["suppressed"]
    records += [R.Record(street="A", state=R.ANSWERED, answers={9: "ja"}) for _ in range(2)]
    view = R.public_view(R.compute({"A": 8, "B": 6}, records, [ja_nee]))
    assert view["streets"][0]["questions"][0]["respondents"] == 5
    assert view["complex"]["questions"][0]["respondents"] == 11


def test_public_page_and_letter_do_not_show_the_small_question(client, w, optional):
    c, extra = optional
    decision = services.street_decide(consultation=c, street="Kievitstraat", choice="sloop", text="Sloop",
                                      reasoning="Meerderheid", actor=w.users["regisseur"])
    text = "\n".join(letters._figures(decision.snapshot))
    assert "Sloop: 6" in text and "hulp bij verhuizen" not in text
    _publish(c)
    response = client.get(reverse("consultation_public:results", kwargs={"slug": c.slug}))
    assert response.status_code == 200
    html = response.content.decode()
    kievit = html.split('data-street="Kievitstraat"')[1].split("</section>")[0]
    total = html.split('data-testid="public-complex"')[1].split("</section>")[0]
    for part in (kievit, total):
        assert f'data-testid="question-suppressed" data-question="{extra.pk}"' in part
        assert f'data-testid="question-result" data-question="{extra.pk}"' not in part
    # no bars either (each bar table is named by its caption: question — street)
    assert f"{extra.text} — Kievitstraat:" not in kievit and f"{extra.text} — alle straten samen:" not in total
    assert "Te weinig antwoorden op deze vraag om te tonen." in html


# --------------------------------------------------------------------------- retention


@pytest.fixture
def purged(w, c):
    staff = w.users["staff"]
    visit(c, addr(c, "Merelstraat", 1), staff, "verhuisd", remarks="Leeg sinds maart")
    visit(c, addr(c, "Merelstraat", 2), staff, "geweigerd", remarks="Boos")
    visit(c, addr(c, "Merelstraat", 3), staff, "niet-thuis")
    visit(c, addr(c, "Merelstraat", 3), staff, "niet-thuis")
    for n in range(4, 10):
        visit(c, addr(c, "Merelstraat", n), staff, answers=answers(c, "renovatie" if n % 3 else "sloop", text="Geheim"))
    jansen = c.addresses.get(unit=w.jansen.unit)
    visit(c, jansen, staff, "niet-thuis")
    visit(c, jansen, staff, answers=answers(c, "sloop"), housing_wish="kleiner")
    client = Client()
    client.force_login(w.users["consultant"])
    for a in (jansen, addr(c, "Merelstraat", 4), addr(c, "Merelstraat", 2)):
        assert client.get(reverse("consultation:visit", args=[c.pk, a.pk])).status_code == 200
    before = selectors.results_for(c, include_text=False)
    old_pks = set(Visit.objects.filter(consultation=c, street="Merelstraat").values_list("pk", flat=True))
    d = services.street_decide(consultation=c, street="Merelstraat", choice="renovatie", text="Renovatie",
                               reasoning="Meerderheid", actor=w.users["regisseur"])
    StreetDecision.objects.filter(pk=d.pk).update(decided_at=timezone.now() - dt.timedelta(days=40))
    with override_settings(CONSULTATION_RETENTION_DAYS=30):
        result = retention.purge(timezone.localdate())
    return before, old_pks, result


def test_retention_keeps_every_figure(c, purged):
    before, _old, result = purged
    assert (result.streets, result.visits_anonymised, result.visits_deleted) == (1, 10, 2)
    after = selectors.results_for(c, include_text=False)
    merel_before, merel_after = before["streets"][1], after["streets"][1]
    for key in ("addresses", "answered", "not_home", "refused", "moved", "not_visited", "eligible",
                "response_rate", "low_response"):
        assert merel_after[key] == merel_before[key], key
        assert after["complex"][key] == before["complex"][key], key
    assert (merel_after["moved"], merel_after["refused"], merel_after["not_home"]) == (1, 1, 1)
    assert R.public_view(after) == R.public_view(before)


def test_retention_cannot_be_linked_back_to_a_household(w, c, purged):
    _before, old_pks, _result = purged
    merel = Visit.objects.filter(consultation=c, street="Merelstraat")
    assert merel.count() == 10 and not merel.filter(anonymised_at__isnull=True).exists()
    new_pks = set(merel.values_list("pk", flat=True))
    assert not new_pks & old_pks  # new rows: the ids in the access log point at nothing
    logged = set(AccessLog.objects.filter(subject="consultation-visit").values_list("subject_id", flat=True))
    assert logged and not logged & new_pks and not Visit.objects.filter(pk__in=logged).exists()
    # no order to map back onto the walking list: one date, attempt 1, nothing personal
    assert set(merel.values_list("visited_at", flat=True)) == {StreetDecision.objects.get(street="Merelstraat").decided_at}
    assert set(merel.values_list("attempt", flat=True)) == {1}
    assert not merel.exclude(remarks="").exists()
    assert not merel.filter(household__isnull=False).exists() and not merel.filter(visitor__isnull=False).exists()
    assert not merel.filter(address__isnull=False).exists() and not merel.filter(idempotency_key__isnull=False).exists()
    assert not Answer.objects.filter(visit__in=merel, question__kind=Question.Kind.TEXT).exists()
    # the housing wish stays for matching, without a link to the answers
    wish = w.jansen.unit.housing_wishes.get()
    assert wish.source_visit is None and wish.household == w.jansen.household
    assert retention.purge(timezone.localdate()).streets == 0


def test_no_new_visit_in_an_anonymised_street(w, c, purged):
    with pytest.raises(ValidationError) as exc:
        visit(c, addr(c, "Merelstraat", 10), w.users["staff"], "niet-thuis")
    assert "address" in exc.value.message_dict
    visit(c, addr(c, "Kievitstraat", 1), w.users["staff"], "niet-thuis")  # other streets go on


# --------------------------------------------------------------------------- bad input


def test_api_odd_characters_and_numbers_are_field_errors(w, c):
    client = api(w.users["staff"])
    url = f"/api/v1/consultations/{c.pk}/visits/"
    q = questions(c)
    a = addr(c, "Merelstraat", 1)
    base = {str(q["keuze"].pk): "renovatie", str(q["meerkeuze"].pk): ["meer-ruimte"], str(q["schaal"].pk): 3}

    def body(answer_json: str, **extra) -> str:
        rest = "".join(f', "{k}": {v}' for k, v in extra.items())
        return f'{{"address": {a.pk}, "outcome": "beantwoord", "answers": {answer_json}{rest}}}'

    answers_json = json.dumps(base)[:-1]
    cases = [
        (body(answers_json + f', "{q["open"].pk}": "\\ud800"}}'), f"vraag_{q['open'].pk}"),
        (body('{"\\ud800": "x"}'), "answers"),
        (body(json.dumps({**base, str(q["schaal"].pk): "\u00b2"})), f"vraag_{q['schaal'].pk}"),
        (body(json.dumps({**base, str(q["schaal"].pk): "--3"})), f"vraag_{q['schaal'].pk}"),
        (body(json.dumps({**base, str(q["schaal"].pk): "\u0663"})), f"vraag_{q['schaal'].pk}"),
        (body(json.dumps(base), remarks='"\\udfff"'), "remarks"),
        (body(json.dumps(base), housing_wish_note='"a\\ud800"'), "housing_wish_note"),
    ]
    for raw, field in cases:
        response = client.post(url, raw, content_type="application/json")
        assert response.status_code == 400, raw
        assert field in response.json(), (raw, response.json())
    surrogate = client.post(url, body(json.dumps(base), remarks='"\\udfff"'), content_type="application/json")
    assert surrogate.json()["remarks"] == ["Deze tekst bevat een teken dat niet kan worden opgeslagen."]
    unknown = client.post(url, body('{"\\ud800": "x", "999999": 1}'), content_type="application/json")
    assert unknown.json()["answers"] == ["Onbekende vraag: 999999."]
    assert not Visit.objects.filter(consultation=c).exists()
    assert client.post(url, body(json.dumps({**base, str(q["schaal"].pk): " 4 "})),
                       content_type="application/json").status_code == 201


def test_services_reject_surrogates_in_every_text(w):
    c = make_consultation(w.corp, w.complex, actor=None, open_it=False, title="Tweede")
    for kwargs, field in [({"text": "Vraag \ud800"}, "text"), ({"options": ["Ja", "N\udc00"]}, "options")]:
        args = {"kind": Question.Kind.CHOICE, "text": "Vraag", "options": ["Ja", "Nee"], **kwargs}
        with pytest.raises(ValidationError) as exc:
            services.question_add(consultation=c, **args)
        assert field in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.consultation_update(consultation=c, title="T\ud800", description="", starts_on=c.starts_on,
                                     ends_on=c.ends_on)
    assert "title" in exc.value.message_dict


# --------------------------------------------------------------------------- results rules


@pytest.mark.parametrize(("answered", "addresses", "low"), [(999, 2000, True), (1000, 2000, False), (1999, 4000, True)])
def test_low_response_compares_the_exact_fraction(answered, addresses, low):
    records = [R.Record(street="A", state=R.ANSWERED) for _ in range(answered)]
    group = R.compute({"A": addresses}, records, [])["streets"][0]
    assert group["low_response"] is low


# --------------------------------------------------------------------------- XSS, CSRF, letters


def test_free_text_and_question_text_are_escaped(client, w):
    c = make_consultation(w.corp, w.complex, actor=w.users["staff"], open_it=False, title="XSS")
    evil = '</script><img src=x onerror=alert(1)>'
    services.question_add(consultation=c, kind=Question.Kind.CHOICE, text=evil, options=[evil, "Nee"])
    services.consultation_open(consultation=c)
    evil_q = c.questions.get(text=evil)
    evil_code = evil_q.options.first().code
    for n in range(1, 7):
        visit(c, addr(c, "Kievitstraat", n), w.users["staff"],
              answers={**_standard(c, evil_q, "sloop", text=evil), evil_q.pk: evil_code}, remarks=evil)
    client.force_login(w.users["staff"])
    html = client.get(reverse("consultation:results", args=[c.pk])).content.decode()
    assert evil not in html and "&lt;/script&gt;&lt;img" in html
    _publish(c)
    html = Client().get(reverse("consultation_public:results", kwargs={"slug": c.slug})).content.decode()
    assert evil not in html and "onerror=alert(1)>" not in html
    assert 'id="consultation-charts"' not in html  # no chart data: the bars are rendered here


def test_post_without_csrf_token_is_refused(w, c):
    a = addr(c, "Merelstraat", 1)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(w.users["staff"])
    r = browser.post(reverse("consultation:visit", args=[c.pk, a.pk]), {"outcome": "niet-thuis"})
    assert r.status_code == 403
    r = browser.post(f"/api/v1/consultations/{c.pk}/visits/", {"address": a.pk, "outcome": "niet-thuis"},
                     content_type="application/json")
    assert r.status_code == 403
    r = browser.post(reverse("consultation:transition", args=[c.pk, "sluiten"]))
    assert r.status_code == 403
    assert not Visit.objects.exists()


def test_letters_with_odd_characters_and_who_may_print_them(client, w, c):
    for n in range(1, 7):
        visit(c, addr(c, "Kievitstraat", n), w.users["staff"], answers=answers(c, "sloop"))
    c.title = ("Renovatie 🏠 " + "ÿ" * 30 + " \u202e omgekeerd " + "x" * 150)[:200]
    c.save(update_fields=["title"])
    d = services.street_decide(consultation=c, street="Kievitstraat", choice="sloop",
                               text=("Sloop 💥 " + "Ä" * 400)[:300],
                               reasoning="Waarom\t\x0b\x1f " + "Lange-woord-zonder-spaties" * 200 + " 😀\n" * 50,
                               actor=w.users["regisseur"])
    a = addr(c, "Kievitstraat", 1)
    letter = reverse("consultation:letter", args=[c.pk, a.pk])
    street = reverse("consultation:street_letters", args=[c.pk]) + "?straat=Kievitstraat"
    client.force_login(w.users["staff"])
    for url in (letter, street):
        r = client.get(url)
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
    for role, expected in (("manager", 403), ("volunteer", 403), ("partner", 403), ("other_consultant", 404)):
        client.force_login(w.users[role])
        assert client.get(letter).status_code == expected, role
        assert client.get(street).status_code == expected, role
    assert d.pk


def test_public_page_only_when_published(client, w):
    c = make_consultation(w.corp, w.complex, actor=w.users["staff"], open_it=False, title="Geheim plan")
    url = reverse("consultation_public:results", kwargs={"slug": c.slug})
    assert client.get(url).status_code == 404  # concept
    services.consultation_open(consultation=c)
    assert client.get(url).status_code == 404  # open
    services.consultation_close(consultation=c)
    assert client.get(url).status_code == 404  # closed, not published
    assert client.get(reverse("consultation_public:results", kwargs={"slug": "bestaat-niet"})).status_code == 404
    services.consultation_publish(consultation=c)
    assert client.get(url).status_code == 200
