"""The thin management commands: import_housing and generate_housing_csv."""

from __future__ import annotations

import io

import pytest
from django.core.management import base, call_command, load_command_class
from django.core.management.base import CommandError

from wijkpunt.core.tests.factories import CorporationFactory
from wijkpunt.housing.models import Tenancy, Unit

from .conftest import EMPTY, housing_counts

pytestmark = pytest.mark.django_db


def test_import_command_success(corporation, fixtures_dir):
    out = io.StringIO()
    call_command(
        "import_housing", units=str(fixtures_dir / "units.csv"), tenancies=str(fixtures_dir / "tenancies.csv"),
        stdout=out,
    )
    assert "eenheden 20 nieuw" in out.getvalue()
    assert Unit.objects.count() == 20 and Tenancy.objects.count() == 20


def test_import_command_dry_run(corporation, fixtures_dir):
    out = io.StringIO()
    call_command("import_housing", units=str(fixtures_dir / "units.csv"), dry_run=True, stdout=out)
    assert "Proefimport" in out.getvalue()
    assert housing_counts() == EMPTY


def test_import_command_prints_every_error_and_exits_non_zero(corporation, fixtures_dir, capsys, monkeypatch):
    # run_from_argv closes all connections afterwards, which would end the test's transaction
    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    command = load_command_class("wijkpunt.housing", "import_housing")
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv([
            "manage.py", "import_housing",
            "--units", str(fixtures_dir / "units_broken.csv"),
            "--tenancies", str(fixtures_dir / "tenancies_broken.csv"),
            "--corporation", corporation.slug, "--skip-checks",
        ])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "eenheden: regel 2, postcode: Vul een geldige postcode in" in err
    assert "huurovereenkomsten: regel 11, contractnummer:" in err
    assert "24 fout(en) gevonden; er is niets geïmporteerd." in err
    assert housing_counts() == EMPTY


def test_import_command_needs_a_corporation_when_there_are_several(corporation, fixtures_dir):
    CorporationFactory(slug="andere")
    with pytest.raises(CommandError, match="--corporation"):
        call_command("import_housing", units=str(fixtures_dir / "units.csv"))
    with pytest.raises(CommandError, match="geen corporatie met code 'onbekend'"):
        call_command("import_housing", units=str(fixtures_dir / "units.csv"), corporation="onbekend")
    with pytest.raises(CommandError, match="--units, --tenancies"):
        call_command("import_housing", corporation="andere")


def test_generated_csv_imports_cleanly_and_reimports_unchanged(corporation, tmp_path):
    call_command("generate_housing_csv", homes=250, seed=11, out=str(tmp_path), stdout=io.StringIO())
    units, tenancies = tmp_path / "units.csv", tmp_path / "tenancies.csv"
    assert units.read_text(encoding="utf-8").splitlines()[0].startswith("eenheidnummer;soort;straat")
    out = io.StringIO()
    call_command("import_housing", units=str(units), tenancies=str(tenancies), stdout=out)
    assert "eenheden 250 nieuw" in out.getvalue()
    out = io.StringIO()
    call_command("import_housing", units=str(units), tenancies=str(tenancies), stdout=out)
    assert "eenheden 0 nieuw, 0 bijgewerkt, 250 ongewijzigd" in out.getvalue()


def test_generate_csv_is_deterministic(tmp_path):
    call_command("generate_housing_csv", homes=120, seed=5, out=str(tmp_path / "a"), stdout=io.StringIO())
    call_command("generate_housing_csv", homes=120, seed=5, out=str(tmp_path / "b"), stdout=io.StringIO())
    call_command("generate_housing_csv", homes=120, seed=6, out=str(tmp_path / "c"), stdout=io.StringIO())
    for name in ("units.csv", "tenancies.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "c" / name).read_bytes()
