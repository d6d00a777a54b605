"""Fill an empty database with the demo corporation: homes, people, partners and reports."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from wijkpunt.accounts.demo import seed_accounts_demo
from wijkpunt.arrears.demo import seed_arrears_demo
from wijkpunt.arrears.demo_process import seed_process_demo
from wijkpunt.cases.demo import seed_cases_demo
from wijkpunt.consultation.demo import seed_consultation_demo
from wijkpunt.core.models import Organisation
from wijkpunt.housing.demo import generate_demo
from wijkpunt.network.demo import seed_network
from wijkpunt.oncall.demo import seed_oncall
from wijkpunt.reports.demo import seed_reports
from wijkpunt.rounds.demo import seed_rounds_demo
from wijkpunt.steering.demo import seed_steering
from wijkpunt.teams.demo import seed_teams_demo
from wijkpunt.volunteers.demo import seed_volunteers_demo

DEMO_PASSWORD = "wijkpunt-demo"  # noqa: S105 - documented demo password, development only


class Command(BaseCommand):
    help = "Create the demo corporation (~6,000 homes in 3 municipalities), users for every role and reports."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--homes", type=int, default=6000)
        parser.add_argument("--reports", type=int, default=400)
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args, seed, homes, reports, password, **options):
        from django.conf import settings

        if settings.ENVIRONMENT == "production":
            self.stderr.write("seed_demo refuses to run in production (WIJKPUNT_ENV=production).")
            raise SystemExit(2)
        with transaction.atomic():
            summary = generate_demo(seed=seed, homes=homes, password=password)
        corp = Organisation.objects.get(slug=summary.corporation_slug)
        with transaction.atomic():
            made = seed_reports(corporation=corp, count=reports, seed=seed)
        with transaction.atomic():
            seed_network(corporation=corp)
        with transaction.atomic():  # after the reports: old urgent reports do not start chains now
            escalations = seed_oncall(corporation=corp)
        self.stdout.write(
            f"{summary.corporation_name}: {summary.units} eenheden, {summary.households} huishoudens, "
            f"{summary.complexes} complexen in {summary.municipalities} gemeenten; {made} nieuwe meldingen; "
            f"achtervang ingericht ({escalations} escalaties)."
        )
        with transaction.atomic():  # after the reports: a few households with reports fall behind on rent
            arrears = seed_arrears_demo(corp, today=timezone.localdate())
        with transaction.atomic():  # a few episodes at different legal steps, through the real services
            process = seed_process_demo(corp)
        in_arrears = "" if arrears["in_arrears"] is None else f", {arrears['in_arrears']} huurders in achterstand"
        self.stdout.write(
            f"Huurachterstand: {arrears['ledger_created']} nieuwe boekingen ({arrears['ledger_lines']} in totaal), "
            f"{arrears['agreements']} convenanten (geen met {arrears['municipality_without_agreement'] or '-'})"
            f"{in_arrears}, {arrears['open_episodes']} lopende dossiers ({process['episodes']} met processtappen)."
        )
        summary.logins.extend(seed_accounts_demo(corp, password=password))  # partner self-administration
        with transaction.atomic():
            cases = seed_cases_demo(corp, password=password)
        with transaction.atomic():
            steering = seed_steering(corp, today=timezone.localdate())
        summary.logins.extend(cases["logins"])
        self.stdout.write(
            f"Casussen: {cases['cases']} (met partners, toestemming en delen zonder toestemming); regiegroep: "
            f"{steering['meetings']} overleggen, {steering['planned_items']} agendapunten gepland."
        )
        self._seed_resident_activation(corp, password=password)
        self.stdout.write(f"\nDemo-accounts (wachtwoord: {password})\n{summary.login_table()}")

    def _seed_resident_activation(self, corp, *, password: str) -> None:
        """Issue 6: the volunteer programme first (it gives the demo volunteers their profiles), then
        rounds and teams that build on it, and the door-to-door consultations."""
        today = timezone.localdate()
        with transaction.atomic():
            volunteers = seed_volunteers_demo(corp, today=today, password=password)
        with transaction.atomic():
            rounds = seed_rounds_demo(corp, today=today)
        with transaction.atomic():
            teams = seed_teams_demo(corp, today=today)
        with transaction.atomic():
            consultation = seed_consultation_demo(corp, today=today)
        self.stdout.write(
            f"Bewonerskrachten: {volunteers['programmes']} programma's, {volunteers['candidates']} kandidaten, "
            f"{volunteers['volunteers']} geselecteerd; {rounds['rounds']} wijkrondes ({rounds['unpaired']} zonder "
            f"loopmaatje, {rounds['reports']} meldingen uit rondes); {teams['teams']} teams met "
            f"{teams['jobs']} klussen ({teams['done_last_year']} afgerond vorig jaar); "
            f"{consultation['consultations']} raadplegingen ({consultation['visits']} huisbezoeken, "
            f"{consultation['decisions']} besluiten per straat)."
        )
        if consultation["public_slug"]:
            self.stdout.write(f"Openbare uitslag: /raadpleging/{consultation['public_slug']}/")
