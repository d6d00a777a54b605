"""Rent ledger import: validate everything, apply all or nothing, idempotent per boekingsnummer."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import base, call_command, load_command_class
from django.core.management.base import CommandError
from django.db.models import Sum
from django.utils import timezone

from wijkpunt.arrears import ledger_import
from wijkpunt.arrears.ledger_import import (
    DETAIL_CODES,
    LEDGER_COLUMNS,
    ImportFailed,
    LedgerImportResult,
    import_ledger_csv,
)
from wijkpunt.arrears.models import LedgerLine
from wijkpunt.core.tests.factories import CorporationFactory
from wijkpunt.housing.tests.factories import TenancyFactory, UnitFactory

pytestmark = pytest.mark.django_db

REFERENTIEDATA = Path(__file__).resolve().parents[5] / "shared" / "data" / "vera" / "Referentiedata.csv"


def to_csv(rows: list[dict[str, str]], *, delimiter: str = ";", columns=LEDGER_COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def line(tid: str, contract: str = "HO0000001", kind: str = "VOR", amount: str = "612,50", **extra) -> dict[str, str]:
    row = {
        "boekingsnummer": tid, "contractnummer": contract, "boekingsoort": kind, "boekingdetailsoort": "",
        "boekdatum": "2026-01-25", "vervaldatum": "2026-02-01" if kind == "VOR" else "", "bedrag": amount,
        "omschrijving": "",
    }
    row.update(extra)
    return row


def sample_rows() -> list[dict[str, str]]:
    return [
        line("B1", boekingdetailsoort="PRO", omschrijving="Huur februari 2026"),
        line("B2", kind="ONT", amount="612.50", boekingdetailsoort="BAN", boekdatum="2026-02-02"),
        line("B3", kind="MEM", amount="-12,5", boekingdetailsoort="CRE", boekdatum="2026-02-10"),
        line("B4", contract="HO0000002", amount="540", vervaldatum="2026-02-01"),
        line("B5", contract="HO0000002", kind="MEM", amount="25,00", boekingdetailsoort="sto", boekdatum="2026-02-04"),
    ]


@pytest.fixture
def corporation(db):
    return CorporationFactory(slug="lindehof-test")


@pytest.fixture
def tenancies(corporation):
    return [
        TenancyFactory(contract_number="HO0000001", unit=UnitFactory(corporation=corporation)),
        TenancyFactory(contract_number="HO0000002", unit=UnitFactory(corporation=corporation)),
    ]


def errors_of(corporation, rows, **kwargs) -> list[str]:
    with pytest.raises(ImportFailed) as info:
        import_ledger_csv(corporation, to_csv(rows, **kwargs))
    assert LedgerLine.objects.count() == 0, "nothing may be written when there are errors"
    return [str(error) for error in info.value.errors]


def balance() -> int:
    return LedgerLine.objects.aggregate(total=Sum("amount_cents"))["total"] or 0


# --------------------------------------------------------------------------- applying


def test_import_stores_signed_amounts_and_effective_dates(corporation, tenancies):
    result = import_ledger_csv(corporation, to_csv(sample_rows()))
    assert isinstance(result, LedgerImportResult)
    assert (result.created, result.already_present, result.lines, result.tenancies) == (5, 0, 5, 2)
    assert "5 nieuw" in result.summary()
    lines = {ln.transaction_id: ln for ln in LedgerLine.objects.all()}
    assert lines["B1"].amount_cents == 61250 and lines["B1"].effective_on == date(2026, 2, 1)
    assert lines["B1"].booked_on == date(2026, 1, 25) and lines["B1"].detail == "PRO"
    assert lines["B1"].description == "Huur februari 2026" and lines["B1"].kind == "VOR"
    assert lines["B2"].amount_cents == -61250 and lines["B2"].effective_on == date(2026, 2, 2)
    assert lines["B3"].amount_cents == -1250 and lines["B3"].effective_on == date(2026, 2, 10)
    assert lines["B4"].amount_cents == 54000 and lines["B4"].tenancy == tenancies[1]
    assert lines["B5"].amount_cents == 2500 and lines["B5"].detail == "STO"
    assert {ln.corporation_id for ln in lines.values()} == {corporation.pk}
    assert len({ln.imported_at for ln in lines.values()}) == 1


def test_reimport_is_idempotent(corporation, tenancies):
    import_ledger_csv(corporation, to_csv(sample_rows()))
    before = (LedgerLine.objects.count(), balance())
    result = import_ledger_csv(corporation, to_csv(sample_rows()))
    assert (result.created, result.already_present) == (0, 5)
    assert (LedgerLine.objects.count(), balance()) == before


def test_growing_export_adds_only_the_new_lines(corporation, tenancies):
    import_ledger_csv(corporation, to_csv(sample_rows()[:3]))
    result = import_ledger_csv(corporation, to_csv(sample_rows()))
    assert (result.created, result.already_present) == (2, 3)
    assert LedgerLine.objects.count() == 5


def test_description_and_detail_changes_are_not_content(corporation, tenancies):
    import_ledger_csv(corporation, to_csv(sample_rows()))
    rows = sample_rows()
    rows[0]["omschrijving"] = "Andere tekst"
    rows[0]["boekingdetailsoort"] = ""
    assert import_ledger_csv(corporation, to_csv(rows)).already_present == 5
    assert LedgerLine.objects.get(transaction_id="B1").description == "Huur februari 2026"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"bedrag": "600,00"}, "bedrag 612,50 → 600,00"),
        ({"contractnummer": "HO0000002"}, "contract HO0000001 → HO0000002"),
        ({"boekingsoort": "MEM"}, "boekingsoort VOR → MEM"),
        ({"boekdatum": "2026-01-24"}, "boekdatum 2026-01-25 → 2026-01-24"),
        ({"vervaldatum": "2026-02-03"}, "vervaldatum 2026-02-01 → 2026-02-03"),
    ],
)
def test_known_transaction_with_other_content_is_an_error(corporation, tenancies, change, fragment):
    import_ledger_csv(corporation, to_csv(sample_rows()))
    rows = sample_rows()
    rows[0].update(change)
    with pytest.raises(ImportFailed) as info:
        import_ledger_csv(corporation, to_csv(rows))
    (error,) = info.value.errors
    assert (error.line, error.column) == (2, "boekingsnummer")
    assert fragment in error.message and "een correctie is een nieuwe boeking" in error.message
    assert LedgerLine.objects.count() == 5


def test_one_bad_line_saves_nothing(corporation, tenancies):
    rows = sample_rows()
    rows[3]["bedrag"] = "veel"
    errors = errors_of(corporation, rows)
    assert errors == [
        "huurboekingen: regel 5, bedrag: 'veel' is geen bedrag; gebruik bijvoorbeeld 612,50 of 612.50 "
        "(zonder €-teken of punt voor duizendtallen)."
    ]


@pytest.mark.parametrize("delimiter", [";", ","])
def test_semicolon_and_comma_files(corporation, tenancies, delimiter):
    data = to_csv(sample_rows(), delimiter=delimiter)
    if delimiter == ",":
        assert b'"612,50"' in data  # the comma inside the amount is quoted
    assert import_ledger_csv(corporation, data).created == 5
    assert balance() == 61250 - 61250 - 1250 + 54000 + 2500


def test_optional_columns_may_be_left_out_and_bom_is_fine(corporation, tenancies):
    columns = ("boekingsnummer", "contractnummer", "boekingsoort", "boekdatum", "vervaldatum", "bedrag")
    rows = [{k: v for k, v in line("X1").items() if k in columns}]
    data = "\ufeff".encode() + to_csv(rows, columns=columns)
    assert import_ledger_csv(corporation, data).created == 1


def test_dry_run_saves_nothing(corporation, tenancies):
    result = import_ledger_csv(corporation, to_csv(sample_rows()), dry_run=True)
    assert result.dry_run and result.created == 5 and "Proefimport" in result.summary()
    assert LedgerLine.objects.count() == 0


def test_corporation_by_slug(corporation, tenancies, tmp_path):
    path = tmp_path / "boekingen.csv"
    path.write_bytes(to_csv(sample_rows()))
    assert import_ledger_csv("lindehof-test", path).created == 5
    with pytest.raises(ImportFailed) as info:
        import_ledger_csv("bestaat-niet", path)
    assert "Er is geen corporatie met code 'bestaat-niet'" in str(info.value.errors[0])


# --------------------------------------------------------------------------- validation


FUTURE = (timezone.localdate() + timedelta(days=400)).isoformat()


@pytest.mark.parametrize(
    ("change", "column", "fragment"),
    [
        ({"boekingsnummer": ""}, "boekingsnummer", "Vul dit veld in."),
        ({"boekingsnummer": "B" * 41}, "boekingsnummer", "hoogstens 40 tekens"),
        ({"boekingsnummer": "B 1"}, "boekingsnummer", "alleen letters, cijfers"),
        ({"contractnummer": ""}, "contractnummer", "Vul dit veld in."),
        ({"contractnummer": "HO9999999"}, "contractnummer", "bestaat niet in Wijkpunt"),
        ({"boekingsoort": ""}, "boekingsoort", "Vul dit veld in."),
        ({"boekingsoort": "UIT"}, "boekingsoort", "Onbekende boekingsoort 'UIT'"),
        ({"boekingdetailsoort": "XYZ"}, "boekingdetailsoort", "Onbekende boekingdetailsoort 'XYZ'"),
        ({"boekdatum": ""}, "boekdatum", "Vul dit veld in."),
        ({"boekdatum": "25-01-2026"}, "boekdatum", "geen geldige datum; gebruik JJJJ-MM-DD"),
        ({"boekdatum": "2026-02-30"}, "boekdatum", "geen geldige datum"),
        ({"boekdatum": "1999-12-31"}, "boekdatum", "ligt vóór 2000"),
        ({"boekdatum": FUTURE}, "boekdatum", "meer dan een jaar in de toekomst"),
        ({"vervaldatum": ""}, "vervaldatum", "Een vordering (VOR) heeft een vervaldatum"),
        ({"vervaldatum": "2026/02/01"}, "vervaldatum", "geen geldige datum"),
        ({"vervaldatum": FUTURE}, "vervaldatum", "meer dan een jaar in de toekomst"),
        ({"bedrag": ""}, "bedrag", "Vul dit veld in."),
        ({"bedrag": "1.234,50"}, "bedrag", "geen bedrag"),
        ({"bedrag": "€ 12"}, "bedrag", "geen bedrag"),
        ({"bedrag": "12,345"}, "bedrag", "geen bedrag"),
        ({"bedrag": "1234567"}, "bedrag", "geen bedrag"),
        ({"bedrag": "0,00"}, "bedrag", "mag niet 0 zijn"),
        ({"bedrag": "-0"}, "bedrag", "mag niet 0 zijn"),
        ({"bedrag": "-612,50"}, "bedrag", "Een vordering (VOR) heeft een positief bedrag"),
        ({"boekingsoort": "ONT", "bedrag": "-10"}, "bedrag", "Een ontvangst (ONT) heeft een positief bedrag"),
        ({"omschrijving": "x" * 201}, "omschrijving", "hoogstens 200 tekens"),
    ],
)
def test_every_field_rule(corporation, tenancies, change, column, fragment):
    rows = sample_rows()
    rows[1] = line("B2", **change)
    with pytest.raises(ImportFailed) as info:
        import_ledger_csv(corporation, to_csv(rows))
    assert [(e.line, e.column) for e in info.value.errors] == [(3, column)], info.value.errors
    assert fragment in info.value.errors[0].message
    assert LedgerLine.objects.count() == 0


def test_vervaldatum_is_optional_for_payments_and_corrections(corporation, tenancies):
    rows = [line("P1", kind="ONT"), line("M1", kind="MEM", amount="-5"), line("M2", kind="MEM", vervaldatum="2026-03-01")]
    import_ledger_csv(corporation, to_csv(rows))
    assert LedgerLine.objects.get(transaction_id="M2").effective_on == date(2026, 1, 25)


def test_duplicate_transaction_in_file(corporation, tenancies):
    rows = [*sample_rows(), line("B1", kind="ONT", amount="1")]
    assert errors_of(corporation, rows) == ["huurboekingen: regel 7, boekingsnummer: Boekingsnummer B1 staat ook op regel 2."]


def test_contract_of_another_corporation(corporation, tenancies):
    TenancyFactory(contract_number="HO7777777", unit=UnitFactory(corporation=CorporationFactory()))
    errors = errors_of(corporation, [*sample_rows(), line("B9", contract="HO7777777")])
    assert errors == ["huurboekingen: regel 7, contractnummer: Contractnummer HO7777777 hoort bij een andere corporatie."]


def test_all_errors_are_collected_with_line_numbers(corporation, tenancies):
    rows = sample_rows()
    rows[0]["bedrag"] = "0"
    rows[2]["boekingsoort"] = "XX"
    rows[4]["contractnummer"] = "ONBEKEND1"
    errors = errors_of(corporation, rows)
    assert [e.split(":")[1].strip() for e in errors] == [
        "regel 2, bedrag", "regel 4, boekingsoort", "regel 6, contractnummer",
    ]


def test_same_transaction_id_at_two_corporations_is_fine(corporation, tenancies):
    other = CorporationFactory()
    TenancyFactory(contract_number="HO8000001", unit=UnitFactory(corporation=other))
    import_ledger_csv(corporation, to_csv(sample_rows()))
    assert import_ledger_csv(other, to_csv([line("B1", contract="HO8000001")])).created == 1


# --------------------------------------------------------------------------- the file as a whole


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "regel 1: Het bestand is leeg"),
        (b"   \n", "regel 1: Het bestand is leeg"),
        ("boekingsnummer;contractnummer\nB1;é".encode("latin-1"), "regel 2: Het bestand is geen UTF-8-tekst"),
        (
            b"boekingsnummer;contractnummer;boekingsoort;vervaldatum;bedrag\n",
            "regel 1, boekdatum: Deze verplichte kolom ontbreekt",
        ),
        (
            b"boekingsnummer;contractnummer;boekingsoort;boekdatum;vervaldatum;bedrag;saldo\n",
            "regel 1, saldo: Onbekende kolom. Toegestaan zijn: boekingsnummer, contractnummer",
        ),
    ],
)
def test_header_problems(corporation, tenancies, data, expected):
    with pytest.raises(ImportFailed) as info:
        import_ledger_csv(corporation, data)
    assert expected in str(info.value.errors[0])


def test_missing_required_column_is_reported(corporation, tenancies):
    columns = tuple(c for c in LEDGER_COLUMNS if c != "bedrag")
    rows = [{k: v for k, v in line("B1").items() if k in columns}]
    errors = errors_of(corporation, rows, columns=columns)
    assert errors == ["huurboekingen: regel 1, bedrag: Deze verplichte kolom ontbreekt in de kopregel."]


def test_wrong_number_of_fields(corporation, tenancies):
    data = to_csv(sample_rows()) + b"B9;HO0000001;VOR\n"
    with pytest.raises(ImportFailed) as info:
        import_ledger_csv(corporation, data)
    assert [str(e) for e in info.value.errors] == ["huurboekingen: regel 7: Deze regel heeft 3 kolommen, de kopregel 8."]


def test_header_only_is_refused(corporation, tenancies):
    with pytest.raises(ImportFailed) as failed:
        import_ledger_csv(corporation, to_csv([]))
    assert "alleen de kopregel" in failed.value.errors[0].message


# --------------------------------------------------------------------------- volume and concurrency


def test_many_lines_use_bulk_queries(corporation, tenancies, monkeypatch, django_assert_max_num_queries):
    rows = [line(f"T{i:05d}", contract=f"HO000000{1 + i % 2}", kind="ONT", amount="1") for i in range(3000)]
    monkeypatch.setattr(ledger_import, "_chunk_size", lambda: 700)  # several chunks, also on PostgreSQL
    with django_assert_max_num_queries(60):
        assert import_ledger_csv(corporation, to_csv(rows)).created == 3000
    with django_assert_max_num_queries(15):
        assert import_ledger_csv(corporation, to_csv(rows)).already_present == 3000


def test_race_with_another_import_saves_nothing(corporation, tenancies, monkeypatch):
    import_ledger_csv(corporation, to_csv(sample_rows()[:2]))
    # another import stored B1 and B2 after this one looked them up
    monkeypatch.setattr(ledger_import, "_existing_lines", lambda corporation, ids: {})
    with pytest.raises(ImportFailed) as info:
        import_ledger_csv(corporation, to_csv(sample_rows()))
    assert "er is niets opgeslagen" in info.value.errors[0].message
    assert LedgerLine.objects.count() == 2


@pytest.mark.skipif(not REFERENTIEDATA.exists(), reason="shared VERA data not present")
def test_detail_codes_match_vera():
    with REFERENTIEDATA.open(encoding="utf-8-sig") as handle:
        vera = {
            row["Code"]: row["Naam"]
            for row in csv.DictReader(handle, delimiter=";")
            if row["Soort"] == "BOEKINGDETAILSOORT" and not row["Einddatum"]
        }
    assert vera == DETAIL_CODES


# --------------------------------------------------------------------------- the command


def test_command_prints_summary(corporation, tenancies, tmp_path):
    path = tmp_path / "boekingen.csv"
    path.write_bytes(to_csv(sample_rows()))
    out = io.StringIO()
    call_command("import_ledger", str(path), corporation="lindehof-test", stdout=out)
    assert "5 nieuw, 0 al aanwezig" in out.getvalue()
    call_command("import_ledger", str(path), corporation="lindehof-test", dry_run=True, stdout=out)
    assert "0 nieuw, 5 al aanwezig" in out.getvalue()


def test_command_numbers_errors_and_exits_non_zero(corporation, tenancies, tmp_path, capsys, monkeypatch):
    rows = sample_rows()
    rows[0]["bedrag"] = "0"
    rows[1]["boekdatum"] = "gisteren"
    path = tmp_path / "boekingen.csv"
    path.write_bytes(to_csv(rows))
    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    command = load_command_class("wijkpunt.arrears", "import_ledger")
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(["manage.py", "import_ledger", "--corporation", "lindehof-test", str(path), "--skip-checks"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "1. huurboekingen: regel 2, bedrag: Het bedrag mag niet 0 zijn." in err
    assert "2. huurboekingen: regel 3, boekdatum: 'gisteren' is geen geldige datum" in err
    assert "2 fout(en) gevonden; er is niets geïmporteerd." in err
    assert LedgerLine.objects.count() == 0


def test_command_unknown_corporation(corporation, tmp_path):
    with pytest.raises(CommandError, match="Er is geen corporatie met code 'nope' \\(bekend: lindehof-test\\)"):
        call_command("import_ledger", str(tmp_path / "x.csv"), corporation="nope")


def test_charge_in_a_file_without_vervaldatum_column(corporation, tenancies):
    columns = ("boekingsnummer", "contractnummer", "boekingsoort", "boekdatum", "bedrag")
    rows = [{k: v for k, v in line(tid, kind=kind).items() if k in columns} for tid, kind in (("P1", "ONT"), ("V1", "VOR"))]
    errors = errors_of(corporation, rows, columns=columns)
    assert errors == [
        "huurboekingen: regel 3, vervaldatum: Een vordering (VOR) heeft een vervaldatum; vul die in (JJJJ-MM-DD)."
    ]


def test_changed_payment_amount_is_shown_as_written(corporation, tenancies):
    import_ledger_csv(corporation, to_csv(sample_rows()))
    rows = sample_rows()
    rows[1]["bedrag"] = "600"
    with pytest.raises(ImportFailed) as info:
        import_ledger_csv(corporation, to_csv(rows))
    assert "(bedrag 612,50 → 600,00)" in info.value.errors[0].message


@pytest.mark.django_db(transaction=True)
def test_two_imports_racing_on_postgresql(corporation, tenancies, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE): the second import sees the first one's lines")
    import threading

    from django.db import connections

    barrier = threading.Barrier(2, timeout=20)
    checked = ledger_import._check_database

    def check_then_wait(*args):
        outcome = checked(*args)
        barrier.wait()  # both imports have looked up the known lines before either writes
        return outcome

    monkeypatch.setattr(ledger_import, "_check_database", check_then_wait)
    outcomes: list[object] = []

    def run():
        try:
            outcomes.append(import_ledger_csv(corporation, to_csv(sample_rows())))
        except ImportFailed as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    results = [o for o in outcomes if isinstance(o, LedgerImportResult)]
    failures = [o for o in outcomes if isinstance(o, ImportFailed)]
    assert len(results) == 1 and results[0].created == 5
    assert len(failures) == 1 and "er is niets opgeslagen" in failures[0].errors[0].message
    assert LedgerLine.objects.count() == 5

