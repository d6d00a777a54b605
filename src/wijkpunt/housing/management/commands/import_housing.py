"""manage.py import_housing --units units.csv --tenancies tenancies.csv [--corporation SLUG] [--dry-run]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from wijkpunt.core.models import Organisation
from wijkpunt.housing.importers import ImportFailed, import_housing_csv


class Command(BaseCommand):
    help = (
        "Importeer eenheden en huurovereenkomsten uit CSV (formaat: docs/import.md). "
        "Alles of niets: bij één fout wordt niets opgeslagen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", metavar="CSV", help="eenhedenbestand (units.csv)")
        parser.add_argument("--tenancies", metavar="CSV", help="huurovereenkomstenbestand (tenancies.csv)")
        parser.add_argument(
            "--corporation", metavar="SLUG", help="code van de corporatie (verplicht als er meer dan één is)"
        )
        parser.add_argument("--dry-run", action="store_true", help="alles controleren en tellen, niets opslaan")

    def handle(self, *args, **options):
        if not options["units"] and not options["tenancies"]:
            raise CommandError("Geef --units, --tenancies of beide.")
        corporation = self._corporation(options["corporation"])
        try:
            result = import_housing_csv(
                corporation=corporation,
                units_file=options["units"],
                tenancies_file=options["tenancies"],
                dry_run=options["dry_run"],
            )
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))

    def _corporation(self, slug: str | None) -> Organisation:
        corporations = Organisation.objects.filter(kind=Organisation.Kind.CORPORATION)
        if slug:
            try:
                return corporations.get(slug=slug)
            except Organisation.DoesNotExist:
                known = ", ".join(corporations.values_list("slug", flat=True)) or "geen"
                raise CommandError(f"Er is geen corporatie met code '{slug}' (bekend: {known}).") from None
        found = list(corporations[:2])
        if len(found) != 1:
            raise CommandError(
                "Geef --corporation op: er zijn "
                + ("geen corporaties." if not found else "meerdere corporaties.")
            )
        return found[0]
