"""Phone numbers in the network directory: ordinary Dutch numbers (core's validator) plus the
national short numbers a directory needs (112 emergencies, 113 suicide prevention, 144 animals).
Kept here so that core's validator stays strict for the numbers people and organisations give."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.validators import validate_phone

SHORT_NUMBERS = frozenset({"112", "113", "144"})


def validate_directory_phone(value: str) -> None:
    if not value:
        return
    if re.sub(r"[\s-]", "", value) in SHORT_NUMBERS:
        return
    try:
        validate_phone(value)
    except ValidationError as exc:
        raise ValidationError(
            _("Vul een geldig telefoonnummer in, bijvoorbeeld 030 698 12 34, 0900-8844 of 112."), code="phone"
        ) from exc


def tel_href(value: str) -> str:
    """The number for a tel: link (digits and a leading +)."""
    return re.sub(r"[^\d+]", "", value or "")
