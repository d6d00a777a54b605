from django.core.management.base import BaseCommand

from wijkpunt.arrears.retention import purge_expired


class Command(BaseCommand):
    help = "Remove arrears data past its retention period (episodes, evidence, ledger lines, access log)."

    def handle(self, *args, **options):
        result = purge_expired()
        self.stdout.write(
            f"Verwijderd: {result.episodes} dossiers, {result.evidence_files} bewijsstukken, "
            f"{result.ledger_lines} boekingen, {result.access_log_rows} inzageregels."
        )
