"""manage.py import_ledger --corporation SLUG FILE [--dry-run]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from wijkpunt.arrears.ledger_import import ImportFailed, import_ledger_csv
from wijkpunt.core.models import Organisation


class Command(BaseCommand):
    help = (
        "Importeer huurboekingen (vorderingen, ontvangsten, correcties) uit CSV (formaat: docs/arrears-ledger.md). "
        "Alles of niets; boekingen die al zijn geïmporteerd worden overgeslagen."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="CSV", help="het boekingenbestand")
        parser.add_argument("--corporation", metavar="SLUG", required=True, help="code van de corporatie")
        parser.add_argument("--dry-run", action="store_true", help="alles controleren en tellen, niets opslaan")

    def handle(self, *args, **options):
        corporations = Organisation.objects.filter(kind=Organisation.Kind.CORPORATION)
        try:
            corporation = corporations.get(slug=options["corporation"])
        except Organisation.DoesNotExist:
            known = ", ".join(corporations.order_by("slug").values_list("slug", flat=True)) or "geen"
            raise CommandError(f"Er is geen corporatie met code '{options['corporation']}' (bekend: {known}).") from None
        try:
            result = import_ledger_csv(corporation, options["file"], dry_run=options["dry_run"])
        except ImportFailed as exc:
            width = len(str(len(exc.errors)))
            for number, error in enumerate(exc.errors, start=1):
                self.stderr.write(f"{number:>{width}}. {error}")
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
