"""Dates in the interface: Django's ``date`` filter, with Dutch short month names as Dutch writes them.

Django's ``M`` gives "Nov" in every language; Dutch writes short month names in lower case ("22 nov
2026"), which Django's ``b`` gives. ``short_date`` takes the same format strings as ``date`` and uses
``b`` for ``M`` when the page is in Dutch, so English keeps "22 Nov 2026". It is a template builtin
(settings: ``TEMPLATES[...]["OPTIONS"]["builtins"]``); a test keeps ``M`` out of the ``date`` filter.
"""

from __future__ import annotations

import re

from django import template
from django.template.defaultfilters import date as django_date
from django.utils.translation import get_language

register = template.Library()

_MONTH_SHORT = re.compile(r"(?<!\\)M")  # an unescaped M (``\M`` is a literal M)


def short_date_format(fmt: str, language: str | None = None) -> str:
    """``fmt`` for ``language`` (default: the active one): ``M`` becomes ``b`` in Dutch."""
    language = language if language is not None else (get_language() or "")
    return _MONTH_SHORT.sub("b", fmt) if language.split("-")[0] == "nl" else fmt


@register.filter(expects_localtime=True, is_safe=False)
def short_date(value, arg: str = "j M Y"):
    """``{{ when|short_date:"j M Y" }}``: "22 nov 2026" in Dutch, "22 Nov 2026" in English."""
    return django_date(value, short_date_format(arg))
