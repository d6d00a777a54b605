"""manage.py classify_reports < texts.txt   (one Dutch report text per line; JSON lines out)"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from wijkpunt.triage import classifier


class Command(BaseCommand):
    help = (
        "Lees per regel één meldingstekst van stdin (lege regels worden overgeslagen) en schrijf per "
        "regel een JSON-object met de suggestie van de classifier."
    )
    # call_command("classify_reports", stdin=io.StringIO(...)) in tests
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--model", metavar="PATH", help="ander modelbestand dan settings.WIJKPUNT_CLASSIFIER_PATH")

    def handle(self, *args, **options):
        stream = options.get("stdin") or sys.stdin
        if options["model"]:
            try:
                model = classifier.ReportClassifier.load(options["model"])
            except (OSError, ValueError) as exc:
                raise CommandError(f"Model niet te laden: {exc}") from None
        else:
            model = classifier.get_classifier()
        for line in stream:
            text = line.strip()
            if not text:
                continue
            s = model.predict([text])[0]
            record = {
                "text": text,
                "category": s.category,
                "subcategory": s.subcategory,
                "urgency": s.urgency,
                "category_confidence": round(s.category_confidence, 3),
                "subcategory_confidence": round(s.subcategory_confidence, 3),
                "urgency_confidence": round(s.urgency_confidence, 3),
                "needs_human": s.needs_human,
                "urgency_reason": s.urgency_reason,
                "possible_spoed": s.possible_spoed,
            }
            self.stdout.write(json.dumps(record, ensure_ascii=False))
