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


@register.filter
def isodate(value):
    """"2026-10-08" (as kept in a step's data) → a date, so ``|date`` can format it."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


@register.filter
def signal_status(value) -> str:
    """A municipality answer code ("opgepakt") → its label ("Opgepakt")."""
    from ..models import SignalStatus

    try:
        return str(SignalStatus(value).label)
    except ValueError:
        return str(value)
