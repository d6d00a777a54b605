"""Short month names: lower case on Dutch pages ("22 nov 2026"), as Django's ``M`` would not."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import engines
from django.utils import translation

from wijkpunt.core.templatetags.dates import short_date_format

TEMPLATE_ROOT = Path(__file__).resolve().parents[2]  # src/wijkpunt


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return engines["django"].from_string(source).render(context)


def test_dutch_pages_write_short_month_names_in_lower_case():
    day = dt.date(2026, 11, 22)
    assert render('{{ d|short_date:"j M Y" }}', "nl", d=day) == "22 nov 2026"
    assert render('{{ d|short_date:"D j M" }}', "nl", d=day) == "zo 22 nov"
    assert render('{{ d|short_date }}', "nl", d=dt.date(2027, 3, 1)) == "1 mrt 2027"


def test_english_pages_keep_capitals():
    assert render('{{ d|short_date:"j M Y" }}', "en", d=dt.date(2026, 11, 22)) == "22 Nov 2026"


def test_times_are_shown_in_local_time_like_the_date_filter():
    late = dt.datetime(2026, 11, 30, 23, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on 1 December in Amsterdam
    assert render('{{ t|short_date:"j M Y H:i" }}', "nl", t=late) == "1 dec 2026 00:30"


def test_an_escaped_m_stays_a_letter_and_nothing_else_changes():
    assert short_date_format(r"j \M M", "nl") == r"j \M b"
    assert short_date_format("j M Y", "nl-nl") == "j b Y"
    assert short_date_format("j M Y", "en") == "j M Y"
    assert render('{{ d|short_date:"j M Y" }}', "nl", d="") == ""  # empty values render empty, no error
    assert render('{{ d|short_date:"j M Y" }}', "nl", d=None) == ""


def test_no_template_uses_django_date_with_a_short_month_name():
    """``|date:"j M Y"`` shows "Nov" on a Dutch page: templates use ``short_date`` for ``M``."""
    pattern = re.compile(r"""\|date:(["'])([^"']*)\1""")
    offenders = []
    for path in TEMPLATE_ROOT.rglob("*"):
        if path.suffix not in {".html", ".txt"} or "static" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            offenders += [f"{path.relative_to(TEMPLATE_ROOT)}:{number}" for _q, fmt in pattern.findall(line)
                          if re.search(r"(?<!\\)M", fmt)]
    assert offenders == []
