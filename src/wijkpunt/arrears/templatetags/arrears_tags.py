"""Template filters for amounts kept in cents."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euros(cents) -> str:
    """12345 → "€ 123,45" (Dutch) / "€ 123.45" (English), with thousands grouping."""
    if cents is None or cents == "":
        return "—"
    value = int(cents) / 100
    return "€\u00a0" + number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
