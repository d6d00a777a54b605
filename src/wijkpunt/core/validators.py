"""Validators for Dutch identifiers (see docs/domain.md, 'Identifiers and formats')."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

POSTCODE_RE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
BAG_VBO_RE = re.compile(r"^[0-9]{4}01[0-9]{10}$")
HOUSE_LETTER_RE = re.compile(r"^[A-Za-z]$")
ADDITION_RE = re.compile(r"^[A-Za-z0-9]{1,4}$")
BUURT_RE = re.compile(r"^BU\d{4}[0-9A-Z]{4}$")
WIJK_RE = re.compile(r"^WK\d{4}[0-9A-Z]{2}$")
GEMEENTE_RE = re.compile(r"^GM\d{4}$")


def normalise_postcode(value: str) -> str:
    """Remove white space and upper-case; non-ASCII input is left as is so that it fails validation
    (``"ß".upper()`` would otherwise turn into a valid-looking ``"SS"``)."""
    value = re.sub(r"\s+", "", value or "")
    return value.upper() if value.isascii() else value


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError(_("Vul een geldige postcode in, bijvoorbeeld 3511 AB."), code="postcode")


def format_postcode(value: str) -> str:
    value = normalise_postcode(value)
    return f"{value[:4]} {value[4:]}" if len(value) == 6 else value


def validate_bag_vbo_id(value: str) -> None:
    if not BAG_VBO_RE.match(value or ""):
        raise ValidationError(
            _("Een BAG-verblijfsobject-id heeft 16 cijfers met '01' op plaats 5 en 6."), code="bag_id"
        )


def validate_house_letter(value: str) -> None:
    if value and not HOUSE_LETTER_RE.match(value):
        raise ValidationError(_("Een huisletter is één letter."), code="house_letter")


def validate_addition(value: str) -> None:
    if value and not ADDITION_RE.match(value):
        raise ValidationError(_("Een toevoeging is 1 tot 4 letters of cijfers."), code="addition")


def normalise_phone(value: str) -> str:
    """Return the number in E.164 (e.g. +31612345678) or raise ValidationError."""
    value = (value or "").strip()
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Vul een geldig telefoonnummer in, bijvoorbeeld 06 12345678."), code="phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Vul een geldig telefoonnummer in, bijvoorbeeld 06 12345678."), code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    if value:
        normalise_phone(value)
