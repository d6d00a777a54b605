from wijkpunt.cases.retention import DELETE, due_cases, purge_cases
from wijkpunt.core.management.purge import PurgeCommand


class Command(PurgeCommand):
    help = ("Anonymise or delete closed cases past their retention period (per case type, legal holds "
            "excepted). With --dry-run: only list what would happen.")

    def handle(self, *args, **options):
        today = self.reference_date(options)
        if options["dry_run"]:
            for due in due_cases(today, include_held=True):
                what = "bewaarplicht, blijft staan" if due.legal_hold else (
                    "verwijderen" if due.action == DELETE else "anonimiseren")
                self.stdout.write(f"{due.reference} (organisatie {due.organisation_id}, zaaktype {due.case_type}, "
                                  f"afgesloten {due.closed_on}, termijn verstreken {due.due_on}): {what}")
        result = purge_cases(today=today, dry_run=options["dry_run"])
        counts = (f"{result['anonymised']} geanonimiseerd, {result['deleted']} verwijderd, {result['files']} bestanden, "
                  f"{result['held']} met bewaarplicht overgeslagen")
        if options["dry_run"]:
            self.stdout.write(f"Proefdraai, er is niets veranderd. Casussen die aan de beurt zijn: {counts}.")
        else:
            skipped = f", {result['skipped']} niet meer aan de beurt" if result["skipped"] else ""
            self.stdout.write(f"Casussen: {counts}{skipped}.")
