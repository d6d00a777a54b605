"""Periodic work of the teams app (discovered by huey's Django integration, like cases/tasks.py)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="4", minute="0"))
def purge_job_contacts() -> dict:
    """Retention (teams/retention.py, docs/teams.md): empty the requester's contact details of jobs
    closed longer ago than JOB_CONTACT_RETENTION_DAYS. A missed night is caught up the next."""
    from .retention import purge

    result = purge().as_dict()
    logger.info("teams retention: contact details removed from %(jobs)s jobs, %(mails_deleted)s e-mails deleted",
                result)
    return result
