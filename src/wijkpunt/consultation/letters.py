"""The letter to every address of a street about the decision (PDF), see docs/consultation.md.

Built on the arrears letters' A4 layout (``arrears.letters._LetterPDF``: fpdf2, the vendored DejaVu
Sans, the corporation's letterhead, deterministic bytes for the same data). The letter is addressed
to "De bewoners van <address>" and names only: the street's decision and its reasoning, the
street's response figures from the decision's snapshot (per answer only when the street had at
least ``MIN_PUBLIC_ANSWERS`` answers, and per question only when at least that many answered it, as
on the public page) and how to respond or object. No
names, no other address, nobody's answers.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from wijkpunt.arrears.deadlines import format_date_nl
from wijkpunt.arrears.letters import _contact, _how_to_reach, _LetterPDF
from wijkpunt.core.validators import format_postcode

from .models import Consultation, ConsultationAddress, StreetDecision
from .results import MAJORITY, MIN_PUBLIC_ANSWERS, PLURALITY, TIE

OBJECTION_WEEKS = 6

REQUIRED_PHRASES = (
    "De bewoners van",
    "Wat heeft uw straat geantwoord?",
    "Ons besluit voor de",
    "Bent u het niet eens met dit besluit?",
)


class _ConsultationLetters(_LetterPDF):
    """Several letters in one PDF: the letterhead on the first page of each letter."""

    def __init__(self, *args, **kwargs):
        self.first_pages = {1}
        self._letterhead = False
        super().__init__(*args, **kwargs)

    def page_no(self) -> int:
        return 1 if self._letterhead else super().page_no()

    def header(self) -> None:
        if self.page in self.first_pages:
            self._letterhead = True  # the parent draws its letterhead on "page 1" only
            try:
                super().header()
            finally:
                self._letterhead = False

    def next_letter(self) -> None:
        self.add_page()
        self.first_pages.add(self.page_no())


def _percent(value) -> str:
    return "—" if value is None else f"{value:.0f}%".replace(".", ",")


def _figures(snapshot: dict) -> list[str]:
    """The street's response and, above the small-number limit, the answers per question."""
    eligible, answered = snapshot.get("eligible", 0), snapshot.get("answered", 0)
    lines = [f"In uw straat hebben {answered} van de {eligible} huishoudens antwoord gegeven "
             f"({_percent(snapshot.get('response_rate'))})."]
    if snapshot.get("moved"):
        lines[0] += f" {snapshot['moved']} woning(en) stonden leeg of de bewoners waren verhuisd."
    if snapshot.get("low_response"):
        lines.append(f"Dat is minder dan {snapshot.get('threshold', 50):.0f}% van de straat. De uitslag zegt daarom "
                     "niet zeker wat de hele straat vindt; wij hebben dat meegewogen.")
    if answered < MIN_PUBLIC_ANSWERS:
        lines.append(f"Er waren minder dan {MIN_PUBLIC_ANSWERS} antwoorden. Daarom noemen wij geen aantallen per "
                     "antwoord: zo blijft ieders antwoord privé.")
        return lines
    for question in snapshot.get("questions", []):
        if question.get("respondents", 0) < MIN_PUBLIC_ANSWERS:
            continue  # an optional question few answered: its counts would show their answers
        if question["kind"] == "keuze":
            parts = ", ".join(f"{o['label']}: {o['count']}" for o in question["options"])
            outcome = question.get("outcome", {})
            verdict = ""
            if outcome.get("kind") == MAJORITY:
                verdict = f" Een meerderheid koos: {outcome['labels'][0]}."
            elif outcome.get("kind") == PLURALITY:
                verdict = f" De grootste groep koos: {outcome['labels'][0]} (geen meerderheid)."
            elif outcome.get("kind") == TIE:
                verdict = f" De stemmen staakten tussen: {' en '.join(outcome['labels'])}."
            lines.append(f"{question['text']} {parts}.{verdict}")
        elif question["kind"] == "schaal" and question.get("average") is not None:
            average = f"{question['average']:.1f}".replace(".", ",")
            lines.append(f"{question['text']} Gemiddeld: {average} (schaal {question['distribution'][0]['value']} "
                         f"tot en met {question['distribution'][-1]['value']}).")
    return lines


def _write_letter(pdf: _LetterPDF, consultation: Consultation, address: ConsultationAddress,
                  decision: StreetDecision, letter_date: dt.date) -> None:
    contact = _contact(consultation.corporation)
    pdf.address_block([
        "De bewoners van",
        address.label,
        f"{format_postcode(address.postcode)}  {address.city.upper()}" if address.postcode else address.city.upper(),
    ])
    pdf.meta([("Datum", format_date_nl(letter_date)), ("Onderwerp", f"Uitslag raadpleging {consultation.title}"[:90])])
    pdf.title_line(f"Ons besluit voor de {decision.street}: {decision.get_choice_display()}")
    pdf.paragraph("Beste bewoner,")
    pdf.paragraph(
        f"Van {format_date_nl(consultation.starts_on)} tot en met {format_date_nl(consultation.ends_on)} zijn wij "
        f"bij alle adressen van {consultation.complex.name} langsgekomen met de vraag: {consultation.title}. "
        "Hartelijk dank aan iedereen die heeft meegedaan. In deze brief leest u wat uw straat heeft geantwoord "
        "en wat wij hebben besloten.")
    pdf.heading("Wat heeft uw straat geantwoord?")
    for line in _figures(decision.snapshot or {}):
        pdf.paragraph(line)
    pdf.heading(f"Ons besluit voor de {decision.street}")
    pdf.paragraph(decision.text, bold=True)
    pdf.paragraph(decision.reasoning)
    pdf.heading("Bent u het niet eens met dit besluit?")
    objection = (
        f"Laat het ons dan binnen {OBJECTION_WEEKS} weken na de datum van deze brief weten: "
        f"{_how_to_reach(contact)}. Noem daarbij uw adres. Wij nemen dan contact met u op.")
    if consultation.is_published:
        url = settings.BASE_URL + reverse("consultation_public:results", kwargs={"slug": consultation.slug})
        objection += f" De uitslag van alle straten staat op {url}."
    pdf.paragraph(objection)
    pdf.closing(f"Projectteam {consultation.complex.name}")


def _letter_date(decision: StreetDecision) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(decision.decided_at).date()


def address_letter_pdf(consultation: Consultation, address: ConsultationAddress, decision: StreetDecision) -> bytes:
    """The letter for one address (its street's decision)."""
    if address.street != decision.street or address.consultation_id != consultation.pk:
        raise ValueError("address and decision are of different streets")
    day = _letter_date(decision)
    pdf = _ConsultationLetters(_contact(consultation.corporation), day, f"Besluit {decision.street}")
    _write_letter(pdf, consultation, address, decision, day)
    return pdf.to_bytes()


def street_letters_pdf(consultation: Consultation, decision: StreetDecision) -> bytes:
    """One PDF with a letter for every address of the decision's street, in walking order."""
    day = _letter_date(decision)
    pdf = _ConsultationLetters(_contact(consultation.corporation), day, f"Besluit {decision.street}")
    for index, address in enumerate(consultation.addresses.filter(street=decision.street).order_by("position")):
        if index:
            pdf.next_letter()
        _write_letter(pdf, consultation, address, decision, day)
    return pdf.to_bytes()
