from wijkpunt.core.management.purge import PurgeCommand
from wijkpunt.volunteers.models import Candidate
from wijkpunt.volunteers.retention import due_candidates, purge, retention_days


class Command(PurgeCommand):
    help = ("Empty the contact details, street, details and decision reason of volunteer candidates who were "
            "not selected or dropped out longer ago than VOLUNTEER_CANDIDATE_RETENTION_DAYS (default 365), and "
            "of candidates still nominated without a decision after twice that period; their name becomes "
            "'Kandidaat (verwijderd)'. Selected candidates are not touched. With --dry-run: only list what "
            "would happen.")

    def handle(self, *args, **options):
        today = self.reference_date(options)
        days = retention_days()
        if options["dry_run"]:
            for candidate in due_candidates(today).select_related("programme"):
                if candidate.status == Candidate.Status.NOMINATED:
                    since = f"voorgedragen {candidate.nominated_at:%Y-%m-%d}, geen besluit"
                else:
                    since = f"{candidate.get_status_display().lower()} {candidate.decision_at:%Y-%m-%d}"
                # no name or contact details in the output: only the id, programme and dates
                self.stdout.write(f"kandidaat {candidate.pk} ({candidate.programme.name}, {since}): "
                                  f"gegevens verwijderen")
        result = purge(today, dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write(f"Proefdraai, er is niets veranderd. Kandidaten die aan de beurt zijn: {result.total} "
                              f"({result.decided} na een besluit, {result.undecided} zonder besluit; bewaartermijn "
                              f"{days} dagen na het besluit, {2 * days} dagen zonder besluit).")
        else:
            self.stdout.write(f"Kandidaten: gegevens verwijderd bij {result.total} ({result.decided} na een besluit, "
                              f"{result.undecided} zonder besluit).")
