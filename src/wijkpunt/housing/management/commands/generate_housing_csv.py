"""manage.py generate_housing_csv --homes N --seed S --out DIR: demo data in the import format."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wijkpunt.housing.demo import build_housing_rows
from wijkpunt.housing.importers import TENANCY_COLUMNS, UNIT_COLUMNS, write_csv


class Command(BaseCommand):
    help = "Schrijf units.csv en tenancies.csv met fictieve, deterministische gegevens (importformaat)."

    def add_arguments(self, parser):
        parser.add_argument("--homes", type=int, default=6000, help="aantal eenheden (standaard 6000)")
        parser.add_argument("--seed", type=int, default=2026, help="zelfde seed → zelfde bestanden")
        parser.add_argument("--out", required=True, metavar="DIR", help="map voor units.csv en tenancies.csv")
        parser.add_argument("--delimiter", choices=[";", ","], default=";", help="scheidingsteken (standaard ;)")

    def handle(self, *args, **options):
        if options["homes"] < 1:
            raise CommandError("--homes moet minstens 1 zijn.")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        rows = build_housing_rows(seed=options["seed"], homes=options["homes"])
        write_csv(out / "units.csv", UNIT_COLUMNS, rows.units, delimiter=options["delimiter"])
        write_csv(out / "tenancies.csv", TENANCY_COLUMNS, rows.tenancies, delimiter=options["delimiter"])
        self.stdout.write(
            f"{len(rows.units)} eenheden en {len(rows.tenancies)} huurovereenkomsten geschreven naar {out} "
            f"in {time.perf_counter() - started:.1f} s."
        )
