"""Hypothesis strategies for request bodies and queries that reach past the first validation error:
known addresses, points near a unit, a solved proof-of-work, and values that look like what the
code parses (digits, cursors, dates)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from apifuzz import cursor
from hypothesis import strategies as st

from wijkpunt.reports.tests.conftest import solved_altcha

DESCRIPTIONS = [
    "De verwarming doet het niet meer en het is ijskoud in huis.",
    "Lekkage in de badkamer, het plafond is nat.",
    "Gaslucht in de meterkast!",
    "Jongeren hangen elke avond bij de ingang",
    "kapot",
]


def _decimal_text(low: str, high: str) -> st.SearchStrategy[str]:
    return st.decimals(min_value=Decimal(low), max_value=Decimal(high), places=6).map(str)


def address_locations() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            "kind": st.just("adres"),
            "postcode": st.sampled_from(["3701AB", "3701 ab", " 3701AB ", "3702CD", "1234ZZ", "", "0123AB"])
            | st.text(max_size=7),
            "house_number": st.sampled_from([12, 14, 3, 99999]) | st.integers(min_value=1, max_value=99999),
        },
        optional={
            "house_letter": st.sampled_from(["", "A", "b", "B", "C", "ß", "1"]) | st.text(max_size=1),
            "addition": st.sampled_from(["", "1", "bis", "A-1"]) | st.text(max_size=4),
            "text": st.text(max_size=300),
        },
    )


def map_locations() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"kind": st.just("kaart")},
        optional={
            # mostly near the registered unit (52.089, 5.233), sometimes anywhere or outside NL
            "latitude": _decimal_text("52.087", "52.091") | _decimal_text("-90", "90"),
            "longitude": _decimal_text("5.230", "5.236") | _decimal_text("-180", "180"),
            "text": st.text(max_size=300),
        },
    )


def complex_locations(complex_ids: list[int]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {"kind": st.just("complex")},
        optional={"complex": st.sampled_from([*complex_ids, 0, -1, 2**31, 2**63]) | st.integers()},
    )


def reporters() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {},
        optional={
            "name": st.text(max_size=200),
            "phone": st.sampled_from(["06 12345678", "+31612345678", "0612345678", "123", "", "+1 202 555 0100"])
            | st.text(max_size=20),
            "email": st.sampled_from(["bewoner@example.nl", "", "nope"]) | st.emails(),
            "contact_consent": st.booleans(),
        },
    )


def occurred_ats() -> st.SearchStrategy:
    # Naive times before 0001-01-01T00:19:32 are left out: they give a 500 (OverflowError in DRF's
    # DateTimeField), pinned by the *-occurred-at-year-one findings.
    weird = ["morgen", "2024-02-30T10:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59", "0001-01-01T00:00Z",
             "2026-03-29T02:30:00", "2026-10-25T02:30:00"]
    return st.none() | st.sampled_from(weird) | st.datetimes(min_value=dt.datetime(1, 1, 2)).map(dt.datetime.isoformat)


def plausible_locations(complex_ids: list[int]) -> st.SearchStrategy[dict]:
    """Locations that exist: the world's units (12, 14A, 14B at 3701AB), a point near unit 12, a complex."""
    return st.one_of(
        st.fixed_dictionaries({"kind": st.just("adres"), "postcode": st.sampled_from(["3701AB", "3701 ab"]),
                               "house_number": st.just(12)}),
        st.fixed_dictionaries({"kind": st.just("adres"), "postcode": st.just("3701AB"), "house_number": st.just(14),
                               "house_letter": st.sampled_from(["A", "b", ""])}),
        st.fixed_dictionaries({"kind": st.just("kaart"), "latitude": _decimal_text("52.087", "52.091"),
                               "longitude": _decimal_text("5.230", "5.236")}),
        st.fixed_dictionaries({"kind": st.just("complex"), "complex": st.sampled_from(complex_ids)}),
    )


def plausible_bodies(complex_ids: list[int], *, altcha: bool) -> st.SearchStrategy[dict]:
    """Bodies that should mostly be accepted."""
    reporter = st.fixed_dictionaries({}, optional={
        "name": st.sampled_from(["", "J. de Vries"]), "phone": st.sampled_from(["", "06 12345678"]),
        "email": st.sampled_from(["", "bewoner@example.nl"]), "contact_consent": st.booleans()})
    required = {"description": st.sampled_from(DESCRIPTIONS), "location": plausible_locations(complex_ids)}
    if altcha:
        required["altcha"] = st.builds(solved_altcha)
    return st.fixed_dictionaries(
        required,
        optional={"reporter": reporter,
                  "occurred_at": st.none() | st.datetimes(min_value=dt.datetime(2020, 1, 1),
                                                          max_value=dt.datetime(2025, 12, 31),
                                                          timezones=st.just(dt.UTC)).map(dt.datetime.isoformat)},
    )


def wild_bodies(complex_ids: list[int], *, altcha: bool) -> st.SearchStrategy[dict]:
    """Anything from plausible to malformed, field by field."""
    optional = {"reporter": reporters(), "occurred_at": occurred_ats()}
    if altcha:
        # mostly a real, solved proof-of-work challenge; sometimes an empty or forged one
        optional["altcha"] = st.one_of(st.builds(solved_altcha), st.builds(solved_altcha), st.just(""),
                                       st.text(max_size=40))
    return st.fixed_dictionaries(
        {
            "description": st.sampled_from(DESCRIPTIONS) | st.text(max_size=60),
            "location": address_locations() | map_locations() | complex_locations(complex_ids),
        },
        optional=optional,
    )


def public_report_bodies(complex_ids: list[int]) -> st.SearchStrategy[dict]:
    return plausible_bodies(complex_ids, altcha=True) | wild_bodies(complex_ids, altcha=True)


def staff_report_bodies(complex_ids: list[int]) -> st.SearchStrategy[dict]:
    """The staff intake adds channel, category (a sub-category slug) and urgency."""
    extra = st.fixed_dictionaries({}, optional={
        "channel": st.sampled_from(["TEL", "BAL", "EMA", "INT", "BEZ", "APP", "tel", ""]),
        "category": st.none() | st.sampled_from(["lekkage", "gaslucht", "jongeren", "reparatie", "bestaat-niet", "",
                                                 "gas\x00lucht"]),
        "urgency": st.none() | st.sampled_from(["spoed", "hoog", "normaal", "laag", "heel-hoog"]),
    })
    bodies = plausible_bodies(complex_ids, altcha=False) | wild_bodies(complex_ids, altcha=False)
    return st.tuples(bodies, extra).map(lambda pair: {**pair[0], **pair[1]})


# -- The work queue (GET /api/v1/reports/)

ID_FILTERS = ["buurt", "complex", "behandelaar"]
TEXT_FILTERS = ["status", "categorie", "urgentie", "te_laat", "q"]
ID_LIKE = ["1", "01", "-1", " 1", "1.0", "\u00b2", "\u0661\u0662", "\U0001d7d9", "9" * 19, "9" * 30, "ik", "niemand", ""]
TEXT_LIKE = ["", "1", "alle", "open", "nieuw", "opgelost", "spoed", "reparatie", "lekkage", "M26-0000001", "%", "_",
             "a\x00b"]
CURSOR_DATES = st.sampled_from([
    "2024-01-01T00:00:00+01:00", "2024-02-30T00:00:00+01:00", "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00", "2024-13-01T00:00:00Z", "2024-01-01", "",
]) | st.datetimes(timezones=st.just(dt.UTC)).map(dt.datetime.isoformat)
CURSOR_IDS = st.sampled_from([0, 1, -1, 2**63, 10**30]) | st.integers()
CURSOR_VALUES = st.one_of(CURSOR_IDS, CURSOR_DATES, st.booleans(), st.none(), st.text(max_size=8))


def cursors() -> st.SearchStrategy[str]:
    """Keyset cursors shaped like the real ones ([created_at, id] or [urgency_rank, created_at, id])
    with odd values, other lists, and plain text."""
    shaped = st.one_of(
        st.tuples(CURSOR_DATES, CURSOR_IDS).map(list),
        st.tuples(st.integers(min_value=0, max_value=5), CURSOR_DATES, CURSOR_IDS).map(list),
        st.lists(CURSOR_VALUES, max_size=4),
    )
    return st.builds(cursor, shaped) | st.text(max_size=20)


def queue_queries() -> st.SearchStrategy[dict]:
    """Filters with values that look like what _filters_from parses, a sort and a cursor."""
    return st.fixed_dictionaries({}, optional={
        **{name: st.sampled_from(ID_LIKE) | st.text(max_size=12) for name in ID_FILTERS},
        **{name: st.sampled_from(TEXT_LIKE) | st.text(max_size=12) for name in TEXT_FILTERS},
        "sorteer": st.sampled_from(["nieuwste", "oudste", "termijn", "urgentie", "", "x"]),
        "na": cursors(),
    })


def non_object_json() -> st.SearchStrategy:
    """Valid JSON that is not an object: what a confused client might send as a body."""
    return st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10),
                     st.lists(st.text(max_size=5) | st.integers(), max_size=3))
