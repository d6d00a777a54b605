"""Collection costs by the WIK scale, with VAT (``arrears/costs.py``)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkpunt.arrears.costs import Costs, collection_costs, format_euro

ON = dt.date(2026, 3, 6)


@pytest.mark.parametrize(
    ("principal_cents", "excl_cents"),
    [
        (1, 4_000),  # minimum EUR 40
        (10_000, 4_000),  # 15% of EUR 100 = EUR 15 -> minimum EUR 40
        (26_666, 4_000),  # 15% = 3,999.9 cents -> 4,000 (minimum)
        (26_667, 4_000),  # 15% = 4,000.05 cents -> 4,000
        (30_000, 4_500),  # 15% of EUR 300
        (250_000, 37_500),  # edge of bracket 1: 15% of EUR 2,500 = EUR 375
        (250_001, 37_500),  # + 10% of 1 cent = 0.1 cent -> rounds down
        (500_000, 62_500),  # EUR 375 + 10% of EUR 2,500 = EUR 625
        (1_000_000, 87_500),  # EUR 625 + 5% of EUR 5,000 = EUR 875
        (20_000_000, 277_500),  # EUR 875 + 1% of EUR 190,000 = EUR 2,775
        (100_000_000, 677_500),  # EUR 2,775 + 0.5% of EUR 800,000 = EUR 6,775 (the maximum)
        (500_000_000, 677_500),  # capped at EUR 6,775
    ],
)
def test_scale(principal_cents, excl_cents):
    assert collection_costs(principal_cents, ON).excl_cents == excl_cents


def test_vat_is_added_at_21_percent():
    # EUR 375 + 21% VAT (EUR 78.75) = EUR 453.75.
    assert collection_costs(250_000, ON) == Costs(excl_cents=37_500, vat_cents=7_875, incl_cents=45_375)
    # Minimum: EUR 40 + EUR 8.40 = EUR 48.40.
    assert collection_costs(10_000, ON) == Costs(excl_cents=4_000, vat_cents=840, incl_cents=4_840)


def test_round_half_up():
    # 15% of 30,010 cents = 4,501.5 -> 4,502 (half up); VAT 21% of 4,502 = 945.42 -> 945.
    assert collection_costs(30_010, ON) == Costs(excl_cents=4_502, vat_cents=945, incl_cents=5_447)
    # 15% of 30,333 cents = 4,549.95 -> 4,550; VAT 21% of 4,550 = 955.5 -> 956 (half up).
    assert collection_costs(30_333, ON) == Costs(excl_cents=4_550, vat_cents=956, incl_cents=5_506)


def test_vat_rate_is_dated():
    # The general VAT rate was 19% until 30 Sep 2012: EUR 375 + 19% = EUR 71.25.
    assert collection_costs(250_000, dt.date(2012, 9, 30)).vat_cents == 7_125
    assert collection_costs(250_000, dt.date(2012, 10, 1)).vat_cents == 7_875


def test_before_the_decree_there_is_no_scale():
    with pytest.raises(ValueError):
        collection_costs(10_000, dt.date(2012, 6, 30))


def test_zero_and_negative_principal():
    assert collection_costs(0, ON) == Costs(0, 0, 0)
    with pytest.raises(ValueError):
        collection_costs(-1, ON)


@given(st.integers(min_value=1, max_value=2_000_000_00), st.integers(min_value=0, max_value=10_000_00))
def test_costs_grow_with_the_principal_and_stay_within_bounds(principal, extra):
    lower, higher = collection_costs(principal, ON), collection_costs(principal + extra, ON)
    assert 4_000 <= lower.excl_cents <= higher.excl_cents <= 677_500
    assert lower.incl_cents == lower.excl_cents + lower.vat_cents


def test_format_euro():
    assert format_euro(123_456) == "€ 1.234,56"
    assert format_euro(4_840) == "€ 48,40"
    assert format_euro(5) == "€ 0,05"
    assert format_euro(-500) == "€ -5,00"
