"""Periodic work of the volunteers app (discovered by huey's Django integration, like teams/tasks.py)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="4", minute="15"))
def purge_candidates() -> dict:
    """Retention (volunteers/retention.py, docs/volunteers.md): purge the personal data of candidates
    not selected or dropped out longer ago than VOLUNTEER_CANDIDATE_RETENTION_DAYS, and of those still
    nominated without a decision after twice that. A missed night is caught up the next."""
    from .retention import purge

    result = purge().as_dict()
    logger.info("volunteers retention: %(decided)s decided and %(undecided)s undecided candidates purged", result)
    return result
