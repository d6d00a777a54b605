import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .run import ArrearsRunError, corporations_to_run, run_arrears

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_arrears_run() -> int:
    """The nightly arrears run for every active corporation with ledger lines, reference date today
    (local time). One transaction per corporation: a failing corporation does not stop the others.
    Returns the number of corporations run."""
    today = timezone.localdate()
    done = 0
    for corporation in corporations_to_run():
        try:
            run_arrears(corporation, today)
        except ArrearsRunError as exc:
            logger.warning("arrears run skipped for corporation %s: %s", corporation.pk, exc)
        except Exception:
            logger.exception("arrears run failed for corporation %s", corporation.pk)
        else:
            done += 1
    return done


@db_periodic_task(crontab(hour="3", minute="15"))
def purge_expired_arrears_data() -> int:
    """Retention (docs/arrears.md): closed episodes, evidence, old ledger lines and access-log rows."""
    from .retention import purge_expired

    result = purge_expired()
    return result.episodes + result.ledger_lines + result.access_log_rows
