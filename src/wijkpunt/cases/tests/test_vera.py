"""The case vocabulary copied into ``cases/vera.py`` equals the sector's code lists (VERA
Referentiedata.csv, informatiedomein Dossier): codes, names and the parent of each detail."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from wijkpunt.cases.vera import DETAIL_PARENT, CaseRole, CaseType, CaseTypeDetail

REFERENTIEDATA = Path(__file__).resolve().parents[5] / "shared" / "data" / "vera" / "Referentiedata.csv"


def current(kind: str) -> dict[str, dict[str, str]]:
    with REFERENTIEDATA.open(encoding="utf-8-sig") as handle:
        return {row["Code"]: row for row in csv.DictReader(handle, delimiter=";")
                if row["Soort"] == kind and not row["Einddatum"]}


@pytest.mark.skipif(not REFERENTIEDATA.exists(), reason="shared VERA data not present (outside the repository)")
@pytest.mark.parametrize("kind, enum", [("ZAAKTYPESOORT", CaseType), ("ZAAKTYPEDETAILSOORT", CaseTypeDetail),
                                        ("ZAAKROL", CaseRole)])
def test_code_lists_match_vera(kind, enum):
    assert {code: row["Naam"] for code, row in current(kind).items()} == {c.value: str(c.label) for c in enum}


@pytest.mark.skipif(not REFERENTIEDATA.exists(), reason="shared VERA data not present (outside the repository)")
def test_detail_parents_match_vera():
    assert {code: row["Parent"].split(".")[1] for code, row in current("ZAAKTYPEDETAILSOORT").items()} == DETAIL_PARENT


def test_every_detail_has_a_known_parent():
    assert set(DETAIL_PARENT) == set(CaseTypeDetail.values)
    assert set(DETAIL_PARENT.values()) <= set(CaseType.values)
