"""CSV import: validate everything, apply all or nothing, re-import updates."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from wijkpunt.housing.importers import (
    TENANCY_COLUMNS,
    UNIT_COLUMNS,
    ImportFailed,
    ImportLineError,
    detect_delimiter,
    import_housing_csv,
)
from wijkpunt.housing.models import Household, Tenancy, Unit

from .conftest import EMPTY, housing_counts
from .factories import TenancyFactory, UnitFactory

pytestmark = pytest.mark.django_db


def read_rows(path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text), delimiter=detect_delimiter(text.split("\n", 1)[0])))


def to_csv(rows: list[dict[str, str]], columns, delimiter=";") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture
def sample(fixtures_dir):
    return read_rows(fixtures_dir / "units.csv"), read_rows(fixtures_dir / "tenancies.csv")


def run(corporation, units, tenancies, **kwargs):
    return import_housing_csv(
        corporation=corporation,
        units_file=None if units is None else to_csv(units, UNIT_COLUMNS),
        tenancies_file=None if tenancies is None else to_csv(tenancies, TENANCY_COLUMNS),
        **kwargs,
    )


def errors_of(corporation, units, tenancies) -> list[ImportLineError]:
    with pytest.raises(ImportFailed) as info:
        run(corporation, units, tenancies)
    assert housing_counts() == EMPTY, "nothing may be written when there are errors"
    return info.value.errors


# --------------------------------------------------------------------------- happy path


def test_import_sample_files(corporation, fixtures_dir):
    result = import_housing_csv(
        corporation=corporation,
        units_file=fixtures_dir / "units.csv",
        tenancies_file=fixtures_dir / "tenancies.csv",
    )
    assert (result.units_created, result.tenancies_created, result.households_created) == (20, 20, 20)
    assert (result.municipalities_created, result.neighbourhoods_created, result.complexes_created) == (3, 4, 3)
    assert housing_counts() == {
        "Municipality": 3, "Neighbourhood": 4, "Complex": 3, "Unit": 20, "Household": 20, "Tenancy": 20,
    }
    flat = Unit.objects.get(code="100005")
    assert flat.postcode == "3706AB"  # "3706ab" normalised
    assert flat.house_number_addition == "1"
    assert flat.complex.name == "Flats Merelstraat (Vollenhove)"
    assert flat.neighbourhood.district_code == "WK035502"
    assert flat.neighbourhood.municipality.code == "GM0355"
    assert Unit.objects.get(code="100013").house_letter == "A"  # "a" upper-cased
    room = Unit.objects.get(code="100019")
    assert room.latitude == Decimal("52.066510") and room.complex is None
    assert Unit.objects.get(code="100020").bag_id is None
    tenancy = Tenancy.objects.select_related("household").get(contract_number="HO0000002")
    assert tenancy.monthly_rent == Decimal("612.45")
    assert tenancy.household.contact_phone == "+31623456789"
    assert tenancy.household.composition == "gezin" and tenancy.household.size == 5
    assert tenancy.household.corporation == corporation
    assert Tenancy.objects.get(contract_number="HO0000001").household.contact_phone == "+31612345678"
    assert Tenancy.objects.get(contract_number="HO0000004").household.name == "Jansen, P."
    assert str(Tenancy.objects.get(contract_number="HO0000004").end_date) == "2019-12-31"


def test_corporation_by_slug_and_file_objects(corporation, fixtures_dir):
    with open(fixtures_dir / "units.csv", "rb") as units, open(fixtures_dir / "tenancies.csv", encoding="utf-8") as ten:
        result = import_housing_csv(corporation=corporation.slug, units_file=units, tenancies_file=ten)
    assert result.units_created == 20


def test_reimport_is_idempotent_and_updates_values(corporation, sample):
    units, tenancies = sample
    run(corporation, units, tenancies)
    before = housing_counts()

    again = run(corporation, units, tenancies)
    assert housing_counts() == before
    assert (again.units_created, again.units_updated, again.units_unchanged) == (0, 0, 20)
    assert (again.tenancies_created, again.tenancies_updated, again.tenancies_unchanged) == (0, 0, 20)

    units[0]["straat"] = "Merelstraat-Noord"
    units[0]["bag_verblijfsobject_id"] = "0355010000199999"
    units[1]["soort"] = "sen"
    tenancies[0]["kale_huur"] = "611,11"
    tenancies[0]["telefoon"] = ""
    tenancies[1]["einddatum"] = "2025-12-31"
    tenancies[2]["huishouden_naam"] = "M. Yılmaz-Demir"
    changed = run(corporation, units, tenancies)
    assert housing_counts() == before
    assert (changed.units_created, changed.units_updated) == (0, 2)
    assert (changed.tenancies_created, changed.tenancies_updated) == (0, 3)
    unit = Unit.objects.get(code="100001")
    assert (unit.street, unit.bag_id) == ("Merelstraat-Noord", "0355010000199999")
    assert Unit.objects.get(code="100002").kind == "SEN"
    first = Tenancy.objects.select_related("household").get(contract_number="HO0000001")
    assert first.monthly_rent == Decimal("611.11") and first.household.contact_phone == ""
    assert str(Tenancy.objects.get(contract_number="HO0000002").end_date) == "2025-12-31"
    assert Household.objects.filter(name="M. Yılmaz-Demir").count() == 1


def test_reimport_can_move_a_tenancy_and_add_new_rows(corporation, sample):
    units, tenancies = sample
    run(corporation, units, tenancies)
    tenancies[0]["eenheidnummer"] = "100008"  # 100008 had no tenancy
    units.append({**units[-1], "eenheidnummer": "100021", "huisnummer": "14"})
    tenancies.append({**tenancies[-1], "contractnummer": "HO0000021", "eenheidnummer": "100021"})
    result = run(corporation, units, tenancies)
    assert (result.units_created, result.tenancies_created, result.tenancies_updated) == (1, 1, 1)
    assert Tenancy.objects.get(contract_number="HO0000001").unit.code == "100008"


def test_dry_run_writes_nothing(corporation, sample):
    result = run(corporation, *sample, dry_run=True)
    assert result.dry_run and result.units_created == 20 and result.tenancies_created == 20
    assert housing_counts() == EMPTY


def test_tenancies_only_refer_to_units_in_database(corporation):
    unit = UnitFactory(corporation=corporation, code="E1")
    rows = [{
        "contractnummer": "C-1", "eenheidnummer": "E1", "huishouden_naam": "A. Bakker", "samenstelling": "Alleenstaand",
        "aantal_personen": "1", "telefoon": "", "email": "", "ingangsdatum": "2020-01-01", "einddatum": "",
        "kale_huur": "700",
    }]
    result = run(corporation, None, rows)
    assert result.tenancies_created == 1
    assert unit.tenancies.get().household.composition == "alleenstaand"


def test_comma_delimiter_and_bom_are_accepted(corporation, sample):
    units, tenancies = sample
    result = import_housing_csv(
        corporation=corporation,
        units_file=b"\xef\xbb\xbf" + to_csv(units, UNIT_COLUMNS, delimiter=","),
        tenancies_file=to_csv(tenancies, TENANCY_COLUMNS, delimiter=";"),
    )
    assert result.units_created == 20


def test_optional_columns_may_be_left_out(corporation):
    header = [c for c in UNIT_COLUMNS if c not in ("huisletter", "toevoeging", "bag_verblijfsobject_id",
                                                   "complexnummer", "complexnaam", "latitude", "longitude")]
    row = dict(zip(header, ["E1", "EGW", "Kerkstraat", "1", "3981 AB", "Bunnik", "BU03120101", "Bunnik-Noord",
                            "WK031201", "Bunnik", "GM0312", "Bunnik"], strict=True))
    result = import_housing_csv(corporation=corporation, units_file=to_csv([row], header), tenancies_file=None)
    assert result.units_created == 1


# --------------------------------------------------------------------------- one bad field at a time

UNIT_CASES = [
    # (column, bad value, expected text in the message)
    ("postcode", "0123 AB", "geldige postcode"),
    ("postcode", "1234 A", "geldige postcode"),
    ("postcode", "", "Vul dit veld in"),
    ("huisnummer", "12a", "huisnummer is een heel getal"),
    ("huisnummer", "0", "huisnummer is een heel getal"),
    ("huisnummer", "-3", "huisnummer is een heel getal"),
    ("huisletter", "AB", "één letter"),
    ("huisletter", "1", "één letter"),
    ("toevoeging", "12345", "1 tot 4 letters of cijfers"),
    ("toevoeging", "a-1", "1 tot 4 letters of cijfers"),
    ("bag_verblijfsobject_id", "0355020000123456", "16 cijfers"),
    ("bag_verblijfsobject_id", "035501000012345", "16 cijfers"),
    ("buurtcode", "BU0355021", "CBS-buurtcode"),
    ("buurtcode", "BU03550301", "hoort niet bij wijk"),
    ("wijkcode", "WK0355", "CBS-wijkcode"),
    ("wijkcode", "WK035402", "hoort niet bij gemeente"),  # and so the buurt does not fit either
    ("gemeentecode", "GM355", "CBS-gemeentecode"),
    ("gemeentecode", "0355", "CBS-gemeentecode"),
    ("soort", "FLAT", "Onbekende soort"),
    ("straat", "", "Vul dit veld in"),
    ("plaats", "", "Vul dit veld in"),
    ("eenheidnummer", "", "Vul dit veld in"),
    ("eenheidnummer", "E 1", "alleen letters, cijfers"),
    ("latitude", "5.2143", "niet in Nederland"),
    ("latitude", "noord", "geen getal"),
    ("longitude", "", "allebei"),
]


@pytest.mark.parametrize(("column", "value", "expected"), UNIT_CASES)
def test_bad_unit_field_is_reported_with_line_and_nothing_is_written(corporation, sample, column, value, expected):
    units, tenancies = sample
    units[7][column] = value  # unit 100008 (no tenancy) on line 9: data row 8 + the header line
    errors = errors_of(corporation, units, tenancies)
    if column == "wijkcode" and value == "WK035402":
        assert [(e.line, e.column) for e in errors] == [(9, "buurtcode"), (9, "wijkcode")]
        errors = errors[1:]
    assert [(e.file, e.line, e.column) for e in errors] == [("eenheden", 9, column)], errors
    assert expected in errors[0].message
    assert str(errors[0]).startswith(f"eenheden: regel 9, {column}: ")


TENANCY_CASES = [
    ("ingangsdatum", "01-03-2020", "geen geldige datum"),
    ("ingangsdatum", "2020-02-30", "geen geldige datum"),
    ("ingangsdatum", "", "Vul dit veld in"),
    ("einddatum", "2001-01-01", "vóór de ingangsdatum"),
    ("einddatum", "morgen", "geen geldige datum"),
    ("kale_huur", "€ 650", "geen bedrag"),
    ("kale_huur", "1.234,56", "geen bedrag"),
    ("kale_huur", "0", "groter dan 0"),
    ("kale_huur", "", "Vul dit veld in"),
    ("telefoon", "12345", "geen geldig telefoonnummer"),
    ("telefoon", "06-123", "geen geldig telefoonnummer"),
    ("email", "jan@", "geen geldig e-mailadres"),
    ("email", "jan.example.nl", "geen geldig e-mailadres"),
    ("samenstelling", "vrijgezel", "Onbekende samenstelling"),
    ("aantal_personen", "0", "heel getal van 1 tot en met 20"),
    ("aantal_personen", "twee", "heel getal van 1 tot en met 20"),
    ("aantal_personen", "3", "past niet bij samenstelling"),
    ("eenheidnummer", "999999", "staat niet in het eenhedenbestand"),
    ("contractnummer", "", "Vul dit veld in"),
    ("huishouden_naam", "", "Vul dit veld in"),
]


@pytest.mark.parametrize(("column", "value", "expected"), TENANCY_CASES)
def test_bad_tenancy_field_is_reported_with_line_and_nothing_is_written(corporation, sample, column, value, expected):
    units, tenancies = sample
    tenancies[2][column] = value  # HO0000003, alleenstaand, line 4
    errors = errors_of(corporation, units, tenancies)
    assert [(e.file, e.line, e.column) for e in errors] == [("huurovereenkomsten", 4, column)], errors
    assert expected in errors[0].message


# --------------------------------------------------------------------------- checks across lines


def test_duplicates_in_the_file(corporation, sample):
    units, tenancies = sample
    units[3]["eenheidnummer"] = units[1]["eenheidnummer"]
    units[5].update(huisnummer="2", toevoeging="1", postcode="3706AB")  # same address as line 2
    units[8]["bag_verblijfsobject_id"] = units[9]["bag_verblijfsobject_id"]
    tenancies[4]["contractnummer"] = tenancies[3]["contractnummer"]
    errors = errors_of(corporation, units, tenancies)
    found = {(e.file, e.line, e.column) for e in errors}
    assert ("eenheden", 5, "eenheidnummer") in found
    assert ("eenheden", 7, "postcode") in found
    assert ("eenheden", 11, "bag_verblijfsobject_id") in found
    assert ("huurovereenkomsten", 6, "contractnummer") in found
    messages = " ".join(e.message for e in errors)
    assert "staat ook op regel 3" in messages and "staat ook op regel 2" in messages


def test_overlapping_tenancies_in_the_file(corporation, sample):
    units, tenancies = sample
    tenancies[4]["ingangsdatum"] = "2019-12-31"  # previous tenancy of 100004 ends that day
    errors = errors_of(corporation, units, tenancies)
    assert [(e.line, e.column) for e in errors] == [(6, "ingangsdatum")]
    assert "overlapt met contract HO0000004 (regel 5)" in errors[0].message


def test_overlap_with_a_tenancy_in_the_database(corporation, sample):
    units, tenancies = sample
    run(corporation, units, tenancies)
    unit = Unit.objects.get(code="100008")
    TenancyFactory(unit=unit, contract_number="OLD-1", start_date="2010-01-01", end_date=None)
    new = {**tenancies[0], "contractnummer": "NEW-1", "eenheidnummer": "100008", "ingangsdatum": "2024-01-01"}
    with pytest.raises(ImportFailed) as info:
        run(corporation, None, [new])
    assert [(e.line, e.column) for e in info.value.errors] == [(2, "ingangsdatum")]
    assert "OLD-1 (in de database)" in info.value.errors[0].message
    assert not Tenancy.objects.filter(contract_number="NEW-1").exists()


def test_clashes_with_other_units_in_the_database(corporation, sample):
    units, tenancies = sample
    other = UnitFactory(code="X1", postcode="3706AB", house_number=2, house_number_addition="1",
                        bag_id="0355010000100002")
    TenancyFactory(unit=other, contract_number="HO0000003")
    before = housing_counts()
    with pytest.raises(ImportFailed) as info:
        run(corporation, units, tenancies)
    found = [(e.file, e.line, e.column) for e in info.value.errors]
    assert found == [
        ("eenheden", 2, "postcode"),
        ("eenheden", 3, "bag_verblijfsobject_id"),
        ("huurovereenkomsten", 4, "contractnummer"),
    ]
    assert "andere corporatie" in info.value.errors[0].message
    assert housing_counts() == before


def test_address_of_another_unit_of_the_same_corporation(corporation, sample):
    units, tenancies = sample
    run(corporation, units, tenancies)
    units[0]["postcode"], units[0]["toevoeging"] = "3706 AB", "2"  # the address of 100002
    with pytest.raises(ImportFailed) as info:
        run(corporation, units[:1], None)
    assert "al van eenheid 100002" in info.value.errors[0].message


def test_all_errors_of_the_broken_fixture_at_once(corporation, fixtures_dir):
    with pytest.raises(ImportFailed) as info:
        import_housing_csv(
            corporation=corporation,
            units_file=fixtures_dir / "units_broken.csv",
            tenancies_file=fixtures_dir / "tenancies_broken.csv",
        )
    found = [(e.file[0], e.line, e.column) for e in info.value.errors]
    assert found == [
        ("e", 2, "postcode"), ("e", 3, "huisnummer"), ("e", 4, "huisletter"), ("e", 5, "toevoeging"),
        ("e", 6, "bag_verblijfsobject_id"), ("e", 7, "buurtcode"), ("e", 8, "wijkcode"), ("e", 9, "gemeentecode"),
        ("e", 10, "soort"), ("e", 11, "eenheidnummer"), ("e", 13, "postcode"), ("e", 14, "bag_verblijfsobject_id"),
        ("e", 15, "latitude"), ("e", 15, "longitude"), ("e", 16, "straat"),
        ("h", 2, "eenheidnummer"), ("h", 3, "ingangsdatum"), ("h", 4, "einddatum"), ("h", 5, "kale_huur"),
        ("h", 6, "telefoon"), ("h", 7, "email"), ("h", 8, "aantal_personen"), ("h", 10, "ingangsdatum"),
        ("h", 11, "contractnummer"),
    ]
    assert housing_counts() == EMPTY


# --------------------------------------------------------------------------- file-level problems


def test_missing_and_unknown_columns(corporation, sample):
    units, _ = sample
    columns = [c for c in UNIT_COLUMNS if c != "postcode"] + ["opmerking"]
    data = to_csv([{c: u.get(c, "") for c in columns} for u in units], columns)
    with pytest.raises(ImportFailed) as info:
        import_housing_csv(corporation=corporation, units_file=data, tenancies_file=None)
    assert {(e.line, e.column) for e in info.value.errors} == {(1, "postcode"), (1, "opmerking")}
    assert housing_counts() == EMPTY


def test_wrong_number_of_fields_on_a_line(corporation, sample):
    units, tenancies = sample
    data = to_csv(units, UNIT_COLUMNS).decode().splitlines()
    data[3] += ";extra"
    with pytest.raises(ImportFailed) as info:
        import_housing_csv(corporation=corporation, units_file="\n".join(data).encode(),
                           tenancies_file=to_csv(tenancies, TENANCY_COLUMNS))
    assert [(e.line, e.column) for e in info.value.errors] == [(4, "")]
    assert "20 kolommen, de kopregel 19" in info.value.errors[0].message


def test_not_utf8(corporation, sample):
    units, _ = sample
    data = to_csv(units, UNIT_COLUMNS).decode().replace("Merelstraat", "Mérelstraat").encode("latin-1")
    with pytest.raises(ImportFailed) as info:
        import_housing_csv(corporation=corporation, units_file=data, tenancies_file=None)
    assert "UTF-8" in info.value.errors[0].message and info.value.errors[0].line == 2


def test_empty_file_and_no_files(corporation):
    with pytest.raises(ImportFailed) as info:
        import_housing_csv(corporation=corporation, units_file=b"", tenancies_file=None)
    assert "leeg" in info.value.errors[0].message
    with pytest.raises(ImportFailed):
        import_housing_csv(corporation=corporation, units_file=None, tenancies_file=None)


def test_unknown_corporation(db, sample):
    with pytest.raises(ImportFailed) as info:
        run("bestaat-niet", *sample)
    assert "geen corporatie" in info.value.errors[0].message


def test_blank_lines_keep_line_numbers(corporation, sample):
    units, tenancies = sample
    tenancies[3]["kale_huur"] = "veel"
    text = to_csv(tenancies, TENANCY_COLUMNS).decode().replace("\n", "\n\n", 1)  # blank line 2
    with pytest.raises(ImportFailed) as info:
        import_housing_csv(corporation=corporation, units_file=to_csv(units, UNIT_COLUMNS),
                           tenancies_file=text.encode())
    assert [(e.line, e.column) for e in info.value.errors] == [(6, "kale_huur")]


def test_line_error_reads_as_a_dutch_sentence():
    assert str(ImportLineError(14, "postcode", "Vul een geldige postcode in")) == (
        "regel 14, postcode: Vul een geldige postcode in"
    )


def test_the_example_in_the_documentation_imports(corporation, fixtures_dir):
    doc = (fixtures_dir.parents[2] / "docs" / "import.md").read_text(encoding="utf-8")
    blocks = doc.split("```csv\n")[1:3]
    units, tenancies = (block.split("```", 1)[0].encode() for block in blocks)
    result = import_housing_csv(corporation=corporation, units_file=units, tenancies_file=tenancies)
    assert (result.units_created, result.tenancies_created) == (3, 3)
