"""Periodic work of the cases app (discovered by huey's Django integration, like arrears/tasks.py)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="3", minute="30"))
def purge_expired_cases() -> dict:
    """Retention of closed cases (cases/retention.py, docs/privacy.md): anonymise or delete what is
    due, leave cases under a legal hold alone. Idempotent: a missed night is caught up the next."""
    from .retention import purge_cases

    result = purge_cases()
    logger.info("case retention: %(anonymised)s anonymised, %(deleted)s deleted, %(files)s files, "
                "%(held)s held, %(skipped)s skipped", result)
    return result
