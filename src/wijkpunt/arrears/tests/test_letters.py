"""The reminder and the 14-day letter as PDF (``arrears/letters.py``), checked on the extracted text."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from wijkpunt.arrears.costs import collection_costs
from wijkpunt.arrears.letters import (
    FOURTEEN_DAY_REQUIRED_PHRASES,
    REMINDER_REQUIRED_PHRASES,
    fourteen_day_letter_pdf,
    reminder_letter_pdf,
)
from wijkpunt.arrears.models import (
    ArrearsEpisode,
    EpisodeStep,
    LedgerKind,
    LedgerLine,
    MunicipalityAgreement,
    StepKind,
)
from wijkpunt.core.models import Organisation
from wijkpunt.housing.models import Household, Municipality, Neighbourhood, Tenancy, Unit

pytestmark = pytest.mark.django_db

SENT_ON = dt.date(2026, 3, 6)  # a Friday: by post received Tue 10 Mar, 14 days -> Tue 24 Mar 2026


def pdf_text(data: bytes) -> str:
    """All text of the PDF with white space (line breaks, non-breaking spaces) collapsed."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def corporation():
    return Organisation.objects.create(
        name="Woonstichting Het Anker", slug="het-anker", kind=Organisation.Kind.CORPORATION,
        phone="+31302345678", email="huur@hetanker.nl",
    )


@pytest.fixture
def municipality():
    return Municipality.objects.create(code="GM0355", name="Zeist")


@pytest.fixture
def unit(corporation, municipality):
    buurt = Neighbourhood.objects.create(
        code="BU03550101", name="Kerckebosch", district_code="WK035501", district_name="Centrum",
        municipality=municipality,
    )
    return Unit.objects.create(
        corporation=corporation, neighbourhood=buurt, code="E000123", street="Kerkstraat", house_number=12,
        house_letter="a", postcode="3701AB", city="Zeist",
    )


def make_episode(corporation, unit, *, initials="A.", prefix="van der", surname="Meulen", contract="HC-2026-0042"):
    household = Household.objects.create(
        corporation=corporation, name=f"Huishouden {surname}", composition=Household.Composition.SINGLE,
        initials=initials, surname_prefix=prefix, surname=surname, birth_date=dt.date(1980, 5, 17),
    )
    tenancy = Tenancy.objects.create(
        contract_number=contract, unit=unit, household=household, start_date=dt.date(2019, 1, 1),
        monthly_rent=Decimal("493.82"),
    )
    return ArrearsEpisode.objects.create(
        corporation=corporation, tenancy=tenancy, arose_on=dt.date(2026, 1, 1), opened_on=dt.date(2026, 2, 2),
        amount_cents=123_456, months=Decimal("2.50"), peak_cents=123_456,
    )


@pytest.fixture
def episode(corporation, unit):
    return make_episode(corporation, unit)


@pytest.fixture
def agreement(corporation, municipality):
    return MunicipalityAgreement.objects.create(
        corporation=corporation, municipality=municipality, valid_from=dt.date(2025, 1, 1), objection_days=14,
        debt_help_name="Geldzaken Zeist", debt_help_phone="+31306987654",
        debt_help_url="https://www.zeist.nl/geldzorgen",
    )


def test_reminder_has_every_required_phrase(episode, agreement):
    text = pdf_text(reminder_letter_pdf(episode, sent_on=SENT_ON, agreement=agreement, signer_name="Petra de Wit"))
    for phrase in REMINDER_REQUIRED_PHRASES:
        assert phrase in text, phrase


def test_reminder_content(episode, agreement):
    text = pdf_text(reminder_letter_pdf(episode, sent_on=SENT_ON, agreement=agreement, signer_name="Petra de Wit"))
    # Letterhead, date, reference, addressee at the unit address.
    assert "Woonstichting Het Anker" in text
    assert "030 234 5678" in text and "huur@hetanker.nl" in text
    assert "6 maart 2026" in text
    assert "HC-2026-0042" in text
    assert "A. van der Meulen Kerkstraat 12a 3701 AB ZEIST" in text
    assert "Beste A. van der Meulen," in text
    # The amount (euro sign) and the months it covers (no ledger lines: up to the letter's month).
    assert "€ 1.234,56" in text
    assert "Het gaat om de huur van januari 2026 tot en met maart 2026." in text
    assert "ontstaan op 1 januari 2026" in text
    assert "ongeveer 2,5 maanden huur" in text
    # Debt help of the municipality from the agreement.
    assert "Geldzaken Zeist" in text and "030 698 7654" in text and "https://www.zeist.nl/geldzorgen" in text
    # The offer and the room to object: how and until when (post: Tue 10 Mar + 14 = Tue 24 Mar).
    assert "door te geven aan de gemeente Zeist" in text
    assert "Laat het ons dan uiterlijk op dinsdag 24 maart 2026 weten" in text
    assert "bel ons op 030 234 5678, mail naar huur@hetanker.nl of stuur ons een brief" in text
    assert "Dan geven wij uw gegevens niet door aan de gemeente." in text
    # No contact attempt recorded yet: the letter says one will follow.
    assert "Wij gaan ook proberen u persoonlijk te spreken" in text
    assert "Petra de Wit" in text


def test_reminder_by_email_gives_the_email_objection_date(episode, agreement):
    # E-mail Fri 6 Mar 2026: received the same day, 14 days -> Fri 20 Mar 2026.
    data = reminder_letter_pdf(episode, sent_on=SENT_ON, agreement=agreement, signer_name="P. de Wit", channel="EMA")
    assert "uiterlijk op vrijdag 20 maart 2026 weten" in pdf_text(data)


def test_reminder_without_agreement_names_the_municipality(episode):
    text = pdf_text(reminder_letter_pdf(episode, sent_on=SENT_ON, agreement=None, signer_name="Petra de Wit"))
    assert "Neem contact op met de gemeente Zeist." in text
    assert "uiterlijk op dinsdag 24 maart 2026" in text  # the default 14-day window
    for phrase in REMINDER_REQUIRED_PHRASES:
        assert phrase in text, phrase


def test_reminder_months_follow_the_ledger(episode, agreement, corporation):
    # Rent for February is the last charge before the letter (6 Mar, March rent not booked yet).
    for n, due in enumerate([dt.date(2026, 1, 1), dt.date(2026, 2, 1)]):
        LedgerLine.objects.create(
            corporation=corporation, tenancy=episode.tenancy, transaction_id=f"T{n}", kind=LedgerKind.CHARGE,
            booked_on=due, effective_on=due, amount_cents=49_382,
        )
    text = pdf_text(reminder_letter_pdf(episode, sent_on=SENT_ON, agreement=agreement, signer_name="P. de Wit"))
    assert "Het gaat om de huur van januari 2026 tot en met februari 2026." in text


def test_reminder_mentions_the_contact_attempts(episode, agreement):
    EpisodeStep.objects.create(episode=episode, kind=StepKind.CONTACT_ATTEMPT, occurred_on=dt.date(2026, 3, 2),
                               channel="TEL", reached=False)
    text = pdf_text(reminder_letter_pdf(episode, sent_on=SENT_ON, agreement=agreement, signer_name="P. de Wit"))
    assert "Wij hebben geprobeerd u persoonlijk te spreken (2 maart 2026). Dat is niet gelukt." in text
    EpisodeStep.objects.create(episode=episode, kind=StepKind.CONTACT_ATTEMPT, occurred_on=dt.date(2026, 3, 4),
                               channel="BEZ", reached=True)
    text = pdf_text(reminder_letter_pdf(episode, sent_on=SENT_ON, agreement=agreement, signer_name="P. de Wit"))
    assert "Op 4 maart 2026 hebben wij u gesproken over de achterstand." in text


@pytest.mark.parametrize(
    ("initials", "prefix", "surname", "expected"),
    [
        ("Ö.", "", "Özdemir", "Beste Ö. Özdemir,"),
        ("M.", "", "Yılmaz", "Beste M. Yılmaz,"),
        ("Ł.", "", "Łukasiewicz-Şahin", "Beste Ł. Łukasiewicz-Şahin,"),
        ("", "van der", "Meulen", "Beste heer of mevrouw Van der Meulen,"),
    ],
)
def test_names_with_diacritics_render(corporation, unit, agreement, initials, prefix, surname, expected):
    episode = make_episode(corporation, unit, initials=initials, prefix=prefix, surname=surname)
    text = pdf_text(reminder_letter_pdf(episode, sent_on=SENT_ON, agreement=agreement, signer_name="Zoë Çelik"))
    assert expected in text
    assert "Zoë Çelik" in text


def test_output_is_deterministic(episode, agreement):
    first = reminder_letter_pdf(episode, sent_on=SENT_ON, agreement=agreement, signer_name="Petra de Wit")
    second = reminder_letter_pdf(episode, sent_on=SENT_ON, agreement=agreement, signer_name="Petra de Wit")
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    assert first.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(first))
    assert reader.metadata.creation_date.date() == SENT_ON
    assert reader.metadata.title == "Betalingsherinnering: u heeft een huurachterstand"
    assert len(reader.pages) <= 2


def test_fourteen_day_letter(episode, agreement):
    EpisodeStep.objects.create(episode=episode, kind=StepKind.REMINDER_LETTER, occurred_on=dt.date(2026, 2, 2),
                               channel="BRI")
    data, deadline, costs = fourteen_day_letter_pdf(episode, sent_on=SENT_ON, channel="BRI", signer_name="Petra de Wit")
    # Post on Fri 6 Mar 2026: received Tue 10 Mar, the term runs Wed 11 .. Tue 24 Mar 2026.
    assert deadline.received_on == dt.date(2026, 3, 10)
    assert deadline.deadline == dt.date(2026, 3, 24)
    # 15% of EUR 1,234.56 = EUR 185.184 -> EUR 185.18; VAT 21% = EUR 38.8878 -> EUR 38.89; EUR 224.07.
    assert costs == collection_costs(123_456, SENT_ON)
    assert (costs.excl_cents, costs.vat_cents, costs.incl_cents) == (18_518, 3_889, 22_407)
    text = pdf_text(data)
    for phrase in FOURTEEN_DAY_REQUIRED_PHRASES:
        assert phrase in text, phrase
    assert "Wij vragen u om € 1.234,56 uiterlijk op dinsdag 24 maart 2026 te betalen." in text
    assert "Die kosten zijn € 224,07: € 185,18 plus € 38,89 btw." in text
    assert "HC-2026-0042" in text and "A. van der Meulen" in text
    assert "Wij hebben u hierover al eerder geschreven." in text  # a reminder was recorded before
    # Debt help from the agreement valid on the letter date.
    assert "Geldzaken Zeist" in text and "https://www.zeist.nl/geldzorgen" in text


def test_fourteen_day_letter_by_email_and_without_agreement(episode):
    # E-mail Fri 6 Mar 2026: received the same day; 6 + 14 = Fri 20 Mar 2026.
    data, deadline, _costs = fourteen_day_letter_pdf(episode, sent_on=SENT_ON, channel="EMA", signer_name="P. de Wit")
    assert deadline.deadline == dt.date(2026, 3, 20)
    text = pdf_text(data)
    assert "uiterlijk op vrijdag 20 maart 2026" in text
    assert "Neem contact op met de gemeente Zeist." in text
    assert "eerder geschreven" not in text  # no reminder recorded


def test_fourteen_day_letter_is_deterministic(episode, agreement):
    first = fourteen_day_letter_pdf(episode, sent_on=SENT_ON, channel="BRI", signer_name="P. de Wit")[0]
    second = fourteen_day_letter_pdf(episode, sent_on=SENT_ON, channel="BRI", signer_name="P. de Wit")[0]
    assert first == second
