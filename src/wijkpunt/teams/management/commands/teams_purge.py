from wijkpunt.core.management.purge import PurgeCommand
from wijkpunt.teams.retention import due_jobs, purge, retention_days


class Command(PurgeCommand):
    help = ("Empty the requester's name, phone and e-mail of job requests closed longer ago than "
            "JOB_CONTACT_RETENTION_DAYS (default 90), and delete their e-mails from the outbox. "
            "With --dry-run: only list what would happen.")

    def handle(self, *args, **options):
        today = self.reference_date(options)
        days = retention_days()
        if options["dry_run"]:
            for job in due_jobs(today).select_related("corporation"):
                self.stdout.write(f"{job.reference} ({job.corporation.name}, {job.get_status_display().lower()}, "
                                  f"afgesloten {job.closed:%Y-%m-%d}): contactgegevens verwijderen")
        result = purge(today, dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(f"Proefdraai, er is niets veranderd. Klussen die aan de beurt zijn: {result.jobs} "
                              f"(bewaartermijn {days} dagen na afsluiten).")
        else:
            self.stdout.write(f"Klussen: contactgegevens verwijderd bij {result.jobs}, "
                              f"e-mails verwijderd: {result.mails_deleted}.")
