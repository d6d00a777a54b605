from django.utils import timezone

from wijkpunt.consultation.retention import due_streets, purge
from wijkpunt.core.management.purge import PurgeCommand


class Command(PurgeCommand):
    help = ("Anonymise door-to-door visits of streets decided longer ago than CONSULTATION_RETENTION_DAYS (and of "
            "undecided streets of consultations that ended that long ago) and delete stale housing wishes. "
            "With --dry-run: only list what would happen.")

    def handle(self, *args, **options):
        today = self.reference_date(options)
        if options["dry_run"]:
            for due in due_streets(today):
                since = "besloten" if due.decided else "zonder besluit, raadpleging afgelopen"
                self.stdout.write(f"{due.consultation.title} / {due.street} ({since} "
                                  f"{timezone.localtime(due.dated_at):%Y-%m-%d}): bezoeken anonimiseren")
        result = purge(today, dry_run=options["dry_run"])
        prefix = "Proefdraai, er is niets veranderd. " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}Straten: {result.streets} (waarvan zonder besluit: {result.undecided_streets}), "
                          f"bezoeken geanonimiseerd: {result.visits_anonymised}, verwijderd: {result.visits_deleted}, woonwensen verwijderd: {result.wishes_deleted}.")
