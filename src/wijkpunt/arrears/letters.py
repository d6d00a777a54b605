"""The arrears letters as PDF: the written reminder (betalingsherinnering) and the 14-day letter.

The reminder carries the content that Besluit gemeentelijke schuldhulpverlening art. 2 requires
before a corporation may signal the arrears to the municipality; the 14-day letter is the
aanmaning of art. 6:96 lid 6 BW. Contents, legal basis and assumptions: ``docs/arrears-letters.md``.

PDFs are made with fpdf2 (pure Python) and the vendored DejaVu Sans (``fonts/``, with licence), so
every name renders (Özdemir, Yılmaz, Łukasiewicz) and the euro sign too. The PDF creation date is
the letter date (midnight, Amsterdam), so the same data always gives the same bytes: a stored
letter can be checked against its SHA-256 by generating it again.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import phonenumbers
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from wijkpunt.core.calendar import AMSTERDAM
from wijkpunt.core.validators import format_postcode

from .costs import Costs, collection_costs, format_euro
from .deadlines import DeadlineResult, format_date_nl, fourteen_day_deadline, reminder_objection_deadline
from .models import ArrearsEpisode, LedgerKind, MunicipalityAgreement, StepKind
from .rules import agreement_for

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
DEFAULT_OBJECTION_DAYS = 14  # when no agreement with the municipality is recorded
NBSP = "\u00a0"

# fontTools logs every table it subsets at INFO level: one screen of noise per letter.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

# Phrases that every reminder contains, one per legal requirement (Besluit gemeentelijke
# schuldhulpverlening art. 2, conditions 1-4 in ../shared/docs/domain.md; docs/arrears-letters.md). Tests and reviewers check them.
REMINDER_REQUIRED_PHRASES: tuple[str, ...] = (
    # the letter is the written reminder (condition 3)
    "Betalingsherinnering",
    # the amount and the months it covers (wording continues with the amount and the months)
    "Op dit moment staat er",
    "Het gaat om de huur van",
    # a request to pay or to get in touch
    "Betaal het bedrag zo snel mogelijk, of neem contact met ons op.",
    # personal contact (condition 1)
    "Wij willen graag persoonlijk met u praten",
    # the pointer to debt help (condition 2)
    "De gemeente helpt gratis bij geldzorgen en schulden.",
    # the offer to pass the contact details and the amount (condition 4)
    "Wij bieden u aan om uw contactgegevens en het bedrag van uw achterstand door te geven aan de gemeente",
    # room to object: how and until when, and the consequence
    "Dan kunt u daartegen bezwaar maken.",
    "Laat het ons dan uiterlijk",
    "Dan geven wij uw gegevens niet door aan de gemeente.",
)

FOURTEEN_DAY_REQUIRED_PHRASES: tuple[str, ...] = (
    "Aanmaning",
    "U heeft 14 dagen om te betalen, vanaf de dag nadat u deze brief heeft ontvangen.",
    "Dan moet u ook incassokosten betalen.",
    "Aan deze brief zijn geen kosten verbonden.",
    "De gemeente helpt gratis bij geldzorgen en schulden.",
)


# --------------------------------------------------------------------------- text helpers


def _euro(cents: int) -> str:
    """An amount that never breaks between the euro sign and the number."""
    return _unbroken(format_euro(cents))


def _unbroken(text: str) -> str:
    """Keep a date or an amount on one line."""
    return text.replace(" ", NBSP)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _month_nl(day: dt.date) -> str:
    return format_date_nl(day).split(" ", 1)[1]  # "maart 2026"


def _phone(value: str) -> str:
    """E.164 as stored (``+31301234567``) shown the Dutch way (``030 123 4567``)."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def addressee_name(household) -> str:
    """The contract holder as on an envelope: ``"A. van der Meulen"``; the household name otherwise."""
    parts = [household.initials, household.surname_prefix, household.surname]
    if household.surname:
        return " ".join(p.strip() for p in parts if p and p.strip())
    return household.name


def salutation(household) -> str:
    """Gender-neutral: ``"Beste A. van der Meulen,"``; without initials the prefix is capitalised."""
    if household.surname and household.initials:
        return f"Beste {addressee_name(household)},"
    if household.surname:
        prefix = household.surname_prefix.strip()
        prefix = _capitalise(prefix)
        return f"Beste heer of mevrouw {' '.join(p for p in (prefix, household.surname) if p)},"
    return "Beste huurder,"


def _months_phrase(episode: ArrearsEpisode, sent_on: dt.date) -> str:
    """``"maart 2026 tot en met mei 2026"``: from the month the arrears arose to the last rent charge due."""
    last_charge = (
        episode.tenancy.ledger_lines.filter(
            kind=LedgerKind.CHARGE, effective_on__gte=episode.arose_on, effective_on__lte=sent_on
        )
        .order_by("-effective_on")
        .values_list("effective_on", flat=True)
        .first()
    )
    last = max(last_charge or sent_on, episode.arose_on)
    first_month, last_month = _month_nl(episode.arose_on), _month_nl(last)
    if (episode.arose_on.year, episode.arose_on.month) == (last.year, last.month):
        return first_month
    return f"{first_month} tot en met {last_month}"


def _months_of_rent(months: Decimal) -> str:
    if not months or months <= 0:
        return ""
    rounded = Decimal(months).quantize(Decimal("0.1"))
    text = f"{rounded}".replace(".", ",").removesuffix(",0")
    return f" Dat is ongeveer {text} {'maand' if rounded <= 1 else 'maanden'} huur."


@dataclass(frozen=True)
class _Contact:
    name: str
    phone: str
    email: str


def _contact(corporation) -> _Contact:
    return _Contact(name=corporation.name, phone=_phone(corporation.phone), email=corporation.email)


def _how_to_reach(contact: _Contact) -> str:
    ways = []
    if contact.phone:
        ways.append(f"bel ons op {contact.phone}")
    if contact.email:
        ways.append(f"mail naar {contact.email}")
    ways.append("stuur ons een brief")
    return ", ".join(ways[:-1]) + f" of {ways[-1]}" if len(ways) > 1 else ways[0]


def _debt_help_paragraphs(municipality_name: str, agreement: MunicipalityAgreement | None) -> list[str]:
    first = (
        "Heeft u geldzorgen of schulden? Vraag dan op tijd hulp. "
        "De gemeente helpt gratis bij geldzorgen en schulden."
    )
    if agreement and agreement.debt_help_name:
        ways = []
        if agreement.debt_help_phone:
            ways.append(f"bel {_phone(agreement.debt_help_phone)}")
        if agreement.debt_help_url:
            ways.append(f"kijk op {agreement.debt_help_url}")
        how = f": {' of '.join(ways)}" if ways else ""
        second = f"In de gemeente {municipality_name} is dat {agreement.debt_help_name}. Neem contact op{how}."
    else:
        second = (
            f"Neem contact op met de gemeente {municipality_name}. Op de website van de gemeente staat "
            "hoe u hulp kunt vragen. U kunt ook bellen naar het algemene nummer van de gemeente."
        )
    return [first, second]


# --------------------------------------------------------------------------- the PDF


class _LetterPDF(FPDF):
    """A4 letter with the corporation's letterhead on page 1 and page numbers at the bottom."""

    LEFT = 25
    LINE = 5.5

    def __init__(self, contact: _Contact, letter_date: dt.date, title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.contact = contact
        self.set_creation_date(dt.datetime.combine(letter_date, dt.time(0, 0), tzinfo=AMSTERDAM))
        self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_margins(self.LEFT, 20, 20)
        self.set_auto_page_break(True, margin=22)
        self.set_title(title)
        self.set_author(contact.name)
        self.set_creator("Wijkpunt")
        self.set_lang("nl-NL")
        self.add_page()

    def header(self) -> None:
        if self.page_no() != 1:
            return
        self.set_xy(self.LEFT, 15)
        self.set_font(FONT, "B", 15)
        self.cell(0, 8, self.contact.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 9)
        details = "   ".join(
            d for d in (f"Telefoon {self.contact.phone}" if self.contact.phone else "",
                        f"E-mail {self.contact.email}" if self.contact.email else "") if d
        )
        if details:
            self.cell(0, 5, details, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"{self.contact.name} · pagina {self.page_no()} van {{nb}}", align="C")

    def address_block(self, lines: list[str]) -> None:
        # The address window of a standard Dutch window envelope (left, about 50 mm from the top).
        self.set_xy(self.LEFT, 50)
        self.set_font(FONT, "", 10.5)
        for line in lines:
            self.cell(0, self.LINE, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def meta(self, rows: list[tuple[str, str]]) -> None:
        self.set_xy(self.LEFT, 90)
        for label, value in rows:
            self.set_font(FONT, "", 9.5)
            self.cell(32, self.LINE, label)
            self.cell(0, self.LINE, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(6)

    def title_line(self, text: str) -> None:
        self.set_font(FONT, "B", 13)
        self.multi_cell(0, 7, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def heading(self, text: str) -> None:
        if self.get_y() > self.page_break_trigger - 4 * self.LINE:  # no heading alone at a page's foot
            self.add_page()
        self.ln(1.5)
        self.set_font(FONT, "B", 10.5)
        self.multi_cell(0, self.LINE, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", 10.5)
        self.multi_cell(0, self.LINE, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def closing(self, signer_name: str) -> None:
        self.ln(2)
        self.paragraph("Met vriendelijke groet,")
        self.set_font(FONT, "", 10.5)
        self.ln(6)
        for line in (signer_name, self.contact.name):
            if line:
                self.cell(0, self.LINE, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def to_bytes(self) -> bytes:
        return bytes(self.output())


def _start_letter(episode: ArrearsEpisode, *, sent_on: dt.date, title: str, subject: str) -> _LetterPDF:
    tenancy = episode.tenancy
    household, unit = tenancy.household, tenancy.unit
    pdf = _LetterPDF(_contact(episode.corporation), sent_on, title)
    pdf.address_block([
        addressee_name(household),
        f"{unit.street} {unit.house_number_full}",
        f"{format_postcode(unit.postcode)}  {unit.city.upper()}",
    ])
    pdf.meta([
        ("Datum", format_date_nl(sent_on)),
        ("Ons kenmerk", tenancy.contract_number),
        ("Onderwerp", subject),
    ])
    pdf.title_line(title)
    pdf.paragraph(salutation(household))
    return pdf


def _contact_attempt_sentence(episode: ArrearsEpisode, sent_on: dt.date) -> str:
    attempts = list(
        episode.steps.filter(kind=StepKind.CONTACT_ATTEMPT, occurred_on__lte=sent_on).order_by("occurred_on", "pk")
    )
    if any(a.reached for a in attempts):
        last = max(a.occurred_on for a in attempts if a.reached)
        return f"Op {format_date_nl(last)} hebben wij u gesproken over de achterstand."
    if attempts:
        dates = ", ".join(format_date_nl(a.occurred_on) for a in attempts[-3:])
        return f"Wij hebben geprobeerd u persoonlijk te spreken ({dates}). Dat is niet gelukt."
    return "Wij gaan ook proberen u persoonlijk te spreken, bijvoorbeeld door te bellen of langs te komen."


# --------------------------------------------------------------------------- the letters


def reminder_letter_pdf(
    episode: ArrearsEpisode,
    *,
    sent_on: dt.date,
    agreement: MunicipalityAgreement | None,
    signer_name: str,
    channel: str = "BRI",
) -> bytes:
    """The written reminder with the offer to pass the details to the municipality and room to object.

    ``agreement`` is the covenant with the tenant's municipality valid on ``sent_on`` (it gives the
    debt-help contacts and the objection window); ``None`` gives a generic debt-help text and a
    14-day window. ``channel`` ("BRI" post, "EMA" e-mail) decides when the letter counts as
    received, and so the last day to object: pass the channel the letter is actually sent by."""
    tenancy = episode.tenancy
    municipality = tenancy.unit.neighbourhood.municipality
    contact = _contact(episode.corporation)
    objection_days = agreement.objection_days if agreement else DEFAULT_OBJECTION_DAYS
    objection_until = reminder_objection_deadline(sent_on, channel, objection_days)

    pdf = _start_letter(
        episode, sent_on=sent_on, title="Betalingsherinnering: u heeft een huurachterstand",
        subject="Betalingsherinnering huurachterstand",
    )
    pdf.paragraph(
        f"U heeft nog niet alle huur betaald. Op dit moment staat er {_euro(episode.amount_cents)} open. "
        f"Het gaat om de huur van {_months_phrase(episode, sent_on)}. De achterstand is ontstaan op "
        f"{format_date_nl(episode.arose_on)}.{_months_of_rent(episode.months)}"
    )
    pdf.paragraph("Heeft u het bedrag de afgelopen dagen al betaald? Dan hoeft u niets te doen.")

    pdf.heading("Wat vragen wij van u?")
    pdf.paragraph(
        "Betaal het bedrag zo snel mogelijk, of neem contact met ons op. Lukt het niet om alles in één "
        "keer te betalen? Dan kunnen we samen een betalingsregeling afspreken. U betaalt op het "
        f"rekeningnummer waarop u ook uw huur betaalt. Zet uw contractnummer {tenancy.contract_number} "
        f"bij de betaling. Contact opnemen? {_capitalise(_how_to_reach(contact))}."
    )

    pdf.heading("Wij willen graag met u praten")
    pdf.paragraph(
        "Wij willen graag persoonlijk met u praten over hoe u de achterstand kunt betalen, en hoe u kunt "
        f"voorkomen dat die groter wordt. {_contact_attempt_sentence(episode, sent_on)}"
    )

    pdf.heading("Hulp bij geldzorgen")
    for text in _debt_help_paragraphs(municipality.name, agreement):
        pdf.paragraph(text)

    pdf.heading("Wij bieden aan: uw gegevens doorgeven aan de gemeente")
    pdf.paragraph(
        "Wij bieden u aan om uw contactgegevens en het bedrag van uw achterstand door te geven aan de "
        f"gemeente {municipality.name}. Dat zijn: uw naam, adres, telefoonnummer, e-mailadres en "
        "geboortedatum, het bedrag van de achterstand en de datum waarop die is ontstaan. De gemeente "
        "kan dan contact met u opnemen en u hulp aanbieden. U beslist zelf of u die hulp wilt. "
        "Zo staat het in de wet (Besluit gemeentelijke schuldhulpverlening, artikel 2)."
    )

    pdf.heading("Wilt u niet dat wij uw gegevens doorgeven?")
    pdf.paragraph(
        "Dan kunt u daartegen bezwaar maken. Laat het ons dan uiterlijk op "
        f"{_unbroken(format_date_nl(objection_until, weekday=True))} weten: {_how_to_reach(contact)}. "
        f"Noem daarbij uw contractnummer {tenancy.contract_number}. "
        "Dan geven wij uw gegevens niet door aan de gemeente."
    )
    pdf.closing(signer_name)
    return pdf.to_bytes()


def fourteen_day_letter_pdf(
    episode: ArrearsEpisode, *, sent_on: dt.date, channel: str, signer_name: str
) -> tuple[bytes, DeadlineResult, Costs]:
    """The 14-day letter (aanmaning, art. 6:96 lid 6 BW) with a concrete last day to pay and the
    collection costs including VAT that are charged if the tenant has not paid by then.

    Returns the PDF, the deadline (with its reasoning, for the file) and the announced costs."""
    tenancy = episode.tenancy
    municipality = tenancy.unit.neighbourhood.municipality
    contact = _contact(episode.corporation)
    deadline = fourteen_day_deadline(sent_on, channel)
    costs = collection_costs(max(episode.amount_cents, 0), sent_on)
    agreement = agreement_for(episode, sent_on)
    plain_last_day = format_date_nl(deadline.deadline, weekday=True)
    last_day = _unbroken(plain_last_day)

    pdf = _start_letter(
        episode, sent_on=sent_on, title=f"Aanmaning: betaal uw huurachterstand uiterlijk op {plain_last_day}",
        subject="Aanmaning huurachterstand (veertiendagenbrief)",
    )
    reminded = episode.steps.filter(kind=StepKind.REMINDER_LETTER, occurred_on__lte=sent_on).exists()
    pdf.paragraph(
        f"U heeft een huurachterstand van {_euro(episode.amount_cents)}. Het gaat om de huur van "
        f"{_months_phrase(episode, sent_on)}." + (" Wij hebben u hierover al eerder geschreven." if reminded else "")
    )

    pdf.heading(f"Betaal uiterlijk op {last_day}")
    pdf.paragraph(
        f"Wij vragen u om {_euro(episode.amount_cents)} uiterlijk op {last_day} te betalen. "
        "U heeft 14 dagen om te betalen, vanaf de dag nadat u deze brief heeft ontvangen. "
        "Aan deze brief zijn geen kosten verbonden."
    )

    pdf.heading("Betaalt u niet op tijd? Dan komen er kosten bij")
    pdf.paragraph(
        f"Heeft u niet uiterlijk op {last_day} alles betaald? Dan moet u ook incassokosten betalen. "
        f"Die kosten zijn {_euro(costs.incl_cents)}: {_euro(costs.excl_cents)} plus "
        f"{_euro(costs.vat_cents)} btw. Wij kunnen de btw niet terugvragen; daarom rekenen wij de "
        "kosten inclusief btw. De hoogte van de kosten staat in de wet (Besluit vergoeding voor "
        "buitengerechtelijke incassokosten). Daarna kunnen wij een deurwaarder inschakelen. "
        "Dat kost u dan nog meer."
    )

    pdf.heading("Hoe betaalt u?")
    pdf.paragraph(
        "U betaalt op het rekeningnummer waarop u ook uw huur betaalt. Zet uw contractnummer "
        f"{tenancy.contract_number} bij de betaling. Weet u het rekeningnummer niet, of lukt het niet "
        f"om alles in één keer te betalen? Neem dan vóór {last_day} contact met ons op: "
        f"{_how_to_reach(contact)}. Dan kijken we samen of een betalingsregeling mogelijk is."
    )

    pdf.heading("Hulp bij geldzorgen")
    for text in _debt_help_paragraphs(municipality.name, agreement):
        pdf.paragraph(text)

    pdf.paragraph("Heeft u het bedrag al betaald? Dan hoeft u niets te doen.")
    pdf.closing(signer_name)
    return pdf.to_bytes(), deadline, costs
