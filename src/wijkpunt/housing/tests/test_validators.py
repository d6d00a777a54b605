"""Property tests for the Dutch identifier validators the importer relies on."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from wijkpunt.core.validators import (
    BAG_VBO_RE,
    POSTCODE_RE,
    format_postcode,
    normalise_phone,
    normalise_postcode,
    validate_bag_vbo_id,
    validate_postcode,
)
from wijkpunt.housing.importers import parse_rows

ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
spaces = st.text(alphabet=" \t", max_size=2)


@st.composite
def written_postcodes(draw) -> tuple[str, str]:
    """A valid postcode as people type it: any case, spaces anywhere; with its canonical form."""
    digits = str(draw(st.integers(1000, 9999)))
    letters = draw(st.text(alphabet=ASCII_UPPER, min_size=2, max_size=2))
    canonical = digits + letters
    typed = "".join(draw(spaces) + (c.lower() if draw(st.booleans()) else c) for c in canonical) + draw(spaces)
    return typed, canonical


@given(written_postcodes())
def test_every_normalised_valid_postcode_matches_the_pattern(postcode):
    typed, canonical = postcode
    assert normalise_postcode(typed) == canonical
    assert POSTCODE_RE.match(normalise_postcode(typed))
    validate_postcode(typed)
    assert format_postcode(typed) == f"{canonical[:4]} {canonical[4:]}"


@given(st.text(max_size=12))
def test_strings_that_do_not_match_are_rejected(text):
    if POSTCODE_RE.match(normalise_postcode(text)):
        validate_postcode(text)
    else:
        with pytest.raises(ValidationError):
            validate_postcode(text)


@given(st.from_regex(r"\A0[0-9]{3} ?[A-Za-z]{2}\Z") | st.from_regex(r"\A[1-9][0-9]{2,4} ?[A-Z]{1,3}\Z"))
def test_near_misses_are_rejected(text):
    if len(normalise_postcode(text)) == 6 and text[0] != "0":
        return  # a genuinely valid one drawn from the second pattern
    with pytest.raises(ValidationError):
        validate_postcode(text)


@given(st.from_regex(BAG_VBO_RE, fullmatch=True))
def test_valid_bag_ids_pass(bag_id):
    validate_bag_vbo_id(bag_id)


@given(st.text(alphabet="0123456789", max_size=20))
def test_bag_ids_need_16_digits_with_01(text):
    if len(text) == 16 and text[4:6] == "01":
        validate_bag_vbo_id(text)
    else:
        with pytest.raises(ValidationError):
            validate_bag_vbo_id(text)


@given(st.integers(1, 5), st.integers(0, 9_999_999), st.sampled_from(["0{}", "06-{}", "+31 6 {}", "0031{}"]))
def test_mobile_numbers_normalise_to_e164(prefix, rest, style):
    national = f"{prefix}{rest:07d}"
    text = style.format(f"6{national}" if style in ("0{}", "0031{}") else national)
    e164 = normalise_phone(text)
    assert e164 == f"+316{national}"
    assert normalise_phone(e164) == e164


UNIT = {
    "eenheidnummer": "E1", "soort": "EGW", "straat": "Kerkstraat", "huisnummer": "1", "huisletter": "",
    "toevoeging": "", "postcode": "", "plaats": "Zeist", "bag_verblijfsobject_id": "", "complexnummer": "",
    "complexnaam": "", "buurtcode": "BU03550101", "buurtnaam": "Centrum", "wijkcode": "WK035501",
    "wijknaam": "Centrum", "gemeentecode": "GM0355", "gemeentenaam": "Zeist", "latitude": "", "longitude": "",
}


@given(st.one_of(written_postcodes().map(lambda p: p[0]), st.text(max_size=10), st.just("1234 ß")))
def test_importer_accepts_a_postcode_exactly_when_the_validator_does(text):
    parsed = parse_rows(unit_rows=[(2, {**UNIT, "postcode": text})], tenancy_rows=[])
    try:
        validate_postcode(text)
        # the importer is stricter than the validator: "1234 ß" upper-cases to "1234SS"
        valid = bool(text.strip()) and text.isascii()
    except ValidationError:
        valid = False
    assert bool(parsed.units) == valid
    if valid:
        assert parsed.units[0].postcode == normalise_postcode(text)
    else:
        assert [(e.line, e.column) for e in parsed.errors] == [(2, "postcode")]
