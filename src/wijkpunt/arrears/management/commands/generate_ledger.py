"""manage.py generate_ledger --corporation SLUG [--months 12] [--until YYYY-MM-DD] OUTFILE: demo bookings."""

from __future__ import annotations

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wijkpunt.arrears.demo import generate_ledger_rows, write_ledger_csv
from wijkpunt.core.models import Organisation


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is geen datum; gebruik JJJJ-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Schrijf fictieve maar realistische huurboekingen (importformaat, docs/arrears-ledger.md) voor alle "
        "huurovereenkomsten van een corporatie. Zelfde argumenten → zelfde bestand."
    )

    def add_arguments(self, parser):
        parser.add_argument("outfile", metavar="CSV", help="het bestand dat wordt geschreven")
        parser.add_argument("--corporation", metavar="SLUG", required=True, help="code van de corporatie")
        parser.add_argument("--months", type=int, default=12, help="aantal maanden terug (standaard 12)")
        parser.add_argument("--until", metavar="JJJJ-MM-DD", help="tot en met deze dag (standaard vandaag)")
        parser.add_argument("--seed", type=int, default=4, help="zelfde seed → zelfde boekingen")
        parser.add_argument("--delimiter", choices=[";", ","], default=";", help="scheidingsteken (standaard ;)")

    def handle(self, *args, **options):
        if options["months"] < 1:
            raise CommandError("--months moet minstens 1 zijn.")
        until = _day(options["until"]) if options["until"] else timezone.localdate()
        corporations = Organisation.objects.filter(kind=Organisation.Kind.CORPORATION)
        try:
            corporation = corporations.get(slug=options["corporation"])
        except Organisation.DoesNotExist:
            known = ", ".join(corporations.order_by("slug").values_list("slug", flat=True)) or "geen"
            raise CommandError(f"Er is geen corporatie met code '{options['corporation']}' (bekend: {known}).") from None
        started = time.perf_counter()
        counted = {"lines": 0, "contracts": set()}

        def counting(rows):
            for row in rows:
                counted["lines"] += 1
                counted["contracts"].add(row["contractnummer"])
                yield row

        rows = generate_ledger_rows(corporation, months=options["months"], until=until, seed=options["seed"])
        write_ledger_csv(options["outfile"], counting(rows), delimiter=options["delimiter"])
        self.stdout.write(
            f"{counted['lines']} boekingen voor {len(counted['contracts'])} huurovereenkomsten "
            f"({options['months']} maanden tot en met {until:%Y-%m-%d}) geschreven naar {options['outfile']} "
            f"in {time.perf_counter() - started:.1f} s."
        )
