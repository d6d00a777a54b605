"""Periodic work of the consultation app (discovered by huey's Django integration, like cases/tasks.py)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="3", minute="45"))
def purge_consultation_data() -> dict:
    """Retention (consultation/retention.py, docs/consultation.md): anonymise the visits of streets
    decided long enough ago (and of undecided streets of consultations that ended long enough ago)
    and delete stale housing wishes. A missed night is caught up the next."""
    from .retention import purge

    result = purge().as_dict()
    logger.info("consultation retention: %(streets)s streets (%(undecided_streets)s undecided), %(visits_anonymised)s visits anonymised, "
                "%(visits_deleted)s deleted, %(wishes_deleted)s housing wishes deleted", result)
    return result
