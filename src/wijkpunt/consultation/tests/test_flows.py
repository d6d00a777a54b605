"""Consultation flows through the services and pages: set-up, visits, results, decision, letters,
public page, retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from wijkpunt.consultation import letters, retention, services, visits
from wijkpunt.consultation.models import Answer, Consultation, HousingWish, Question, StreetDecision, Visit
from wijkpunt.core.models import AccessLog

from .factories import addr, answers, consultation_world, make_consultation, questions, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return consultation_world()


@pytest.fixture
def c(w):
    return make_consultation(w.corp, w.complex, actor=w.users["staff"])


def test_addresses_are_frozen_in_walking_order(w, c):
    labels = [a.label for a in c.addresses.order_by("position")]
    assert labels[:6] == ["Kievitstraat 1", "Kievitstraat 3", "Kievitstraat 5", "Kievitstraat 6", "Kievitstraat 4",
                          "Kievitstraat 2"]
    assert labels[6:13] == ["Merelstraat 1", "Merelstraat 3", "Merelstraat 5", "Merelstraat 7", "Merelstraat 9",
                            "Merelstraat 14", "Merelstraat 12"]
    assert len(labels) == 18
    # a unit added to the complex later does not join the consultation
    from wijkpunt.cases.tests.factories import make_home
    make_home(w.corp, w.vogelwijk, "Merelstraat", 16, "3701AB", "Zeist", "Nieuw").unit.__class__.objects.filter(
        street="Merelstraat", house_number=16).update(complex=w.complex)
    assert c.addresses.count() == 18


def test_chosen_streets_only(w):
    c = make_consultation(w.corp, w.complex, actor=None, streets=["Kievitstraat"])
    assert set(c.addresses.values_list("street", flat=True)) == {"Kievitstraat"}
    with pytest.raises(ValidationError) as exc:
        services.consultation_create(corporation=w.corp, complex=w.complex, title="X", starts_on=dt.date(2026, 1, 1),
                                     ends_on=dt.date(2026, 2, 1), actor=None, streets=["Lijsterlaan"])
    assert "streets" in exc.value.message_dict


def test_create_rejects_bad_input(w):
    cases = [
        ({"title": " "}, "title"),
        ({"complex": w.other_complex}, "complex"),
        ({"ends_on": dt.date(2025, 1, 1)}, "ends_on"),
        ({"title": "nul\x00teken"}, "title"),
    ]
    for change, field in cases:
        kwargs = {"corporation": w.corp, "complex": w.complex, "title": "Plan", "starts_on": dt.date(2026, 1, 1),
                  "ends_on": dt.date(2026, 2, 1), "actor": None, **change}
        with pytest.raises(ValidationError) as exc:
            services.consultation_create(**kwargs)
        assert field in exc.value.message_dict
    assert not Consultation.objects.filter(title="Plan").exists()


def test_questionnaire_is_editable_only_in_concept(w):
    c = make_consultation(w.corp, w.complex, actor=None, open_it=False)
    with pytest.raises(ValidationError) as exc:
        services.question_add(consultation=c, kind="keuze", text="Kleur?", options=["Rood"])
    assert "options" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.question_add(consultation=c, kind="schaal", text="Cijfer", scale_min=5, scale_max=3)
    with pytest.raises(ValidationError):
        services.question_add(consultation=c, kind="keuze", text="Dubbel", options=["Ja", "ja"])
    first, second = list(c.questions.order_by("position"))[:2]
    services.question_move(question=second, up=True)
    assert list(c.questions.order_by("position"))[0] == second
    q = services.question_update(question=first, kind="keuze", text="Sloop of renovatie?",
                                 options=["Sloop", "Renovatie"])
    assert [o.code for o in q.options.all()] == ["sloop", "renovatie"]
    services.consultation_open(consultation=c)
    c.refresh_from_db()
    for call in (lambda: services.question_add(consultation=c, kind="open", text="Nog iets?"),
                 lambda: services.question_update(question=first, kind="open", text="x"),
                 lambda: services.question_delete(question=first)):
        with pytest.raises(ValidationError):
            call()


def test_opening_needs_a_question(w):
    c = services.consultation_create(corporation=w.corp, complex=w.complex, title="Leeg", starts_on=dt.date(2026, 1, 1),
                                     ends_on=dt.date(2026, 2, 1), actor=None)
    with pytest.raises(ValidationError):
        services.consultation_open(consultation=c)


def test_not_home_then_answered_and_the_last_answer_counts(w, c):
    staff = w.users["staff"]
    a = addr(c, "Merelstraat", 1)
    visit(c, a, staff, "niet-thuis")
    visit(c, a, staff, "niet-thuis")
    first = visit(c, a, staff, answers=answers(c, "sloop"))
    last = visit(c, a, staff, answers=answers(c, "renovatie", scale=5))
    assert (first.attempt, last.attempt) == (3, 4)
    from wijkpunt.consultation import selectors
    row = next(r for r in selectors.address_rows(c) if r.address == a)
    assert (row.state, row.attempts) == ("beantwoord", 4)
    data = selectors.results_for(c, include_text=False)
    merel = next(s for s in data["streets"] if s["street"] == "Merelstraat")
    choice = merel["questions"][0]
    assert [o["count"] for o in choice["options"]] == [1, 0, 0] and merel["answered"] == 1


@pytest.mark.parametrize(("kind", "value", "message"), [
    ("keuze", "afbreken", "Kies een van de antwoorden bij deze vraag."),
    ("keuze", ["sloop"], "Kies een van de antwoorden bij deze vraag."),
    ("keuze", None, "Beantwoord deze vraag."),
    ("meerkeuze", ["meer-ruimte", "zwembad"], "Kies alleen antwoorden die bij deze vraag horen."),
    ("meerkeuze", 3, "Kies alleen antwoorden die bij deze vraag horen."),
    ("meerkeuze", [], "Kies ten minste één antwoord."),
    ("schaal", 6, "Kies een getal van 1 tot en met 5."),
    ("schaal", 0, "Kies een getal van 1 tot en met 5."),
    ("schaal", "drie", "Kies een getal van 1 tot en met 5."),
    ("schaal", True, "Kies een getal van 1 tot en met 5."),
    ("schaal", 2.5, "Kies een getal van 1 tot en met 5."),
    ("open", "x" * 2001, "Gebruik hoogstens 2000 tekens."),
    ("open", 12, "Vul tekst in."),
    ("open", "nul\x00", "Deze tekst bevat een teken dat niet kan worden opgeslagen."),
])
def test_bad_answers_per_kind_give_field_errors_and_save_nothing(w, c, kind, value, message):
    q = questions(c)
    given = answers(c, text="ok")
    given[q[kind].pk] = value
    with pytest.raises(ValidationError) as exc:
        visit(c, addr(c, "Merelstraat", 1), w.users["staff"], answers=given)
    assert exc.value.message_dict[f"vraag_{q[kind].pk}"] == [message]
    assert not Visit.objects.filter(consultation=c).exists() and not Answer.objects.exists()


def test_other_bad_visit_input(w, c):
    staff, a = w.users["staff"], addr(c, "Merelstraat", 1)
    bad = [
        ({"outcome": "ingebroken"}, "outcome"),
        ({"outcome": "niet-thuis", "answers": answers(c)}, "answers"),
        ({"answers": {**answers(c), 999999: "x"}}, "answers"),
        ({"housing_wish": "villa"}, "housing_wish"),
        ({"outcome": "geweigerd", "housing_wish": "kleiner"}, "housing_wish"),
        ({"remarks": "r" * 2001}, "remarks"),
    ]
    for kwargs, field in bad:
        outcome = kwargs.pop("outcome", "beantwoord")
        with pytest.raises(ValidationError) as exc:
            visit(c, a, staff, outcome, **kwargs)
        assert field in exc.value.message_dict, kwargs
    other = w.other_consultation.addresses.first()
    with pytest.raises(ValidationError):
        visit(c, other, staff, "niet-thuis")
    assert not Visit.objects.filter(consultation=c).exists()


def test_visits_only_while_open(w, c):
    services.consultation_close(consultation=c)
    c.refresh_from_db()
    with pytest.raises(ValidationError):
        visit(c, addr(c, "Merelstraat", 1), w.users["staff"], "niet-thuis")


def test_housing_wish_is_kept_for_the_household(w, c):
    a = c.addresses.get(unit=w.jansen.unit)
    v = visit(c, a, w.users["staff"], housing_wish="kleiner", housing_wish_note="Kinderen het huis uit")
    wish = HousingWish.objects.get()
    assert (wish.unit, wish.household, wish.source_visit, wish.consultation, wish.wish) == (
        w.jansen.unit, w.jansen.household, v, c, "kleiner")
    assert wish.recorded_on == timezone.localdate()


def test_idempotent_visit(w, c):
    staff, a = w.users["staff"], addr(c, "Merelstraat", 3)
    v1, created1 = visits.visit_record(consultation=c, address=a, actor=staff, outcome="niet-thuis",
                                         idempotency_key="abc")
    v2, created2 = visits.visit_record(consultation=c, address=a, actor=staff, outcome="niet-thuis",
                                         idempotency_key="abc")
    assert v1 == v2 and created1 and not created2
    with pytest.raises(visits.IdempotencyConflict):
        visits.visit_record(consultation=c, address=a, actor=staff, outcome="geweigerd", idempotency_key="abc")
    # the same key of another person is another visit
    v3, created3 = visits.visit_record(consultation=c, address=a, actor=w.users["consultant"],
                                         outcome="niet-thuis", idempotency_key="abc")
    assert created3 and v3 != v1


def _decide_merelstraat(w, c, choice="sloop"):
    staff = w.users["staff"]
    for n in (1, 3, 5, 7, 9, 2):
        visit(c, addr(c, "Merelstraat", n), staff, answers=answers(c, "sloop" if n != 2 else "renovatie"))
    return services.street_decide(consultation=c, street="Merelstraat", choice=choice, text="De Merelstraat wordt gesloopt",
                                  reasoning="Een ruime meerderheid koos voor sloop.", actor=w.users["regisseur"])


def test_decision_keeps_its_snapshot_after_later_visits(w, c):
    decision = _decide_merelstraat(w, c)
    assert decision.snapshot["answered"] == 6 and decision.snapshot["questions"][0]["outcome"]["codes"] == ["sloop"]
    visit(c, addr(c, "Merelstraat", 4), w.users["staff"], answers=answers(c, "renovatie"))
    decision.refresh_from_db()
    assert decision.snapshot["answered"] == 6
    with pytest.raises(ValidationError) as exc:
        services.street_decide(consultation=c, street="Merelstraat", choice="sloop", text="x", reasoning="y", actor=None)
    assert "street" in exc.value.message_dict
    for kwargs, field in [({"street": "Nergensstraat"}, "street"), ({"choice": "verkopen"}, "choice"),
                          ({"text": ""}, "text"), ({"reasoning": " "}, "reasoning")]:
        args = {"street": "Kievitstraat", "choice": "renovatie", "text": "Renovatie", "reasoning": "Omdat", **kwargs}
        with pytest.raises(ValidationError) as exc:
            services.street_decide(consultation=c, actor=None, **args)
        assert field in exc.value.message_dict


def test_all_streets_decided_after_closing_is_decided(w, c):
    _decide_merelstraat(w, c)
    services.consultation_close(consultation=c)
    c.refresh_from_db()
    assert c.status == Consultation.Status.CLOSED
    services.street_decide(consultation=c, street="Kievitstraat", choice="renovatie", text="Renovatie",
                           reasoning="Te weinig antwoorden voor sloop; renovatie is de veilige keuze.", actor=None)
    c.refresh_from_db()
    assert c.status == Consultation.Status.DECIDED
    with pytest.raises(ValidationError):
        services.consultation_close(consultation=c)


def test_publish_only_after_closing(w, c):
    with pytest.raises(ValidationError):
        services.consultation_publish(consultation=c)
    services.consultation_close(consultation=c)
    services.consultation_publish(consultation=c)
    c.refresh_from_db()
    assert c.is_published


def test_public_page_shows_aggregates_only_and_suppresses_small_streets(client, w, c):
    staff = w.users["staff"]
    _decide_merelstraat(w, c)
    for n in (1, 3):
        visit(c, addr(c, "Kievitstraat", n), staff, answers=answers(c, "renovatie", text="Geheime wens van Kievit"),
              remarks="Mevrouw Kievit is slecht ter been", housing_wish="aangepast")
    url = reverse("consultation_public:results", kwargs={"slug": c.slug})
    assert client.get(url).status_code == 404  # not published yet
    services.consultation_close(consultation=c)
    services.consultation_publish(consultation=c)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "De Merelstraat wordt gesloopt" in html and "Meerderheid: Sloop" in html
    assert "Te weinig antwoorden om te tonen." in html
    for secret in ("Geheime wens", "slecht ter been", "Familie", "Jansen", "Merelstraat 1", "Kievitstraat 1",
                   "Aangepaste woning", "3701"):
        assert secret not in html, secret
    assert 'data-street="Kievitstraat"' in html


def test_letters_are_pdfs_with_the_street_decision_and_no_names(w, c):
    decision = _decide_merelstraat(w, c)
    a = c.addresses.get(unit=w.jansen.unit)
    pdf = letters.address_letter_pdf(c, a, decision)
    assert pdf.startswith(b"%PDF-") and len(pdf) > 2000
    assert pdf == letters.address_letter_pdf(c, a, decision)  # deterministic
    combined = letters.street_letters_pdf(c, decision)
    assert combined.startswith(b"%PDF-") and combined.count(b"/Type /Page\n") + combined.count(b"/Type /Page ") >= 1
    with pytest.raises(ValueError):
        letters.address_letter_pdf(c, addr(c, "Kievitstraat", 1), decision)
    text = "\n".join(letters._figures(decision.snapshot))
    assert "6 van de 12 huishoudens" in text and "Sloop: 5" in text and "Jansen" not in text


def test_letter_text_of_a_small_street_gives_no_counts(w, c):
    visit(c, addr(c, "Kievitstraat", 1), w.users["staff"], answers=answers(c, "renovatie"))
    d = services.street_decide(consultation=c, street="Kievitstraat", choice="renovatie", text="Renovatie",
                               reasoning="Omdat", actor=None)
    text = "\n".join(letters._figures(d.snapshot))
    assert "minder dan 5 antwoorden" in text and "Renovatie: 1" not in text and "minder dan 50%" in text


def test_letter_pages(client, w, c):
    decision = _decide_merelstraat(w, c)
    client.force_login(w.users["staff"])
    a = c.addresses.get(unit=w.jansen.unit)
    r = client.get(reverse("consultation:letter", args=[c.pk, a.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    r = client.get(reverse("consultation:street_letters", args=[c.pk]) + "?straat=Merelstraat")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert client.get(reverse("consultation:street_letters", args=[c.pk]) + "?straat=Kievitstraat").status_code == 404
    assert client.get(reverse("consultation:letter", args=[c.pk, addr(c, "Kievitstraat", 1).pk])).status_code == 404
    assert decision.pk


@override_settings(CONSULTATION_RETENTION_DAYS=30)
def test_retention_anonymises_visits_and_keeps_the_figures(w, c):
    from wijkpunt.consultation import selectors

    staff = w.users["staff"]
    # the period has not ended: undecided streets are not due (see test_retention_undecided.py)
    Consultation.objects.filter(pk=c.pk).update(ends_on=timezone.localdate())
    jansen = c.addresses.get(unit=w.jansen.unit)
    visit(c, jansen, staff, "niet-thuis", remarks="Bel aan bij de buren")
    visit(c, jansen, staff, answers=answers(c, "sloop", text="Ik wil weg"), remarks="Meneer is ziek",
          housing_wish="kleiner")
    decision = _decide_merelstraat(w, c)
    before = selectors.results_for(c, include_text=False)
    visit(c, addr(c, "Kievitstraat", 1), staff, answers=answers(c, "renovatie"), remarks="Kievit blijft")
    assert retention.purge(timezone.localdate()).streets == 0  # not due yet
    StreetDecision.objects.filter(pk=decision.pk).update(decided_at=timezone.now() - dt.timedelta(days=31))
    dry = retention.purge(timezone.localdate(), dry_run=True)
    assert dry.streets == 1 and Visit.objects.filter(anonymised_at__isnull=False).count() == 0
    result = retention.purge(timezone.localdate())
    assert (result.streets, result.visits_anonymised, result.visits_deleted) == (1, 7, 1)
    merel = Visit.objects.filter(consultation=c, street="Merelstraat")
    assert merel.count() == 7 and not merel.filter(address__isnull=False).exists()
    assert not merel.exclude(remarks="").exists() and not merel.filter(household__isnull=False).exists()
    assert not Answer.objects.filter(visit__in=merel, question__kind=Question.Kind.TEXT).exists()
    after = selectors.results_for(c, include_text=False)
    def figures(res):
        return [q for q in res["streets"][1]["questions"] if q["kind"] != "open"]
    assert figures(after) == figures(before)  # free-text answers are gone, the counts are not
    assert after["streets"][1]["answered"] == before["streets"][1]["answered"]
    # Kievitstraat (no decision) keeps its visits; the housing wish stays without its source visit
    assert Visit.objects.get(street="Kievitstraat").remarks == "Kievit blijft"
    wish = HousingWish.objects.get()
    assert wish.source_visit is None and wish.household == w.jansen.household
    assert retention.purge(timezone.localdate()).streets == 0  # idempotent


def test_housing_wish_retention(w, c):
    visit(c, c.addresses.get(unit=w.jansen.unit), w.users["staff"], housing_wish="kleiner")
    visit(c, c.addresses.get(unit=w.bakker.unit), w.users["staff"], housing_wish="groter")
    assert retention.purge(timezone.localdate()).wishes_deleted == 0
    tenancy = w.bakker
    tenancy.end_date = timezone.localdate() - dt.timedelta(days=1)
    tenancy.save()
    assert retention.purge(timezone.localdate()).wishes_deleted == 1
    assert retention.purge(timezone.localdate() + dt.timedelta(days=1100)).wishes_deleted == 1
    assert not HousingWish.objects.exists()


def test_purge_command(w, c, capsys):
    from django.core.management import call_command

    call_command("consultation_purge", "--dry-run")
    assert "Proefdraai" in capsys.readouterr().out


def test_visit_page_logs_the_households_answers(client, w, c):
    staff = w.users["staff"]
    a = c.addresses.get(unit=w.jansen.unit)
    v = visit(c, a, staff, answers=answers(c, "sloop"))
    client.force_login(w.users["consultant"])
    response = client.get(reverse("consultation:visit", args=[c.pk, a.pk]))
    assert response.status_code == 200 and "Sloop" in response.content.decode()
    log = AccessLog.objects.get(subject="consultation-visit")
    assert (log.user, log.subject_id, log.household_id, log.purpose) == (
        w.users["consultant"], v.pk, w.jansen.household.pk, "Raadpleging")
