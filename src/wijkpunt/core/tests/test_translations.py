"""The English translation: complete, compiled, and actually used by the site.

The source strings (msgids) are Dutch; ``locale/en/LC_MESSAGES/django.po`` holds the English.
After ``makemessages -l en`` every new or changed string must be translated and the catalogue
recompiled (``django-admin compilemessages -l en`` from ``src/wijkpunt``); these tests fail
until both are done.
"""

from __future__ import annotations

import gettext as gettext_module
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LC_MESSAGES = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')
_PLACEHOLDER = re.compile(r"%\([^)]+\)[a-z]|%%|</?[a-zA-Z][^>]*>")


def _unescape(s: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), s)


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def parse_po(path: Path) -> list[Entry]:
    """A deliberately small .po parser: comments, flags, msgctxt, plurals, continuation lines.

    Obsolete entries (``#~``) are skipped, as msgfmt does.
    """
    entries: list[Entry] = []
    current = Entry(line=1)
    target: tuple[str, int | None] | None = None

    def flush():
        nonlocal current, target
        if current.msgid is not None:
            entries.append(current)
        current, target = Entry(line=lineno + 1), None

    lineno = 0
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#~"):
            continue
        elif line.startswith("#,"):
            if current.msgstr:  # a new entry without a blank line in between
                flush()
            current.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
        elif line.startswith("#"):
            if current.msgstr:
                flush()
        elif m := _KEYWORD.match(line):
            keyword, index, value = m.group(1), m.group(2), _unescape(m.group(3))
            if keyword in ("msgctxt", "msgid") and current.msgstr:
                flush()
            if keyword.startswith("msgstr"):
                idx = int(index) if index is not None else 0
                current.msgstr[idx] = value
                target = ("msgstr", idx)
            else:
                setattr(current, keyword, value)
                target = (keyword, None)
        elif m := _CONTINUATION.match(line):
            assert target is not None, f"{path.name}:{lineno}: string without a keyword"
            value = _unescape(m.group(1))
            if target[0] == "msgstr":
                current.msgstr[target[1]] += value
            else:
                setattr(current, target[0], getattr(current, target[0]) + value)
        else:
            raise AssertionError(f"{path.name}:{lineno}: cannot parse {raw!r}")
    flush()
    return entries


def _po_entries() -> list[Entry]:
    return [e for e in parse_po(PO_FILE) if e.msgid != ""]


def _po_catalog() -> dict:
    """The .po as a GNUTranslations-style catalogue: msgid -> msgstr, (msgid, n) for plurals."""
    catalog: dict = {}
    for e in _po_entries():
        if e.msgid_plural is None:
            catalog[e.key] = e.msgstr[0]
        else:
            for n, s in e.msgstr.items():
                catalog[(e.key, n)] = s
    return catalog


def _mo_catalog(path: Path) -> dict:
    with path.open("rb") as fp:
        catalog = dict(gettext_module.GNUTranslations(fp)._catalog)
    catalog.pop("", None)  # the header
    return catalog


# --- (a) complete ---------------------------------------------------------------------------


def test_po_parses_and_has_a_usable_header():
    header = [e for e in parse_po(PO_FILE) if e.msgid == ""]
    assert len(header) == 1
    assert "fuzzy" not in header[0].flags, "a fuzzy header is ignored by msgfmt"
    text = header[0].msgstr[0]
    assert "charset=UTF-8" in text
    assert "Language: en\n" in text
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in text
    assert len(_po_entries()) > 400


def test_every_entry_is_translated():
    empty = [
        f"line {e.line}: {e.msgid!r}"
        for e in _po_entries()
        if not e.msgstr
        or any(not s for s in e.msgstr.values())
        or (e.msgid_plural is not None and sorted(e.msgstr) != [0, 1])
    ]
    assert not empty, "untranslated entries in django.po:\n" + "\n".join(empty)


def test_no_entry_is_fuzzy():
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in _po_entries() if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries in django.po (check, then remove the flag):\n" + "\n".join(fuzzy)


def test_placeholders_and_markup_are_kept():
    """%(name)s variables and HTML tags must survive translation, or rendering breaks."""
    wrong = []
    for e in _po_entries():
        sources = [e.msgid] if e.msgid_plural is None else [e.msgid, e.msgid_plural]
        for n, translated in e.msgstr.items():
            source = sources[min(n, len(sources) - 1)]
            if sorted(_PLACEHOLDER.findall(source)) != sorted(_PLACEHOLDER.findall(translated)):
                wrong.append(f"line {e.line}: {source!r} -> {translated!r}")
    assert not wrong, "placeholders or tags differ:\n" + "\n".join(wrong)


# --- (b) compiled -----------------------------------------------------------------------------


def test_mo_matches_po():
    """django.mo is committed: it must hold exactly what django.po says (no stale compile)."""
    assert MO_FILE.exists(), "run: cd src/wijkpunt && django-admin compilemessages -l en"
    po, mo = _po_catalog(), _mo_catalog(MO_FILE)
    missing = sorted(str(k) for k in po.keys() - mo.keys())
    stale = sorted(str(k) for k in po.keys() & mo.keys() if po[k] != mo[k])
    extra = sorted(str(k) for k in mo.keys() - po.keys())
    assert not (missing or stale or extra), (
        "django.mo is out of date; run: cd src/wijkpunt && django-admin compilemessages -l en\n"
        f"missing: {missing[:10]}\nchanged: {stale[:10]}\nremoved: {extra[:10]}"
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")
def test_mo_matches_a_fresh_msgfmt_compile(tmp_path):
    """Same check with the real compiler (also validates python-format), independent of our parser."""
    fresh = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", str(fresh), str(PO_FILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert _mo_catalog(fresh) == _mo_catalog(MO_FILE), (
        "django.mo differs from a fresh compile of django.po; "
        "run: cd src/wijkpunt && django-admin compilemessages -l en"
    )
    assert _mo_catalog(fresh) == _po_catalog()


# --- (c) used -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dutch", "english"),
    [
        ("Doe een melding", "Make a report"),
        ("Melding versturen", "Send report"),
        ("Werkvoorraad", "Work queue"),
        ("In behandeling", "In progress"),
        ("Uw melding is doorgestuurd naar %(partner)s.", "Your report has been forwarded to %(partner)s."),
        ("Bewonerskracht", "Resident volunteer (Bewonerskracht)"),
    ],
)
def test_key_strings_translate_to_english(dutch, english):
    with translation.override("en"):
        assert translation.gettext(dutch) == english
    with translation.override("nl"):
        assert translation.gettext(dutch) == dutch


def test_plural_forms_translate():
    with translation.override("en"):
        assert (
            translation.ngettext("%(counter)s melding", "%(counter)s meldingen", 1) % {"counter": 1}
            == "1 report"
        )
        assert (
            translation.ngettext("%(counter)s melding", "%(counter)s meldingen", 3) % {"counter": 3}
            == "3 reports"
        )


def _get(client, path, **cookies):
    # LocaleMiddleware activates the request's language on this thread; override() restores
    # the previous state afterwards so other tests keep seeing Dutch.
    for name, value in cookies.items():
        client.cookies[name] = value
    with translation.override(settings.LANGUAGE_CODE):
        return client.get(path)


def test_report_form_renders_in_english_with_language_cookie(client, db):
    response = _get(client, "/melden/", **{settings.LANGUAGE_COOKIE_NAME: "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert re.search(r"<h1[^>]*>\s*Make a report\s*</h1>", html)
    assert "<title>Make a report · Wijkpunt</title>" in html
    assert "Where is it?" in html
    assert "Send report" in html
    assert "Skip to content" in html
    assert "Doe een melding" not in html
    assert "Melding versturen" not in html


def test_report_form_stays_dutch_by_default(client, db):
    response = _get(client, "/melden/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert re.search(r"<h1[^>]*>\s*Doe een melding\s*</h1>", html)
    assert "Make a report" not in html
