"""manage.py arrears_run [--corporation SLUG] [--date YYYY-MM-DD]: the nightly arrears run, by hand."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wijkpunt.arrears.run import ArrearsRunError, corporations_to_run, run_arrears
from wijkpunt.core.models import Organisation


def _euro(cents: int) -> str:
    whole, rest = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}€ {whole:,}".replace(",", ".") + f",{rest:02d}"


class Command(BaseCommand):
    help = (
        "Bereken de huurachterstanden (achterstandsrun) op een peildatum: standen, dossiers openen en "
        "sluiten, termijnen van betalingsregelingen controleren. Zonder --corporation: elke actieve "
        "corporatie met boekingen, zoals de nachtelijke run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corporation", metavar="SLUG", help="code van de corporatie")
        parser.add_argument("--date", metavar="JJJJ-MM-DD", help="peildatum (standaard vandaag)")

    def handle(self, *args, **options):
        run_on = self._date(options["date"])
        if options["corporation"]:
            corporations = [self._corporation(options["corporation"])]
        else:
            corporations = list(corporations_to_run())
            if not corporations:
                self.stdout.write("Geen actieve corporatie met boekingen: niets te doen.")
                return
        for corporation in corporations:
            started = time.perf_counter()
            try:
                run = run_arrears(corporation, run_on)
            except ArrearsRunError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(self.style.SUCCESS(
                f"{corporation.name}, peildatum {run_on.isoformat()}: {run.tenancies_in_arrears} huurders met "
                f"achterstand, totaal {_euro(run.total_cents)}; {run.episodes_opened} nieuwe dossiers, "
                f"{run.episodes_closed} afgesloten ({time.perf_counter() - started:.1f} s)."
            ))

    def _date(self, value: str | None) -> dt.date:
        if not value:
            return timezone.localdate()
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"Ongeldige datum {value!r}: gebruik JJJJ-MM-DD, bijvoorbeeld 2026-11-21.") from None
        if day > timezone.localdate():
            # A run in the future would count pre-booked rent and block every earlier run until then.
            raise CommandError(f"Peildatum {day.isoformat()} ligt in de toekomst: kies vandaag of eerder.")
        return day

    def _corporation(self, slug: str) -> Organisation:
        corporation = Organisation.objects.filter(slug=slug).first()
        if corporation is None:
            raise CommandError(f"Onbekende corporatie {slug!r}: geen organisatie met die code.")
        if corporation.kind != Organisation.Kind.CORPORATION:
            raise CommandError(f"{corporation.name} ({slug}) is geen woningcorporatie.")
        return corporation
