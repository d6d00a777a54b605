"""Bridge to the triage classifier: suggestions never block an intake."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def suggest_for_text(text: str) -> dict:
    """The classifier's suggestion as a dict ({} when unavailable or the text is too short)."""
    if len((text or "").split()) < 3:
        return {}
    try:
        from wijkpunt.triage.classifier import suggest

        return suggest(text).as_dict()
    except Exception:  # noqa: BLE001 - a broken model must never lose a report
        logger.exception("classifier unavailable; report left for a human")
        return {}
