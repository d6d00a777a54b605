"""manage.py train_classifier [--data CSV] [--output PATH] [--skip-evaluation]"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wijkpunt.triage import classifier, evaluation


class Command(BaseCommand):
    help = (
        "Train de meldingen-classifier op de gelabelde dataset, sla het model op en toon de cijfers "
        "op een apart gehouden testdeel (zie docs/classifier.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", metavar="CSV", help="gelabelde dataset (standaard data/classifier/meldingen.csv)")
        parser.add_argument(
            "--output", metavar="PATH", help="waar het model komt (standaard settings.WIJKPUNT_CLASSIFIER_PATH)"
        )
        parser.add_argument("--skip-evaluation", action="store_true", help="alleen trainen, geen testcijfers")
        parser.add_argument("--random-state", type=int, default=0)

    def handle(self, *args, **options):
        try:
            rows = classifier.load_dataset(options["data"])
        except (OSError, ValueError) as exc:
            raise CommandError(f"Dataset niet te lezen: {exc}") from None
        output = Path(
            options["output"] or getattr(settings, "WIJKPUNT_CLASSIFIER_PATH", None) or classifier.DEFAULT_MODEL_PATH
        )
        model = classifier.ReportClassifier.train(rows, random_state=options["random_state"])
        model.save(output)
        classifier.reset_classifier_cache()
        self.stdout.write(
            self.style.SUCCESS(
                f"Model getraind op {len(rows)} meldingen in {model.metadata['train_seconds']:.1f} s, "
                f"spoed-drempel {model.spoed_threshold:.3f}, opgeslagen in {output}"
            )
        )
        if not options["skip_evaluation"]:
            figures = evaluation.evaluate(rows, random_state=options["random_state"])
            self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False))
