"""The shared shape of the retention commands (``cases_purge``, ``consultation_purge``, ``teams_purge``,
``volunteers_purge``): ``--dry-run`` lists what would happen and changes nothing, ``--today`` sets the
reference date for a check or a catch-up run."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class PurgeCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Change nothing; list what would happen.")
        parser.add_argument("--today", help="Reference date YYYY-MM-DD (default: today).")

    @staticmethod
    def reference_date(options) -> dt.date | None:
        """The ``--today`` option as a date (None: today)."""
        if not options.get("today"):
            return None
        try:
            return dt.date.fromisoformat(options["today"])
        except ValueError as exc:
            raise CommandError("--today: use YYYY-MM-DD") from exc
