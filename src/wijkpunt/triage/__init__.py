"""Triage: suggests category, subcategory and urgency for a Dutch report text.

The classifier lives in :mod:`wijkpunt.triage.classifier` (no Django needed); the rule-based
urgency safety net in :mod:`wijkpunt.triage.rules`. See ``docs/classifier.md``.
"""
