"""Extrajudicial collection costs (buitengerechtelijke incassokosten) for a consumer debt.

Besluit vergoeding voor buitengerechtelijke incassokosten, in force since 1 July 2012, with
art. 6:96 lid 5-6 BW (Wet normering buitengerechtelijke incassokosten, "WIK").
The scale and the VAT rate are dated parameter tables: a new row applies from its date.

A housing corporation lets homes VAT-exempt, so it cannot deduct the VAT its bailiff or collection
agency charges; it may then add VAT to the costs, and the 14-day letter must state the costs
including VAT. Amounts are integer euro cents; fractions of a cent are rounded half up.
See ``docs/arrears-letters.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

# A bracket is (width in cents or None for "the rest", rate). The scale applies to the principal.
Bracket = tuple[int | None, Fraction]


@dataclass(frozen=True)
class Scale:
    brackets: tuple[Bracket, ...]
    minimum_cents: int
    maximum_cents: int


# Besluit art. 2 lid 1: 15% over the first EUR 2,500 (at least EUR 40), 10% over the next EUR 2,500,
# 5% over the next EUR 5,000, 1% over the next EUR 190,000, 0.5% over the rest, at most EUR 6,775.
COLLECTION_COST_SCALES: list[tuple[dt.date, Scale]] = [
    (
        dt.date(2012, 7, 1),
        Scale(
            brackets=(
                (250_000, Fraction(15, 100)),
                (250_000, Fraction(10, 100)),
                (500_000, Fraction(5, 100)),
                (19_000_000, Fraction(1, 100)),
                (None, Fraction(5, 1000)),
            ),
            minimum_cents=4_000,
            maximum_cents=677_500,
        ),
    ),
]

# General VAT rate (Wet op de omzetbelasting 1968 art. 9): 19% until 30 September 2012, 21% since.
VAT_RATES: list[tuple[dt.date, Fraction]] = [
    (dt.date(2012, 7, 1), Fraction(19, 100)),
    (dt.date(2012, 10, 1), Fraction(21, 100)),
]


@dataclass(frozen=True)
class Costs:
    excl_cents: int  # the collection costs by the scale
    vat_cents: int  # VAT on top (the corporation cannot deduct it)
    incl_cents: int  # what the letter states and what is charged

    @property
    def vat_rate_percent(self) -> int | None:
        """The VAT rate that was applied, as a whole percentage (for display); None without VAT."""
        if not self.excl_cents or not self.vat_cents:
            return None
        return round(self.vat_cents * 100 / self.excl_cents)


def round_half_up(value: Fraction) -> int:
    """Round a non-negative fraction of cents to whole cents, 0.5 up."""
    if value < 0:
        raise ValueError("only non-negative amounts are rounded here")
    return int(value + Fraction(1, 2))


def _valid_on(table: list[tuple[dt.date, object]], on: dt.date, what: str):
    current = None
    for valid_from, value in sorted(table, key=lambda row: row[0]):
        if valid_from <= on:
            current = value
    if current is None:
        raise ValueError(f"no {what} valid on {on.isoformat()}")
    return current


def scale_on(on: dt.date) -> Scale:
    return _valid_on(COLLECTION_COST_SCALES, on, "collection cost scale")


def vat_rate_on(on: dt.date) -> Fraction:
    return _valid_on(VAT_RATES, on, "VAT rate")


def collection_costs(principal_cents: int, on: dt.date) -> Costs:
    """The collection costs for a principal of ``principal_cents`` under the scale valid ``on``.

    ``on`` is the date of the 14-day letter (the costs are announced in it). A principal of zero
    gives no costs; a negative principal is an error."""
    if principal_cents < 0:
        raise ValueError("principal_cents must not be negative")
    if principal_cents == 0:
        return Costs(excl_cents=0, vat_cents=0, incl_cents=0)
    scale = scale_on(on)
    rest, total = principal_cents, Fraction(0)
    for width, rate in scale.brackets:
        part = rest if width is None else min(rest, width)
        total += part * rate
        rest -= part
        if rest <= 0:
            break
    excl = min(max(round_half_up(total), scale.minimum_cents), scale.maximum_cents)
    vat = round_half_up(excl * vat_rate_on(on))
    return Costs(excl_cents=excl, vat_cents=vat, incl_cents=excl + vat)


def format_euro(cents: int) -> str:
    """``"€ 1.234,56"`` (Dutch notation: point for thousands, comma for cents; ``"€ -5,00"``)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"€ {sign}{euros:,}".replace(",", ".") + f",{rest:02d}"
