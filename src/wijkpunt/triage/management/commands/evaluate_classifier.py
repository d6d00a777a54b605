"""manage.py evaluate_classifier [--data CSV] [--test-size 0.2] [--markdown] [--output JSON]"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wijkpunt.triage import classifier, evaluation


class Command(BaseCommand):
    help = (
        "Train op een gestratificeerd deel van de dataset en toon de cijfers op het apart gehouden deel "
        "als JSON (macro-F1, spoed-recall en -precisie, aandeel voor een mens, tijden)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", metavar="CSV", help="gelabelde dataset (standaard data/classifier/meldingen.csv)")
        parser.add_argument("--test-size", type=float, default=0.2)
        parser.add_argument("--random-state", type=int, default=0)
        parser.add_argument("--markdown", action="store_true", help="toon daarna ook een Markdown-tabel")
        parser.add_argument("--output", metavar="JSON", help="schrijf de cijfers ook naar dit bestand")

    def handle(self, *args, **options):
        if not 0 < options["test_size"] < 1:
            raise CommandError("--test-size moet tussen 0 en 1 liggen.")
        try:
            rows = classifier.load_dataset(options["data"])
        except (OSError, ValueError) as exc:
            raise CommandError(f"Dataset niet te lezen: {exc}") from None
        figures = evaluation.evaluate(rows, test_size=options["test_size"], random_state=options["random_state"])
        text = json.dumps(figures, indent=2, ensure_ascii=False)
        self.stdout.write(text)
        if options["output"]:
            path = Path(options["output"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text + "\n", encoding="utf-8")
        if options["markdown"]:
            self.stdout.write("")
            self.stdout.write(evaluation.figures_markdown(figures))
